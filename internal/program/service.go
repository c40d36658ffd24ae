package program

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/keyset"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Service is the office's programmes and their participants.
type Service struct {
	DB     *db.DB
	Logger *slog.Logger
	Now    func() time.Time
	// Tumpang is the overlap check a selection must pass; without it a
	// selection is refused rather than made unchecked.
	Tumpang Tumpang
	// Sealer opens the NIKs a participant export carries in full.
	Sealer *pii.Sealer
}

// Tumpang is the overlap check the selection runs in its own transaction
// (tumpang.Service, composed by the app layer: domain packages do not
// import each other). SeleksiTx answers how many participations of the
// same kind still need an admin's override and from which agencies; zero
// when the candidate may be selected.
type Tumpang interface {
	SeleksiTx(ctx context.Context, tx pgx.Tx, programID, pesertaID uuid.UUID) (int, []string, error)
}

const programCols = `p.id, p.nama, p.jenis, p.agensi_id, a.nama, p.tahun, p.sumber_dana, p.renja_kode, p.renja_indikator, p.satuan,
	p.target, p.kuota, p.terisi, p.status, p.keterangan, p.aturan, p.aturan_versi, p.archived_at, p.created_at, p.updated_at, p.version`

const programFrom = ` from program p join agensi a on a.id = p.agensi_id`

func scanProgram(row pgx.Row, extra ...any) (Program, error) {
	var p Program
	var tahun int16
	var aturan []byte
	err := row.Scan(append([]any{&p.ID, &p.Nama, &p.Jenis, &p.AgensiID, &p.AgensiNama, &tahun, &p.SumberDana, &p.RenjaKode,
		&p.RenjaIndikator, &p.Satuan, &p.Target, &p.Kuota, &p.Terisi, &p.Status, &p.Keterangan, &aturan, &p.AturanVersi,
		&p.ArchivedAt, &p.CreatedAt, &p.UpdatedAt, &p.Version}, extra...)...)
	if err != nil {
		return Program{}, err
	}
	p.Tahun = int(tahun)
	if err := json.Unmarshal(aturan, &p.Aturan); err != nil {
		return Program{}, fmt.Errorf("program %s aturan: %w", p.ID, err)
	}
	return p, nil
}

func getTx(ctx context.Context, tx pgx.Tx, id uuid.UUID, forUpdate bool) (Program, error) {
	sql := "select " + programCols + programFrom + " where p.id = $1"
	if forUpdate {
		sql += " for update of p"
	}
	p, err := scanProgram(tx.QueryRow(ctx, sql, id))
	return p, db.MapError(err)
}

// Get returns a programme with its sessions.
func (s *Service) Get(ctx context.Context, t *tenancy.Tenant, id uuid.UUID) (Detail, error) {
	var d Detail
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var err error
		d, err = detailTx(ctx, tx, id, false)
		return err
	})
	return d, err
}

func detailTx(ctx context.Context, tx pgx.Tx, id uuid.UUID, forUpdate bool) (Detail, error) {
	p, err := getTx(ctx, tx, id, forUpdate)
	if err != nil {
		return Detail{}, err
	}
	sesi, err := sesiTx(ctx, tx, id)
	return Detail{Program: p, Sesi: sesi}, err
}

// agensiLive checks that id is a live agency of the tenant, as field.
func agensiLive(ctx context.Context, tx pgx.Tx, id uuid.UUID) error {
	var ok bool
	if err := tx.QueryRow(ctx, `select exists (select 1 from agensi where id = $1 and archived_at is null)`, id).Scan(&ok); err != nil {
		return fmt.Errorf("check agensi: %w", err)
	}
	if !ok {
		return apperr.InvalidField("body.agensi_id", id, apperr.T("Agensi tidak ditemukan di kantor ini.", "No such agency in this office."))
	}
	return nil
}

// CreateTx registers a programme in tx; its rules are version 1.
func (s *Service) CreateTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, in Input) (Detail, error) {
	in, err := validate(in)
	if err != nil {
		return Detail{}, err
	}
	if err := agensiLive(ctx, tx, in.AgensiID); err != nil {
		return Detail{}, err
	}
	id := uuid.Must(uuid.NewV7())
	now := s.Now()
	aturan, _ := json.Marshal(in.Aturan)
	if _, err := tx.Exec(ctx, `insert into program (tenant_id, id, nama, jenis, agensi_id, tahun, sumber_dana, renja_kode, renja_indikator,
			satuan, target, kuota, status, keterangan, aturan, created_at, updated_at)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)`,
		t.ID, id, in.Nama, in.Jenis, in.AgensiID, in.Tahun, in.SumberDana, in.RenjaKode, in.RenjaIndikator, in.Satuan,
		in.Target, in.Kuota, in.Status, in.Keterangan, aturan, now); err != nil {
		return Detail{}, db.MapError(fmt.Errorf("insert program: %w", err))
	}
	if err := saveAturan(ctx, tx, t.ID, id, 1, aturan); err != nil {
		return Detail{}, err
	}
	d, err := detailTx(ctx, tx, id, false)
	if err != nil {
		return Detail{}, err
	}
	return d, audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "program", EntityID: id.String(), After: d.Program})
}

func saveAturan(ctx context.Context, tx pgx.Tx, tenantID, programID uuid.UUID, versi int, aturan []byte) error {
	_, err := tx.Exec(ctx, `insert into program_aturan (tenant_id, program_id, versi, aturan, dibuat_oleh) values ($1, $2, $3, $4, $5)`,
		tenantID, programID, versi, aturan, actor(ctx))
	if err != nil {
		return fmt.Errorf("insert program_aturan: %w", err)
	}
	return nil
}

// lockLive locks a live programme and checks its version (0: any).
func lockLive(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, id uuid.UUID, version int64) (Program, error) {
	p, err := getTx(ctx, tx, id, true)
	if err != nil {
		return Program{}, err
	}
	if p.ArchivedAt != nil {
		return Program{}, apperr.Conflict(apperr.T("Program sudah diarsipkan.", "The programme is archived."), Path(t.Slug, id))
	}
	if version != 0 && p.Version != version {
		return Program{}, apperr.PreconditionFailed()
	}
	return p, nil
}

// Update replaces a programme's fields if version is current. A changed
// rule set becomes the next version; decisions already taken keep theirs.
func (s *Service) Update(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64, in Input) (Detail, error) {
	in, err := validate(in)
	if err != nil {
		return Detail{}, err
	}
	var d Detail
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := lockLive(ctx, tx, t, id, version)
		if err != nil {
			return err
		}
		if in.AgensiID != before.AgensiID {
			if err := agensiLive(ctx, tx, in.AgensiID); err != nil {
				return err
			}
		}
		if in.Kuota < before.Terisi {
			return apperr.InvalidField("body.kuota", in.Kuota, apperr.T(
				fmt.Sprintf("Kuota tidak boleh kurang dari peserta terpilih (%d).", before.Terisi),
				fmt.Sprintf("The quota cannot be below the participants selected (%d).", before.Terisi)))
		}
		versi := before.AturanVersi
		aturan, _ := json.Marshal(in.Aturan)
		if !reflect.DeepEqual(in.Aturan, before.Aturan) {
			versi++
			if err := saveAturan(ctx, tx, t.ID, id, versi, aturan); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `update program set nama = $2, jenis = $3, agensi_id = $4, tahun = $5, sumber_dana = $6, renja_kode = $7,
				renja_indikator = $8, satuan = $9, target = $10, kuota = $11, status = $12, keterangan = $13, aturan = $14,
				aturan_versi = $15, version = version + 1, updated_at = $16 where id = $1`,
			id, in.Nama, in.Jenis, in.AgensiID, in.Tahun, in.SumberDana, in.RenjaKode, in.RenjaIndikator, in.Satuan, in.Target,
			in.Kuota, in.Status, in.Keterangan, aturan, versi, s.Now()); err != nil {
			return db.MapError(fmt.Errorf("update program: %w", err))
		}
		if d, err = detailTx(ctx, tx, id, false); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "update", Entity: "program", EntityID: id.String(), Before: before, After: d.Program})
	})
	return d, err
}

// Archive takes a programme out of lists; its participations stay as
// history (and as evidence for later rules).
func (s *Service) Archive(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64) (Detail, error) {
	var d Detail
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if _, err := lockLive(ctx, tx, t, id, version); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `update program set archived_at = $2, version = version + 1, updated_at = $2 where id = $1`, id, s.Now()); err != nil {
			return fmt.Errorf("archive program: %w", err)
		}
		var err error
		if d, err = detailTx(ctx, tx, id, false); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "archive", Entity: "program", EntityID: id.String(), After: d.Program})
	})
	return d, err
}

// Filter narrows the list of programmes.
type Filter struct {
	Jenis    string
	AgensiID uuid.UUID
	Tahun    int
	Status   string
	Q        string // words of the name, typos tolerated
	Arsip    bool
	Cursor   string
	Limit    int
}

// Page is a page of programmes, newest first.
type Page struct {
	Items      []Program
	NextCursor string
}

// check refuses a filter list-program would refuse (the API's names).
func (f Filter) check() error {
	fe := &fieldErrs{prefix: "query"}
	if f.Jenis != "" {
		fe.oneOf("jenis", f.Jenis, AllJenis)
	}
	if f.Status != "" {
		fe.oneOf("status", f.Status, AllStatus)
	}
	if _, err := keyset.Decode(f.Cursor); err != nil {
		return err
	}
	return fe.err(apperr.T("Filter tidak valid.", "Invalid filter."))
}

// List returns a page of the tenant's programmes, newest first.
func (s *Service) List(ctx context.Context, t *tenancy.Tenant, f Filter) (Page, error) {
	if err := f.check(); err != nil {
		return Page{}, err
	}
	var page Page
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var err error
		page, err = listTx(ctx, tx, f)
		return err
	})
	return page, err
}

// listTx is List in tx (the export walks every page in its job's
// transaction); f has been checked.
func listTx(ctx context.Context, tx pgx.Tx, f Filter) (Page, error) {
	cur, err := keyset.Decode(f.Cursor)
	if err != nil {
		return Page{}, err
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	var (
		where []string
		args  []any
	)
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if f.Jenis != "" {
		where = append(where, "p.jenis = "+arg(f.Jenis))
	}
	if f.AgensiID != uuid.Nil {
		where = append(where, "p.agensi_id = "+arg(f.AgensiID))
	}
	if f.Tahun != 0 {
		where = append(where, "p.tahun = "+arg(f.Tahun))
	}
	if f.Status != "" {
		where = append(where, "p.status = "+arg(f.Status))
	}
	if !f.Arsip {
		where = append(where, "p.archived_at is null")
	}
	words := strings.Fields(strings.ToLower(f.Q))
	for _, w := range words[:min(len(words), 5)] {
		where = append(where, arg(w)+" <% p.cari")
	}
	if cur != nil {
		where = append(where, "p.id < "+arg(cur.ID))
	}
	sql := "select " + programCols + programFrom
	if len(where) > 0 {
		sql += " where " + strings.Join(where, " and ")
	}
	sql += " order by p.id desc limit " + arg(f.Limit+1)
	var page Page
	if len(words) > 0 {
		if _, err := tx.Exec(ctx, db.TrigramSearch); err != nil {
			return Page{}, err
		}
	}
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return Page{}, fmt.Errorf("list program: %w", err)
	}
	if page.Items, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Program, error) { return scanProgram(r) }); err != nil {
		return Page{}, err
	}
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		page.NextCursor = keyset.Encode(keyset.Cursor{ID: page.Items[f.Limit-1].ID})
	}
	return page, nil
}

// actor is the calling user, for the columns that say who did something.
func actor(ctx context.Context) *uuid.UUID {
	if p, ok := tenancy.PrincipalFrom(ctx); ok {
		return &p.UserID
	}
	return nil
}
