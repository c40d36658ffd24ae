package web

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/program"
	"github.com/sentra-id/sentra/internal/tumpang"
)

// The programmes' exports from their pages, through the API's actions
// (export-program, export-peserta, export-belum-pernah): each queues its
// job and opens the job's page, which shows the progress and the file.

var textSaringanEkspor = apperr.T("Saringan pencarian tidak valid; perbaiki pencarian lalu ekspor lagi.",
	"The search filter is invalid; fix the search, then export again.")

func eksporFormat(r *http.Request) string {
	if f := r.PostForm.Get("format"); f != "" {
		return f
	}
	return "csv"
}

// startEkspor queues an export and opens its job's page.
func (a *App) startEkspor(w http.ResponseWriter, r *http.Request, q *Permintaan, queue func(pgx.Tx) (pekerjaan.Job, river.JobArgs, error)) error {
	job, err := pekerjaan.Start(q.ctx, a.DB, a.Queue, q.T.ID, queue)
	if err != nil {
		return err
	}
	http.Redirect(w, r, jobURL(q, job.ID), http.StatusSeeOther)
	return nil
}

// eksporProgram exports the list of programmes as filtered.
func (a *App) eksporProgram(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f, g := readProgramFilter(r.PostForm).check()
	if g != nil {
		return apperr.Invalid(textSaringanEkspor)
	}
	p := program.ExportParams{Filter: f, Format: eksporFormat(r)}
	return a.startEkspor(w, r, q, func(tx pgx.Tx) (pekerjaan.Job, river.JobArgs, error) {
		return a.Program.QueueExport(q.ctx, tx, q.T, p, q.P.UserID)
	})
}

// eksporBelumPernah exports the never-helped as filtered, as an
// invitation list.
func (a *App) eksporBelumPernah(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	in := r.PostForm
	view, err := a.tumpangView(q)
	if err != nil {
		return err
	}
	p := tumpang.ExportParams{Format: eksporFormat(r), View: view, Filter: tumpang.Filter{Kecamatan: in.Get("kecamatan"),
		Kelurahan: in.Get("kelurahan"), Sektor: in.Get("sektor"), Skala: in.Get("skala"), JenisKelamin: in.Get("jenis_kelamin"),
		StatusBinaan: in.Get("status_binaan")}}
	err = a.startEkspor(w, r, q, func(tx pgx.Tx) (pekerjaan.Job, river.JobArgs, error) {
		return a.Tumpang.QueueExport(q.ctx, tx, q.T, p, q.P.UserID)
	})
	if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindInvalid && len(ae.Fields) > 0 && ae.Fields[0].Location != "query.format" {
		return apperr.Invalid(textSaringanEkspor)
	}
	return err
}

// eksporPeserta exports a programme's participants for an agency; a
// refusal (no agency, a short purpose) shows beside its field on the
// programme's page, with what was typed.
func (a *App) eksporPeserta(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	var job pekerjaan.Job
	return a.langkahKe(w, r, q, "ekspor-", func(id uuid.UUID) (string, error) {
		in := program.PesertaEksporInput{Tujuan: r.PostForm.Get("tujuan"), Format: eksporFormat(r)}
		if s := r.PostForm.Get("agensi_id"); s != "" {
			ag, err := uuid.Parse(s)
			if err != nil {
				return "", apperr.InvalidField("body.agensi_id", s, apperr.T("Pilih agensi dari daftar.", "Pick an agency from the list."))
			}
			in.AgensiID = ag
		}
		view, err := program.Access(q.ctx, a.Authz, q.P, q.T)
		if err != nil {
			return "", err
		}
		job, err = pekerjaan.Start(q.ctx, a.DB, a.Queue, q.T.ID, func(tx pgx.Tx) (pekerjaan.Job, river.JobArgs, error) {
			return a.Program.QueuePesertaExport(q.ctx, tx, q.T, id, in, view, q.P.UserID)
		})
		return jobURL(q, job.ID), err
	})
}

func (a *App) programEksporRoutes() {
	a.kantor("POST /t/{tenant}/program/ekspor", "export-program", a.eksporProgram)
	a.kantor("POST /t/{tenant}/program/belum-pernah/ekspor", "export-belum-pernah", a.eksporBelumPernah)
	a.kantor("POST /t/{tenant}/program/{id}/peserta/ekspor", "export-peserta", a.eksporPeserta)
}

// eksporShown bounds the sharing log on the programme's page.
const eksporShown = 50

// isiEkspor fills the participant export's agencies and the sharing log,
// for those who may see them.
func (a *App) isiEkspor(q *Permintaan, id uuid.UUID, v *programRekamView) error {
	if q.Can("export-peserta") {
		agensi, err := a.Program.ListAgensi(q.ctx, q.T, false)
		if err != nil {
			return err
		}
		for _, ag := range agensi {
			v.AgensiOpsi = append(v.AgensiOpsi, Opsi{Nilai: ag.ID.String(), Label: ag.Nama})
		}
	}
	if !q.Can("list-peserta-ekspor") {
		return nil
	}
	var err error
	v.Ekspor, err = a.Program.ListEkspor(q.ctx, q.T, id, eksporShown)
	return err
}
