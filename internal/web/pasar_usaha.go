package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/pasar"
)

// A business's shops on marketplaces and its modern-retail listings, a
// section of the UMKM record page (the API's list-, create- and
// archive-toko-daring and -gerai-ritel on the same service, as
// pasar.Access scopes them). A refused form shows the record page again
// with the message beside the field.

// PasarUsaha is the section: the lists and, for who may write, the forms.
type PasarUsaha struct {
	Aksi              string // the business's path, the forms' base
	Toko              []BarisToko
	Gerai             []BarisGerai
	BisaToko, BisaRit bool // may add (and archive) shops, listings
	FormToko          isianForm
	FormGerai         isianForm
	Kunci             string // this render's form key (Idempotency-Key)
	Pesan             string // a refusal of the whole form
	PlatformOpsi      []Opsi
	DibinaOpsi        []Opsi
	PeritelOpsi       []Opsi
	Hari              string // the office's today, the dates' upper bound
	// AktifGalat is the refusal of a shop's last-active date, beside the
	// date of shop AktifToko.
	AktifGalat, AktifToko string
}

// BarisToko is a shop in words.
type BarisToko struct {
	pasar.Toko
	PlatformKata, DibinaKata          string
	Bergabung, Pertama, TerakhirAktif string
}

// BarisGerai is a retail listing in words.
type BarisGerai struct {
	pasar.Gerai
	PeritelKata, Sejak string
}

var labelPlatform = map[string]string{"shopee": "Shopee", "tokopedia": "Tokopedia", "grab": "GrabFood/GrabMart", "gojek": "GoFood/GoMart",
	"tiktok_shop": "TikTok Shop", "bukalapak": "Bukalapak", "lazada": "Lazada", "lainnya": "Lainnya"}

var labelDibina = map[string]string{"program": "Program Dinas", "staf": "Staf Dinas", "mandiri": "Mandiri"}

var labelPeritel = map[string]string{"indomaret": "Indomaret", "alfamart": "Alfamart", "lokal": "Ritel lokal"}

// hariOpsional is a YYYY-MM-DD in words; blank stays blank.
func hariOpsional(s *string) string {
	if s == nil {
		return ""
	}
	return hari(*s)
}

func (a *App) pasarView(q *Permintaan) (pasar.View, error) {
	return pasar.Access(q.ctx, a.Authz, q.P, q.T)
}

// pasarUMKM reads the section for business id; nil when the caller may
// read neither list.
func (a *App) pasarUMKM(q *Permintaan, id uuid.UUID) (*PasarUsaha, error) {
	if a.Pasar == nil || !q.Can("list-toko-daring") {
		return nil, nil
	}
	v, err := a.pasarView(q)
	if err != nil {
		return nil, err
	}
	today, err := q.T.Today(time.Now())
	if err != nil {
		return nil, err
	}
	p := &PasarUsaha{Aksi: recordPath(q.T, id.String()), BisaToko: q.Can("create-toko-daring"), BisaRit: q.Can("create-gerai-ritel"),
		FormToko: isianForm{Isi: url.Values{}, Galat: map[string]string{}}, FormGerai: isianForm{Isi: url.Values{}, Galat: map[string]string{}},
		Kunci: uuid.NewString(), PlatformOpsi: opsi(pasar.AllPlatform, labelPlatform), DibinaOpsi: opsi(pasar.AllDibinaOleh, labelDibina),
		PeritelOpsi: opsi(pasar.AllPeritel, labelPeritel), Hari: today.Format(time.DateOnly)}
	toko, err := a.Pasar.ListToko(q.ctx, q.T, v, pasar.TokoFilter{UMKMID: id, Limit: 100})
	if err != nil {
		return nil, err
	}
	for _, x := range toko.Items {
		p.Toko = append(p.Toko, BarisToko{Toko: x, PlatformKata: label(labelPlatform, x.Platform), DibinaKata: label(labelDibina, x.DibinaOleh),
			Bergabung: hariOpsional(x.TanggalBergabung), Pertama: hariOpsional(x.PenjualanPertama), TerakhirAktif: hariOpsional(x.AktifTerakhir)})
	}
	if q.Can("list-gerai-ritel") {
		gerai, err := a.Pasar.ListGerai(q.ctx, q.T, v, id)
		if err != nil {
			return nil, err
		}
		for _, g := range gerai {
			p.Gerai = append(p.Gerai, BarisGerai{Gerai: g, PeritelKata: label(labelPeritel, g.Peritel), Sejak: hariOpsional(g.Sejak)})
		}
	}
	return p, nil
}

func (a *App) pasarUsahaRoutes() {
	const base = "/t/{tenant}/umkm/{id}"
	a.kantor("POST "+base+"/toko-daring", "create-toko-daring", a.tambahToko)
	a.kantor("POST "+base+"/toko-daring/{toko}/aktif", "update-toko-daring", a.aktifToko)
	a.kantor("POST "+base+"/toko-daring/{toko}/arsip", "archive-toko-daring", a.arsipToko)
	a.kantor("POST "+base+"/gerai-ritel", "create-gerai-ritel", a.tambahGerai)
	a.kantor("POST "+base+"/gerai-ritel/{gerai}/arsip", "archive-gerai-ritel", a.arsipGerai)
}

// angkaIsian reads a whole number typed in a form; a blank or unreadable
// one is 0, which the service refuses naming the field.
func angkaIsian(s string) int {
	n, _ := strconv.Atoi(strings.ReplaceAll(strings.TrimSpace(s), ".", ""))
	return n
}

func (a *App) tambahToko(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.pasarTulis(w, r, q, "toko", func(id uuid.UUID, v pasar.View, f url.Values) error {
		in := pasar.TokoInput{UMKMID: id, Platform: f.Get("platform"), Tautan: f.Get("tautan"), DibinaOleh: f.Get("dibina_oleh"),
			TanggalBergabung: f.Get("tanggal_bergabung"), PenjualanPertama: f.Get("penjualan_pertama"), AktifTerakhir: f.Get("aktif_terakhir")}
		_, err := a.once(q, f.Get("kunci"), "create-toko-daring (web)", in, http.StatusCreated, func(tx pgx.Tx) (uuid.UUID, string, error) {
			x, err := a.Pasar.CreateTokoTx(q.ctx, tx, q.T, v, in)
			return x.ID, "/v1/tenants/" + q.T.Slug + "/toko-daring/" + x.ID.String(), err
		})
		return err
	})
}

func (a *App) tambahGerai(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.pasarTulis(w, r, q, "gerai", func(id uuid.UUID, v pasar.View, f url.Values) error {
		in := pasar.GeraiInput{UMKMID: id, Peritel: f.Get("peritel"), JumlahGerai: angkaIsian(f.Get("jumlah_gerai")),
			JumlahProduk: angkaIsian(f.Get("jumlah_produk")), Sejak: f.Get("sejak")}
		if n := strings.TrimSpace(f.Get("peritel_nama")); n != "" {
			in.PeritelNama = &n
		}
		_, err := a.once(q, f.Get("kunci"), "create-gerai-ritel (web)", in, http.StatusCreated, func(tx pgx.Tx) (uuid.UUID, string, error) {
			x, err := a.Pasar.CreateGeraiTx(q.ctx, tx, q.T, v, in)
			return x.ID, "/v1/tenants/" + q.T.Slug + "/gerai-ritel/" + x.ID.String(), err
		})
		return err
	})
}

// aktifToko records the day a shop was last seen selling, its other
// fields as they are (the API's update-toko-daring at the shop's version).
func (a *App) aktifToko(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.pasarTulis(w, r, q, "aktif", func(_ uuid.UUID, v pasar.View, f url.Values) error {
		id, err := pathID(r, "toko")
		if err != nil {
			return err
		}
		x, err := a.Pasar.GetToko(q.ctx, q.T, v, id)
		if err != nil {
			return err
		}
		in := pasar.TokoInput{UMKMID: x.UMKMID, Platform: x.Platform, Tautan: x.Tautan, DibinaOleh: x.DibinaOleh, AktifTerakhir: f.Get("aktif_terakhir")}
		for _, d := range []struct {
			to   *string
			from *string
		}{{&in.TanggalBergabung, x.TanggalBergabung}, {&in.PenjualanPertama, x.PenjualanPertama}} {
			if d.from != nil {
				*d.to = *d.from
			}
		}
		_, err = a.Pasar.UpdateToko(q.ctx, q.T, v, id, int64(angkaIsian(f.Get("versi"))), &in)
		return err
	})
}

func (a *App) arsipToko(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.pasarTulis(w, r, q, "toko", func(_ uuid.UUID, v pasar.View, f url.Values) error {
		id, err := pathID(r, "toko")
		if err != nil {
			return err
		}
		_, err = a.Pasar.UpdateToko(q.ctx, q.T, v, id, int64(angkaIsian(f.Get("versi"))), nil)
		return err
	})
}

func (a *App) arsipGerai(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.pasarTulis(w, r, q, "gerai", func(_ uuid.UUID, v pasar.View, f url.Values) error {
		id, err := pathID(r, "gerai")
		if err != nil {
			return err
		}
		_, err = a.Pasar.UpdateGerai(q.ctx, q.T, v, id, int64(angkaIsian(f.Get("versi"))), nil)
		return err
	})
}

// pasarTulis runs a write of the section: done goes back to the record
// page; a refusal the API would answer 4xx shows the record page again
// with the form (bentuk: toko or gerai) as typed and the messages beside
// its fields.
func (a *App) pasarTulis(w http.ResponseWriter, r *http.Request, q *Permintaan, bentuk string, write func(id uuid.UUID, v pasar.View, f url.Values) error) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	v, err := a.pasarView(q)
	if err != nil {
		return err
	}
	err = write(id, v, r.PostForm)
	if err == nil {
		http.Redirect(w, r, recordPath(q.T, id.String())+"#pasar", http.StatusSeeOther)
		return nil
	}
	ae, ok := apperr.As(err)
	if !ok {
		return err
	}
	status := statusFormulir(ae)
	if status == 0 {
		return err
	}
	page, err := a.rekam(r, q, kendalaForm{})
	if err != nil {
		return err
	}
	if page.Pasar == nil {
		return ae
	}
	form := &page.Pasar.FormToko
	switch bentuk {
	case "gerai":
		form = &page.Pasar.FormGerai
	case "aktif": // the message goes beside that shop's date
		page.Pasar.AktifGalat, page.Pasar.AktifToko = fieldMessages(ae)["aktif_terakhir"], r.PathValue("toko")
		form = &isianForm{}
	}
	form.Isi, form.Galat = r.PostForm, fieldMessages(ae)
	page.Pasar.Pesan = ae.Message.ID
	if ae.Kind == apperr.KindPreconditionFailed {
		page.Pasar.Pesan = textDiubahOrang
	}
	if f := r.PostForm.Get("kunci"); f != "" {
		page.Pasar.Kunci = f // the same attempt, corrected, is still one record
	}
	a.render(w, r, status, page)
	return nil
}

// IsianPasar is a field of the section's forms.
type IsianPasar struct{ Nama, Label, Jenis string }

// TanggalToko are the date fields of the shop form.
func (p *PasarUsaha) TanggalToko() []IsianPasar {
	return []IsianPasar{{"tanggal_bergabung", "Tanggal bergabung", "date"}, {"penjualan_pertama", "Penjualan pertama", "date"},
		{"aktif_terakhir", "Terakhir aktif berjualan", "date"}}
}

// IsianGerai are the fields of the listing form after the retailer.
func (p *PasarUsaha) IsianGerai() []IsianPasar {
	return []IsianPasar{{"peritel_nama", "Nama ritel lokal (untuk ritel lokal)", "text"}, {"jumlah_gerai", "Jumlah gerai", "angka"},
		{"jumlah_produk", "Jumlah produk", "angka"}, {"sejak", "Sejak", "date"}}
}
