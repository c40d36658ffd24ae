package program

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/spreadsheet"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Exports as long work, as the register's (pekerjaan jenis ekspor_program
// and ekspor_peserta): the list of programmes with list-program's
// filters, and one programme's participants. A participant list leaves
// the office for an agency, so each export of one is recorded with who
// made it, for which agency and why (program_ekspor), in the transaction
// that queues its job.

// ExportArgs is the River job that writes the list of programmes.
type ExportArgs struct{ pekerjaan.Args }

func (ExportArgs) Kind() string { return "ekspor_program" }

// PesertaExportArgs is the River job that writes a participant list.
type PesertaExportArgs struct{ pekerjaan.Args }

func (PesertaExportArgs) Kind() string { return "ekspor_peserta" }

// ExportParams are what staff chose for the list's export.
type ExportParams struct {
	Filter Filter `json:"filter"`
	Format string `json:"format"`
}

// exportBatch is the rows read per query while an export walks a list.
const exportBatch = 1000

func checkFormat(loc, format string) error {
	if format != spreadsheet.CSV && format != spreadsheet.XLSX {
		return apperr.InvalidField(loc, format, apperr.T("Format harus csv atau xlsx.", "Format must be csv or xlsx."))
	}
	return nil
}

// QueueExport records a queued export of the list in tx; the caller
// enqueues the returned args in the same transaction.
func (s *Service) QueueExport(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, p ExportParams, by uuid.UUID) (pekerjaan.Job, ExportArgs, error) {
	if err := checkFormat("query.format", p.Format); err != nil {
		return pekerjaan.Job{}, ExportArgs{}, err
	}
	if err := p.Filter.check(); err != nil {
		return pekerjaan.Job{}, ExportArgs{}, err
	}
	p.Filter.Cursor, p.Filter.Limit = "", 0
	job, err := pekerjaan.Create(ctx, tx, t.ID, ExportArgs{}.Kind(), p, nil, by)
	return job, ExportArgs{Args: pekerjaan.Args{TenantID: t.ID, PekerjaanID: job.ID}}, err
}

var programColumns = []struct {
	name string
	get  func(p *Program) string
}{
	{"id", func(p *Program) string { return p.ID.String() }},
	{"nama", func(p *Program) string { return p.Nama }},
	{"jenis", func(p *Program) string { return p.Jenis }},
	{"agensi", func(p *Program) string { return p.AgensiNama }},
	{"tahun", func(p *Program) string { return strconv.Itoa(p.Tahun) }},
	{"sumber_dana", func(p *Program) string { return p.SumberDana }},
	{"renja_kode", func(p *Program) string { return deref(p.RenjaKode) }},
	{"renja_indikator", func(p *Program) string { return deref(p.RenjaIndikator) }},
	{"satuan", func(p *Program) string { return p.Satuan }},
	{"target", func(p *Program) string { return strconv.Itoa(p.Target) }},
	{"kuota", func(p *Program) string { return strconv.Itoa(p.Kuota) }},
	{"terisi", func(p *Program) string { return strconv.Itoa(p.Terisi) }},
	{"status", func(p *Program) string { return p.Status }},
	{"aturan_versi", func(p *Program) string { return strconv.Itoa(p.AturanVersi) }},
	{"diarsipkan", func(p *Program) string { return day(p.ArchivedAt) }},
	{"dibuat", func(p *Program) string { return p.CreatedAt.Format(time.DateOnly) }},
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func day(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

// RunExport writes the list's file in tx, the job's own tenant transaction.
func (s *Service) RunExport(ctx context.Context, tx pgx.Tx, tenantID, id uuid.UUID) error {
	var p ExportParams
	slug, done, err := s.startExport(ctx, tx, tenantID, id, &p)
	if err != nil || done {
		return err
	}
	w, err := spreadsheet.NewWriter(p.Format)
	if err != nil {
		return err
	}
	defer w.Close()
	header := make([]string, len(programColumns))
	for i, c := range programColumns {
		header[i] = c.name
	}
	if err := w.Write(header); err != nil {
		return err
	}
	f, n := p.Filter, 0
	f.Limit = exportBatch
	for {
		page, err := listTx(ctx, tx, f)
		if err != nil {
			return err
		}
		for i := range page.Items {
			for j, c := range programColumns {
				header[j] = c.get(&page.Items[i])
			}
			if err := w.Write(header); err != nil {
				return err
			}
		}
		n += len(page.Items)
		if f.Cursor = page.NextCursor; f.Cursor == "" {
			break
		}
	}
	_, err = s.finishExport(ctx, tx, tenantID, id, w, "program-"+slug, p.Format, n)
	return err
}

// startExport reads a queued export's parameters into p and marks it
// running; done when it finished already (a retry after its commit).
func (s *Service) startExport(ctx context.Context, tx pgx.Tx, tenantID, id uuid.UUID, p any) (slug string, done bool, err error) {
	job, err := pekerjaan.Get(ctx, tx, id)
	if err != nil {
		return "", false, err
	}
	if job.Status == pekerjaan.Selesai {
		return "", true, nil
	}
	if err := json.Unmarshal(job.Parameter, p); err != nil {
		return "", false, fmt.Errorf("export %s parameters: %w", id, err)
	}
	// A job knows its tenant by id only.
	if err := tx.QueryRow(ctx, "select slug from tenants where id = $1", tenantID).Scan(&slug); err != nil {
		return "", false, fmt.Errorf("export tenant: %w", err)
	}
	return slug, false, pekerjaan.Progress(ctx, s.DB, tenantID, id, pekerjaan.Berjalan, 0, nil)
}

// finishExport stores the file as name-date.format and records the job done.
func (s *Service) finishExport(ctx context.Context, tx pgx.Tx, tenantID, id uuid.UUID, w *spreadsheet.Writer, name, format string, n int) (uuid.UUID, error) {
	out, err := w.Bytes()
	if err != nil {
		return uuid.Nil, err
	}
	fileID, err := pekerjaan.SaveFile(ctx, tx, tenantID, fmt.Sprintf("%s-%s.%s", name, s.Now().Format("20060102-1504"), format),
		spreadsheet.MIME(format), out, nil)
	if err != nil {
		return uuid.Nil, err
	}
	return fileID, pekerjaan.Finish(ctx, tx, id, n, map[string]any{"baris": n}, &fileID)
}

// PesertaEksporInput is what staff say when they export a participant list.
type PesertaEksporInput struct {
	AgensiID uuid.UUID `json:"agensi_id" doc:"The agency the list is shared with: one of this office's agencies (list-agensi), this office included."`
	Tujuan   string    `json:"tujuan" maxLength:"2000" doc:"Why the list is shared, 10 to 500 characters; recorded with the export." example:"Verifikasi calon penerima bantuan modal Baznas 2026"`
	Format   string    `json:"format,omitempty" enum:"csv,xlsx" doc:"Absent: csv."`
}

// pesertaExportParams are a queued participant export: the programme, the
// sharing log row, and what the exporter may see (decided at queueing).
type pesertaExportParams struct {
	ProgramID uuid.UUID `json:"program_id"`
	EksporID  uuid.UUID `json:"ekspor_id"`
	AgensiID  uuid.UUID `json:"agensi_id"`
	Format    string    `json:"format"`
	View      View      `json:"view"`
}

// PesertaEkspor is one participant list shared, as the sharing log shows it.
type PesertaEkspor struct {
	ID          uuid.UUID `json:"id"`
	ProgramID   uuid.UUID `json:"program_id"`
	AgensiID    uuid.UUID `json:"agensi_id"`
	AgensiNama  string    `json:"agensi_nama"`
	Tujuan      string    `json:"tujuan"`
	Format      string    `json:"format" enum:"csv,xlsx"`
	NIKPenuh    bool      `json:"nik_penuh" doc:"The file carries full NIKs and phone numbers (the exporter may read personal data); otherwise masked."`
	Baris       *int      `json:"baris,omitempty" doc:"Participants in the file, once written."`
	PekerjaanID uuid.UUID `json:"pekerjaan_id"`
	Oleh        uuid.UUID `json:"oleh" doc:"The user who exported it."`
	OlehNama    string    `json:"oleh_nama"`
	CreatedAt   time.Time `json:"created_at"`
}

// QueuePesertaExport checks what staff said, then records the export's
// job, its sharing log row and its audit entry in tx; the caller enqueues
// the returned args in the same transaction, so the log and the job exist
// together or not at all.
func (s *Service) QueuePesertaExport(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, programID uuid.UUID, in PesertaEksporInput, v View, by uuid.UUID) (pekerjaan.Job, PesertaExportArgs, error) {
	if in.Format == "" {
		in.Format = spreadsheet.CSV
	}
	f := &fieldErrs{prefix: "body"}
	if in.AgensiID == uuid.Nil {
		f.add("agensi_id", nil, apperr.T("Pilih agensi penerima daftar.", "Choose the agency receiving the list."))
	}
	tujuan := strings.TrimSpace(in.Tujuan)
	if n := utf8.RuneCountInString(tujuan); n < 10 || n > 500 {
		f.add("tujuan", nil, apperr.T(fmt.Sprintf("Tuliskan tujuan berbagi daftar ini, 10 sampai 500 karakter (sekarang %d).", n),
			fmt.Sprintf("Say why the list is shared, 10 to 500 characters (now %d).", n)))
	} else {
		f.text("tujuan", &tujuan, 500, true)
	}
	if err := checkFormat("body.format", in.Format); err != nil {
		ae, _ := apperr.As(err)
		f.list = append(f.list, ae.Fields...)
	}
	if err := f.err(apperr.T("Ekspor daftar peserta tidak valid. Periksa isian yang disebutkan.", "Invalid participant export. Check the fields listed.")); err != nil {
		return pekerjaan.Job{}, PesertaExportArgs{}, err
	}
	if _, err := getTx(ctx, tx, programID, false); err != nil {
		return pekerjaan.Job{}, PesertaExportArgs{}, err
	}
	if err := agensiLive(ctx, tx, in.AgensiID); err != nil {
		return pekerjaan.Job{}, PesertaExportArgs{}, err
	}
	p := pesertaExportParams{ProgramID: programID, EksporID: uuid.Must(uuid.NewV7()), AgensiID: in.AgensiID, Format: in.Format, View: v}
	job, err := pekerjaan.Create(ctx, tx, t.ID, PesertaExportArgs{}.Kind(), p, nil, by)
	if err != nil {
		return pekerjaan.Job{}, PesertaExportArgs{}, err
	}
	// The file carries what the exporter may read (a petugas': their
	// area's participants only, as ListPeserta).
	penuh := v.PII
	if _, err := tx.Exec(ctx, `insert into program_ekspor (tenant_id, id, program_id, agensi_id, tujuan, pekerjaan_id, format, nik_penuh, oleh, created_at)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, t.ID, p.EksporID, programID, in.AgensiID, tujuan, job.ID, in.Format, penuh, by, s.Now()); err != nil {
		return pekerjaan.Job{}, PesertaExportArgs{}, fmt.Errorf("insert program_ekspor: %w", err)
	}
	if err := audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "export", Entity: "peserta", EntityID: programID.String(),
		After: map[string]any{"ekspor_id": p.EksporID, "agensi_id": in.AgensiID, "tujuan": tujuan, "pekerjaan_id": job.ID,
			"format": in.Format, "nik_penuh": penuh}}); err != nil {
		return pekerjaan.Job{}, PesertaExportArgs{}, err
	}
	return job, PesertaExportArgs{Args: pekerjaan.Args{TenantID: t.ID, PekerjaanID: job.ID}}, nil
}

var pesertaColumns = []string{"id", "pemohon", "nama", "nama_pemilik", "nik", "telepon", "kecamatan_kode", "kelurahan_kode",
	"status", "layak", "dipilih", "selesai_tanggal", "sertifikat_nomor", "mendaftar"}

// RunPesertaExport writes the participant list in tx, the job's own
// tenant transaction, and puts its row count on the sharing log row.
func (s *Service) RunPesertaExport(ctx context.Context, tx pgx.Tx, tenantID, id uuid.UUID) error {
	var p pesertaExportParams
	slug, done, err := s.startExport(ctx, tx, tenantID, id, &p)
	if err != nil || done {
		return err
	}
	if p.View.PII && s.Sealer == nil {
		return fmt.Errorf("export %s: full NIKs without a sealer", id)
	}
	w, err := spreadsheet.NewWriter(p.Format)
	if err != nil {
		return err
	}
	defer w.Close()
	if err := w.Write(pesertaColumns); err != nil {
		return err
	}
	where, args := "x.program_id = $1 and x.id > $2", []any{p.ProgramID, uuid.Nil}
	if len(p.View.Wilayah) > 0 {
		args = append(args, p.View.Wilayah)
		where += " and (coalesce(u.kecamatan_kode, k.kecamatan_kode) = any($3) or coalesce(u.kelurahan_kode, k.kelurahan_kode) = any($3))"
	}
	sql := `select x.id, x.jenis_pemohon, coalesce(u.nama_usaha, k.nama, ''), coalesce(u.nama_pemilik, ''), u.nik_sealed,
		coalesce(u.nik_masked, ''), coalesce(u.telepon, ''), coalesce(u.kecamatan_kode, k.kecamatan_kode, ''),
		coalesce(u.kelurahan_kode, k.kelurahan_kode, ''), x.status, x.layak, x.dipilih_at, x.selesai_tanggal,
		coalesce(x.sertifikat_nomor, ''), x.created_at
		from peserta x left join umkm u on u.id = x.umkm_id left join koperasi k on k.id = x.koperasi_id
		where ` + where + fmt.Sprintf(" order by x.id limit %d", exportBatch)
	n := 0
	for {
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return fmt.Errorf("export peserta: %w", err)
		}
		cells, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([]string, error) {
			var (
				id                                          uuid.UUID
				pemohon, nama, pemilik, masked, tel, kc, kl string
				status, sertifikat                          string
				sealed                                      []byte
				layak                                       *bool
				dipilih                                     *time.Time
				selesai                                     *time.Time
				dibuat                                      time.Time
			)
			if err := r.Scan(&id, &pemohon, &nama, &pemilik, &sealed, &masked, &tel, &kc, &kl, &status, &layak, &dipilih, &selesai,
				&sertifikat, &dibuat); err != nil {
				return nil, err
			}
			nik := masked
			if p.View.PII && sealed != nil {
				if nik, err = s.Sealer.Open(tenantID, sealed); err != nil {
					return nil, fmt.Errorf("open sealed nik of peserta %s: %w", id, err)
				}
			}
			if !p.View.PII {
				pemilik, tel = pii.Name(pemilik), pii.Phone(tel)
			}
			lk := ""
			if layak != nil {
				lk = strconv.FormatBool(*layak)
			}
			return []string{id.String(), pemohon, nama, pemilik, nik, tel, kc, kl, status, lk, day(dipilih), day(selesai), sertifikat,
				dibuat.Format(time.DateOnly)}, nil
		})
		if err != nil {
			return err
		}
		for _, c := range cells {
			if err := w.Write(c); err != nil {
				return err
			}
		}
		n += len(cells)
		if len(cells) < exportBatch {
			break
		}
		last, _ := uuid.Parse(cells[len(cells)-1][0])
		args[1] = last
	}
	if _, err := s.finishExport(ctx, tx, tenantID, id, w, "peserta-"+slug, p.Format, n); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `update program_ekspor set baris = $2 where pekerjaan_id = $1`, id, n)
	return err
}

// ListEkspor is the sharing log of a programme, newest first, at most
// limit rows. An unknown programme is 404.
func (s *Service) ListEkspor(ctx context.Context, t *tenancy.Tenant, programID uuid.UUID, limit int) ([]PesertaEkspor, error) {
	out := []PesertaEkspor{}
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if _, err := getTx(ctx, tx, programID, false); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `select e.id, e.program_id, e.agensi_id, a.nama, e.tujuan, e.format, e.nik_penuh, e.baris,
				e.pekerjaan_id, e.oleh, coalesce(us.name, ''), e.created_at
			from program_ekspor e join agensi a on a.id = e.agensi_id left join users us on us.id = e.oleh
			where e.program_id = $1 order by e.created_at desc, e.id desc limit $2`, programID, limit)
		if err != nil {
			return fmt.Errorf("list program_ekspor: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (PesertaEkspor, error) {
			var e PesertaEkspor
			err := r.Scan(&e.ID, &e.ProgramID, &e.AgensiID, &e.AgensiNama, &e.Tujuan, &e.Format, &e.NIKPenuh, &e.Baris,
				&e.PekerjaanID, &e.Oleh, &e.OlehNama, &e.CreatedAt)
			return e, err
		})
		return err
	})
	if out == nil {
		out = []PesertaEkspor{}
	}
	return out, err
}
