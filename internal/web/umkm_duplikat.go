package web

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/umkm"
)

// Likely duplicates (list-umkm-duplikat): pairs of live records of one
// desa/kelurahan that look like the same business, each to compare side by
// side and, for an admin (merge-umkm), to fold one into the other.

// duplikatView is a page of likely duplicates.
type duplikatView struct {
	Halaman
	Kecamatan     string
	KecamatanOpsi []Opsi
	Items         []umkm.Duplikat
	Berikutnya    string
	Galat         map[string]string
}

// Banding is the comparison page of a pair.
func (v *duplikatView) Banding(d umkm.Duplikat) string {
	return "/t/" + v.Kantor.Slug + "/umkm/duplikat/banding?" + url.Values{"a": {d.A.ID.String()}, "b": {d.B.ID.String()}}.Encode()
}

// Persen is a similarity as a whole percentage.
func (v *duplikatView) Persen(f float64) string { return fmt.Sprintf("%.0f%%", f*100) }

// Pilih is the kecamatan select of the filter.
func (v *duplikatView) Pilih(nama, label, nilai, semua string, o []Opsi) Pilih {
	return Pilih{Nama: nama, Label: label, Nilai: nilai, Semua: semua, Opsi: o, Pesan: v.Galat[nama]}
}

const duplikatPageSize = 20

func (a *App) duplikat(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	in := r.URL.Query()
	reg, err := a.wilayah(q)
	if err != nil {
		return err
	}
	v := &duplikatView{Halaman: q.Halaman("Kemungkinan data ganda", "umkm"), Kecamatan: in.Get("kecamatan"), KecamatanOpsi: reg.kecamatan}
	if v.Kecamatan != "" && (reg.nama[v.Kecamatan] == "" || reg.induk[v.Kecamatan] != "") {
		v.Galat = map[string]string{"kecamatan": "Kecamatan tidak dikenal di kantor ini."}
		a.render(w, r, http.StatusUnprocessableEntity, v)
		return nil
	}
	sc, _, err := umkm.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return err
	}
	page, err := a.UMKM.ListDuplikat(q.ctx, q.T, umkm.DuplikatFilter{Kecamatan: v.Kecamatan, Cursor: in.Get("cursor"), Limit: duplikatPageSize}, sc)
	if err != nil {
		return err
	}
	v.Items = page.Items
	if page.NextCursor != "" {
		next := url.Values{"cursor": {page.NextCursor}}
		if v.Kecamatan != "" {
			next.Set("kecamatan", v.Kecamatan)
		}
		v.Berikutnya = r.URL.Path + "?" + next.Encode()
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// bandingView shows two records side by side.
type bandingView struct {
	Halaman
	A, B       umkm.Record
	Baris      []Beda // Label, Anda = A's value, Mereka = B's value
	Pesan      string
	BisaGabung bool // the caller may merge (merge-umkm)
}

func (a *App) banding(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	v, err := a.bandingView(q, r.URL.Query().Get("a"), r.URL.Query().Get("b"))
	if err != nil {
		return err
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

func (a *App) bandingView(q *Permintaan, ida, idb string) (*bandingView, error) {
	ua, err := uuid.Parse(ida)
	if err != nil {
		return nil, apperr.NotFound()
	}
	ub, err := uuid.Parse(idb)
	if err != nil {
		return nil, apperr.NotFound()
	}
	ra, _, _, err := a.baca(q, ua)
	if err != nil {
		return nil, err
	}
	rb, _, _, err := a.baca(q, ub)
	if err != nil {
		return nil, err
	}
	reg, err := a.wilayah(q)
	if err != nil {
		return nil, err
	}
	v := &bandingView{Halaman: q.Halaman("Bandingkan data ganda", "umkm"), A: ra, B: rb, BisaGabung: q.Can("merge-umkm")}
	fa, fb := fromRecord(ra), fromRecord(rb)
	for _, f := range formFields {
		x, y := fa.Get(f.nama), fb.Get(f.nama)
		if f.nama == "kecamatan_kode" || f.nama == "kelurahan_kode" {
			x, y = reg.nama[x], reg.nama[y]
		}
		v.Baris = append(v.Baris, Beda{Label: f.label, Anda: x, Mereka: y})
	}
	v.Baris = append(v.Baris, Beda{Label: "Didaftarkan", Anda: v.Tanggal(ra.CreatedAt), Mereka: v.Tanggal(rb.CreatedAt)})
	return v, nil
}

// gabung folds the record sumber_id into {id} at the version the
// comparison showed.
func (a *App) gabung(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	k, err := a.kiriman(w, r, q)
	if err != nil {
		return err
	}
	source, err := uuid.Parse(r.PostForm.Get("sumber_id"))
	if err != nil {
		return apperr.InvalidField("body.sumber_id", nil, apperr.T("Harus berupa UUID yang valid.", "Must be a valid UUID."))
	}
	_, err = a.UMKM.MergeDuplicate(q.ctx, q.T, k.id, k.version, source, k.sc)
	if apperr.KindOf(err) == apperr.KindPreconditionFailed {
		v, err := a.bandingView(q, r.PostForm.Get("a"), r.PostForm.Get("b"))
		if err != nil {
			return err
		}
		v.Pesan = textDiubahOrang + " Periksa lagi keduanya sebelum menggabungkan."
		a.render(w, r, http.StatusPreconditionFailed, v)
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, recordPath(q.T, k.id.String())+"?pesan=gabung", http.StatusSeeOther)
	return nil
}
