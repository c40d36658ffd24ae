package bench

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/teks"
)

// ResetStatements starts counting the server's statements afresh, where
// the server has pg_stat_statements loaded (the private cluster does).
func (e *Env) ResetStatements(ctx context.Context) {
	conn, err := pgx.Connect(ctx, e.AdminURL)
	if err != nil {
		return
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "create extension if not exists pg_stat_statements"); err != nil {
		e.Logger.Info("pg_stat_statements not loaded: statements are not attributed", "err", err)
		return
	}
	_, _ = conn.Exec(ctx, "select pg_stat_statements_reset()")
}

// LogStatements logs the n statements that took the server the most time
// since ResetStatements, and prints their total. The texts are normalised
// by the server (constants replaced by $n): no record's data.
func (e *Env) LogStatements(ctx context.Context, n int) {
	conn, err := pgx.Connect(ctx, e.AdminURL)
	if err != nil {
		return
	}
	defer conn.Close(context.WithoutCancel(ctx))
	rows, err := conn.Query(ctx, `
		select query, calls, total_exec_time, rows, sum(total_exec_time) over ()
		from pg_stat_statements order by total_exec_time desc limit $1`, n)
	if err != nil {
		return
	}
	defer rows.Close()
	var all float64
	for rows.Next() {
		var (
			q           string
			calls, nrow int64
			ms          float64
		)
		if rows.Scan(&q, &calls, &ms, &nrow, &all) != nil {
			return
		}
		e.Logger.Info("statement", "total_s", ms/1000, "calls", calls, "mean_ms", ms/float64(max(calls, 1)), "rows", nrow,
			"query", teks.Truncate(strings.Join(strings.Fields(q), " "), 1500))
	}
	if rows.Err() == nil {
		e.Metric("pg_statements_s", all/1000)
	}
}
