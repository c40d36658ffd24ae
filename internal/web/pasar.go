package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/grafik"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/pasar"
	"github.com/sentra-id/sentra/internal/umkm"
)

// Pasar & belanja: the summary of businesses online, in retail and bought
// from by the city (get-ringkasan-pasar), and the government purchases of
// a fiscal year with their share of the goods-and-services budget against
// the 40% target (list-, create-, archive-belanja-pemerintah,
// get- and update-anggaran-belanja), on the API's service.

// pasarRingkasanView is the summary page.
type pasarRingkasanView struct {
	Halaman
	R          pasar.RingkasanPasar
	AktifSejak string
	Kecamatan  Grafik
	Ritel      []BarisRitel
	Belanja    []BarisTahun
}

// BarisRitel is one retailer's listings in words.
type BarisRitel struct {
	pasar.PeritelRingkas
	Kata string
}

// BarisTahun is one fiscal year's purchases in words.
type BarisTahun struct {
	pasar.TahunBelanja
	Persen, Tautan string
}

// pasarBelanjaView is the government purchases page of one fiscal year.
type pasarBelanjaView struct {
	Halaman
	Tahun       int
	C           pasar.CapaianBelanja
	Persen      string // the share in words: 17,34%
	Kurang      string
	Bagan       template.HTML
	PerOPD      []BarisBagian
	PerSaluran  []BarisBagian
	Belanja     []BarisBelanja
	Form        isianForm
	Anggaran    isianForm
	Cari        string
	Calon       []BarisUMKM
	CalonKop    []koperasi.Koperasi
	SaluranOpsi []Opsi
	Kunci       string
	Hari        string
	Pesan       string // a refusal of a whole form
	Selesai     string
}

// BarisBagian is a part of the year's purchases in words.
type BarisBagian struct {
	Kata, Jumlah, Nilai, Persen string
}

// BarisBelanja is one purchase in words.
type BarisBelanja struct {
	pasar.Belanja
	Hari, SaluranKata, Tautan string
}

var labelSaluranBelanja = map[string]string{"e_katalog_lokal": "e-Katalog lokal", "toko_daring": "Toko Daring / Bela Pengadaan",
	"pengadaan_langsung": "Pengadaan langsung", "lainnya": "Lainnya"}

var selesaiBelanja = map[string]string{"dicatat": "Belanja sudah dicatat.", "anggaran": "Anggaran belanja barang/jasa sudah disimpan.",
	"diarsip": "Belanja sudah diarsipkan dan tidak lagi dihitung."}

// persenBP is basis points in words with two decimals: 1734 → 17,34%.
func persenBP(bp *int64) string {
	if bp == nil {
		return "–"
	}
	return format.Desimal(float64(*bp)/100, 2) + "%"
}

func (a *App) pasarRoutes() {
	a.kantor("GET /t/{tenant}/pasar", "get-ringkasan-pasar", a.pasarRingkasan)
	a.kantor("GET /t/{tenant}/pasar/toko", "list-toko-daring", a.pasarToko)
	a.kantor("GET /t/{tenant}/pasar/belanja", "list-belanja-pemerintah", a.pasarBelanja)
	a.kantor("POST /t/{tenant}/pasar/belanja", "create-belanja-pemerintah", a.catatBelanja)
	a.kantor("POST /t/{tenant}/pasar/belanja/{id}/arsip", "archive-belanja-pemerintah", a.arsipBelanja)
	a.kantor("POST /t/{tenant}/pasar/anggaran", "update-anggaran-belanja", a.simpanAnggaran)
	a.pasarUsahaRoutes()
}

func belanjaPath(slug string, tahun int) string {
	return "/t/" + slug + "/pasar/belanja?tahun=" + strconv.Itoa(tahun)
}

func (a *App) pasarRingkasan(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	view, err := a.pasarView(q)
	if err != nil {
		return err
	}
	s, err := a.Pasar.Ringkasan(q.ctx, q.T, view)
	if err != nil {
		return err
	}
	v := &pasarRingkasanView{Halaman: q.Halaman("Pasar & belanja", "pasar"), R: s, AktifSejak: hari(s.AktifSejak),
		Kecamatan: Grafik{ID: "daring-kecamatan", Judul: "UMKM dengan toko daring aktif per kecamatan", Kepala: "Kecamatan",
			Kolom:   []string{"Aktif 90 hari", "Punya toko daring", "Toko"},
			Catatan: "Aktif: terakhir berjualan dalam 90 hari terakhir menurut kalender kantor (sejak " + hari(s.AktifSejak) + ")."}}
	var bars []grafik.Batang
	for _, k := range s.Kecamatan {
		href := tokoPath(q.T.Slug, url.Values{"kecamatan": {k.Kode}, "aktif": {"ya"}})
		bars = append(bars, grafik.Batang{Label: k.Nama, Nilai: k.UsahaAktif, Href: href})
		v.Kecamatan.Baris = append(v.Kecamatan.Baris, BarisAngka{Label: k.Nama, Href: href,
			Nilai: []string{format.Angka(k.UsahaAktif), format.Angka(k.UsahaDaring), format.Angka(k.Toko)}})
	}
	v.Kecamatan.SVG = template.HTML(grafik.Mendatar(v.Kecamatan.Judul, bars)) // #nosec G203 -- grafik escapes every text
	for _, x := range s.Ritel {
		v.Ritel = append(v.Ritel, BarisRitel{PeritelRingkas: x, Kata: label(labelPeritel, x.Peritel)})
	}
	for _, b := range s.Belanja {
		v.Belanja = append(v.Belanja, BarisTahun{TahunBelanja: b, Persen: persenBP(b.PersenBP), Tautan: belanjaPath(q.T.Slug, b.Tahun)})
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// belanjaView reads the purchases page of the year asked (this year by
// default) with the purchase form as typed in f.
func (a *App) belanjaView(r *http.Request, q *Permintaan, tahun int) (*pasarBelanjaView, error) {
	today, err := q.T.Today(time.Now())
	if err != nil {
		return nil, err
	}
	if tahun == 0 {
		if tahun, _ = strconv.Atoi(r.URL.Query().Get("tahun")); tahun < 2000 || tahun > 2100 {
			tahun = today.Year()
		}
	}
	c, err := a.Pasar.Capaian(q.ctx, q.T, tahun)
	if err != nil {
		return nil, err
	}
	v := &pasarBelanjaView{Halaman: q.Halaman("Belanja pemerintah ke UMKM "+strconv.Itoa(tahun), "pasar"), Tahun: tahun, C: c,
		Persen: persenBP(c.PersenBP), Form: isianForm{Isi: url.Values{}, Galat: map[string]string{}},
		Anggaran: isianForm{Isi: url.Values{}, Galat: map[string]string{}}, SaluranOpsi: opsi(pasar.AllSaluran, labelSaluranBelanja),
		Kunci: uuid.NewString(), Hari: today.Format(time.DateOnly), Selesai: selesaiBelanja[r.URL.Query().Get("pesan")]}
	if c.KurangTarget != nil {
		v.Kurang = format.Rupiah(*c.KurangTarget)
		// One bar of the whole budget: bought, what the 40% still needs, the rest.
		bought, short := min(c.Nilai, *c.Anggaran), *c.KurangTarget
		rest := max(*c.Anggaran-bought-short, 0)
		v.Bagan = template.HTML(grafik.Bertumpuk("Belanja ke UMKM dan koperasi terhadap target 40%", // #nosec G203 -- grafik escapes every text
			[]string{"Sudah dibelanjakan ke UMKM/koperasi", "Kurang dari target 40%", "Sisa anggaran"},
			[]grafik.Baris{{Label: "Anggaran " + strconv.Itoa(tahun), Bagian: []grafik.Ruas{{Nilai: int(bought)}, {Nilai: int(short)}, {Nilai: int(rest)}}}}))
	}
	bagian := func(list []pasar.BagianBelanja, kata func(string) string) []BarisBagian {
		var out []BarisBagian
		for _, b := range list {
			out = append(out, BarisBagian{Kata: kata(b.Kunci), Jumlah: format.Angka(b.Jumlah), Nilai: format.Rupiah(b.Nilai), Persen: persenBP(b.PersenBP)})
		}
		return out
	}
	v.PerOPD = bagian(c.PerOPD, func(s string) string { return s })
	v.PerSaluran = bagian(c.PerSaluran, func(s string) string { return label(labelSaluranBelanja, s) })
	list, err := a.Pasar.ListBelanja(q.ctx, q.T, pasar.BelanjaFilter{Tahun: tahun, Limit: 200})
	if err != nil {
		return nil, err
	}
	for _, b := range list {
		x := BarisBelanja{Belanja: b, Hari: hari(b.Tanggal), SaluranKata: label(labelSaluranBelanja, b.Saluran)}
		if b.UMKMID != nil {
			x.Tautan = recordPath(q.T, b.UMKMID.String())
		}
		v.Belanja = append(v.Belanja, x)
	}
	if c.Anggaran != nil {
		v.Anggaran.Isi.Set("nilai", strconv.FormatInt(*c.Anggaran, 10))
		v.Anggaran.Isi.Set("versi", strconv.FormatInt(c.AnggaranVer, 10))
	}
	v.Cari = strings.TrimSpace(r.URL.Query().Get("cari"))
	return v, a.calonPenjual(q, v)
}

// calonPenjual offers the businesses matching the search as the seller.
func (a *App) calonPenjual(q *Permintaan, v *pasarBelanjaView) error {
	if v.Cari == "" || !q.Can("create-belanja-pemerintah") {
		return nil
	}
	sc, view, err := umkm.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return err
	}
	if v.Calon, err = a.calonUMKM(q, v.Cari, sc, view, v.Form.Galat); err != nil || v.Form.Galat["cari"] != "" || !q.Can("list-koperasi") {
		return err
	}
	kv, err := koperasi.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return err
	}
	page, err := a.Koperasi.List(q.ctx, q.T, koperasi.Filter{Q: v.Cari, Limit: calonShown}, kv)
	v.CalonKop = page.Items
	return err
}

// penjual reads the seller chosen, "umkm:<id>" or "koperasi:<id>", into in.
func penjual(s string, in *pasar.BelanjaInput) {
	jenis, id, _ := strings.Cut(s, ":")
	u, err := uuid.Parse(id)
	switch {
	case err != nil:
	case jenis == "umkm":
		in.UMKMID = &u
	case jenis == "koperasi":
		in.KoperasiID = &u
	}
}

func (a *App) pasarBelanja(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	v, err := a.belanjaView(r, q, 0)
	if err != nil {
		return err
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// rupiahIsian reads an amount typed with or without thousands dots (and
// "Rp"); what does not read is 0, which the service refuses naming it.
func rupiahIsian(s string) int64 {
	s = strings.NewReplacer(".", "", " ", "", "Rp", "", "rp", "").Replace(strings.TrimSpace(s))
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

func (a *App) catatBelanja(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.belanjaTulis(w, r, q, "form", func(f url.Values) (int, error) {
		in := pasar.BelanjaInput{OPD: f.Get("opd"), Saluran: f.Get("saluran"), Tanggal: f.Get("tanggal"), Nilai: rupiahIsian(f.Get("nilai"))}
		for k, p := range map[string]**string{"acara": &in.Acara, "catatan": &in.Catatan} {
			if s := f.Get(k); strings.TrimSpace(s) != "" {
				*p = &s
			}
		}
		penjual(f.Get("penjual"), &in)
		tahun, _ := strconv.Atoi(f.Get("tanggal")[:min(4, len(f.Get("tanggal")))])
		_, err := a.once(q, f.Get("kunci"), "create-belanja-pemerintah (web)", in, http.StatusCreated, func(tx pgx.Tx) (uuid.UUID, string, error) {
			x, err := a.Pasar.CreateBelanjaTx(q.ctx, tx, q.T, in)
			return x.ID, "/v1/tenants/" + q.T.Slug + "/belanja-pemerintah/" + x.ID.String(), err
		})
		return tahun, err
	}, "dicatat")
}

func (a *App) arsipBelanja(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.belanjaTulis(w, r, q, "form", func(f url.Values) (int, error) {
		id, err := pathID(r, "id")
		if err != nil {
			return 0, err
		}
		b, err := a.Pasar.UpdateBelanja(q.ctx, q.T, id, int64(angkaIsian(f.Get("versi"))), nil)
		tahun, _ := strconv.Atoi(b.Tanggal[:min(4, len(b.Tanggal))])
		return tahun, err
	}, "diarsip")
}

func (a *App) simpanAnggaran(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.belanjaTulis(w, r, q, "anggaran", func(f url.Values) (int, error) {
		tahun, _ := strconv.Atoi(f.Get("tahun"))
		_, err := a.Pasar.SetAnggaran(q.ctx, q.T, tahun, int64(angkaIsian(f.Get("versi"))), pasar.AnggaranInput{Nilai: rupiahIsian(f.Get("nilai"))})
		return tahun, err
	}, "anggaran")
}

// belanjaTulis runs a write of the purchases page: done goes back to the
// year's page with its message; a refusal the API would answer 4xx shows
// the page again with the form (bentuk) as typed and the messages beside
// its fields.
func (a *App) belanjaTulis(w http.ResponseWriter, r *http.Request, q *Permintaan, bentuk string, write func(f url.Values) (int, error), pesan string) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	tahun, err := write(r.PostForm)
	if err == nil {
		http.Redirect(w, r, belanjaPath(q.T.Slug, tahun)+"&pesan="+pesan, http.StatusSeeOther)
		return nil
	}
	ae, ok := apperr.As(err)
	if !ok {
		return err
	}
	status := statusFormulir(ae)
	if status == 0 {
		return err
	}
	if tahun < 2000 || tahun > 2100 {
		tahun = 0
	}
	r.URL.RawQuery = url.Values{"cari": {r.PostForm.Get("cari")}}.Encode()
	v, err := a.belanjaView(r, q, tahun)
	if err != nil {
		return err
	}
	form := &v.Form
	if bentuk == "anggaran" {
		form = &v.Anggaran
	}
	form.Isi, form.Galat = r.PostForm, fieldMessages(ae)
	for _, k := range []string{"koperasi_id", "umkm_id"} { // both are the one seller field
		if m, ok := form.Galat[k]; ok {
			form.Galat["penjual"] = m
		}
	}
	v.Pesan = ae.Message.ID
	if ae.Kind == apperr.KindPreconditionFailed {
		v.Pesan = textDiubahOrang
	}
	if k := r.PostForm.Get("kunci"); k != "" {
		v.Kunci = k
	}
	a.render(w, r, status, v)
	return nil
}

// IsianBelanja are the purchase form's fields after the seller.
func (v *pasarBelanjaView) IsianBelanja() []IsianPasar {
	return []IsianPasar{{"opd", "OPD pembeli", "text"}, {"acara", "Acara (bila ada)", "text"}, {"saluran", "Saluran", "saluran"},
		{"tanggal", "Tanggal", "date"}, {"nilai", "Nilai (rupiah)", "angka"}, {"catatan", "Catatan", "text"}}
}

// AnggaranNilai is the year's budget, 0 when none is recorded.
func (v *pasarBelanjaView) AnggaranNilai() int64 {
	if v.C.Anggaran == nil {
		return 0
	}
	return *v.C.Anggaran
}

// statusFormulir is the status of a form shown again after a refusal the
// API answers the same way; 0 for one that is no form's to show.
func statusFormulir(ae *apperr.Error) int {
	return map[apperr.Kind]int{apperr.KindConflict: http.StatusConflict, apperr.KindPreconditionFailed: http.StatusPreconditionFailed,
		apperr.KindInvalid: http.StatusUnprocessableEntity}[ae.Kind]
}
