package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/langganan"
	"github.com/sentra-id/sentra/internal/web"
	"github.com/sentra-id/sentra/internal/web/webtest"
)

// TestOtherOfficeInEveryState: Medan read-only (suspended), then being
// closed (offboarding, its admins only), each reached by recording its
// facts. To Depok's users every office page of Medan, GET or POST, is
// exactly the page of an office that does not exist: no "hanya dapat
// dibaca" (402) and no "hanya admin kantor" answer tells them Medan
// exists, and nothing in Medan changes.
func TestOtherOfficeInEveryState(t *testing.T) {
	srv := webtest.New(t)
	patterns, err := web.KantorPatterns()
	if err != nil || !slices.Contains(patterns, "GET /t/{tenant}/tagihan") || !slices.Contains(patterns, "POST /t/{tenant}/umkm/baru") {
		t.Fatalf("the office pages: %q %v", patterns, err)
	}
	ctx := context.Background()
	medan := srv.Tenants["medan"]
	kec, err := srv.Store.ListWilayah(ctx, medan.ID, "", 1)
	if err != nil || len(kec) == 0 {
		t.Fatalf("kecamatan of medan: %v", err)
	}
	// A real record of Medan fills every id: it must look like nothing.
	var id uuid.UUID
	if err := srv.Env.DB.InTx(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, "select id from users where email = $1", webtest.StafMedan).Scan(&id)
	}); err != nil {
		t.Fatal(err)
	}
	fill := func(pattern, slug string) (string, string) {
		method, path, _ := strings.Cut(pattern, " ")
		return method, strings.NewReplacer("{tenant}", slug, "{id}", id.String(), "{kendala}", id.String(),
			"{usulan_id}", id.String(), "{peserta}", id.String(), "{sesi}", id.String(), "{kode}", kec[0].Kode, "{$}", "").Replace(path)
	}
	callers := map[string]*webtest.Client{}
	for _, email := range []string{webtest.AdminDepok, webtest.StafDepok, webtest.ViewerDepok} {
		callers[email] = srv.Client(t)
		callers[email].Login(email)
	}
	send := func(c *webtest.Client, method, path string) webtest.Response {
		if method == http.MethodPost {
			return c.Post(path, url.Values{"nama_usaha": {"Warung Uji"}, "alasan": {"uji isolasi"}, "versi": {"1"}})
		}
		return c.Do(method, path, nil, nil)
	}

	for _, step := range []struct {
		want  langganan.State
		facts []langganan.Fact
	}{
		{langganan.ReadOnly, []langganan.Fact{langganan.StartTrial(time.Now().AddDate(0, 0, 30)), langganan.Suspend("uji isolasi")}},
		{langganan.Offboarding, []langganan.Fact{func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, now time.Time) error {
			_, err := tx.Exec(ctx, "update tenant_billing set offboarding_at = $2 where tenant_id = $1", tenantID, now)
			return err
		}}},
	} {
		var st langganan.Status
		for _, f := range step.facts {
			st = srv.Record(t, "medan", f)
		}
		if st.State != step.want {
			t.Fatalf("medan is %s, want %s", st.State, step.want)
		}
		audits := srv.Count(t, "select count(*) from audit_log where tenant_id = $1", medan.ID)
		t.Run(string(st.State), func(t *testing.T) {
			for _, p := range patterns {
				method, path := fill(p, "medan")
				_, missing := fill(p, "tidak-ada")
				for email, c := range callers {
					got, nope := send(c, method, path), send(c, method, missing)
					if nope.Status != http.StatusNotFound {
						t.Errorf("%s %s as %s: a missing office answers %d", method, missing, email, nope.Status)
						continue
					}
					if got.Status != nope.Status || requestID.ReplaceAllString(got.Body, "") != requestID.ReplaceAllString(nope.Body, "") {
						t.Errorf("%s %s as %s: %d, unlike a missing office:\n%s", method, path, email, got.Status, got.Body)
					}
				}
			}
		})
		if n := srv.Count(t, "select count(*) from audit_log where tenant_id = $1", medan.ID); n != audits {
			t.Errorf("%s: the probes wrote %d audit rows in medan", st.State, n-audits)
		}
	}
}
