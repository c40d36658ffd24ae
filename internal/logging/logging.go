// Package logging builds the structured logger. Every record made with a
// request's context carries its request id and tenant, so one request can be
// followed across the API, the database layer and the jobs it enqueued.
package logging

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/sentra-id/sentra/internal/tenancy"
)

// New returns a logger writing format ("json" or "text") at level.
func New(w io.Writer, level, format string) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	var h slog.Handler
	switch strings.ToLower(format) {
	case "json":
		h = slog.NewJSONHandler(w, opts)
	case "text":
		h = slog.NewTextHandler(w, opts)
	default:
		return nil, fmt.Errorf("log format %q: want json or text", format)
	}
	return slog.New(contextHandler{h}), nil
}

// contextHandler adds request_id and tenant from the context to each record.
type contextHandler struct{ slog.Handler }

func (h contextHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := tenancy.RequestID(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	if t, ok := tenancy.TenantFrom(ctx); ok {
		if t.Slug != "" {
			r.AddAttrs(slog.String("tenant", t.Slug))
		} else {
			r.AddAttrs(slog.String("tenant_id", t.ID.String()))
		}
	}
	return h.Handler.Handle(ctx, r)
}

func (h contextHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return contextHandler{h.Handler.WithAttrs(attrs)}
}

func (h contextHandler) WithGroup(name string) slog.Handler {
	return contextHandler{h.Handler.WithGroup(name)}
}
