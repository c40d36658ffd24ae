package pemasaran_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/pemasaran"
)

const (
	nibOK      = `{"jenis": "nib", "nomor": "9120001234567", "status": "terbit"}`
	pirtOK     = `{"jenis": "pirt", "nomor": "2063276010123-27", "status": "terbit", "berlaku_sampai": "2030-01-31T00:00:00Z"}`
	pirtExpire = `{"jenis": "pirt", "nomor": "2063276010123-22", "status": "terbit", "berlaku_sampai": "2026-12-07T00:00:00Z"}`
)

// TestGerbangHalalForMicroFoodFrom17October2026: the same micro business
// with NIB and P-IRT passes on 16 October 2026 (rule version 2: halal only
// for medium and large) and is referred on the 17th (version 3), with a
// legalitas constraint on the business for the desk.
func TestGerbangHalalForMicroFoodFrom17October2026(t *testing.T) {
	b := setup(t)
	titik := b.mustTitik(t, b.depok)
	u := b.usaha(t, b.depok, kelDepok, "mikro", "["+nibOK+","+pirtOK+"]")
	p := b.produk(t, b.depok, u, "makanan_olahan_rumah")

	b.now = time.Date(2026, 10, 16, 16, 59, 0, 0, time.UTC) // 23:59 WIB on the 16th
	k, err := b.kurasi(b.depok, titik.ID, pemasaran.KurasiInput{ProdukID: p.ID, Keputusan: "diterima"})
	if err != nil {
		t.Fatal(err)
	}
	if k.Status != pemasaran.StatusDiterima || k.AturanVersi != 2 || len(k.Gagal) != 0 || k.TanggalPutusan != "2026-10-16" {
		t.Fatalf("on 16 October: %+v", k)
	}
	// Rotate it out so it can apply again.
	if k, err = b.svc.Langkah(context.Background(), b.depok, titik.ID, k.ID, k.Version, pemasaran.KurasiLangkah{Status: "tampil"}, pemasaran.View{}); err != nil {
		t.Fatal(err)
	}
	b.now = time.Date(2026, 10, 16, 17, 0, 0, 0, time.UTC) // 00:00 WIB on the 17th
	if _, err := b.svc.Langkah(context.Background(), b.depok, titik.ID, k.ID, k.Version, pemasaran.KurasiLangkah{Status: "selesai"}, pemasaran.View{}); err != nil {
		t.Fatal(err)
	}
	k, err = b.kurasi(b.depok, titik.ID, pemasaran.KurasiInput{ProdukID: p.ID, Keputusan: "diterima"})
	if err != nil {
		t.Fatal(err)
	}
	if k.Status != pemasaran.StatusDirujuk || k.AturanVersi != 3 || len(k.Gagal) != 1 || k.Gagal[0].Dokumen != "halal" || k.KendalaID == nil {
		t.Fatalf("on 17 October: %+v", k)
	}
	if !strings.Contains(k.Gagal[0].Alasan, "halal") {
		t.Errorf("reason %q", k.Gagal[0].Alasan)
	}
	if n := b.count(t, b.depok, `select count(*) from umkm where id = $1 and 'legalitas' = any(kendala_terbuka)`, u); n != 1 {
		t.Errorf("the business has no open legalitas constraint")
	}
	if n := b.count(t, b.depok, `select count(*) from umkm_kendala where id = $1 and kategori = 'legalitas' and catatan like '%halal%'`, *k.KendalaID); n != 1 {
		t.Errorf("the constraint does not say what is missing")
	}
	// A medium business already needed it under version 2.
	b.now = time.Date(2026, 10, 16, 3, 0, 0, 0, time.UTC)
	m := b.produk(t, b.depok, b.usaha(t, b.depok, kelDepok, "menengah", "["+nibOK+","+pirtOK+"]"), "makanan_olahan_rumah")
	if k, err = b.kurasi(b.depok, titik.ID, pemasaran.KurasiInput{ProdukID: m.ID, Keputusan: "diterima"}); err != nil || k.Status != pemasaran.StatusDirujuk || k.AturanVersi != 2 {
		t.Fatalf("medium business on 16 October: %+v, %v", k, err)
	}
}

func TestGerbangExpiredPIRTAndNonFood(t *testing.T) {
	b := setup(t)
	titik := b.mustTitik(t, b.depok)
	// P-IRT valid through 7 December 2026; today is the 8th.
	p := b.produk(t, b.depok, b.usaha(t, b.depok, kelDepok, "mikro", `[`+nibOK+`,`+pirtExpire+`, {"jenis": "halal", "status": "terbit"}]`), "makanan_olahan_rumah")
	k, err := b.kurasi(b.depok, titik.ID, pemasaran.KurasiInput{ProdukID: p.ID, Keputusan: "diterima"})
	if err != nil {
		t.Fatal(err)
	}
	if k.Status != pemasaran.StatusDirujuk || len(k.Gagal) != 1 || k.Gagal[0].Dokumen != "pirt" || !strings.Contains(k.Gagal[0].Alasan, "7 Desember 2026") {
		t.Fatalf("expired P-IRT: %+v", k)
	}
	// On its last day it was still valid.
	b.now = time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)
	p2 := b.produk(t, b.depok, b.usaha(t, b.depok, kelDepok, "mikro", `[`+nibOK+`,`+pirtExpire+`, {"jenis": "halal", "status": "terbit"}]`), "makanan_olahan_rumah")
	if k, err = b.kurasi(b.depok, titik.ID, pemasaran.KurasiInput{ProdukID: p2.ID, Keputusan: "diterima"}); err != nil || k.Status != pemasaran.StatusDiterima {
		t.Fatalf("P-IRT on its last day: %+v, %v", k, err)
	}
	// A craft needs only the NIB; the NIB number on the record is enough.
	b.now = time.Date(2026, 12, 8, 3, 0, 0, 0, time.UTC)
	u := b.usaha(t, b.depok, kelDepok, "mikro", `[]`)
	craft := b.produk(t, b.depok, u, "kerajinan")
	if k, err = b.kurasi(b.depok, titik.ID, pemasaran.KurasiInput{ProdukID: craft.ID, Keputusan: "diterima"}); err != nil || k.Status != pemasaran.StatusDirujuk || k.Gagal[0].Dokumen != "nib" {
		t.Fatalf("craft without NIB: %+v, %v", k, err)
	}
	if err := b.inTx(b.depok, func(tx pgxTx) error {
		_, err := tx.Exec(context.Background(), `update umkm set nib = '9120009876543' where id = $1`, u)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if k, err = b.kurasi(b.depok, titik.ID, pemasaran.KurasiInput{ProdukID: craft.ID, Keputusan: "diterima"}); err != nil || k.Status != pemasaran.StatusDiterima || k.AturanVersi != 1 {
		t.Fatalf("craft with NIB: %+v, %v", k, err)
	}
	// Once accepted, the same product cannot apply to the same point again.
	_, err = b.kurasi(b.depok, titik.ID, pemasaran.KurasiInput{ProdukID: craft.ID, Keputusan: "diterima"})
	wantKind(t, err, apperr.KindConflict)
	// A rejection needs its reason and is kept even when the gate passes.
	_, err = b.kurasi(b.depok, titik.ID, pemasaran.KurasiInput{ProdukID: p2.ID, Keputusan: "ditolak"})
	wantField(t, err, "body.alasan")
	if k, err = b.kurasi(b.depok, titik.ID, pemasaran.KurasiInput{ProdukID: p.ID, Keputusan: "ditolak", Alasan: ptr("Kemasan bocor")}); err != nil || k.Status != pemasaran.StatusDitolak || k.KendalaID != nil {
		t.Fatalf("rejection: %+v, %v", k, err)
	}
}

func TestKurasiListingDates(t *testing.T) {
	b := setup(t)
	titik := b.mustTitik(t, b.depok)
	u := b.usaha(t, b.depok, kelDepok, "mikro", "["+nibOK+"]")
	k, err := b.kurasi(b.depok, titik.ID, pemasaran.KurasiInput{ProdukID: b.produk(t, b.depok, u, "fesyen").ID, Keputusan: "diterima"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_, err = b.svc.Langkah(ctx, b.depok, titik.ID, k.ID, k.Version, pemasaran.KurasiLangkah{Status: "selesai"}, pemasaran.View{})
	wantField(t, err, "body.status")
	_, err = b.svc.Langkah(ctx, b.depok, titik.ID, k.ID, k.Version, pemasaran.KurasiLangkah{Status: "tampil", Tanggal: ptr("2026-12-09")}, pemasaran.View{})
	wantField(t, err, "body.tanggal")
	_, err = b.svc.Langkah(ctx, b.depok, titik.ID, k.ID, k.Version+1, pemasaran.KurasiLangkah{Status: "tampil"}, pemasaran.View{})
	wantKind(t, err, apperr.KindPreconditionFailed)
	k, err = b.svc.Langkah(ctx, b.depok, titik.ID, k.ID, k.Version, pemasaran.KurasiLangkah{Status: "tampil"}, pemasaran.View{})
	if err != nil || k.Status != "tampil" || *k.TampilMulai != "2026-12-08" {
		t.Fatalf("tampil: %+v, %v", k, err)
	}
	b.now = b.now.AddDate(0, 0, 30)
	k, err = b.svc.Langkah(ctx, b.depok, titik.ID, k.ID, k.Version, pemasaran.KurasiLangkah{Status: "selesai"}, pemasaran.View{})
	if err != nil || k.Status != "selesai" || *k.TampilSelesai != "2027-01-07" {
		t.Fatalf("selesai: %+v, %v", k, err)
	}
	list, err := b.svc.ListKurasi(ctx, b.depok, titik.ID, "selesai", pemasaran.View{})
	if err != nil || len(list) != 1 {
		t.Fatalf("list: %d, %v", len(list), err)
	}
}

func TestTitikValidationAndScope(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	in := galeri()
	in.KecamatanKode, in.KelurahanKode = ptr("32.76.01"), ptr(kelMedanPasar)
	_, err := b.titik(t, b.depok, in, pemasaran.View{})
	wantField(t, err, "body.kelurahan_kode")
	in = galeri()
	in.KecamatanKode, in.KelurahanKode = ptr("12.71.01"), nil
	_, err = b.titik(t, b.depok, in, pemasaran.View{})
	wantField(t, err, "body.kecamatan_kode")
	in = galeri()
	in.Jenis = "pasar_mingguan"
	_, err = b.titik(t, b.depok, in, pemasaran.View{})
	wantField(t, err, "body.jadwal.mingguan")
	in.Jadwal.Mingguan = []pemasaran.TitikJadwalMingguan{{Hari: 7, Mulai: "12:00", Selesai: "07:00"}}
	_, err = b.titik(t, b.depok, in, pemasaran.View{})
	wantField(t, err, "body.jadwal.mingguan[0].selesai")
	in.Jadwal.Mingguan[0].Mulai, in.Jadwal.Mingguan[0].Selesai = "06:00", "10:00"
	in.OperatorJenis = "mitra"
	_, err = b.titik(t, b.depok, in, pemasaran.View{})
	wantField(t, err, "body.operator_nama")
	in.OperatorNama = ptr("Paguyuban Pedagang Pasar Minggu")
	p, err := b.titik(t, b.depok, in, pemasaran.View{})
	if err != nil || p.Jadwal.Mingguan[0].Hari != 7 || *p.OperatorNama != "Paguyuban Pedagang Pasar Minggu" || *p.KecamatanNama == "" {
		t.Fatalf("create: %+v, %v", p, err)
	}
	if n := b.count(t, b.depok, `select count(*) from titik`); n != 1 {
		t.Fatalf("%d points written by refused creates", n)
	}
	// Stale version; another office; a petugas of another kecamatan.
	in.Nama = "Pasar Minggu Pagi"
	_, err = b.svc.UpdateTitik(ctx, b.depok, p.ID, p.Version+1, in, pemasaran.View{})
	wantKind(t, err, apperr.KindPreconditionFailed)
	_, err = b.svc.GetTitik(ctx, b.medan, p.ID, pemasaran.View{})
	wantKind(t, err, apperr.KindNotFound)
	lain := pemasaran.View{Wilayah: []string{"32.76.02"}}
	_, err = b.svc.GetTitik(ctx, b.depok, p.ID, lain)
	wantKind(t, err, apperr.KindNotFound)
	_, err = b.svc.UpdateTitik(ctx, b.depok, p.ID, p.Version, in, lain)
	wantKind(t, err, apperr.KindNotFound)
	_, err = b.titik(t, b.depok, galeri(), lain)
	wantField(t, err, "body.kecamatan_kode")
	own := pemasaran.View{Wilayah: []string{kecDepok}}
	if p, err = b.svc.UpdateTitik(ctx, b.depok, p.ID, p.Version, in, own); err != nil || p.Nama != "Pasar Minggu Pagi" {
		t.Fatalf("update by the kecamatan's petugas: %+v, %v", p, err)
	}
	page, err := b.svc.ListTitik(ctx, b.depok, pemasaran.TitikFilter{Jenis: "pasar_mingguan"}, lain)
	if err != nil || len(page.Items) != 0 {
		t.Fatalf("another kecamatan's petugas lists %d, %v", len(page.Items), err)
	}
	page, err = b.svc.ListTitik(ctx, b.depok, pemasaran.TitikFilter{Q: "pasar mingu"}, pemasaran.View{})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("search lists %d, %v", len(page.Items), err)
	}
	_, err = b.svc.ListTitik(ctx, b.depok, pemasaran.TitikFilter{Jenis: "toko"}, pemasaran.View{})
	wantField(t, err, "query.jenis")
}

// TestFoto: a PNG named .jpg is kept as PNG (names are never read); a text
// file named .png and a JPEG declared as PNG are refused naming the field;
// 3 MB is refused after reading no more than the limit, and nothing is
// stored.
func TestFoto(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	p := b.produk(t, b.depok, b.usaha(t, b.depok, kelDepok, "mikro", "[]"), "kerajinan")
	// The browser declares image/jpeg for "produk.jpg"; the web form passes
	// no declared type (it comes from the name); the API's octet-stream is
	// no declaration either.
	f, err := b.svc.AddFoto(ctx, b.depok, p.ID, pngBytes(t), "application/octet-stream", "foto", pemasaran.View{})
	if err != nil || f.Tipe != "image/png" {
		t.Fatalf("PNG: %+v, %v", f, err)
	}
	tipe, body, err := b.svc.Foto(ctx, b.depok, p.ID, f.ID, pemasaran.View{})
	if err != nil || tipe != "image/png" || !bytes.Equal(body, pngBytes(t)) {
		t.Fatalf("served %s, %d bytes, %v", tipe, len(body), err)
	}
	_, err = b.svc.AddFoto(ctx, b.depok, p.ID, []byte("ini bukan gambar, hanya teks bernama foto.png\n"), "", "foto", pemasaran.View{})
	if msg := wantField(t, err, "foto"); !strings.Contains(msg, "bukan gambar") {
		t.Errorf("text file: %q", msg)
	}
	_, err = b.svc.AddFoto(ctx, b.depok, p.ID, jpegBytes(t), "image/png", "foto", pemasaran.View{})
	if msg := wantField(t, err, "foto"); !strings.Contains(msg, "image/png") || !strings.Contains(msg, "image/jpeg") {
		t.Errorf("declared PNG, JPEG content: %q", msg)
	}
	if f, err := b.svc.AddFoto(ctx, b.depok, p.ID, jpegBytes(t), "image/jpeg", "foto", pemasaran.View{}); err != nil || f.Tipe != "image/jpeg" {
		t.Fatalf("JPEG: %+v, %v", f, err)
	}
	big := &countingReader{r: io.MultiReader(bytes.NewReader(jpegBytes(t)), bytes.NewReader(make([]byte, 3<<20)))}
	_, err = pemasaran.ReadFoto(big, "foto")
	if msg := wantField(t, err, "foto"); !strings.Contains(msg, "2 MB") {
		t.Errorf("3 MB: %q", msg)
	}
	if big.n > pemasaran.MaxFotoBytes+1 {
		t.Errorf("read %d bytes of a 3 MB upload", big.n)
	}
	if n := b.count(t, b.depok, `select count(*) from produk_foto`); n != 2 {
		t.Errorf("%d photos stored, want the PNG and the JPEG", n)
	}
	// Another office and a petugas of another kecamatan cannot fetch it.
	if _, _, err := b.svc.Foto(ctx, b.medan, p.ID, f.ID, pemasaran.View{}); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("another office: %v", err)
	}
	if _, _, err := b.svc.Foto(ctx, b.depok, p.ID, f.ID, pemasaran.View{Wilayah: []string{"32.76.02"}}); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("another kecamatan: %v", err)
	}
	got, err := b.svc.GetProduk(ctx, b.depok, p.ID, pemasaran.View{})
	if err != nil || len(got.Foto) != 2 {
		t.Fatalf("product: %+v, %v", got, err)
	}
	if _, err := b.svc.GetProduk(ctx, b.medan, p.ID, pemasaran.View{}); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("another office's product: %v", err)
	}
}

func TestProdukValidation(t *testing.T) {
	b := setup(t)
	u := b.usaha(t, b.depok, kelDepok, "mikro", "[]")
	err := b.inTx(b.depok, func(tx pgxTx) error {
		_, err := b.svc.CreateProdukTx(context.Background(), tx, b.depok, u, pemasaran.ProdukInput{Nama: " ", Kategori: "obat", Harga: -1}, pemasaran.View{})
		return err
	})
	wantField(t, err, "body.nama")
	wantField(t, err, "body.kategori")
	wantField(t, err, "body.harga")
	medan := b.usaha(t, b.medan, kelMedanPasar, "mikro", "[]")
	err = b.inTx(b.depok, func(tx pgxTx) error {
		_, err := b.svc.CreateProdukTx(context.Background(), tx, b.depok, medan, pemasaran.ProdukInput{Nama: "Bolu", Kategori: "lainnya"}, pemasaran.View{})
		return err
	})
	wantKind(t, err, apperr.KindNotFound)
	if _, err := b.svc.ListProduk(context.Background(), b.depok, uuid.Must(uuid.NewV7()), pemasaran.View{}); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("a missing business's products: %v", err)
	}
}

// TestSniffFotoWebP: a WebP is kept as WebP, declared or not; a GIF is
// an image but not one of the kinds kept.
func TestSniffFotoWebP(t *testing.T) {
	webp, err := base64.StdEncoding.DecodeString("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==") // 1×1 lossless
	if err != nil {
		t.Fatal(err)
	}
	for _, declared := range []string{"", "image/webp", "application/octet-stream"} {
		if tipe, err := pemasaran.SniffFoto(webp, declared, "foto"); err != nil || tipe != "image/webp" {
			t.Errorf("WebP declared %q: %s, %v", declared, tipe, err)
		}
	}
	_, err = pemasaran.SniffFoto([]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), "", "foto")
	wantField(t, err, "foto")
	_, err = pemasaran.SniffFoto(webp, "image/jpeg; charset=binary", "foto")
	wantField(t, err, "foto")
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// TestKurasiRaceOneWins: two curators accepting the same product for the
// same point at once: one listing, the other 409, no second row.
func TestKurasiRaceOneWins(t *testing.T) {
	b := setup(t)
	titik := b.mustTitik(t, b.depok)
	p := b.produk(t, b.depok, b.usaha(t, b.depok, kelDepok, "mikro", "["+nibOK+"]"), "fesyen")
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := b.kurasi(b.depok, titik.ID, pemasaran.KurasiInput{ProdukID: p.ID, Keputusan: "diterima"})
			errs <- err
		}()
	}
	var ok, conflict int
	for range 2 {
		switch err := <-errs; {
		case err == nil:
			ok++
		case apperr.KindOf(err) == apperr.KindConflict:
			conflict++
		default:
			t.Errorf("unexpected: %v", err)
		}
	}
	if ok != 1 || conflict != 1 {
		t.Errorf("%d accepted, %d conflicts", ok, conflict)
	}
	if n := b.count(t, b.depok, `select count(*) from titik_kurasi where produk_id = $1`, p.ID); n != 1 {
		t.Errorf("%d listings", n)
	}
}
