package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/klinik"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
)

// The clinic's settings (consultants, service areas), its SKM figures, and
// the public form /klinik/{tenant} with its status /klinik/lacak/{kode}.

// jadwalBaris are the schedule rows a consultant's form offers.
const jadwalBaris = 6

type klinikKonsultanView struct {
	Halaman
	klinikNav
	Items       []klinik.KlinikKonsultan
	Layanan     map[uuid.UUID]string
	LayananOpsi []Opsi
	HariOpsi    []Opsi
	// Form is the consultant being written (ID "" for a new one).
	Form  isianForm
	ID    string
	Versi int64
	Baris []int
	Pesan string
}

// NamaLayanan words a consultant's areas.
func (v *klinikKonsultanView) NamaLayanan(ids []uuid.UUID) string {
	var out []string
	for _, id := range ids {
		out = append(out, v.Layanan[id])
	}
	return strings.Join(out, ", ")
}

// Ditandai reports whether area id is ticked on the form.
func (v *klinikKonsultanView) Ditandai(id string) bool {
	for _, x := range v.Form.Isi["layanan"] {
		if x == id {
			return true
		}
	}
	return false
}

// HariNama names an ISO weekday.
func (v *klinikKonsultanView) HariNama(h int) string { return klinik.HariLabel[h] }

// BarisLabel is the label of schedule row i's weekday.
func (v *klinikKonsultanView) BarisLabel(i int) string {
	return "Hari (baris " + strconv.Itoa(i+1) + ")"
}

// Kolom is the name of schedule row i's field f: jadwal[0].mulai.
func (v *klinikKonsultanView) Kolom(i int, f string) string {
	return "jadwal[" + strconv.Itoa(i) + "]." + f
}

func (a *App) klinikKonsultanPage(r *http.Request, q *Permintaan) (*klinikKonsultanView, error) {
	v := &klinikKonsultanView{Halaman: q.Halaman("Klinik konsultasi: konsultan", "klinik"), klinikNav: klinikNav{"konsultan"},
		Layanan: map[uuid.UUID]string{}, Form: isianForm{Isi: url.Values{"slot_menit": {"60"}, "kuota_harian": {"4"}}}}
	for i := 1; i <= 7; i++ {
		v.HariOpsi = append(v.HariOpsi, Opsi{strconv.Itoa(i), klinik.HariLabel[i]})
	}
	for i := range jadwalBaris {
		v.Baris = append(v.Baris, i)
	}
	ls, err := a.Klinik.ListLayanan(q.ctx, q.T, true)
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		v.Layanan[l.ID] = l.Nama
		if l.ArchivedAt == nil {
			v.LayananOpsi = append(v.LayananOpsi, Opsi{l.ID.String(), l.Nama})
		}
	}
	if v.Items, err = a.Klinik.ListKonsultan(q.ctx, q.T, false); err != nil {
		return nil, err
	}
	// ?ubah={id}: the form holds that consultant.
	if id, err := uuid.Parse(r.URL.Query().Get("ubah")); err == nil {
		k, err := a.Klinik.GetKonsultan(q.ctx, q.T, id)
		if err != nil {
			return nil, err
		}
		f := url.Values{"nama": {k.Nama}, "slot_menit": {strconv.Itoa(k.SlotMenit)}, "kuota_harian": {strconv.Itoa(k.KuotaHarian)}}
		for _, l := range k.Layanan {
			f.Add("layanan", l.String())
		}
		for i, j := range k.Jadwal {
			if i < jadwalBaris {
				f.Set(v.Kolom(i, "hari"), strconv.Itoa(j.Hari))
				f.Set(v.Kolom(i, "mulai"), j.Mulai)
				f.Set(v.Kolom(i, "selesai"), j.Selesai)
				f.Set(v.Kolom(i, "tempat"), j.Tempat)
			}
		}
		v.Form, v.ID, v.Versi = isianForm{Isi: f}, k.ID.String(), k.Version
	}
	return v, nil
}

func (a *App) klinikKonsultan(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	v, err := a.klinikKonsultanPage(r, q)
	if err != nil {
		return err
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

func (a *App) klinikKonsultanSimpan(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	galat := map[string]string{}
	in := klinik.KlinikKonsultanInput{Nama: f.Get("nama"), Arsip: f.Get("arsip") == "true"}
	var err error
	if in.SlotMenit, err = strconv.Atoi(f.Get("slot_menit")); err != nil {
		galat["slot_menit"] = "Isi angka menit."
	}
	if in.KuotaHarian, err = strconv.Atoi(f.Get("kuota_harian")); err != nil {
		galat["kuota_harian"] = "Isi angka sesi per hari."
	}
	for _, s := range f["layanan"] {
		if id, err := uuid.Parse(s); err == nil {
			in.Layanan = append(in.Layanan, id)
		}
	}
	kolom := (&klinikKonsultanView{}).Kolom
	for i := range jadwalBaris {
		hari := f.Get(kolom(i, "hari"))
		if hari == "" {
			continue
		}
		h, _ := strconv.Atoi(hari)
		in.Jadwal = append(in.Jadwal, klinik.KlinikJadwal{Hari: h, Mulai: f.Get(kolom(i, "mulai")), Selesai: f.Get(kolom(i, "selesai")),
			Tempat: f.Get(kolom(i, "tempat"))})
	}
	id, _ := uuid.Parse(r.PathValue("id"))
	if len(galat) == 0 {
		if id == uuid.Nil {
			err = a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
				_, err := a.Klinik.CreateKonsultanTx(q.ctx, tx, q.T, in)
				return err
			})
		} else {
			versi, _ := strconv.ParseInt(f.Get("versi"), 10, 64)
			_, err = a.Klinik.UpdateKonsultan(q.ctx, q.T, id, versi, in)
		}
		if err == nil {
			http.Redirect(w, r, klinikBase(q)+"/konsultan", http.StatusSeeOther)
			return nil
		}
	} else {
		err = apperr.Invalid(apperr.T("Data konsultan tidak valid. Periksa isian yang ditandai.", "Invalid consultant."))
	}
	ae, ok := apperr.As(err)
	if !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindPreconditionFailed) {
		return err
	}
	r.URL.RawQuery = ""
	v, verr := a.klinikKonsultanPage(r, q)
	if verr != nil {
		return verr
	}
	// Schedule rows the service numbered among the filled ones map back
	// to the form's rows.
	rows := []int{}
	for i := range jadwalBaris {
		if f.Get(kolom(i, "hari")) != "" {
			rows = append(rows, i)
		}
	}
	for k, m := range fieldMessages(ae) {
		if rest, ok := strings.CutPrefix(k, "jadwal["); ok {
			if n, tail, ok := strings.Cut(rest, "]"); ok {
				if i, err := strconv.Atoi(n); err == nil && i < len(rows) {
					k = "jadwal[" + strconv.Itoa(rows[i]) + "]" + tail
				}
			}
		}
		if strings.HasPrefix(k, "layanan[") {
			k = "layanan"
		}
		galat[k] = m
	}
	v.Form, v.Pesan = isianForm{Isi: f, Galat: galat}, ae.Message.ID
	if id != uuid.Nil {
		v.ID, v.Versi = id.String(), 0
		v.Versi, _ = strconv.ParseInt(f.Get("versi"), 10, 64)
	}
	status := http.StatusUnprocessableEntity
	if ae.Kind == apperr.KindPreconditionFailed {
		status = http.StatusPreconditionFailed
	}
	a.render(w, r, status, v)
	return nil
}

type klinikLayananView struct {
	Halaman
	klinikNav
	Items []klinik.KlinikLayanan
	Baru  isianForm
	Pesan string
}

func (a *App) klinikLayanan(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	v := &klinikLayananView{Halaman: q.Halaman("Klinik konsultasi: bidang layanan", "klinik"), klinikNav: klinikNav{"layanan"}, Baru: isianForm{Isi: url.Values{}}}
	var err error
	if v.Items, err = a.Klinik.ListLayanan(q.ctx, q.T, true); err != nil {
		return err
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

func (a *App) klinikLayananSimpan(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	urutan, _ := strconv.Atoi(f.Get("urutan"))
	in := klinik.KlinikLayananInput{Kode: f.Get("kode"), Nama: f.Get("nama"), Urutan: urutan, Arsip: f.Get("arsip") == "true"}
	var err error
	if id, perr := uuid.Parse(r.PathValue("id")); perr == nil {
		versi, _ := strconv.ParseInt(f.Get("versi"), 10, 64)
		_, err = a.Klinik.UpdateLayanan(q.ctx, q.T, id, versi, in)
	} else {
		err = a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
			_, err := a.Klinik.CreateLayananTx(q.ctx, tx, q.T, in)
			return err
		})
	}
	if err == nil {
		http.Redirect(w, r, klinikBase(q)+"/layanan", http.StatusSeeOther)
		return nil
	}
	ae, ok := apperr.As(err)
	if !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindPreconditionFailed) {
		return err
	}
	v := &klinikLayananView{Halaman: q.Halaman("Klinik konsultasi: bidang layanan", "klinik"), klinikNav: klinikNav{"layanan"},
		Baru: isianForm{Isi: url.Values{}}, Pesan: ae.Message.ID}
	if v.Items, err = a.Klinik.ListLayanan(q.ctx, q.T, true); err != nil {
		return err
	}
	if r.PathValue("id") == "" {
		v.Baru = isianForm{Isi: f, Galat: fieldMessages(ae)}
	}
	a.render(w, r, http.StatusUnprocessableEntity, v)
	return nil
}

type klinikSKMView struct {
	Halaman
	klinikNav
	S     klinik.KlinikSKMTahun
	Tahun []int
}

// Angka writes a figure with two decimals as an office does: 86,11.
func (v *klinikSKMView) Angka(x *float64) string {
	if x == nil {
		return "tidak diketahui"
	}
	return strings.Replace(strconv.FormatFloat(*x, 'f', 2, 64), ".", ",", 1)
}

func (a *App) klinikSKMTahun(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	today, err := q.T.Today(a.Klinik.Now())
	if err != nil {
		return err
	}
	tahun := today.Year()
	if n, err := strconv.Atoi(r.URL.Query().Get("tahun")); err == nil && n >= 2000 && n <= 2100 {
		tahun = n
	}
	v := &klinikSKMView{Halaman: q.Halaman("Survei Kepuasan Masyarakat klinik "+strconv.Itoa(tahun), "klinik"), klinikNav: klinikNav{"skm"}}
	for y := today.Year(); y >= today.Year()-4; y-- {
		v.Tahun = append(v.Tahun, y)
	}
	if v.S, err = a.Klinik.SKMTahun(q.ctx, q.T, tahun); err != nil {
		return err
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// ---------------------------------------------------------------------------
// Public

type klinikPublikView struct {
	Halaman
	isianForm
	Slug, NamaKantor string
	LayananOpsi      []Opsi
	Kelurahan        []Grup
	Pesan            string
	Kunci            string // the idempotency key of this form: a resubmission gets the first answer
	Status           *klinik.KlinikStatusPublik
}

func (a *App) klinikPublikPage(q *Permintaan, slug string) (*klinikPublikView, *tenancy.Tenant, error) {
	t, err := a.publicTenant(q, slug)
	if err != nil {
		return nil, nil, err
	}
	v := &klinikPublikView{Halaman: q.Halaman("Klinik konsultasi UMKM "+t.Name, ""), isianForm: isianForm{Isi: url.Values{}},
		Slug: t.Slug, NamaKantor: t.Name, Kunci: uuid.NewString()}
	ls, err := a.Klinik.ListLayanan(q.ctx, t.Scope(), false)
	if err != nil {
		return nil, nil, err
	}
	for _, l := range ls {
		v.LayananOpsi = append(v.LayananOpsi, Opsi{l.ID.String(), l.Nama})
	}
	reg, err := a.wilayahOf(q.ctx, t.ID)
	if err != nil {
		return nil, nil, err
	}
	for _, g := range reg.grup {
		v.Kelurahan = append(v.Kelurahan, Grup{Label: "Kecamatan " + g.Label, Opsi: g.Opsi})
	}
	return v, t.Scope(), nil
}

func (a *App) klinikPublikForm(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	v, _, err := a.klinikPublikPage(q, r.PathValue("tenant"))
	if err != nil {
		return err
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// klinikPublik files the public form: klinik.Ask with the registration's
// limits and the client's address; errors beside their field.
func (a *App) klinikPublik(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	v, t, err := a.klinikPublikPage(q, r.PathValue("tenant"))
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxDaftarForm)
	if err := r.ParseForm(); err != nil {
		return apperr.Invalid(apperr.T("Formulir tidak terbaca.", "The form could not be read."))
	}
	f := r.PostForm
	v.Isi = f
	if _, err := uuid.Parse(f.Get("kunci")); err == nil {
		v.Kunci = f.Get("kunci")
	}
	in := klinik.KlinikPublikInput{Pertanyaan: f.Get("pertanyaan"), Nama: f.Get("nama"), Telepon: f.Get("telepon"),
		NamaUsaha: optional(f, "nama_usaha"), KelurahanKode: optional(f, "kelurahan_kode"), SitusWeb: f.Get("situs_web")}
	id, perr := uuid.Parse(f.Get("layanan_id"))
	if perr != nil {
		v.Galat, v.Pesan = map[string]string{"layanan_id": "Pilih bidang konsultasi."}, "Periksa isian yang ditandai."
		a.render(w, r, http.StatusUnprocessableEntity, v)
		return nil
	}
	in.LayananID = id
	st, err := a.Klinik.Ask(q.ctx, t, in, tenancy.ClientAddr(q.ctx), v.Kunci)
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
		default:
			return err
		}
		v.Pesan, v.Galat = ae.Message.ID, fieldMessages(ae)
		a.render(w, r, status, v)
		return nil
	}
	v.Judul, v.Status = "Permintaan konsultasi terkirim", &st
	a.render(w, r, http.StatusOK, v)
	return nil
}

type klinikLacakView struct {
	Halaman
	Kode   string
	Status *klinik.KlinikStatusPublik
	Galat  map[string]string
	// SKM is the satisfaction survey as typed, when Status.Survei.
	SKM     isianForm
	Terima  bool // the survey was just recorded
	Pesan   string
	bentrok bool // the survey was refused as already answered (409)
}

// UnsurIsian are the survey's elements as the form shows them.
func (v *klinikLacakView) UnsurIsian() []UnsurIsian { return unsurIsian(v.SKM) }

// klinikLacak shows a consultation's status: the office is the one whose
// prefix the code bears (klinik.KodePrefix), each such office asked.
func (a *App) klinikLacak(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	kode := r.PathValue("kode")
	if kode == "" {
		kode = r.URL.Query().Get("kode")
	}
	v := &klinikLacakView{Halaman: q.Halaman("Lacak konsultasi", ""), Kode: kode, SKM: isianForm{Isi: url.Values{}},
		Terima: r.URL.Query().Get("pesan") == "skm"}
	if kode == "" {
		a.render(w, r, http.StatusOK, v)
		return nil
	}
	norm := strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(kode))
	if len(kode) <= 40 && norm != "" {
		offices, err := a.Tenants.List(q.ctx, tenant.Visible{All: true}, "", 1000)
		if err != nil {
			return err
		}
		for _, t := range offices {
			if !strings.HasPrefix(norm, klinik.KodePrefix(t.Slug)) {
				continue
			}
			tenancy.Note(q.ctx).Tenant = t.Slug
			q.loc = a.location(t.Timezone)
			if r.Method == http.MethodPost {
				if done, err := a.klinikSKMPublik(w, r, q, v, t.Scope(), kode); done || err != nil {
					return err
				}
			}
			st, err := a.Klinik.Status(q.ctx, t.Scope(), kode, tenancy.ClientAddr(q.ctx))
			if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindNotFound {
				continue
			} else if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindTooManyRequests {
				setRetryAfter(w, ae.RetryAfter)
				v.Galat = map[string]string{"kode": ae.Message.ID}
				a.render(w, r, http.StatusTooManyRequests, v)
				return nil
			} else if err != nil {
				return err
			}
			v.Halaman = q.Halaman("Status konsultasi "+st.Kode, "")
			v.Kode, v.Status = st.Kode, &st
			status := http.StatusOK
			if v.bentrok {
				status = http.StatusConflict
			} else if v.Pesan != "" {
				status = http.StatusUnprocessableEntity
			}
			a.render(w, r, status, v)
			return nil
		}
	}
	v.Galat = map[string]string{"kode": "Kode lacak tidak dikenal. Periksa kembali kode pada bukti permintaan."}
	a.render(w, r, http.StatusNotFound, v)
	return nil
}

// klinikSKMPublik records the respondent's survey posted on the tracking
// page: done, back to the page (done true); refused, v holds the form and
// its messages for the page the caller renders; not this office's code,
// neither (the caller asks the next office).
func (a *App) klinikSKMPublik(w http.ResponseWriter, r *http.Request, q *Permintaan, v *klinikLacakView, t *tenancy.Tenant, kode string) (bool, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxDaftarForm)
	if err := r.ParseForm(); err != nil {
		return false, apperr.Invalid(apperr.T("Formulir tidak terbaca.", "The form could not be read."))
	}
	in, err := skmInput(r.PostForm)
	if err == nil {
		err = a.Klinik.RecordSKMPublik(q.ctx, t, kode, tenancy.ClientAddr(q.ctx), in)
	}
	if err == nil {
		http.Redirect(w, r, "/klinik/lacak/"+url.PathEscape(kode)+"?pesan=skm", http.StatusSeeOther)
		return true, nil
	}
	ae, ok := apperr.As(err)
	switch {
	case !ok:
		return false, err
	case ae.Kind == apperr.KindNotFound:
		return false, nil
	case ae.Kind == apperr.KindInvalid || ae.Kind == apperr.KindConflict:
		v.SKM, v.Pesan, v.bentrok = isianForm{Isi: r.PostForm, Galat: fieldMessages(ae)}, ae.Message.ID, ae.Kind == apperr.KindConflict
		return false, nil
	case ae.Kind == apperr.KindTooManyRequests:
		setRetryAfter(w, ae.RetryAfter)
	}
	return false, err
}
