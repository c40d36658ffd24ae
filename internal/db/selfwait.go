package db

import (
	"context"
	"errors"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrSelfWait is returned instead of waiting when a line of work that holds
// a transaction on a pool asks the same pool for another connection. With
// every connection held by such work, each would wait for the others
// forever (a dozen exports once froze every office this way). Use the same
// transaction, or DB.Side for writes beside it.
var ErrSelfWait = errors.New("db: this work already holds a transaction on this pool and would wait on the pool for itself")

// A work is one line of work (a request, a job attempt): the pools on which
// it holds a transaction now.
type work struct {
	mu   sync.Mutex
	held map[*pgxpool.Pool]bool
}

type workKey struct{}

// WithWork marks ctx as the root of one line of work (done by the HTTP and
// job middleware): from then on, a transaction begun on a pool on which the
// work already holds one fails with ErrSelfWait instead of waiting.
func WithWork(ctx context.Context) context.Context {
	return context.WithValue(ctx, workKey{}, &work{held: map[*pgxpool.Pool]bool{}})
}

// Detach starts a new line of work for a goroutine that legitimately holds
// its own transaction beside its parent's (the import's chunk writers).
func Detach(ctx context.Context) context.Context {
	if _, ok := ctx.Value(workKey{}).(*work); !ok {
		return ctx
	}
	return WithWork(ctx)
}

// hold records that the work of ctx takes a connection of pool until
// release; outside a work it records nothing.
func hold(ctx context.Context, pool *pgxpool.Pool) (release func(), err error) {
	w, ok := ctx.Value(workKey{}).(*work)
	if !ok {
		return func() {}, nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.held[pool] {
		return nil, ErrSelfWait
	}
	w.held[pool] = true
	return func() {
		w.mu.Lock()
		delete(w.held, pool)
		w.mu.Unlock()
	}, nil
}
