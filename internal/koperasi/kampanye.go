package koperasi

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// The reclassification campaign: a tenant admin starts it, a River job
// classifies every cooperative still without a jenis (the KSU and the rest
// with none) batch by batch, and the admin reviews the proposals
// (usulan.go). At most one campaign runs per tenant: the partial unique
// index on reklasifikasi_kampanye and a River job unique per tenant.
//
// Crash safety: each batch commits its proposals, the campaign's counts and
// the pekerjaan's progress in one transaction, and the next batch starts
// after the highest cooperative id that has a proposal in this campaign.
// A killed worker loses at most the batch in flight, which the retry
// redoes; the UNIQUE (tenant_id, kampanye_id, koperasi_id) constraint with
// ON CONFLICT DO NOTHING makes a redone batch harmless even if two workers
// ever raced (they cannot: the campaign row is locked per batch).
//
// Re-runs: a cooperative whose proposal was approved has its jenis set and
// is no longer eligible. A cooperative whose proposal was rejected still has
// no jenis (the legal obligation stands, its data may have been corrected),
// so a later campaign proposes again and shows the earlier rejection's
// reason beside it. A proposal still waiting from an earlier campaign is
// replaced ("digantikan") by the new one; decided proposals are never
// touched.

// Kampanye statuses.
const (
	KampanyeBerjalan = "berjalan"
	KampanyeSelesai  = "selesai"
	KampanyeGagal    = "gagal"
)

// ReklasBatch is how many cooperatives one transaction classifies: large
// enough that per-batch work (locks, progress, commit) stays small beside
// the classifying (1.000 → 2.500: 0.55 → 0.69 of a plain loop's speed), small
// enough that an edit of one of them waits a fraction of a second.
const ReklasBatch = 2500

// ReklasifikasiArgs is the River job of a campaign: unique per tenant while
// it is queued or running (a completed one does not block the next
// campaign).
type ReklasifikasiArgs struct {
	TenantID   uuid.UUID `json:"tenant_id" river:"unique"`
	KampanyeID uuid.UUID `json:"kampanye_id"`
}

func (ReklasifikasiArgs) Kind() string        { return "reklasifikasi" }
func (a ReklasifikasiArgs) Tenant() uuid.UUID { return a.TenantID }
func (ReklasifikasiArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: pekerjaan.Queue, MaxAttempts: 10, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateScheduled, rivertype.JobStateRetryable}}}
}

// Kampanye is one run of the campaign.
type Kampanye struct {
	ID          uuid.UUID  `json:"id"`
	Status      string     `json:"status" enum:"berjalan,selesai,gagal"`
	Kebijakan   Kebijakan  `json:"kebijakan" doc:"The thresholds read from the tenant's settings at the start."`
	Total       *int       `json:"total,omitempty" doc:"Cooperatives to classify: counted at the start, exact when done."`
	Diproses    int        `json:"diproses" doc:"Cooperatives classified so far."`
	Ringkasan   Ringkasan  `json:"ringkasan"`
	Keputusan   *Keputusan `json:"keputusan,omitempty" doc:"The review so far (single records only)."`
	PekerjaanID *uuid.UUID `json:"pekerjaan_id,omitempty"`
	DimulaiOleh *uuid.UUID `json:"dimulai_oleh,omitempty"`
	DimulaiAt   time.Time  `json:"dimulai_at"`
	SelesaiAt   *time.Time `json:"selesai_at,omitempty"`
}

// Ringkasan counts the campaign's proposals by outcome.
type Ringkasan struct {
	Tinggi           int           `json:"tinggi" doc:"Proposed with high confidence."`
	Sedang           int           `json:"sedang" doc:"Proposed with medium confidence."`
	PerluTinjauan    int           `json:"perlu_tinjauan" doc:"No clear leader: a person decides."`
	PerluData        int           `json:"perlu_data" doc:"No usable unit data."`
	FlagSimpanPinjam int           `json:"flag_simpan_pinjam" doc:"A savings-and-loan unit beside another (or no) proposed type."`
	PerJenis         map[Jenis]int `json:"per_jenis" nullable:"false" doc:"Proposals per proposed type."`
	Digantikan       int           `json:"digantikan" doc:"Proposals of earlier campaigns still waiting, replaced by this one's."`
}

// Keputusan counts the campaign's proposals by review status.
type Keputusan struct {
	Menunggu   int `json:"menunggu"`
	Disetujui  int `json:"disetujui"`
	Ditolak    int `json:"ditolak"`
	Digantikan int `json:"digantikan" doc:"Replaced by a later campaign's proposal."`
}

func (r *Ringkasan) add(k Klasifikasi) {
	switch {
	case k.Keyakinan == KeyakinanTinggi:
		r.Tinggi++
	case k.Keyakinan == KeyakinanSedang:
		r.Sedang++
	case k.Hasil == HasilPerluTinjauan:
		r.PerluTinjauan++
	default:
		r.PerluData++
	}
	if k.SimpanPinjam {
		r.FlagSimpanPinjam++
	}
	if k.Jenis != "" {
		if r.PerJenis == nil {
			r.PerJenis = map[Jenis]int{}
		}
		r.PerJenis[k.Jenis]++
	}
}

// KampanyePath is where a campaign lives in the API.
func KampanyePath(slug string, id uuid.UUID) string {
	return "/v1/tenants/" + slug + "/reklasifikasi/" + id.String()
}

const kampanyeCols = `id, status, kebijakan, total, diproses, ringkasan, pekerjaan_id, dimulai_oleh, dimulai_at, selesai_at`

// keputusanCols are the review counts a campaign row keeps (moveKeputusan).
const keputusanCols = `menunggu, disetujui, ditolak, digantikan`

func scanKampanye(row pgx.Row, extra ...any) (Kampanye, error) {
	var k Kampanye
	err := row.Scan(append([]any{&k.ID, &k.Status, &k.Kebijakan, &k.Total, &k.Diproses, &k.Ringkasan, &k.PekerjaanID, &k.DimulaiOleh,
		&k.DimulaiAt, &k.SelesaiAt}, extra...)...)
	if k.Ringkasan.PerJenis == nil {
		k.Ringkasan.PerJenis = map[Jenis]int{}
	}
	return k, err
}

// StartKampanye starts a campaign in tx, or returns the one running. Either
// way it returns the job args for the caller to enqueue in tx: River's
// uniqueness skips them while the campaign's job is queued or running, and
// re-queues a campaign whose job was lost (cancelled, discarded).
func (s *Service) StartKampanye(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, by uuid.UUID) (Kampanye, ReklasifikasiArgs, bool, error) {
	k, err := scanKampanye(tx.QueryRow(ctx, `select `+kampanyeCols+` from reklasifikasi_kampanye where status = 'berjalan'`))
	if err == nil {
		return k, ReklasifikasiArgs{TenantID: t.ID, KampanyeID: k.ID}, false, nil
	}
	if err != pgx.ErrNoRows {
		return Kampanye{}, ReklasifikasiArgs{}, false, fmt.Errorf("running kampanye: %w", err)
	}
	var settings []byte
	if err := tx.QueryRow(ctx, `select settings from tenants where id = $1`, t.ID).Scan(&settings); err != nil {
		return Kampanye{}, ReklasifikasiArgs{}, false, fmt.Errorf("tenant settings: %w", err)
	}
	kebijakan, err := ParseKebijakan(settings, s.Now().Year())
	if err != nil {
		return Kampanye{}, ReklasifikasiArgs{}, false, err
	}
	var total int
	if err := tx.QueryRow(ctx, `select count(*) from koperasi where jenis is null and aktif and archived_at is null`).Scan(&total); err != nil {
		return Kampanye{}, ReklasifikasiArgs{}, false, fmt.Errorf("count eligible koperasi: %w", err)
	}
	id := uuid.Must(uuid.NewV7())
	// A concurrent start that committed first wins: ON CONFLICT waits for
	// it, then the running campaign is read (a new statement sees it).
	k, err = scanKampanye(tx.QueryRow(ctx, `insert into reklasifikasi_kampanye (tenant_id, id, status, kebijakan, total, dimulai_oleh, dimulai_at)
		values ($1, $2, 'berjalan', $3, $4, $5, $6)
		on conflict (tenant_id) where status = 'berjalan' do nothing
		returning `+kampanyeCols, t.ID, id, kebijakan, total, by, s.Now()))
	if err == pgx.ErrNoRows {
		k, err = scanKampanye(tx.QueryRow(ctx, `select `+kampanyeCols+` from reklasifikasi_kampanye where status = 'berjalan'`))
		return k, ReklasifikasiArgs{TenantID: t.ID, KampanyeID: k.ID}, false, err
	}
	if err != nil {
		return Kampanye{}, ReklasifikasiArgs{}, false, fmt.Errorf("start kampanye: %w", err)
	}
	job, err := pekerjaan.Create(ctx, tx, t.ID, "reklasifikasi", map[string]any{"kampanye_id": id}, nil, by)
	if err != nil {
		return Kampanye{}, ReklasifikasiArgs{}, false, err
	}
	if _, err := tx.Exec(ctx, `update pekerjaan set total = $2 where id = $1`, job.ID, total); err != nil {
		return Kampanye{}, ReklasifikasiArgs{}, false, err
	}
	if _, err := tx.Exec(ctx, `update reklasifikasi_kampanye set pekerjaan_id = $2 where id = $1`, id, job.ID); err != nil {
		return Kampanye{}, ReklasifikasiArgs{}, false, err
	}
	k.PekerjaanID = &job.ID
	if err := audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "start", Entity: "reklasifikasi_kampanye", EntityID: id.String(), After: k}); err != nil {
		return Kampanye{}, ReklasifikasiArgs{}, false, err
	}
	return k, ReklasifikasiArgs{TenantID: t.ID, KampanyeID: id}, true, nil
}

// GetKampanye returns a campaign with its review counts: one row, read by
// key, whatever the campaign's size (each decision and batch keeps the
// counts in the campaign's row, moveKeputusan).
func (s *Service) GetKampanye(ctx context.Context, t *tenancy.Tenant, id uuid.UUID) (Kampanye, error) {
	var k Kampanye
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var d Keputusan
		var err error
		k, err = scanKampanye(tx.QueryRow(ctx, `select `+kampanyeCols+`, `+keputusanCols+` from reklasifikasi_kampanye where id = $1`, id),
			&d.Menunggu, &d.Disetujui, &d.Ditolak, &d.Digantikan)
		if err == pgx.ErrNoRows {
			return apperr.NotFound()
		}
		if err != nil {
			return fmt.Errorf("get kampanye: %w", err)
		}
		k.Keputusan = &d
		return nil
	})
	return k, err
}

// moveKeputusan moves n of a campaign's waiting proposals to a decision
// (disetujui or ditolak) in its counts, in the decision's transaction.
func moveKeputusan(ctx context.Context, tx pgx.Tx, kampanyeID uuid.UUID, status string, n int) error {
	if n == 0 {
		return nil
	}
	var q string
	switch status {
	case UsulanDisetujui:
		q = `update reklasifikasi_kampanye set menunggu = menunggu - $2, disetujui = disetujui + $2 where id = $1`
	case UsulanDitolak:
		q = `update reklasifikasi_kampanye set menunggu = menunggu - $2, ditolak = ditolak + $2 where id = $1`
	default:
		return fmt.Errorf("keputusan %q", status)
	}
	if _, err := tx.Exec(ctx, q, kampanyeID, n); err != nil {
		return fmt.Errorf("kampanye keputusan: %w", err)
	}
	return nil
}

func getKampanyeTx(ctx context.Context, tx pgx.Tx, id uuid.UUID, lock bool) (Kampanye, error) {
	q := `select ` + kampanyeCols + ` from reklasifikasi_kampanye where id = $1`
	if lock {
		q += ` for no key update`
	}
	k, err := scanKampanye(tx.QueryRow(ctx, q, id))
	if err == pgx.ErrNoRows {
		return Kampanye{}, apperr.NotFound()
	}
	if err != nil {
		return Kampanye{}, fmt.Errorf("get kampanye: %w", err)
	}
	return k, nil
}

// ListKampanye returns the tenant's campaigns, newest first, after the
// campaign id before (keyset; uuid.Nil for the first page).
func (s *Service) ListKampanye(ctx context.Context, t *tenancy.Tenant, before uuid.UUID, limit int) ([]Kampanye, error) {
	var out []Kampanye
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var b *uuid.UUID
		if before != uuid.Nil {
			b = &before
		}
		rows, err := tx.Query(ctx, `select `+kampanyeCols+` from reklasifikasi_kampanye
			where ($1::uuid is null or id < $1) order by id desc limit $2`, b, limit)
		if err != nil {
			return fmt.Errorf("list kampanye: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Kampanye, error) { return scanKampanye(r) })
		return err
	})
	return out, err
}

// RunKampanye classifies the campaign's cooperatives batch by batch, each
// batch in its own transaction, resuming after the last one committed.
// final runs in the transaction that closes the campaign (the River job
// completes there). A campaign already closed only runs final.
func (s *Service) RunKampanye(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, batch int, final func(context.Context, pgx.Tx) error) error {
	if batch <= 0 {
		batch = ReklasBatch
	}
	for {
		done := false
		err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
			var err error
			done, err = s.reklasBatch(ctx, tx, t, id, batch, final)
			return err
		})
		if err != nil {
			return fmt.Errorf("kampanye %s: %w", id, err)
		}
		if done {
			return nil
		}
	}
}

// reklasBatch classifies the next batch in tx and reports whether the
// campaign is closed.
func (s *Service) reklasBatch(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, id uuid.UUID, batch int, final func(context.Context, pgx.Tx) error) (bool, error) {
	// The campaign row is the batch lock: one batch of a campaign at a time.
	k, err := getKampanyeTx(ctx, tx, id, true)
	if err != nil {
		return false, err
	}
	if k.Status != KampanyeBerjalan {
		return true, final(ctx, tx)
	}
	var after pgtype.UUID
	if err := tx.QueryRow(ctx, `select koperasi_id from reklasifikasi_usulan where kampanye_id = $1
		order by koperasi_id desc limit 1`, id).Scan(&after); err != nil && err != pgx.ErrNoRows {
		return false, fmt.Errorf("resume point: %w", err)
	}
	// FOR SHARE: an approval (or a registry edit) of one of these cannot
	// set its jenis until this batch commits, so no proposal is made for a
	// cooperative that got its type meanwhile.
	rows, err := tx.Query(ctx, `select id from koperasi where jenis is null and aktif and archived_at is null
		and ($1::uuid is null or id > $1) order by id limit $2 for share`, after, batch)
	if err != nil {
		return false, fmt.Errorf("next koperasi: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return false, err
	}
	if len(ids) > 0 {
		units, tolak, err := readUnits(ctx, tx, ids)
		if err != nil {
			return false, err
		}
		if err := s.writeUsulan(ctx, tx, t, &k, ids, units, tolak); err != nil {
			return false, err
		}
	}
	if len(ids) == batch {
		return false, nil
	}
	return true, s.closeKampanye(ctx, tx, &k, final)
}

// readUnits reads the active units with their volumes and compositions of
// the given cooperatives (one set-based query), and the reason of each
// one's latest rejected proposal.
func readUnits(ctx context.Context, tx pgx.Tx, ids []uuid.UUID) (map[uuid.UUID][]UnitData, map[uuid.UUID]string, error) {
	b := &pgx.Batch{}
	// The compositions apart: few cooperatives have one, and a UNION ALL
	// of volumes and shares joined to the units plans far worse (up to a
	// nested loop over every volume of the tenant).
	b.Queue(`select p.unit_id, p.tahun, (p.persen * 100)::integer
		from koperasi_unit u join koperasi_unit_porsi p on p.tenant_id = u.tenant_id and p.unit_id = u.id
		where u.koperasi_id = any($1) and u.aktif`, ids)
	b.Queue(`select u.koperasi_id, u.id, u.jenis_unit, coalesce(u.pola_simpan_pinjam, ''), v.tahun, v.volume
		from koperasi_unit u left join koperasi_unit_volume v on v.tenant_id = u.tenant_id and v.unit_id = u.id
		where u.koperasi_id = any($1) and u.aktif
		order by u.koperasi_id, u.id`, ids)
	b.Queue(`select distinct on (koperasi_id) koperasi_id, coalesce(alasan, '') from reklasifikasi_usulan
		where koperasi_id = any($1) and status = 'ditolak' order by koperasi_id, diputuskan_at desc`, ids)
	br := tx.SendBatch(ctx, b)
	defer br.Close()
	rows, err := br.Query()
	if err != nil {
		return nil, nil, fmt.Errorf("read komposisi: %w", err)
	}
	komposisi, err := ScanKomposisi(rows)
	if err != nil {
		return nil, nil, fmt.Errorf("read komposisi: %w", err)
	}
	units := make(map[uuid.UUID][]UnitData, len(ids))
	rows, err = br.Query()
	if err != nil {
		return nil, nil, fmt.Errorf("read units: %w", err)
	}
	var (
		kop, unit, lastUnit uuid.UUID
		kind, pola          string
		tahun               *int16
		volume              *int64
	)
	_, err = pgx.ForEachRow(rows, []any{&kop, &unit, &kind, &pola, &tahun, &volume}, func() error {
		list := units[kop]
		if len(list) == 0 || unit != lastUnit {
			list = append(list, UnitData{Kind: UnitKind(kind), Pola: pola, Volume: map[int]int64{}, Komposisi: komposisi[unit]})
			lastUnit = unit
		}
		if tahun != nil && volume != nil {
			list[len(list)-1].Volume[int(*tahun)] = *volume
		}
		units[kop] = list
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read units: %w", err)
	}
	tolak := map[uuid.UUID]string{}
	rows, err = br.Query()
	if err != nil {
		return nil, nil, fmt.Errorf("read rejections: %w", err)
	}
	var alasan string
	if _, err := pgx.ForEachRow(rows, []any{&kop, &alasan}, func() error { tolak[kop] = alasan; return nil }); err != nil {
		return nil, nil, fmt.Errorf("read rejections: %w", err)
	}
	return units, tolak, br.Close()
}

// ScanKomposisi reads rows of (unit_id, tahun, hundredths of a percent)
// into each unit's shares per year, as UnitData.Komposisi holds them.
func ScanKomposisi(rows pgx.Rows) (map[uuid.UUID]map[int]int32, error) {
	out := map[uuid.UUID]map[int]int32{}
	var (
		unit  uuid.UUID
		tahun int16
		h     int32
	)
	_, err := pgx.ForEachRow(rows, []any{&unit, &tahun, &h}, func() error {
		m := out[unit]
		if m == nil {
			m = map[int]int32{}
			out[unit] = m
		}
		m[int(tahun)] = h
		return nil
	})
	return out, err
}

// writeUsulan classifies the batch, inserts its proposals in one statement,
// replaces earlier campaigns' waiting proposals of the same cooperatives and
// moves the campaign's and the pekerjaan's counts, all in tx.
func (s *Service) writeUsulan(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, k *Kampanye, ids []uuid.UUID,
	units map[uuid.UUID][]UnitData, tolak map[uuid.UUID]string) error {
	n := len(ids)
	var (
		uid, kop         = make([]pgtype.UUID, n), make([]pgtype.UUID, n)
		hasil, porsi     = make([]string, n), make([]string, n)
		jenis, keyakinan = make([]*string, n), make([]*string, n)
		flag             = make([]bool, n)
		results          = make(map[uuid.UUID]Klasifikasi, n)
	)
	for i, id := range ids {
		c := Classify(units[id], k.Kebijakan)
		if a, ok := tolak[id]; ok {
			c.Porsi.Tolak = &PenolakanSebelumnya{Alasan: a}
		}
		results[id] = c
		raw, err := json.Marshal(c.Porsi)
		if err != nil {
			return err
		}
		uid[i] = pgtype.UUID{Bytes: uuid.Must(uuid.NewV7()), Valid: true}
		kop[i] = pgtype.UUID{Bytes: id, Valid: true}
		hasil[i], porsi[i], flag[i] = string(c.Hasil), string(raw), c.SimpanPinjam
		if c.Hasil == HasilUsulan {
			j, y := string(c.Jenis), string(c.Keyakinan)
			jenis[i], keyakinan[i] = &j, &y
		}
	}
	rows, err := tx.Query(ctx, `insert into reklasifikasi_usulan (tenant_id, id, kampanye_id, koperasi_id, hasil, jenis_usulan, keyakinan, porsi, flag_simpan_pinjam, created_at)
		select $1, x.id, $2, x.kop, x.hasil, x.jenis, x.keyakinan, x.porsi::jsonb, x.flag, $10
		from unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bool[]) as x(id, kop, hasil, jenis, keyakinan, porsi, flag)
		on conflict (tenant_id, kampanye_id, koperasi_id) do nothing
		returning koperasi_id`, t.ID, k.ID, uid, kop, hasil, jenis, keyakinan, porsi, flag, s.Now())
	if err != nil {
		return fmt.Errorf("insert usulan: %w", err)
	}
	inserted, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return fmt.Errorf("insert usulan: %w", err)
	}
	// The replaced proposals leave their campaigns' waiting counts.
	var replaced int
	if err := tx.QueryRow(ctx, `with g as (
			update reklasifikasi_usulan set status = 'digantikan', version = version + 1
			where koperasi_id = any($1) and kampanye_id <> $2 and status = 'menunggu'
			returning kampanye_id),
		n as (select kampanye_id, count(*)::integer as c from g group by kampanye_id),
		u as (update reklasifikasi_kampanye k set menunggu = k.menunggu - n.c, digantikan = k.digantikan + n.c
			from n where k.id = n.kampanye_id)
		select coalesce(sum(c), 0)::integer from n`, inserted, k.ID).Scan(&replaced); err != nil {
		return fmt.Errorf("replace waiting usulan: %w", err)
	}
	for _, id := range inserted {
		k.Ringkasan.add(results[id])
	}
	k.Ringkasan.Digantikan += replaced
	k.Diproses += len(inserted)
	if _, err := tx.Exec(ctx, `update reklasifikasi_kampanye set diproses = $2, ringkasan = $3, menunggu = menunggu + $4 where id = $1`,
		k.ID, k.Diproses, k.Ringkasan, len(inserted)); err != nil {
		return fmt.Errorf("kampanye progress: %w", err)
	}
	if k.PekerjaanID != nil {
		return pekerjaan.ProgressTx(ctx, tx, *k.PekerjaanID, k.Diproses, nil)
	}
	return nil
}

// closeKampanye records the campaign as done, with its summary, in tx.
func (s *Service) closeKampanye(ctx context.Context, tx pgx.Tx, k *Kampanye, final func(context.Context, pgx.Tx) error) error {
	now := s.Now()
	total := k.Diproses
	if _, err := tx.Exec(ctx, `update reklasifikasi_kampanye set status = 'selesai', total = $2, selesai_at = $3 where id = $1`,
		k.ID, total, now); err != nil {
		return fmt.Errorf("close kampanye: %w", err)
	}
	k.Status, k.Total, k.SelesaiAt = KampanyeSelesai, &total, &now
	if k.PekerjaanID != nil {
		if err := pekerjaan.Finish(ctx, tx, *k.PekerjaanID, total, map[string]any{"kampanye_id": k.ID, "ringkasan": k.Ringkasan}, nil); err != nil {
			return err
		}
	}
	return final(ctx, tx)
}

// FailKampanye closes a campaign whose job failed for good, so that the
// office can start another (which resumes nothing but replaces this one's
// waiting proposals as it reaches their cooperatives).
func (s *Service) FailKampanye(ctx context.Context, t *tenancy.Tenant, id uuid.UUID) error {
	return s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `update reklasifikasi_kampanye set status = 'gagal', selesai_at = $2 where id = $1 and status = 'berjalan'`, id, s.Now())
		return err
	})
}

// KampanyePekerjaan returns the pekerjaan that shows a campaign's progress.
func (s *Service) KampanyePekerjaan(ctx context.Context, t *tenancy.Tenant, id uuid.UUID) (*uuid.UUID, error) {
	var p *uuid.UUID
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		k, err := getKampanyeTx(ctx, tx, id, false)
		p = k.PekerjaanID
		return err
	})
	return p, err
}
