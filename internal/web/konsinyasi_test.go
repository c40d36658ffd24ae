package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/pemasaran"
	"github.com/sentra-id/sentra/internal/web/webtest"
)

// TestKonsinyasiPages: a galeri's listing opened from the point's stock
// page, goods received, last month's sales refused beside jumlah when more
// than on hand and then recorded, a settlement above what is owed refused
// beside jumlah; a viewer reads the stock and the late-report dashboard but
// records nothing.
func TestKonsinyasiPages(t *testing.T) {
	srv := webtest.New(t)
	ctx := context.Background()
	depok := srv.Tenants["depok"]
	u := pemasaranUMKM(t, srv, srv.PetugasKecamatan, true)
	var titik pemasaran.Titik
	var kurasi pemasaran.Kurasi
	if err := srv.Env.DB.InTenantTx(ctx, depok.ID, func(tx pgx.Tx) (err error) {
		nama, kec := "CV Mitra Galeri", srv.PetugasKecamatan
		if titik, err = srv.Pemasaran.CreateTitikTx(ctx, tx, depok, pemasaran.TitikInput{Jenis: "galeri", Nama: "Galeri UMKM Balai Kota", KecamatanKode: &kec, OperatorJenis: "mitra",
			OperatorNama: &nama, Dijaga: true, LaporKadens: "bulanan"}, pemasaran.View{}); err != nil {
			return err
		}
		p, err := srv.Pemasaran.CreateProdukTx(ctx, tx, depok, uuid.MustParse(u), pemasaran.ProdukInput{Nama: "Tas Anyaman Pandan", Kategori: "kerajinan", Harga: 85_000}, pemasaran.View{})
		if err != nil {
			return err
		}
		kurasi, err = srv.Pemasaran.KurasikanTx(ctx, tx, depok, titik.ID, pemasaran.KurasiInput{ProdukID: p.ID, Keputusan: "diterima"}, pemasaran.View{})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	staf := srv.Client(t)
	staf.Login(webtest.StafDepok)
	point := "/t/depok/pemasaran/titik/" + titik.ID.String()
	if r := staf.Get(point); !strings.Contains(r.Body, `href="`+point+`/konsinyasi"`) {
		t.Fatalf("the point page does not link its consignment")
	}
	stok := point + "/konsinyasi"
	if r := staf.Get(stok); r.Status != http.StatusOK || !strings.Contains(r.Body, "Tas Anyaman Pandan") || !strings.Contains(r.Body, "Buka buku") {
		t.Fatalf("stock page: %d", r.Status)
	}
	if r := staf.Post(stok, url.Values{"kurasi_id": {kurasi.ID.String()}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="komisi_persen-galat"`) {
		t.Fatalf("no terms: %d\n%s", r.Status, r.Body)
	}
	if r := staf.Post(stok, url.Values{"kurasi_id": {kurasi.ID.String()}, "komisi_persen": {"10"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("open: %d\n%s", r.Status, r.Body)
	}
	ledger := stok + "/" + kurasi.ID.String()
	now := time.Now().In(time.FixedZone("WIB", 7*3600))
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	mulai, selesai := first.AddDate(0, -1, 0).Format(time.DateOnly), first.AddDate(0, 0, -1).Format(time.DateOnly)
	if r := staf.Post(ledger+"/terima", url.Values{"jumlah": {"20"}, "batch": {"B-01"}, "tanggal": {mulai}}); r.Status != http.StatusSeeOther {
		t.Fatalf("terima: %d\n%s", r.Status, r.Body)
	}
	jual := url.Values{"periode_mulai": {mulai}, "periode_selesai": {selesai}, "jumlah": {"25"}, "bruto": {"2.125.000"}, "sumber": {"mandiri"}}
	r := staf.Post(ledger+"/jual", jual)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="jumlah-galat"`) || !strings.Contains(r.Body, "stok di tangan (20)") || !strings.Contains(r.Body, `value="2.125.000"`) {
		t.Fatalf("more than on hand: %d\n%s", r.Status, r.Body)
	}
	jual.Set("jumlah", "8")
	jual.Set("bruto", "680.000")
	if r := staf.Post(ledger+"/jual", jual); r.Status != http.StatusSeeOther {
		t.Fatalf("jual: %d\n%s", r.Status, r.Body)
	}
	if r := staf.Post(ledger+"/setor", url.Values{"jumlah": {"612.001"}, "nomor_bukti": {"TRF-1"}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="jumlah-galat"`) || !strings.Contains(r.Body, "Rp 612.000") {
		t.Fatalf("more than owed: %d\n%s", r.Status, r.Body)
	}
	page := staf.Get(ledger)
	for _, want := range []string{"Rp 680.000", "Rp 68.000", "Rp 612.000", "Komisi 10,00% dari penjualan", "Batch B-01", "dilaporkan pengelola"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("ledger page lacks %q", want)
		}
	}

	viewer := srv.Client(t)
	viewer.Login(webtest.ViewerDepok)
	if r := viewer.Get(stok); r.Status != http.StatusOK || strings.Contains(r.Body, "Buka buku") || !strings.Contains(r.Body, "Rp 612.000") {
		t.Errorf("viewer stock page: %d, or sees the open form", r.Status)
	}
	if r := viewer.Get(ledger); strings.Contains(r.Body, ledger+"/jual") {
		t.Errorf("viewer is offered to report sales")
	}
	if r := viewer.Post(ledger+"/terima", url.Values{"jumlah": {"5"}}); r.Status != http.StatusForbidden {
		t.Errorf("viewer receives goods: %d", r.Status)
	}
	if r := viewer.Get("/t/depok/pemasaran/konsinyasi/terlambat"); r.Status != http.StatusOK || !strings.Contains(r.Body, "CV Mitra Galeri") || !strings.Contains(r.Body, "Rp 612.000") {
		t.Errorf("dashboard: %d", r.Status)
	}
}
