package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/sentra-id/sentra/internal/db"
)

// Detak is the heartbeat of a worker process, and the hand that passes on
// the jobs of a process that stopped beating (killed, or its machine gone).
// River would rescue them only after RescueStuckJobsAfter, which must stay
// above a long job's timeout; a heartbeat tells a dead worker from a slow
// job in seconds. The rescued attempt starts clean: the dead one's open
// transaction rolled back when its connection went, and long work commits
// in resumable steps.
type Detak struct {
	DB       *db.DB // the side pool is used: a beat never waits behind jobs
	ClientID string
	Logger   *slog.Logger
	// Every is the beat; Stale is the silence after which a process is
	// taken for dead (several beats, so one slow beat is not death).
	Every, Stale time.Duration
}

// The intervals in production.
const (
	DefaultBeat  = 3 * time.Second
	DefaultStale = 15 * time.Second
)

// Run beats and rescues until ctx ends. The last beat stays: should this
// process have left jobs running, they are rescued once it is stale.
func (d Detak) Run(ctx context.Context) {
	t := time.NewTicker(d.Every)
	defer t.Stop()
	for {
		d.beat(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (d Detak) beat(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, d.Every)
	defer cancel()
	pool := d.DB.Side().Pool
	if _, err := pool.Exec(ctx, `insert into pekerja_detak (client_id, seen_at) values ($1, now())
		on conflict (client_id) do update set seen_at = now()`, d.ClientID); err != nil {
		if ctx.Err() == nil {
			d.Logger.WarnContext(ctx, "worker heartbeat", "error", err)
		}
		return
	}
	n, err := d.rescue(ctx)
	if err != nil {
		if ctx.Err() == nil {
			d.Logger.WarnContext(ctx, "rescue jobs of dead workers", "error", err)
		}
		return
	}
	if n > 0 {
		d.Logger.WarnContext(ctx, "rescued jobs of a worker that stopped", "jobs", n)
	}
}

// rescue makes the running jobs of stale processes available again (or
// discards those out of attempts), with an error entry as River's own
// rescuer writes. Only processes that once beat are judged: a client that
// never beat (an older version) is left to River. Old beats are pruned.
func (d Detak) rescue(ctx context.Context) (int64, error) {
	pool := d.DB.Side().Pool
	if _, err := pool.Exec(ctx, `delete from pekerja_detak where seen_at < now() - interval '1 day'`); err != nil {
		return 0, err
	}
	tag, err := pool.Exec(ctx, `with dead as (
			select j.id from `+db.RiverSchema+`.river_job j
			join pekerja_detak p on p.client_id = j.attempted_by[array_length(j.attempted_by, 1)]
			where j.state = 'running' and p.client_id <> $1 and p.seen_at < now() - make_interval(secs => $2)
			for update of j skip locked)
		update `+db.RiverSchema+`.river_job j set
			state = case when j.attempt >= j.max_attempts then 'discarded' else 'available' end::`+db.RiverSchema+`.river_job_state,
			finalized_at = case when j.attempt >= j.max_attempts then now() end,
			scheduled_at = now(),
			errors = array_append(j.errors, jsonb_build_object('at', now(), 'attempt', j.attempt,
				'error', 'worker process stopped (no heartbeat)', 'trace', ''))
		from dead where j.id = dead.id`, d.ClientID, d.Stale.Seconds())
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}
