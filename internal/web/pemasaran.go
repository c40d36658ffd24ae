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
	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/pemasaran"
)

// Marketing points (Pemasaran): the list with the filters of list-titik,
// the point's page with its listings, and the point's form. Field names
// are the API's JSON names (pemasaran.TitikInput), so the service's field
// errors land beside their field. Products and curation are
// pemasaran_produk.go.

var (
	labelStatusTitik = map[string]string{"rencana": "Rencana", "aktif": "Aktif", "ditutup": "Ditutup"}
	labelKadens      = map[string]string{"mingguan": "Mingguan", "bulanan": "Bulanan"}
	labelHari        = map[string]string{"1": "Senin", "2": "Selasa", "3": "Rabu", "4": "Kamis", "5": "Jumat", "6": "Sabtu", "7": "Minggu"}
)

// BarisTitik is a point with its codes in words.
type BarisTitik struct {
	pemasaran.Titik
	JenisKata, OperatorKata, StatusKata, KadensKata string
	Jadwal                                          []string
}

func barisTitik(p pemasaran.Titik) BarisTitik {
	b := BarisTitik{Titik: p, JenisKata: label(pemasaran.JenisLabel, p.Jenis), OperatorKata: label(pemasaran.OperatorLabel, p.OperatorJenis),
		StatusKata: label(labelStatusTitik, p.Status), KadensKata: label(labelKadens, p.LaporKadens)}
	for _, m := range p.Jadwal.Mingguan {
		b.Jadwal = append(b.Jadwal, "Setiap "+labelHari[strconv.Itoa(m.Hari)]+", "+strings.ReplaceAll(m.Mulai, ":", ".")+"–"+strings.ReplaceAll(m.Selesai, ":", "."))
	}
	for _, d := range p.Jadwal.Tanggal {
		if day, err := parseDay(d.Tanggal); err == nil {
			b.Jadwal = append(b.Jadwal, format.Tanggal(day, wib)+", "+strings.ReplaceAll(d.Mulai, ":", ".")+"–"+strings.ReplaceAll(d.Selesai, ":", "."))
		}
	}
	return b
}

// titikListView is the office's marketing points.
type titikListView struct {
	Halaman
	F                              url.Values
	JenisOpsi, StatusOpsi, KecOpsi []Opsi
	Items                          []BarisTitik
	Berikutnya                     string
	Galat                          map[string]string
	Pesan                          string
}

// Pilih is the select nama of the filter form.
func (v *titikListView) Pilih(nama, label, semua string, o []Opsi) Pilih {
	return Pilih{Nama: nama, Label: label, Nilai: v.F.Get(nama), Semua: semua, Opsi: o, Pesan: v.Galat[nama]}
}

func (a *App) daftarTitik(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	in := r.URL.Query()
	reg, err := a.wilayah(q)
	if err != nil {
		return err
	}
	v := &titikListView{Halaman: q.Halaman("Titik pemasaran", "pemasaran"), F: in, JenisOpsi: opsi(pemasaran.AllJenis, pemasaran.JenisLabel),
		StatusOpsi: opsi(pemasaran.AllStatus, labelStatusTitik), KecOpsi: reg.kecamatan}
	view, err := pemasaran.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return err
	}
	page, err := a.Pemasaran.ListTitik(q.ctx, q.T, pemasaran.TitikFilter{Jenis: in.Get("jenis"), Status: in.Get("status"), Kecamatan: in.Get("kecamatan"),
		Q: strings.TrimSpace(in.Get("q")), Cursor: in.Get("cursor"), Limit: 50}, view)
	if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindInvalid {
		v.Galat, v.Pesan = fieldMessages(ae), ae.Message.ID
		a.render(w, r, http.StatusUnprocessableEntity, v)
		return nil
	} else if err != nil {
		return err
	}
	for _, p := range page.Items {
		v.Items = append(v.Items, barisTitik(p))
	}
	if page.NextCursor != "" {
		next := url.Values{}
		for k, vals := range in {
			next[k] = vals
		}
		next.Set("cursor", page.NextCursor)
		v.Berikutnya = r.URL.Path + "?" + next.Encode()
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// BarisKurasi is a curation with its status and dates in words.
type BarisKurasi struct {
	pemasaran.Kurasi
	StatusKata, Putusan, Mulai, Akhir string
}

func barisKurasi(k pemasaran.Kurasi) BarisKurasi {
	day := func(s *string) string {
		if s == nil {
			return ""
		}
		d, err := parseDay(*s)
		if err != nil {
			return ""
		}
		return format.Tanggal(d, wib)
	}
	return BarisKurasi{Kurasi: k, StatusKata: label(pemasaran.KurasiLabel, k.Status), Putusan: day(&k.TanggalPutusan),
		Mulai: day(k.TampilMulai), Akhir: day(k.TampilSelesai)}
}

// titikRekamView is a point with its listings.
type titikRekamView struct {
	Halaman
	T      BarisTitik
	Kurasi []BarisKurasi
	Pesan  string
	Galat  string
}

var selesaiTitik = map[string]string{"baru": "Titik pemasaran disimpan.", "ubah": "Perubahan disimpan.", "langkah": "Status kurasi diperbarui."}

func (a *App) rekamTitik(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	v, err := a.titikRekam(r, q)
	if err != nil {
		return err
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

func (a *App) titikRekam(r *http.Request, q *Permintaan) (*titikRekamView, error) {
	id, view, err := a.pemasaranPath(r, q)
	if err != nil {
		return nil, err
	}
	p, err := a.Pemasaran.GetTitik(q.ctx, q.T, id, view)
	if err != nil {
		return nil, err
	}
	list, err := a.Pemasaran.ListKurasi(q.ctx, q.T, id, "", view)
	if err != nil {
		return nil, err
	}
	v := &titikRekamView{Halaman: q.Halaman(p.Nama, "pemasaran"), T: barisTitik(p), Pesan: selesaiTitik[r.URL.Query().Get("pesan")]}
	for _, k := range list {
		v.Kurasi = append(v.Kurasi, barisKurasi(k))
	}
	return v, nil
}

// langkahKurasi puts a listing on display or rotates it out.
func (a *App) langkahKurasi(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	id, err1 := uuid.Parse(r.PathValue("id"))
	kid, err2 := uuid.Parse(r.PathValue("kurasi"))
	if err1 != nil || err2 != nil {
		return apperr.NotFound()
	}
	ver, _ := strconv.ParseInt(r.PostForm.Get("versi"), 10, 64)
	view, err := pemasaran.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return err
	}
	in := pemasaran.KurasiLangkah{Status: r.PostForm.Get("status")}
	if d := r.PostForm.Get("tanggal"); d != "" {
		in.Tanggal = &d
	}
	_, err = a.Pemasaran.Langkah(q.ctx, q.T, id, kid, ver, in, view)
	if err == nil {
		http.Redirect(w, r, "/t/"+q.T.Slug+"/pemasaran/titik/"+id.String()+"?pesan=langkah", http.StatusSeeOther)
		return nil
	}
	ae, ok := apperr.As(err)
	if !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindPreconditionFailed) {
		return err
	}
	v, verr := a.titikRekam(r, q)
	if verr != nil {
		return verr
	}
	v.Galat = ae.Message.ID
	for _, f := range ae.Fields {
		v.Galat += " " + f.Message.ID
	}
	if ae.Kind == apperr.KindPreconditionFailed {
		v.Galat = "Kurasi ini baru saja diubah orang lain; periksa statusnya di bawah lalu ulangi."
	}
	a.render(w, r, http.StatusUnprocessableEntity, v)
	return nil
}

// titikFormView is the form of a new point (ID "") or of one.
type titikFormView struct {
	Halaman
	isianForm
	ID                                              string
	Versi                                           int64
	Pesan                                           string
	JenisOpsi, OperatorOpsi, KadensOpsi, StatusOpsi []Opsi
	KecOpsi, KoperasiOpsi, HariOpsi                 []Opsi
	KelGrup                                         []Grup
}

func fromTitik(p pemasaran.Titik) url.Values {
	v := url.Values{}
	set := func(k string, s *string) {
		if s != nil {
			v.Set(k, *s)
		}
	}
	v.Set("jenis", p.Jenis)
	v.Set("nama", p.Nama)
	set("kecamatan_kode", p.KecamatanKode)
	set("kelurahan_kode", p.KelurahanKode)
	set("alamat", p.Alamat)
	v.Set("operator_jenis", p.OperatorJenis)
	if p.KoperasiID != nil {
		v.Set("koperasi_id", p.KoperasiID.String())
	} else {
		set("operator_nama", p.OperatorNama)
	}
	if p.Dijaga {
		v.Set("dijaga", "true")
	}
	v.Set("lapor_kadens", p.LaporKadens)
	v.Set("status", p.Status)
	set("keterangan", p.Keterangan)
	if len(p.Jadwal.Mingguan) > 0 {
		m := p.Jadwal.Mingguan[0]
		v.Set("hari", strconv.Itoa(m.Hari))
		v.Set("mulai", m.Mulai)
		v.Set("selesai", m.Selesai)
	}
	var tgl []string
	for _, d := range p.Jadwal.Tanggal {
		tgl = append(tgl, d.Tanggal+" "+d.Mulai+"-"+d.Selesai)
	}
	v.Set("tanggal", strings.Join(tgl, "\n"))
	return v
}

// toTitik reads the form; a dated line is "YYYY-MM-DD HH:MM-HH:MM".
func toTitik(f url.Values) pemasaran.TitikInput {
	opt := func(k string) *string {
		if s := strings.TrimSpace(f.Get(k)); s != "" {
			return &s
		}
		return nil
	}
	in := pemasaran.TitikInput{Jenis: f.Get("jenis"), Nama: f.Get("nama"), KecamatanKode: opt("kecamatan_kode"), KelurahanKode: opt("kelurahan_kode"),
		Alamat: opt("alamat"), OperatorJenis: f.Get("operator_jenis"), OperatorNama: opt("operator_nama"), Dijaga: f.Get("dijaga") == "true",
		LaporKadens: f.Get("lapor_kadens"), Status: f.Get("status"), Keterangan: opt("keterangan")}
	if id, err := uuid.Parse(f.Get("koperasi_id")); err == nil {
		in.KoperasiID = &id
	}
	if h, err := strconv.Atoi(f.Get("hari")); err == nil {
		in.Jadwal.Mingguan = []pemasaran.TitikJadwalMingguan{{Hari: h, Mulai: strings.TrimSpace(f.Get("mulai")), Selesai: strings.TrimSpace(f.Get("selesai"))}}
	}
	for _, line := range strings.Split(f.Get("tanggal"), "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		day, jam, _ := strings.Cut(line, " ")
		mulai, selesai, _ := strings.Cut(strings.TrimSpace(jam), "-")
		in.Jadwal.Tanggal = append(in.Jadwal.Tanggal, pemasaran.TitikJadwalTanggal{Tanggal: day, Mulai: strings.TrimSpace(mulai), Selesai: strings.TrimSpace(selesai)})
	}
	return in
}

// titikGalat maps the service's field names to the form's.
func titikGalat(ae *apperr.Error) map[string]string {
	g := fieldMessages(ae)
	for k, m := range g {
		switch {
		case strings.HasPrefix(k, "jadwal.mingguan"):
			if _, ok := g["mulai"]; !ok {
				g["mulai"] = m
			}
		case strings.HasPrefix(k, "jadwal.tanggal"):
			if _, ok := g["tanggal"]; !ok {
				g["tanggal"] = m
			}
		}
	}
	return g
}

func (a *App) titikForm(q *Permintaan, judul string, isi url.Values) (*titikFormView, error) {
	reg, err := a.wilayah(q)
	if err != nil {
		return nil, err
	}
	v := &titikFormView{Halaman: q.Halaman(judul, "pemasaran"), isianForm: isianForm{Isi: isi, Galat: map[string]string{}},
		JenisOpsi: opsi(pemasaran.AllJenis, pemasaran.JenisLabel), OperatorOpsi: opsi(pemasaran.AllOperator, pemasaran.OperatorLabel),
		KadensOpsi: opsi(pemasaran.AllKadens, labelKadens), StatusOpsi: opsi(pemasaran.AllStatus, labelStatusTitik),
		KecOpsi: reg.kecamatan, KelGrup: reg.grup, HariOpsi: opsi([]string{"1", "2", "3", "4", "5", "6", "7"}, labelHari)}
	if a.Koperasi == nil {
		return v, nil
	}
	kv, err := koperasi.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return nil, err
	}
	page, err := a.Koperasi.List(q.ctx, q.T, koperasi.Filter{Limit: 500}, kv)
	if err != nil {
		return nil, err
	}
	for _, k := range page.Items {
		v.KoperasiOpsi = append(v.KoperasiOpsi, Opsi{Nilai: k.ID.String(), Label: k.Nama})
	}
	return v, nil
}

func (a *App) titikBaruForm(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	v, err := a.titikForm(q, "Titik pemasaran baru", url.Values{"status": {"aktif"}, "lapor_kadens": {"bulanan"}, "operator_jenis": {"kantor"}})
	if err != nil {
		return err
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

func (a *App) buatTitik(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	view, err := pemasaran.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return err
	}
	var p pemasaran.Titik
	err = a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) (err error) {
		p, err = a.Pemasaran.CreateTitikTx(q.ctx, tx, q.T, toTitik(r.PostForm), view)
		return err
	})
	if err == nil {
		http.Redirect(w, r, "/t/"+q.T.Slug+"/pemasaran/titik/"+p.ID.String()+"?pesan=baru", http.StatusSeeOther)
		return nil
	}
	return a.titikRefused(w, r, q, "Titik pemasaran baru", "", 0, err)
}

func (a *App) titikRefused(w http.ResponseWriter, r *http.Request, q *Permintaan, judul, id string, ver int64, err error) error {
	ae, ok := apperr.As(err)
	if !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict && ae.Kind != apperr.KindPreconditionFailed) {
		return err
	}
	v, verr := a.titikForm(q, judul, r.PostForm)
	if verr != nil {
		return verr
	}
	v.ID, v.Versi, v.Galat, v.Pesan = id, ver, titikGalat(ae), ae.Message.ID
	status := http.StatusUnprocessableEntity
	if ae.Kind == apperr.KindPreconditionFailed {
		status, v.Pesan = http.StatusPreconditionFailed, "Titik ini baru saja diubah orang lain. Isian Anda masih di bawah; muat ulang halaman titik untuk melihat perubahannya."
	}
	a.render(w, r, status, v)
	return nil
}

func (a *App) titikUbahForm(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, view, err := a.pemasaranPath(r, q)
	if err != nil {
		return err
	}
	p, err := a.Pemasaran.GetTitik(q.ctx, q.T, id, view)
	if err != nil {
		return err
	}
	v, err := a.titikForm(q, "Ubah "+p.Nama, fromTitik(p))
	if err != nil {
		return err
	}
	v.ID, v.Versi = p.ID.String(), p.Version
	a.render(w, r, http.StatusOK, v)
	return nil
}

func (a *App) ubahTitik(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return apperr.NotFound()
	}
	ver, _ := strconv.ParseInt(r.PostForm.Get("versi"), 10, 64)
	if ver <= 0 {
		ver = -1 // a form without its version is stale, never "any"
	}
	view, err := pemasaran.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return err
	}
	if _, err = a.Pemasaran.UpdateTitik(q.ctx, q.T, id, ver, toTitik(r.PostForm), view); err == nil {
		http.Redirect(w, r, "/t/"+q.T.Slug+"/pemasaran/titik/"+id.String()+"?pesan=ubah", http.StatusSeeOther)
		return nil
	}
	return a.titikRefused(w, r, q, "Ubah titik pemasaran", id.String(), ver, err)
}

func (a *App) pemasaranRoutes() {
	a.kantor("GET /t/{tenant}/pemasaran", "list-titik", a.daftarTitik)
	a.kantor("GET /t/{tenant}/pemasaran/titik/baru", "create-titik", a.titikBaruForm)
	a.kantor("POST /t/{tenant}/pemasaran/titik/baru", "create-titik", a.buatTitik)
	a.kantor("GET /t/{tenant}/pemasaran/titik/{id}", "get-titik", a.rekamTitik)
	a.kantor("GET /t/{tenant}/pemasaran/titik/{id}/ubah", "update-titik", a.titikUbahForm)
	a.kantor("POST /t/{tenant}/pemasaran/titik/{id}/ubah", "update-titik", a.ubahTitik)
	a.kantor("POST /t/{tenant}/pemasaran/titik/{id}/kurasi/{kurasi}/langkah", "update-titik-kurasi", a.langkahKurasi)
	a.produkRoutes()
}

// pemasaranPath is the record id of the path (unreadable: not found) and
// what the caller may reach of the marketing pages (pemasaran.Access).
func (a *App) pemasaranPath(r *http.Request, q *Permintaan) (uuid.UUID, pemasaran.View, error) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return uuid.Nil, pemasaran.View{}, apperr.NotFound()
	}
	view, err := pemasaran.Access(q.ctx, a.Authz, q.P, q.T)
	return id, view, err
}

func parseDay(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }
