package web

import (
	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/pendanaan"
)

// The programme figures on the province pages: never-helped and overlap
// counts (and the participants) per office, kecamatan and desa/kelurahan,
// exactly as get-dasbor-provinsi(-tenant) give them. The service hides the
// small cells and what their complements would give away; a page only
// writes a hidden cell as peta.Disembunyikan, and sums nothing (there is
// no province total of these figures).

// SelTeks is a cell as a province page writes it.
type SelTeks struct {
	Teks     string
	Sembunyi bool
}

func selTeks(s dasbor.Sel) SelTeks {
	return SelTeks{Teks: teksSel(s), Sembunyi: s.Disembunyikan || s.Jumlah == nil}
}

// persenBelum is the never-helped share as the API gives it: "" when it
// is hidden or there are no businesses.
func persenBelum(p dasbor.AngkaProgram) string {
	if p.PersenBelumPernah == nil {
		return ""
	}
	return format.Desimal(*p.PersenBelumPernah, 1) + "%"
}

// ProgramKantor is one office's programme figures at office level.
type ProgramKantor struct {
	Nama, Href  string
	BelumPernah SelTeks
	Persen      string
	Ganda       []SelTeks // by the columns of its table
}

// TabelProgram is the programme figures of several offices, or of the
// kecamatan of one: the never-helped, and the overlap per year and kind
// in columns.
type TabelProgram struct {
	KolomGanda []string
	Baris      []ProgramKantor
}

// kolomGanda are the year and kind columns of the overlap of every list
// given, newest year first as the service orders them.
func kolomGanda(lists ...[]dasbor.GandaTahunJenis) (cols []string, index map[string]int) {
	index = map[string]int{}
	for _, l := range lists {
		for _, g := range l {
			k := tahunJenis(g.Tahun, g.Jenis)
			if _, ok := index[k]; !ok {
				index[k] = len(cols)
				cols = append(cols, k)
			}
		}
	}
	return cols, index
}

// programKantor is the programme table of a province's offices.
func programKantor(offices []dasbor.RingkasanTenant, href func(slug string) string) TabelProgram {
	lists := make([][]dasbor.GandaTahunJenis, len(offices))
	for i, o := range offices {
		lists[i] = o.Program.Ganda
	}
	cols, index := kolomGanda(lists...)
	t := TabelProgram{KolomGanda: cols}
	for _, o := range offices {
		row := ProgramKantor{Nama: o.NamaTenant, Href: href(o.Tenant), BelumPernah: selTeks(o.Program.BelumPernah),
			Persen: persenBelum(o.Program), Ganda: gandaRow(len(cols))}
		for _, g := range o.Program.Ganda {
			row.Ganda[index[tahunJenis(g.Tahun, g.Jenis)]] = selTeks(g.Jumlah)
		}
		t.Baris = append(t.Baris, row)
	}
	return t
}

// gandaRow is a row of n overlap cells, 0 where a year and kind has none.
func gandaRow(n int) []SelTeks {
	row := make([]SelTeks, n)
	for i := range row {
		row[i] = SelTeks{Teks: "0"}
	}
	return row
}

// ProgramProvinsiKantor is one office's programme figures as its province
// sees them.
type ProgramProvinsiKantor struct {
	BelumPernah SelTeks
	Persen      string
	Terdaftar   int // the office's businesses
	// Ganda is the overlap per kecamatan, the office's row last.
	Ganda   TabelProgram
	Peserta []PesertaTeks
	Dana    []BarisSel
}

// PesertaTeks is a year and kind's participants.
type PesertaTeks struct {
	Label             string
	Terpilih, Selesai SelTeks
}

// BarisSel is a labelled cell.
type BarisSel struct {
	Label string
	Sel   SelTeks
}

func programProvinsiKantor(d dasbor.Dasbor) ProgramProvinsiKantor {
	p := d.Program
	out := ProgramProvinsiKantor{BelumPernah: selTeks(p.BelumPernah), Persen: persenBelum(p), Terdaftar: d.UMKM.Total}
	cols, index := kolomGanda(p.Ganda)
	out.Ganda.KolomGanda = cols
	rows := map[string]*ProgramKantor{}
	for _, k := range d.Wilayah {
		out.Ganda.Baris = append(out.Ganda.Baris, ProgramKantor{Nama: k.NamaWilayah, Ganda: gandaRow(len(cols))})
		rows[k.Kode] = &out.Ganda.Baris[len(out.Ganda.Baris)-1]
	}
	office := ProgramKantor{Nama: "Jumlah kantor", Ganda: gandaRow(len(cols))}
	for _, g := range p.Ganda {
		i := index[tahunJenis(g.Tahun, g.Jenis)]
		office.Ganda[i] = selTeks(g.Jumlah)
		for _, k := range g.Kecamatan {
			if r := rows[k.Kode]; r != nil {
				r.Ganda[i] = selTeks(k.Jumlah)
			}
		}
	}
	out.Ganda.Baris = append(out.Ganda.Baris, office)
	for _, x := range p.Peserta {
		out.Peserta = append(out.Peserta, PesertaTeks{Label: tahunJenis(x.Tahun, x.Jenis), Terpilih: selTeks(x.Terpilih), Selesai: selTeks(x.Selesai)})
	}
	for _, t := range p.Pendanaan {
		out.Dana = append(out.Dana, BarisSel{Label: label(pendanaan.NamaTahap, t.Tahap), Sel: selTeks(t.Jumlah)})
	}
	return out
}
