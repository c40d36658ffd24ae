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
	// Not complete without its papers: 409 in words naming them, and the
	// page lists what is missing.
	if r := staf.Post(loc+"/tahap", url.Values{"versi": {versi}, "tahap": {"lengkap"}}); r.Status != http.StatusConflict ||
		!strings.Contains(r.Body, "Rekomendasi RT, Rekomendasi RW, Rekomendasi kelurahan belum dicatat") || !strings.Contains(r.Body, "Syarat yang belum terpenuhi (6)") {
		t.Fatalf("to lengkap without papers: %d\n%s", r.Status, r.Body)
	}
	bk := regexp.MustCompile(`name="kunci" value="([0-9a-f-]{36})"`).FindStringSubmatch(page.Body)
	if bk == nil || !strings.Contains(page.Body, `<option value="sertifikat_pkm">Sertifikat pelatihan PKM</option>`) {
		t.Fatalf("paper form:\n%s", page.Body)
	}
	// A member's paper without its member: beside the field, as typed.
	if r := staf.Post(loc+"/berkas", url.Values{"kunci": {bk[1]}, "jenis": {"kk"}, "catatan": {"dilihat aslinya"}}); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, `id="berkas-umkm_id-galat"`) || !strings.Contains(r.Body, `value="dilihat aslinya"`) || !strings.Contains(r.Body, `<option value="kk" selected>`) {
		t.Fatalf("paper without its member: %d\n%s", r.Status, r.Body)
	}
	if r := staf.Post(loc+"/berkas", url.Values{"kunci": {bk[1]}, "jenis": {"pengurus_rumah_ibadah"}, "nomor": {"12/DKM/2025"}, "tanggal": {"2025-01-02"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("paper: %d\n%s", r.Status, r.Body)
	}
	if r := viewer.Post(loc+"/berkas", url.Values{"jenis": {"rt"}}); r.Status != http.StatusForbidden {
		t.Fatalf("viewer records a paper: %d", r.Status)
	}
	srv.BerkasKelompok(t, uuid.MustParse(pengajuanLink.FindStringSubmatch(loc)[1]))
	page = staf.Get(loc)
	if !strings.Contains(page.Body, "Semua syarat skema sudah terpenuhi") || !strings.Contains(page.Body, "12/DKM/2025") {
		t.Fatalf("page with all papers:\n%s", page.Body)
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

// TestPendanaanSubsidyGatesOnThePage: an interest-subsidy application's
// page names the missing NIB in plain words; the lengkap step takes the
// declarations as checkboxes and is refused naming the NIB; a NIB paper of
// 12 digits is refused beside its field, one of 13 recorded; the disurvei
// step asks the bank's SLIK result beside its field.
func TestPendanaanSubsidyGatesOnThePage(t *testing.T) {
	srv := webtest.New(t)
	staf := srv.Client(t)
	staf.Login(webtest.StafDepok)
	p := srv.SubsidiDiajukan(t, "Toko Gerbang")
	loc := "/t/depok/pendanaan/pengajuan/" + p.ID.String()
	page := staf.Get(loc)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, "NIB (13 digit): belum ada") ||
		!strings.Contains(page.Body, `name="pernyataan_bukan_asn" value="ya"`) || !strings.Contains(page.Body, "Prioritas — Pernah mengikuti pelatihan Pemkot: belum") {
		t.Fatalf("page: %d\n%s", page.Status, page.Body)
	}
	versi := versiField.FindStringSubmatch(page.Body)[1]
	kunci := regexp.MustCompile(`name="kunci" value="([0-9a-f-]{36})"`).FindStringSubmatch(page.Body)[1]
	lengkap := url.Values{"versi": {versi}, "tahap": {"lengkap"}, "pernyataan_bukan_asn": {"ya"}, "pernyataan_tanpa_kredit_macet": {"ya"}}
	r := staf.Post(loc+"/tahap", lengkap)
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, "NIB (13 digit)") || strings.Count(r.Body, `value="ya" checked`) != 2 ||
		strings.Contains(r.Body, "Syarat yang belum terpenuhi: Pernyataan") {
		t.Fatalf("lengkap without a NIB: %d\n%s", r.Status, r.Body)
	}
	r = staf.Post(loc+"/berkas", url.Values{"kunci": {kunci}, "jenis": {"nib"}, "nomor": {"912030000001"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="berkas-nomor-galat"`) || !strings.Contains(r.Body, "13 digit angka") ||
		!strings.Contains(r.Body, `value="912030000001"`) {
		t.Fatalf("12-digit NIB: %d\n%s", r.Status, r.Body)
	}
	if r = staf.Post(loc+"/berkas", url.Values{"kunci": {kunci}, "jenis": {"nib"}, "nomor": {"9120300000012"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("13-digit NIB: %d\n%s", r.Status, r.Body)
	}
	if again := staf.Post(loc+"/berkas", url.Values{"kunci": {kunci}, "jenis": {"nib"}, "nomor": {"9120300000012"}}); again.Status != http.StatusSeeOther {
		t.Fatalf("the same form twice: %d\n%s", again.Status, again.Body)
	}
	if n := srv.Count(t, `select count(*) from pengajuan_dana_berkas where jenis = 'nib'`); n != 1 {
		t.Fatalf("%d NIB papers", n)
	}
	if r = staf.Post(loc+"/tahap", lengkap); r.Status != http.StatusSeeOther {
		t.Fatalf("lengkap: %d\n%s", r.Status, r.Body)
	}
	page = staf.Get(loc)
	versi = versiField.FindStringSubmatch(page.Body)[1]
	if r = staf.Post(loc+"/tahap", url.Values{"versi": {versi}, "tahap": {"dikirim_bank"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("dikirim_bank: %d\n%s", r.Status, r.Body)
	}
	page = staf.Get(loc)
	versi = versiField.FindStringSubmatch(page.Body)[1]
	if !strings.Contains(page.Body, `name="slik"`) || !strings.Contains(page.Body, "<dt>Pernyataan</dt><dd>bukan ASN; tidak punya kredit bermasalah</dd>") {
		t.Fatalf("disurvei form:\n%s", page.Body)
	}
	if r = staf.Post(loc+"/tahap", url.Values{"versi": {versi}, "tahap": {"disurvei"}}); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, `id="disurvei-slik-galat"`) {
		t.Fatalf("disurvei without SLIK: %d\n%s", r.Status, r.Body)
	}
	if r = staf.Post(loc+"/tahap", url.Values{"versi": {versi}, "tahap": {"disurvei"}, "slik": {"bersih"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("disurvei: %d\n%s", r.Status, r.Body)
	}
	if page = staf.Get(loc); !strings.Contains(page.Body, "<dt>Hasil SLIK</dt><dd>Bersih</dd>") || !strings.Contains(page.Body, "Semua syarat skema sudah terpenuhi") {
		t.Fatalf("after the survey:\n%s", page.Body)
	}
}
