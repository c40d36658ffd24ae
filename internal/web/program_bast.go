package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/program"
)

// After the selection, on the programme page: follow-up notes (the API's
// create-peserta-tindak-lanjut) for everyone holding a place, and for an
// aid programme the hand-overs (BAST: create-peserta-bast, then the
// recipient's acknowledgement, receive-peserta-bast). The forms are plain
// HTML; a BAST has a fixed number of item lines, blank ones left out.

// barisBAST is how many item lines the hand-over form offers.
const barisBAST = 5

// BAST is one hand-over of a participant: its lines and their total.
type BAST struct {
	Nomor        string
	Hari         string
	Barang       []program.Barang
	Nilai        int64
	DiterimaNama *string
	DiterimaHari string
}

// bastKelompok groups a participant's lines by BAST number, in order.
func bastKelompok(lines []program.Barang, loc *time.Location) []BAST {
	var out []BAST
	for _, b := range lines {
		i := slices.IndexFunc(out, func(x BAST) bool { return x.Nomor == b.NomorBAST })
		if i < 0 {
			out = append(out, BAST{Nomor: b.NomorBAST, Hari: hari(b.Tanggal)})
			i = len(out) - 1
		}
		k := &out[i]
		k.Barang = append(k.Barang, b)
		k.Nilai += b.Nilai
		if b.DiterimaNama != nil {
			k.DiterimaNama = b.DiterimaNama
			k.DiterimaHari = format.Tanggal(*b.DiterimaAt, loc)
		}
	}
	return out
}

// BarisBAST are the item lines of the hand-over form: the index of the
// field names and the number people read.
func (v *programRekamView) BarisBAST() []struct{ Indeks, Nomor int } {
	out := make([]struct{ Indeks, Nomor int }, barisBAST)
	for i := range out {
		out[i].Indeks, out[i].Nomor = i, i+1
	}
	return out
}

// KolomBAST are the fields of an item line, with their labels.
func (v *programRekamView) KolomBAST() []struct {
	Nama, Label string
	Angka       bool
} {
	return []struct {
		Nama, Label string
		Angka       bool
	}{{"nama_barang", "Nama barang", false}, {"jumlah", "Jumlah", true}, {"satuan", "Satuan", false}, {"harga_satuan", "Harga satuan", true}}
}

// isiBAST reads the hand-overs of the participants holding a place of an
// aid programme.
func (a *App) isiBAST(q *Permintaan, programID uuid.UUID, v *programRekamView) error {
	if !v.Bantuan {
		return nil
	}
	var ids []uuid.UUID
	for _, p := range v.Peserta {
		if p.Tempat() {
			ids = append(ids, p.ID)
		}
	}
	view, err := program.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return err
	}
	lines, err := a.Program.BASTPeserta(q.ctx, q.T, programID, ids, view)
	if err != nil {
		return err
	}
	for i := range v.Peserta {
		v.Peserta[i].BAST = bastKelompok(lines[v.Peserta[i].ID], q.loc)
	}
	return nil
}

// bantuan reports whether hand-overs may be recorded for programme type
// jenis (as the service decides).
func bantuan(jenis string) bool { return jenis == "bantuan_barang" || jenis == "bantuan_modal" }

// tindakLanjut adds a follow-up note at the participant's version.
func (a *App) tindakLanjut(q *Permintaan, f url.Values, programID, id uuid.UUID, version int64) error {
	_, err := a.Program.FollowUp(q.ctx, q.T, programID, id, version, program.TindakLanjutInput{Tanggal: f.Get("tanggal"), Catatan: f.Get("catatan")})
	return err
}

// bastInput reads the hand-over form: the filled lines in order, and for
// each the form line it came from (the service's messages name its own
// index). A number that does not read as one is refused at once.
func bastInput(f url.Values) (program.BASTInput, []int, error) {
	in := program.BASTInput{NomorBAST: f.Get("nomor_bast"), Tanggal: f.Get("tanggal"), Barang: []program.BarangInput{}}
	var from []int
	var bad []apperr.Field
	for i := range barisBAST {
		at := fmt.Sprintf("barang[%d].", i)
		nama, jumlah, satuan, harga := f.Get(at+"nama_barang"), strings.TrimSpace(f.Get(at+"jumlah")), f.Get(at+"satuan"), f.Get(at+"harga_satuan")
		if strings.TrimSpace(nama+jumlah+satuan+harga) == "" {
			continue
		}
		b := program.BarangInput{NamaBarang: nama, Satuan: satuan}
		if n, err := strconv.Atoi(strings.ReplaceAll(jumlah, ".", "")); err == nil {
			b.Jumlah = n
		} else {
			bad = append(bad, apperr.Field{Location: "body." + at + "jumlah", Value: jumlah, Message: apperr.T("Isi jumlah dengan bilangan bulat.", "Give the quantity as a whole number.")})
		}
		if n, err := parseRupiah(harga); err == nil {
			b.HargaSatuan = n
		} else {
			bad = append(bad, apperr.Field{Location: "body." + at + "harga_satuan", Value: harga,
				Message: apperr.T("Isi harga satuan dalam rupiah bulat, misalnya 1.500.000.", "Give the unit price in whole rupiah, e.g. 1.500.000.")})
		}
		in.Barang = append(in.Barang, b)
		from = append(from, i)
	}
	if len(bad) > 0 {
		return in, from, apperr.Invalid(apperr.T("Data BAST tidak valid.", "Invalid hand-over."), bad...)
	}
	return in, from, nil
}

// catatBAST records a hand-over (create-peserta-bast), every line or none;
// a refused line's message goes beside the form line it was typed in.
func (a *App) catatBAST(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	pid, err := pesertaID(r)
	if err != nil {
		return err
	}
	return a.langkah(w, r, q, pid.String()+"-bast-", "bast", func(id uuid.UUID) error {
		in, from, err := bastInput(r.PostForm)
		if err != nil {
			return err
		}
		err = a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
			_, err := a.Program.CreateBASTTx(q.ctx, tx, q.T, id, pid, in)
			return err
		})
		if ae, ok := apperr.As(err); ok {
			for i := range ae.Fields {
				for j, line := range from {
					at := fmt.Sprintf("body.barang[%d].", j)
					if rest, ok := strings.CutPrefix(ae.Fields[i].Location, at); ok {
						ae.Fields[i].Location = fmt.Sprintf("body.barang[%d].%s", line, rest)
						break
					}
				}
			}
		}
		return err
	})
}

// terimaBAST records the recipient's acknowledgement of one hand-over
// (receive-peserta-bast); its number travels in the form, not the path,
// as BAST numbers hold slashes.
func (a *App) terimaBAST(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	pid, err := pesertaID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	nomor := r.PostForm.Get("nomor_bast")
	return a.langkah(w, r, q, pid.String()+"-terima-"+nomor+"-", "terima", func(id uuid.UUID) error {
		_, err := a.Program.Receive(q.ctx, q.T, id, pid, nomor, program.TerimaInput{Nama: r.PostForm.Get("nama")})
		return err
	})
}
