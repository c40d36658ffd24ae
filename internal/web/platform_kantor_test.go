package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/langganan"
	"github.com/sentra-id/sentra/internal/web/webtest"
)

// TestOnboardingPages: a platform admin opens Kota Makassar from its code,
// starts its trial, invites its first admin (who accepts and signs in),
// suspends it (the office turns read-only) and reactivates it; bad input
// comes back beside its field; an office's staff cannot reach any of it.
func TestOnboardingPages(t *testing.T) {
	srv := webtest.New(t)
	p := srv.Client(t)
	p.Login(webtest.Platform)

	if r := p.Get("/platform/kantor"); r.Status != http.StatusOK || !strings.Contains(r.Body, "Buka kantor baru") {
		t.Fatalf("the offices page: %d\n%s", r.Status, r.Body)
	}
	r := p.Post("/platform/kantor", url.Values{"kode": {"99.99"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="kode-galat">Bukan kode kabupaten/kota`) || !strings.Contains(r.Body, `value="99.99"`) {
		t.Errorf("an unknown code: %d\n%s", r.Status, r.Body)
	}
	r = p.Post("/platform/kantor", url.Values{"kode": {"32.76"}})
	if r.Status != http.StatusConflict {
		t.Errorf("a second Depok: %d, want 409", r.Status)
	}
	r = p.Post("/platform/kantor", url.Values{"kode": {"73.71"}})
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/platform/kantor/makassar?pesan=dibuka" {
		t.Fatalf("open makassar: %d %q\n%s", r.Status, r.Header.Get("Location"), r.Body)
	}
	page := p.Get("/platform/kantor/makassar?pesan=dibuka")
	if !strings.Contains(page.Body, "<dd>Kantor ini sedang disiapkan: belum ada masa uji coba atau kontrak</dd>") || !strings.Contains(page.Body, "Asia/Makassar") {
		t.Errorf("the new office's page:\n%s", page.Body)
	}

	if r := p.Post("/platform/kantor/makassar/uji-coba", url.Values{"tanggal": {"2020-01-01"}}); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, `id="uji-tanggal-galat"`) {
		t.Errorf("a trial in the past: %d\n%s", r.Status, r.Body)
	}
	end := time.Now().AddDate(0, 0, 30).Format(time.DateOnly)
	if r := p.Post("/platform/kantor/makassar/uji-coba", url.Values{"tanggal": {end}}); r.Status != http.StatusSeeOther {
		t.Fatalf("trial: %d\n%s", r.Status, r.Body)
	}
	if !strings.Contains(p.Get("/platform/kantor/makassar").Body, "<dd>Masa uji coba berakhir pada ") {
		t.Error("the trial is not shown")
	}

	inv := p.Post("/platform/kantor/makassar/undangan", url.Values{"nama": {"Andi Baso"}, "email": {"kadis@makassar.test"}})
	link := regexp.MustCompile(`<a href="(/undangan/makassar/[A-Za-z0-9_-]+)">`).FindStringSubmatch(inv.Body)
	if inv.Status != http.StatusOK || link == nil {
		t.Fatalf("invite: %d\n%s", inv.Status, inv.Body)
	}
	if again := p.Get("/platform/kantor/makassar"); strings.Contains(again.Body, link[1]) {
		t.Error("the invitation link is shown again")
	}
	c := srv.Client(t)
	if r := c.Post(link[1], url.Values{"nama": {"Andi Baso"}, "password": {"kata-sandi-andi-2026"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("accept: %d\n%s", r.Status, r.Body)
	}
	kadis := loginAs(t, srv, "kadis@makassar.test", "kata-sandi-andi-2026")
	if r := kadis.Get("/t/makassar/pengguna"); r.Status != http.StatusOK || !strings.Contains(r.Body, "Masa uji coba berakhir") {
		t.Errorf("the new admin's first page: %d\n%s", r.Status, r.Body)
	}

	if r := p.Post("/platform/kantor/makassar/tangguhkan", url.Values{"alasan": {"x"}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("a suspension without a reason: %d", r.Status)
	}
	if r := p.Post("/platform/kantor/makassar/tangguhkan", url.Values{"alasan": {"kontrak belum ditandatangani"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("suspend: %d\n%s", r.Status, r.Body)
	}
	if r := kadis.Get("/t/makassar/pengguna"); !strings.Contains(r.Body, "mode baca saja") || strings.Contains(r.Body, "Tambah pengguna</button>") {
		t.Errorf("the suspended office's admin still adds users:\n%s", r.Body)
	}
	if r := p.Post("/platform/kantor/makassar/aktifkan", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("reactivate: %d", r.Status)
	}
	if r := kadis.Get("/t/makassar/pengguna"); strings.Contains(r.Body, "mode baca saja") {
		t.Error("still read-only after reactivation")
	}

	staf := srv.Client(t)
	staf.Login(webtest.AdminDepok)
	for _, path := range []string{"/platform/kantor", "/platform/kantor/depok"} {
		if r := staf.Get(path); r.Status != http.StatusNotFound {
			t.Errorf("an office admin GET %s: %d, want 404", path, r.Status)
		}
	}
	if r := staf.Post("/platform/kantor/depok/tangguhkan", url.Values{"alasan": {"iseng saja"}}); r.Status != http.StatusNotFound {
		t.Errorf("an office admin suspends: %d, want 404", r.Status)
	}
}

// TestKontrakDanPembayaran: a platform admin records Depok's contract in
// the page (bad input beside its field, nothing written), the office is
// active and its subscription queued; an invoice 61 days past due (as the
// Stripe sync mirrors it) turns it read-only; the payment recorded from
// the SP2D, bad input first, makes it active again. Medan's invoice cannot
// be paid through Depok's page.
func TestKontrakDanPembayaran(t *testing.T) {
	srv := webtest.New(t, webtest.WithStripe)
	depok, medan := srv.Tenants["depok"], srv.Tenants["medan"]
	p := srv.Client(t)
	p.Login(webtest.Platform)
	staf := srv.Client(t)
	staf.Login(webtest.StafDepok)

	if page := p.Get("/platform/kantor/depok"); !strings.Contains(page.Body, `action="/platform/kantor/depok/kontrak"`) ||
		!strings.Contains(page.Body, "Rp 36.000.000 per tahun") {
		t.Fatalf("no contract form with the price list:\n%s", page.Body)
	}
	bad := p.Post("/platform/kantor/depok/kontrak", url.Values{"paket": {"dasar"}, "nomor": {"027/SPK/2027"}, "npwp": {"123"},
		"email": {"bendahara@depok.go.id"}, "jatuh_tempo": {"0"}})
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, `id="kontrak-npwp-galat">NPWP terdiri dari 15 atau 16 angka.`) ||
		!strings.Contains(bad.Body, `id="kontrak-jatuh_tempo-galat">Jatuh tempo antara 1 dan 365 hari`) || !strings.Contains(bad.Body, `value="027/SPK/2027"`) {
		t.Errorf("a bad contract: %d\n%s", bad.Status, bad.Body)
	}
	if n := srv.Count(t, "select count(*) from tenant_billing where tenant_id = $1", depok.ID); n != 0 {
		t.Errorf("a refused contract wrote %d billing rows", n)
	}
	ok := p.Post("/platform/kantor/depok/kontrak", url.Values{"paket": {"menengah"}, "nomor": {"027/SPK/2027"}, "npwp": {"01.234.567.8-901.000"},
		"email": {"Bendahara@Depok.go.id"}, "jatuh_tempo": {"30"}})
	if ok.Status != http.StatusSeeOther || ok.Header.Get("Location") != "/platform/kantor/depok?pesan=kontrak" {
		t.Fatalf("record the contract: %d\n%s", ok.Status, ok.Body)
	}
	page := p.Get("/platform/kantor/depok?pesan=kontrak")
	if !strings.Contains(page.Body, "Kontrak sudah dicatat") || !strings.Contains(page.Body, "Aktif") || !strings.Contains(page.Body, "Ubah kontrak") ||
		!strings.Contains(page.Body, `value="bendahara@depok.go.id"`) {
		t.Errorf("after the contract:\n%s", page.Body)
	}
	if n := srv.Count(t, "select count(*) from river.river_job where kind = 'langganan_subscribe'"); n != 1 {
		t.Errorf("%d subscription jobs queued, want 1", n)
	}
	// The plan's soft limits, metered: Depok over its seats is told, not
	// blocked.
	records := srv.Count(t, "select (select count(*) from umkm where tenant_id = $1 and archived_at is null) + (select count(*) from koperasi where tenant_id = $1 and archived_at is null)", depok.ID)
	staff := srv.Count(t, "select count(*) from role_assignments where domain = 'depok' and disabled_at is null")
	if !strings.Contains(page.Body, format.Angka(records)+" dari 100.000 menurut paket") || !strings.Contains(page.Body, format.Angka(staff)+" dari 30 menurut paket") ||
		strings.Contains(page.Body, "melebihi paket") {
		t.Errorf("the usage of %d records and %d users:\n%s", records, staff, page.Body)
	}
	srv.Exec(t, "update plans set max_staff = 2 where code = 'menengah'")
	if page := p.Get("/platform/kantor/depok"); !strings.Contains(page.Body, "dari 2 menurut paket — <strong>melebihi paket</strong>") {
		t.Errorf("seats over the plan are not shown:\n%s", page.Body)
	}
	if r := staf.Get("/t/depok/umkm/baru"); r.Status != http.StatusOK {
		t.Errorf("an office over its seats is blocked: %d", r.Status)
	}

	// Stripe's invoice, 61 days past due, as the sync mirrors it.
	mirror := func(tenantID uuid.UUID, stripeID string) uuid.UUID {
		t.Helper()
		srv.Mirror(t, tenantID, langganan.StripeInvoice{ID: stripeID, Number: "SNTR-" + stripeID, Status: langganan.InvoiceOpen,
			AmountDueIDR: 79_920_000, TaxIDR: 7_920_000, DueAt: time.Now().AddDate(0, 0, -61), HostedURL: "https://invoice.stripe.com/i/" + stripeID})
		var id uuid.UUID
		if err := srv.Env.DB.InTenantTx(context.Background(), tenantID, func(tx pgx.Tx) error {
			return tx.QueryRow(context.Background(), "select id from invoices where stripe_invoice_id = $1", stripeID).Scan(&id)
		}); err != nil {
			t.Fatal(err)
		}
		return id
	}
	invoice := mirror(depok.ID, "in_Depok1")
	page = p.Get("/platform/kantor/depok")
	if !strings.Contains(page.Body, "Baca saja") || !strings.Contains(page.Body, "Lewat jatuh tempo") || !strings.Contains(page.Body, "Rp 79.920.000") ||
		!strings.Contains(page.Body, `action="/platform/kantor/depok/tagihan/`+invoice.String()+`/bayar"`) {
		t.Fatalf("an invoice 61 days past due:\n%s", page.Body)
	}
	if r := staf.Get("/t/depok/umkm"); !strings.Contains(r.Body, "mode baca saja") {
		t.Error("the office's staff see no read-only banner")
	}

	pay := "/platform/kantor/depok/tagihan/" + invoice.String() + "/bayar"
	tomorrow := time.Now().AddDate(0, 0, 2).Format(time.DateOnly)
	r := p.Post(pay, url.Values{"sp2d": {"00123/SP2D/LS/2027"}, "tanggal": {tomorrow}, "diterima": {"banyak"}, "pph_nomor": {""}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="bayar-diterima-galat">Isi rupiah tanpa sen`) ||
		!strings.Contains(r.Body, "<details open>") {
		t.Errorf("a bad payment: %d\n%s", r.Status, r.Body)
	}
	r = p.Post(pay, url.Values{"sp2d": {"00123/SP2D/LS/2027"}, "tanggal": {tomorrow}, "diterima": {"77.920.000"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="bayar-tanggal-galat">Tanggal bayar tidak boleh setelah hari ini.`) {
		t.Errorf("a payment tomorrow: %d\n%s", r.Status, r.Body)
	}
	r = p.Post(pay, url.Values{"sp2d": {"00123/SP2D/LS/2027"}, "tanggal": {time.Now().Format(time.DateOnly)}, "diterima": {"77.920.000"},
		"pph_jenis": {"pph23"}, "pph_nomor": {""}, "pph_jumlah": {"2.000.000"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="bayar-pph_nomor-galat">Nomor dokumen pajak wajib diisi`) {
		t.Errorf("a bukti potong without its number: %d\n%s", r.Status, r.Body)
	}
	if n := srv.Count(t, "select count(*) from invoices where tenant_id = $1 and sp2d_number is not null", depok.ID); n != 0 {
		t.Errorf("refused payments wrote %d", n)
	}

	medanInvoice := mirror(medan.ID, "in_Medan1")
	other := p.Post("/platform/kantor/depok/tagihan/"+medanInvoice.String()+"/bayar", url.Values{"sp2d": {"1/SP2D"},
		"tanggal": {time.Now().Format(time.DateOnly)}, "diterima": {"1.000"}})
	if other.Status != http.StatusNotFound {
		t.Errorf("medan's invoice through depok's page: %d, want 404", other.Status)
	}

	r = p.Post(pay, url.Values{"sp2d": {"00123/SP2D/LS/2027"}, "tanggal": {time.Now().Format(time.DateOnly)}, "diterima": {"Rp 77.920.000"},
		"ppn_nomor": {"010.000-27.00000001"}, "ppn_jumlah": {"7.920.000"}, "pph_jenis": {"pph23"}, "pph_nomor": {"BP-0042"}, "pph_jumlah": {"2.000.000"}})
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/platform/kantor/depok?pesan=bayar" {
		t.Fatalf("record the payment: %d\n%s", r.Status, r.Body)
	}
	page = p.Get("/platform/kantor/depok?pesan=bayar")
	if !strings.Contains(page.Body, "Pembayaran sudah dicatat") || !strings.Contains(page.Body, "Lunas") ||
		!strings.Contains(page.Body, "diterima Rp 77.920.000") || strings.Contains(page.Body, "Baca saja") {
		t.Errorf("after the payment:\n%s", page.Body)
	}
	if n := srv.Count(t, `select count(*) from invoices where tenant_id = $1 and received_idr = 77920000
		and tax_documents @> '[{"kind":"ppn","amount_idr":7920000},{"kind":"pph23","number":"BP-0042"}]'`, depok.ID); n != 1 {
		t.Error("the payment's facts are not stored")
	}
	if n := srv.Count(t, "select count(*) from river.river_job where kind = 'langganan_pay'"); n != 1 {
		t.Errorf("%d payment jobs queued, want 1", n)
	}
	if r := staf.Get("/t/depok/umkm"); strings.Contains(r.Body, "mode baca saja") {
		t.Error("the office is still read-only after the payment")
	}
	if r := staf.Post("/platform/kantor/depok/kontrak", url.Values{"paket": {"penuh"}}); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
		t.Errorf("an office's staf records a contract: %d", r.Status)
	}
}
