package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/pendanaan"
	"github.com/sentra-id/sentra/internal/umkm"
)

// baruView is the application of one applicant (the interest subsidy and
// a KUR referral for a business, a grant for a cooperative or for a group
// recognised by an SKPD decree): first the applicant is found in the
// register, then the scheme and the amount. Kredit Mesra has its own form.
type baruView struct {
	Halaman
	Cari     string // umkm, koperasi or kelompok: who applies
	Q        string
	UMKM     []umkm.Record
	Koperasi []koperasi.Koperasi
	Dicari   bool // a search ran

	Pemohon string // the applicant's name, once chosen
	Skema   []pendanaan.Skema
	Isi     url.Values
	Kunci   string
	Galat   map[string]string
	Pesan   string
}

// Nilai is a field as typed.
func (v *baruView) Nilai(name string) string { return v.Isi.Get(name) }

// Bank lists the banks the schemes name, for the field's suggestions.
func (v *baruView) Bank() []string {
	var out []string
	for _, s := range v.Skema {
		for _, b := range s.Aturan.Bank {
			if !slices.Contains(out, b) {
				out = append(out, b)
			}
		}
	}
	return out
}

// maxCari is how many records a search shows: a name is typed to find one.
const maxCari = 20

// skemaFor are the kinds an applicant may take: a business the subsidy or
// KUR, a cooperative or a group a grant.
var skemaFor = map[string][]string{
	"umkm":     {pendanaan.JenisSubsidiBunga, pendanaan.JenisKUR},
	"koperasi": {pendanaan.JenisHibah},
	"kelompok": {pendanaan.JenisHibah},
}

func (a *App) baruDana(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	v, err := a.baruPage(q, r.URL.Query())
	if err != nil {
		return err
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// baruPage reads the form's state from in: the search, or the chosen
// applicant (umkm_id, koperasi_id, or cari=kelompok) with its schemes. An
// applicant another office holds reads as not found, as in the API.
func (a *App) baruPage(q *Permintaan, in url.Values) (*baruView, error) {
	v := &baruView{Halaman: q.Halaman("Pengajuan pendanaan baru", "pendanaan"), Cari: in.Get("cari"), Q: strings.TrimSpace(in.Get("q")),
		Isi: in, Kunci: in.Get("kunci"), Galat: map[string]string{}}
	if _, ok := skemaFor[v.Cari]; !ok {
		v.Cari = "umkm"
	}
	if v.Kunci == "" {
		v.Kunci = uuid.NewString()
	}
	switch id := in.Get("umkm_id") + in.Get("koperasi_id"); {
	case id != "":
		if _, err := uuid.Parse(id); err != nil {
			return nil, apperr.NotFound()
		}
		if in.Get("umkm_id") != "" {
			sc, view, err := umkm.Access(q.ctx, a.Authz, q.P, q.T)
			if err != nil {
				return nil, err
			}
			rec, err := a.UMKM.Get(q.ctx, q.T, uuid.MustParse(id), sc, view)
			if err != nil {
				return nil, err
			}
			v.Cari, v.Pemohon = "umkm", rec.NamaUsaha+" ("+rec.NamaPemilik+")"
		} else {
			d, err := a.Koperasi.Get(q.ctx, q.T, uuid.MustParse(id))
			if err != nil {
				return nil, err
			}
			v.Cari, v.Pemohon = "koperasi", d.Nama
		}
	case v.Cari == "kelompok":
		v.Pemohon = "Kelompok penerima hibah"
	case v.Q != "":
		v.Dicari = true
		if v.Cari == "koperasi" {
			view, err := koperasi.Access(q.ctx, a.Authz, q.P, q.T)
			if err != nil {
				return nil, err
			}
			page, err := a.Koperasi.List(q.ctx, q.T, koperasi.Filter{Q: v.Q, Limit: maxCari}, view)
			if err != nil {
				return nil, err
			}
			v.Koperasi = page.Items
		} else {
			sc, view, err := umkm.Access(q.ctx, a.Authz, q.P, q.T)
			if err != nil {
				return nil, err
			}
			page, err := a.UMKM.List(q.ctx, q.T, umkm.Filter{Q: v.Q, Limit: maxCari}, sc, view)
			if err != nil {
				return nil, err
			}
			v.UMKM = page.Items
		}
	}
	if v.Pemohon == "" {
		return v, nil
	}
	day, err := q.T.Today(a.Pendanaan.Now())
	if err != nil {
		return nil, err
	}
	all, err := a.Pendanaan.ListSkema(q.ctx, q.T, day)
	if err != nil {
		return nil, err
	}
	for _, s := range all {
		if slices.Contains(skemaFor[v.Cari], s.Jenis) {
			v.Skema = append(v.Skema, s)
		}
	}
	return v, nil
}

// ajukanDana files the application as the API's create-pengajuan-dana
// does, once per form (its key); a refusal shows the form again with the
// message beside its field.
func (a *App) ajukanDana(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	f, err := readForm(w, r)
	if err != nil {
		return err
	}
	page, err := a.baruPage(q, f)
	if err != nil {
		return err
	}
	in := pendanaan.PengajuanInput{Skema: f.Get("skema"), Bank: formPtr(f, "bank"), Catatan: formPtr(f, "catatan")}
	switch page.Cari {
	case "umkm":
		in.UMKMID = formPtr(f, "umkm_id")
	case "koperasi":
		in.KoperasiID = formPtr(f, "koperasi_id")
	case "kelompok":
		in.NamaKelompok, in.SKKelompok = formPtr(f, "nama_kelompok"), formPtr(f, "sk_kelompok")
	}
	if raw := strings.TrimSpace(f.Get("plafon")); raw != "" {
		if n, err := parseRupiah(raw); err != nil || n <= 0 {
			page.Galat["plafon"] = "Tulis jumlah dalam rupiah, tanpa titik atau dengan titik ribuan (25.000.000)."
		} else {
			in.Plafon = &n
		}
	}
	if raw := strings.TrimSpace(f.Get("tenor_bulan")); raw != "" {
		if n, err := strconv.Atoi(raw); err != nil {
			page.Galat["tenor_bulan"] = "Tulis tenor dalam bulan, angka saja (24)."
		} else {
			in.TenorBulan = &n
		}
	}
	if in.Skema == "" {
		page.Galat["skema"] = "Pilih skema pendanaan."
	}
	if len(page.Galat) > 0 {
		page.Pesan = "Periksa isian yang ditandai."
		a.render(w, r, http.StatusUnprocessableEntity, page)
		return nil
	}
	id, err := a.fileDana(q, page.Kunci, in)
	if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindInvalid {
		for _, fe := range ae.Fields {
			name := strings.TrimPrefix(fe.Location, "body.")
			if name == "umkm_id" || name == "koperasi_id" {
				name = "pemohon"
			}
			if _, seen := page.Galat[name]; !seen {
				page.Galat[name] = fe.Message.ID
			}
		}
		page.Pesan = ae.Message.ID
		a.render(w, r, http.StatusUnprocessableEntity, page)
		return nil
	}
	return a.toPengajuan(w, r, q, id, err)
}

// fileDana files in as the API's create-pengajuan-dana does, once per
// form (kunci, the form's key).
func (a *App) fileDana(q *Permintaan, kunci string, in pendanaan.PengajuanInput) (uuid.UUID, error) {
	v, err := a.danaView(q)
	if err != nil {
		return uuid.Nil, err
	}
	if _, err := uuid.Parse(kunci); err != nil {
		kunci = ""
	}
	return a.once(q, kunci, "create-pengajuan-dana (web)", in, http.StatusCreated, func(tx pgx.Tx) (uuid.UUID, string, error) {
		p, err := a.Pendanaan.CreateTx(q.ctx, tx, q.T, in, v)
		return p.ID, pendanaan.Path(q.T.Slug, p.ID), err
	})
}

// toPengajuan sends the browser to the application filed, unless err.
func (a *App) toPengajuan(w http.ResponseWriter, r *http.Request, q *Permintaan, id uuid.UUID, err error) error {
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/t/"+q.T.Slug+"/pendanaan/pengajuan/"+id.String(), http.StatusSeeOther)
	return nil
}
