package langganan_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/langganan"
)

// TestCancelOffboardArchive: the facts of an office's last steps, on the
// real schema. Offboarding an active office is refused naming why; a
// second cancellation changes nothing; offboarding starts from canceled,
// runs its hook each time and sets the purge date from the office's own
// window; the archive waits for that date.
func TestCancelOffboardArchive(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	now := time.Now()
	clock := now
	svc := &langganan.Service{DB: b.d, Now: func() time.Time { return clock }}
	record := func(f langganan.Fact) (langganan.Status, error) { return svc.Record(ctx, b.tenant, "kota-uji", f) }
	hooked := 0
	hook := func(context.Context, pgx.Tx) error { hooked++; return nil }

	_, err := record(langganan.Offboard(hook))
	if ae, ok := apperr.As(err); !ok || ae.Kind != apperr.KindConflict || ae.Message.ID == "" {
		t.Fatalf("offboard an active office: %v, want a conflict saying why", err)
	} else if want := "kantor ini masih aktif"; !strings.Contains(ae.Message.ID, want) {
		t.Errorf("the refusal %q does not say %q", ae.Message.ID, want)
	}
	if hooked != 0 {
		t.Error("the hook ran for a refused offboarding")
	}
	if _, err := record(langganan.Cancel("x", nil)); apperr.KindOf(err) != apperr.KindInvalid {
		t.Errorf("a cancellation without a reason: %v", err)
	}
	st, err := record(langganan.Cancel("SPK tidak diperpanjang", nil))
	if err != nil || st.State != langganan.Canceled || !st.Until.Equal(st.Facts.CanceledAt.Add(90*24*time.Hour)) {
		t.Fatalf("cancel: %+v, %v", st, err)
	}
	first := st.Facts.CanceledAt
	clock = now.Add(time.Hour)
	if st, err := record(langganan.Cancel("alasan lain", nil)); err != nil || !st.Facts.CanceledAt.Equal(first) {
		t.Errorf("a second cancellation: %+v, %v; want the first kept", st.Facts.CanceledAt, err)
	}
	var reason string
	if err := b.d.InTenantTx(ctx, b.tenant, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "update tenant_billing set purge_after_days = 7"); err != nil {
			return err
		}
		return tx.QueryRow(ctx, "select canceled_reason from tenant_billing").Scan(&reason)
	}); err != nil || reason != "SPK tidak diperpanjang" {
		t.Fatalf("the reason kept: %q, %v", reason, err)
	}

	st, err = record(langganan.Offboard(hook))
	if err != nil || st.State != langganan.Offboarding || st.Reason != langganan.ReasonOffboarding ||
		!st.Until.Equal(clock.Add(7*24*time.Hour).Truncate(time.Microsecond)) || hooked != 1 {
		t.Fatalf("offboard: %+v (until %s), %v, hook ran %d times", st.Decision, st.Until, err, hooked)
	}
	if _, err := record(langganan.Cancel("lagi", nil)); apperr.KindOf(err) != apperr.KindConflict {
		t.Errorf("cancel while closing: %v, want a conflict", err)
	}
	if _, err := record(langganan.Archive()); apperr.KindOf(err) != apperr.KindConflict {
		t.Errorf("archive before the purge date: %v, want a conflict", err)
	}
	clock = now.Add(2 * time.Hour)
	if st, err := record(langganan.Offboard(hook)); err != nil || hooked != 2 || !st.Facts.OffboardingAt.Equal(now.Add(time.Hour).Truncate(time.Microsecond)) {
		t.Errorf("offboard again: %v, hook ran %d times, started %s; want the first start kept", err, hooked, st.Facts.OffboardingAt)
	}

	clock = now.Add(8 * 24 * time.Hour)
	if st, err := record(langganan.Archive()); err != nil || st.State != langganan.Archived {
		t.Fatalf("archive once the purge is due: %+v, %v", st, err)
	}
	var state string
	if err := b.d.Pool.QueryRow(ctx, "select state from tenants where id = $1", b.tenant).Scan(&state); err != nil || state != "archived" {
		t.Errorf("stored state %q, %v", state, err)
	}
}

// TestOffboardFromReadOnly: an office read-only for an unpaid invoice may
// be closed without a cancellation first; its contract ends with it.
func TestOffboardFromReadOnly(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	if err := b.d.InTenantTx(ctx, b.tenant, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `update tenant_billing set suspended_at = now()`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	svc := &langganan.Service{DB: b.d, Now: time.Now}
	st, err := svc.Record(ctx, b.tenant, "kota-uji", langganan.Offboard(nil))
	if err != nil || st.State != langganan.Offboarding || st.Facts.CanceledAt.IsZero() {
		t.Fatalf("offboard a suspended office: %+v, %v", st, err)
	}
}
