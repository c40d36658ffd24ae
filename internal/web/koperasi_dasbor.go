package web

import (
	"html/template"
	"net/url"

	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/grafik"
	"github.com/sentra-id/sentra/internal/koperasi"
)

// The cooperatives' section of the office dashboard: the figures of
// get-dasbor (dasbor.AngkaKoperasi) as charts with their tables; a figure
// the register of cooperatives filters by links to it filtered (for whom
// may open it). The pilot of each kecamatan is read from the register
// (list-koperasi, pilot=true): at most one per kecamatan.

// DasborKoperasi is the cooperatives' section of the dashboard.
type DasborKoperasi struct {
	Ringkasan   []Ringkasan
	Grafik      []Grafik
	Reklas      Reklasifikasi
	Pilot       []BarisPilot // nil when the caller may not open the register
	BisaDaftar  bool
	DaftarPilot string
}

// Reklasifikasi is the progress of moving the legacy KSU to a legal type.
type Reklasifikasi struct {
	Sudah, Belum, BelumTidakAktif int
	SVG                           template.HTML
	Kampanye                      string // in words; "" when none ran
	Usulan, Keputusan             []BarisAngka
	BelumHref, TidakAktifHref     string
}

// BarisPilot is a kecamatan and its pilot cooperative, if any.
type BarisPilot struct {
	Kecamatan, Koperasi, Href, Daftar string
}

var (
	labelKampanye = map[string]string{"berjalan": "Sedang berjalan", "selesai": "Selesai", "gagal": "Gagal"}
	labelUsulan   = map[string]string{"usulan_tinggi": "Usulan keyakinan tinggi", "usulan_sedang": "Usulan keyakinan sedang",
		"perlu_tinjauan": "Perlu tinjauan", "perlu_data": "Perlu data"}
	labelKeputusan = map[string]string{"menunggu": "Menunggu", "disetujui": "Disetujui", "ditolak": "Ditolak"}
	labelAktif     = map[string]string{"ya": "Aktif", "tidak": "Tidak aktif"}
	labelAnggotaJK = map[string]string{"laki": "Laki-laki", "perempuan": "Perempuan"}
	// jenisFilter: the dashboard's jenis that the list names otherwise.
	jenisFilter = map[string]string{"belum_ditetapkan": koperasi.JenisBelum}
)

// daftarKop is the register of cooperatives filtered by the pairs given
// (param, value, ...); "" when the caller may not open it.
func (d *DasborKoperasi) daftarKop(slug string, kv ...string) string {
	if !d.BisaDaftar {
		return ""
	}
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	return "/t/" + slug + "/koperasi?" + q.Encode()
}

func (a *App) dasborKoperasi(q *Permintaan, k dasbor.AngkaKoperasi, kec []dasbor.KecamatanDasbor) (*DasborKoperasi, error) {
	slug := q.T.Slug
	d := &DasborKoperasi{BisaDaftar: q.Can("list-koperasi")}
	// link links a value to the list filtered by param; values maps the
	// dashboard's values to the filter's (only: and no other is linked).
	link := func(param string, values map[string]string, only bool) func(string) string {
		return func(v string) string {
			if f, ok := values[v]; ok {
				v = f
			} else if only {
				return ""
			}
			if v == "" || v == "tidak_diketahui" || v == "belum_dinilai" {
				return ""
			}
			return d.daftarKop(slug, param, v)
		}
	}
	none := func(string) string { return "" }
	anggota := k.AnggotaLaki + k.AnggotaPerempuan
	r := k.Reklasifikasi
	d.Ringkasan = []Ringkasan{
		{Label: "Koperasi terdaftar", Nilai: k.Total},
		{Label: "Koperasi aktif", Nilai: nilai(k.Aktif, "ya"), Dari: k.Total},
		{Label: "Koperasi pilot", Nilai: k.Pilot, Dari: k.Total},
		{Label: "Punya unit toko", Nilai: k.UnitToko, Dari: k.Total},
		{Label: "Pembukuan digital", Nilai: k.PembukuanDigital, Dari: k.Total},
		{Label: "Anggota koperasi", Nilai: anggota},
		{Label: "Belum punya jenis (KSU tersisa)", Nilai: r.Belum + r.BelumTidakAktif, Dari: k.Total},
	}
	yaTidak := map[string]string{"ya": "true", "tidak": "false"}
	d.Grafik = []Grafik{
		batang("kop-jenis", "Koperasi per jenis", "Jenis", "Jumlah koperasi", k.Jenis, labelJenisKop, link("jenis", jenisFilter, false), k.Total, ""),
		batang("kop-kelompok", "Koperasi per kelompok", "Kelompok", "Jumlah koperasi", k.Kelompok, labelKelompok, link("kelompok", nil, false), k.Total, ""),
		batang("kop-kesehatan", "Predikat kesehatan terakhir", "Predikat", "Jumlah koperasi", k.Kesehatan, labelPredikat, link("predikat", nil, false), k.Total, ""),
		batang("kop-rat", "Kepatuhan RAT", "RAT", "Jumlah koperasi", k.RAT, labelRATDasbor,
			link("rat_terlambat", map[string]string{"tidak_rat_2_tahun": "true"}, true), k.Total,
			"Patuh: RAT yang jatuh tempo sudah diadakan. Tautan membuka koperasi tanpa RAT dua tahun atau lebih (RAT terlambat di register)."),
		batang("kop-aktif", "Koperasi aktif", "Status", "Jumlah koperasi", k.Aktif, labelAktif, link("aktif", yaTidak, true), k.Total, ""),
		batang("kop-fasilitas", "Pilot, unit toko dan pembukuan digital", "Keterangan", "Jumlah koperasi",
			[]dasbor.Angka{{Nilai: "pilot", Jumlah: k.Pilot}, {Nilai: "unit_toko", Jumlah: k.UnitToko}, {Nilai: "pembukuan_digital", Jumlah: k.PembukuanDigital}},
			map[string]string{"pilot": "Koperasi pilot", "unit_toko": "Punya unit toko", "pembukuan_digital": "Pembukuan digital"},
			func(v string) string {
				if v == "pilot" {
					return d.daftarKop(slug, "pilot", "true")
				}
				return ""
			}, k.Total, "Register koperasi dapat disaring menurut pilot; unit toko dan pembukuan digital terlihat di data tiap koperasi."),
		batang("kop-anggota", "Anggota koperasi", "Jenis kelamin", "Jumlah anggota",
			[]dasbor.Angka{{Nilai: "laki", Jumlah: k.AnggotaLaki}, {Nilai: "perempuan", Jumlah: k.AnggotaPerempuan}}, labelAnggotaJK, none, anggota,
			"Jumlah anggota yang tercatat di tiap koperasi."),
	}
	d.Reklas = Reklasifikasi{Sudah: r.Sudah, Belum: r.Belum, BelumTidakAktif: r.BelumTidakAktif,
		SVG:       template.HTML(grafik.Progres("KSU yang sudah punya jenis", r.Sudah, r.Sudah+r.Belum+r.BelumTidakAktif, "")), // #nosec G203 -- grafik escapes every text
		BelumHref: d.daftarKop(slug, "jenis", koperasi.JenisBelum, "aktif", "true"), TidakAktifHref: d.daftarKop(slug, "jenis", koperasi.JenisBelum, "aktif", "false")}
	if r.Kampanye != "" {
		d.Reklas.Kampanye = label(labelKampanye, r.Kampanye)
	}
	for _, u := range r.Usulan {
		d.Reklas.Usulan = append(d.Reklas.Usulan, BarisAngka{Label: label(labelUsulan, u.Nilai), Nilai: []string{format.Angka(u.Jumlah)}})
	}
	for _, u := range r.Keputusan {
		d.Reklas.Keputusan = append(d.Reklas.Keputusan, BarisAngka{Label: label(labelKeputusan, u.Nilai), Nilai: []string{format.Angka(u.Jumlah)}})
	}
	if !d.BisaDaftar || a.Koperasi == nil {
		return d, nil
	}
	view, err := koperasi.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return nil, err
	}
	yes := true
	page, err := a.Koperasi.List(q.ctx, q.T, koperasi.Filter{Pilot: &yes, Limit: 500}, view)
	if err != nil {
		return nil, err
	}
	pilot := map[string]koperasi.Koperasi{}
	for _, p := range page.Items {
		pilot[p.KecamatanKode] = p
	}
	d.DaftarPilot = d.daftarKop(slug, "pilot", "true")
	d.Pilot = []BarisPilot{}
	for _, kc := range kec {
		b := BarisPilot{Kecamatan: kc.NamaWilayah, Daftar: d.daftarKop(slug, "kecamatan", kc.Kode)}
		if p, ok := pilot[kc.Kode]; ok {
			b.Koperasi, b.Href = p.Nama, koperasiPath(q.T, p.ID.String())
		}
		d.Pilot = append(d.Pilot, b)
	}
	return d, nil
}
