package kemitraan

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/keyset"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Service is the office's partners and agreements.
type Service struct {
	DB     *db.DB
	Logger *slog.Logger
	Now    func() time.Time
}

func (s *Service) today(t *tenancy.Tenant) (time.Time, error) { return officeDay(t, s.Now()) }

// officeDay is the office's date at now, as a UTC midnight: dates compare
// and subtract as calendar days.
func officeDay(t *tenancy.Tenant, now time.Time) (time.Time, error) {
	d, err := t.Today(now)
	if err != nil {
		return time.Time{}, err
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC), nil
}

const mitraCols = `m.id, m.jenis, m.nama, m.kontak_nama, m.telepon, m.alamat, m.wilayah_kode,
	(select count(*) from kemitraan_perjanjian p where p.mitra_id = m.id and p.status = 'berlaku' and p.mulai <= $1::date and p.berakhir >= $1::date)::int,
	m.archived_at, m.created_at, m.updated_at, m.version`

func scanMitra(row pgx.Row) (MitraKerjaSama, error) {
	var m MitraKerjaSama
	err := row.Scan(&m.ID, &m.Jenis, &m.Nama, &m.KontakNama, &m.Telepon, &m.Alamat, &m.WilayahKode, &m.Berlaku,
		&m.ArchivedAt, &m.CreatedAt, &m.UpdatedAt, &m.Version)
	return m, err
}

func getMitraTx(ctx context.Context, tx pgx.Tx, today time.Time, id uuid.UUID, forUpdate bool) (MitraKerjaSama, error) {
	sql := "select " + mitraCols + " from kemitraan_mitra m where m.id = $2"
	if forUpdate {
		sql += " for update"
	}
	m, err := scanMitra(tx.QueryRow(ctx, sql, today, id))
	return m, db.MapError(err)
}

func wilayahLive(ctx context.Context, tx pgx.Tx, kode *string) error {
	if kode == nil {
		return nil
	}
	var ok bool
	if err := tx.QueryRow(ctx, `select exists (select 1 from wilayah where kode = $1)`, *kode).Scan(&ok); err != nil {
		return fmt.Errorf("check wilayah: %w", err)
	}
	if !ok {
		return apperr.InvalidField("body.wilayah_kode", *kode, apperr.T("Wilayah tidak ditemukan di kantor ini.", "No such region in this office."))
	}
	return nil
}

// GetMitra returns a partner.
func (s *Service) GetMitra(ctx context.Context, t *tenancy.Tenant, id uuid.UUID) (MitraKerjaSama, error) {
	today, err := s.today(t)
	if err != nil {
		return MitraKerjaSama{}, err
	}
	var m MitraKerjaSama
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		m, err = getMitraTx(ctx, tx, today, id, false)
		return err
	})
	return m, err
}

// CreateMitraTx registers a partner in tx.
func (s *Service) CreateMitraTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, in MitraKerjaSamaInput) (MitraKerjaSama, error) {
	in, err := validateMitra(in)
	if err != nil {
		return MitraKerjaSama{}, err
	}
	if err := wilayahLive(ctx, tx, in.WilayahKode); err != nil {
		return MitraKerjaSama{}, err
	}
	today, err := s.today(t)
	if err != nil {
		return MitraKerjaSama{}, err
	}
	id := uuid.Must(uuid.NewV7())
	now := s.Now()
	if _, err := tx.Exec(ctx, `insert into kemitraan_mitra (tenant_id, id, jenis, nama, kontak_nama, telepon, alamat, wilayah_kode, created_at, updated_at)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`, t.ID, id, in.Jenis, in.Nama, in.KontakNama, in.Telepon, in.Alamat, in.WilayahKode, now); err != nil {
		return MitraKerjaSama{}, db.MapError(fmt.Errorf("insert mitra: %w", err))
	}
	m, err := getMitraTx(ctx, tx, today, id, false)
	if err != nil {
		return MitraKerjaSama{}, err
	}
	return m, audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "kemitraan_mitra", EntityID: id.String(), After: m})
}

// UpdateMitra replaces a partner's fields if version is current.
func (s *Service) UpdateMitra(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64, in MitraKerjaSamaInput) (MitraKerjaSama, error) {
	in, err := validateMitra(in)
	if err != nil {
		return MitraKerjaSama{}, err
	}
	today, err := s.today(t)
	if err != nil {
		return MitraKerjaSama{}, err
	}
	var m MitraKerjaSama
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := getMitraTx(ctx, tx, today, id, true)
		if err != nil {
			return err
		}
		if version != 0 && before.Version != version {
			return apperr.PreconditionFailed()
		}
		if err := wilayahLive(ctx, tx, in.WilayahKode); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `update kemitraan_mitra set jenis = $2, nama = $3, kontak_nama = $4, telepon = $5, alamat = $6, wilayah_kode = $7,
				version = version + 1, updated_at = $8 where id = $1`, id, in.Jenis, in.Nama, in.KontakNama, in.Telepon, in.Alamat, in.WilayahKode, s.Now()); err != nil {
			return db.MapError(fmt.Errorf("update mitra: %w", err))
		}
		if m, err = getMitraTx(ctx, tx, today, id, false); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "update", Entity: "kemitraan_mitra", EntityID: id.String(), Before: before, After: m})
	})
	return m, err
}

// MitraFilter narrows the list of partners.
type MitraFilter struct {
	Jenis string
	// Perjanjian: "ada" with an agreement in force, "tanpa" without one.
	Perjanjian string
	// Status: with at least one agreement of this status.
	Status string
	Cursor string
	Limit  int
}

// MitraPage is a page of partners, newest first.
type MitraPage struct {
	Items      []MitraKerjaSama
	NextCursor string
}

// ListMitra returns a page of the office's partners, newest first.
func (s *Service) ListMitra(ctx context.Context, t *tenancy.Tenant, f MitraFilter) (MitraPage, error) {
	fe := &fieldErrs{prefix: "query"}
	if f.Jenis != "" {
		fe.oneOf("jenis", f.Jenis, AllJenisMitra)
	}
	if f.Perjanjian != "" {
		fe.oneOf("perjanjian", f.Perjanjian, []string{"ada", "tanpa"})
	}
	if f.Status != "" {
		fe.oneOf("status", f.Status, AllStatus)
	}
	if err := fe.err(apperr.T("Filter tidak valid.", "Invalid filter.")); err != nil {
		return MitraPage{}, err
	}
	cur, err := keyset.Decode(f.Cursor)
	if err != nil {
		return MitraPage{}, err
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	today, err := s.today(t)
	if err != nil {
		return MitraPage{}, err
	}
	args := []any{today}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	where := []string{"m.archived_at is null"}
	if f.Jenis != "" {
		where = append(where, "m.jenis = "+arg(f.Jenis))
	}
	berlaku := `exists (select 1 from kemitraan_perjanjian p where p.mitra_id = m.id and p.status = 'berlaku' and p.mulai <= $1::date and p.berakhir >= $1::date)`
	switch f.Perjanjian {
	case "ada":
		where = append(where, berlaku)
	case "tanpa":
		where = append(where, "not "+berlaku)
	}
	if f.Status != "" {
		where = append(where, "exists (select 1 from kemitraan_perjanjian p where p.mitra_id = m.id and p.status = "+arg(f.Status)+")")
	}
	if cur != nil {
		where = append(where, "m.id < "+arg(cur.ID))
	}
	sql := "select " + mitraCols + " from kemitraan_mitra m where " + strings.Join(where, " and ") + " order by m.id desc limit " + arg(f.Limit+1)
	var page MitraPage
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return fmt.Errorf("list mitra: %w", err)
		}
		page.Items, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (MitraKerjaSama, error) { return scanMitra(r) })
		return err
	})
	if err != nil {
		return MitraPage{}, err
	}
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		page.NextCursor = keyset.Encode(keyset.Cursor{ID: page.Items[f.Limit-1].ID})
	}
	return page, nil
}

const dateFmt = "YYYY-MM-DD"

const perjanjianCols = `p.id, p.mitra_id, m.nama, p.jenis, p.judul, p.nomor_kantor, to_char(p.tanggal_kantor, '` + dateFmt + `'), p.nomor_mitra,
	to_char(p.tanggal_mitra, '` + dateFmt + `'), p.ruang_lingkup, to_char(p.mulai, '` + dateFmt + `'), to_char(p.berakhir, '` + dateFmt + `'),
	p.status, p.alasan_putus, to_char(p.diputus_tanggal, '` + dateFmt + `'), p.memperbarui_id,
	(select n.id from kemitraan_perjanjian n where n.memperbarui_id = p.id),
	(select to_char(max(e.tanggal), '` + dateFmt + `') from kemitraan_evaluasi e where e.perjanjian_id = p.id),
	p.created_at, p.updated_at, p.version`

const perjanjianFrom = ` from kemitraan_perjanjian p join kemitraan_mitra m on m.id = p.mitra_id`

func scanPerjanjian(row pgx.Row, today time.Time) (Perjanjian, error) {
	var p Perjanjian
	err := row.Scan(&p.ID, &p.MitraID, &p.MitraNama, &p.Jenis, &p.Judul, &p.NomorKantor, &p.TanggalKantor, &p.NomorMitra, &p.TanggalMitra,
		&p.RuangLingkup, &p.Mulai, &p.Berakhir, &p.Status, &p.AlasanPutus, &p.DiputusTanggal, &p.MemperbaruiID, &p.DiperbaruiID,
		&p.EvaluasiTerakhir, &p.CreatedAt, &p.UpdatedAt, &p.Version)
	if err != nil {
		return Perjanjian{}, err
	}
	mulai, _ := time.Parse(time.DateOnly, p.Mulai)
	berakhir, _ := time.Parse(time.DateOnly, p.Berakhir)
	p.Peringatan = []string{}
	if berakhir.After(mulai.AddDate(maxTahun, 0, 0)) {
		p.Peringatan = append(p.Peringatan, peringatanLimaT)
	}
	_, p.EvaluasiTerlambat = evaluasiJatuhTempo(p, today)
	return p, nil
}

// evaluasiJatuhTempo is the day p's next evaluation is due (six months
// after its last evaluation, or after its start) and whether, in force
// today, it is past that day.
func evaluasiJatuhTempo(p Perjanjian, today time.Time) (time.Time, bool) {
	ref, _ := time.Parse(time.DateOnly, p.Mulai)
	if p.EvaluasiTerakhir != nil {
		ref, _ = time.Parse(time.DateOnly, *p.EvaluasiTerakhir)
	}
	due := ref.AddDate(0, evaluasiBulan, 0)
	return due, berlakuPada(p, today) && today.After(due)
}

func berlakuPada(p Perjanjian, day time.Time) bool {
	d := day.Format(time.DateOnly)
	return p.Status == "berlaku" && p.Mulai <= d && d <= p.Berakhir
}

func getPerjanjianTx(ctx context.Context, tx pgx.Tx, today time.Time, id uuid.UUID, forUpdate bool) (Perjanjian, error) {
	sql := "select " + perjanjianCols + perjanjianFrom + " where p.id = $1"
	if forUpdate {
		sql += " for update of p"
	}
	p, err := scanPerjanjian(tx.QueryRow(ctx, sql, id), today)
	return p, db.MapError(err)
}

func listPerjanjianTx(ctx context.Context, tx pgx.Tx, today time.Time, where string, args ...any) ([]Perjanjian, error) {
	rows, err := tx.Query(ctx, "select "+perjanjianCols+perjanjianFrom+" where "+where+" order by p.mulai, p.id", args...)
	if err != nil {
		return nil, fmt.Errorf("list perjanjian: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Perjanjian, error) { return scanPerjanjian(r, today) })
}

// PerjanjianDetail is an agreement with its duties, evaluations and renewal chain.
type PerjanjianDetail struct {
	Perjanjian
	Tugas    []TugasPerjanjian    `json:"tugas" nullable:"false"`
	Evaluasi []EvaluasiPerjanjian `json:"evaluasi" nullable:"false"`
	Rantai   []Perjanjian         `json:"rantai" nullable:"false" doc:"The renewal chain, oldest first, this agreement included."`
}

// GetPerjanjian returns an agreement with its duties, evaluations and chain.
func (s *Service) GetPerjanjian(ctx context.Context, t *tenancy.Tenant, id uuid.UUID) (PerjanjianDetail, error) {
	today, err := s.today(t)
	if err != nil {
		return PerjanjianDetail{}, err
	}
	var d PerjanjianDetail
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		d, err = detailTx(ctx, tx, today, id)
		return err
	})
	return d, err
}

func detailTx(ctx context.Context, tx pgx.Tx, today time.Time, id uuid.UUID) (PerjanjianDetail, error) {
	p, err := getPerjanjianTx(ctx, tx, today, id, false)
	if err != nil {
		return PerjanjianDetail{}, err
	}
	d := PerjanjianDetail{Perjanjian: p}
	if d.Tugas, err = tugasTx(ctx, tx, today, "t.perjanjian_id = $1", id); err != nil {
		return PerjanjianDetail{}, err
	}
	rows, err := tx.Query(ctx, `select id, to_char(tanggal, 'YYYY-MM-DD'), hasil, skor from kemitraan_evaluasi where perjanjian_id = $1 order by tanggal desc, id`, id)
	if err != nil {
		return PerjanjianDetail{}, fmt.Errorf("list evaluasi: %w", err)
	}
	if d.Evaluasi, err = pgx.CollectRows(rows, pgx.RowToStructByPos[EvaluasiPerjanjian]); err != nil {
		return PerjanjianDetail{}, err
	}
	// The chain: every agreement linked to this one by renewals, both ways.
	d.Rantai, err = listPerjanjianTx(ctx, tx, today, `p.id in (
		with recursive naik(id, up) as (select id, memperbarui_id from kemitraan_perjanjian where id = $1
			union select k.id, k.memperbarui_id from kemitraan_perjanjian k join naik on k.id = naik.up),
		turun(id) as (select id from kemitraan_perjanjian where id = $1
			union select k.id from kemitraan_perjanjian k join turun on k.memperbarui_id = turun.id)
		select id from naik union select id from turun)`, id)
	return d, err
}

// ListPerjanjianMitra lists a partner's agreements, oldest first.
func (s *Service) ListPerjanjianMitra(ctx context.Context, t *tenancy.Tenant, mitraID uuid.UUID) ([]Perjanjian, error) {
	today, err := s.today(t)
	if err != nil {
		return nil, err
	}
	var out []Perjanjian
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if _, err := getMitraTx(ctx, tx, today, mitraID, false); err != nil {
			return err
		}
		out, err = listPerjanjianTx(ctx, tx, today, "p.mitra_id = $1", mitraID)
		return err
	})
	return out, err
}

func mitraLive(ctx context.Context, tx pgx.Tx, id uuid.UUID) error {
	var ok bool
	if err := tx.QueryRow(ctx, `select exists (select 1 from kemitraan_mitra where id = $1 and archived_at is null)`, id).Scan(&ok); err != nil {
		return fmt.Errorf("check mitra: %w", err)
	}
	if !ok {
		return apperr.InvalidField("body.mitra_id", id, apperr.T("Mitra tidak ditemukan di kantor ini.", "No such partner in this office."))
	}
	return nil
}

func (s *Service) insertPerjanjian(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, r perjanjianRow, mitraID uuid.UUID, renews *uuid.UUID) (PerjanjianDetail, error) {
	today, err := s.today(t)
	if err != nil {
		return PerjanjianDetail{}, err
	}
	id := uuid.Must(uuid.NewV7())
	in := r.in
	if _, err := tx.Exec(ctx, `insert into kemitraan_perjanjian (tenant_id, id, mitra_id, jenis, judul, nomor_kantor, tanggal_kantor, nomor_mitra,
			tanggal_mitra, ruang_lingkup, mulai, berakhir, status, memperbarui_id, created_at, updated_at)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)`,
		t.ID, id, mitraID, in.Jenis, in.Judul, r.nomorKantor, r.tanggalKantor, r.nomorMitra, r.tanggalMitra, r.ruangLingkup,
		r.mulai, r.berakhir, in.Status, renews, s.Now()); err != nil {
		err = db.MapError(fmt.Errorf("insert perjanjian: %w", err))
		if renews != nil && apperr.KindOf(err) == apperr.KindConflict {
			return PerjanjianDetail{}, apperr.Conflict(apperr.T("Perjanjian ini sudah diperbarui.", "This agreement was already renewed."), PerjanjianPath(t.Slug, *renews))
		}
		return PerjanjianDetail{}, err
	}
	d, err := detailTx(ctx, tx, today, id)
	if err != nil {
		return PerjanjianDetail{}, err
	}
	return d, audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "kemitraan_perjanjian", EntityID: id.String(), After: d.Perjanjian})
}

// CreatePerjanjianTx records an agreement with a partner in tx.
func (s *Service) CreatePerjanjianTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, in PerjanjianInput) (PerjanjianDetail, error) {
	r, err := validatePerjanjian(in, false)
	if err != nil {
		return PerjanjianDetail{}, err
	}
	if err := mitraLive(ctx, tx, in.MitraID); err != nil {
		return PerjanjianDetail{}, err
	}
	return s.insertPerjanjian(ctx, tx, t, r, in.MitraID, nil)
}

// PerbaruiTx renews agreement id as a new agreement with the same
// partner, linked to it; the old one keeps its dates (Permendagri 22/2020:
// extended only as a new agreement). The new one starts after the old one.
func (s *Service) PerbaruiTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, id uuid.UUID, in PerjanjianInput) (PerjanjianDetail, error) {
	r, err := validatePerjanjian(in, true)
	if err != nil {
		return PerjanjianDetail{}, err
	}
	today, err := s.today(t)
	if err != nil {
		return PerjanjianDetail{}, err
	}
	old, err := getPerjanjianTx(ctx, tx, today, id, true)
	if err != nil {
		return PerjanjianDetail{}, err
	}
	if old.Status == "diputus" {
		return PerjanjianDetail{}, apperr.Conflict(apperr.T("Perjanjian yang diputus tidak dapat diperbarui.", "A terminated agreement cannot be renewed."), PerjanjianPath(t.Slug, id))
	}
	if r.in.Mulai <= old.Mulai {
		return PerjanjianDetail{}, apperr.InvalidField("body.mulai", r.in.Mulai, apperr.T("Perjanjian pembaruan harus mulai setelah perjanjian yang diperbarui mulai.",
			"A renewal starts after the agreement it renews started."))
	}
	return s.insertPerjanjian(ctx, tx, t, r, old.MitraID, &id)
}

// UpdatePerjanjian replaces an agreement's fields if version is current;
// the partner stays.
func (s *Service) UpdatePerjanjian(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64, in PerjanjianInput) (PerjanjianDetail, error) {
	r, err := validatePerjanjian(in, true)
	if err != nil {
		return PerjanjianDetail{}, err
	}
	today, err := s.today(t)
	if err != nil {
		return PerjanjianDetail{}, err
	}
	var d PerjanjianDetail
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := lockPerjanjian(ctx, tx, t, today, id, version)
		if err != nil {
			return err
		}
		in := r.in
		if _, err := tx.Exec(ctx, `update kemitraan_perjanjian set jenis = $2, judul = $3, nomor_kantor = $4, tanggal_kantor = $5, nomor_mitra = $6,
				tanggal_mitra = $7, ruang_lingkup = $8, mulai = $9, berakhir = $10, status = $11, version = version + 1, updated_at = $12 where id = $1`,
			id, in.Jenis, in.Judul, r.nomorKantor, r.tanggalKantor, r.nomorMitra, r.tanggalMitra, r.ruangLingkup, r.mulai, r.berakhir, in.Status, s.Now()); err != nil {
			return db.MapError(fmt.Errorf("update perjanjian: %w", err))
		}
		if d, err = detailTx(ctx, tx, today, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "update", Entity: "kemitraan_perjanjian", EntityID: id.String(), Before: before, After: d.Perjanjian})
	})
	return d, err
}

// lockPerjanjian locks an agreement that may still change.
func lockPerjanjian(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, today time.Time, id uuid.UUID, version int64) (Perjanjian, error) {
	p, err := getPerjanjianTx(ctx, tx, today, id, true)
	if err != nil {
		return Perjanjian{}, err
	}
	if version != 0 && p.Version != version {
		return Perjanjian{}, apperr.PreconditionFailed()
	}
	if p.Status == "diputus" {
		return Perjanjian{}, apperr.Conflict(apperr.T("Perjanjian sudah diputus.", "The agreement was terminated."), PerjanjianPath(t.Slug, id))
	}
	return p, nil
}

// Putus terminates an agreement for a breach, with its reason.
func (s *Service) Putus(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64, in PutusPerjanjianInput) (PerjanjianDetail, error) {
	f := &fieldErrs{prefix: "body"}
	alasan := f.text("alasan", &in.Alasan, 2000, true)
	tanggal, _ := f.day("tanggal", &in.Tanggal, true)
	if err := f.err(apperr.T("Pemutusan tidak valid. Periksa isian yang disebutkan.", "Invalid termination. Check the fields listed.")); err != nil {
		return PerjanjianDetail{}, err
	}
	today, err := s.today(t)
	if err != nil {
		return PerjanjianDetail{}, err
	}
	var d PerjanjianDetail
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := lockPerjanjian(ctx, tx, t, today, id, version)
		if err != nil {
			return err
		}
		if in.Tanggal < before.Mulai {
			return apperr.InvalidField("body.tanggal", in.Tanggal, apperr.T("Tanggal pemutusan tidak boleh sebelum perjanjian mulai.", "A termination cannot precede the start."))
		}
		if _, err := tx.Exec(ctx, `update kemitraan_perjanjian set status = 'diputus', alasan_putus = $2, diputus_tanggal = $3, version = version + 1,
				updated_at = $4 where id = $1`, id, alasan, tanggal, s.Now()); err != nil {
			return db.MapError(fmt.Errorf("putus perjanjian: %w", err))
		}
		if d, err = detailTx(ctx, tx, today, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "terminate", Entity: "kemitraan_perjanjian", EntityID: id.String(), Before: before, After: d.Perjanjian})
	})
	return d, err
}

const tugasCols = `t.id, t.perjanjian_id, t.judul, to_char(t.jatuh_tempo, 'YYYY-MM-DD'), to_char(t.selesai, 'YYYY-MM-DD'), t.catatan, m.nama, t.version`

func tugasTx(ctx context.Context, tx pgx.Tx, today time.Time, where string, args ...any) ([]TugasPerjanjian, error) {
	rows, err := tx.Query(ctx, "select "+tugasCols+` from kemitraan_tugas t join kemitraan_perjanjian p on p.id = t.perjanjian_id
		join kemitraan_mitra m on m.id = p.mitra_id where `+where+" order by t.jatuh_tempo, t.id", args...)
	if err != nil {
		return nil, fmt.Errorf("list tugas: %w", err)
	}
	d := today.Format(time.DateOnly)
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (TugasPerjanjian, error) {
		var x TugasPerjanjian
		err := r.Scan(&x.ID, &x.PerjanjianID, &x.Judul, &x.JatuhTempo, &x.Selesai, &x.Catatan, &x.MitraNama, &x.Version)
		x.Terlambat = x.Selesai == nil && x.JatuhTempo < d
		return x, err
	})
}

// CreateTugasTx adds a dated duty to an agreement in tx.
func (s *Service) CreateTugasTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, perjanjianID uuid.UUID, in TugasPerjanjianInput) (TugasPerjanjian, error) {
	in, due, done, err := validateTugas(in)
	if err != nil {
		return TugasPerjanjian{}, err
	}
	today, err := s.today(t)
	if err != nil {
		return TugasPerjanjian{}, err
	}
	if _, err := lockPerjanjian(ctx, tx, t, today, perjanjianID, 0); err != nil {
		return TugasPerjanjian{}, err
	}
	id := uuid.Must(uuid.NewV7())
	if _, err := tx.Exec(ctx, `insert into kemitraan_tugas (tenant_id, id, perjanjian_id, judul, jatuh_tempo, selesai, catatan, created_at, updated_at)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $8)`, t.ID, id, perjanjianID, in.Judul, due, done, in.Catatan, s.Now()); err != nil {
		return TugasPerjanjian{}, db.MapError(fmt.Errorf("insert tugas: %w", err))
	}
	x, err := oneTugas(ctx, tx, today, perjanjianID, id, false)
	if err != nil {
		return TugasPerjanjian{}, err
	}
	return x, audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "kemitraan_tugas", EntityID: id.String(), After: x})
}

func oneTugas(ctx context.Context, tx pgx.Tx, today time.Time, perjanjianID, id uuid.UUID, forUpdate bool) (TugasPerjanjian, error) {
	if forUpdate {
		if _, err := tx.Exec(ctx, "select 1 from kemitraan_tugas where perjanjian_id = $1 and id = $2 for update", perjanjianID, id); err != nil {
			return TugasPerjanjian{}, fmt.Errorf("lock tugas: %w", err)
		}
	}
	xs, err := tugasTx(ctx, tx, today, "t.perjanjian_id = $1 and t.id = $2", perjanjianID, id)
	if err != nil {
		return TugasPerjanjian{}, err
	}
	if len(xs) == 0 {
		return TugasPerjanjian{}, apperr.NotFound()
	}
	return xs[0], nil
}

// UpdateTugas replaces a duty (e.g. marks it done) if version is current.
func (s *Service) UpdateTugas(ctx context.Context, t *tenancy.Tenant, perjanjianID, id uuid.UUID, version int64, in TugasPerjanjianInput) (TugasPerjanjian, error) {
	in, due, done, err := validateTugas(in)
	if err != nil {
		return TugasPerjanjian{}, err
	}
	today, err := s.today(t)
	if err != nil {
		return TugasPerjanjian{}, err
	}
	var x TugasPerjanjian
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := oneTugas(ctx, tx, today, perjanjianID, id, true)
		if err != nil {
			return err
		}
		if version != 0 && before.Version != version {
			return apperr.PreconditionFailed()
		}
		if _, err := tx.Exec(ctx, `update kemitraan_tugas set judul = $2, jatuh_tempo = $3, selesai = $4, catatan = $5, version = version + 1,
				updated_at = $6 where id = $1`, id, in.Judul, due, done, in.Catatan, s.Now()); err != nil {
			return db.MapError(fmt.Errorf("update tugas: %w", err))
		}
		if x, err = oneTugas(ctx, tx, today, perjanjianID, id, false); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "update", Entity: "kemitraan_tugas", EntityID: id.String(), Before: before, After: x})
	})
	return x, err
}

// TugasTerlambat lists the office's duties not done and past due, of
// agreements not terminated.
func (s *Service) TugasTerlambat(ctx context.Context, t *tenancy.Tenant) ([]TugasPerjanjian, error) {
	today, err := s.today(t)
	if err != nil {
		return nil, err
	}
	var out []TugasPerjanjian
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		out, err = tugasTx(ctx, tx, today, "t.selesai is null and t.jatuh_tempo < $1 and p.status <> 'diputus'", today)
		return err
	})
	return out, err
}

// CreateEvaluasiTx records an evaluation of an agreement in tx.
func (s *Service) CreateEvaluasiTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, perjanjianID uuid.UUID, in EvaluasiPerjanjianInput) (EvaluasiPerjanjian, error) {
	today, err := s.today(t)
	if err != nil {
		return EvaluasiPerjanjian{}, err
	}
	in, tanggal, err := validateEvaluasi(in, today)
	if err != nil {
		return EvaluasiPerjanjian{}, err
	}
	if _, err := getPerjanjianTx(ctx, tx, today, perjanjianID, true); err != nil {
		return EvaluasiPerjanjian{}, err
	}
	e := EvaluasiPerjanjian{ID: uuid.Must(uuid.NewV7()), Tanggal: tanggal.Format(time.DateOnly), Hasil: in.Hasil, Skor: in.Skor}
	if _, err := tx.Exec(ctx, `insert into kemitraan_evaluasi (tenant_id, id, perjanjian_id, tanggal, hasil, skor) values ($1, $2, $3, $4, $5, $6)`,
		t.ID, e.ID, perjanjianID, tanggal, e.Hasil, e.Skor); err != nil {
		return EvaluasiPerjanjian{}, db.MapError(fmt.Errorf("insert evaluasi: %w", err))
	}
	return e, audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "kemitraan_evaluasi", EntityID: e.ID.String(), After: e})
}

// AcaraKemitraan is one thing on the agreement calendar.
type AcaraKemitraan struct {
	Hari         string    `json:"hari" format:"date"`
	Jenis        string    `json:"jenis" enum:"mulai,berakhir,evaluasi,tugas"`
	PerjanjianID uuid.UUID `json:"perjanjian_id"`
	Judul        string    `json:"judul"`
	MitraNama    string    `json:"mitra_nama"`
}

// Kalender lists the starts, ends, evaluations due and duties due of the
// month of bulan (any day in it), by day.
func (s *Service) Kalender(ctx context.Context, t *tenancy.Tenant, bulan time.Time) ([]AcaraKemitraan, error) {
	today, err := s.today(t)
	if err != nil {
		return nil, err
	}
	from := time.Date(bulan.Year(), bulan.Month(), 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 1, 0)
	in := func(d string) bool { return d >= from.Format(time.DateOnly) && d < to.Format(time.DateOnly) }
	var out []AcaraKemitraan
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		ps, err := listPerjanjianTx(ctx, tx, today, "p.status <> 'diputus' and p.mulai < $1::date and p.berakhir >= $2::date", to, from)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if in(p.Mulai) {
				out = append(out, AcaraKemitraan{Hari: p.Mulai, Jenis: "mulai", PerjanjianID: p.ID, Judul: p.Judul, MitraNama: p.MitraNama})
			}
			if in(p.Berakhir) {
				out = append(out, AcaraKemitraan{Hari: p.Berakhir, Jenis: "berakhir", PerjanjianID: p.ID, Judul: p.Judul, MitraNama: p.MitraNama})
			}
			if due, _ := evaluasiJatuhTempo(p, today); p.Status == "berlaku" && in(due.Format(time.DateOnly)) && due.Format(time.DateOnly) <= p.Berakhir {
				out = append(out, AcaraKemitraan{Hari: due.Format(time.DateOnly), Jenis: "evaluasi", PerjanjianID: p.ID, Judul: p.Judul, MitraNama: p.MitraNama})
			}
		}
		ts, err := tugasTx(ctx, tx, today, "p.status <> 'diputus' and t.jatuh_tempo >= $1 and t.jatuh_tempo < $2", from, to)
		if err != nil {
			return err
		}
		for _, x := range ts {
			out = append(out, AcaraKemitraan{Hari: x.JatuhTempo, Jenis: "tugas", PerjanjianID: x.PerjanjianID, Judul: x.Judul, MitraNama: x.MitraNama})
		}
		return nil
	})
	sortAcara(out)
	return out, err
}
