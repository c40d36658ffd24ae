package web

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/grafik"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/umkm"
)

// umkmRekamView is one business: who and what it is (personal data as the
// caller may see it), its legal documents, constraints, growth,
// cooperatives and, for whom may read it, its audit trail.
type umkmRekamView struct {
	Halaman
	R                            umkm.Record
	NamaKecamatan, NamaKelurahan string
	Sektor, JenisKelamin, Binaan string
	SkalaHitung, SkalaLapor      string
	Sumber                       string
	Saluran                      []string
	Legal                        []BarisLegal
	KendalaTerbuka               []BarisKendala
	KendalaSelesai               []BarisKendala
	KendalaLagi                  bool // more constraints than shown
	Kendala                      kendalaForm
	KategoriOpsi                 []Opsi
	Riwayat                      []umkm.Riwayat
	GrafikKaryawan, GrafikOmzet  template.HTML
	Koperasi                     []koperasi.Anggota
	Program                      *RiwayatProgram // nil: not the caller's to read
	Pasar                        *PasarUsaha     // shops and retail listings (pasar_usaha.go); nil: not the caller's to read
	Audit                        []BarisAudit
	Pesan                        string // what was just done
	GabungKe                     string // the record this one was merged into, when the caller may see it
}

// BarisLegal is a legal document as the page shows it.
type BarisLegal struct {
	Jenis, Nomor, Status string
	BerlakuSampai        *time.Time
	Kedaluwarsa          bool
}

// BarisKendala is a constraint as the page shows it.
type BarisKendala struct {
	umkm.Kendala
	Kategori   string
	Dilaporkan time.Time
}

// kendalaForm is the form that records a constraint, as typed.
type kendalaForm struct {
	Kategori, Catatan, Dilaporkan string
	Galat                         map[string]string
	Pesan                         string
}

// BarisAudit is one entry of a record's audit trail.
type BarisAudit struct {
	At        time.Time
	Aksi      string
	Oleh      string
	Perubahan []string // the fields that changed
}

// What a redirect after a write tells the record page (?pesan=...): fixed
// words, never text from the address.
var pesanRekam = map[string]string{
	"dibuat":   "Usaha sudah didaftarkan.",
	"disimpan": "Perubahan sudah disimpan.",
	"diarsip":  "Usaha sudah diarsipkan. Datanya tetap tersimpan.",
	"kendala":  "Kendala sudah dicatat.",
	"selesai":  "Kendala sudah ditandai selesai.",
	"gabung":   "Data ganda sudah digabungkan ke usaha ini.",
}

var labelAudit = map[string]string{"create": "Didaftarkan", "update": "Diubah", "archive": "Diarsipkan",
	"merge": "Digabungkan", "accept": "Diterima dari registrasi online"}

// kendalaShown bounds the constraints on the page (the API pages them).
const kendalaShown = 50

// pathID is the record id of the path; a malformed one is a record that
// does not exist.
func pathID(r *http.Request, name string) (uuid.UUID, error) {
	id, err := uuid.Parse(r.PathValue(name))
	if err != nil {
		return uuid.Nil, apperr.NotFound()
	}
	return id, nil
}

func (a *App) rekamUMKM(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	v, err := a.rekam(r, q, kendalaForm{})
	if err != nil {
		return err
	}
	v.Pesan = pesanRekam[r.URL.Query().Get("pesan")]
	a.render(w, r, http.StatusOK, v)
	return nil
}

// rekam reads everything the record page shows, with the constraint form
// as typed.
func (a *App) rekam(r *http.Request, q *Permintaan, kf kendalaForm) (*umkmRekamView, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	rec, sc, _, err := a.baca(q, id)
	if err != nil {
		return nil, err
	}
	reg, err := a.wilayah(q)
	if err != nil {
		return nil, err
	}
	v := &umkmRekamView{Halaman: q.Halaman(rec.NamaUsaha, "umkm"), R: rec, Kendala: kf,
		NamaKecamatan: reg.nama[rec.KecamatanKode], NamaKelurahan: reg.nama[rec.KelurahanKode],
		Sektor: label(labelSektor, rec.Sektor), Binaan: label(labelBinaan, rec.StatusBinaan), Sumber: label(labelSumber, rec.Sumber),
		KategoriOpsi: opsi(umkm.KendalaCategories, labelKendala)}
	if rec.JenisKelamin != nil {
		v.JenisKelamin = label(labelJenisKelamin, *rec.JenisKelamin)
	}
	if rec.SkalaHitung != nil {
		v.SkalaHitung = label(labelSkala, rec.SkalaHitung.Skala)
	}
	if rec.SkalaDilaporkan != nil {
		v.SkalaLapor = label(labelSkala, *rec.SkalaDilaporkan)
	}
	if rec.MergedInto != nil {
		v.GabungKe = recordPath(q.T, rec.MergedInto.String())
	}
	for _, s := range rec.SaluranPenjualan {
		v.Saluran = append(v.Saluran, label(labelSaluran, s))
	}
	today, err := q.T.Today(time.Now())
	if err != nil {
		return nil, err
	}
	for _, d := range rec.Legalitas {
		b := BarisLegal{Jenis: label(labelLegal, d.Jenis), Status: label(labelLegalStatus, d.Status), BerlakuSampai: d.BerlakuSampai}
		if d.Nomor != nil {
			b.Nomor = *d.Nomor
		}
		b.Kedaluwarsa = d.BerlakuSampai != nil && d.BerlakuSampai.Before(today)
		v.Legal = append(v.Legal, b)
	}
	if q.Can("list-kendala") {
		page, err := a.UMKM.ListKendala(q.ctx, q.T, id, umkm.KendalaFilter{Limit: kendalaShown}, sc)
		if err != nil {
			return nil, err
		}
		v.KendalaLagi = page.NextCursor != ""
		for _, k := range page.Items {
			b := BarisKendala{Kendala: k, Kategori: label(labelKendala, k.Kategori)}
			b.Dilaporkan, _ = time.Parse(time.DateOnly, k.Dilaporkan)
			if k.Status == umkm.KendalaTerbuka {
				v.KendalaTerbuka = append(v.KendalaTerbuka, b)
			} else {
				v.KendalaSelesai = append(v.KendalaSelesai, b)
			}
		}
	}
	if q.Can("list-umkm-riwayat") {
		if v.Riwayat, err = a.UMKM.History(q.ctx, q.T, id, sc); err != nil {
			return nil, err
		}
		v.GrafikKaryawan, v.GrafikOmzet = riwayatGrafik(v, v.Riwayat)
	}
	if v.Program, err = a.riwayatUMKM(q, id); err != nil {
		return nil, err
	}
	if v.Pasar, err = a.pasarUMKM(q, id); err != nil {
		return nil, err
	}
	if q.Can("list-umkm-koperasi") && a.Koperasi != nil {
		if v.Koperasi, err = a.Koperasi.ListKoperasiOfUMKM(q.ctx, q.T, id, sc.Wilayah, uuid.Nil, 20); err != nil {
			return nil, err
		}
	}
	if q.Can("list-audit") && a.DB != nil {
		if v.Audit, err = a.auditOf(q, id); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// riwayatGrafik draws the employees and the annual sales over time; the
// page shows the same numbers in a table.
func riwayatGrafik(h *umkmRekamView, items []umkm.Riwayat) (karyawan, omzet template.HTML) {
	var k, o []grafik.Batang
	for _, it := range items {
		when := h.Tanggal(it.DicatatAt)
		if it.KaryawanLaki != nil || it.KaryawanPerempuan != nil {
			k = append(k, grafik.Batang{Label: when, Nilai: deref(it.KaryawanLaki) + deref(it.KaryawanPerempuan)})
		}
		if it.OmzetTahunan != nil {
			o = append(o, grafik.Batang{Label: when, Nilai: int(*it.OmzetTahunan)})
		}
	}
	// grafik escapes every label and number it writes.
	return template.HTML(grafik.Garis("Jumlah karyawan", k)), template.HTML(grafik.Garis("Omzet tahunan (rupiah)", o)) // #nosec G203
}

func deref[N int | int64](p *N) N {
	if p == nil {
		return 0
	}
	return *p
}

// auditShown bounds the audit trail on the page.
const auditShown = 20

// auditOf is the record's audit trail, newest first, with who did it.
func (a *App) auditOf(q *Permintaan, id uuid.UUID) ([]BarisAudit, error) {
	var items []audit.Item
	err := a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
		var err error
		items, err = audit.List(q.ctx, tx, audit.Filter{Entity: "umkm", EntityID: id.String(), Limit: auditShown})
		return err
	})
	if err != nil {
		return nil, err
	}
	names := map[uuid.UUID]string{}
	var out []BarisAudit
	for _, it := range items {
		b := BarisAudit{At: it.At, Aksi: label(labelAudit, it.Action), Oleh: "sistem", Perubahan: changedFields(it.Before, it.After)}
		if it.ActorID != nil {
			name, ok := names[*it.ActorID]
			if !ok {
				m, err := a.Accounts.GetMember(q.ctx, q.T, *it.ActorID)
				switch {
				case err == nil:
					name = m.Name
				case apperr.KindOf(err) == apperr.KindNotFound:
					name = "pengguna yang sudah tidak di kantor ini"
				default:
					return nil, err
				}
				names[*it.ActorID] = name
			}
			b.Oleh = name
		}
		out = append(out, b)
	}
	return out, nil
}

// changedFields are the top-level fields whose values differ between two
// JSON snapshots of a record, by name; bookkeeping fields are left out.
func changedFields(before, after json.RawMessage) []string {
	if len(before) == 0 || len(after) == 0 {
		return nil
	}
	var b, c map[string]json.RawMessage
	if json.Unmarshal(before, &b) != nil || json.Unmarshal(after, &c) != nil {
		return nil
	}
	var out []string
	for k := range c {
		if k == "updated_at" || k == "version" {
			continue
		}
		if !bytes.Equal(b[k], c[k]) {
			out = append(out, strings.ReplaceAll(k, "_", " "))
		}
	}
	for k := range b {
		if _, ok := c[k]; !ok {
			out = append(out, strings.ReplaceAll(k, "_", " "))
		}
	}
	slices.Sort(out)
	return out
}

// buatKendala records a constraint from the form on the record page; on a
// mistake the page comes back with the form as typed and the service's
// words beside each field.
func (a *App) buatKendala(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	kf := kendalaForm{Kategori: r.PostForm.Get("kategori"), Catatan: r.PostForm.Get("catatan"), Dilaporkan: strings.TrimSpace(r.PostForm.Get("dilaporkan"))}
	in := umkm.KendalaInput{Kategori: kf.Kategori}
	if strings.TrimSpace(kf.Catatan) != "" {
		in.Catatan = &kf.Catatan
	}
	if kf.Dilaporkan != "" {
		in.Dilaporkan = &kf.Dilaporkan
	}
	sc, _, err := umkm.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return err
	}
	err = a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
		_, err := a.UMKM.CreateKendalaTx(q.ctx, tx, q.T, id, in, sc)
		return err
	})
	if ae, ok := apperr.As(err); ok && (ae.Kind == apperr.KindInvalid || ae.Kind == apperr.KindConflict) {
		kf.Galat, kf.Pesan = fieldMessages(ae), ae.Message.ID
		v, err := a.rekam(r, q, kf)
		if err != nil {
			return err
		}
		status := http.StatusUnprocessableEntity
		if ae.Kind == apperr.KindConflict {
			status = http.StatusConflict
		}
		a.render(w, r, status, v)
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, recordPath(q.T, id.String())+"?pesan=kendala#kendala", http.StatusSeeOther)
	return nil
}

// selesaiKendala marks a constraint resolved (safe to repeat, as the API's).
func (a *App) selesaiKendala(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	kid, err := pathID(r, "kendala")
	if err != nil {
		return err
	}
	sc, _, err := umkm.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return err
	}
	if _, err := a.UMKM.ResolveKendala(q.ctx, q.T, id, kid, sc); err != nil {
		return err
	}
	http.Redirect(w, r, recordPath(q.T, id.String())+"?pesan=selesai#kendala", http.StatusSeeOther)
	return nil
}

// maxUMKMForm bounds a form of the register (the API takes 64 KiB of JSON).
const maxUMKMForm = 64 << 10

var errFormUnreadable = apperr.Invalid(apperr.T("Formulir tidak terbaca.", "The form could not be read."))

func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxUMKMForm)
	if err := r.ParseForm(); err != nil {
		return errFormUnreadable
	}
	return nil
}

// fieldMessages are an error's field messages by form field: the API's
// location without "body." or, for a filter form, "query."
// (legalitas[i].x is mapped by the form itself).
func fieldMessages(ae *apperr.Error) map[string]string {
	g := map[string]string{}
	for _, f := range ae.Fields {
		name := strings.TrimPrefix(strings.TrimPrefix(f.Location, "body."), "query.")
		if _, dup := g[name]; !dup {
			g[name] = f.Message.ID
		}
	}
	return g
}

// baca reads the record id as the caller may see it (out of their area:
// not found), with their area and view of personal data.
func (a *App) baca(q *Permintaan, id uuid.UUID) (umkm.Record, umkm.Scope, umkm.View, error) {
	sc, view, err := umkm.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return umkm.Record{}, sc, view, err
	}
	rec, err := a.UMKM.Get(q.ctx, q.T, id, sc, view)
	return rec, sc, view, err
}

// kiriman is a write to the record of the path: its id, the version the
// form was filled in against, and the caller's area and view.
type kiriman struct {
	id      uuid.UUID
	version int64
	sc      umkm.Scope
	view    umkm.View
}

func (a *App) kiriman(w http.ResponseWriter, r *http.Request, q *Permintaan) (k kiriman, err error) {
	if k.id, err = pathID(r, "id"); err != nil {
		return k, err
	}
	if err = parseForm(w, r); err != nil {
		return k, err
	}
	if k.version, err = versi(r); err != nil {
		return k, err
	}
	k.sc, k.view, err = umkm.Access(q.ctx, a.Authz, q.P, q.T)
	return k, err
}

// versi is the record version a form was filled in against.
func versi(r *http.Request) (int64, error) {
	v, err := strconv.ParseInt(r.PostForm.Get("versi"), 10, 64)
	if err != nil || v < 1 {
		return 0, apperr.PreconditionFailed()
	}
	return v, nil
}

// arsipView asks to confirm archiving a business.
type arsipView struct {
	Halaman
	R                            umkm.Record
	NamaKecamatan, NamaKelurahan string
	Pesan                        string
}

// textDiubahOrang is what a page says when the record changed since the
// form was opened (the API's 412).
const textDiubahOrang = "Data ini sudah diubah orang lain sejak Anda membukanya."

func (a *App) arsipForm(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := a.arsipView(q, id)
	if err != nil {
		return err
	}
	if v.R.ArchivedAt != nil {
		http.Redirect(w, r, recordPath(q.T, id.String()), http.StatusSeeOther)
		return nil
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

func (a *App) arsipView(q *Permintaan, id uuid.UUID) (*arsipView, error) {
	rec, _, _, err := a.baca(q, id)
	if err != nil {
		return nil, err
	}
	reg, err := a.wilayah(q)
	if err != nil {
		return nil, err
	}
	return &arsipView{Halaman: q.Halaman("Arsipkan "+rec.NamaUsaha, "umkm"), R: rec,
		NamaKecamatan: reg.nama[rec.KecamatanKode], NamaKelurahan: reg.nama[rec.KelurahanKode]}, nil
}

// arsip archives a business at the version the confirmation showed.
func (a *App) arsip(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	k, err := a.kiriman(w, r, q)
	if err != nil {
		return err
	}
	_, err = a.UMKM.Archive(q.ctx, q.T, k.id, k.version, k.sc)
	if apperr.KindOf(err) == apperr.KindPreconditionFailed {
		// Asked again, about the record as it is now.
		v, err := a.arsipView(q, k.id)
		if err != nil {
			return err
		}
		v.Pesan = textDiubahOrang
		a.render(w, r, http.StatusPreconditionFailed, v)
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, recordPath(q.T, k.id.String())+"?pesan=diarsip", http.StatusSeeOther)
	return nil
}
