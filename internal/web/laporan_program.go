package web

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/grafik"
	"github.com/sentra-id/sentra/internal/laporan"
	"github.com/sentra-id/sentra/internal/pendanaan"
	"github.com/sentra-id/sentra/internal/program"
)

// The programme report (get-laporan-program, and the funding and impact
// sections for those whom get-laporan-pendanaan and get-laporan-dampak
// allow): each chart of internal/grafik with its numbers in a table
// beside it. Not internal/web/laporan.go, which is the import's report.

// laporanProgramView is the report page.
type laporanProgramView struct {
	Halaman
	Tahun, Jenis string
	JenisOpsi    []Opsi
	Galat        map[string]string
	Pesan        string
	Grafik       []Grafik
	// Renja is drawn with its table below the chart, full width: the codes
	// do not wrap, and beside the chart the table would scroll.
	Renja  Grafik
	Corong []laporan.CorongProgram
	// Dampak is the impact report's table (nil: not allowed to read it).
	Dampak    *laporan.LaporanDampak
	Strata    []barisDampak
	BisaDana  bool
	TahunKata string
}

// Pilih is the select nama of the filter form.
func (v *laporanProgramView) Pilih(nama, label, nilai, semua string, o []Opsi) Pilih {
	return Pilih{Nama: nama, Label: label, Nilai: nilai, Semua: semua, Opsi: o, Pesan: v.Galat[nama]}
}

// barisDampak is one row of the impact table, its figures in words.
type barisDampak struct {
	Label               string
	Peserta, Pembanding kelompokKata
}

// kelompokKata is a group's count and medians as the table shows them:
// a withheld median says why.
type kelompokKata struct {
	Usaha, NOmzet, Omzet, NKaryawan, Karyawan string
}

func kataKelompok(k laporan.KelompokDampak) kelompokKata {
	return kelompokKata{Usaha: format.Angka(k.Usaha), NOmzet: format.Angka(k.Omzet.Jumlah), Omzet: kataUkuran(k.Omzet, format.Rupiah[int64]),
		NKaryawan: format.Angka(k.Karyawan.Jumlah), Karyawan: kataUkuran(k.Karyawan, format.Angka[int64])}
}

// kataUkuran is a median change with its sign, or why it is not shown.
func kataUkuran(u laporan.UkuranDampak, f func(int64) string) string {
	switch {
	case u.Ditahan:
		return "ditahan (kurang dari " + format.Angka(laporan.AmbangDampak) + " usaha)"
	case u.MedianPerubahan == nil:
		return "–"
	case *u.MedianPerubahan > 0:
		return "+" + f(*u.MedianPerubahan)
	case *u.MedianPerubahan < 0:
		return "−" + f(-*u.MedianPerubahan)
	}
	return f(0)
}

func (a *App) laporanProgramRoutes() {
	a.kantor("GET /t/{tenant}/program/laporan", "get-laporan-program", a.laporanProgram)
}

func (a *App) laporanProgram(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	in := r.URL.Query()
	v := &laporanProgramView{Halaman: q.Halaman("Laporan program", "program"), Tahun: strings.TrimSpace(in.Get("tahun")), Jenis: in.Get("jenis"),
		JenisOpsi: opsi(program.AllJenis, program.JenisLabel), Galat: map[string]string{}}
	f := laporan.Filter{Jenis: v.Jenis}
	if v.Tahun != "" {
		n, err := strconv.Atoi(v.Tahun)
		if err != nil {
			v.Galat["tahun"] = "Tahun berupa angka, mis. 2026."
			v.Pesan = "Filter laporan tidak valid."
			a.render(w, r, http.StatusUnprocessableEntity, v)
			return nil
		}
		f.Tahun = n
	}
	svc := &laporan.Service{DB: a.DB}
	lp, err := svc.Program(q.ctx, q.T, f)
	if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindInvalid {
		v.Pesan, v.Galat = ae.Message.ID, fieldMessages(ae)
		a.render(w, r, http.StatusUnprocessableEntity, v)
		return nil
	} else if err != nil {
		return err
	}
	v.TahunKata = "semua tahun"
	if f.Tahun != 0 {
		v.TahunKata = "tahun " + strconv.Itoa(f.Tahun)
	}
	v.Grafik = append(v.Grafik, grafikCapaian(lp, q.T.Slug), grafikCorong(lp.Corong),
		grafikRincian("kecamatan", "Peserta per kecamatan", "Kecamatan", lp.Kecamatan),
		grafikRincian("jenis-kelamin", "Peserta per jenis kelamin pemilik", "Jenis kelamin", lp.JenisKelamin),
		grafikRincian("skala", "Peserta per skala usaha", "Skala", lp.Skala))
	v.Corong, v.Renja = lp.CorongProgram, grafikRenja(lp)
	if q.Can("get-laporan-pendanaan") {
		// Funding has its own kinds (schemes): only the year applies.
		ld, err := svc.Pendanaan(q.ctx, q.T, laporan.Filter{Tahun: f.Tahun})
		if err != nil {
			return err
		}
		v.BisaDana = true
		v.Grafik = append(v.Grafik, grafikAlasan(ld), grafikTahapDana(ld))
	}
	if q.Can("get-laporan-dampak") {
		d, err := svc.Dampak(q.ctx, q.T, f)
		if err != nil {
			return err
		}
		v.Dampak = &d
		v.Grafik = append(v.Grafik, grafikDampak(d))
		for _, s := range append([]laporan.Dampak{d.Total}, d.Strata...) {
			l := "Semua skala dan sektor"
			if s.Skala != "" || s.Sektor != "" {
				l = label(labelSkala, s.Skala) + " · " + label(labelSektor, s.Sektor)
			}
			v.Strata = append(v.Strata, barisDampak{Label: l, Peserta: kataKelompok(s.Peserta), Pembanding: kataKelompok(s.Pembanding)})
		}
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// capaianBaris is a target against its realisation as a stacked bar:
// realised, then what is left of the target.
func capaianBaris(label string, target, realisasi int) grafik.Baris {
	return grafik.Baris{Label: label, Bagian: []grafik.Ruas{{Nilai: realisasi}, {Nilai: max(target-realisasi, 0)}}}
}

var seriCapaian = []string{"Realisasi", "Sisa target"}

func grafikCapaian(lp laporan.LaporanProgram, slug string) Grafik {
	g := Grafik{ID: "capaian", Judul: "Target dan realisasi per program", Kepala: "Program",
		Kolom:   []string{"Satuan", "Target", "Realisasi", "Capaian", "Tak terhitung"},
		Catatan: "Realisasi: orang (menurut NIK pemilik), usaha atau koperasi yang menyelesaikan program, sesuai satuan programnya."}
	var bars []grafik.Baris
	for _, c := range lp.Program {
		bars = append(bars, capaianBaris(c.Nama, c.Target, c.Realisasi))
		g.Baris = append(g.Baris, BarisAngka{Label: c.Nama, Href: "/t/" + slug + "/program/" + c.ProgramID.String(), Nilai: []string{
			label(labelSatuan, c.Satuan), format.Angka(c.Target), format.Angka(c.Realisasi), persenTarget(c.Realisasi, c.Target), format.Angka(c.TakTerhitung)}})
	}
	g.SVG = template.HTML(grafik.Bertumpuk(g.Judul, seriCapaian, bars)) // #nosec G203 -- grafik escapes every text
	return g
}

func persenTarget(realisasi, target int) string {
	if target <= 0 {
		return "belum ada target"
	}
	return format.Persen(realisasi, target)
}

// grafikRenja is the targets per Renja code; the indicators go in the
// caption.
func grafikRenja(lp laporan.LaporanProgram) Grafik {
	g := Grafik{ID: "renja", Judul: "Target dan realisasi per sub kegiatan Renja", Kepala: "Kode sub kegiatan",
		Kolom: []string{"Satuan", "Program", "Target", "Realisasi", "Capaian"}}
	catatan := []string{"Realisasi dihitung sekali per orang, usaha atau koperasi di semua program dengan kode yang sama."}
	var bars []grafik.Baris
	for _, c := range lp.Renja {
		if c.Indikator != nil {
			catatan = append(catatan, c.Kode+": "+*c.Indikator+".")
		}
		bars = append(bars, capaianBaris(c.Kode, c.Target, c.Realisasi))
		g.Baris = append(g.Baris, BarisAngka{Label: c.Kode, Nilai: []string{label(labelSatuan, c.Satuan), format.Angka(c.Program),
			format.Angka(c.Target), format.Angka(c.Realisasi), persenTarget(c.Realisasi, c.Target)}})
	}
	g.Catatan = strings.Join(catatan, " ")
	g.SVG = template.HTML(grafik.Bertumpuk(g.Judul, seriCapaian, bars)) // #nosec G203 -- grafik escapes every text
	return g
}

func grafikCorong(c laporan.Corong) Grafik {
	g := Grafik{ID: "corong", Judul: "Corong partisipasi", Kepala: "Tahap", Kolom: []string{"Jumlah", "Dari pendaftar"},
		Catatan: "Layak: memenuhi syarat pada pemeriksaan terakhir. Terpilih: pernah dipilih, termasuk yang kemudian dikeluarkan. Hadir: terpilih dan hadir di sedikitnya satu sesi."}
	var bars []grafik.Batang
	for _, s := range []struct {
		l string
		n int
	}{{"Mendaftar", c.Mendaftar}, {"Layak", c.Layak}, {"Terpilih", c.Terpilih}, {"Hadir", c.Hadir}, {"Selesai", c.Selesai}} {
		bars = append(bars, grafik.Batang{Label: s.l, Nilai: s.n})
		g.Baris = append(g.Baris, BarisAngka{Label: s.l, Nilai: []string{format.Angka(s.n), format.Persen(s.n, c.Mendaftar)}})
	}
	if c.Mendaftar == 0 {
		bars = nil
	}
	g.SVG = template.HTML(grafik.Mendatar(g.Judul, bars)) // #nosec G203 -- grafik escapes every text
	return g
}

func grafikRincian(id, judul, kepala string, rs []laporan.Rincian) Grafik {
	g := Grafik{ID: id, Judul: judul, Kepala: kepala, Kolom: []string{"Mendaftar", "Terpilih", "Selesai"}}
	var bars []grafik.Batang
	for _, r := range rs {
		bars = append(bars, grafik.Batang{Label: r.Nama, Nilai: r.Mendaftar})
		g.Baris = append(g.Baris, BarisAngka{Label: r.Nama, Nilai: []string{format.Angka(r.Mendaftar), format.Angka(r.Terpilih), format.Angka(r.Selesai)}})
	}
	g.SVG = template.HTML(grafik.Mendatar(judul+" (mendaftar)", bars)) // #nosec G203 -- grafik escapes every text
	return g
}

func grafikAlasan(ld laporan.LaporanPendanaan) Grafik {
	g := Grafik{ID: "alasan", Judul: "Mengapa pengajuan pendanaan ditolak", Kepala: "Alasan", Kolom: []string{"Pengajuan"},
		Catatan: "Dari " + format.Angka(ld.Jumlah) + " pengajuan pendanaan pada periode ini."}
	var bars []grafik.Batang
	ada := false
	for _, a := range ld.Alasan {
		n := label(pendanaan.NamaAlasan, a.Kode)
		bars = append(bars, grafik.Batang{Label: n, Nilai: a.Jumlah})
		g.Baris = append(g.Baris, BarisAngka{Label: n, Nilai: []string{format.Angka(a.Jumlah)}})
		ada = ada || a.Jumlah > 0
	}
	if !ada {
		bars = nil
	}
	g.SVG = template.HTML(grafik.Mendatar(g.Judul, bars)) // #nosec G203 -- grafik escapes every text
	return g
}

func grafikTahapDana(ld laporan.LaporanPendanaan) Grafik {
	g := Grafik{ID: "tahap-dana", Judul: "Pengajuan pendanaan per tahap", Kepala: "Tahap",
		Kolom:   []string{"Pernah sampai", "Sekarang di tahap ini", "Median lama (hari)"},
		Catatan: "Median lama dihitung dari pengajuan yang sudah berpindah dari tahap itu."}
	var bars []grafik.Batang
	for _, s := range ld.Tahap {
		n := label(pendanaan.NamaTahap, s.Tahap)
		med := "–"
		if s.MedianHari != nil {
			med = format.Angka(*s.MedianHari)
		}
		bars = append(bars, grafik.Batang{Label: n, Nilai: s.Dicapai})
		g.Baris = append(g.Baris, BarisAngka{Label: n, Nilai: []string{format.Angka(s.Dicapai), format.Angka(s.Sekarang), med}})
	}
	g.SVG = template.HTML(grafik.Mendatar(g.Judul+" (pernah sampai)", bars)) // #nosec G203 -- grafik escapes every text
	return g
}

// grafikDampak charts the median change in sales of the two groups of all
// strata together, each labelled with its count; a withheld group has no
// bar and says so in the table.
func grafikDampak(d laporan.LaporanDampak) Grafik {
	g := Grafik{ID: "dampak", Judul: "Median perubahan omzet tahunan: peserta dan pembanding", Kepala: "Kelompok",
		Kolom: []string{"Usaha", "Usaha dengan data omzet", "Median perubahan omzet"}, Catatan: d.Catatan}
	var bars []grafik.Batang
	for _, k := range []struct {
		l string
		k laporan.KelompokDampak
	}{{"Peserta", d.Total.Peserta}, {"Pembanding", d.Total.Pembanding}} {
		l := k.l + " (" + format.Angka(k.k.Omzet.Jumlah) + " usaha)"
		if k.k.Omzet.MedianPerubahan != nil {
			bars = append(bars, grafik.Batang{Label: l, Nilai: int(*k.k.Omzet.MedianPerubahan)})
		}
		g.Baris = append(g.Baris, BarisAngka{Label: k.l, Nilai: []string{format.Angka(k.k.Usaha), format.Angka(k.k.Omzet.Jumlah),
			kataUkuran(k.k.Omzet, format.Rupiah[int64])}})
	}
	g.SVG = template.HTML(grafik.Mendatar(g.Judul, bars)) // #nosec G203 -- grafik escapes every text
	return g
}
