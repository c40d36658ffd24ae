package web

import (
	"html/template"
	"net/url"
	"strconv"

	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/grafik"
	"github.com/sentra-id/sentra/internal/pendanaan"
	"github.com/sentra-id/sentra/internal/program"
)

// The programme section of the office dashboard: the figures of
// get-dasbor's program (dasbor.AngkaProgram, rollups like the rest) as
// charts with their tables. A figure links to the page that lists what it
// counts — the never-helped list of that region, the programme list of
// that year and kind, the funding board's column — for those the same
// check allows to open it.

// DasborProgram is the programme section of the dashboard.
type DasborProgram struct {
	Ringkasan []Ringkasan
	Grafik    []Grafik // participants, funding, never-helped per kecamatan, overlap
	// Belum is the never-helped per kecamatan with their desa/kelurahan.
	Belum []KecamatanBelum
	Ganda TabelGanda
	// The pages behind the figures; "" where the caller may not open them.
	BelumHref, ProgramHref, DanaHref, LaporanHref string
}

// KecamatanBelum is a kecamatan's never-helped and its desa/kelurahan's.
type KecamatanBelum struct {
	BarisBelum
	Desa []BarisBelum
}

// BarisBelum is a region's never-helped of its registered businesses.
type BarisBelum struct {
	Nama, Href  string
	Belum, UMKM int
}

// TabelGanda is the overlap per kecamatan (rows) and year and kind
// (columns), with the office's total.
type TabelGanda struct {
	Kolom  []string
	Baris  []BarisAngka
	Jumlah []string
}

// jumlahSel is a cell of the office's own figures, which hide nothing.
func jumlahSel(s dasbor.Sel) int {
	if s.Jumlah == nil {
		return 0
	}
	return *s.Jumlah
}

// tahunJenis names a year and programme kind: "2026 · Pelatihan".
func tahunJenis(tahun int, jenis string) string {
	return strconv.Itoa(tahun) + " · " + label(program.JenisLabel, jenis)
}

// dasborProgram lays out the programme figures of d; can is the caller's
// permission check (Permintaan.Can).
func dasborProgram(slug string, d dasbor.Dasbor, can func(string) bool) *DasborProgram {
	p, base := d.Program, "/t/"+slug
	v := &DasborProgram{}
	if can("list-belum-pernah") {
		v.BelumHref = base + "/program/belum-pernah"
	}
	if can("list-program") {
		v.ProgramHref = base + "/program"
	}
	if can("view-papan-dana") {
		v.DanaHref = base + "/pendanaan"
	}
	if can("get-laporan-program") {
		v.LaporanHref = base + "/program/laporan"
	}
	belumOf := func(q url.Values) string {
		if v.BelumHref == "" {
			return ""
		}
		return v.BelumHref + "?" + q.Encode()
	}
	programOf := func(tahun int, jenis string) string {
		if v.ProgramHref == "" {
			return ""
		}
		return v.ProgramHref + "?" + url.Values{"tahun": {strconv.Itoa(tahun)}, "jenis": {jenis}}.Encode()
	}
	v.Ringkasan = []Ringkasan{{Label: "UMKM belum pernah dibantu", Nilai: jumlahSel(p.BelumPernah), Dari: d.UMKM.Total}}

	// Participants: a stacked bar per year and kind, its length the
	// selected, the completed its first part.
	const judulPeserta = "Peserta program: terpilih dan selesai"
	peserta := Grafik{ID: "program-peserta", Judul: judulPeserta, Kepala: "Tahun dan jenis",
		Kolom:   []string{"Terpilih", "Selesai", "Bagian selesai"},
		Catatan: "Peserta program kantor ini yang mendapat tempat (termasuk yang sudah selesai), per tahun anggaran dan jenis program."}
	var bars []grafik.Baris
	for _, x := range p.Peserta {
		terpilih, selesai := jumlahSel(x.Terpilih), jumlahSel(x.Selesai)
		l, href := tahunJenis(x.Tahun, x.Jenis), programOf(x.Tahun, x.Jenis)
		bars = append(bars, grafik.Baris{Label: l, Bagian: []grafik.Ruas{{Nilai: selesai, Href: href}, {Nilai: terpilih - selesai, Href: href}}})
		peserta.Baris = append(peserta.Baris, BarisAngka{Label: l, Href: href,
			Nilai: []string{format.Angka(terpilih), format.Angka(selesai), format.Persen(selesai, terpilih)}})
	}
	peserta.SVG = template.HTML(grafik.Bertumpuk(judulPeserta, []string{"Selesai", "Terpilih, belum selesai"}, bars)) // #nosec G203 -- grafik escapes every text

	// Funding applications per stage, in the board's order.
	var tahap []dasbor.Angka
	jumlahDana := 0
	for _, t := range p.Pendanaan {
		tahap = append(tahap, dasbor.Angka{Nilai: t.Tahap, Jumlah: jumlahSel(t.Jumlah)})
		jumlahDana += jumlahSel(t.Jumlah)
	}
	dana := batang("program-dana", "Pengajuan pendanaan per tahap", "Tahap", "Jumlah pengajuan", tahap, pendanaan.NamaTahap,
		func(t string) string {
			if v.DanaHref == "" {
				return ""
			}
			return v.DanaHref + "#kolom-" + t
		}, jumlahDana, "Tahap pengajuan saat ini; "+format.Angka(jumlahDana)+" pengajuan.")

	// Never-helped per kecamatan, and per desa/kelurahan below.
	const judulBelum = "UMKM belum pernah dibantu per kecamatan"
	belum := Grafik{ID: "program-belum", Judul: judulBelum, Kepala: "Kecamatan", Kolom: []string{"Belum pernah dibantu", "UMKM terdaftar", "Bagian"},
		Catatan: "Usaha terdaftar yang belum pernah ikut program apa pun, dari kantor ini maupun dari daftar agensi lain."}
	var perKec []grafik.Batang
	names := map[string]string{}
	for _, k := range d.Wilayah {
		names[k.Kode] = k.NamaWilayah
		row := KecamatanBelum{BarisBelum: BarisBelum{Nama: k.NamaWilayah, Href: belumOf(url.Values{"kecamatan": {k.Kode}}),
			Belum: jumlahSel(k.BelumPernah), UMKM: k.UMKM}}
		for _, l := range k.Kelurahan {
			row.Desa = append(row.Desa, BarisBelum{Nama: l.NamaWilayah, Href: belumOf(url.Values{"kecamatan": {k.Kode}, "kelurahan": {l.Kode}}),
				Belum: jumlahSel(l.BelumPernah), UMKM: jumlahSel(l.UMKM)})
		}
		v.Belum = append(v.Belum, row)
		perKec = append(perKec, grafik.Batang{Label: k.NamaWilayah, Nilai: row.Belum, Href: row.Href})
		belum.Baris = append(belum.Baris, BarisAngka{Label: k.NamaWilayah, Href: row.Href,
			Nilai: []string{format.Angka(row.Belum), format.Angka(row.UMKM), format.Persen(row.Belum, row.UMKM)}})
	}
	belum.SVG = template.HTML(grafik.Mendatar(judulBelum, perKec)) // #nosec G203 -- grafik escapes every text

	// Overlap: the office's count per year and kind as a chart, and per
	// kecamatan as a table.
	const judulGanda = "UMKM dengan bantuan sejenis ganda"
	ganda := Grafik{ID: "program-ganda", Judul: judulGanda, Kepala: "Tahun dan jenis", Kolom: []string{"Jumlah UMKM"},
		Catatan: "Usaha yang mendapat bantuan sejenis dua kali atau lebih dalam satu tahun, dari program kantor ini atau daftar agensi lain."}
	var perJenis []grafik.Batang
	perKode := map[string][]string{}
	for _, g := range p.Ganda {
		l, n := tahunJenis(g.Tahun, g.Jenis), jumlahSel(g.Jumlah)
		perJenis = append(perJenis, grafik.Batang{Label: l, Nilai: n})
		ganda.Baris = append(ganda.Baris, BarisAngka{Label: l, Nilai: []string{format.Angka(n)}})
		v.Ganda.Kolom = append(v.Ganda.Kolom, l)
		v.Ganda.Jumlah = append(v.Ganda.Jumlah, format.Angka(n))
		for _, k := range g.Kecamatan {
			perKode[k.Kode] = append(perKode[k.Kode], format.Angka(jumlahSel(k.Jumlah)))
		}
	}
	ganda.SVG = template.HTML(grafik.Mendatar(judulGanda, perJenis)) // #nosec G203 -- grafik escapes every text
	for _, k := range d.Wilayah {
		if cells := perKode[k.Kode]; len(cells) == len(v.Ganda.Kolom) && len(cells) > 0 {
			v.Ganda.Baris = append(v.Ganda.Baris, BarisAngka{Label: names[k.Kode], Nilai: cells})
		}
	}
	v.Grafik = []Grafik{peserta, dana, belum, ganda}
	return v
}
