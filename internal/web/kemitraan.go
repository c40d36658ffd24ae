package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/kemitraan"
)

// Partnerships (issue 18 item 6): the partner list with the partners
// without an agreement, a partner's page with its agreements, the
// agreement page with its duties, evaluations, renewal chain and breach
// path, the reminders and the agreement calendar. Every write goes through
// kemitraan.Service as the API's do.

func (a *App) kemitraanRoutes() {
	a.kantor("GET /t/{tenant}/kemitraan", "list-mitra", a.mitraList)
	a.kantor("GET /t/{tenant}/kemitraan/mitra/baru", "create-mitra", a.mitraBaruForm)
	a.kantor("POST /t/{tenant}/kemitraan/mitra", "create-mitra", a.buatMitra)
	a.kantor("GET /t/{tenant}/kemitraan/mitra/{id}", "get-mitra", a.mitraRekam)
	a.kantor("GET /t/{tenant}/kemitraan/perjanjian/baru", "create-perjanjian", a.perjanjianBaruForm)
	a.kantor("POST /t/{tenant}/kemitraan/perjanjian", "create-perjanjian", a.buatPerjanjian)
	a.kantor("GET /t/{tenant}/kemitraan/perjanjian/{id}", "get-perjanjian", a.perjanjianRekam)
	a.kantor("GET /t/{tenant}/kemitraan/perjanjian/{id}/pembaruan", "extend-perjanjian", a.pembaruanForm)
	a.kantor("POST /t/{tenant}/kemitraan/perjanjian/{id}/pembaruan", "extend-perjanjian", a.perbarui)
	a.kantor("GET /t/{tenant}/kemitraan/perjanjian/{id}/ubah", "update-perjanjian", a.ubahPerjanjianForm)
	a.kantor("POST /t/{tenant}/kemitraan/perjanjian/{id}/ubah", "update-perjanjian", a.ubahPerjanjian)
	a.kantor("GET /t/{tenant}/kemitraan/mitra/{id}/ubah", "update-mitra", a.ubahMitraForm)
	a.kantor("POST /t/{tenant}/kemitraan/mitra/{id}/ubah", "update-mitra", a.ubahMitra)
	a.kantor("POST /t/{tenant}/kemitraan/perjanjian/{id}/tugas", "create-perjanjian-tugas", a.buatTugas)
	a.kantor("POST /t/{tenant}/kemitraan/perjanjian/{id}/tugas/{tugas}/selesai", "update-perjanjian-tugas", a.tugasSelesai)
	a.kantor("POST /t/{tenant}/kemitraan/perjanjian/{id}/evaluasi", "create-perjanjian-evaluasi", a.buatEvaluasi)
	a.kantor("POST /t/{tenant}/kemitraan/perjanjian/{id}/putus", "close-perjanjian", a.putus)
	a.kantor("GET /t/{tenant}/kemitraan/pengingat", "list-pengingat-kemitraan", a.pengingatKemitraan)
	a.kantor("GET /t/{tenant}/kemitraan/kalender", "get-kalender-kemitraan", a.kalenderKemitraan)
}

// labelsMitra names the vocabularies of the partnership pages.
type labelsMitra struct{}

func (labelsMitra) NamaJenisMitra(s string) string { return label(kemitraan.JenisMitraLabel, s) }
func (labelsMitra) NamaJenisPerjanjian(s string) string {
	return label(kemitraan.JenisPerjanjianLabel, s)
}
func (labelsMitra) NamaStatus(s string) string    { return label(kemitraan.StatusLabel, s) }
func (labelsMitra) NamaPengingat(s string) string { return label(kemitraan.PengingatLabel, s) }
func (labelsMitra) JenisMitra() []string          { return kemitraan.AllJenisMitra }
func (labelsMitra) JenisPerjanjian() []string     { return kemitraan.AllJenisPerjanjian }

func kemitraanPath(q *Permintaan, rest string) string { return "/t/" + q.T.Slug + "/kemitraan" + rest }

// mitraListView is the partner list; Tanpa shows only those without an
// agreement in force.
type mitraListView struct {
	Halaman
	labelsMitra
	Items      []kemitraan.MitraKerjaSama
	Jenis      string
	Perjanjian string
	Berikut    string // the next page's link; "" on the last
}

func (a *App) mitraList(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	qs := r.URL.Query()
	view, err := kemitraan.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return err
	}
	f := kemitraan.MitraFilter{Jenis: qs.Get("jenis"), Perjanjian: qs.Get("perjanjian"), Cursor: qs.Get("cursor"), Limit: 50}
	page, err := a.Kemitraan.ListMitra(q.ctx, q.T, f)
	if err != nil {
		return err
	}
	judul := "Mitra kerja sama"
	if f.Perjanjian == "tanpa" {
		judul = "Mitra tanpa perjanjian"
	}
	v := &mitraListView{Halaman: q.Halaman(judul, "kemitraan"), Jenis: f.Jenis, Perjanjian: f.Perjanjian}
	for _, m := range page.Items {
		v.Items = append(v.Items, m.Masked(view))
	}
	if page.NextCursor != "" {
		v.Berikut = kemitraanPath(q, "?"+url.Values{"jenis": {f.Jenis}, "perjanjian": {f.Perjanjian}, "cursor": {page.NextCursor}}.Encode())
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// mitraFormView is the form of a new partner.
type mitraFormView struct {
	Halaman
	labelsMitra
	Aksi      string // where the form posts
	Versi     int64  // the version an edit was opened at; 0 for a new partner
	Kecamatan []Opsi
	Isi       url.Values
	Galat     map[string]string
	Pesan     string
	Kunci     string
}

// Nilai is a field as typed.
func (v *mitraFormView) Nilai(name string) string { return v.Isi.Get(name) }

func (a *App) mitraForm(q *Permintaan, isi url.Values) (*mitraFormView, error) {
	reg, err := a.wilayah(q)
	if err != nil {
		return nil, err
	}
	kunci := isi.Get("kunci")
	if kunci == "" {
		kunci = uuid.NewString()
	}
	return &mitraFormView{Halaman: q.Halaman("Mitra baru", "kemitraan"), Aksi: kemitraanPath(q, "/mitra"), Kecamatan: reg.kecamatan, Isi: isi,
		Galat: map[string]string{}, Kunci: kunci}, nil
}

func (a *App) mitraBaruForm(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	v, err := a.mitraForm(q, url.Values{"jenis": {"hotel"}})
	if err != nil {
		return err
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// galatDari puts a refusal's field messages under the form's names
// (prefix + the API's field name); false when err is not a refusal.
func galatDari(err error, galat map[string]string, prefix string) (string, int, bool) {
	ae, ok := apperr.As(err)
	if !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict && ae.Kind != apperr.KindPreconditionFailed) {
		return "", 0, false
	}
	for _, fe := range ae.Fields {
		galat[prefix+strings.TrimPrefix(strings.TrimPrefix(fe.Location, "body."), "query.")] = fe.Message.ID
	}
	status := http.StatusUnprocessableEntity
	switch ae.Kind {
	case apperr.KindConflict:
		status = http.StatusConflict
	case apperr.KindPreconditionFailed:
		status = http.StatusPreconditionFailed
		return "Data ini sudah diubah orang lain. Muat ulang halaman lalu ulangi.", status, true
	}
	return ae.Message.ID, status, true
}

func (a *App) buatMitra(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	f, err := readForm(w, r)
	if err != nil {
		return err
	}
	in := mitraInput(f)
	id, err := a.once(q, f.Get("kunci"), "create-mitra", in, http.StatusCreated, func(tx pgx.Tx) (uuid.UUID, string, error) {
		m, err := a.Kemitraan.CreateMitraTx(q.ctx, tx, q.T, in)
		return m.ID, kemitraan.MitraPath(q.T.Slug, m.ID), err
	})
	if err != nil {
		v, verr := a.mitraForm(q, f)
		if verr != nil {
			return verr
		}
		msg, status, ok := galatDari(err, v.Galat, "")
		if !ok {
			return err
		}
		v.Pesan = msg
		a.render(w, r, status, v)
		return nil
	}
	http.Redirect(w, r, kemitraanPath(q, "/mitra/"+id.String()+"?pesan=dibuat"), http.StatusSeeOther)
	return nil
}

// mitraRekamView is a partner's page: its data, its agreements and its
// reminders.
type mitraRekamView struct {
	Halaman
	labelsMitra
	M          kemitraan.MitraKerjaSama
	Wilayah    string
	Perjanjian []kemitraan.Perjanjian
	Pengingat  []kemitraan.PengingatKemitraan
	Dibuat     bool
}

func (a *App) mitraRekam(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	view, err := kemitraan.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return err
	}
	m, err := a.Kemitraan.GetMitra(q.ctx, q.T, id)
	if err != nil {
		return err
	}
	ps, err := a.Kemitraan.ListPerjanjianMitra(q.ctx, q.T, id)
	if err != nil {
		return err
	}
	v := &mitraRekamView{Halaman: q.Halaman(m.Nama, "kemitraan"), M: m.Masked(view), Perjanjian: ps, Dibuat: r.URL.Query().Get("pesan") == "dibuat"}
	if m.WilayahKode != nil {
		reg, err := a.wilayah(q)
		if err != nil {
			return err
		}
		v.Wilayah = label(reg.nama, *m.WilayahKode)
	}
	if q.Can("list-pengingat-kemitraan") {
		if v.Pengingat, err = a.Kemitraan.ListPengingat(q.ctx, q.T, kemitraan.PengingatFilter{MitraID: id, Limit: 50}); err != nil {
			return err
		}
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// perjanjianFormView is the form of a new agreement or of a renewal.
type perjanjianFormView struct {
	Halaman
	labelsMitra
	Aksi      string // where the form posts
	Versi     int64  // the version an edit was opened at; 0 otherwise
	Ubah      *kemitraan.Perjanjian
	Mitra     []Opsi // the partner to choose; none on a renewal
	Renews    *kemitraan.Perjanjian
	Isi       url.Values
	Galat     map[string]string
	Pesan     string
	Kunci     string
	Peringati bool // the dates run over five years: say so before saving
}

// Nilai is a field as typed.
func (v *perjanjianFormView) Nilai(name string) string { return v.Isi.Get(name) }

// perjanjianForm is the agreement form: of a renewal of renews, or with
// the partners to choose from when pilih.
func (a *App) perjanjianForm(q *Permintaan, isi url.Values, renews *kemitraan.Perjanjian, pilih bool) (*perjanjianFormView, error) {
	kunci := isi.Get("kunci")
	if kunci == "" {
		kunci = uuid.NewString()
	}
	v := &perjanjianFormView{Halaman: q.Halaman("Perjanjian baru", "kemitraan"), Aksi: kemitraanPath(q, "/perjanjian"), Renews: renews,
		Isi: isi, Galat: map[string]string{}, Kunci: kunci}
	if renews != nil {
		v.Judul = "Perbarui perjanjian"
		v.Aksi = kemitraanPath(q, "/perjanjian/"+renews.ID.String()+"/pembaruan")
	}
	if !pilih {
		return v, nil
	}
	for cur := ""; ; {
		page, err := a.Kemitraan.ListMitra(q.ctx, q.T, kemitraan.MitraFilter{Cursor: cur, Limit: 500})
		if err != nil {
			return nil, err
		}
		for _, m := range page.Items {
			v.Mitra = append(v.Mitra, Opsi{Nilai: m.ID.String(), Label: m.Nama})
		}
		if cur = page.NextCursor; cur == "" || len(v.Mitra) >= 2000 {
			break
		}
	}
	return v, nil
}

func (a *App) perjanjianBaruForm(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	v, err := a.perjanjianForm(q, url.Values{"mitra_id": {r.URL.Query().Get("mitra")}, "jenis": {"pks"}, "status": {"draf"}}, nil, true)
	if err != nil {
		return err
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

func toPerjanjianInput(f url.Values) (kemitraan.PerjanjianInput, map[string]string) {
	g := map[string]string{}
	in := kemitraan.PerjanjianInput{Jenis: f.Get("jenis"), Judul: f.Get("judul"), NomorKantor: opt(f, "nomor_kantor"), TanggalKantor: opt(f, "tanggal_kantor"),
		NomorMitra: opt(f, "nomor_mitra"), TanggalMitra: opt(f, "tanggal_mitra"), RuangLingkup: opt(f, "ruang_lingkup"),
		Mulai: strings.TrimSpace(f.Get("mulai")), Berakhir: strings.TrimSpace(f.Get("berakhir")), Status: f.Get("status")}
	if s := strings.TrimSpace(f.Get("mitra_id")); s != "" {
		id, err := uuid.Parse(s)
		if err != nil {
			g["mitra_id"] = "Pilih mitra dari daftar."
		}
		in.MitraID = id
	}
	return in, g
}

// perjanjianSaved answers a saved agreement: its page, with the five-year
// warning when it has one.
func perjanjianSaved(w http.ResponseWriter, r *http.Request, q *Permintaan, d kemitraan.PerjanjianDetail) {
	http.Redirect(w, r, kemitraanPath(q, "/perjanjian/"+d.ID.String()+"?pesan=dibuat"), http.StatusSeeOther)
}

func (a *App) buatPerjanjian(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	f, err := readForm(w, r)
	if err != nil {
		return err
	}
	in, g := toPerjanjianInput(f)
	var d kemitraan.PerjanjianDetail
	_, err = a.once(q, f.Get("kunci"), "create-perjanjian", in, http.StatusCreated, func(tx pgx.Tx) (uuid.UUID, string, error) {
		var err error
		if d, err = a.Kemitraan.CreatePerjanjianTx(q.ctx, tx, q.T, in); err == nil && len(g) > 0 {
			err = errTidakDisimpan
		}
		return d.ID, kemitraan.PerjanjianPath(q.T.Slug, d.ID), err
	})
	if err != nil || len(g) > 0 {
		return a.perjanjianFormAgain(w, r, q, f, nil, g, err)
	}
	if d.ID == uuid.Nil { // a resent form: the first answer's record
		http.Redirect(w, r, kemitraanPath(q, ""), http.StatusSeeOther)
		return nil
	}
	perjanjianSaved(w, r, q, d)
	return nil
}

func (a *App) perjanjianFormAgain(w http.ResponseWriter, r *http.Request, q *Permintaan, f url.Values, renews *kemitraan.Perjanjian, g map[string]string, err error) error {
	v, verr := a.perjanjianForm(q, f, renews, renews == nil)
	if verr != nil {
		return verr
	}
	for k, m := range g {
		v.Galat[k] = m
	}
	status := http.StatusUnprocessableEntity
	v.Pesan = "Data perjanjian tidak valid. Periksa isian yang disebutkan."
	if err != nil && !errors.Is(err, errTidakDisimpan) {
		msg, st, ok := galatDari(err, v.Galat, "")
		if !ok {
			return err
		}
		v.Pesan, status = msg, st
	}
	a.render(w, r, status, v)
	return nil
}

func (a *App) pembaruanForm(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	old, err := a.Kemitraan.GetPerjanjian(q.ctx, q.T, id)
	if err != nil {
		return err
	}
	end, _ := time.Parse(time.DateOnly, old.Berakhir)
	isi := url.Values{"jenis": {old.Jenis}, "judul": {old.Judul}, "status": {"draf"}, "mulai": {end.AddDate(0, 0, 1).Format(time.DateOnly)}}
	if old.RuangLingkup != nil {
		isi.Set("ruang_lingkup", *old.RuangLingkup)
	}
	v, err := a.perjanjianForm(q, isi, &old.Perjanjian, false)
	if err != nil {
		return err
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

func (a *App) perbarui(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := readForm(w, r)
	if err != nil {
		return err
	}
	old, err := a.Kemitraan.GetPerjanjian(q.ctx, q.T, id)
	if err != nil {
		return err
	}
	in, g := toPerjanjianInput(f)
	var d kemitraan.PerjanjianDetail
	_, err = a.once(q, f.Get("kunci"), "extend-perjanjian", in, http.StatusCreated, func(tx pgx.Tx) (uuid.UUID, string, error) {
		var err error
		d, err = a.Kemitraan.PerbaruiTx(q.ctx, tx, q.T, id, in)
		return d.ID, kemitraan.PerjanjianPath(q.T.Slug, d.ID), err
	})
	if err != nil || len(g) > 0 {
		return a.perjanjianFormAgain(w, r, q, f, &old.Perjanjian, g, err)
	}
	if d.ID == uuid.Nil {
		http.Redirect(w, r, kemitraanPath(q, "/perjanjian/"+id.String()), http.StatusSeeOther)
		return nil
	}
	perjanjianSaved(w, r, q, d)
	return nil
}

// perjanjianRekamView is an agreement's page: its data and warning, its
// renewal chain, duties, evaluations, reminders, and the forms that add a
// duty, record an evaluation or terminate it.
type perjanjianRekamView struct {
	Halaman
	labelsMitra
	D         kemitraan.PerjanjianDetail
	Pengingat []kemitraan.PengingatKemitraan
	Hari      string // today in the office, for the "done today" buttons
	Isi       url.Values
	Galat     map[string]string
	Pesan     string
	Dibuat    bool
	Kunci     string
}

// Nilai is a field as typed.
func (v *perjanjianRekamView) Nilai(name string) string { return v.Isi.Get(name) }

// Berlaku tells whether the agreement may still take duties and a breach.
func (v *perjanjianRekamView) Berlaku() bool { return v.D.Status != "diputus" }

func (a *App) perjanjianPage(q *Permintaan, id uuid.UUID, isi url.Values) (*perjanjianRekamView, error) {
	d, err := a.Kemitraan.GetPerjanjian(q.ctx, q.T, id)
	if err != nil {
		return nil, err
	}
	today, err := q.T.Today(a.Kemitraan.Now())
	if err != nil {
		return nil, err
	}
	if isi == nil {
		isi = url.Values{"evaluasi_tanggal": {today.Format(time.DateOnly)}, "putus_tanggal": {today.Format(time.DateOnly)}}
	}
	v := &perjanjianRekamView{Halaman: q.Halaman(d.Judul, "kemitraan"), D: d, Hari: today.Format(time.DateOnly), Isi: isi,
		Galat: map[string]string{}, Kunci: uuid.NewString()}
	if q.Can("list-pengingat-kemitraan") {
		if v.Pengingat, err = a.Kemitraan.ListPengingat(q.ctx, q.T, kemitraan.PengingatFilter{PerjanjianID: id, Limit: 50}); err != nil {
			return nil, err
		}
	}
	return v, nil
}

func (a *App) perjanjianRekam(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := a.perjanjianPage(q, id, nil)
	if err != nil {
		return err
	}
	v.Dibuat = r.URL.Query().Get("pesan") == "dibuat"
	a.render(w, r, http.StatusOK, v)
	return nil
}

// onPerjanjian runs a form of the agreement page: its page again on done,
// or the page with the form as typed and its messages (fields named
// prefix + the API's).
func (a *App) onPerjanjian(w http.ResponseWriter, r *http.Request, q *Permintaan, prefix string, run func(id uuid.UUID, f url.Values) error) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := readForm(w, r)
	if err != nil {
		return err
	}
	if err := run(id, f); err != nil {
		v, verr := a.perjanjianPage(q, id, f)
		if verr != nil {
			return verr
		}
		msg, status, ok := galatDari(err, v.Galat, prefix)
		if !ok {
			return err
		}
		v.Pesan = msg
		a.render(w, r, status, v)
		return nil
	}
	http.Redirect(w, r, kemitraanPath(q, "/perjanjian/"+id.String()), http.StatusSeeOther)
	return nil
}

func (a *App) buatTugas(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.onPerjanjian(w, r, q, "tugas_", func(id uuid.UUID, f url.Values) error {
		in := kemitraan.TugasPerjanjianInput{Judul: f.Get("tugas_judul"), JatuhTempo: f.Get("tugas_jatuh_tempo"), Catatan: opt(f, "tugas_catatan")}
		_, err := a.once(q, f.Get("kunci"), "create-perjanjian-tugas", struct {
			ID uuid.UUID
			In kemitraan.TugasPerjanjianInput
		}{id, in}, http.StatusCreated, func(tx pgx.Tx) (uuid.UUID, string, error) {
			x, err := a.Kemitraan.CreateTugasTx(q.ctx, tx, q.T, id, in)
			return x.ID, kemitraan.PerjanjianPath(q.T.Slug, id), err
		})
		return err
	})
}

func (a *App) tugasSelesai(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.onPerjanjian(w, r, q, "tugas_", func(id uuid.UUID, f url.Values) error {
		tugas, err := pathID(r, "tugas")
		if err != nil {
			return err
		}
		d, err := a.Kemitraan.GetPerjanjian(q.ctx, q.T, id)
		if err != nil {
			return err
		}
		for _, x := range d.Tugas {
			if x.ID != tugas {
				continue
			}
			version, _ := strconv.ParseInt(f.Get("versi"), 10, 64)
			if version <= 0 {
				return apperr.PreconditionFailed()
			}
			hari := strings.TrimSpace(f.Get("selesai"))
			_, err := a.Kemitraan.UpdateTugas(q.ctx, q.T, id, tugas, version, kemitraan.TugasPerjanjianInput{Judul: x.Judul, JatuhTempo: x.JatuhTempo,
				Selesai: &hari, Catatan: x.Catatan})
			return err
		}
		return apperr.NotFound()
	})
}

func (a *App) buatEvaluasi(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.onPerjanjian(w, r, q, "evaluasi_", func(id uuid.UUID, f url.Values) error {
		in := kemitraan.EvaluasiPerjanjianInput{Tanggal: f.Get("evaluasi_tanggal"), Hasil: f.Get("evaluasi_hasil")}
		if s := strings.TrimSpace(f.Get("evaluasi_skor")); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				return apperr.InvalidField("body.skor", s, apperr.T("Skor berupa angka 0 sampai 100.", "A score is a number 0 to 100."))
			}
			in.Skor = &n
		}
		_, err := a.once(q, f.Get("kunci"), "create-perjanjian-evaluasi", struct {
			ID uuid.UUID
			In kemitraan.EvaluasiPerjanjianInput
		}{id, in}, http.StatusCreated, func(tx pgx.Tx) (uuid.UUID, string, error) {
			e, err := a.Kemitraan.CreateEvaluasiTx(q.ctx, tx, q.T, id, in)
			return e.ID, kemitraan.PerjanjianPath(q.T.Slug, id), err
		})
		return err
	})
}

func (a *App) putus(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.onPerjanjian(w, r, q, "putus_", func(id uuid.UUID, f url.Values) error {
		version, _ := strconv.ParseInt(f.Get("versi"), 10, 64)
		if version <= 0 {
			return apperr.PreconditionFailed()
		}
		_, err := a.Kemitraan.Putus(q.ctx, q.T, id, version, kemitraan.PutusPerjanjianInput{Alasan: f.Get("putus_alasan"), Tanggal: f.Get("putus_tanggal")})
		return err
	})
}

// pengingatKemitraanView is the stored reminders and the duties overdue.
type pengingatKemitraanView struct {
	Halaman
	labelsMitra
	Items     []kemitraan.PengingatKemitraan
	Terlambat []kemitraan.TugasPerjanjian
}

func (a *App) pengingatKemitraan(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	items, err := a.Kemitraan.ListPengingat(q.ctx, q.T, kemitraan.PengingatFilter{})
	if err != nil {
		return err
	}
	v := &pengingatKemitraanView{Halaman: q.Halaman("Pengingat kemitraan", "kemitraan"), Items: items}
	if q.Can("list-tugas-terlambat") {
		if v.Terlambat, err = a.Kemitraan.TugasTerlambat(q.ctx, q.T); err != nil {
			return err
		}
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// kalenderKemitraanView is a month of the agreement calendar, by day.
type kalenderKemitraanView struct {
	Halaman
	Bulan            string // Desember 2026
	Lalu, Berikutnya string // links to the months around
	Hari             []hariKemitraan
}

type hariKemitraan struct {
	Tanggal string
	Acara   []acaraKata
}

type acaraKata struct {
	Jenis, Judul, Mitra, Tautan string
}

var namaAcara = map[string]string{"mulai": "Mulai berlaku", "berakhir": "Berakhir", "evaluasi": "Evaluasi jatuh tempo", "tugas": "Tugas jatuh tempo"}

func (a *App) kalenderKemitraan(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	today, err := q.T.Today(a.Kemitraan.Now())
	if err != nil {
		return err
	}
	bulan := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	if s := r.URL.Query().Get("bulan"); s != "" {
		m, err := time.Parse("2006-01", s)
		if err != nil || m.Year() < 2000 || m.Year() > 2100 {
			return apperr.InvalidField("query.bulan", s, apperr.T("Bulan harus YYYY-MM (tahun 2000–2100).", "A month is YYYY-MM (years 2000–2100)."))
		}
		bulan = m
	}
	acara, err := a.Kemitraan.Kalender(q.ctx, q.T, bulan)
	if err != nil {
		return err
	}
	key := bulan.Format("2006-01")
	v := &kalenderKemitraanView{Halaman: q.Halaman("Kalender perjanjian "+format.Bulan(key), "kemitraan"), Bulan: format.Bulan(key),
		Lalu: kemitraanPath(q, "/kalender?bulan="+bulan.AddDate(0, -1, 0).Format("2006-01")), Berikutnya: kemitraanPath(q, "/kalender?bulan="+bulan.AddDate(0, 1, 0).Format("2006-01"))}
	for _, e := range acara {
		if len(v.Hari) == 0 || v.Hari[len(v.Hari)-1].Tanggal != hari(e.Hari) {
			v.Hari = append(v.Hari, hariKemitraan{Tanggal: hari(e.Hari)})
		}
		last := &v.Hari[len(v.Hari)-1]
		last.Acara = append(last.Acara, acaraKata{Jenis: namaAcara[e.Jenis], Judul: e.Judul, Mitra: e.MitraNama, Tautan: kemitraanPath(q, "/perjanjian/"+e.PerjanjianID.String())})
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// StatusTulis is the statuses a form may set (diputus goes through the
// breach path).
func (perjanjianFormView) StatusTulis() []string { return []string{"draf", "berlaku", "berakhir"} }

func mitraInput(f url.Values) kemitraan.MitraKerjaSamaInput {
	return kemitraan.MitraKerjaSamaInput{Jenis: f.Get("jenis"), Nama: f.Get("nama"), KontakNama: opt(f, "kontak_nama"), Telepon: opt(f, "telepon"),
		Alamat: opt(f, "alamat"), WilayahKode: opt(f, "wilayah_kode")}
}

func teksAtau(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// ubahMitraForm is a partner's data to change, in full (update-mitra is
// staf and admin, who read personal data).
func (a *App) ubahMitraForm(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	m, err := a.Kemitraan.GetMitra(q.ctx, q.T, id)
	if err != nil {
		return err
	}
	v, err := a.mitraEdit(q, m, url.Values{"jenis": {m.Jenis}, "nama": {m.Nama}, "kontak_nama": {teksAtau(m.KontakNama)}, "telepon": {teksAtau(m.Telepon)},
		"alamat": {teksAtau(m.Alamat)}, "wilayah_kode": {teksAtau(m.WilayahKode)}, "versi": {strconv.FormatInt(m.Version, 10)}})
	if err != nil {
		return err
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

func (a *App) mitraEdit(q *Permintaan, m kemitraan.MitraKerjaSama, isi url.Values) (*mitraFormView, error) {
	v, err := a.mitraForm(q, isi)
	if err != nil {
		return nil, err
	}
	v.Judul, v.Aksi = "Ubah "+m.Nama, kemitraanPath(q, "/mitra/"+m.ID.String()+"/ubah")
	v.Versi, _ = strconv.ParseInt(isi.Get("versi"), 10, 64)
	return v, nil
}

func (a *App) ubahMitra(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := readForm(w, r)
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(f.Get("versi"), 10, 64)
	if version <= 0 {
		err = apperr.PreconditionFailed()
	} else {
		_, err = a.Kemitraan.UpdateMitra(q.ctx, q.T, id, version, mitraInput(f))
	}
	if err != nil {
		m, gerr := a.Kemitraan.GetMitra(q.ctx, q.T, id)
		if gerr != nil {
			return gerr
		}
		v, verr := a.mitraEdit(q, m, f)
		if verr != nil {
			return verr
		}
		msg, status, ok := galatDari(err, v.Galat, "")
		if !ok {
			return err
		}
		v.Pesan = msg
		a.render(w, r, status, v)
		return nil
	}
	http.Redirect(w, r, kemitraanPath(q, "/mitra/"+id.String()), http.StatusSeeOther)
	return nil
}

// ubahPerjanjianForm is an agreement's data to change (its partner stays),
// e.g. a draft put in force once both parties signed.
func (a *App) ubahPerjanjianForm(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := a.Kemitraan.GetPerjanjian(q.ctx, q.T, id)
	if err != nil {
		return err
	}
	p := d.Perjanjian
	isi := url.Values{"jenis": {p.Jenis}, "judul": {p.Judul}, "nomor_kantor": {teksAtau(p.NomorKantor)}, "tanggal_kantor": {teksAtau(p.TanggalKantor)},
		"nomor_mitra": {teksAtau(p.NomorMitra)}, "tanggal_mitra": {teksAtau(p.TanggalMitra)}, "ruang_lingkup": {teksAtau(p.RuangLingkup)},
		"mulai": {p.Mulai}, "berakhir": {p.Berakhir}, "status": {p.Status}, "versi": {strconv.FormatInt(p.Version, 10)}}
	v, err := a.perjanjianEdit(q, p, isi)
	if err != nil {
		return err
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

func (a *App) perjanjianEdit(q *Permintaan, p kemitraan.Perjanjian, isi url.Values) (*perjanjianFormView, error) {
	v, err := a.perjanjianForm(q, isi, nil, false)
	if err != nil {
		return nil, err
	}
	v.Ubah = &p
	v.Judul, v.Aksi = "Ubah perjanjian", kemitraanPath(q, "/perjanjian/"+p.ID.String()+"/ubah")
	v.Versi, _ = strconv.ParseInt(isi.Get("versi"), 10, 64)
	return v, nil
}

func (a *App) ubahPerjanjian(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := readForm(w, r)
	if err != nil {
		return err
	}
	in, g := toPerjanjianInput(f)
	version, _ := strconv.ParseInt(f.Get("versi"), 10, 64)
	if version <= 0 {
		err = apperr.PreconditionFailed()
	} else {
		_, err = a.Kemitraan.UpdatePerjanjian(q.ctx, q.T, id, version, in)
	}
	if err != nil || len(g) > 0 {
		d, gerr := a.Kemitraan.GetPerjanjian(q.ctx, q.T, id)
		if gerr != nil {
			return gerr
		}
		v, verr := a.perjanjianEdit(q, d.Perjanjian, f)
		if verr != nil {
			return verr
		}
		for k, m := range g {
			v.Galat[k] = m
		}
		status := http.StatusUnprocessableEntity
		v.Pesan = "Data perjanjian tidak valid. Periksa isian yang disebutkan."
		if err != nil {
			msg, st, ok := galatDari(err, v.Galat, "")
			if !ok {
				return err
			}
			v.Pesan, status = msg, st
		}
		a.render(w, r, status, v)
		return nil
	}
	http.Redirect(w, r, kemitraanPath(q, "/perjanjian/"+id.String()), http.StatusSeeOther)
	return nil
}
