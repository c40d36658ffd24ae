package web

import (
	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/program"
	"github.com/sentra-id/sentra/internal/tumpang"
)

// The "Riwayat program" section of the UMKM and cooperative record pages
// (list-umkm-program, list-koperasi-program): the record's participations
// in this office's programmes and in other agencies' lists, newest first,
// completion with its certificate, each office programme linked to its
// page. The read is the overlap check's (tumpang), so the record shows
// what a selection would warn about.

// RiwayatProgram is what the riwayat-program partial needs.
type RiwayatProgram struct {
	Slug  string
	Items []BarisRiwayat
	// Bisa: the caller may open a programme's page (get-program).
	Bisa bool
}

// BarisRiwayat is a participation in words.
type BarisRiwayat struct {
	tumpang.Partisipasi
	JenisKata, StatusKata string
}

var labelStatusLuar = map[string]string{"cocok": "Tercatat di daftar agensi", "belum_cocok": "Belum dicocokkan ke register"}

func riwayatProgram(q *Permintaan, items []tumpang.Partisipasi) RiwayatProgram {
	v := RiwayatProgram{Slug: q.T.Slug, Bisa: q.Can("get-program")}
	for _, p := range items {
		b := BarisRiwayat{Partisipasi: p, JenisKata: label(program.JenisLabel, p.Jenis), StatusKata: label(labelStatusPeserta, p.Status)}
		if p.Sumber == "luar" {
			b.StatusKata = label(labelStatusLuar, p.Status)
		}
		v.Items = append(v.Items, b)
	}
	return v
}

// riwayatUMKM is the section of business id, if the caller may read it.
func (a *App) riwayatUMKM(q *Permintaan, id uuid.UUID) (*RiwayatProgram, error) {
	if a.Tumpang == nil || !q.Can("list-umkm-program") {
		return nil, nil
	}
	view, err := a.tumpangView(q)
	if err != nil {
		return nil, err
	}
	items, err := a.Tumpang.RiwayatUMKM(q.ctx, q.T, id, view)
	if err != nil {
		return nil, err
	}
	v := riwayatProgram(q, items)
	return &v, nil
}

// riwayatKoperasi is the section of cooperative id, if the caller may
// read it: the record is already found, so not found here is a petugas
// outside the cooperative's region.
func (a *App) riwayatKoperasi(q *Permintaan, id uuid.UUID) (*RiwayatProgram, error) {
	if a.Tumpang == nil || !q.Can("list-koperasi-program") {
		return nil, nil
	}
	view, err := a.tumpangView(q)
	if err != nil {
		return nil, err
	}
	items, err := a.Tumpang.RiwayatKoperasi(q.ctx, q.T, id, view)
	if apperr.KindOf(err) == apperr.KindNotFound {
		// A petugas reads every cooperative, but its programmes, like
		// its managers' names, only inside their regions.
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	v := riwayatProgram(q, items)
	return &v, nil
}
