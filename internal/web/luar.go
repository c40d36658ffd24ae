package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/luar"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/program"
	"github.com/sentra-id/sentra/internal/umkm"
)

// Other agencies' participant lists (Program › Daftar agensi lain): the
// API's import-luar, list-impor-luar, list-luar, map-luar and
// reject-luar on the same service. The import runs as a job with its own
// page (pekerjaan.go's page shows its summary); the rows nobody matched
// wait here for staff to register the business or discard them.

// luarView is the page: the import form, the latest imports and the
// rows waiting for staff.
type luarView struct {
	Halaman
	isianForm             // the import form as typed, after a refusal
	AgensiOpsi, JenisOpsi []Opsi
	UjiCoba               bool
	Pesan, Selesai        string
	Impor                 []BarisImporLuar
	Baris                 []BarisLuar
	Lanjut                string
}

// BarisImporLuar is one import with its choices in words.
type BarisImporLuar struct {
	pekerjaan.Job
	Param          luar.ImportParams
	Agensi, Tautan string
}

// BarisLuar is a list row with its links: register the business (the new
// business form filled in from the row) and match it to a record.
type BarisLuar struct {
	luar.BarisDaftar
	JenisKata, Daftarkan, Cocokkan string
}

// luarBarisView is one unmatched row and the register records it may be.
type luarBarisView struct {
	Halaman
	B     BarisLuar
	Q     string
	Calon []umkm.Record
}

var selesaiLuar = map[string]string{"cocok": "Baris dicocokkan dengan data register.", "buang": "Baris dibuang."}

func luarBase(slug string) string { return "/t/" + slug + "/program/luar" }

func (a *App) luarRoutes() {
	const base = "/t/{tenant}/program/luar"
	a.kantor("GET "+base, "list-luar", a.luarPage)
	a.kantor("POST "+base+"/impor", "import-luar", a.luarImpor)
	a.kantor("POST "+base+"/impor/{id}/terapkan", "import-luar", a.luarTerapkan)
	a.kantor("GET "+base+"/template", "get-luar-template", a.luarTemplate)
	a.kantor("GET "+base+"/baris/{id}", "list-luar", a.luarBaris)
	a.kantor("POST "+base+"/baris/{id}/cocok", "map-luar", a.luarCocok)
	a.kantor("POST "+base+"/baris/{id}/buang", "reject-luar", a.luarBuang)
}

func (a *App) luarView(q *Permintaan) (luar.View, error) {
	v, err := program.Access(q.ctx, a.Authz, q.P, q.T)
	return luar.View{PII: v.PII, Wilayah: v.Wilayah}, err
}

func barisLuar(slug string, b luar.BarisDaftar) BarisLuar {
	daftar := url.Values{}
	for k, v := range map[string]*string{"nama_usaha": b.NamaUsaha, "nama_pemilik": b.NamaPemilik, "nib": b.NIB, "kelurahan_kode": b.KelurahanKode} {
		if v != nil {
			daftar.Set(k, *v)
		}
	}
	return BarisLuar{BarisDaftar: b, JenisKata: label(program.JenisLabel, b.Jenis),
		Daftarkan: "/t/" + slug + "/umkm/baru?" + daftar.Encode(), Cocokkan: luarBase(slug) + "/baris/" + b.ID.String()}
}

// luarFill reads the page's lists: the agencies for the form, the latest
// imports and a page of unmatched rows.
func (a *App) luarFill(r *http.Request, q *Permintaan, v *luarView) error {
	agensi, err := a.Program.ListAgensi(q.ctx, q.T, false)
	if err != nil {
		return err
	}
	nama := map[uuid.UUID]string{}
	for _, ag := range agensi {
		nama[ag.ID] = ag.Nama
		if ag.Jenis != "kantor" {
			v.AgensiOpsi = append(v.AgensiOpsi, Opsi{Nilai: ag.ID.String(), Label: ag.Nama})
		}
	}
	v.JenisOpsi = opsi(program.AllJenis, program.JenisLabel)
	jobs, err := a.Luar.Imports(q.ctx, q.T, 20)
	if err != nil {
		return err
	}
	for _, j := range jobs {
		b := BarisImporLuar{Job: j, Tautan: jobURL(q, j.ID)}
		_ = json.Unmarshal(j.Parameter, &b.Param)
		b.Agensi = nama[b.Param.AgensiID]
		v.Impor = append(v.Impor, b)
	}
	view, err := a.luarView(q)
	if err != nil {
		return err
	}
	cursor := r.URL.Query().Get("cursor")
	if _, err := uuid.Parse(cursor); err != nil {
		cursor = ""
	}
	page, err := a.Luar.List(q.ctx, q.T, luar.Filter{Status: luar.BelumCocok, Cursor: cursor, Limit: 50}, view)
	if err != nil {
		return err
	}
	for _, b := range page.Items {
		v.Baris = append(v.Baris, barisLuar(q.T.Slug, b))
	}
	if page.Next != "" {
		v.Lanjut = luarBase(q.T.Slug) + "?cursor=" + page.Next
	}
	return nil
}

func (a *App) luarPage(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	v := &luarView{Halaman: q.Halaman("Daftar peserta agensi lain", "program/luar"), UjiCoba: true, isianForm: isianForm{Isi: url.Values{}},
		Selesai: selesaiLuar[r.URL.Query().Get("pesan")]}
	if err := a.luarFill(r, q, v); err != nil {
		return err
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

func (a *App) luarTemplate(w http.ResponseWriter, _ *http.Request, _ *Permintaan) error {
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="template-peserta-agensi.csv"`)
	_, err := w.Write(luar.Template())
	return err
}

// luarFields are where the service's field errors go on the form.
var luarFields = map[string]string{"query.agensi_id": "agensi_id", "query.program_nama": "program_nama", "query.jenis": "jenis",
	"query.tahun": "tahun"}

// luarImpor takes the upload and queues the import, as the API's
// import-luar: the same checks of the choices and the file before any job.
func (a *App) luarImpor(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	v := &luarView{Halaman: q.Halaman("Daftar peserta agensi lain", "program/luar")}
	u, tooLarge, err := readUpload(w, r, luar.MaxUploadBytes)
	if err != nil {
		return err
	}
	v.Isi, v.UjiCoba = u.fields, u.fields.Get("mode") != "terapkan"
	agensi, _ := uuid.Parse(u.fields.Get("agensi_id"))
	tahun, _ := strconv.Atoi(strings.TrimSpace(u.fields.Get("tahun")))
	p := luar.ImportParams{Nama: u.nama, AgensiID: agensi, ProgramNama: u.fields.Get("program_nama"), Jenis: u.fields.Get("jenis"),
		Tahun: tahun, DryRun: v.UjiCoba}
	switch {
	case tooLarge:
		err = apperr.InvalidField("body", nil, apperr.T("Berkas lebih dari 16 MB. Bagi menjadi beberapa berkas.", "The file exceeds 16 MB."))
	case u.nama == "" || len(u.file) == 0:
		err = apperr.InvalidField("body", nil, textNoFile)
	default:
		var job pekerjaan.Job
		job, err = pekerjaan.Start(q.ctx, a.DB, a.Queue, q.T.ID, func(tx pgx.Tx) (pekerjaan.Job, river.JobArgs, error) {
			return a.Luar.QueueImport(q.ctx, tx, q.T, u.file, p, q.P.UserID)
		})
		if err == nil {
			http.Redirect(w, r, jobURL(q, job.ID), http.StatusSeeOther)
			return nil
		}
	}
	ae, ok := apperr.As(err)
	if !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindTooManyRequests) {
		return err
	}
	status := http.StatusUnprocessableEntity
	if ae.Kind == apperr.KindTooManyRequests {
		status = http.StatusTooManyRequests
		setRetryAfter(w, ae.RetryAfter)
	}
	v.Pesan, v.Galat = ae.Message.ID, map[string]string{}
	for _, f := range ae.Fields {
		name, ok := luarFields[f.Location]
		if !ok {
			name = "berkas" // the file: body, its header, a row
		}
		if _, dup := v.Galat[name]; !dup {
			v.Galat[name] = f.Message.ID
		}
	}
	if err := a.luarFill(r, q, v); err != nil {
		return err
	}
	a.render(w, r, status, v)
	return nil
}

// luarTerapkan imports for real a list that ran as a dry run: the same
// file and choices, a new job.
func (a *App) luarTerapkan(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return terapkanUji(a, w, r, q, luar.JobKind, func(p *luar.ImportParams) *bool { return &p.DryRun },
		func(tx pgx.Tx, isi []byte, p luar.ImportParams) (pekerjaan.Job, river.JobArgs, error) {
			return a.Luar.QueueImport(q.ctx, tx, q.T, isi, p, q.P.UserID)
		})
}

// luarBaris is an unmatched row with the register records it may be:
// those whose names are like the row's (the register's search), or those
// staff search for.
func (a *App) luarBaris(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return apperr.NotFound()
	}
	view, err := a.luarView(q)
	if err != nil {
		return err
	}
	b, err := a.Luar.Get(q.ctx, q.T, id, view)
	if err != nil {
		return err
	}
	v := &luarBarisView{Halaman: q.Halaman("Cocokkan baris daftar agensi", "program/luar"), B: barisLuar(q.T.Slug, b),
		Q: strings.TrimSpace(r.URL.Query().Get("q"))}
	if v.Q == "" && b.NamaUsaha != nil {
		v.Q = *b.NamaUsaha
	} else if v.Q == "" && b.NamaPemilik != nil && view.PII {
		v.Q = *b.NamaPemilik
	}
	if v.Q != "" && b.Status == luar.BelumCocok {
		sc, uv, err := umkm.Access(q.ctx, a.Authz, q.P, q.T)
		if err != nil {
			return err
		}
		page, err := a.UMKM.List(q.ctx, q.T, umkm.Filter{Q: v.Q, Limit: 10}, sc, uv)
		if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindInvalid {
			err = nil // a search the register refuses finds nothing
		}
		if err != nil {
			return err
		}
		v.Calon = page.Items
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

func (a *App) luarCocok(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.luarLangkah(w, r, q, "cocok", func(id uuid.UUID) error {
		rec, err := uuid.Parse(r.PostForm.Get("umkm_id"))
		if err != nil {
			return apperr.InvalidField("body.umkm_id", nil, apperr.T("Pilih data UMKM.", "Choose a business."))
		}
		_, err = a.Luar.Match(q.ctx, q.T, id, rec)
		return err
	})
}

func (a *App) luarBuang(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.luarLangkah(w, r, q, "buang", func(id uuid.UUID) error {
		_, err := a.Luar.Discard(q.ctx, q.T, id)
		return err
	})
}

// luarLangkah runs a step on the row of the path and returns to the list.
func (a *App) luarLangkah(w http.ResponseWriter, r *http.Request, q *Permintaan, pesan string, step func(uuid.UUID) error) error {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return apperr.NotFound()
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	if err := step(id); err != nil {
		return err
	}
	http.Redirect(w, r, luarBase(q.T.Slug)+"?pesan="+pesan, http.StatusSeeOther)
	return nil
}
