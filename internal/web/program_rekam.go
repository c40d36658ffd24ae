package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/program"
	"github.com/sentra-id/sentra/internal/tumpang"
	"github.com/sentra-id/sentra/internal/umkm"
)

// One programme: its details and rules, sessions with the attendance grid,
// the quota, and its participants with every step (apply from the
// register with the eligibility decision, check again, select, reject,
// complete). Each step posts the participant's (or the session's) version
// as the API's If-Match; what went wrong comes back on the page in the
// API's words, a step's field message beside its field.

var labelStatusPeserta = map[string]string{"mendaftar": "Mendaftar", "terpilih": "Terpilih", "ditolak": "Ditolak",
	"selesai": "Selesai", "batal": "Batal"}

// BarisPeserta is a participant with its status in words.
type BarisPeserta struct {
	program.Peserta
	StatusKata string
	Tumpang    *tumpang.Cek // other participations, read for those the page offers to select
	BAST       []BAST       // hand-overs, for an aid programme
}

// HadirDi reports whether the participant attended session id.
func (b BarisPeserta) HadirDi(id uuid.UUID) bool { return slices.Contains(b.Hadir, id) }

// Keputusan is the last eligibility decision: layak, tidak, or "" when
// none was taken.
func (b BarisPeserta) Keputusan() string {
	switch {
	case b.Layak == nil:
		return ""
	case *b.Layak:
		return "layak"
	}
	return "tidak"
}

// Tempat reports whether the participant holds a place (may attend).
func (b BarisPeserta) Tempat() bool { return b.Status == "terpilih" || b.Status == "selesai" }

// BarisSesi is a session with its day in words.
type BarisSesi struct {
	program.Sesi
	Hari string
}

// programRekamView is one programme's page.
type programRekamView struct {
	Halaman
	P           BarisProgram
	AgensiNama  string
	Aturan      []string // the rules in words
	Sesi        []BarisSesi
	Peserta     []BarisPeserta
	Berikutnya  string
	Selesai     string   // what the last step did
	Pesan       string   // what went wrong
	Rincian     []string // its details no field of the page shows (attendance)
	Galat       map[string]string
	Cari        string
	Calon       []BarisUMKM
	CalonKop    []koperasi.Koperasi // cooperatives matching the search, inside the caller's area
	Ketik       url.Values          // what was typed before an error, keys as Galat's
	Hari        string              // today, the default day of completion
	BisaCari    bool
	SedangCari  bool
	PesertaArah string // the page to return to after a step
	Bantuan     bool   // an aid programme: hand-overs are recorded
	// AgensiOpsi are the agencies a participant list may be shared with;
	// Ekspor the programme's sharing log.
	AgensiOpsi []Opsi
	Ekspor     []program.PesertaEkspor
}

// Dari is the quota filled as "terisi dari kuota".
func (v *programRekamView) Dari() string {
	return format.Angka(v.P.Terisi) + " dari " + format.Angka(v.P.Kuota)
}

// Kunci is the key of field in a form of the page: "" for the form
// adding a participant, "sesi" for the new session's, a participant's id
// for its steps.
func Kunci(bentuk any, field string) string {
	if s := fmt.Sprint(bentuk); s != "" {
		return s + "-" + field
	}
	return field
}

// GalatDi is the message of field of form bentuk (see Kunci), if any.
func (v *programRekamView) GalatDi(bentuk any, field string) string {
	return v.Galat[Kunci(bentuk, field)]
}

// Ketikan is what was typed in field of form bentuk before an error.
func (v *programRekamView) Ketikan(bentuk any, field string) string {
	return v.Ketik.Get(Kunci(bentuk, field))
}

// Terpilih are the participants who hold a place: the attendance grid.
func (v *programRekamView) Terpilih() []BarisPeserta {
	var out []BarisPeserta
	for _, p := range v.Peserta {
		if p.Tempat() {
			out = append(out, p)
		}
	}
	return out
}

var selesaiRekam = map[string]string{"dibuat": "Program dibuat.", "disimpan": "Perubahan disimpan.", "daftar": "Pemohon didaftarkan; keputusan kelayakan di bawah.",
	"periksa": "Kelayakan diperiksa ulang dengan aturan terbaru.", "pilih": "Peserta terpilih.", "tolak": "Pemohon ditolak.",
	"selesai": "Penyelesaian dicatat.", "izin": "Tumpang tindih diizinkan; pemohon dapat dipilih.", "sesi": "Sesi ditambahkan.", "hadir": "Kehadiran disimpan.",
	"tindak-lanjut": "Catatan tindak lanjut disimpan.", "bast": "BAST dicatat.", "terima": "Penerimaan BAST dicatat."}

// hari is a YYYY-MM-DD day as an office writes it; as typed when it is not one.
func hari(s string) string {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return format.Tanggal(d, time.UTC)
}

// aturanKata is a rule in words.
func aturanKata(a program.Aturan, nama map[uuid.UUID]string) string {
	s := label(labelAturan, a.Jenis)
	if len(a.Nilai) > 0 {
		s += ": " + strings.Join(a.Nilai, ", ")
	}
	if a.ProgramID != nil {
		n := nama[*a.ProgramID]
		if n == "" {
			n = "(program tidak ditemukan)"
		}
		s += " “" + n + "”"
	}
	return s
}

const pesertaShown = 200

func (a *App) programRekamView(r *http.Request, q *Permintaan, id uuid.UUID) (*programRekamView, error) {
	d, err := a.Program.Get(q.ctx, q.T, id)
	if err != nil {
		return nil, err
	}
	view, err := program.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return nil, err
	}
	in := r.URL.Query()
	page, err := a.Program.ListPeserta(q.ctx, q.T, id, program.PesertaFilter{Cursor: in.Get("cursor"), Limit: pesertaShown}, view)
	if err != nil {
		return nil, err
	}
	today, err := q.T.Today(time.Now())
	if err != nil {
		return nil, err
	}
	v := &programRekamView{Halaman: q.Halaman(d.Nama, "program"), P: barisProgram(d.Program), AgensiNama: d.AgensiNama,
		Selesai: selesaiRekam[in.Get("pesan")], Galat: map[string]string{}, Ketik: url.Values{},
		Hari: today.Format(time.DateOnly), BisaCari: q.Can("create-peserta") && q.Can("list-umkm")}
	v.PesertaArah, v.Bantuan = programPath(q.T, id), bantuan(d.Jenis)
	nama := map[uuid.UUID]string{}
	for _, at := range d.Aturan {
		if at.ProgramID != nil {
			if other, err := a.Program.Get(q.ctx, q.T, *at.ProgramID); err == nil {
				nama[other.ID] = other.Nama
			} else if apperr.KindOf(err) != apperr.KindNotFound {
				return nil, err
			}
		}
	}
	for _, at := range d.Aturan {
		v.Aturan = append(v.Aturan, aturanKata(at, nama))
	}
	for _, s := range d.Sesi {
		v.Sesi = append(v.Sesi, BarisSesi{Sesi: s, Hari: hari(s.Tanggal)})
	}
	for _, p := range page.Items {
		v.Peserta = append(v.Peserta, BarisPeserta{Peserta: p, StatusKata: label(labelStatusPeserta, p.Status)})
	}
	if page.NextCursor != "" {
		v.Berikutnya = r.URL.Path + "?" + url.Values{"cursor": {page.NextCursor}}.Encode()
	}
	if err := a.isiTumpang(q, id, v); err != nil {
		return nil, err
	}
	if err := a.isiBAST(q, id, v); err != nil {
		return nil, err
	}
	if err := a.isiEkspor(q, id, v); err != nil {
		return nil, err
	}
	return v, a.calonPeserta(r, q, v)
}

// calonPeserta fills the businesses of the register matching the search
// (the caller's area and view of personal data, as the register's list).
func (a *App) calonPeserta(r *http.Request, q *Permintaan, v *programRekamView) error {
	v.Cari = strings.TrimSpace(r.FormValue("cari"))
	if v.Cari == "" || !v.BisaCari {
		return nil
	}
	v.SedangCari = true
	sc, view, err := umkm.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return err
	}
	if v.Calon, err = a.calonUMKM(q, v.Cari, sc, view, v.Galat); err != nil || v.Galat["cari"] != "" || !q.Can("list-koperasi") {
		return err
	}
	return a.calonKoperasi(q, v)
}

// calonKoperasi fills the cooperatives matching the search that the
// caller may apply: a petugas only those of their regions, as the
// service's application checks.
func (a *App) calonKoperasi(q *Permintaan, v *programRekamView) error {
	kv, err := koperasi.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return err
	}
	page, err := a.Koperasi.List(q.ctx, q.T, koperasi.Filter{Q: v.Cari, Limit: calonShown}, kv)
	if err != nil {
		return err
	}
	pv, err := program.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return err
	}
	for _, k := range page.Items {
		if len(pv.Wilayah) == 0 || slices.Contains(pv.Wilayah, k.KecamatanKode) || slices.Contains(pv.Wilayah, k.KelurahanKode) {
			v.CalonKop = append(v.CalonKop, k)
		}
	}
	return nil
}

func (a *App) rekamProgram(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := a.programRekamView(r, q, id)
	if err != nil {
		return err
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// langkah runs a step of the programme page: done goes back to the page
// with its message; a refusal the API would answer 4xx shows on the page
// with the same words and status, field messages keyed by prefix.
func (a *App) langkah(w http.ResponseWriter, r *http.Request, q *Permintaan, prefix, pesan string, step func(programID uuid.UUID) error) error {
	return a.langkahKe(w, r, q, prefix, func(id uuid.UUID) (string, error) {
		return programPath(q.T, id) + "?pesan=" + pesan + "#peserta", step(id)
	})
}

// langkahKe is langkah for a step that says where it goes when done.
func (a *App) langkahKe(w http.ResponseWriter, r *http.Request, q *Permintaan, prefix string, step func(programID uuid.UUID) (string, error)) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	done, err := step(id)
	if err == nil {
		http.Redirect(w, r, done, http.StatusSeeOther)
		return nil
	}
	ae, ok := apperr.As(err)
	if !ok || ae.Kind == apperr.KindNotFound || ae.Kind == apperr.KindForbidden || ae.Kind == apperr.KindInternal {
		return err
	}
	status := map[apperr.Kind]int{apperr.KindConflict: http.StatusConflict, apperr.KindPreconditionFailed: http.StatusPreconditionFailed,
		apperr.KindInvalid: http.StatusUnprocessableEntity}[ae.Kind]
	if status == 0 {
		return err
	}
	r.URL.RawQuery = url.Values{"cari": {r.PostForm.Get("cari")}}.Encode()
	v, verr := a.programRekamView(r, q, id)
	if verr != nil {
		return verr
	}
	v.Pesan = ae.Message.ID
	if ae.Kind == apperr.KindPreconditionFailed {
		v.Pesan = textDiubahOrang + " Halaman ini sekarang menunjukkan data terbaru; ulangi langkah Anda bila masih perlu."
	}
	for k, m := range fieldMessages(ae) {
		v.Galat[prefix+k] = m
		if prefix == "hadir-" {
			v.Rincian = append(v.Rincian, m)
		}
	}
	typed := url.Values{}
	for k, vals := range r.PostForm {
		typed[prefix+k] = vals
	}
	v.Ketik = typed
	a.render(w, r, status, v)
	return nil
}

// pesertaID is the participant of the path, and its prefix for messages.
func pesertaID(r *http.Request) (uuid.UUID, error) { return pathID(r, "peserta") }

// daftarPeserta applies a business, its owner as a person, or a
// cooperative of the register (create-peserta); the
// eligibility decision is shown on the page it returns to.
func (a *App) daftarPeserta(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.langkah(w, r, q, "", "daftar", func(id uuid.UUID) error {
		f := r.PostForm
		in := program.PesertaInput{Pemohon: f.Get("pemohon"), BukanASN: f.Get("bukan_asn") == "true"}
		if s := f.Get("umkm_id"); s != "" {
			u, err := uuid.Parse(s)
			if err != nil {
				return apperr.InvalidField("body.umkm_id", s, apperr.T("Pilih usaha dari hasil pencarian.", "Pick a business from the search."))
			}
			in.UMKMID = &u
		}
		if s := f.Get("koperasi_id"); s != "" {
			k, err := uuid.Parse(s)
			if err != nil {
				return apperr.InvalidField("body.koperasi_id", s, apperr.T("Pilih koperasi dari hasil pencarian.", "Pick a cooperative from the search."))
			}
			in.KoperasiID = &k
		}
		view, err := program.Access(q.ctx, a.Authz, q.P, q.T)
		if err != nil {
			return err
		}
		return a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
			_, err := a.Program.ApplyTx(q.ctx, tx, q.T, id, in, view)
			return err
		})
	})
}

// pesertaLangkah is a step on one participant at the version shown.
func (a *App) pesertaLangkah(pesan string, run func(q *Permintaan, f url.Values, programID, id uuid.UUID, version int64) error) handler {
	return a.pesertaLangkahDi("", pesan, run)
}

// pesertaLangkahDi is pesertaLangkah for a form whose fields share names
// with another form of the row (both have a tanggal): its messages are
// keyed by the participant and bentuk (see Kunci).
func (a *App) pesertaLangkahDi(bentuk, pesan string, run func(q *Permintaan, f url.Values, programID, id uuid.UUID, version int64) error) handler {
	return func(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
		pid, err := pesertaID(r)
		if err != nil {
			return err
		}
		prefix := pid.String() + "-"
		if bentuk != "" {
			prefix += bentuk + "-"
		}
		return a.langkah(w, r, q, prefix, pesan, func(id uuid.UUID) error {
			version, err := versi(r)
			if err != nil {
				return err
			}
			return run(q, r.PostForm, id, pid, version)
		})
	}
}

func (a *App) periksaPeserta(q *Permintaan, _ url.Values, programID, id uuid.UUID, version int64) error {
	_, err := a.Program.Check(q.ctx, q.T, programID, id, version)
	return err
}

func (a *App) pilihPeserta(q *Permintaan, _ url.Values, programID, id uuid.UUID, version int64) error {
	_, err := a.Program.Select(q.ctx, q.T, programID, id, version)
	return err
}

func (a *App) tolakPeserta(q *Permintaan, f url.Values, programID, id uuid.UUID, version int64) error {
	_, err := a.Program.Reject(q.ctx, q.T, programID, id, version, program.TolakInput{Alasan: f.Get("alasan")})
	return err
}

func (a *App) selesaiPeserta(q *Permintaan, f url.Values, programID, id uuid.UUID, version int64) error {
	_, err := a.Program.Complete(q.ctx, q.T, programID, id, version,
		program.SelesaiInput{Tanggal: f.Get("tanggal"), SertifikatNomor: opt(f, "sertifikat_nomor")})
	return err
}

// buatSesi adds a session (create-program-sesi).
func (a *App) buatSesi(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.langkah(w, r, q, "sesi-", "sesi", func(id uuid.UUID) error {
		f := r.PostForm
		in := program.SesiInput{Judul: f.Get("judul"), Tanggal: f.Get("tanggal"), Tempat: opt(f, "tempat")}
		return a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
			_, err := a.Program.CreateSesiTx(q.ctx, tx, q.T, id, in)
			return err
		})
	})
}

// simpanHadir replaces a session's attendance (update-program-hadir): the
// ticked boxes of its column of the grid, at the session's version.
func (a *App) simpanHadir(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	sid, err := pathID(r, "sesi")
	if err != nil {
		return err
	}
	return a.langkah(w, r, q, "hadir-", "hadir", func(id uuid.UUID) error {
		version, err := versi(r)
		if err != nil {
			return err
		}
		in := program.HadirInput{PesertaID: []uuid.UUID{}}
		for _, s := range r.PostForm["peserta_id"] {
			pid, err := uuid.Parse(s)
			if err != nil {
				return apperr.InvalidField("body.peserta_id", s, apperr.T("Peserta tidak dikenal.", "Unknown participant."))
			}
			in.PesertaID = append(in.PesertaID, pid)
		}
		_, err = a.Program.SetHadir(q.ctx, q.T, id, sid, version, in)
		return err
	})
}

func (a *App) programRekamRoutes() {
	const one = "/t/{tenant}/program/{id}"
	const p = one + "/peserta/{peserta}"
	a.kantor("POST "+one+"/peserta", "create-peserta", a.daftarPeserta)
	a.kantor("POST "+p+"/periksa", "verify-peserta", a.pesertaLangkah("periksa", a.periksaPeserta))
	a.kantor("POST "+p+"/pilih", "approve-peserta", a.pesertaLangkah("pilih", a.pilihPeserta))
	a.kantor("POST "+p+"/izin", "approve-peserta-tumpang", a.pesertaLangkah("izin", a.izinkanTumpang))
	a.kantor("POST "+p+"/tolak", "reject-peserta", a.pesertaLangkah("tolak", a.tolakPeserta))
	a.kantor("POST "+p+"/selesai", "complete-peserta", a.pesertaLangkah("selesai", a.selesaiPeserta))
	a.kantor("POST "+p+"/tindak-lanjut", "create-peserta-tindak-lanjut", a.pesertaLangkahDi("tl", "tindak-lanjut", a.tindakLanjut))
	a.kantor("POST "+p+"/bast", "create-peserta-bast", a.catatBAST)
	a.kantor("POST "+p+"/bast/terima", "receive-peserta-bast", a.terimaBAST)
	a.kantor("POST "+one+"/sesi", "create-program-sesi", a.buatSesi)
	a.kantor("POST "+one+"/sesi/{sesi}/hadir", "update-program-hadir", a.simpanHadir)
	a.programEksporRoutes()
}
