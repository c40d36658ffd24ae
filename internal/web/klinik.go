package web

// The consultation clinic (issue 18 item 7): the week's schedule with
// booked and free slots, tickets with their booking, outcome and survey
// forms, consultants, service areas and the year's SKM. The same service
// calls and Casbin actions as internal/httpapi/klinik.go.

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/klinik"
	"github.com/sentra-id/sentra/internal/program"
)

func (a *App) klinikRoutes() {
	a.kantor("GET /t/{tenant}/klinik", "get-klinik-minggu", a.klinikMinggu)
	a.kantor("GET /t/{tenant}/klinik/tiket", "list-klinik-tiket", a.klinikTiketList)
	a.kantor("POST /t/{tenant}/klinik/tiket", "create-klinik-tiket", a.klinikTiketBaru)
	a.kantor("GET /t/{tenant}/klinik/tiket/{id}", "get-klinik-tiket", a.klinikRekam)
	a.kantor("POST /t/{tenant}/klinik/tiket/{id}/jadwal", "update-klinik-jadwal", a.klinikPesan)
	a.kantor("POST /t/{tenant}/klinik/tiket/{id}/hasil", "create-klinik-hasil", a.klinikHasil)
	a.kantor("POST /t/{tenant}/klinik/tiket/{id}/skm", "create-klinik-skm", a.klinikSKM)
	a.kantor("POST /t/{tenant}/klinik/tiket/{id}/batal", "cancel-klinik-tiket", a.klinikBatal)
	a.kantor("GET /t/{tenant}/klinik/konsultan", "list-klinik-konsultan", a.klinikKonsultan)
	a.kantor("POST /t/{tenant}/klinik/konsultan", "create-klinik-konsultan", a.klinikKonsultanSimpan)
	a.kantor("POST /t/{tenant}/klinik/konsultan/{id}", "update-klinik-konsultan", a.klinikKonsultanSimpan)
	a.kantor("GET /t/{tenant}/klinik/layanan", "list-klinik-layanan", a.klinikLayanan)
	a.kantor("POST /t/{tenant}/klinik/layanan", "create-klinik-layanan", a.klinikLayananSimpan)
	a.kantor("POST /t/{tenant}/klinik/layanan/{id}", "update-klinik-layanan", a.klinikLayananSimpan)
	a.kantor("GET /t/{tenant}/klinik/skm", "get-klinik-skm", a.klinikSKMTahun)
	a.publik("GET /klinik/{tenant}", a.klinikPublikForm)
	a.publik("POST /klinik/{tenant}", a.klinikPublik)
	a.publik("GET /klinik/lacak/{$}", a.klinikLacak)
	a.publik("GET /klinik/lacak/{kode}", a.klinikLacak)
	a.publik("POST /klinik/lacak/{kode}/skm", a.klinikLacak)
}

func klinikBase(q *Permintaan) string { return "/t/" + q.T.Slug + "/klinik" }

// klinikNav is the clinic's sub-navigation, shown on each of its pages.
type klinikNav struct{ Aktif string }

// Sub are the clinic's pages.
func (n klinikNav) Sub() []Opsi {
	return []Opsi{{"", "Jadwal mingguan"}, {"tiket", "Tiket"}, {"konsultan", "Konsultan"}, {"layanan", "Bidang layanan"}, {"skm", "SKM"}}
}

// jamSlot is a slot's start on a date as the office writes it: 09.00 WIB.
func (h *Halaman) JamSlot(tanggal, hhmm string) string {
	t, err := time.ParseInLocation("2006-01-02 15:04", tanggal+" "+hhmm, h.location())
	if err != nil {
		return hhmm
	}
	return h.Jam(t)
}

// Hari is the weekday's name of a date YYYY-MM-DD with the date.
func (h *Halaman) HariTanggal(tanggal string) string {
	t, err := time.Parse(time.DateOnly, tanggal)
	if err != nil {
		return tanggal
	}
	return klinik.HariLabel[int(t.Weekday()+6)%7+1] + ", " + format.Tanggal(t, time.UTC)
}

// ---------------------------------------------------------------------------
// The week

type klinikMingguView struct {
	Halaman
	klinikNav
	W          klinik.KlinikMinggu
	Lalu, Next string
	// Tiket is the ticket being booked (from its page): free slots become
	// buttons that book it.
	Tiket *klinik.KlinikTiket
	Pesan string
}

func (a *App) klinikMinggu(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	day, err := q.T.Today(a.Klinik.Now())
	if err != nil {
		return err
	}
	if s := r.URL.Query().Get("minggu"); s != "" {
		if d, err := time.Parse(time.DateOnly, s); err == nil && d.Year() >= 2000 && d.Year() <= 2100 {
			day = d
		}
	}
	v := &klinikMingguView{Halaman: q.Halaman("Klinik konsultasi: jadwal mingguan", "klinik"), Pesan: r.URL.Query().Get("pesan")}
	if v.W, err = a.Klinik.Week(q.ctx, q.T, day); err != nil {
		return err
	}
	senin, _ := time.Parse(time.DateOnly, v.W.Senin)
	v.Lalu, v.Next = senin.AddDate(0, 0, -7).Format(time.DateOnly), senin.AddDate(0, 0, 7).Format(time.DateOnly)
	if id, err := uuid.Parse(r.URL.Query().Get("tiket")); err == nil && q.Can("update-klinik-jadwal") {
		view, err := a.klinikView(q)
		if err != nil {
			return err
		}
		k, err := a.Klinik.GetTiket(q.ctx, q.T, id, view)
		if err != nil {
			return err
		}
		if k.Status == "baru" || k.Status == "dijadwalkan" {
			klinik.Present(&k, view)
			v.Tiket = &k
		}
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// Melayani reports whether consultant k serves the ticket's area.
func (v *klinikMingguView) Melayani(k klinik.KlinikKonsultan) bool {
	return v.Tiket != nil && containsUUID(k.Layanan, v.Tiket.LayananID)
}

func containsUUID(ids []uuid.UUID, id uuid.UUID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// HariNama is the name of weekday i (0 Monday).
func (v *klinikMingguView) HariNama(i int) string { return klinik.HariLabel[i+1] }

func (a *App) klinikView(q *Permintaan) (klinik.View, error) {
	return klinik.Access(q.ctx, a.Authz, q.P, q.T)
}

// ---------------------------------------------------------------------------
// Tickets

type klinikTiketListView struct {
	Halaman
	klinikNav
	Items                    []klinik.KlinikTiket
	Status                   string
	StatusOpsi               []Opsi
	NextCursor               string
	Baru                     isianForm
	LayananOpsi, SaluranOpsi []Opsi
	Kelurahan                []Grup
	Pesan                    string
}

// SaringStatus is the status filter.
func (v *klinikTiketListView) SaringStatus() Pilih {
	return Pilih{Nama: "status", Label: "Status", Nilai: v.Status, Semua: "Semua status", Opsi: v.StatusOpsi}
}

// Label words a code of a closed vocabulary.
func (v *Halaman) Label(kind, code string) string {
	m := map[string]map[string]string{"status": klinik.StatusLabel, "saluran": klinik.SaluranLabel, "hasil": klinik.HasilLabel,
		"instansi": klinik.InstansiLabel, "dokumen": klinik.DokumenLabel}[kind]
	if l, ok := m[code]; ok {
		return l
	}
	return code
}

func (a *App) klinikTiketListPage(r *http.Request, q *Permintaan) (*klinikTiketListView, error) {
	view, err := a.klinikView(q)
	if err != nil {
		return nil, err
	}
	v := &klinikTiketListView{Halaman: q.Halaman("Klinik konsultasi: tiket", "klinik"), klinikNav: klinikNav{"tiket"},
		Status: r.URL.Query().Get("status"), StatusOpsi: opsi(klinik.AllStatus, klinik.StatusLabel),
		SaluranOpsi: opsi([]string{"walk_in", "kecamatan", "whatsapp"}, klinik.SaluranLabel), Baru: isianForm{Isi: url.Values{}}}
	page, err := a.Klinik.ListTiket(q.ctx, q.T, klinik.TiketFilter{Status: v.Status, Cursor: r.URL.Query().Get("cursor")}, view)
	if err != nil {
		if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindInvalid {
			v.Status = ""
			page, err = a.Klinik.ListTiket(q.ctx, q.T, klinik.TiketFilter{}, view)
		}
		if err != nil {
			return nil, err
		}
	}
	for i := range page.Items {
		klinik.Present(&page.Items[i], view)
	}
	v.Items, v.NextCursor = page.Items, page.NextCursor
	ls, err := a.Klinik.ListLayanan(q.ctx, q.T, false)
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		v.LayananOpsi = append(v.LayananOpsi, Opsi{l.ID.String(), l.Nama})
	}
	reg, err := a.wilayahOf(q.ctx, q.T.ID)
	if err != nil {
		return nil, err
	}
	v.Kelurahan = reg.grup
	return v, nil
}

func (a *App) klinikTiketList(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	v, err := a.klinikTiketListPage(r, q)
	if err != nil {
		return err
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// optional is a form value, nil when blank.
func optional(f url.Values, name string) *string {
	if s := strings.TrimSpace(f.Get(name)); s != "" {
		return &s
	}
	return nil
}

func (a *App) klinikTiketBaru(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	in := klinik.KlinikTiketInput{Saluran: f.Get("saluran"), Nama: optional(f, "nama"), Telepon: optional(f, "telepon"),
		NamaUsaha: optional(f, "nama_usaha"), KelurahanKode: optional(f, "kelurahan_kode"), Pertanyaan: f.Get("pertanyaan")}
	galat := map[string]string{}
	if id, err := uuid.Parse(f.Get("layanan_id")); err == nil {
		in.LayananID = id
	} else {
		galat["layanan_id"] = "Pilih bidang layanan."
	}
	if s := f.Get("umkm_id"); s != "" {
		if id, err := uuid.Parse(s); err == nil {
			in.UMKMID = &id
		} else {
			galat["umkm_id"] = "Id UMKM tidak valid."
		}
	}
	if len(galat) > 0 {
		return a.klinikTiketRefused(w, r, q, apperr.Invalid(apperr.T("Data tiket tidak valid. Periksa isian yang ditandai.", "Invalid ticket.")), galat)
	}
	view, err := a.klinikView(q)
	if err != nil {
		return err
	}
	var k klinik.KlinikTiket
	err = a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
		var err error
		k, err = a.Klinik.CreateTiketTx(q.ctx, tx, q.T, in, view)
		return err
	})
	if err == nil {
		http.Redirect(w, r, klinikBase(q)+"/tiket/"+k.ID.String(), http.StatusSeeOther)
		return nil
	}
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != apperr.KindInvalid {
		return err
	}
	return a.klinikTiketRefused(w, r, q, ae, galat)
}

// klinikTiketRefused shows the list with the new-ticket form as typed and
// the messages beside its fields.
func (a *App) klinikTiketRefused(w http.ResponseWriter, r *http.Request, q *Permintaan, ae *apperr.Error, galat map[string]string) error {
	f := r.PostForm
	r.URL.RawQuery = ""
	v, verr := a.klinikTiketListPage(r, q)
	if verr != nil {
		return verr
	}
	for k, m := range fieldMessages(ae) {
		galat[k] = m
	}
	v.Baru, v.Pesan = isianForm{Isi: f, Galat: galat}, ae.Message.ID
	a.render(w, r, http.StatusUnprocessableEntity, v)
	return nil
}

// ---------------------------------------------------------------------------
// One ticket

type klinikRekamView struct {
	Halaman
	klinikNav
	K                                                                klinik.KlinikTiket
	Jadwal                                                           isianForm
	Hasil                                                            isianForm
	SKM                                                              isianForm
	KonsultanOpsi, HasilOpsi, InstansiOpsi, DokumenOpsi, ProgramOpsi []Opsi
	Unsur                                                            []string
	Pesan                                                            string
	Beres                                                            string
}

// UnsurIsian is one element's select of the survey form.
type UnsurIsian struct {
	Nama, Label, Pesan string
	Skor               []SkorOpsi
}

// SkorOpsi is a score 1–4 of an element.
type SkorOpsi struct {
	Nilai   string
	Dipilih bool
}

// UnsurIsian are the survey's nine elements as the form shows them.
func (v *klinikRekamView) UnsurIsian() []UnsurIsian { return unsurIsian(v.SKM) }

func unsurIsian(f isianForm) []UnsurIsian {
	var out []UnsurIsian
	for i, u := range klinik.Unsur {
		n := "u" + strconv.Itoa(i+1)
		e := UnsurIsian{Nama: n, Label: strconv.Itoa(i+1) + ". " + u, Pesan: f.Galat[n]}
		for _, s := range []string{"1", "2", "3", "4"} {
			e.Skor = append(e.Skor, SkorOpsi{s, f.Nilai(n) == s})
		}
		out = append(out, e)
	}
	return out
}

// skmInput reads the survey form; a blank element is unanswered (nil).
func skmInput(f url.Values) (klinik.KlinikSKM, error) {
	var in klinik.KlinikSKM
	dst := []**int{&in.U1, &in.U2, &in.U3, &in.U4, &in.U5, &in.U6, &in.U7, &in.U8, &in.U9}
	for i := range dst {
		name := "u" + strconv.Itoa(i+1)
		s := f.Get(name)
		if s == "" {
			continue // not answered: unknown
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return in, apperr.InvalidField("body."+name, nil, apperr.T("Nilai 1–4, atau kosong bila tidak dijawab.", "Score 1–4."))
		}
		*dst[i] = &n
	}
	in.Saran = optional(f, "saran")
	return in, nil
}

func (a *App) klinikRekamPage(q *Permintaan, id uuid.UUID) (*klinikRekamView, error) {
	view, err := a.klinikView(q)
	if err != nil {
		return nil, err
	}
	k, err := a.Klinik.GetTiket(q.ctx, q.T, id, view)
	if err != nil {
		return nil, err
	}
	klinik.Present(&k, view)
	v := &klinikRekamView{Halaman: q.Halaman("Tiket "+k.Kode, "klinik"), klinikNav: klinikNav{"tiket"}, K: k,
		Jadwal: isianForm{Isi: url.Values{}}, Hasil: isianForm{Isi: url.Values{}}, SKM: isianForm{Isi: url.Values{}},
		HasilOpsi: opsi(klinik.AllHasil, klinik.HasilLabel), InstansiOpsi: opsi(klinik.AllInstansi, klinik.InstansiLabel),
		DokumenOpsi: opsi(klinik.AllDokumen, klinik.DokumenLabel), Unsur: klinik.Unsur}
	if k.KonsultanID != nil {
		v.Jadwal.Isi.Set("konsultan_id", k.KonsultanID.String())
		v.Jadwal.Isi.Set("tanggal", *k.Tanggal)
		v.Jadwal.Isi.Set("mulai", *k.Mulai)
	}
	ks, err := a.Klinik.ListKonsultan(q.ctx, q.T, false)
	if err != nil {
		return nil, err
	}
	for _, c := range ks {
		if containsUUID(c.Layanan, k.LayananID) {
			v.KonsultanOpsi = append(v.KonsultanOpsi, Opsi{c.ID.String(), c.Nama})
		}
	}
	if q.Can("list-program") {
		page, err := a.Program.List(q.ctx, q.T, program.Filter{Limit: 200})
		if err != nil {
			return nil, err
		}
		for _, p := range page.Items {
			v.ProgramOpsi = append(v.ProgramOpsi, Opsi{p.ID.String(), p.Nama + " (" + strconv.Itoa(p.Tahun) + ")"})
		}
	}
	return v, nil
}

func (a *App) klinikRekam(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return apperr.NotFound()
	}
	v, err := a.klinikRekamPage(q, id)
	if err != nil {
		return err
	}
	v.Beres = r.URL.Query().Get("pesan")
	a.render(w, r, http.StatusOK, v)
	return nil
}

// klinikUbah runs a change of a ticket posted from its page (or the week):
// done, back to the ticket; refused, the ticket page with the form as typed
// and the messages beside its fields.
func (a *App) klinikUbah(w http.ResponseWriter, r *http.Request, q *Permintaan, form string,
	change func(id uuid.UUID, versi int64, f url.Values, v klinik.View) error) error {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return apperr.NotFound()
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	view, err := a.klinikView(q)
	if err != nil {
		return err
	}
	versi, _ := strconv.ParseInt(r.PostForm.Get("versi"), 10, 64)
	err = change(id, versi, r.PostForm, view)
	if err == nil {
		http.Redirect(w, r, klinikBase(q)+"/tiket/"+id.String()+"?pesan="+form, http.StatusSeeOther)
		return nil
	}
	ae, ok := apperr.As(err)
	if !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict && ae.Kind != apperr.KindPreconditionFailed) {
		return err
	}
	v, verr := a.klinikRekamPage(q, id)
	if verr != nil {
		return verr
	}
	filled := isianForm{Isi: r.PostForm, Galat: fieldMessages(ae)}
	switch form {
	case "jadwal":
		v.Jadwal = filled
	case "hasil":
		v.Hasil = filled
	case "skm":
		v.SKM = filled
	}
	v.Pesan = ae.Message.ID
	status := http.StatusUnprocessableEntity
	switch ae.Kind {
	case apperr.KindConflict:
		status = http.StatusConflict
	case apperr.KindPreconditionFailed:
		status = http.StatusPreconditionFailed
	}
	a.render(w, r, status, v)
	return nil
}

func (a *App) klinikPesan(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.klinikUbah(w, r, q, "jadwal", func(id uuid.UUID, versi int64, f url.Values, v klinik.View) error {
		kid, err := uuid.Parse(f.Get("konsultan_id"))
		if err != nil {
			return apperr.InvalidField("body.konsultan_id", nil, apperr.T("Pilih konsultan.", "Choose a consultant."))
		}
		_, err = a.Klinik.Book(q.ctx, q.T, id, versi, klinik.KlinikBookingInput{KonsultanID: kid, Tanggal: f.Get("tanggal"), Mulai: f.Get("mulai")}, v)
		return err
	})
}

func (a *App) klinikHasil(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.klinikUbah(w, r, q, "hasil", func(id uuid.UUID, versi int64, f url.Values, v klinik.View) error {
		in := klinik.KlinikHasilInput{Jenis: f.Get("jenis"), Catatan: optional(f, "catatan"), Instansi: optional(f, "instansi"),
			InstansiNama: optional(f, "instansi_nama"), Bank: optional(f, "bank"), DokumenJenis: optional(f, "dokumen_jenis"),
			DokumenNomor: optional(f, "dokumen_nomor"), TindakLanjut: optional(f, "tindak_lanjut"), Selesai: f.Get("selesai") == "true"}
		if s := f.Get("program_id"); s != "" {
			pid, err := uuid.Parse(s)
			if err != nil {
				return apperr.InvalidField("body.program_id", nil, apperr.T("Pilih program dari daftar.", "Choose a programme."))
			}
			in.ProgramID = &pid
		}
		_, err := a.Klinik.AddHasil(q.ctx, q.T, id, versi, in, v)
		return err
	})
}

func (a *App) klinikSKM(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.klinikUbah(w, r, q, "skm", func(id uuid.UUID, _ int64, f url.Values, v klinik.View) error {
		in, err := skmInput(f)
		if err != nil {
			return err
		}
		_, err = a.Klinik.RecordSKM(q.ctx, q.T, id, in, v)
		return err
	})
}

func (a *App) klinikBatal(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.klinikUbah(w, r, q, "batal", func(id uuid.UUID, versi int64, _ url.Values, v klinik.View) error {
		_, err := a.Klinik.Cancel(q.ctx, q.T, id, versi, v)
		return err
	})
}
