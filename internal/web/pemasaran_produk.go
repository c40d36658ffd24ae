package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/pemasaran"
	"github.com/sentra-id/sentra/internal/umkm"
)

// Products of a business and their curation: the business's products with
// the form adding one, and a product's page with its photos (uploaded as a
// plain multipart form, typed by their bytes), the form applying it to a
// point, and its curations with the legality gate's reasons.

// BarisProduk is a product with its category and price in words.
type BarisProduk struct {
	pemasaran.Produk
	KategoriKata, HargaKata string
}

func barisProduk(p pemasaran.Produk) BarisProduk {
	return BarisProduk{Produk: p, KategoriKata: label(pemasaran.KategoriLabel, p.Kategori), HargaKata: format.Rupiah(p.Harga)}
}

// produkUMKMView is a business's products.
type produkUMKMView struct {
	Halaman
	isianForm
	UMKMID, NamaUsaha string
	Items             []BarisProduk
	KategoriOpsi      []Opsi
	Pesan             string
}

func (a *App) produkUMKM(q *Permintaan, id uuid.UUID, isi url.Values) (*produkUMKMView, error) {
	sc, view, err := umkm.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return nil, err
	}
	rec, err := a.UMKM.Get(q.ctx, q.T, id, sc, view)
	if err != nil {
		return nil, err
	}
	pv, err := pemasaran.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return nil, err
	}
	list, err := a.Pemasaran.ListProduk(q.ctx, q.T, id, pv)
	if err != nil {
		return nil, err
	}
	v := &produkUMKMView{Halaman: q.Halaman("Produk "+rec.NamaUsaha, "umkm"), isianForm: isianForm{Isi: isi, Galat: map[string]string{}},
		UMKMID: id.String(), NamaUsaha: rec.NamaUsaha, KategoriOpsi: opsi(pemasaran.AllKategori, pemasaran.KategoriLabel)}
	for _, p := range list {
		v.Items = append(v.Items, barisProduk(p))
	}
	return v, nil
}

func (a *App) daftarProdukUMKM(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return apperr.NotFound()
	}
	v, err := a.produkUMKM(q, id, url.Values{})
	if err != nil {
		return err
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// hargaForm reads a price typed as an office writes it: 15.000 or 15000.
func hargaForm(s string) (int64, bool) {
	s = strings.NewReplacer(".", "", " ", "", "Rp", "", "rp", "").Replace(strings.TrimSpace(s))
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

func (a *App) buatProduk(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	id, view, err := a.pemasaranPath(r, q)
	if err != nil {
		return err
	}
	harga, ok := hargaForm(r.PostForm.Get("harga"))
	in := pemasaran.ProdukInput{Nama: r.PostForm.Get("nama"), Kategori: r.PostForm.Get("kategori"), Harga: harga}
	if k := strings.TrimSpace(r.PostForm.Get("keterangan")); k != "" {
		in.Keterangan = &k
	}
	var p pemasaran.Produk
	if !ok {
		err = apperr.InvalidField("body.harga", r.PostForm.Get("harga"), apperr.T("Harga dalam rupiah utuh, mis. 15.000.", "Price in whole rupiah."))
	} else {
		err = a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) (err error) {
			p, err = a.Pemasaran.CreateProdukTx(q.ctx, tx, q.T, id, in, view)
			return err
		})
	}
	if err == nil {
		http.Redirect(w, r, "/t/"+q.T.Slug+"/pemasaran/produk/"+p.ID.String()+"?pesan=baru", http.StatusSeeOther)
		return nil
	}
	ae, isApp := apperr.As(err)
	if !isApp || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict) {
		return err
	}
	v, verr := a.produkUMKM(q, id, r.PostForm)
	if verr != nil {
		return verr
	}
	v.Galat, v.Pesan = fieldMessages(ae), ae.Message.ID
	a.render(w, r, http.StatusUnprocessableEntity, v)
	return nil
}

// produkView is a product with its photos and curations.
type produkView struct {
	Halaman
	P         BarisProduk
	Kurasi    []BarisKurasi
	TitikOpsi []Opsi
	// Foto and Ajukan are the upload and the curation forms as typed.
	Foto, Ajukan isianForm
	Pesan        string
	Selesai      string
}

var selesaiProduk = map[string]string{"baru": "Produk disimpan. Tambahkan fotonya di bawah.", "foto": "Foto disimpan.",
	"kurasi": "Keputusan kurasi disimpan."}

func (a *App) produkRekam(r *http.Request, q *Permintaan) (*produkView, error) {
	id, view, err := a.pemasaranPath(r, q)
	if err != nil {
		return nil, err
	}
	p, err := a.Pemasaran.GetProduk(q.ctx, q.T, id, view)
	if err != nil {
		return nil, err
	}
	list, err := a.Pemasaran.KurasiProduk(q.ctx, q.T, id, view)
	if err != nil {
		return nil, err
	}
	v := &produkView{Halaman: q.Halaman(p.Nama, "pemasaran"), P: barisProduk(p), Selesai: selesaiProduk[r.URL.Query().Get("pesan")],
		Foto: isianForm{Isi: url.Values{}, Galat: map[string]string{}}, Ajukan: isianForm{Isi: url.Values{"keputusan": {"diterima"}}, Galat: map[string]string{}}}
	for _, k := range list {
		v.Kurasi = append(v.Kurasi, barisKurasi(k))
	}
	if q.Can("create-titik-kurasi") {
		page, err := a.Pemasaran.ListTitik(q.ctx, q.T, pemasaran.TitikFilter{Status: "aktif", Limit: 500}, view)
		if err != nil {
			return nil, err
		}
		for _, t := range page.Items {
			v.TitikOpsi = append(v.TitikOpsi, Opsi{Nilai: t.ID.String(), Label: t.Nama + " (" + label(pemasaran.JenisLabel, t.Jenis) + ")"})
		}
	}
	return v, nil
}

func (a *App) rekamProduk(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	v, err := a.produkRekam(r, q)
	if err != nil {
		return err
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// unggahFoto stores a photo: the browser's declared type comes from the
// file's name, which is never trusted, so only the bytes decide.
func (a *App) unggahFoto(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return apperr.NotFound()
	}
	u, tooLarge, err := readUpload(w, r, pemasaran.MaxFotoBytes)
	if err == nil && tooLarge {
		err = pemasaran.FotoTerlaluBesar("berkas")
	}
	if err == nil && len(u.file) == 0 {
		err = apperr.InvalidField("berkas", nil, apperr.T("Pilih berkas foto.", "Choose a photo file."))
	}
	if err == nil {
		var view pemasaran.View
		if view, err = pemasaran.Access(q.ctx, a.Authz, q.P, q.T); err != nil {
			return err
		}
		if _, err = a.Pemasaran.AddFoto(q.ctx, q.T, id, u.file, "", "berkas", view); err == nil {
			http.Redirect(w, r, "/t/"+q.T.Slug+"/pemasaran/produk/"+id.String()+"?pesan=foto", http.StatusSeeOther)
			return nil
		}
	}
	ae, ok := apperr.As(err)
	if !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict) {
		return err
	}
	v, verr := a.produkRekam(r, q)
	if verr != nil {
		return verr
	}
	v.Foto.Galat = fieldMessages(ae)
	status := http.StatusUnprocessableEntity
	if tooLarge {
		status = http.StatusRequestEntityTooLarge
	}
	a.render(w, r, status, v)
	return nil
}

// fotoProduk serves a photo's bytes with the type sniffed when stored.
func (a *App) fotoProduk(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err1 := uuid.Parse(r.PathValue("id"))
	fid, err2 := uuid.Parse(r.PathValue("foto"))
	if err1 != nil || err2 != nil {
		return apperr.NotFound()
	}
	view, err := pemasaran.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return err
	}
	tipe, b, err := a.Pemasaran.Foto(q.ctx, q.T, id, fid, view)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", tipe)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, max-age=3600")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	_, _ = w.Write(b)
	return nil
}

// ajukanKurasi applies the product to a point through the gate.
func (a *App) ajukanKurasi(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	id, view, err := a.pemasaranPath(r, q)
	if err != nil {
		return err
	}
	titikID, terr := uuid.Parse(r.PostForm.Get("titik_id"))
	in := pemasaran.KurasiInput{ProdukID: id, Keputusan: r.PostForm.Get("keputusan")}
	if s := strings.TrimSpace(r.PostForm.Get("alasan")); s != "" {
		in.Alasan = &s
	}
	if terr != nil {
		err = apperr.InvalidField("titik_id", nil, apperr.T("Pilih titik pemasaran.", "Choose a marketing point."))
	} else {
		err = a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
			_, err := a.Pemasaran.KurasikanTx(q.ctx, tx, q.T, titikID, in, view)
			return err
		})
	}
	if err == nil {
		http.Redirect(w, r, "/t/"+q.T.Slug+"/pemasaran/produk/"+id.String()+"?pesan=kurasi#kurasi", http.StatusSeeOther)
		return nil
	}
	ae, ok := apperr.As(err)
	if !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict && ae.Kind != apperr.KindNotFound) {
		return err
	}
	v, verr := a.produkRekam(r, q)
	if verr != nil {
		return verr
	}
	v.Ajukan = isianForm{Isi: r.PostForm, Galat: fieldMessages(ae)}
	if ae.Kind == apperr.KindNotFound {
		v.Ajukan.Galat["titik_id"] = "Titik pemasaran tidak ditemukan."
	}
	v.Pesan = ae.Message.ID
	status := http.StatusUnprocessableEntity
	if ae.Kind == apperr.KindConflict {
		status = http.StatusConflict
	}
	a.render(w, r, status, v)
	return nil
}

func (a *App) produkRoutes() {
	a.kantor("GET /t/{tenant}/umkm/{id}/produk", "list-umkm-produk", a.daftarProdukUMKM)
	a.kantor("POST /t/{tenant}/umkm/{id}/produk", "create-umkm-produk", a.buatProduk)
	a.kantor("GET /t/{tenant}/pemasaran/produk/{id}", "get-produk", a.rekamProduk)
	a.kantor("POST /t/{tenant}/pemasaran/produk/{id}/foto", "create-produk-foto", a.unggahFoto)
	a.kantor("GET /t/{tenant}/pemasaran/produk/{id}/foto/{foto}", "get-produk-foto", a.fotoProduk)
	a.kantor("POST /t/{tenant}/pemasaran/produk/{id}/kurasi", "create-titik-kurasi", a.ajukanKurasi)
}
