package web

import (
	"net/http"
	"net/url"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/pasar"
)

// The businesses' marketplace shops across the office (the API's
// list-toko-daring with its filters: platform, active in the last 90
// days, kecamatan), a petugas's regions only.

// pasarTokoView is the list.
type pasarTokoView struct {
	Halaman
	F             url.Values // the filters as asked
	PlatformOpsi  []Opsi
	KecamatanOpsi []Opsi
	Toko          []BarisTokoUsaha
	Lanjut        string
	Galat         map[string]string
}

// BarisTokoUsaha is a shop with its business's name and link.
type BarisTokoUsaha struct {
	BarisToko
	Kecamatan, Usaha string
}

func tokoPath(slug string, f url.Values) string {
	return "/t/" + slug + "/pasar/toko?" + f.Encode()
}

func (a *App) pasarToko(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	in := r.URL.Query()
	f := url.Values{}
	for _, k := range []string{"platform", "aktif", "kecamatan"} {
		if s := in.Get(k); s != "" {
			f.Set(k, s)
		}
	}
	reg, err := a.wilayah(q)
	if err != nil {
		return err
	}
	v := &pasarTokoView{Halaman: q.Halaman("Toko daring UMKM", "pasar"), F: f, PlatformOpsi: opsi(pasar.AllPlatform, labelPlatform),
		KecamatanOpsi: reg.kecamatan, Galat: map[string]string{}}
	view, err := a.pasarView(q)
	if err != nil {
		return err
	}
	filter := pasar.TokoFilter{Platform: f.Get("platform"), Kecamatan: f.Get("kecamatan"), Limit: 100}
	if c := in.Get("cursor"); c != "" {
		filter.Cursor = c
	}
	switch f.Get("aktif") {
	case "ya", "tidak":
		aktif := f.Get("aktif") == "ya"
		filter.Aktif = &aktif
	case "":
	default:
		v.Galat["aktif"] = "Pilih aktif atau tidak aktif."
	}
	page, err := a.Pasar.ListToko(q.ctx, q.T, view, filter)
	if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindInvalid {
		for k, m := range fieldMessages(ae) {
			v.Galat[k] = m
		}
		a.render(w, r, http.StatusUnprocessableEntity, v)
		return nil
	}
	if err != nil {
		return err
	}
	if len(v.Galat) > 0 {
		a.render(w, r, http.StatusUnprocessableEntity, v)
		return nil
	}
	for _, x := range page.Items {
		v.Toko = append(v.Toko, BarisTokoUsaha{BarisToko: BarisToko{Toko: x, PlatformKata: label(labelPlatform, x.Platform),
			DibinaKata: label(labelDibina, x.DibinaOleh), TerakhirAktif: hariOpsional(x.AktifTerakhir)},
			Kecamatan: reg.nama[x.KecamatanKode], Usaha: recordPath(q.T, x.UMKMID.String())})
	}
	if page.NextCursor != "" {
		next := url.Values{}
		for k, vals := range f {
			next[k] = vals
		}
		next.Set("cursor", page.NextCursor)
		v.Lanjut = tokoPath(q.T.Slug, next)
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}
