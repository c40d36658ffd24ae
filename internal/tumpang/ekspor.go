package tumpang

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/spreadsheet"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// The never-helped as an invitation list (pekerjaan jenis
// ekspor_belum_pernah): the list's filters and order (those waiting
// longest first), with who to invite and where; the phone masked, as an
// invitation list is passed around the office and to kelurahan staff.

// ExportArgs is the River job that writes the invitation list.
type ExportArgs struct{ pekerjaan.Args }

func (ExportArgs) Kind() string { return "ekspor_belum_pernah" }

// ExportParams are what staff chose, and what they may see (decided when
// it was queued).
type ExportParams struct {
	Filter Filter `json:"filter"`
	Format string `json:"format"`
	View   View   `json:"view"`
}

// QueueExport checks the filters and records the queued export, with its
// audit entry, in tx; the caller enqueues the returned args in the same
// transaction.
func (s *Service) QueueExport(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, p ExportParams, by uuid.UUID) (pekerjaan.Job, ExportArgs, error) {
	if p.Format != spreadsheet.CSV && p.Format != spreadsheet.XLSX {
		return pekerjaan.Job{}, ExportArgs{}, apperr.InvalidField("query.format", p.Format, apperr.T("Format harus csv atau xlsx.", "Format must be csv or xlsx."))
	}
	if _, _, err := p.Filter.where(p.View); err != nil {
		return pekerjaan.Job{}, ExportArgs{}, err
	}
	p.Filter.Cursor, p.Filter.Limit = "", 0
	job, err := pekerjaan.Create(ctx, tx, t.ID, ExportArgs{}.Kind(), p, nil, by)
	if err != nil {
		return pekerjaan.Job{}, ExportArgs{}, err
	}
	f := p.Filter
	err = audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "export", Entity: "belum_pernah", EntityID: job.ID.String(),
		After: map[string]any{"format": p.Format, "kecamatan": f.Kecamatan, "kelurahan": f.Kelurahan, "sektor": f.Sektor, "skala": f.Skala,
			"jenis_kelamin": f.JenisKelamin, "status_binaan": f.StatusBinaan}})
	return job, ExportArgs{Args: pekerjaan.Args{TenantID: t.ID, PekerjaanID: job.ID}}, err
}

var belumColumns = []struct {
	name string
	get  func(u *Usaha) string
}{
	{"id", func(u *Usaha) string { return u.ID.String() }},
	{"nama_usaha", func(u *Usaha) string { return u.NamaUsaha }},
	{"nama_pemilik", func(u *Usaha) string { return u.NamaPemilik }},
	{"telepon", func(u *Usaha) string { return u.telepon }},
	{"kelurahan", func(u *Usaha) string { return u.Kelurahan }},
	{"kecamatan", func(u *Usaha) string { return u.Kecamatan }},
	{"kelurahan_kode", func(u *Usaha) string { return u.KelurahanKode }},
	{"kecamatan_kode", func(u *Usaha) string { return u.KecamatanKode }},
	{"sektor", func(u *Usaha) string { return u.Sektor }},
	{"skala", func(u *Usaha) string {
		if u.Skala == nil {
			return ""
		}
		return *u.Skala
	}},
	{"status_binaan", func(u *Usaha) string { return u.StatusBinaan }},
	{"terdaftar", func(u *Usaha) string { return u.Terdaftar.Format(time.DateOnly) }},
}

// RunExport writes the invitation list in tx, the job's own tenant
// transaction.
func (s *Service) RunExport(ctx context.Context, tx pgx.Tx, tenantID, id uuid.UUID) error {
	job, err := pekerjaan.Get(ctx, tx, id)
	if err != nil || job.Status == pekerjaan.Selesai {
		return err
	}
	var p ExportParams
	if err := json.Unmarshal(job.Parameter, &p); err != nil {
		return fmt.Errorf("export %s parameters: %w", id, err)
	}
	var slug string
	if err := tx.QueryRow(ctx, "select slug from tenants where id = $1", tenantID).Scan(&slug); err != nil {
		return fmt.Errorf("export tenant: %w", err)
	}
	if err := pekerjaan.Progress(ctx, s.DB, tenantID, id, pekerjaan.Berjalan, 0, nil); err != nil {
		return err
	}
	w, err := spreadsheet.NewWriter(p.Format)
	if err != nil {
		return err
	}
	defer w.Close()
	cells := make([]string, len(belumColumns))
	for i, c := range belumColumns {
		cells[i] = c.name
	}
	if err := w.Write(cells); err != nil {
		return err
	}
	f, n := p.Filter, 0
	f.Limit = 1000
	for {
		page, err := belumTx(ctx, tx, f, p.View)
		if err != nil {
			return err
		}
		for i := range page.Items {
			for j, c := range belumColumns {
				cells[j] = c.get(&page.Items[i])
			}
			if err := w.Write(cells); err != nil {
				return err
			}
		}
		n += len(page.Items)
		if f.Cursor = page.NextCursor; f.Cursor == "" {
			break
		}
	}
	out, err := w.Bytes()
	if err != nil {
		return err
	}
	fileID, err := pekerjaan.SaveFile(ctx, tx, tenantID, fmt.Sprintf("belum-pernah-%s-%s.%s", slug, s.Now().Format("20060102-1504"), p.Format),
		spreadsheet.MIME(p.Format), out, nil)
	if err != nil {
		return err
	}
	return pekerjaan.Finish(ctx, tx, id, n, map[string]any{"baris": n}, &fileID)
}
