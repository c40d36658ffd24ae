package dasbor

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
)

// The programme figures (issue 17 item 6): who was never helped, who got
// the same kind of help twice in a year, the office's participants and
// its funding pipeline. Read from dasbor_angka like every other figure.
const (
	// DimBelumPernah: live businesses with no participation of any kind
	// (internal/tumpang's never-helped), nilai "ya"; per desa/kelurahan,
	// kecamatan and office.
	DimBelumPernah = "tumpang.belum_pernah"
	// DimGanda: businesses with the same kind of help two or more times
	// in one year (internal/tumpang's overlap report), nilai
	// "<tahun>/<jenis>"; per kecamatan and office.
	DimGanda = "tumpang.ganda"
	// DimTerpilih, DimSelesai: participants of the office's live
	// programmes given a place (completed ones included) and completed,
	// nilai "<tahun>/<jenis>"; office only.
	DimTerpilih = "program.terpilih"
	DimSelesai  = "program.selesai"
	// DimTahapDana: funding applications by current stage (nilai the
	// stage code); office only. Kategori lists the stages in board order.
	DimTahapDana = "pendanaan.tahap"
	// DimJenisProgram is not a figure: Kategori lists the programme kinds
	// under it, in the order offices read them.
	DimJenisProgram = "program.jenis"
)

// AngkaProgram are the programme figures of an office. A province view
// hides every count from 1 to ambang_sel_kecil-1, and overlap per
// kecamatan as desa/kelurahan counts are (Sel); the never-helped and the
// completed also where the rest of their whole (the helped, the selected
// not completed) is that small.
type AngkaProgram struct {
	BelumPernah       Sel               `json:"belum_pernah" doc:"Live businesses with no participation of any kind: none in this office's programmes, none in another agency's list (by the business or its owner's NIK)."`
	PersenBelumPernah *float64          `json:"persen_belum_pernah" nullable:"true" doc:"Their share of the live businesses, in percent, one decimal; null when the count is hidden or there are no businesses."`
	Ganda             []GandaTahunJenis `json:"ganda" nullable:"false" doc:"Businesses that got the same kind of help two or more times in one year (this office's programmes or other agencies' lists), per year (newest first) and kind; only those with any."`
	Peserta           []PesertaProgram  `json:"peserta" nullable:"false" doc:"Participants of the office's programmes per year (newest first) and kind; only those with any."`
	Pendanaan         []TahapPendanaan  `json:"pendanaan" nullable:"false" doc:"Funding applications by their current stage, in the board's order."`
}

// GandaTahunJenis is the overlap of one kind of help in one year.
type GandaTahunJenis struct {
	Tahun     int            `json:"tahun" example:"2026"`
	Jenis     string         `json:"jenis" example:"pelatihan"`
	Jumlah    Sel            `json:"jumlah" doc:"Businesses of the office."`
	Kecamatan []SelKecamatan `json:"kecamatan" nullable:"false" doc:"Every kecamatan, in code order; empty in the province summary."`
}

// SelKecamatan is a count of one kecamatan.
type SelKecamatan struct {
	Kode   string `json:"kode" example:"32.76.01"`
	Jumlah Sel    `json:"jumlah"`
}

// PesertaProgram are the participants of one kind of programme in one
// year.
type PesertaProgram struct {
	Tahun    int    `json:"tahun" example:"2026"`
	Jenis    string `json:"jenis" example:"pelatihan"`
	Terpilih Sel    `json:"terpilih" doc:"Given a place (selected), completed ones included."`
	Selesai  Sel    `json:"selesai" doc:"Completed."`
}

// TahapPendanaan is how many funding applications are at one stage.
type TahapPendanaan struct {
	Tahap  string `json:"tahap" example:"dikirim_bank"`
	Jumlah Sel    `json:"jumlah"`
}

// tahunJenis is a "<tahun>/<jenis>" value split.
type tahunJenis struct {
	tahun int
	jenis string
}

// tahunJenisOf lists the year/kind values of the dimensions in a, newest
// year first, kinds in order.
func tahunJenisOf(a angka, order []string, dims ...string) []tahunJenis {
	var out []tahunJenis
	for _, d := range dims {
		for v, n := range a[d] {
			y, j, ok := strings.Cut(v, "/")
			tahun, err := strconv.Atoi(y)
			if !ok || err != nil || n == 0 {
				continue
			}
			if tj := (tahunJenis{tahun, j}); !slices.Contains(out, tj) {
				out = append(out, tj)
			}
		}
	}
	rank := func(j string) int {
		if i := slices.Index(order, j); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortFunc(out, func(x, y tahunJenis) int {
		return cmp.Or(cmp.Compare(y.tahun, x.tahun), cmp.Compare(rank(x.jenis), rank(y.jenis)), strings.Compare(x.jenis, y.jenis))
	})
	return out
}

func (tj tahunJenis) nilai() string { return strconv.Itoa(tj.tahun) + "/" + tj.jenis }

// kecil hides a single count from 1 to ambang-1 (ambang 1 or less: none).
func kecil(n, ambang int) Sel { return sel(n, n >= 1 && n < ambang) }

// bagian hides a single count n of a whole shown beside it when n, or the
// whole minus n, is from 1 to ambang-1: the never-helped of the office's
// businesses (the rest are the helped), the completed of the selected
// (the rest have not completed). Nothing sums such counts, so the one
// cell is enough.
func bagian(n, whole, ambang int) Sel {
	return sel(n, n >= 1 && n < ambang || whole-n >= 1 && whole-n < ambang)
}

// program lays out the programme figures of o: top is its office level,
// kec its kecamatan (nil in the province summary). ambang > 1 hides small
// counts (province views).
func (s *Service) program(o *office, top angka, kec []KecamatanDasbor, ambang int) AngkaProgram {
	total := top.get("umkm.total", "")
	out := AngkaProgram{BelumPernah: bagian(top.get(DimBelumPernah, "ya"), total, ambang),
		Ganda: []GandaTahunJenis{}, Peserta: []PesertaProgram{}, Pendanaan: []TahapPendanaan{}}
	if out.BelumPernah.Jumlah != nil && total > 0 {
		p := math.Round(float64(*out.BelumPernah.Jumlah)*1000/float64(total)) / 10
		out.PersenBelumPernah = &p
	}
	jenis := s.Kategori[DimJenisProgram]
	for _, tj := range tahunJenisOf(top, jenis, DimGanda) {
		g := GandaTahunJenis{Tahun: tj.tahun, Jenis: tj.jenis, Jumlah: kecil(top.get(DimGanda, tj.nilai()), ambang),
			Kecamatan: []SelKecamatan{}}
		if kec != nil {
			vals := make([]int, len(kec))
			for i, k := range kec {
				vals[i] = o.at(1, k.Kode).get(DimGanda, tj.nilai())
			}
			// A kecamatan's overlap is the finest level it is kept at: its
			// cells are hidden as desa/kelurahan counts are, against the
			// office total.
			for i, h := range sembunyikan(vals, ambang) {
				g.Kecamatan = append(g.Kecamatan, SelKecamatan{Kode: kec[i].Kode, Jumlah: sel(vals[i], h)})
			}
		}
		out.Ganda = append(out.Ganda, g)
	}
	for _, tj := range tahunJenisOf(top, jenis, DimTerpilih, DimSelesai) {
		// The selected not (yet) completed are selected minus completed:
		// a small difference hides the completed.
		terpilih := top.get(DimTerpilih, tj.nilai())
		out.Peserta = append(out.Peserta, PesertaProgram{Tahun: tj.tahun, Jenis: tj.jenis,
			Terpilih: kecil(terpilih, ambang), Selesai: bagian(top.get(DimSelesai, tj.nilai()), terpilih, ambang)})
	}
	for _, a := range s.list(top, DimTahapDana) {
		out.Pendanaan = append(out.Pendanaan, TahapPendanaan{Tahap: a.Nilai, Jumlah: kecil(a.Jumlah, ambang)})
	}
	return out
}

// hideBelumPernah hides the never-helped of the kecamatan (against the
// office total) and of their desa/kelurahan in a province view. Each is
// shown beside its businesses, so a count is hidden where either it or the
// helped (businesses minus never-helped) is small (sembunyikanBagian).
// Where the office's own count is hidden (office), every kecamatan with
// never-helped is hidden too: together they would give it back. In a
// kecamatan hidden itself, every desa/kelurahan with businesses is hidden
// and no more (its total is unknown): visible ones would add up towards
// the kecamatan, and the helped of its hidden ones with them. Call it
// before hideKelurahan: it needs the true business counts.
func hideBelumPernah(w []KecamatanDasbor, office Sel, ambang int) {
	vals, umkm := make([]int, len(w)), make([]int, len(w))
	for i := range w {
		vals[i], umkm[i] = *w[i].BelumPernah.Jumlah, w[i].UMKM
	}
	for i, h := range sembunyikanBagian(vals, umkm, ambang) {
		h = h || office.Disembunyikan && vals[i] > 0
		w[i].BelumPernah = sel(vals[i], h)
		kel := w[i].Kelurahan
		sub, whole := make([]int, len(kel)), make([]int, len(kel))
		for j := range kel {
			sub[j], whole[j] = *kel[j].BelumPernah.Jumlah, *kel[j].UMKM.Jumlah
		}
		hidden := sembunyikanBagian(sub, whole, ambang)
		for j := range kel {
			if h {
				hidden[j] = whole[j] > 0
			}
			kel[j].BelumPernah = sel(sub[j], hidden[j])
		}
	}
}
