package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/web/webtest"
)

var (
	pengajuanLink = regexp.MustCompile(`^/t/depok/pendanaan/pengajuan/([0-9a-f-]{36})$`)
)

func kelompokForm(ids []uuid.UUID, kunci string) url.Values {
	f := url.Values{"kelurahan": {webtest.KelurahanMesra}, "nama_kelompok": {"Kelompok Melati"}, "tenor_bulan": {"6"}, "kunci": {kunci}}
	for _, id := range ids {
		f.Add("anggota", id.String())
		f.Set("plafon-"+id.String(), "2.000.000")
	}
	return f
}

// TestPendanaanPages: a staf files a Kredit Mesra group on the form
// (refused beside the field when too small, kept as typed), moves it on
// its page (a stale form and a wrong step are refused in words), sees it
// on the board; a viewer reads without forms; another office finds
// nothing; the subsidy ledger records a month, refuses a claim beyond the
// ceiling and takes one within it to payment.
func TestPendanaanPages(t *testing.T) {
	srv := webtest.New(t)
	ids := srv.SeedKelompok(t, 6)
	staf := srv.Client(t)
	staf.Login(webtest.StafDepok)
	viewer := srv.Client(t)
	viewer.Login(webtest.ViewerDepok)

	form := staf.Get("/t/depok/pendanaan/kelompok?kelurahan=" + webtest.KelurahanMesra)
	if form.Status != http.StatusOK || !strings.Contains(form.Body, "Usaha Mesra 6") || !strings.Contains(form.Body, `href="/t/depok/pendanaan"`) {
		t.Fatalf("group form: %d\n%s", form.Status, form.Body)
	}
	kunci := kunciField.FindStringSubmatch(form.Body)[1]
	r := staf.Post("/t/depok/pendanaan/kelompok", kelompokForm(ids[:4], kunci))
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "5 sampai 10 pelaku usaha") ||
		!strings.Contains(r.Body, `value="Kelompok Melati"`) || strings.Count(r.Body, " checked") != 4 {
		t.Fatalf("group of 4: %d\n%s", r.Status, r.Body)
	}
	r = staf.Post("/t/depok/pendanaan/kelompok", kelompokForm(ids[:5], kunci))
	loc := r.Header.Get("Location")
	if r.Status != http.StatusSeeOther || !pengajuanLink.MatchString(loc) {
		t.Fatalf("group of 5: %d %q\n%s", r.Status, loc, r.Body)
	}
	if again := staf.Post("/t/depok/pendanaan/kelompok", kelompokForm(ids[:5], kunci)); again.Header.Get("Location") != loc {
		t.Errorf("the same form twice: %q, want %q", again.Header.Get("Location"), loc)
	}
	if n := srv.Count(t, `select count(*) from pengajuan_dana`); n != 1 {
		t.Fatalf("%d applications", n)
	}
	page := staf.Get(loc)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, "Rp 160.000") || !strings.Contains(page.Body, "Pindah ke: Berkas lengkap") {
		t.Fatalf("application page: %d\n%s", page.Status, page.Body)
	}
	versi := versiField.FindStringSubmatch(page.Body)[1]
	if r := staf.Post(loc+"/tahap", url.Values{"versi": {versi}, "tahap": {"aktif"}}); r.Status != http.StatusConflict || !strings.Contains(r.Body, "Diajukan") {
		t.Fatalf("a wrong step: %d\n%s", r.Status, r.Body)
	}
	if r := staf.Post(loc+"/tahap", url.Values{"versi": {versi}, "tahap": {"lengkap"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("to lengkap: %d\n%s", r.Status, r.Body)
	}
	if r := staf.Post(loc+"/tahap", url.Values{"versi": {versi}, "tahap": {"dikirim_bank"}}); r.Status != http.StatusPreconditionFailed ||
		!strings.Contains(r.Body, "sudah diubah orang lain") {
		t.Fatalf("a stale form: %d\n%s", r.Status, r.Body)
	}
	board := staf.Get("/t/depok/pendanaan?jenis=kredit_mesra")
	if board.Status != http.StatusOK || !strings.Contains(board.Body, `href="`+loc+`"`) || !strings.Contains(board.Body, ">Pendanaan</a>") {
		t.Fatalf("board: %d\n%s", board.Status, board.Body)
	}
	v := viewer.Get(loc)
	if v.Status != http.StatusOK || strings.Contains(v.Body, "/tahap") || strings.Contains(v.Body, "Pemilik Mesra 1") {
		t.Fatalf("viewer: %d (forms or an unmasked owner)\n%s", v.Status, v.Body)
	}
	if r := viewer.Post(loc+"/tahap", url.Values{"versi": {"2"}, "tahap": {"dikirim_bank"}}); r.Status != http.StatusForbidden {
		t.Fatalf("viewer moves it: %d", r.Status)
	}
	medan := srv.Client(t)
	medan.Login(webtest.StafMedan)
	if r := medan.Get(strings.Replace(loc, "depok", "medan", 1)); r.Status != http.StatusNotFound {
		t.Fatalf("medan: %d", r.Status)
	}

	// The ledger of last month.
	debtor := srv.ActiveDebtor(t, "Toko Debitur", 25_000_000)
	buku := staf.Get("/t/depok/pendanaan/subsidi")
	bulan := regexp.MustCompile(`name="bulan" value="(\d{4}-\d{2})"`).FindStringSubmatch(buku.Body)
	if buku.Status != http.StatusOK || bulan == nil || !strings.Contains(buku.Body, "Toko Debitur") {
		t.Fatalf("ledger: %d\n%s", buku.Status, buku.Body)
	}
	if r := staf.Post("/t/depok/pendanaan/subsidi", url.Values{"bulan": {bulan[1]}, "pengajuan_id": {debtor.ID.String()}, "bunga": {"dua ratus"}}); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, `id="bunga-galat"`) {
		t.Fatalf("bad interest: %d\n%s", r.Status, r.Body)
	}
	if r := staf.Post("/t/depok/pendanaan/subsidi", url.Values{"bulan": {bulan[1]}, "pengajuan_id": {debtor.ID.String()}, "bunga": {"187.501"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("record a month: %d\n%s", r.Status, r.Body)
	}
	srv.PaguSubsidi(t, 100_000)
	if r := staf.Post("/t/depok/pendanaan/subsidi/klaim", url.Values{"bulan": {bulan[1]}, "bank": {"bjb"}}); r.Status != http.StatusConflict ||
		!strings.Contains(r.Body, "melebihi sisa pagu") {
		t.Fatalf("a claim beyond the ceiling: %d\n%s", r.Status, r.Body)
	}
	srv.PaguSubsidi(t, 1_000_000)
	if r := staf.Post("/t/depok/pendanaan/subsidi/klaim", url.Values{"bulan": {bulan[1]}, "bank": {"bjb"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("claim: %d\n%s", r.Status, r.Body)
	}
	buku = staf.Get("/t/depok/pendanaan/subsidi?bulan=" + bulan[1])
	if !strings.Contains(buku.Body, "Rp 168.750") || !strings.Contains(buku.Body, "Terpakai Rp 168.750 dari Rp 1.000.000 (16%)") || !strings.Contains(buku.Body, ">Verifikasi<") {
		t.Fatalf("ledger after the claim:\n%s", buku.Body)
	}
	klaim := regexp.MustCompile(`action="(/t/depok/pendanaan/subsidi/klaim/[0-9a-f-]{36})/verifikasi"`).FindStringSubmatch(buku.Body)[1]
	if r := staf.Post(klaim+"/verifikasi", url.Values{"versi": {"1"}, "bulan": {bulan[1]}}); r.Status != http.StatusSeeOther {
		t.Fatalf("verify: %d\n%s", r.Status, r.Body)
	}
	if r := staf.Post(klaim+"/bayar", url.Values{"versi": {"2"}, "bulan": {bulan[1]}, "nomor_sp2d": {""}, "tanggal_sp2d": {"2026-01-01"}}); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("pay without SP2D: %d\n%s", r.Status, r.Body)
	}
}
