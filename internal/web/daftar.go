package web

// Online self-registration (issue 14 pages 6 and 8): the office's public
// form /daftar/{tenant}, the public status /lacak/{kode}, and the staff's
// review /t/{tenant}/registrasi. The same service calls, rate limits and
// rules as internal/httpapi/registrasi.go.

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/internal/umkm"
)

// kodeSymbols is the length of a tracking code without prefix and dashes
// (umkm.ParseKode).
const kodeSymbols = 10

// maxDaftarForm bounds the public form (the API takes 16 KiB of JSON).
const maxDaftarForm = 32 << 10

// daftarView is the public form, or (Status set) its receipt.
type daftarView struct {
	Halaman
	Slug       string
	NamaKantor string
	Isi        url.Values // what was typed, kept on an error
	Kunci      string     // the idempotency key of this form: a resubmission gets the first answer
	Kelurahan  []Grup
	Pesan      string
	Galat      map[string]string
	Status     *umkm.RegistrasiStatus
}

// Nilai is what was typed in field f.
func (v *daftarView) Nilai(f string) string { return v.Isi.Get(f) }

// Dipilih reports whether value is among what was chosen for field f.
func (v *daftarView) Dipilih(f, value string) bool {
	for _, x := range v.Isi[f] {
		if x == value {
			return true
		}
	}
	return false
}

// Sektor are the sectors the form offers, in the register's words.
func (v *daftarView) Sektor() []Opsi { return sektorOpsi }

// Skala are the sizes an owner may report.
func (v *daftarView) Skala() []Opsi {
	return []Opsi{{"mikro", "Mikro"}, {"kecil", "Kecil"}, {"menengah", "Menengah"}, {"besar", "Besar"}}
}

// Saluran are the sales channels the form offers.
func (v *daftarView) Saluran() []Opsi { return saluranOpsi }

var sektorOpsi = []Opsi{{"kuliner", "Kuliner"}, {"fashion", "Fesyen"}, {"kerajinan", "Kerajinan"}, {"jasa", "Jasa"},
	{"perdagangan", "Perdagangan"}, {"pertanian", "Pertanian"}, {"peternakan", "Peternakan"}, {"perikanan", "Perikanan"},
	{"otomotif", "Otomotif"}, {"kecantikan", "Kecantikan"}, {"teknologi", "Teknologi"}, {"pendidikan", "Pendidikan"},
	{"lainnya", "Lainnya"}}

var saluranOpsi = []Opsi{{"offline", "Toko/lapak langsung"}, {"shopee", "Shopee"}, {"tokopedia", "Tokopedia"},
	{"tiktok_shop", "TikTok Shop"}, {"lazada", "Lazada"}, {"bukalapak", "Bukalapak"}, {"grabfood", "GrabFood"},
	{"gofood", "GoFood"}, {"shopeefood", "ShopeeFood"}, {"ritel_modern", "Ritel modern"}, {"media_sosial", "Media sosial"},
	{"website", "Situs web sendiri"}, {"lainnya", "Lainnya"}}

// publicTenant is the office of a public page: unknown or inactive is not
// found, as in the API.
func (a *App) publicTenant(q *Permintaan, slug string) (tenant.Tenant, error) {
	t, err := a.Tenants.Resolve(q.ctx, slug)
	if err != nil {
		return tenant.Tenant{}, err
	}
	tenancy.Note(q.ctx).Tenant = t.Slug
	q.loc = a.location(t.Timezone)
	return t, nil
}

func (a *App) daftarPage(q *Permintaan, t tenant.Tenant) (*daftarView, map[string]string, error) {
	v := &daftarView{Halaman: q.Halaman("Pendaftaran UMKM binaan "+t.Name, ""), Slug: t.Slug, NamaKantor: t.Name, Isi: url.Values{}}
	reg, err := a.wilayahOf(q.ctx, t.ID)
	if err != nil {
		return nil, nil, err
	}
	for _, g := range reg.grup {
		v.Kelurahan = append(v.Kelurahan, Grup{Label: "Kecamatan " + g.Label, Opsi: g.Opsi})
	}
	return v, reg.induk, nil
}

func (a *App) daftarForm(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	t, err := a.publicTenant(q, r.PathValue("tenant"))
	if err != nil {
		return err
	}
	v, _, err := a.daftarPage(q, t)
	if err != nil {
		return err
	}
	v.Kunci = uuid.NewString()
	a.render(w, r, http.StatusOK, v)
	return nil
}

// daftar files the form: umkm.Register with the API's limits and the
// client's address. Errors show beside their field, the input kept.
func (a *App) daftar(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	t, err := a.publicTenant(q, r.PathValue("tenant"))
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxDaftarForm)
	if err := r.ParseForm(); err != nil {
		return apperr.Invalid(apperr.T("Formulir tidak terbaca.", "The form could not be read."))
	}
	v, kecamatanOf, err := a.daftarPage(q, t)
	if err != nil {
		return err
	}
	v.Isi = r.PostForm
	v.Kunci = r.PostForm.Get("kunci")
	if _, err := uuid.Parse(v.Kunci); err != nil {
		v.Kunci = uuid.NewString()
	}
	in, galat := registrasiInput(r.PostForm, kecamatanOf)
	if len(galat) > 0 {
		v.Galat, v.Pesan = galat, "Data pendaftaran tidak valid. Periksa isian yang ditandai."
		a.render(w, r, http.StatusUnprocessableEntity, v)
		return nil
	}
	st, _, err := a.UMKM.Register(q.ctx, t.Scope(), in, tenancy.ClientAddr(q.ctx), v.Kunci, a.RegistrasiLimits)
	if err != nil {
		ae, ok := apperr.As(err)
		if !ok {
			return err
		}
		status := http.StatusUnprocessableEntity
		switch ae.Kind {
		case apperr.KindInvalid:
		case apperr.KindTooManyRequests:
			status = http.StatusTooManyRequests
			setRetryAfter(w, ae.RetryAfter)
		case apperr.KindConflict:
			status = http.StatusConflict
		default:
			return err
		}
		v.Pesan, v.Galat = ae.Message.ID, fieldErrors(ae, map[string]string{"kecamatan_kode": "kelurahan_kode"})
		if _, known := kecamatanOf[in.KelurahanKode]; !known && v.Galat["kelurahan_kode"] != "" {
			// The form has no kecamatan: the service's words about it
			// would name a field nobody sees.
			v.Galat["kelurahan_kode"] = "Pilih kelurahan/desa dari daftar."
		}
		a.render(w, r, status, v)
		return nil
	}
	v.Judul = "Pendaftaran terkirim"
	v.Status = &st
	a.render(w, r, http.StatusOK, v)
	return nil
}

// fieldErrors are an error's field messages by form field: "body.nik" →
// "nik", "body.saluran_penjualan[2]" → "saluran_penjualan"; alias moves a
// field's message to the form field that sets it (by its whole name, as
// "tax_documents[1].number", or its list's), unless that field has a
// message of its own.
func fieldErrors(ae *apperr.Error, alias map[string]string) map[string]string {
	out, moved := map[string]string{}, map[string]string{}
	for _, f := range ae.Fields {
		name := f.Location
		if i := strings.IndexByte(name, '.'); i >= 0 {
			name = name[i+1:]
		}
		full := name // an item's field: tax_documents[1].number
		if i := strings.IndexByte(name, '['); i >= 0 {
			name = name[:i]
		}
		into := out
		if to, ok := alias[full]; ok {
			name, into = to, moved
		} else if to, ok := alias[name]; ok {
			name, into = to, moved
		}
		if _, seen := into[name]; !seen {
			into[name] = f.Message.ID
		}
	}
	for name, msg := range moved {
		if _, own := out[name]; !own {
			out[name] = msg
		}
	}
	return out
}

// registrasiInput reads the form into the API's input. Only what a form
// cannot say as JSON is checked here (a number typed as text); every rule
// is the service's.
func registrasiInput(f url.Values, kecamatanOf map[string]string) (umkm.RegistrasiInput, map[string]string) {
	galat := map[string]string{}
	text := func(name string) string { return strings.TrimSpace(f.Get(name)) }
	opt := func(name string) *string {
		if s := text(name); s != "" {
			return &s
		}
		return nil
	}
	rupiah := func(name string) *int64 {
		s := text(name)
		s = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(s, "Rp"), "rp"))
		s = strings.NewReplacer(".", "", " ", "").Replace(s)
		if s == "" {
			return nil
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			galat[name] = "Tulis jumlah rupiah dengan angka saja, tanpa sen, misalnya 25.000.000."
			return nil
		}
		return &n
	}
	count := func(name string, msg string) *int {
		s := strings.ReplaceAll(text(name), ".", "")
		if s == "" {
			return nil
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			galat[name] = msg
			return nil
		}
		return &n
	}
	in := umkm.RegistrasiInput{
		NamaPemilik: text("nama_pemilik"), NIK: text("nik"), JenisKelamin: opt("jenis_kelamin"), Telepon: text("telepon"),
		Email: opt("email"), NamaUsaha: text("nama_usaha"), Sektor: text("sektor"), Produk: opt("produk"),
		Alamat: opt("alamat"), RT: opt("rt"), RW: opt("rw"), KelurahanKode: text("kelurahan_kode"),
		ModalUsaha: rupiah("modal_usaha"), OmzetTahunan: rupiah("omzet_tahunan"), TotalAset: rupiah("total_aset"),
		KaryawanLaki:      count("karyawan_laki", "Tulis jumlah karyawan dengan angka, misalnya 3."),
		KaryawanPerempuan: count("karyawan_perempuan", "Tulis jumlah karyawan dengan angka, misalnya 3."),
		TahunMulai:        count("tahun_mulai", "Tulis tahun dengan empat angka, misalnya 2019."),
		NIB:               opt("nib"), SaluranPenjualan: f["saluran_penjualan"], SkalaDilaporkan: opt("skala_dilaporkan"),
		SitusWeb: f.Get("situs_web"),
	}
	in.KecamatanKode = kecamatanOf[in.KelurahanKode]
	return in, galat
}

// lacakView is the public status of a registration: never personal data.
type lacakView struct {
	Halaman
	Kode   string
	Status *umkm.RegistrasiStatus
	Galat  map[string]string
}

// lacakForm asks for a code (GET ?kode= goes to its page).
func (a *App) lacakForm(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	v := &lacakView{Halaman: q.Halaman("Lacak pendaftaran", ""), Kode: strings.TrimSpace(r.URL.Query().Get("kode"))}
	if v.Kode != "" {
		if len(v.Kode) <= 40 {
			http.Redirect(w, r, "/lacak/"+url.PathEscape(v.Kode), http.StatusSeeOther)
			return nil
		}
		v.Galat = map[string]string{"kode": "Kode lacak tidak dikenal. Periksa kembali kode pada bukti pendaftaran."}
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// lacak shows the status as the API's public endpoint answers it. The
// office is the one whose prefix the code bears (KodePrefix); prefixes of
// two offices may coincide, so each such office is asked.
func (a *App) lacak(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	kode := r.PathValue("kode")
	v := &lacakView{Halaman: q.Halaman("Lacak pendaftaran", ""), Kode: kode}
	notFound := func() error {
		v.Galat = map[string]string{"kode": "Kode lacak tidak dikenal. Periksa kembali kode pada bukti pendaftaran."}
		a.render(w, r, http.StatusNotFound, v)
		return nil
	}
	// The code as typed may lack its dashes: what counts is that it starts
	// with the office's prefix and the rest is a code (ParseKode decides).
	norm := strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(kode))
	if len(kode) > 40 || norm == "" {
		return notFound()
	}
	offices, err := a.Tenants.List(q.ctx, tenant.Visible{All: true}, "", 1000)
	if err != nil {
		return err
	}
	for _, t := range offices {
		if p := umkm.KodePrefix(t.Slug); !strings.HasPrefix(norm, p) || len(norm) != len(p)+kodeSymbols {
			continue
		}
		tenancy.Note(q.ctx).Tenant = t.Slug
		st, err := a.UMKM.RegistrasiStatus(q.ctx, t.Scope(), kode, tenancy.ClientAddr(q.ctx), a.RegistrasiLimits)
		if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindNotFound {
			continue
		} else if err != nil {
			return err
		}
		v.Kode, v.Status = st.KodeLacak, &st
		v.Judul = "Status pendaftaran " + st.KodeLacak
		a.render(w, r, http.StatusOK, v)
		return nil
	}
	return notFound()
}

// TanggalISO is a date the service gives as YYYY-MM-DD, as an office writes it.
func (h *Halaman) TanggalISO(s string) string {
	t, err := time.ParseInLocation(time.DateOnly, s, h.location())
	if err != nil {
		return s
	}
	return h.Tanggal(t)
}
