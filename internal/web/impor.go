package web

import (
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/luar"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/teks"
	"github.com/sentra-id/sentra/internal/umkm"
)

// Imports and exports in the browser: the API's import-umkm, export-umkm,
// get-pekerjaan and get-berkas, on the same services and the same rules of
// who sees which job (pekerjaan.SeesAll). A job has its own page, so work
// left for a while is found again (and in "Pekerjaan saya").

// imporView is the upload form.
type imporView struct {
	Halaman
	UjiCoba, Ketat bool // the choices, kept when the file is refused
	Galat          map[string]string
	Pesan          string
}

func (a *App) imporForm(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	a.render(w, r, http.StatusOK, &imporView{Halaman: q.Halaman("Impor UMKM", "impor"), UjiCoba: true})
	return nil
}

func (a *App) imporTemplate(w http.ResponseWriter, _ *http.Request, _ *Permintaan) error {
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="template-impor-umkm.csv"`)
	_, err := w.Write(umkm.Template())
	return err
}

var (
	textNoFile   = apperr.T("Pilih berkas CSV atau XLSX.", "Choose a CSV or XLSX file.")
	textTooLarge = apperr.T("Berkas lebih dari 64 MB. Bagi menjadi beberapa berkas.", "The file exceeds 64 MB. Split it into several files.")
	textBadForm  = apperr.T("Formulir tidak terbaca.", "The form could not be read.")
)

// impor takes the upload (multipart) and queues the import, as the API's
// import-umkm: the same checks of the file before any job exists.
func (a *App) impor(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	v := &imporView{Halaman: q.Halaman("Impor UMKM", "impor")}
	u, tooLarge, err := readUpload(w, r, umkm.MaxUploadBytes)
	if err != nil {
		return err
	}
	if u.fields.Has("mode") {
		v.UjiCoba = u.fields.Get("mode") != "terapkan"
	}
	v.Ketat = u.fields.Has("ketat")
	if tooLarge {
		return a.imporRefused(w, r, v, textTooLarge.ID)
	}
	file, nama := u.file, u.nama
	if nama == "" || len(file) == 0 {
		return a.imporRefused(w, r, v, textNoFile.ID)
	}
	job, err := pekerjaan.Start(q.ctx, a.DB, a.Queue, q.T.ID, func(tx pgx.Tx) (pekerjaan.Job, river.JobArgs, error) {
		return a.UMKM.QueueImport(q.ctx, tx, q.T, file, umkm.ImportParams{Nama: nama, DryRun: v.UjiCoba, Strict: v.Ketat}, q.P.UserID)
	})
	if ae, ok := apperr.As(err); ok && (ae.Kind == apperr.KindInvalid || ae.Kind == apperr.KindTooManyRequests) {
		if ae.Kind == apperr.KindTooManyRequests {
			v.Pesan = ae.Message.ID
			setRetryAfter(w, ae.RetryAfter)
			a.render(w, r, http.StatusTooManyRequests, v)
			return nil
		}
		msg := ae.Message.ID
		if len(ae.Fields) > 0 {
			msg = ae.Fields[0].Message.ID
		}
		return a.imporRefused(w, r, v, msg)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, jobURL(q, job.ID), http.StatusSeeOther)
	return nil
}

// upload is a multipart form of small fields and one file (berkas).
type upload struct {
	fields url.Values
	nama   string
	file   []byte
}

// readUpload reads an upload whose file is at most max bytes; tooLarge
// when it is more (the form says so beside the file).
func readUpload(w http.ResponseWriter, r *http.Request, max int64) (u upload, tooLarge bool, err error) {
	// The file, a few small fields and the multipart framing.
	r.Body = http.MaxBytesReader(w, r.Body, max+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		return u, false, apperr.Invalid(textBadForm)
	}
	u.fields = url.Values{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return u, false, nil
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return u, true, nil
		} else if err != nil {
			return u, false, apperr.Invalid(textBadForm)
		}
		if part.FormName() != "berkas" {
			val, _ := io.ReadAll(io.LimitReader(part, 1<<10))
			u.fields.Add(part.FormName(), string(val))
			continue
		}
		u.nama = fileName(part)
		u.file, err = io.ReadAll(io.LimitReader(part, max+1))
		if errors.As(err, &mbe) || int64(len(u.file)) > max {
			return u, true, nil
		} else if err != nil {
			return u, false, apperr.Invalid(textBadForm)
		}
	}
}

// imporRefused shows the form again with msg beside the file field.
func (a *App) imporRefused(w http.ResponseWriter, r *http.Request, v *imporView, msg string) error {
	v.Galat = map[string]string{"berkas": msg}
	a.render(w, r, http.StatusUnprocessableEntity, v)
	return nil
}

// fileName is the uploaded file's own name (no folders), within the API's
// 200 characters; "impor.csv" when the browser gave none readable.
func fileName(p *multipart.Part) string {
	n := path.Base(strings.ReplaceAll(p.FileName(), "\\", "/"))
	if n == "." || n == "/" || !teks.Clean(n) {
		if p.FileName() == "" {
			return ""
		}
		return "impor.csv"
	}
	if utf8.RuneCountInString(n) > 200 {
		n = string([]rune(n)[:200])
	}
	return n
}

func jobURL(q *Permintaan, id uuid.UUID) string {
	return "/t/" + q.T.Slug + "/pekerjaan/" + id.String()
}

// pekerjaanView is one job: its progress while it runs, its result after.
type pekerjaanView struct {
	Halaman
	Job     pekerjaan.Job
	Jenis   string // in words
	Nama    string // the imported file's name
	UjiCoba bool   // an import that wrote nothing by choice
	Ringkas *umkm.ImportSummary
	// Luar is an agency list's import: its summary and the rows that need
	// a person (luar.go).
	Luar      *luar.Summary
	LuarBaris []luar.RowResult
	Gagal     string // the reason of a failed job
	Masalah   []BarisMasalah
	Laporan   []BarisLaporan // the report's rows shown, filtered
	Hasil     string         // the filter of the report
	Lanjut    string         // the next page of the report; "" on its last
	Baris     int            // rows of an export
	Berjalan  bool           // still queued or running: the page polls
}

// LabelLuar is an agency list row's outcome in words.
func (v *pekerjaanView) LabelLuar(hasil string) string { return label(labelHasilLuar, hasil) }

var labelHasilLuar = map[string]string{luar.HasilNIK: "Cocok menurut NIK", luar.HasilNIB: "Cocok menurut NIB",
	luar.HasilNama: "Cocok menurut nama dan kelurahan", luar.HasilBelumCocok: "Belum cocok", luar.HasilTidakValid: "Tidak valid",
	luar.HasilDuplikat: "Duplikat"}

// BarisMasalah is one problem of a failed job.
type BarisMasalah struct{ Lokasi, Pesan string }

// Persen is the job's progress in whole percent; -1 while its size is not
// known.
// Kemajuan is the progress bar of long work (the kemajuan partial): the
// job, its percentage (-1 while the total is unknown) and the page that
// shows it afresh.
type Kemajuan struct {
	Job    pekerjaan.Job
	Persen int
	Muat   string
}

// Kemajuan is the job's progress bar.
func (v *pekerjaanView) Kemajuan() Kemajuan {
	return Kemajuan{Job: v.Job, Persen: v.Persen(), Muat: "/t/" + v.Kantor.Slug + "/pekerjaan/" + v.Job.ID.String()}
}

func (v *pekerjaanView) Persen() int {
	if v.Job.Total == nil || *v.Job.Total <= 0 {
		return -1
	}
	return min(100, v.Job.Selesai*100 / *v.Job.Total)
}

var jenisPekerjaan = map[string]string{
	"impor_umkm": "Impor UMKM", "ekspor_umkm": "Ekspor UMKM", "ekspor_koperasi": "Ekspor koperasi",
	"reklasifikasi": "Reklasifikasi koperasi", "laporan_reklasifikasi": "Laporan reklasifikasi",
	"bundel_kantor": "Ekspor lengkap kantor", luar.JobKind: "Impor daftar agensi lain",
}

// laporanPageSize: rows of the report on one page.
const laporanPageSize = 100

func (a *App) pekerjaanPage(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return apperr.NotFound()
	}
	in := r.URL.Query()
	v := &pekerjaanView{Hasil: in.Get("hasil")}
	if !validHasil(v.Hasil) {
		v.Hasil = ""
	}
	after, _ := strconv.Atoi(in.Get("dari"))
	all, err := pekerjaan.SeesAll(q.ctx, a.Authz, q.P, q.T.Slug)
	if err != nil {
		return err
	}
	err = a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
		if v.Job, err = pekerjaan.GetFor(q.ctx, tx, id, q.P.UserID, all); err != nil {
			return err
		}
		if v.Job.Jenis != "impor_umkm" || v.Job.Status != pekerjaan.Selesai || v.Job.HasilBerkasID == nil {
			return nil
		}
		f, err := pekerjaan.GetFile(q.ctx, tx, *v.Job.HasilBerkasID)
		if err != nil {
			return err
		}
		v.Laporan, v.Lanjut, err = readReport(f.Isi, v.Hasil, after, laporanPageSize)
		return err
	})
	if err != nil {
		return err
	}
	v.Halaman = q.Halaman(jenisPekerjaan[v.Job.Jenis], "pekerjaan")
	v.Jenis, v.Berjalan = jenisPekerjaan[v.Job.Jenis], v.Job.Status == pekerjaan.Antri || v.Job.Status == pekerjaan.Berjalan
	var param struct {
		umkm.ImportParams
	}
	_ = json.Unmarshal(v.Job.Parameter, &param)
	v.Nama, v.UjiCoba = param.Nama, param.DryRun
	if v.Lanjut != "" {
		next := url.Values{"dari": {v.Lanjut}}
		if v.Hasil != "" {
			next.Set("hasil", v.Hasil)
		}
		v.Lanjut = jobURL(q, id) + "?" + next.Encode()
	}
	switch v.Job.Status {
	case pekerjaan.Selesai:
		if v.Job.Jenis == luar.JobKind {
			var res struct {
				Ringkasan *luar.Summary    `json:"ringkasan_luar"`
				Baris     []luar.RowResult `json:"baris"`
			}
			_ = json.Unmarshal(v.Job.Hasil, &res)
			v.Luar, v.LuarBaris = res.Ringkasan, res.Baris
			break
		}
		var res struct {
			Ringkasan *umkm.ImportSummary `json:"ringkasan"`
			Baris     int                 `json:"baris"`
		}
		_ = json.Unmarshal(v.Job.Hasil, &res)
		v.Ringkas, v.Baris = res.Ringkasan, res.Baris
	case pekerjaan.Gagal:
		var res struct {
			Pesan   string         `json:"pesan"`
			Masalah []BarisMasalah `json:"masalah"`
		}
		_ = json.Unmarshal(v.Job.Hasil, &res)
		v.Gagal, v.Masalah = res.Pesan, res.Masalah
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// terapkan writes an import that ran as a dry run: the same file and
// parameters, written this time.
func (a *App) terapkan(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return terapkanUji(a, w, r, q, "impor_umkm", func(p *umkm.ImportParams) *bool { return &p.DryRun },
		func(tx pgx.Tx, isi []byte, p umkm.ImportParams) (pekerjaan.Job, river.JobArgs, error) {
			return a.UMKM.QueueImport(q.ctx, tx, q.T, isi, p, q.P.UserID)
		})
}

// terapkanUji queues, as written, the dry run of the path: a job of kind
// jenis the caller may see (pekerjaan.SeesAll, as its page), finished, with
// its file. Both imports (the register's, the other agencies' lists) apply
// the same way, so neither takes a job another may not read or a dry run
// whose report is not there yet.
func terapkanUji[P any](a *App, w http.ResponseWriter, r *http.Request, q *Permintaan, jenis string, dry func(*P) *bool,
	queue func(tx pgx.Tx, isi []byte, p P) (pekerjaan.Job, river.JobArgs, error)) error {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return apperr.NotFound()
	}
	all, err := pekerjaan.SeesAll(q.ctx, a.Authz, q.P, q.T.Slug)
	if err != nil {
		return err
	}
	job, err := pekerjaan.Start(q.ctx, a.DB, a.Queue, q.T.ID, func(tx pgx.Tx) (pekerjaan.Job, river.JobArgs, error) {
		uji, err := pekerjaan.GetFor(q.ctx, tx, id, q.P.UserID, all)
		if err != nil {
			return pekerjaan.Job{}, nil, err
		}
		var p P
		if err := json.Unmarshal(uji.Parameter, &p); err != nil || uji.Jenis != jenis || !*dry(&p) || uji.BerkasID == nil {
			return pekerjaan.Job{}, nil, apperr.NotFound()
		}
		if uji.Status != pekerjaan.Selesai {
			return pekerjaan.Job{}, nil, apperr.Conflict(apperr.T("Uji coba belum selesai; terapkan setelah laporannya ada.",
				"The dry run has not finished; apply it once its report exists."), "")
		}
		f, err := pekerjaan.GetFile(q.ctx, tx, *uji.BerkasID)
		if err != nil {
			return pekerjaan.Job{}, nil, err
		}
		*dry(&p) = false
		return queue(tx, f.Isi, p)
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, jobURL(q, job.ID), http.StatusSeeOther)
	return nil
}

// berkas downloads a report or an export, as the API's get-berkas.
func (a *App) berkas(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return apperr.NotFound()
	}
	all, err := pekerjaan.SeesAll(q.ctx, a.Authz, q.P, q.T.Slug)
	if err != nil {
		return err
	}
	var f pekerjaan.File
	err = a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
		f, err = pekerjaan.GetFileFor(q.ctx, tx, id, q.P.UserID, all)
		return err
	})
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", f.JenisIsi)
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Disposition", `attachment; filename="`+url.PathEscape(f.Nama)+`"`)
	h.Set("Content-Length", strconv.Itoa(len(f.Isi)))
	_, err = w.Write(f.Isi)
	return err
}

// pekerjaanListView is "Pekerjaan saya": the caller's latest jobs.
type pekerjaanListView struct {
	Halaman
	Items []BarisPekerjaan
}

// BarisPekerjaan is one job of the list.
type BarisPekerjaan struct {
	pekerjaan.Job
	Jenis, Nama, Tautan string
}

func (a *App) pekerjaanSaya(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	v := &pekerjaanListView{Halaman: q.Halaman("Pekerjaan saya", "pekerjaan")}
	var jobs []pekerjaan.Job
	err := a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
		var err error
		jobs, err = pekerjaan.ListBy(q.ctx, tx, q.P.UserID, 50)
		return err
	})
	if err != nil {
		return err
	}
	for _, j := range jobs {
		var p umkm.ImportParams
		_ = json.Unmarshal(j.Parameter, &p)
		v.Items = append(v.Items, BarisPekerjaan{Job: j, Jenis: jenisPekerjaan[j.Jenis], Nama: p.Nama, Tautan: jobURL(q, j.ID)})
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// ekspor queues an export of the register with the list's filters, as the
// API's export-umkm: personal columns only for roles that read them, a
// petugas' export only of their area.
func (a *App) ekspor(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginForm)
	if err := r.ParseForm(); err != nil {
		return apperr.Invalid(textBadForm)
	}
	reg, err := a.wilayah(q)
	if err != nil {
		return err
	}
	typed := readFilter(r.PostForm)
	if checkFilter(typed, reg) != nil {
		return apperr.Invalid(apperr.T("Saringan pencarian tidak valid; perbaiki pencarian lalu ekspor lagi.",
			"The search filter is invalid; fix the search, then export again."))
	}
	f := typed.filter()
	format := r.PostForm.Get("format")
	if format == "" {
		format = umkm.FormatCSV
	}
	sc, view, err := umkm.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return err
	}
	params := umkm.ExportParams{Format: format, PII: view.PII, Scope: sc, Filter: f}
	job, err := pekerjaan.Start(q.ctx, a.DB, a.Queue, q.T.ID, func(tx pgx.Tx) (pekerjaan.Job, river.JobArgs, error) {
		return a.UMKM.QueueExport(q.ctx, tx, q.T, params, q.P.UserID)
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, jobURL(q, job.ID), http.StatusSeeOther)
	return nil
}
