package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/koperasi"
)

// The create and edit forms of a cooperative. Field names are the API's
// JSON names (koperasi.KoperasiInput), so the service's field errors land
// beside their field. The legal type is chosen when registering only: the
// reclassification review decides it afterwards (the API refuses another).

// isianForm is a form as typed with its messages by field, and the
// helpers its template fills fields with.
type isianForm struct {
	Isi   url.Values
	Galat map[string]string
}

// Nilai is the value typed in field nama.
func (f *isianForm) Nilai(nama string) string { return f.Isi.Get(nama) }

// Centang reports whether the checkbox nama is ticked.
func (f *isianForm) Centang(nama string) bool { return f.Isi.Get(nama) == "true" }

// Centangan is what the centang partial needs of a checkbox.
type Centangan struct {
	Nama, Label, Pesan string
	Ya                 bool
}

// Centangan is the checkbox nama of the form.
func (f *isianForm) Centangan(nama, label string) Centangan {
	return Centangan{Nama: nama, Label: label, Pesan: f.Galat[nama], Ya: f.Centang(nama)}
}

// Teks is the text field nama (see umkmFormView.Teks for opts).
func (f *isianForm) Teks(nama, label string, opts ...string) Teks {
	return teksIsian(f.Isi, f.Galat, nama, label, opts)
}

// Pilih is the select nama of the form.
func (f *isianForm) Pilih(nama, label, semua string, o []Opsi) Pilih {
	return Pilih{Nama: nama, Label: label, Nilai: f.Isi.Get(nama), Semua: semua, Opsi: o, Pesan: f.Galat[nama]}
}

// koperasiFormView is the form of a new cooperative (ID "") or of one.
type koperasiFormView struct {
	Halaman
	isianForm
	ID       string
	Versi    int64
	Pesan    string
	Lain     []Beda // the saved version where it differs, after a conflict
	LainPada time.Time
	Ada      string // the cooperative that already holds the pilot place or the NIK
	Jenis    string // the legal type in words, on the edit form

	Kecamatan                                          []Opsi
	Kelurahan                                          []Grup
	JenisOpsi, KelompokOpsi, BentukOpsi, PeringkatOpsi []Opsi
}

// koperasiFields are the form's fields with their words, in the order the
// conflict table lists them.
var koperasiFields = []struct{ nama, label string }{
	{"nama", "Nama"}, {"nik_koperasi", "NIK Koperasi"}, {"nik_berlaku_sampai", "NIK berlaku sampai"},
	{"badan_hukum_nomor", "Nomor badan hukum"}, {"badan_hukum_tanggal", "Tanggal badan hukum"},
	{"perubahan_ad_nomor", "Nomor perubahan AD"}, {"perubahan_ad_tanggal", "Tanggal perubahan AD"}, {"bentuk", "Bentuk"},
	{"kelompok", "Kelompok"}, {"sektor", "Sektor"}, {"alamat", "Alamat"}, {"kecamatan_kode", "Kecamatan"},
	{"kelurahan_kode", "Desa/kelurahan"}, {"anggota_laki", "Anggota laki-laki"}, {"anggota_perempuan", "Anggota perempuan"},
	{"karyawan", "Karyawan"}, {"aktif", "Aktif"}, {"unit_toko", "Punya unit toko"}, {"pembukuan_digital", "Pembukuan digital"},
	{"pilot", "Koperasi pilot"}, {"peringkat", "Peringkat"},
}

var koperasiFlags = []string{"aktif", "unit_toko", "pembukuan_digital", "pilot"}

// fromKoperasi is a cooperative as the form shows it.
func fromKoperasi(k koperasi.Koperasi) url.Values {
	v := url.Values{}
	set := func(key string, p *string) {
		if p != nil {
			v.Set(key, *p)
		}
	}
	v.Set("nama", k.Nama)
	set("nik_koperasi", k.NIKKoperasi)
	set("nik_berlaku_sampai", k.NIKBerlakuSampai)
	set("badan_hukum_nomor", k.BadanHukumNomor)
	set("badan_hukum_tanggal", k.BadanHukumTanggal)
	set("perubahan_ad_nomor", k.PerubahanADNomor)
	set("perubahan_ad_tanggal", k.PerubahanADTanggal)
	v.Set("bentuk", k.Bentuk)
	set("jenis", k.Jenis)
	set("kelompok", k.Kelompok)
	set("sektor", k.Sektor)
	set("alamat", k.Alamat)
	v.Set("kecamatan_kode", k.KecamatanKode)
	v.Set("kelurahan_kode", k.KelurahanKode)
	v.Set("anggota_laki", strconv.Itoa(k.AnggotaLaki))
	v.Set("anggota_perempuan", strconv.Itoa(k.AnggotaPerempuan))
	v.Set("karyawan", strconv.Itoa(k.Karyawan))
	for name, b := range map[string]bool{"aktif": k.Aktif, "unit_toko": k.UnitToko, "pembukuan_digital": k.PembukuanDigital, "pilot": k.Pilot} {
		if b {
			v.Set(name, "true")
		}
	}
	set("peringkat", k.Peringkat)
	return v
}

// opt is a trimmed optional field of a form; blank is nil.
func opt(f url.Values, k string) *string {
	if s := strings.TrimSpace(f.Get(k)); s != "" {
		return &s
	}
	return nil
}

// bilangan reads the whole number field k into *dst (blank: nil); one that
// does not read as a number has its message in g at once (the API's schema
// refuses it the same).
func bilangan(f url.Values, k string, dst **int, g map[string]string) {
	s := opt(f, k)
	if s == nil {
		return
	}
	n, err := strconv.Atoi(strings.ReplaceAll(*s, ".", ""))
	if err != nil {
		g[k] = "Isi bilangan bulat."
		return
	}
	*dst = &n
}

// toKoperasiInput reads the form as the API's body; withJenis on the
// create form only.
func toKoperasiInput(f url.Values, withJenis bool) (koperasi.KoperasiInput, map[string]string) {
	g := map[string]string{}
	aktif := f.Get("aktif") == "true"
	in := koperasi.KoperasiInput{Nama: f.Get("nama"), NIKKoperasi: opt(f, "nik_koperasi"), NIKBerlakuSampai: opt(f, "nik_berlaku_sampai"),
		BadanHukumNomor: opt(f, "badan_hukum_nomor"), BadanHukumTanggal: opt(f, "badan_hukum_tanggal"),
		PerubahanADNomor: opt(f, "perubahan_ad_nomor"), PerubahanADTanggal: opt(f, "perubahan_ad_tanggal"), Bentuk: opt(f, "bentuk"),
		Kelompok: opt(f, "kelompok"), Sektor: opt(f, "sektor"), Alamat: opt(f, "alamat"), KecamatanKode: f.Get("kecamatan_kode"),
		KelurahanKode: f.Get("kelurahan_kode"), Aktif: &aktif, UnitToko: f.Get("unit_toko") == "true",
		PembukuanDigital: f.Get("pembukuan_digital") == "true", Pilot: f.Get("pilot") == "true", Peringkat: opt(f, "peringkat")}
	if withJenis {
		in.Jenis = opt(f, "jenis")
	}
	bilangan(f, "anggota_laki", &in.AnggotaLaki, g)
	bilangan(f, "anggota_perempuan", &in.AnggotaPerempuan, g)
	bilangan(f, "karyawan", &in.Karyawan, g)
	return in, g
}

func (a *App) koperasiFormView(q *Permintaan, judul string, isi url.Values, htmx bool) (*koperasiFormView, error) {
	reg, err := a.wilayah(q)
	if err != nil {
		return nil, err
	}
	return &koperasiFormView{Halaman: q.Halaman(judul, "koperasi"), isianForm: isianForm{Isi: isi}, Kecamatan: reg.kecamatan,
		Kelurahan: reg.kelurahanOf(isi.Get("kecamatan_kode"), htmx), JenisOpsi: opsi(codes(koperasi.AllJenis), labelJenisKop),
		KelompokOpsi: opsi(kelompokKode, labelKelompok), BentukOpsi: []Opsi{{"primer", "Primer"}, {"sekunder", "Sekunder"}},
		PeringkatOpsi: []Opsi{{"A", "A"}, {"B", "B"}, {"C", "C"}, {"D", "D"}}}, nil
}

func (a *App) koperasiBaruForm(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	isi := url.Values{"aktif": {"true"}, "bentuk": {"primer"}}
	if k := r.URL.Query().Get("kecamatan_kode"); k != "" {
		isi.Set("kecamatan_kode", k)
	}
	v, err := a.koperasiFormView(q, "Daftarkan koperasi", isi, r.Header.Get("HX-Request") == "true")
	if err != nil {
		return err
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

func (a *App) buatKoperasi(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	in, g := toKoperasiInput(r.PostForm, true)
	var d koperasi.Detail
	var err error
	if len(g) == 0 {
		err = a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
			d, err = a.Koperasi.CreateTx(q.ctx, tx, q.T, in)
			return err
		})
	}
	if len(g) > 0 || err != nil {
		return a.koperasiFormAgain(w, r, q, "Daftarkan koperasi", "", g, err)
	}
	http.Redirect(w, r, koperasiPath(q.T, d.ID.String())+"?pesan=dibuat", http.StatusSeeOther)
	return nil
}

// koperasiFormAgain shows the form as typed with the messages of parsing
// (g) or of the service (err); a fault of ours is returned.
func (a *App) koperasiFormAgain(w http.ResponseWriter, r *http.Request, q *Permintaan, judul, id string, g map[string]string, err error) error {
	status := http.StatusUnprocessableEntity
	var ae *apperr.Error
	if err != nil {
		var ok bool
		if ae, ok = apperr.As(err); !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict) {
			return err
		}
		g = fieldMessages(ae)
	}
	v, verr := a.koperasiFormView(q, judul, r.PostForm, false)
	if verr != nil {
		return verr
	}
	v.Galat, v.Pesan = g, "Data koperasi tidak valid. Periksa isian yang disebutkan."
	if ae != nil {
		v.Pesan = ae.Message.ID
		if ae.Kind == apperr.KindConflict {
			status = http.StatusConflict
			v.Ada = webKoperasiPath(q, ae.Existing)
		}
	}
	if id != "" {
		v.ID = id
		v.Versi, _ = strconv.ParseInt(r.PostForm.Get("versi"), 10, 64)
		if err := a.jenisKata(q, v); err != nil {
			return err
		}
	}
	a.render(w, r, status, v)
	return nil
}

// webKoperasiPath is the page of a cooperative the API names by its path
// (an error's existing); "" when it names none.
func webKoperasiPath(q *Permintaan, api string) string {
	i := strings.LastIndex(api, "/koperasi/")
	if i < 0 {
		return ""
	}
	id, _, _ := strings.Cut(api[i+len("/koperasi/"):], "/")
	if _, err := uuid.Parse(id); err != nil {
		return ""
	}
	return koperasiPath(q.T, id)
}

// jenisKata fills the legal type in words of the cooperative edited.
func (a *App) jenisKata(q *Permintaan, v *koperasiFormView) error {
	id, err := uuid.Parse(v.ID)
	if err != nil {
		return apperr.NotFound()
	}
	d, err := a.Koperasi.Get(q.ctx, q.T, id)
	if err != nil {
		return err
	}
	v.Jenis = baris(d.Koperasi, &wilayah{}).Jenis
	return nil
}

// bacaKoperasi reads a cooperative with its parts as the caller may see
// them (another tenant's: not found).
func (a *App) bacaKoperasi(q *Permintaan, id uuid.UUID) (koperasi.Detail, koperasi.View, error) {
	view, err := koperasi.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return koperasi.Detail{}, view, err
	}
	d, err := a.Koperasi.Get(q.ctx, q.T, id)
	if err != nil {
		return d, view, err
	}
	koperasi.PresentDetail(&d, view)
	return d, view, nil
}

// errKoperasiArsip: an archived cooperative is not changed (the API's words).
var errKoperasiArsip = apperr.Conflict(apperr.T("Koperasi ini sudah diarsipkan.", "This cooperative is archived."), "")

func (a *App) koperasiUbahForm(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, view, err := a.bacaKoperasi(q, id)
	if err != nil {
		return err
	}
	if d.ArchivedAt != nil {
		return errKoperasiArsip
	}
	if !view.PII {
		return apperr.Forbidden() // the form would send a masked address back as the new value
	}
	v, err := a.koperasiFormView(q, "Ubah "+d.Nama, fromKoperasi(d.Koperasi), false)
	if err != nil {
		return err
	}
	v.ID, v.Versi, v.Jenis = d.ID.String(), d.Version, baris(d.Koperasi, &wilayah{}).Jenis
	a.render(w, r, http.StatusOK, v)
	return nil
}

// ubahKoperasi saves the form at the version it was opened with; when
// someone saved in between, the form comes back as typed with their version
// beside it and the new version, to overwrite it deliberately.
func (a *App) ubahKoperasi(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	version, err := versi(r)
	if err != nil {
		return err
	}
	in, g := toKoperasiInput(r.PostForm, false)
	sid := id.String()
	if len(g) > 0 {
		return a.koperasiFormAgain(w, r, q, "Ubah "+in.Nama, sid, g, nil)
	}
	_, err = a.Koperasi.Update(q.ctx, q.T, id, version, in)
	if apperr.KindOf(err) == apperr.KindPreconditionFailed {
		cur, _, gerr := a.bacaKoperasi(q, id)
		if gerr != nil {
			return gerr
		}
		v, verr := a.koperasiFormView(q, "Ubah "+cur.Nama, r.PostForm, false)
		if verr != nil {
			return verr
		}
		v.ID, v.Versi, v.LainPada, v.Jenis = sid, cur.Version, cur.UpdatedAt, baris(cur.Koperasi, &wilayah{}).Jenis
		v.Pesan = textDiubahOrang + " Isian Anda masih di formulir; periksa versi mereka di bawah, lalu simpan lagi untuk menimpanya."
		v.Lain = bedaIsian(r.PostForm, fromKoperasi(cur.Koperasi), koperasiFields, koperasiFlags)
		a.render(w, r, http.StatusPreconditionFailed, v)
		return nil
	}
	if err != nil {
		return a.koperasiFormAgain(w, r, q, "Ubah "+in.Nama, sid, nil, err)
	}
	http.Redirect(w, r, koperasiPath(q.T, sid)+"?pesan=disimpan", http.StatusSeeOther)
	return nil
}

// bedaIsian are the fields where theirs differs from yours, in the form's
// words; flags are checkboxes, shown as Ya/Tidak.
func bedaIsian(yours, theirs url.Values, fields []struct{ nama, label string }, flags []string) []Beda {
	var out []Beda
	for _, f := range fields {
		x, y := strings.TrimSpace(yours.Get(f.nama)), strings.TrimSpace(theirs.Get(f.nama))
		if x == y {
			continue
		}
		for _, fl := range flags {
			if fl == f.nama {
				x, y = yaTidak(x == "true"), yaTidak(y == "true")
			}
		}
		out = append(out, Beda{Label: f.label, Anda: x, Mereka: y})
	}
	return out
}

func yaTidak(b bool) string {
	if b {
		return "Ya"
	}
	return "Tidak"
}

// koperasiArsipView asks to confirm archiving a cooperative.
type koperasiArsipView struct {
	Halaman
	K     BarisKoperasi
	Pesan string
}

func (a *App) koperasiArsipForm(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := a.koperasiArsipView(q, id)
	if err != nil {
		return err
	}
	if v.K.ArchivedAt != nil {
		http.Redirect(w, r, koperasiPath(q.T, id.String()), http.StatusSeeOther)
		return nil
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

func (a *App) koperasiArsipView(q *Permintaan, id uuid.UUID) (*koperasiArsipView, error) {
	d, _, err := a.bacaKoperasi(q, id)
	if err != nil {
		return nil, err
	}
	reg, err := a.wilayah(q)
	if err != nil {
		return nil, err
	}
	return &koperasiArsipView{Halaman: q.Halaman("Arsipkan "+d.Nama, "koperasi"), K: baris(d.Koperasi, reg)}, nil
}

// arsipKoperasi archives a cooperative at the version the confirmation
// showed; when it changed since, the confirmation is asked again.
func (a *App) arsipKoperasi(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	version, err := versi(r)
	if err != nil {
		return err
	}
	_, err = a.Koperasi.Archive(q.ctx, q.T, id, version)
	if apperr.KindOf(err) == apperr.KindPreconditionFailed {
		v, err := a.koperasiArsipView(q, id)
		if err != nil {
			return err
		}
		v.Pesan = textDiubahOrang
		a.render(w, r, http.StatusPreconditionFailed, v)
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, koperasiPath(q.T, id.String())+"?pesan=diarsip", http.StatusSeeOther)
	return nil
}
