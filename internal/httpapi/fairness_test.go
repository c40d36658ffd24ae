package httpapi

import (
	"net/http"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/pekerjaan"
)

// TestExportsBeyondTheOfficeCapAre429: with no worker running, an office
// queues QueuedCap exports; the next is 429 with Retry-After and a message
// in Indonesian naming the limit, and no pekerjaan is written for it.
// Another office still queues.
func TestExportsBeyondTheOfficeCapAre429(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	for i := range pekerjaan.QueuedCap {
		if r := b.do(t, http.MethodPost, "/v1/tenants/depok/umkm/ekspor", staf, nil); r.status != http.StatusAccepted {
			t.Fatalf("export %d: %d %s", i+1, r.status, r.raw)
		}
	}
	r := b.do(t, http.MethodPost, "/v1/tenants/depok/umkm/ekspor", staf, nil)
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("export beyond the cap: %d %s, want 429", r.status, r.raw)
	}
	if r.header.Get("Retry-After") == "" || !strings.HasPrefix(r.header.Get("Content-Type"), "application/problem+json") {
		t.Errorf("429 headers: Retry-After %q, Content-Type %q", r.header.Get("Retry-After"), r.header.Get("Content-Type"))
	}
	if !strings.Contains(string(r.raw), "batasnya 10") {
		t.Errorf("429 does not name the limit: %s", r.raw)
	}
	var n int
	if err := b.env.DB.InTenantTx(t.Context(), b.tenants["depok"], func(tx pgx.Tx) error {
		return tx.QueryRow(t.Context(), "select count(*) from pekerjaan").Scan(&n)
	}); err != nil {
		t.Fatal(err)
	}
	if n != pekerjaan.QueuedCap {
		t.Errorf("%d pekerjaan after the refusal, want %d", n, pekerjaan.QueuedCap)
	}
	if r := b.do(t, http.MethodPost, "/v1/tenants/medan/umkm/ekspor", b.login(t, b.medanStaf.Email), nil); r.status != http.StatusAccepted {
		t.Errorf("another office's export: %d %s", r.status, r.raw)
	}
}
