package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/logging"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// TestToProblemKeepsInternalsOut: database and other internal errors become
// a bare 500 (their text goes to the log, once, with the request id); the
// PostgreSQL errors a caller can cause map to their status without the
// driver's text.
func TestToProblemKeepsInternalsOut(t *testing.T) {
	t.Parallel()
	missing := &pgconn.PgError{Severity: "ERROR", Code: "42P01", Message: `relation "umkm_rahasia" does not exist`,
		Position: 15, File: "parse_relation.c", Routine: "parserOpenTable"}
	unique := &pgconn.PgError{Severity: "ERROR", Code: "23505",
		Message:        `duplicate key value violates unique constraint "users_email_key"`,
		Detail:         "Key (email)=(siti@depok.go.id) already exists.",
		SchemaName:     "public",
		TableName:      "users",
		ConstraintName: "users_email_key"}
	foreign := &pgconn.PgError{Severity: "ERROR", Code: "23503",
		Message: `insert or update on table "umkm" violates foreign key constraint "umkm_wilayah_fkey"`,
		Detail:  `Key (tenant_id, kelurahan)=(0190, 32.76.01.1001) is not present in table "wilayah".`}
	rls := &pgconn.PgError{Severity: "ERROR", Code: "42501", Message: `new row violates row-level security policy for table "umkm"`}
	serialization := &pgconn.PgError{Severity: "ERROR", Code: "40001", Message: "could not serialize access due to concurrent update"}

	for _, tc := range []struct {
		name   string
		err    error
		status int
		leaks  []string // text of the cause that must not reach the client
	}{
		{"raw pg error", missing, 500, []string{"umkm_rahasia", "relation", "42P01", "parse_relation"}},
		{"wrapped pg error", fmt.Errorf("list umkm: %w", missing), 500, []string{"umkm_rahasia", "list umkm"}},
		{"plain error", errors.New("dial tcp 10.20.30.40:5432: connect: connection refused"), 500, []string{"10.20.30.40", "dial tcp", "refused"}},
		{"internal apperr", &apperr.Error{Kind: apperr.KindInternal, Message: apperr.T("x", "x"), Cause: errors.New("disk full on /var/lib/pg")}, 500, []string{"disk full"}},
		{"unique violation", unique, 409, []string{"users_email_key", "siti@depok.go.id", "Key (", "duplicate key"}},
		{"wrapped unique violation", fmt.Errorf("insert user: %w", unique), 409, []string{"users_email_key", "siti@depok.go.id", "insert user"}},
		{"foreign key violation", foreign, 422, []string{"umkm_wilayah_fkey", "32.76.01.1001", "wilayah"}},
		{"row-level security", rls, 404, []string{"row-level", "security", "umkm"}},
		{"serialization failure", serialization, 409, []string{"serialize"}},
		{"no rows", fmt.Errorf("get umkm: %w", pgx.ErrNoRows), 404, []string{"no rows", "get umkm"}},
		{"unavailable", apperr.Unavailable(errors.New("pool exhausted at 10.20.30.40")), 503, []string{"pool exhausted", "10.20.30.40"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs syncBuffer
			logger, err := logging.New(&logs, "info", "json")
			if err != nil {
				t.Fatal(err)
			}
			ctx := withLogger(tenancy.WithRequestID(context.Background(), "req-uji-0001"), logger)
			for _, lang := range []string{"id", "en"} {
				p := toProblem(ctx, lang, tc.err)
				if p.Status != tc.status {
					t.Errorf("%s: status %d, want %d", lang, p.Status, tc.status)
				}
				raw, err := json.Marshal(p)
				if err != nil {
					t.Fatal(err)
				}
				for _, leak := range append(tc.leaks, "SQLSTATE", "pgconn", "pgx") {
					if strings.Contains(string(raw), leak) {
						t.Errorf("%s: the body carries %q: %s", lang, leak, raw)
					}
				}
				if p.Detail == "" || p.Title != http.StatusText(tc.status) {
					t.Errorf("%s: title %q detail %q", lang, p.Title, p.Detail)
				}
			}
			if tc.status == http.StatusInternalServerError {
				// Logged for the operator, with the request id, once per call.
				lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
				if len(lines) != 2 {
					t.Fatalf("%d log lines for 2 calls, want 2:\n%s", len(lines), logs.String())
				}
				if !strings.Contains(lines[0], `"request_id":"req-uji-0001"`) || !strings.Contains(lines[0], tc.leaks[0]) {
					t.Errorf("log line without the request id or the cause: %s", lines[0])
				}
			}
		})
	}
}

// TestInternalErrorsOverHTTP: a panic in a handler and a database that went
// away answer problem+json with no internal text, and the server carries on.
func TestInternalErrorsOverHTTP(t *testing.T) {
	t.Parallel()
	b := setup(t)
	register(b.srv.API(), public, testOp("panic-test", http.MethodGet, "/v1/public/test/panic"),
		func(context.Context, *struct{}) (*struct{}, error) { panic("secret panic text at umkm_rahasia") })
	register(b.srv.API(), public, testOp("fail-test", http.MethodGet, "/v1/public/test/fail"),
		func(context.Context, *struct{}) (*struct{}, error) {
			return nil, fmt.Errorf("select nik from umkm_rahasia: %w", &pgconn.PgError{Code: "XX000", Message: "internal_error at 10.20.30.40"})
		})
	token := b.login(t, b.depokStaf.Email)

	for _, path := range []string{"/v1/public/test/panic", "/v1/public/test/fail"} {
		r := b.do(t, http.MethodGet, path, "", nil, "Accept-Language", "en")
		if r.status != http.StatusInternalServerError {
			t.Fatalf("%s: %d, want 500: %s", path, r.status, r.raw)
		}
		r.problem(t)
		for _, leak := range []string{"secret", "umkm_rahasia", "10.20.30.40", "goroutine", ".go:"} {
			if strings.Contains(string(r.raw), leak) {
				t.Errorf("%s: the body carries %q: %s", path, leak, r.raw)
			}
		}
		if !strings.Contains(b.logs.String(), "umkm_rahasia") {
			t.Errorf("%s: the cause was not logged", path)
		}
	}
	if r := b.do(t, http.MethodGet, "/v1/me", token, nil); r.status != http.StatusOK {
		t.Fatalf("the server after a panic: %d %s", r.status, r.raw)
	}

	// The database goes away. (The session is in memory by now; the list
	// needs the database.)
	if r := b.do(t, http.MethodGet, "/v1/tenants/depok/umkm", token, nil); r.status != http.StatusOK {
		t.Fatalf("list with a database: %d %s", r.status, r.raw)
	}
	b.env.DB.Close()
	r := b.do(t, http.MethodGet, "/v1/tenants/depok/umkm", token, nil)
	if r.status != http.StatusInternalServerError {
		t.Errorf("list without a database: %d, want 500: %s", r.status, r.raw)
	}
	r.problem(t)
	if strings.Contains(string(r.raw), "closed") || strings.Contains(string(r.raw), "pool") {
		t.Errorf("the body carries the driver's text: %s", r.raw)
	}
	r = b.do(t, http.MethodGet, "/readyz", "", nil)
	if r.status != http.StatusServiceUnavailable {
		t.Errorf("readyz without a database: %d, want 503: %s", r.status, r.raw)
	}
	r.problem(t)
	if strings.Contains(string(r.raw), "closed") || strings.Contains(string(r.raw), "pool") {
		t.Errorf("readyz carries the driver's text: %s", r.raw)
	}
	if r := b.do(t, http.MethodGet, "/healthz", "", nil); r.status != http.StatusOK {
		t.Errorf("healthz without a database: %d, want 200 (the process lives)", r.status)
	}
}

func testOp(id, method, path string) huma.Operation {
	return huma.Operation{OperationID: id, Method: method, Path: path}
}

// TestLanguage: Indonesian unless the client prefers English.
func TestLanguage(t *testing.T) {
	t.Parallel()
	for header, want := range map[string]string{
		"":                "id",
		"id":              "id",
		"en":              "en",
		"EN-us":           "en",
		"en-GB,en;q=0.9":  "en",
		"id-ID,en;q=0.8":  "id",
		"fr-FR, en;q=0.5": "en",
		"jv, su":          "id",
		"*":               "id",
		"english":         "id",
	} {
		if got := language(header); got != want {
			t.Errorf("language(%q) = %q, want %q", header, got, want)
		}
	}
}
