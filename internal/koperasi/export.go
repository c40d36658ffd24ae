package koperasi

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/spreadsheet"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Export of a filtered list to CSV or XLSX, as a River job with progress
// (pekerjaan jenis ekspor_koperasi).

// ExportArgs is the River job that produces an export file.
type ExportArgs struct{ pekerjaan.Args }

func (ExportArgs) Kind() string { return "ekspor_koperasi" }

// ExportParams are what staff chose for an export, and what the caller may
// see (decided by their role when it was queued).
type ExportParams struct {
	Filter Filter `json:"filter"`
	Format string `json:"format"` // csv or xlsx
	View   View   `json:"view"`
}

// extra is what a row of the export shows beyond the record.
type extra struct {
	ketua string // names of the serving ketua
	unit  string // kinds of the active business units
}

// exportColumns are the export's columns; pii marks personal data (street
// address, the ketua's name), written only for callers who may see it.
var exportColumns = []struct {
	name string
	pii  bool
	get  func(r *Koperasi, x extra) string
}{
	{"id", false, func(r *Koperasi, _ extra) string { return r.ID.String() }},
	{"nama", false, func(r *Koperasi, _ extra) string { return r.Nama }},
	{"nik_koperasi", false, func(r *Koperasi, _ extra) string { return deref(r.NIKKoperasi) }},
	{"nik_berlaku_sampai", false, func(r *Koperasi, _ extra) string { return deref(r.NIKBerlakuSampai) }},
	{"badan_hukum_nomor", false, func(r *Koperasi, _ extra) string { return deref(r.BadanHukumNomor) }},
	{"badan_hukum_tanggal", false, func(r *Koperasi, _ extra) string { return deref(r.BadanHukumTanggal) }},
	{"perubahan_ad_nomor", false, func(r *Koperasi, _ extra) string { return deref(r.PerubahanADNomor) }},
	{"perubahan_ad_tanggal", false, func(r *Koperasi, _ extra) string { return deref(r.PerubahanADTanggal) }},
	{"bentuk", false, func(r *Koperasi, _ extra) string { return r.Bentuk }},
	{"jenis", false, func(r *Koperasi, _ extra) string { return deref(r.Jenis) }},
	{"kelompok", false, func(r *Koperasi, _ extra) string { return deref(r.Kelompok) }},
	{"sektor", false, func(r *Koperasi, _ extra) string { return deref(r.Sektor) }},
	{"alamat", true, func(r *Koperasi, _ extra) string { return deref(r.Alamat) }},
	{"kecamatan_kode", false, func(r *Koperasi, _ extra) string { return r.KecamatanKode }},
	{"kelurahan_kode", false, func(r *Koperasi, _ extra) string { return r.KelurahanKode }},
	{"anggota_laki", false, func(r *Koperasi, _ extra) string { return strconv.Itoa(r.AnggotaLaki) }},
	{"anggota_perempuan", false, func(r *Koperasi, _ extra) string { return strconv.Itoa(r.AnggotaPerempuan) }},
	{"karyawan", false, func(r *Koperasi, _ extra) string { return strconv.Itoa(r.Karyawan) }},
	{"aktif", false, func(r *Koperasi, _ extra) string { return strconv.FormatBool(r.Aktif) }},
	{"unit_toko", false, func(r *Koperasi, _ extra) string { return strconv.FormatBool(r.UnitToko) }},
	{"pembukuan_digital", false, func(r *Koperasi, _ extra) string { return strconv.FormatBool(r.PembukuanDigital) }},
	{"pilot", false, func(r *Koperasi, _ extra) string { return strconv.FormatBool(r.Pilot) }},
	{"peringkat", false, func(r *Koperasi, _ extra) string { return deref(r.Peringkat) }},
	{"unit_usaha", false, func(_ *Koperasi, x extra) string { return x.unit }},
	{"ketua", true, func(_ *Koperasi, x extra) string { return x.ketua }},
	{"rat_terakhir", false, func(r *Koperasi, _ extra) string { return deref(r.RATTerakhir) }},
	{"rat_terlambat", false, func(r *Koperasi, _ extra) string { return strconv.FormatBool(r.RATTerlambat) }},
	{"kesehatan_predikat", false, func(r *Koperasi, _ extra) string { return deref(r.KesehatanPredikat) }},
	{"kesehatan_tahun", false, func(r *Koperasi, _ extra) string {
		if r.KesehatanTahun == nil {
			return ""
		}
		return strconv.Itoa(*r.KesehatanTahun)
	}},
	{"terdaftar", false, func(r *Koperasi, _ extra) string { return r.CreatedAt.Format(time.DateOnly) }},
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// extras reads the ketua and unit kinds of a page's cooperatives.
func extras(ctx context.Context, tx pgx.Tx, ids []uuid.UUID, today time.Time) (map[uuid.UUID]extra, error) {
	rows, err := tx.Query(ctx, `select k.id,
			coalesce((select string_agg(p.nama, '; ' order by p.id) from koperasi_pengurus p
				where p.koperasi_id = k.id and p.jabatan = 'ketua' and (p.selesai is null or p.selesai >= $2)), ''),
			coalesce((select string_agg(distinct u.jenis_unit, ', ') from koperasi_unit u where u.koperasi_id = k.id and u.aktif), '')
		from koperasi k where k.id = any($1)`, ids, today)
	if err != nil {
		return nil, fmt.Errorf("export extras: %w", err)
	}
	out := map[uuid.UUID]extra{}
	var id uuid.UUID
	var x extra
	_, err = pgx.ForEachRow(rows, []any{&id, &x.ketua, &x.unit}, func() error { out[id] = x; return nil })
	return out, err
}

// export writes every cooperative matching p, page by page (keyset).
func (s *Service) export(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, p ExportParams, progress func(int)) ([]byte, int, error) {
	today, err := t.Today(s.Now())
	if err != nil {
		return nil, 0, err
	}
	w, err := spreadsheet.NewWriter(p.Format)
	if err != nil {
		return nil, 0, err
	}
	defer w.Close()
	var header []string
	for _, c := range exportColumns {
		if !c.pii || p.View.PII {
			header = append(header, c.name)
		}
	}
	if err := w.Write(header); err != nil {
		return nil, 0, err
	}
	f := p.Filter
	f.Limit, f.Cursor, f.allMatches = 1000, "", true
	n := 0
	cells := make([]string, 0, len(header))
	for {
		page, err := s.listTx(ctx, tx, t, f)
		if err != nil {
			return nil, 0, err
		}
		ids := make([]uuid.UUID, len(page.Items))
		for i := range page.Items {
			ids[i] = page.Items[i].ID
		}
		xs, err := extras(ctx, tx, ids, today)
		if err != nil {
			return nil, 0, err
		}
		for i := range page.Items {
			r := &page.Items[i]
			x := xs[r.ID]
			if !p.View.Sees(r) {
				x.ketua = "" // a petugas outside their area
			}
			Present(r, p.View)
			cells = cells[:0]
			for _, c := range exportColumns {
				if !c.pii || p.View.PII {
					cells = append(cells, c.get(r, x))
				}
			}
			if err := w.Write(cells); err != nil {
				return nil, 0, err
			}
		}
		n += len(page.Items)
		if progress != nil && len(page.Items) > 0 {
			progress(n)
		}
		if page.NextCursor == "" {
			break
		}
		f.Cursor = page.NextCursor
	}
	out, err := w.Bytes()
	return out, n, err
}

// QueueExport records a queued export in tx; the caller enqueues the
// returned args in the same transaction.
func (s *Service) QueueExport(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, p ExportParams, by uuid.UUID) (pekerjaan.Job, ExportArgs, error) {
	if p.Format != spreadsheet.CSV && p.Format != spreadsheet.XLSX {
		return pekerjaan.Job{}, ExportArgs{}, apperr.InvalidField("query.format", p.Format, apperr.T("Format harus csv atau xlsx.", "Format must be csv or xlsx."))
	}
	if err := checkFilter(p.Filter); err != nil {
		return pekerjaan.Job{}, ExportArgs{}, err
	}
	job, err := pekerjaan.Create(ctx, tx, t.ID, "ekspor_koperasi", p, nil, by)
	return job, ExportArgs{Args: pekerjaan.Args{TenantID: t.ID, PekerjaanID: job.ID}}, err
}

// RunExport writes the export file in tx, the job's own tenant transaction.
// Progress (rows written) is recorded in short transactions of its own, so
// it shows while the export runs.
func (s *Service) RunExport(ctx context.Context, tx pgx.Tx, tenantID, id uuid.UUID) error {
	job, err := pekerjaan.Get(ctx, tx, id)
	if err != nil {
		return err
	}
	if job.Status == pekerjaan.Selesai {
		return nil
	}
	var p ExportParams
	if err := json.Unmarshal(job.Parameter, &p); err != nil {
		return fmt.Errorf("export %s parameters: %w", id, err)
	}
	// A job knows its tenant by id only.
	t := &tenancy.Tenant{ID: tenantID}
	if err := tx.QueryRow(ctx, "select slug, timezone from tenants where id = $1", tenantID).Scan(&t.Slug, &t.TimeZone); err != nil {
		return fmt.Errorf("export tenant: %w", err)
	}
	if err := pekerjaan.Progress(ctx, s.DB, tenantID, id, pekerjaan.Berjalan, 0, nil); err != nil {
		return err
	}
	out, n, err := s.export(ctx, tx, t, p, func(done int) {
		if err := pekerjaan.Progress(ctx, s.DB, tenantID, id, pekerjaan.Berjalan, done, nil); err != nil {
			s.Logger.WarnContext(ctx, "export progress", "error", err)
		}
	})
	if err != nil {
		return err
	}
	name := fmt.Sprintf("koperasi-%s-%s.%s", t.Slug, s.Now().Format("20060102-1504"), p.Format)
	fileID, err := pekerjaan.SaveFile(ctx, tx, tenantID, name, spreadsheet.MIME(p.Format), out, nil)
	if err != nil {
		return err
	}
	return pekerjaan.Finish(ctx, tx, id, n, map[string]any{"baris": n}, &fileID)
}
