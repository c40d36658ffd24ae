package httpapi

import (
	"log/slog"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/metrics"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// metricsRoute answers GET /metrics to those access allows; anyone else
// gets the 404 of a path that does not exist, which tells them nothing.
func metricsRoute(m *metrics.Metrics, access metrics.Access, logger *slog.Logger) http.Handler {
	h := m.Handler(logger)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !access.Allows(r) {
			writeProblem(w, fromAppErr(apperr.NotFound(), language(r.Header.Get("Accept-Language"))))
			return
		}
		h.ServeHTTP(w, r)
	})
}

// MetricsOnly is the HTTP surface of a process without the API (sentra
// worker --metrics-addr): GET /metrics, and problem+json for anything else.
func MetricsOnly(m *metrics.Metrics, access metrics.Access, logger *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metricsRoute(m, access, logger))
	return problemsForUnrouted(mux)
}

// nameOperation tells the metrics which operation took the request: its id
// is a label safe to keep, unlike the path, which holds ids and codes.
func nameOperation(hctx huma.Context, next func(huma.Context)) {
	tenancy.Note(hctx.Context()).Operation = hctx.Operation().OperationID
	next(hctx)
}

// metricsOperation is the label of a request: its operation id, else the
// route pattern that took it (both from code), else metrics.Unmatched.
func metricsOperation(i *tenancy.RequestInfo) string {
	switch {
	case i.Operation != "":
		return i.Operation
	case i.Route != "":
		return i.Route
	}
	return metrics.Unmatched
}
