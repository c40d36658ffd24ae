package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// The register of cooperatives (Register koperasi): the list with every
// filter of list-koperasi, one cooperative with its parts (koperasi_rekam.go,
// koperasi_bagian.go), its forms (koperasi_form.go), archiving and export.
// Cooperatives are not limited to a petugas's area; what personal data a
// caller sees is koperasi.Access, as in the API.

// The words of the register's codes.
var (
	labelJenisKop = map[string]string{"konsumen": "Konsumen", "produsen": "Produsen", "pemasaran": "Pemasaran", "jasa": "Jasa",
		"simpan_pinjam": "Simpan pinjam", koperasi.JenisBelum: "Belum ditetapkan", "belum_ditetapkan": "Belum ditetapkan"}
	labelKelompok = map[string]string{"ksu": "KSU", "kud": "KUD", "kpri": "KPRI", "kopwan": "Koperasi wanita",
		"kdmp": "Koperasi Desa/Kelurahan Merah Putih", "kopontren": "Kopontren", "kopkar": "Koperasi karyawan", "lainnya": "Lainnya"}
	labelPredikat = map[string]string{"sehat": "Sehat", "cukup_sehat": "Cukup sehat", "kurang_sehat": "Kurang sehat",
		"tidak_sehat": "Tidak sehat", "dalam_pengawasan": "Dalam pengawasan", "dalam_pengawasan_khusus": "Dalam pengawasan khusus",
		"belum_dinilai": "Belum dinilai"}
	labelRATDasbor = map[string]string{"patuh": "Patuh", "terlambat": "Terlambat",
		"tidak_rat_2_tahun": "Tidak RAT dua tahun atau lebih", "belum_pernah": "Belum pernah RAT"}
	labelYaTidakKop = map[string]string{"true": "Ya", "false": "Tidak"}
	labelUnit       = map[string]string{"toko": "Toko", "waserda": "Waserda", "sembako": "Sembako", "simpan_pinjam": "Simpan pinjam",
		"produksi": "Produksi", "kerajinan": "Kerajinan", "pengolahan": "Pengolahan", "pertanian": "Pertanian",
		"peternakan": "Peternakan", "perikanan": "Perikanan", "pemasaran_hasil": "Pemasaran hasil", "transportasi": "Transportasi",
		"travel_umroh": "Travel umrah", "klinik": "Klinik", "apotek": "Apotek", "listrik": "Listrik", "wisata": "Wisata",
		"rental": "Rental", "logistik": "Logistik", "jasa_lain": "Jasa lain", "lainnya": "Lainnya"}
	labelJabatan = map[string]string{"ketua": "Ketua", "wakil_ketua": "Wakil ketua", "sekretaris": "Sekretaris",
		"bendahara": "Bendahara", "pengurus": "Anggota pengurus", "ketua_pengawas": "Ketua pengawas", "pengawas": "Pengawas",
		"manajer": "Manajer"}
	labelPola = map[string]string{"close_loop": "Close loop (anggota saja)", "open_loop": "Open loop (juga bukan anggota)"}
)

var (
	jenisKode    = append(codes(koperasi.AllJenis), koperasi.JenisBelum)
	kelompokKode = codes(koperasi.AllKelompok)
	unitKode     = codes(koperasi.AllUnitKinds)
	// predikatKode are the predicates of list-koperasi's filter.
	predikatKode = []string{"sehat", "cukup_sehat", "kurang_sehat", "tidak_sehat", "dalam_pengawasan", "dalam_pengawasan_khusus"}
	yaTidakKode  = []string{"true", "false"}
)

func codes[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = string(c)
	}
	return out
}

// koperasiListView is the register of cooperatives.
type koperasiListView struct {
	Halaman
	F              koperasiFilter
	KecamatanOpsi  []Opsi
	KelurahanGrup  []Grup
	JenisOpsi      []Opsi
	KelompokOpsi   []Opsi
	PredikatOpsi   []Opsi
	YaTidakOpsi    []Opsi
	Items          []BarisKoperasi
	Berikutnya     string
	Lanjutan       bool
	Pertama        string
	Galat          map[string]string
	Pesan          string
	FilterTerpakai []string
}

// koperasiFilter is the list's query as typed, with the API's names.
type koperasiFilter struct {
	Q, Jenis, Kelompok, Kecamatan, Kelurahan, Predikat, RATTerlambat, Pilot, Aktif string
	Arsip                                                                          bool
}

// BarisKoperasi is one cooperative of the list.
type BarisKoperasi struct {
	koperasi.Koperasi
	NamaKecamatan, NamaKelurahan, Jenis, Kelompok, Predikat string
}

// Anggota is the cooperative's members, men and women.
func (b BarisKoperasi) Anggota() int { return b.AnggotaLaki + b.AnggotaPerempuan }

func readKoperasiFilter(in url.Values) koperasiFilter {
	return koperasiFilter{Q: strings.TrimSpace(in.Get("q")), Jenis: in.Get("jenis"), Kelompok: in.Get("kelompok"),
		Kecamatan: in.Get("kecamatan"), Kelurahan: in.Get("kelurahan"), Predikat: in.Get("predikat"),
		RATTerlambat: in.Get("rat_terlambat"), Pilot: in.Get("pilot"), Aktif: in.Get("aktif"), Arsip: in.Get("arsip") == "true"}
}

// values is the filter as a query string, without the cursor.
func (f koperasiFilter) values() url.Values {
	v := url.Values{}
	for _, p := range []struct{ k, v string }{{"q", f.Q}, {"jenis", f.Jenis}, {"kelompok", f.Kelompok}, {"kecamatan", f.Kecamatan},
		{"kelurahan", f.Kelurahan}, {"predikat", f.Predikat}, {"rat_terlambat", f.RATTerlambat}, {"pilot", f.Pilot}, {"aktif", f.Aktif}} {
		if p.v != "" {
			v.Set(p.k, p.v)
		}
	}
	if f.Arsip {
		v.Set("arsip", "true")
	}
	return v
}

func tri(s string) *bool {
	if s == "" {
		return nil
	}
	b := s == "true"
	return &b
}

// filter is the service's filter of the same choices (httpapi.KoperasiFilter).
func (f koperasiFilter) filter() koperasi.Filter {
	return koperasi.Filter{Jenis: f.Jenis, Kelompok: f.Kelompok, Kecamatan: f.Kecamatan, Kelurahan: f.Kelurahan,
		Predikat: f.Predikat, RATTerlambat: tri(f.RATTerlambat), Pilot: tri(f.Pilot), Aktif: tri(f.Aktif), Q: f.Q, Arsip: f.Arsip}
}

// check applies the API's bounds of the same parameters: a message per
// field, nil when all is well.
func (f koperasiFilter) check(reg *wilayah) map[string]string {
	g := checkCari(f.Q, f.Kecamatan, f.Kelurahan, reg)
	for _, c := range []struct {
		name, v string
		codes   []string
	}{{"jenis", f.Jenis, jenisKode}, {"kelompok", f.Kelompok, kelompokKode}, {"predikat", f.Predikat, predikatKode},
		{"rat_terlambat", f.RATTerlambat, yaTidakKode}, {"pilot", f.Pilot, yaTidakKode}, {"aktif", f.Aktif, yaTidakKode}} {
		if c.v != "" && !slices.Contains(c.codes, c.v) {
			g[c.name] = textPilihan
		}
	}
	if len(g) == 0 {
		return nil
	}
	return g
}

// words are the filters in force as the caption says them.
func (f koperasiFilter) words(reg *wilayah) []string {
	var out []string
	add := func(ok bool, s string) {
		if ok {
			out = append(out, s)
		}
	}
	add(f.Kelurahan != "", reg.nama[f.Kelurahan])
	add(f.Kelurahan == "" && f.Kecamatan != "", "Kecamatan "+reg.nama[f.Kecamatan])
	add(f.Jenis != "", "jenis "+lower(label(labelJenisKop, f.Jenis)))
	add(f.Kelompok != "", "kelompok "+label(labelKelompok, f.Kelompok))
	add(f.Predikat != "", "predikat "+lower(label(labelPredikat, f.Predikat)))
	add(f.RATTerlambat == "true", "RAT terlambat")
	add(f.RATTerlambat == "false", "RAT tidak terlambat")
	add(f.Pilot == "true", "koperasi pilot")
	add(f.Pilot == "false", "bukan pilot")
	add(f.Aktif == "true", "aktif")
	add(f.Aktif == "false", "tidak aktif")
	add(f.Arsip, "termasuk arsip")
	return out
}

// Saringan are the filters in force as hidden fields of the export's form.
func (v *koperasiListView) Saringan() []Pasangan { return saringan(v.F.values()) }

// Pilih is the select nama of the filter form.
func (v *koperasiListView) Pilih(nama, label, nilai, semua string, o []Opsi) Pilih {
	return Pilih{Nama: nama, Label: label, Nilai: nilai, Semua: semua, Opsi: o, Pesan: v.Galat[nama]}
}

// koperasiPageSize: a page a phone shows in a few screens.
const koperasiPageSize = 25

func (a *App) daftarKoperasi(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	in := r.URL.Query()
	f := readKoperasiFilter(in)
	reg, err := a.wilayah(q)
	if err != nil {
		return err
	}
	if f.Kelurahan != "" && f.Kecamatan != "" && reg.induk[f.Kelurahan] != "" && reg.induk[f.Kelurahan] != f.Kecamatan {
		f.Kelurahan = "" // chosen before the kecamatan that now wins
	}
	v := &koperasiListView{Halaman: q.Halaman("Register koperasi", "koperasi"), F: f, KecamatanOpsi: reg.kecamatan,
		KelurahanGrup: reg.kelurahanOf(f.Kecamatan, r.Header.Get("HX-Request") == "true"),
		JenisOpsi:     opsi(jenisKode, labelJenisKop), KelompokOpsi: opsi(kelompokKode, labelKelompok),
		PredikatOpsi: opsi(predikatKode, labelPredikat), YaTidakOpsi: opsi(yaTidakKode, labelYaTidakKop),
		Lanjutan: in.Get("cursor") != ""}
	if v.Galat = f.check(reg); v.Galat != nil {
		a.render(w, r, http.StatusUnprocessableEntity, v)
		return nil
	}
	v.FilterTerpakai = f.words(reg)
	view, err := koperasi.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return err
	}
	lf := f.filter()
	lf.Cursor, lf.Limit = in.Get("cursor"), koperasiPageSize
	page, err := a.Koperasi.List(q.ctx, q.T, lf, view)
	if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindInvalid {
		v.Pesan = ae.Message.ID
		a.render(w, r, http.StatusUnprocessableEntity, v)
		return nil
	} else if err != nil {
		return err
	}
	for _, k := range page.Items {
		v.Items = append(v.Items, baris(k, reg))
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

// baris is a cooperative with its codes in words.
func baris(k koperasi.Koperasi, reg *wilayah) BarisKoperasi {
	b := BarisKoperasi{Koperasi: k, NamaKecamatan: reg.nama[k.KecamatanKode], NamaKelurahan: reg.nama[k.KelurahanKode],
		Jenis: label(labelJenisKop, koperasi.JenisBelum)}
	if k.Jenis != nil {
		b.Jenis = label(labelJenisKop, *k.Jenis)
	}
	if k.Kelompok != nil {
		b.Kelompok = label(labelKelompok, *k.Kelompok)
	}
	if k.KesehatanPredikat != nil {
		b.Predikat = label(labelPredikat, *k.KesehatanPredikat)
	}
	return b
}

// eksporKoperasi queues the export of the list as filtered (export-koperasi)
// and opens its job's page, which shows the progress.
func (a *App) eksporKoperasi(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	reg, err := a.wilayah(q)
	if err != nil {
		return err
	}
	typed := readKoperasiFilter(r.PostForm)
	if typed.check(reg) != nil {
		return apperr.Invalid(apperr.T("Saringan pencarian tidak valid; perbaiki pencarian lalu ekspor lagi.",
			"The search filter is invalid; fix the search, then export again."))
	}
	view, err := koperasi.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return err
	}
	format := r.PostForm.Get("format")
	if format == "" {
		format = "csv"
	}
	params := koperasi.ExportParams{Format: format, View: view, Filter: typed.filter()}
	job, err := pekerjaan.Start(q.ctx, a.DB, a.Queue, q.T.ID, func(tx pgx.Tx) (pekerjaan.Job, river.JobArgs, error) {
		return a.Koperasi.QueueExport(q.ctx, tx, q.T, params, q.P.UserID)
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, jobURL(q, job.ID), http.StatusSeeOther)
	return nil
}

// koperasiPath is where a cooperative lives on the web.
func koperasiPath(t *tenancy.Tenant, id string) string { return "/t/" + t.Slug + "/koperasi/" + id }

// koperasiRoutes are the register's pages, each with the Casbin action of
// the API operation it does.
func (a *App) koperasiRoutes() {
	a.kantor("GET /t/{tenant}/koperasi", "list-koperasi", a.daftarKoperasi)
	a.kantor("POST /t/{tenant}/koperasi/ekspor", "export-koperasi", a.eksporKoperasi)
	a.kantor("GET /t/{tenant}/koperasi/baru", "create-koperasi", a.koperasiBaruForm)
	a.kantor("POST /t/{tenant}/koperasi/baru", "create-koperasi", a.buatKoperasi)
	a.kantor("GET /t/{tenant}/koperasi/{id}", "get-koperasi", a.rekamKoperasi)
	a.kantor("GET /t/{tenant}/koperasi/{id}/ubah", "update-koperasi", a.koperasiUbahForm)
	a.kantor("POST /t/{tenant}/koperasi/{id}/ubah", "update-koperasi", a.ubahKoperasi)
	a.kantor("GET /t/{tenant}/koperasi/{id}/arsip", "archive-koperasi", a.koperasiArsipForm)
	a.kantor("POST /t/{tenant}/koperasi/{id}/arsip", "archive-koperasi", a.arsipKoperasi)
	a.koperasiBagianRoutes()
}
