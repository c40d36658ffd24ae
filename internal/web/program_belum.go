package web

import (
	"html/template"
	"net/http"
	"net/url"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/peta"
	"github.com/sentra-id/sentra/internal/tumpang"
	"github.com/sentra-id/sentra/internal/umkm"
)

// The never-helped (list-belum-pernah): registered businesses with no
// participation of any kind, by the business or by the owner's NIK, in
// this office's programmes or another agency's list. A map of their count
// per desa/kelurahan, the counts per kecamatan, and the invitation list,
// those waiting longest first; the register's filters narrow all three.

// belumView is the never-helped page.
type belumView struct {
	Halaman
	F                                    url.Values
	Galat                                map[string]string
	KecamatanOpsi, SektorOpsi, SkalaOpsi []Opsi
	JKOpsi, BinaanOpsi                   []Opsi
	Kelurahan                            []Grup
	Ada                                  bool
	SVG                                  template.HTML
	Legenda                              []peta.Tingkat
	Kecamatan                            []tumpang.Jumlah
	Belum, Terdaftar                     int
	Items                                []tumpang.Usaha
	Berikutnya                           string
	Pesan                                string
}

// Pilih is the select nama of the filter form.
func (v *belumView) Pilih(nama, label, nilai, semua string, o []Opsi) Pilih {
	return Pilih{Nama: nama, Label: label, Nilai: nilai, Semua: semua, Opsi: o, Pesan: v.Galat[nama]}
}

// Saringan are the filters an export of the list carries.
func (v *belumView) Saringan() []string {
	return []string{"kecamatan", "kelurahan", "sektor", "skala", "jenis_kelamin", "status_binaan"}
}

// Bagian is part of whole in words ("12 dari 40").
func (v *belumView) Bagian(part, whole int) string {
	return format.Angka(part) + " dari " + format.Angka(whole) + " (" + format.Persen(part, whole) + ")"
}

func (a *App) belumPernah(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	in := r.URL.Query()
	reg, err := a.wilayah(q)
	if err != nil {
		return err
	}
	v := &belumView{Halaman: q.Halaman("Belum pernah dibantu", "program"), F: in, Galat: map[string]string{},
		KecamatanOpsi: reg.kecamatan, Kelurahan: reg.grup, SektorOpsi: opsi(umkm.Sectors, labelSektor),
		SkalaOpsi: opsi(skalaKode, labelSkala), JKOpsi: opsi(jkKode, labelJenisKelamin), BinaanOpsi: opsi(binaanKode, labelBinaan)}
	f := tumpang.Filter{Kecamatan: in.Get("kecamatan"), Kelurahan: in.Get("kelurahan"), Sektor: in.Get("sektor"),
		Skala: in.Get("skala"), JenisKelamin: in.Get("jenis_kelamin"), StatusBinaan: in.Get("status_binaan"),
		Cursor: in.Get("cursor"), Limit: 50}
	view, err := a.tumpangView(q)
	if err != nil {
		return err
	}
	page, err := a.Tumpang.BelumPernah(q.ctx, q.T, f, view)
	if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindInvalid {
		v.Pesan = ae.Message.ID
		v.Galat = fieldMessages(ae)
		a.render(w, r, http.StatusUnprocessableEntity, v)
		return nil
	} else if err != nil {
		return err
	}
	v.Items = page.Items
	if page.NextCursor != "" {
		next := url.Values{}
		for k, vals := range in {
			next[k] = vals
		}
		next.Set("cursor", page.NextCursor)
		v.Berikutnya = r.URL.Path + "?" + next.Encode()
	}
	f.Cursor = ""
	jumlah, err := a.Tumpang.JumlahBelumPernah(q.ctx, q.T, f, view)
	if err != nil {
		return err
	}
	nilai := map[string]float64{}
	for _, j := range jumlah {
		if j.Level == "kecamatan" {
			v.Kecamatan = append(v.Kecamatan, j)
			v.Belum += j.Belum
			v.Terdaftar += j.Terdaftar
		} else {
			nilai[j.Kode] = float64(j.Belum)
		}
	}
	t, err := a.Tenants.Resolve(q.ctx, q.T.Slug)
	if err != nil {
		return err
	}
	h, err := peta.Gambar(t.KemendagriCode, peta.Data{Judul: "Usaha yang belum pernah dibantu per desa/kelurahan", Nilai: nilai})
	if err != nil {
		return err
	}
	v.Ada, v.Legenda = h.Ada, h.Legenda
	v.SVG = template.HTML(h.SVG) // #nosec G203 -- peta escapes every text
	a.render(w, r, http.StatusOK, v)
	return nil
}
