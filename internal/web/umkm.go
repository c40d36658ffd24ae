package web

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/teks"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/umkm"
)

// The register of businesses (Register UMKM): the list with every filter
// of list-umkm, one record, its forms, archiving and duplicates. Each page
// asks umkm.Access for the caller's area and view of personal data, as the
// API's handlers do; a record outside the area is "tidak ditemukan".

// Opsi is an option of a select.
type Opsi struct{ Nilai, Label string }

// Grup is a group of options (an <optgroup>): the desa/kelurahan of one
// kecamatan.
type Grup struct {
	Label string
	Opsi  []Opsi
}

// The words the register's codes are shown with.
var (
	labelSektor = map[string]string{"kuliner": "Kuliner", "fashion": "Fesyen", "kerajinan": "Kerajinan", "jasa": "Jasa",
		"perdagangan": "Perdagangan", "pertanian": "Pertanian", "peternakan": "Peternakan", "perikanan": "Perikanan",
		"otomotif": "Otomotif", "kecantikan": "Kecantikan", "teknologi": "Teknologi", "pendidikan": "Pendidikan", "lainnya": "Lainnya"}
	labelSkala        = map[string]string{"mikro": "Mikro", "kecil": "Kecil", "menengah": "Menengah", "besar": "Besar"}
	labelJenisKelamin = map[string]string{"L": "Laki-laki", "P": "Perempuan"}
	labelBinaan       = map[string]string{"binaan": "Binaan", "bukan_binaan": "Bukan binaan"}
	labelLegal        = map[string]string{"nib": "NIB", "pirt": "P-IRT", "halal": "Sertifikat halal", "bpom_md": "BPOM MD",
		"bpom_ml": "BPOM ML", "hki": "HKI (merek)", "sni": "SNI"}
	labelLegalStatus = map[string]string{"terbit": "Terbit", "dalam_proses": "Dalam proses", "belum": "Belum"}
	labelKendala     = map[string]string{"permodalan": "Permodalan", "pemasaran": "Pemasaran", "bahan_baku": "Bahan baku",
		"legalitas": "Legalitas", "sdm": "SDM", "teknologi": "Teknologi", "perizinan": "Perizinan", "lainnya": "Lainnya"}
	labelSaluran = map[string]string{"offline": "Toko/offline", "shopee": "Shopee", "tokopedia": "Tokopedia",
		"tiktok_shop": "TikTok Shop", "lazada": "Lazada", "bukalapak": "Bukalapak", "grabfood": "GrabFood", "gofood": "GoFood",
		"shopeefood": "ShopeeFood", "ritel_modern": "Ritel modern", "media_sosial": "Media sosial", "website": "Situs web",
		"lainnya": "Lainnya"}
	labelSumber = map[string]string{umkm.SourceStaf: "Diinput staf", umkm.SourceRegistrasi: "Registrasi online",
		umkm.SourceImpor: "Impor berkas"}
)

var (
	skalaKode  = []string{umkm.SkalaMikro, umkm.SkalaKecil, umkm.SkalaMenengah, umkm.SkalaBesar}
	binaanKode = []string{"binaan", "bukan_binaan"}
	jkKode     = []string{"L", "P"}
)

// opsi are the options of codes, in their order, with their words.
func opsi(codes []string, labels map[string]string) []Opsi {
	out := make([]Opsi, len(codes))
	for i, c := range codes {
		out[i] = Opsi{Nilai: c, Label: labels[c]}
	}
	return out
}

// label is the word of a code, the code itself when it has none.
func label(labels map[string]string, code string) string {
	if l, ok := labels[code]; ok {
		return l
	}
	return code
}

// wilayah is an office's regions as the register's pages show them.
type wilayah struct {
	nama      map[string]string // kode → name, kecamatan and desa/kelurahan
	induk     map[string]string // desa/kelurahan → its kecamatan
	kecamatan []Opsi
	grup      []Grup
}

func (a *App) wilayah(q *Permintaan) (*wilayah, error) { return a.wilayahOf(q.ctx, q.T.ID) }

// wilayahOf is the regions of the office tenantID, for pages outside
// /t/{tenant}/ (the public form).
func (a *App) wilayahOf(ctx context.Context, tenantID uuid.UUID) (*wilayah, error) {
	list, err := a.Tenants.ListWilayah(ctx, tenantID, "", 1000)
	if err != nil {
		return nil, err
	}
	w := &wilayah{nama: map[string]string{}, induk: map[string]string{}}
	for _, k := range list {
		w.nama[k.Kode] = k.Nama
		w.kecamatan = append(w.kecamatan, Opsi{Nilai: k.Kode, Label: k.Nama})
		g := Grup{Label: k.Nama}
		for _, d := range k.Children {
			w.nama[d.Kode], w.induk[d.Kode] = d.Nama, k.Kode
			g.Opsi = append(g.Opsi, Opsi{Nilai: d.Kode, Label: d.Nama})
		}
		w.grup = append(w.grup, g)
	}
	return w, nil
}

// kelurahanOf is the desa/kelurahan to choose from: those of kecamatan
// when one is given and filtered (htmx asked for them), every one grouped
// by kecamatan otherwise (a page without JavaScript offers them all).
func (w *wilayah) kelurahanOf(kecamatan string, filtered bool) []Grup {
	if !filtered || kecamatan == "" {
		return w.grup
	}
	for i, k := range w.kecamatan {
		if k.Nilai == kecamatan {
			return w.grup[i : i+1]
		}
	}
	return w.grup
}

// umkmListView is the register: a search, the filters of list-umkm and a
// page of businesses.
type umkmListView struct {
	Halaman
	F              umkmFilter
	KecamatanOpsi  []Opsi
	KelurahanGrup  []Grup
	SektorOpsi     []Opsi
	SkalaOpsi      []Opsi
	JKOpsi         []Opsi
	BinaanOpsi     []Opsi
	LegalOpsi      []Opsi
	KendalaOpsi    []Opsi
	Items          []BarisUMKM
	Berikutnya     string // the next page's URL; "" on the last page
	Lanjutan       bool   // this page follows another
	Pertama        string // the first page's URL
	Galat          map[string]string
	Pesan          string
	AdaFilter      bool
	BisaDaftarkan  bool
	BisaDuplikat   bool
	FilterTerpakai []string // the filters in force, in words
}

// umkmFilter is the list's query as typed.
type umkmFilter struct {
	Q, Kecamatan, Kelurahan, Sektor, Skala, JenisKelamin, StatusBinaan string
	PunyaLegalitas, TanpaLegalitas, Kendala                            string
	Arsip                                                              bool
}

// values is the filter as a query string, without the cursor.
func (f umkmFilter) values() url.Values {
	v := url.Values{}
	for _, p := range []struct{ k, v string }{{"q", f.Q}, {"kecamatan", f.Kecamatan}, {"kelurahan", f.Kelurahan},
		{"sektor", f.Sektor}, {"skala", f.Skala}, {"jenis_kelamin", f.JenisKelamin}, {"status_binaan", f.StatusBinaan},
		{"punya_legalitas", f.PunyaLegalitas}, {"tanpa_legalitas", f.TanpaLegalitas}, {"kendala", f.Kendala}} {
		if p.v != "" {
			v.Set(p.k, p.v)
		}
	}
	if f.Arsip {
		v.Set("arsip", "true")
	}
	return v
}

// BarisUMKM is one business of the list, with its regions named.
type BarisUMKM struct {
	umkm.Record
	NamaKecamatan, NamaKelurahan, Sektor, Skala string
}

// umkmPageSize: a page that a phone shows in a few screens.
const umkmPageSize = 25

var textPilihan = "Pilihan tidak dikenal; pilih dari daftar."

// readFilter is the list's filter as sent (a query, or the export's form).
func readFilter(in url.Values) umkmFilter {
	return umkmFilter{Q: strings.TrimSpace(in.Get("q")), Kecamatan: in.Get("kecamatan"), Kelurahan: in.Get("kelurahan"),
		Sektor: in.Get("sektor"), Skala: in.Get("skala"), JenisKelamin: in.Get("jenis_kelamin"),
		StatusBinaan: in.Get("status_binaan"), PunyaLegalitas: in.Get("punya_legalitas"),
		TanpaLegalitas: in.Get("tanpa_legalitas"), Kendala: in.Get("kendala"), Arsip: in.Get("arsip") == "true"}
}

// filter is the service's filter of the same choices.
func (f umkmFilter) filter() umkm.Filter {
	return umkm.Filter{Q: f.Q, Kecamatan: f.Kecamatan, Kelurahan: f.Kelurahan, Sektor: f.Sektor, Skala: f.Skala,
		JenisKelamin: f.JenisKelamin, StatusBinaan: f.StatusBinaan, PunyaLegalitas: f.PunyaLegalitas,
		TanpaLegalitas: f.TanpaLegalitas, Kendala: f.Kendala, Arsip: f.Arsip}
}

// Pasangan is a name and its value (a hidden field).
type Pasangan struct{ Nama, Nilai string }

// Saringan are the filters in force as hidden fields: the export's form
// exports what the list shows.
func (v *umkmListView) Saringan() []Pasangan { return saringan(v.F.values()) }

// saringan are a list's filters as hidden fields, by name.
func saringan(vals url.Values) []Pasangan {
	var out []Pasangan
	for _, k := range slices.Sorted(maps.Keys(vals)) {
		out = append(out, Pasangan{Nama: k, Nilai: vals.Get(k)})
	}
	return out
}

func (a *App) daftarUMKM(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	in := r.URL.Query()
	f := readFilter(in)
	reg, err := a.wilayah(q)
	if err != nil {
		return err
	}
	// A desa/kelurahan of another kecamatan than the one just chosen was
	// chosen before it: the new kecamatan wins.
	if f.Kelurahan != "" && f.Kecamatan != "" && reg.induk[f.Kelurahan] != "" && reg.induk[f.Kelurahan] != f.Kecamatan {
		f.Kelurahan = ""
	}
	htmx := r.Header.Get("HX-Request") == "true"
	v := &umkmListView{Halaman: q.Halaman("Register UMKM", "umkm"), F: f, KecamatanOpsi: reg.kecamatan,
		KelurahanGrup: reg.kelurahanOf(f.Kecamatan, htmx),
		SektorOpsi:    opsi(umkm.Sectors, labelSektor), SkalaOpsi: opsi(skalaKode, labelSkala),
		JKOpsi: opsi(jkKode, labelJenisKelamin), BinaanOpsi: opsi(binaanKode, labelBinaan),
		LegalOpsi: opsi(umkm.LegalKinds, labelLegal), KendalaOpsi: opsi(umkm.KendalaCategories, labelKendala),
		BisaDaftarkan: q.Can("create-umkm"), BisaDuplikat: q.Can("list-umkm-duplikat"), Lanjutan: in.Get("cursor") != ""}
	v.Galat = checkFilter(f, reg)
	if v.Galat != nil {
		a.render(w, r, http.StatusUnprocessableEntity, v)
		return nil
	}
	v.FilterTerpakai = f.words(reg)
	v.AdaFilter = len(v.FilterTerpakai) > 0 || f.Q != ""
	sc, view, err := umkm.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return err
	}
	lf := f.filter()
	lf.Cursor, lf.Limit = in.Get("cursor"), umkmPageSize
	page, err := a.UMKM.List(q.ctx, q.T, lf, sc, view)
	if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindInvalid {
		v.Pesan = ae.Message.ID
		a.render(w, r, http.StatusUnprocessableEntity, v)
		return nil
	} else if err != nil {
		return err
	}
	for _, rec := range page.Items {
		b := BarisUMKM{Record: rec, NamaKecamatan: reg.nama[rec.KecamatanKode], NamaKelurahan: reg.nama[rec.KelurahanKode],
			Sektor: label(labelSektor, rec.Sektor)}
		if rec.SkalaHitung != nil {
			b.Skala = label(labelSkala, rec.SkalaHitung.Skala)
		}
		v.Items = append(v.Items, b)
	}
	v.Pertama = r.URL.Path
	if first := f.values().Encode(); first != "" {
		v.Pertama += "?" + first
	}
	if page.NextCursor != "" {
		next := f.values()
		next.Set("cursor", page.NextCursor)
		v.Berikutnya = r.URL.Path + "?" + next.Encode()
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// checkFilter applies the API's bounds of the same parameters
// (httpapi.UMKMFilter): a message per field, nil when all is well.
func checkFilter(f umkmFilter, reg *wilayah) map[string]string {
	g := checkCari(f.Q, f.Kecamatan, f.Kelurahan, reg)
	for _, c := range []struct {
		name, v string
		codes   []string
	}{{"sektor", f.Sektor, umkm.Sectors}, {"skala", f.Skala, skalaKode}, {"jenis_kelamin", f.JenisKelamin, jkKode},
		{"status_binaan", f.StatusBinaan, binaanKode}, {"punya_legalitas", f.PunyaLegalitas, umkm.LegalKinds},
		{"tanpa_legalitas", f.TanpaLegalitas, umkm.LegalKinds}, {"kendala", f.Kendala, umkm.KendalaCategories}} {
		if c.v != "" && !slices.Contains(c.codes, c.v) {
			g[c.name] = textPilihan
		}
	}
	if len(g) == 0 {
		return nil
	}
	return g
}

// checkCari checks a list's search and regions (the API's bounds): a
// message per field.
func checkCari(q, kecamatan, kelurahan string, reg *wilayah) map[string]string {
	g := map[string]string{}
	switch {
	case !teks.Clean(q):
		g["q"] = "Berisi karakter yang tidak terbaca atau karakter kontrol."
	case utf8.RuneCountInString(q) > 100:
		g["q"] = "Paling banyak 100 karakter."
	}
	if kecamatan != "" && (reg.nama[kecamatan] == "" || reg.induk[kecamatan] != "") {
		g["kecamatan"] = "Kecamatan tidak dikenal di kantor ini."
	}
	if kelurahan != "" && reg.induk[kelurahan] == "" {
		g["kelurahan"] = "Desa/kelurahan tidak dikenal di kantor ini."
	}
	return g
}

// words are the filters in force as a caption says them.
func (f umkmFilter) words(reg *wilayah) []string {
	var out []string
	add := func(ok bool, s string) {
		if ok {
			out = append(out, s)
		}
	}
	add(f.Kelurahan != "", reg.nama[f.Kelurahan])
	add(f.Kelurahan == "" && f.Kecamatan != "", "Kecamatan "+reg.nama[f.Kecamatan])
	add(f.Sektor != "", "sektor "+label(labelSektor, f.Sektor))
	add(f.Skala != "", "skala "+label(labelSkala, f.Skala))
	add(f.JenisKelamin != "", "pemilik "+strings.ToLower(label(labelJenisKelamin, f.JenisKelamin)))
	add(f.StatusBinaan != "", strings.ToLower(label(labelBinaan, f.StatusBinaan)))
	add(f.PunyaLegalitas != "", "punya "+label(labelLegal, f.PunyaLegalitas))
	add(f.TanpaLegalitas != "", "tanpa "+label(labelLegal, f.TanpaLegalitas))
	add(f.Kendala != "", "kendala "+strings.ToLower(label(labelKendala, f.Kendala)))
	add(f.Arsip, "termasuk arsip")
	return out
}

// recordPath is where a record lives on the web.
func recordPath(t *tenancy.Tenant, id string) string { return "/t/" + t.Slug + "/umkm/" + id }

// Pilih is what the umkm-pilih partial needs of a select: its name, label,
// options, the value chosen, the word of "any" and the field's message.
type Pilih struct {
	Nama, Label, Nilai, Semua, Pesan string
	Opsi                             []Opsi
}

// Pilih is the select nama of the filter form.
func (v *umkmListView) Pilih(nama, label, nilai, semua string, o []Opsi) Pilih {
	return Pilih{Nama: nama, Label: label, Nilai: nilai, Semua: semua, Opsi: o, Pesan: v.Galat[nama]}
}

// umkmRoutes are the register's pages, each with the Casbin action of the
// API operation it does.
func (a *App) umkmRoutes() {
	a.kantor("GET /t/{tenant}/umkm/baru", "create-umkm", a.baruForm)
	a.kantor("POST /t/{tenant}/umkm/baru", "create-umkm", a.buat)
	a.kantor("GET /t/{tenant}/umkm/duplikat", "list-umkm-duplikat", a.duplikat)
	a.kantor("GET /t/{tenant}/umkm/duplikat/banding", "list-umkm-duplikat", a.banding)
	a.kantor("GET /t/{tenant}/umkm/{id}", "get-umkm", a.rekamUMKM)
	a.kantor("GET /t/{tenant}/umkm/{id}/ubah", "update-umkm", a.ubahForm)
	a.kantor("POST /t/{tenant}/umkm/{id}/ubah", "update-umkm", a.ubah)
	a.kantor("GET /t/{tenant}/umkm/{id}/arsip", "archive-umkm", a.arsipForm)
	a.kantor("POST /t/{tenant}/umkm/{id}/arsip", "archive-umkm", a.arsip)
	a.kantor("POST /t/{tenant}/umkm/{id}/kendala", "create-kendala", a.buatKendala)
	a.kantor("POST /t/{tenant}/umkm/{id}/kendala/{kendala}/selesai", "resolve-kendala", a.selesaiKendala)
	a.kantor("POST /t/{tenant}/umkm/{id}/gabung", "merge-umkm", a.gabung)
}
