package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/riverqueue/river"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/jobs"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/tenants"
)

// KoperasiOptions size the reclassification benchmark.
type KoperasiOptions struct {
	Koperasi int // KSU cooperatives to classify, each with 1–6 units
	Batch    int // cooperatives per campaign transaction
	Rounds   int // campaign and loop measured this many times each, alternately
}

// DefaultKoperasi is the scale: 10.000 KSU cooperatives.
var DefaultKoperasi = KoperasiOptions{Koperasi: 10_000, Batch: koperasi.ReklasBatch, Rounds: 5}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// Koperasi measures a reclassification campaign run by the real River
// worker (reclass_per_s) against the cheapest correct equivalent: the same
// classifier in a plain loop over the same rows, read with one query and
// written with one statement in one transaction (reclass_vs_loop_ratio).
func Koperasi(ctx context.Context, e *Env, o KoperasiOptions) error {
	cfgs, err := tenant.Load(tenants.FS)
	if err != nil {
		return err
	}
	store := &tenant.Store{DB: e.App}
	if _, err := store.Sync(ctx, cfgs); err != nil {
		return err
	}
	tt, err := store.BySlug(ctx, "tangsel")
	if err != nil {
		return err
	}
	t := tt.Scope()
	svc := &koperasi.Service{DB: e.App, Logger: e.Logger, Now: time.Now}
	t0 := time.Now()
	if err := svc.Seed(ctx, t, o.Koperasi, 2, koperasi.GenOptions{SemuaKSU: true}); err != nil {
		return err
	}
	e.Logger.Info("seeded", "koperasi", o.Koperasi, "took", time.Since(t0).Round(time.Millisecond).String())
	if err := adminExec(ctx, e.AdminURL, "vacuum analyze koperasi, koperasi_unit, koperasi_unit_volume, koperasi_unit_porsi, reklasifikasi_usulan"); err != nil {
		return err
	}
	var units int
	if err := adminQueryRow(ctx, e.AdminURL, "select count(*) from koperasi_unit", &units); err != nil {
		return err
	}
	e.Metric("reclass_koperasi", float64(o.Koperasi))
	e.Metric("reclass_units", float64(units))

	// Warm the cache, then alternate the two, round by round, so that the
	// load of a shared machine falls on both alike; the medians are kept.
	if _, err := loopBaseline(ctx, e, t); err != nil {
		return err
	}
	var loops, runs []time.Duration
	for round := range o.Rounds {
		loopTook, err := loopBaseline(ctx, e, t)
		if err != nil {
			return err
		}
		took, err := campaign(ctx, e, svc, t, o)
		if err != nil {
			return err
		}
		e.Logger.Info("round", "n", round+1, "loop", loopTook.Round(time.Millisecond).String(), "campaign", took.Round(time.Millisecond).String())
		loops, runs = append(loops, loopTook), append(runs, took)
		// The next round's campaign must find every cooperative eligible
		// and no proposal to replace.
		if err := adminExec(ctx, e.AdminURL, `delete from reklasifikasi_usulan; delete from reklasifikasi_kampanye`); err != nil {
			return err
		}
		if err := adminExec(ctx, e.AdminURL, `vacuum analyze reklasifikasi_usulan, reklasifikasi_kampanye`); err != nil {
			return err
		}
	}
	took, loopTook := median(runs), median(loops)
	rate, loopRate := float64(o.Koperasi)/took.Seconds(), float64(o.Koperasi)/loopTook.Seconds()
	e.Metric("reclass_seconds", took.Seconds())
	e.Metric("reclass_per_s", rate)
	e.Metric("loop_seconds", loopTook.Seconds())
	e.Metric("loop_per_s", loopRate)
	e.Metric("reclass_vs_loop_ratio", rate/loopRate)
	return nil
}

// campaign starts a campaign as the API does and waits for the River
// worker to finish it.
func campaign(ctx context.Context, e *Env, svc *koperasi.Service, t *tenancy.Tenant, o KoperasiOptions) (time.Duration, error) {
	accounts := &account.Service{DB: e.App, Logger: e.Logger, Now: time.Now, TokenTTL: time.Hour, Throttle: account.DefaultThrottle}
	client, err := jobs.NewClient(jobs.Config{Work: true, MaxWorkers: 4, Logger: e.Logger, ReklasBatch: o.Batch},
		jobs.Services{DB: e.App, Accounts: accounts, Koperasi: svc, Logger: e.Logger})
	if err != nil {
		return 0, err
	}
	client.PeriodicJobs().RemoveByID("retention")
	events, cancel := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled)
	defer cancel()
	if err := client.Start(ctx); err != nil {
		return 0, err
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		_ = client.Stop(stopCtx)
	}()
	start := time.Now()
	var (
		k     koperasi.Kampanye
		jobID int64
	)
	err = e.App.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var args koperasi.ReklasifikasiArgs
		if k, args, _, err = svc.StartKampanye(ctx, tx, t, uuid.New()); err != nil {
			return err
		}
		res, err := client.InsertTx(ctx, tx, args, nil)
		if err == nil {
			jobID = res.Job.ID
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	for ev := range events {
		if ev.Job.ID != jobID {
			continue
		}
		if ev.Kind != river.EventKindJobCompleted {
			return 0, fmt.Errorf("campaign job %s: %v", ev.Kind, ev.Job.Errors)
		}
		if ev.Job.AttemptedAt != nil {
			e.Logger.Info("campaign job", "queued_ms", ev.Job.AttemptedAt.Sub(start).Milliseconds(), "run_ms", ev.JobStats.RunDuration.Milliseconds())
		}
		break
	}
	done, err := svc.GetKampanye(ctx, t, k.ID)
	if err != nil {
		return 0, err
	}
	if done.Status != koperasi.KampanyeSelesai || done.Total == nil || *done.Total != done.Diproses || done.SelesaiAt == nil {
		return 0, fmt.Errorf("campaign ended %s with %d processed", done.Status, done.Diproses)
	}
	// From the start to the campaign's last transaction, which marks it
	// done: what the office sees. River reports the job's completion later
	// (its completer batches), which is not the campaign's work.
	took := done.SelesaiAt.Sub(start)
	e.Logger.Info("campaign", "diproses", done.Diproses, "ringkasan", done.Ringkasan)
	return took, nil
}

// loopBaseline classifies every eligible cooperative of t with the same
// classifier in a plain loop: one query reads all rows, one statement
// writes all proposals (to a scratch campaign), one transaction. The
// proposals are removed afterwards, untimed.
func loopBaseline(ctx context.Context, e *Env, t *tenancy.Tenant) (time.Duration, error) {
	kebijakan := koperasi.DefaultKebijakan
	kebijakan.TahunMaks = time.Now().Year()
	scratch := uuid.Must(uuid.NewV7())
	start := time.Now()
	err := e.App.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `insert into reklasifikasi_kampanye (tenant_id, id, status, kebijakan) values ($1, $2, 'selesai', $3)`,
			t.ID, scratch, kebijakan); err != nil {
			return err
		}
		// The compositions apart, as the campaign reads them (readUnits).
		rows, err := tx.Query(ctx, `select p.unit_id, p.tahun, (p.persen * 100)::integer
			from koperasi k
			join koperasi_unit u on u.tenant_id = k.tenant_id and u.koperasi_id = k.id and u.aktif
			join koperasi_unit_porsi p on p.tenant_id = u.tenant_id and p.unit_id = u.id
			where k.jenis is null and k.aktif and k.archived_at is null`)
		if err != nil {
			return err
		}
		komposisi, err := koperasi.ScanKomposisi(rows)
		if err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `select k.id, u.id, u.jenis_unit, coalesce(u.pola_simpan_pinjam, ''), v.tahun, v.volume
			from koperasi k
			left join koperasi_unit u on u.tenant_id = k.tenant_id and u.koperasi_id = k.id and u.aktif
			left join koperasi_unit_volume v on v.tenant_id = u.tenant_id and v.unit_id = u.id
			where k.jenis is null and k.aktif and k.archived_at is null
			order by k.id, u.id`)
		if err != nil {
			return err
		}
		var (
			order    []uuid.UUID
			units    = map[uuid.UUID][]koperasi.UnitData{}
			kop      uuid.UUID
			unit     *uuid.UUID
			lastUnit uuid.UUID
			kind     *string
			pola     *string
			tahun    *int16
			volume   *int64
		)
		if _, err := pgx.ForEachRow(rows, []any{&kop, &unit, &kind, &pola, &tahun, &volume}, func() error {
			list, seen := units[kop]
			if !seen {
				order = append(order, kop)
			}
			if unit != nil {
				if len(list) == 0 || *unit != lastUnit {
					list = append(list, koperasi.UnitData{Kind: koperasi.UnitKind(*kind), Pola: *pola, Volume: map[int]int64{}, Komposisi: komposisi[*unit]})
					lastUnit = *unit
				}
				if tahun != nil && volume != nil {
					list[len(list)-1].Volume[int(*tahun)] = *volume
				}
			}
			units[kop] = list
			return nil
		}); err != nil {
			return err
		}
		n := len(order)
		ids, kops := make([]pgtype.UUID, n), make([]pgtype.UUID, n)
		hasil, porsi := make([]string, n), make([]string, n)
		jenis, keyakinan := make([]*string, n), make([]*string, n)
		flag := make([]bool, n)
		for i, id := range order {
			c := koperasi.Classify(units[id], kebijakan)
			raw, err := json.Marshal(c.Porsi)
			if err != nil {
				return err
			}
			ids[i], kops[i] = pgtype.UUID{Bytes: uuid.Must(uuid.NewV7()), Valid: true}, pgtype.UUID{Bytes: id, Valid: true}
			hasil[i], porsi[i], flag[i] = string(c.Hasil), string(raw), c.SimpanPinjam
			if c.Hasil == koperasi.HasilUsulan {
				j, y := string(c.Jenis), string(c.Keyakinan)
				jenis[i], keyakinan[i] = &j, &y
			}
		}
		_, err = tx.Exec(ctx, `insert into reklasifikasi_usulan (tenant_id, id, kampanye_id, koperasi_id, hasil, jenis_usulan, keyakinan, porsi, flag_simpan_pinjam)
			select $1, x.id, $2, x.kop, x.hasil, x.jenis, x.keyakinan, x.porsi::jsonb, x.flag
			from unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bool[]) as x(id, kop, hasil, jenis, keyakinan, porsi, flag)`,
			t.ID, scratch, ids, kops, hasil, jenis, keyakinan, porsi, flag)
		return err
	})
	took := time.Since(start)
	if err != nil {
		return 0, fmt.Errorf("loop baseline: %w", err)
	}
	// The campaign measured next must not find these (it would replace them).
	if err := adminExec(ctx, e.AdminURL, fmt.Sprintf(`delete from reklasifikasi_usulan where kampanye_id = '%s';
		delete from reklasifikasi_kampanye where id = '%s'`, scratch, scratch)); err != nil {
		return 0, err
	}
	return took, adminExec(ctx, e.AdminURL, "vacuum analyze reklasifikasi_usulan")
}
