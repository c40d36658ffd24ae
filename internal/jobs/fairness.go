package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/pekerjaan"
)

// fairnessMiddleware bounds how many long jobs of one office run at once. A
// job of the long queue that finds its tenant already running limit older
// attempts steps back (a snooze, which costs no attempt) and lets the next
// queued job, often another office's, take the worker. Ranking by
// (attempted_at, id) makes two jobs fetched at once agree on which runs.
type fairnessMiddleware struct {
	river.MiddlewareDefaults
	db    *db.DB
	limit int
}

// fairnessRetry is how long a job that stepped back waits before asking
// again: short, since staff watch the progress bar.
const fairnessRetry = 2 * time.Second

func (m *fairnessMiddleware) Work(ctx context.Context, job *rivertype.JobRow, doInner func(context.Context) error) error {
	if job.Queue != pekerjaan.Queue || m.limit <= 0 || job.AttemptedAt == nil {
		return doInner(ctx)
	}
	var args struct {
		TenantID string `json:"tenant_id"`
	}
	if err := json.Unmarshal(job.EncodedArgs, &args); err != nil || args.TenantID == "" {
		return doInner(ctx)
	}
	var ahead int
	err := m.db.Pool.QueryRow(ctx, `select count(*) from `+db.RiverSchema+`.river_job
		where state = 'running' and queue = $1 and args->>'tenant_id' = $2 and (attempted_at, id) < ($3, $4)`,
		pekerjaan.Queue, args.TenantID, *job.AttemptedAt, job.ID).Scan(&ahead)
	if err != nil {
		return fmt.Errorf("job %d: count the tenant's running jobs: %w", job.ID, err)
	}
	if ahead >= m.limit {
		return river.JobSnooze(fairnessRetry)
	}
	return doInner(ctx)
}
