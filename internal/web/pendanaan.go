package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/pendanaan"
	"github.com/sentra-id/sentra/internal/umkm"
)

// Funding pages (pendanaan): the pipeline as a board, an application with
// its stages and the steps it may take, the Kredit Mesra group form, and
// the interest-subsidy ledger of a month with its claims and the budget.
// Each calls the service the API calls, under the same permission.

func (a *App) pendanaanRoutes() {
	a.kantor("GET /t/{tenant}/pendanaan", "view-papan-dana", a.papanDana)
	a.kantor("GET /t/{tenant}/pendanaan/pengajuan/{id}", "get-pengajuan-dana", a.pengajuanDana)
	a.kantor("POST /t/{tenant}/pendanaan/pengajuan/{id}/tahap", "update-pengajuan-dana-tahap", a.langkahDana)
	a.kantor("POST /t/{tenant}/pendanaan/pengajuan/{id}/berkas", "create-pengajuan-dana-berkas", a.catatBerkas)
	a.kantor("GET /t/{tenant}/pendanaan/skema", "list-skema-dana", a.skemaDana)
	a.kantor("POST /t/{tenant}/pendanaan/skema", "update-skema-dana", a.ubahPagu)
	a.kantor("GET /t/{tenant}/pendanaan/baru", "create-pengajuan-dana", a.baruDana)
	a.kantor("POST /t/{tenant}/pendanaan/baru", "create-pengajuan-dana", a.ajukanDana)
	a.kantor("GET /t/{tenant}/pendanaan/kelompok", "create-pengajuan-dana", a.kelompokForm)
	a.kantor("POST /t/{tenant}/pendanaan/kelompok", "create-pengajuan-dana", a.ajukanKelompok)
	a.kantor("GET /t/{tenant}/pendanaan/subsidi", "list-subsidi-bunga", a.bukuSubsidi)
	a.kantor("POST /t/{tenant}/pendanaan/subsidi", "create-subsidi-bunga", a.catatSubsidi)
	a.kantor("POST /t/{tenant}/pendanaan/subsidi/klaim", "create-klaim-subsidi", a.buatKlaim)
	a.kantor("POST /t/{tenant}/pendanaan/subsidi/klaim/{klaim_id}/verifikasi", "verify-klaim-subsidi", a.verifikasiKlaim)
	a.kantor("POST /t/{tenant}/pendanaan/subsidi/klaim/{klaim_id}/bayar", "pay-klaim-subsidi", a.bayarKlaim)
}

// danaView is how much personal data the caller sees (the register's
// read-pii), as the API decides it.
func (a *App) danaView(q *Permintaan) (pendanaan.View, error) {
	_, v, err := umkm.Access(q.ctx, a.Authz, q.P, q.T)
	return pendanaan.View{PII: v.PII}, err
}

var jenisDana = map[string]string{
	pendanaan.JenisSubsidiBunga: "Subsidi bunga", pendanaan.JenisKreditMesra: "Kredit Mesra",
	pendanaan.JenisKUR: "KUR (rujukan)", pendanaan.JenisHibah: "Hibah",
}

// labelsDana are the words of the funding pages, for the templates.
type labelsDana struct{}

func (labelsDana) NamaTahap(t string) string  { return label(pendanaan.NamaTahap, t) }
func (labelsDana) NamaJenis(j string) string  { return label(jenisDana, j) }
func (labelsDana) NamaAlasan(a string) string { return label(pendanaan.NamaAlasan, a) }
func (labelsDana) NamaBerkas(j string) string { return label(pendanaan.NamaBerkas, j) }

// NamaSLIK is the bank's SLIK result in words ("" when not recorded).
func (labelsDana) NamaSLIK(s *string) string {
	if s == nil {
		return ""
	}
	return label(map[string]string{pendanaan.SLIKBersih: "Bersih", pendanaan.SLIKBermasalah: "Bermasalah"}, *s)
}

// Ya is a declaration that was made (given and true).
func (labelsDana) Ya(b *bool) bool { return b != nil && *b }

// Durasi is a time in a stage as an office says it: "3 hari", "5 jam".
func (labelsDana) Durasi(detik int64) string {
	switch {
	case detik >= 86400:
		return format.Angka(detik/86400) + " hari"
	case detik >= 3600:
		return format.Angka(detik/3600) + " jam"
	default:
		return format.Angka(max(1, detik/60)) + " menit"
	}
}

// papanView is the pipeline board.
type papanView struct {
	Halaman
	labelsDana
	Jenis     string
	JenisOpsi []Opsi
	Kolom     []pendanaan.Kolom
}

func (a *App) papanDana(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	jenis := r.URL.Query().Get("jenis")
	if _, ok := jenisDana[jenis]; jenis != "" && !ok {
		return apperr.InvalidField("query.jenis", jenis, apperr.T("Jenis skema tidak dikenal.", "Unknown kind of scheme."))
	}
	v, err := a.danaView(q)
	if err != nil {
		return err
	}
	cols, err := a.Pendanaan.Board(q.ctx, q.T, jenis, 20, v)
	if err != nil {
		return err
	}
	// Columns of stages this kind never has are left out (a KUR referral
	// has no akad, the others are never "dirujuk").
	var shown []pendanaan.Kolom
	for _, k := range cols {
		if k.Jumlah > 0 || jenis == "" && k.Tahap != pendanaan.TahapDirujuk || jenis != "" && stageOf(jenis, k.Tahap) {
			shown = append(shown, k)
		}
	}
	a.render(w, r, http.StatusOK, &papanView{Halaman: q.Halaman("Pendanaan", "pendanaan"), Jenis: jenis,
		JenisOpsi: opsi([]string{pendanaan.JenisSubsidiBunga, pendanaan.JenisKreditMesra, pendanaan.JenisKUR, pendanaan.JenisHibah}, jenisDana), Kolom: shown})
	return nil
}

// stageOf reports whether applications of kind jenis pass through tahap.
func stageOf(jenis, tahap string) bool {
	if tahap == pendanaan.TahapDirujuk || tahap == pendanaan.TahapDiajukan {
		return (jenis == pendanaan.JenisKUR) == (tahap == pendanaan.TahapDirujuk)
	}
	for _, from := range pendanaan.Papan {
		if slices.Contains(pendanaan.Berikutnya(jenis, from), tahap) {
			return true
		}
	}
	return false
}

// pengajuanView is one application with the forms of its next steps.
type pengajuanView struct {
	Halaman
	labelsDana
	P      pendanaan.Pengajuan
	Alasan []Opsi
	Galat  map[string]string
	Pesan  string     // a conflict or stale version, in words
	Isi    url.Values // what was typed in a refused step
	Gagal  string     // the step that was refused
	// The paper form: its key (Idempotency-Key), what was typed and the
	// messages beside its fields when it was refused.
	BerkasKunci string
	BerkasIsi   url.Values
	BerkasGalat map[string]string
}

// BerkasIsian is field nama of the paper form with its message.
func (v *pengajuanView) BerkasIsian(nama string) Isian {
	return Isian{Nama: "berkas-" + nama, Pesan: v.BerkasGalat[nama]}
}

// BerkasNilai is what was typed in field nama of a refused paper form.
func (v *pengajuanView) BerkasNilai(nama string) string { return v.BerkasIsi.Get(nama) }

// AnggotaNama is the business name of the group's member id.
func (v *pengajuanView) AnggotaNama(id *uuid.UUID) string {
	if id == nil {
		return ""
	}
	for _, m := range v.P.Anggota {
		if m.UMKMID == *id {
			return m.NamaUsaha
		}
	}
	return ""
}

// BerkasTerbuka reports whether papers may still be recorded: before the
// decision, in a scheme that lists papers.
func (v *pengajuanView) BerkasTerbuka() bool {
	return len(v.P.JenisBerkas) > 0 && slices.Contains([]string{pendanaan.TahapDiajukan, pendanaan.TahapLengkap,
		pendanaan.TahapDikirimBank, pendanaan.TahapDisurvei}, v.P.Tahap)
}

// Versi is the version the step forms were shown at (If-Match).
func (v *pengajuanView) Versi() string { return strconv.FormatInt(v.P.Version, 10) }

// Nilai is what was typed in field nama of step tahap, kept on a refusal.
func (v *pengajuanView) Nilai(tahap, nama string) string {
	if v.Gagal != tahap {
		return ""
	}
	return v.Isi.Get(nama)
}

// Isian is field nama of step tahap with its message, if it was refused.
func (v *pengajuanView) Isian(tahap, nama string) Isian {
	if v.Gagal != tahap {
		return Isian{Nama: tahap + "-" + nama}
	}
	return Isian{Nama: tahap + "-" + nama, Pesan: v.Galat[nama]}
}

func (a *App) pengajuanOf(r *http.Request, q *Permintaan) (pendanaan.Pengajuan, error) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return pendanaan.Pengajuan{}, apperr.NotFound()
	}
	v, err := a.danaView(q)
	if err != nil {
		return pendanaan.Pengajuan{}, err
	}
	return a.Pendanaan.Get(q.ctx, q.T, id, v)
}

func (a *App) pengajuanDana(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	p, err := a.pengajuanOf(r, q)
	if err != nil {
		return err
	}
	a.render(w, r, http.StatusOK, a.pengajuanPage(q, p))
	return nil
}

func (a *App) pengajuanPage(q *Permintaan, p pendanaan.Pengajuan) *pengajuanView {
	return &pengajuanView{Halaman: q.Halaman("Pengajuan "+p.Pemohon, "pendanaan"), P: p,
		Alasan: opsi(pendanaan.AlasanTolak, pendanaan.NamaAlasan), Galat: map[string]string{},
		BerkasKunci: uuid.NewString(), BerkasIsi: url.Values{}, BerkasGalat: map[string]string{}}
}

// catatBerkas records a paper of the application as the API's
// create-pengajuan-dana-berkas does, once per form (its key); a refusal
// shows the page again with what was typed and the messages beside the
// fields.
func (a *App) catatBerkas(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	p, err := a.pengajuanOf(r, q)
	if err != nil {
		return err
	}
	f, err := readForm(w, r)
	if err != nil {
		return err
	}
	in := pendanaan.BerkasInput{Jenis: strings.TrimSpace(f.Get("jenis")), UMKMID: formPtr(f, "umkm_id"), Nomor: formPtr(f, "nomor"),
		Tanggal: formPtr(f, "tanggal"), Catatan: formPtr(f, "catatan")}
	v, err := a.danaView(q)
	if err != nil {
		return err
	}
	kunci := f.Get("kunci")
	if _, err := uuid.Parse(kunci); err != nil {
		kunci = ""
	}
	_, err = a.once(q, kunci, "create-pengajuan-dana-berkas (web)", in, http.StatusCreated, func(tx pgx.Tx) (uuid.UUID, string, error) {
		b, err := a.Pendanaan.CreateBerkasTx(q.ctx, tx, q.T, p.ID, in, v)
		return b.ID, pendanaan.Path(q.T.Slug, p.ID), err
	})
	if err == nil {
		http.Redirect(w, r, "/t/"+q.T.Slug+"/pendanaan/pengajuan/"+p.ID.String(), http.StatusSeeOther)
		return nil
	}
	ae, ok := apperr.As(err)
	status, shown := refusedStatus(ae)
	if !ok || !shown {
		return err
	}
	if p, err = a.Pendanaan.Get(q.ctx, q.T, p.ID, v); err != nil {
		return err
	}
	page := a.pengajuanPage(q, p)
	page.BerkasKunci, page.BerkasIsi, page.BerkasGalat, page.Pesan = kunci, f, fieldErrors(ae, nil), ae.Message.ID
	if page.BerkasKunci == "" || ae.Kind == apperr.KindInvalid {
		page.BerkasKunci = uuid.NewString() // a corrected form is another request
	}
	a.render(w, r, status, page)
	return nil
}

// langkahDana moves an application to the step its form names, as the
// API's update-pengajuan-dana-tahap does; a refusal shows the page again
// with what was typed and the reason beside the field.
func (a *App) langkahDana(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	p, err := a.pengajuanOf(r, q)
	if err != nil {
		return err
	}
	f, err := readForm(w, r)
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(f.Get("versi"), 10, 64)
	in := pendanaan.LangkahInput{Tahap: f.Get("tahap"), AlasanTolak: formPtr(f, "alasan_tolak"), NomorAkad: formPtr(f, "nomor_akad"),
		TanggalAkad: formPtr(f, "tanggal_akad"), NomorSK: formPtr(f, "nomor_sk"), TanggalSK: formPtr(f, "tanggal_sk"), Catatan: formPtr(f, "catatan"),
		PernyataanBukanASN: formCentang(f, "pernyataan_bukan_asn"), PernyataanTanpaKreditMacet: formCentang(f, "pernyataan_tanpa_kredit_macet"),
		SLIK: formPtr(f, "slik")}
	v, err := a.danaView(q)
	if err != nil {
		return err
	}
	if _, err = a.Pendanaan.Langkah(q.ctx, q.T, p.ID, version, in, v); err == nil {
		http.Redirect(w, r, "/t/"+q.T.Slug+"/pendanaan/pengajuan/"+p.ID.String(), http.StatusSeeOther)
		return nil
	}
	ae, ok := apperr.As(err)
	if _, shown := refusedStatus(ae); !ok || !shown {
		return err
	}
	// The page as it is now, with the refused step's words.
	if p, err = a.Pendanaan.Get(q.ctx, q.T, p.ID, v); err != nil {
		return err
	}
	page := a.pengajuanPage(q, p)
	page.Isi, page.Gagal, page.Galat, page.Pesan = f, in.Tahap, fieldErrors(ae, nil), ae.Message.ID
	status, _ := refusedStatus(ae)
	if ae.Kind == apperr.KindPreconditionFailed {
		page.Pesan = "Pengajuan ini sudah diubah orang lain sejak halaman dibuka. Periksa tahapnya sekarang, lalu ulangi bila perlu."
	}
	a.render(w, r, status, page)
	return nil
}

// refusedStatus is the status of a form the service refused in words the
// page shows beside it (bad input, a conflict, a stale version); shown is
// false for what the error page answers instead.
func refusedStatus(ae *apperr.Error) (status int, shown bool) {
	if ae == nil {
		return 0, false
	}
	switch ae.Kind {
	case apperr.KindInvalid:
		return http.StatusUnprocessableEntity, true
	case apperr.KindConflict:
		return http.StatusConflict, true
	case apperr.KindPreconditionFailed:
		return http.StatusPreconditionFailed, true
	}
	return 0, false
}

func readForm(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return nil, apperr.Invalid(textBadForm)
	}
	return r.PostForm, nil
}

// formCentang is a ticked checkbox as true; unticked is not given.
func formCentang(f url.Values, name string) *bool {
	if f.Get(name) == "" {
		return nil
	}
	t := true
	return &t
}

// formPtr is a form field, nil when blank.
func formPtr(f url.Values, name string) *string {
	s := strings.TrimSpace(f.Get(name))
	if s == "" {
		return nil
	}
	return &s
}

// kelompokView is the Kredit Mesra group form: the businesses of one
// desa/kelurahan to pick 5–10 of (a group lives in one neighbourhood and
// is recommended by its RT, RW and kelurahan), each with its amount.
type kelompokView struct {
	Halaman
	Kelurahan     string
	KelurahanGrup []Grup
	Calon         []umkm.Record
	Dipilih       map[string]bool
	Plafon        map[string]string
	Nama, Tenor   string
	Kunci         string // the form's Idempotency-Key
	Galat         map[string]string
	Pesan         string
	Lebih         bool // the desa/kelurahan has more businesses than shown
}

// maxCalon is how many businesses of a desa/kelurahan the form lists.
const maxCalon = 200

// Pilih reports whether business id is ticked.
func (v *kelompokView) Pilih(id uuid.UUID) bool { return v.Dipilih[id.String()] }

// PlafonOf is the amount typed for business id.
func (v *kelompokView) PlafonOf(id uuid.UUID) string { return v.Plafon[id.String()] }

func (a *App) kelompokForm(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	v, err := a.kelompokPage(q, r.URL.Query().Get("kelurahan"))
	if err != nil {
		return err
	}
	v.Kunci, v.Tenor = uuid.NewString(), "12"
	a.render(w, r, http.StatusOK, v)
	return nil
}

func (a *App) kelompokPage(q *Permintaan, kel string) (*kelompokView, error) {
	reg, err := a.wilayah(q)
	if err != nil {
		return nil, err
	}
	v := &kelompokView{Halaman: q.Halaman("Pengajuan kelompok Kredit Mesra", "pendanaan"), KelurahanGrup: reg.grup,
		Dipilih: map[string]bool{}, Plafon: map[string]string{}, Galat: map[string]string{}}
	if _, ok := reg.induk[kel]; !ok {
		return v, nil
	}
	v.Kelurahan = kel
	sc, view, err := umkm.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return nil, err
	}
	page, err := a.UMKM.List(q.ctx, q.T, umkm.Filter{Kelurahan: kel, Limit: maxCalon}, sc, view)
	if err != nil {
		return nil, err
	}
	v.Calon, v.Lebih = page.Items, page.NextCursor != ""
	return v, nil
}

// ajukanKelompok files the group's application as the API's
// create-pengajuan-dana does, once per form (its key).
func (a *App) ajukanKelompok(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	f, err := readForm(w, r)
	if err != nil {
		return err
	}
	page, err := a.kelompokPage(q, f.Get("kelurahan"))
	if err != nil {
		return err
	}
	page.Nama, page.Tenor, page.Kunci = f.Get("nama_kelompok"), f.Get("tenor_bulan"), f.Get("kunci")
	in := pendanaan.PengajuanInput{Skema: "kredit_mesra", NamaKelompok: formPtr(f, "nama_kelompok"), Catatan: formPtr(f, "catatan")}
	if t, err := strconv.Atoi(page.Tenor); err == nil {
		in.TenorBulan = &t
	}
	var order []string // form index → member, for the messages
	for _, id := range f["anggota"] {
		page.Dipilih[id] = true
		raw := strings.TrimSpace(f.Get("plafon-" + id))
		page.Plafon[id] = raw
		n, err := parseRupiah(raw)
		if err != nil {
			page.Galat["plafon-"+id] = "Tulis jumlah dalam rupiah, tanpa titik atau dengan titik ribuan (2.000.000)."
		}
		in.Anggota = append(in.Anggota, pendanaan.AnggotaKelompokInput{UMKMID: id, Plafon: n})
		order = append(order, id)
	}
	if len(page.Galat) > 0 {
		page.Pesan = "Periksa isian yang ditandai."
		a.render(w, r, http.StatusUnprocessableEntity, page)
		return nil
	}
	id, err := a.fileDana(q, page.Kunci, in)
	if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindInvalid {
		for _, fe := range ae.Fields {
			name := strings.TrimPrefix(fe.Location, "body.")
			var i int
			var field string
			if n, _ := fmt.Sscanf(name, "anggota[%d].%s", &i, &field); n == 2 && i < len(order) {
				name = field + "-" + order[i] // beside the member's row
				if field == "umkm_id" {
					name = "anggota-" + order[i]
				}
			}
			if _, seen := page.Galat[name]; !seen {
				page.Galat[name] = fe.Message.ID
			}
		}
		page.Pesan = ae.Message.ID
		if msg, ok := page.Galat["anggota"]; ok {
			page.Pesan = msg
		}
		a.render(w, r, http.StatusUnprocessableEntity, page)
		return nil
	}
	return a.toPengajuan(w, r, q, id, err)
}

// parseRupiah reads an amount as an office types it: 2000000 or 2.000.000.
func parseRupiah(s string) (int64, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "Rp")
	return strconv.ParseInt(strings.ReplaceAll(strings.TrimSpace(s), ".", ""), 10, 64)
}

// bukuView is the ledger of a month: its rows and totals, the year's
// budget as a bar, the month's claims with their next steps, and the
// forms to record a month and to make a bank's claim.
type bukuView struct {
	Halaman
	B       pendanaan.Buku
	Bank    string
	Debitur []pendanaan.Pengajuan // active loans, for recording a month
	Galat   map[string]string
	Pesan   string
	Isi     url.Values
}

// PaguPersen is the share of the year's ceiling used, 0–100.
func (v *bukuView) PaguPersen() int {
	if v.B.Pagu.Pagu <= 0 {
		return 0
	}
	return int(min(100, v.B.Pagu.Terpakai*100/v.B.Pagu.Pagu))
}

// BulanLabel is the month in words: Mei 2025.
func (v *bukuView) BulanLabel() string {
	return format.Bulan(v.B.Bulan)
}

// Banks are the banks of the month's rows, for the claim form.
func (v *bukuView) Banks() []string {
	var out []string
	for _, r := range v.B.Items {
		if r.KlaimID == nil && !slices.Contains(out, r.Bank) {
			out = append(out, r.Bank)
		}
	}
	return out
}

// StatusKlaim is a claim's status in words.
func (v *bukuView) StatusKlaim(s string) string {
	return label(map[string]string{"diajukan": "Diajukan bank", "diverifikasi": "Diverifikasi", "dibayar": "Dibayar"}, s)
}

// Versi is a claim's version for its step forms.
func (v *bukuView) Versi(k pendanaan.Klaim) string { return strconv.FormatInt(k.Version, 10) }

func (a *App) bukuSubsidi(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	in := r.URL.Query()
	return a.showBuku(w, r, q, in.Get("bulan"), in.Get("bank"), http.StatusOK, nil, "", nil)
}

func (a *App) showBuku(w http.ResponseWriter, r *http.Request, q *Permintaan, bulan, bank string, status int, galat map[string]string, pesan string, isi url.Values) error {
	var (
		m   time.Time
		err error
	)
	if bulan == "" {
		today, err := q.T.Today(time.Now())
		if err != nil {
			return err
		}
		m = time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0) // the month the bank reports
	} else if m, err = pendanaan.ParseBulan("query.bulan", bulan); err != nil {
		return err
	}
	v, err := a.danaView(q)
	if err != nil {
		return err
	}
	b, err := a.Pendanaan.Ledger(q.ctx, q.T, m, bank, v)
	if err != nil {
		return err
	}
	page := &bukuView{Halaman: q.Halaman("Subsidi bunga", "pendanaan"), B: b, Bank: bank, Galat: galat, Pesan: pesan, Isi: isi}
	if page.Galat == nil {
		page.Galat = map[string]string{}
	}
	if q.Can("create-subsidi-bunga") {
		active, err := a.Pendanaan.List(q.ctx, q.T, pendanaan.Filter{Jenis: pendanaan.JenisSubsidiBunga, Tahap: pendanaan.TahapAktif, Limit: 500}, v)
		if err != nil {
			return err
		}
		page.Debitur = active.Items
	}
	a.render(w, r, status, page)
	return nil
}

// againBuku shows the ledger again after a refused form, the reason
// beside its field, or returns what is not the user's to fix.
func (a *App) againBuku(w http.ResponseWriter, r *http.Request, q *Permintaan, bulan string, f url.Values, err error) error {
	ae, ok := apperr.As(err)
	status, shown := refusedStatus(ae)
	if !ok || !shown {
		return err
	}
	if _, perr := pendanaan.ParseBulan("bulan", bulan); perr != nil {
		bulan = ""
	}
	return a.showBuku(w, r, q, bulan, "", status, fieldErrors(ae, nil), ae.Message.ID, f)
}

func (a *App) bukuURL(q *Permintaan, bulan string) string {
	return "/t/" + q.T.Slug + "/pendanaan/subsidi?bulan=" + url.QueryEscape(bulan)
}

func (a *App) catatSubsidi(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	f, err := readForm(w, r)
	if err != nil {
		return err
	}
	bunga, perr := parseRupiah(f.Get("bunga"))
	if perr != nil {
		return a.againBuku(w, r, q, f.Get("bulan"), f, apperr.InvalidField("body.bunga", nil,
			apperr.T("Tulis bunga dalam rupiah (187500 atau 187.500).", "Write the interest in rupiah.")))
	}
	v, err := a.danaView(q)
	if err != nil {
		return err
	}
	in := pendanaan.SubsidiInput{PengajuanID: f.Get("pengajuan_id"), Bulan: f.Get("bulan"), Bunga: bunga}
	err = a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
		_, err := a.Pendanaan.CreateSubsidiTx(q.ctx, tx, q.T, in, v)
		return err
	})
	if err != nil {
		return a.againBuku(w, r, q, in.Bulan, f, err)
	}
	http.Redirect(w, r, a.bukuURL(q, in.Bulan), http.StatusSeeOther)
	return nil
}

func (a *App) buatKlaim(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	f, err := readForm(w, r)
	if err != nil {
		return err
	}
	in := pendanaan.KlaimInput{Bank: f.Get("bank"), Bulan: f.Get("bulan")}
	err = a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
		_, err := a.Pendanaan.CreateKlaimTx(q.ctx, tx, q.T, in)
		return err
	})
	if err != nil {
		return a.againBuku(w, r, q, in.Bulan, f, err)
	}
	http.Redirect(w, r, a.bukuURL(q, in.Bulan), http.StatusSeeOther)
	return nil
}

func (a *App) verifikasiKlaim(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.klaimStep(w, r, q, func(id uuid.UUID, version int64, _ url.Values) (pendanaan.Klaim, error) {
		return a.Pendanaan.Verifikasi(q.ctx, q.T, id, version)
	})
}

func (a *App) bayarKlaim(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.klaimStep(w, r, q, func(id uuid.UUID, version int64, f url.Values) (pendanaan.Klaim, error) {
		return a.Pendanaan.Bayar(q.ctx, q.T, id, version, pendanaan.BayarInput{NomorSP2D: f.Get("nomor_sp2d"), TanggalSP2D: f.Get("tanggal_sp2d")})
	})
}

// klaimStep runs a claim's step from its form (the claim's version is
// If-Match) and shows its month's ledger.
func (a *App) klaimStep(w http.ResponseWriter, r *http.Request, q *Permintaan, step func(uuid.UUID, int64, url.Values) (pendanaan.Klaim, error)) error {
	id, err := uuid.Parse(r.PathValue("klaim_id"))
	if err != nil {
		return apperr.NotFound()
	}
	f, err := readForm(w, r)
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(f.Get("versi"), 10, 64)
	k, err := step(id, version, f)
	if err != nil {
		if apperr.KindOf(err) == apperr.KindNotFound {
			return err
		}
		return a.againBuku(w, r, q, f.Get("bulan"), f, err)
	}
	http.Redirect(w, r, a.bukuURL(q, k.Bulan), http.StatusSeeOther)
	return nil
}
