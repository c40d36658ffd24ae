package umkm_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/umkm"
)

func TestKodePrefix(t *testing.T) {
	for slug, want := range map[string]string{
		"depok": "DPK", "tangsel": "TNG", "karawang": "KRW", "medan": "MDN",
		"kab-bogor": "KBB", "aceh": "ACH", "ua": "U", "x1": "X", "12": "REG",
	} {
		if got := umkm.KodePrefix(slug); got != want {
			t.Errorf("KodePrefix(%q) = %q, want %q", slug, got, want)
		}
	}
}

func TestParseKode(t *testing.T) {
	for _, tc := range []struct {
		in, want string // want "" when refused
	}{
		{"DPK-7Q4MK-9X2AB", "DPK-7Q4MK-9X2AB"},
		{"dpk-7q4mk-9x2ab", "DPK-7Q4MK-9X2AB"},
		{"DPK 7Q4MK 9X2AB", "DPK-7Q4MK-9X2AB"},
		{"7q4mk9x2ab", "DPK-7Q4MK-9X2AB"},      // without the prefix
		{"DPK-O0ILl-9X2AB", "DPK-00111-9X2AB"}, // O is 0, I and L are 1
		{"MDN-7Q4MK-9X2AB", ""},                // another tenant's prefix
		{"DPK-7Q4MK-9X2A", ""},                 // too short
		{"DPK-7Q4MK-9X2ABC", ""},               // too long
		{"DPK-7Q4MU-9X2AB", ""},                // U is not in the alphabet
		{"DPK-7Q4MK-9X2A%", ""},                // not a symbol
		{"DPK-7Q4MK-9X2A\u0411", ""},           // not ASCII
		{"' or 1=1 --", ""},
	} {
		got, ok := umkm.ParseKode("DPK", tc.in)
		if (tc.want == "") == ok || got != tc.want {
			t.Errorf("ParseKode(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}

// count of platform rows (no tenant).
func countPlatform(t *testing.T, b *bundle, sql string) int {
	t.Helper()
	var n int
	if err := b.env.DB.Pool.QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func registrasiForm() umkm.RegistrasiInput {
	p := "P"
	return umkm.RegistrasiInput{NamaPemilik: "Siti Aminah", NIK: "3276-0145-0785-0001", JenisKelamin: &p, Telepon: "0812 3456 7890",
		NamaUsaha: "Keripik Bu Siti", Sektor: "kuliner", KecamatanKode: "32.76.01", KelurahanKode: "32.76.01.1006"}
}

// TestRegisterKeepsTheNIKSealed: the NIK is stored only as its keyed hash
// (the same the register matches duplicates with) and sealed; the data
// column holds the normalised rest and never the NIK.
func TestRegisterKeepsTheNIKSealed(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	depok := b.tenants["depok"]
	st, replayed, err := b.svc.Register(ctx, depok, registrasiForm(), "203.0.113.9", "", umkm.RegistrasiLimits{})
	if err != nil || replayed {
		t.Fatalf("register: %v (replayed %v)", err, replayed)
	}
	if canon, ok := umkm.ParseKode("DPK", st.KodeLacak); !ok || canon != st.KodeLacak {
		t.Errorf("code %q does not parse back to itself", st.KodeLacak)
	}
	const nik = "3276014507850001"
	var data string
	var hash, sealed []byte
	err = b.env.DB.InTenantTx(ctx, depok.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, "select data::text, nik_hash, nik_sealed from registrasi where kode_lacak = $1", st.KodeLacak).Scan(&data, &hash, &sealed)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, clear := range []string{nik, "3276-0145", `"nik"`} {
		if strings.Contains(data, clear) {
			t.Errorf("data carries %q: %s", clear, data)
		}
	}
	if !strings.Contains(data, `"telepon": "081234567890"`) {
		t.Errorf("data is not the normalised form: %s", data)
	}
	if !bytes.Equal(hash, b.svc.Sealer.Hash(depok.ID, nik)) {
		t.Error("nik_hash is not the register's matching hash of the NIK")
	}
	if opened, err := b.svc.Sealer.Open(depok.ID, sealed); err != nil || opened != nik {
		t.Errorf("nik_sealed opens to %q, %v", opened, err)
	}
	if bytes.Contains(sealed, []byte(nik)) {
		t.Error("nik_sealed holds the NIK in the clear")
	}
}

// TestThrottleWindowSlides: a limit counts the requests of the last window;
// Retry-After says when room comes back, and then there is room; rows past
// the longest window are pruned.
func TestThrottleWindowSlides(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	var mu sync.Mutex
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); defer mu.Unlock(); now = now.Add(d) }
	svc := &umkm.Service{DB: b.svc.DB, Sealer: b.svc.Sealer, Logger: b.svc.Logger, Now: clock}
	ten := umkm.Limit{N: 2, Window: 10 * time.Minute}
	lim := umkm.RegistrasiLimits{CreatePerClient: ten, CreatePerTenant: umkm.Limit{N: 100, Window: 10 * time.Minute},
		StatusPerClient: ten, StatusPerTenant: umkm.Limit{N: 100, Window: 10 * time.Minute}}
	lookup := func(client string) error {
		_, err := svc.RegistrasiStatus(ctx, b.tenants["depok"], "DPK-00000-00000", client, lim)
		return err
	}
	admitted := func(err error) bool { return apperr.KindOf(err) == apperr.KindNotFound }
	retryAfter := func(err error) time.Duration {
		t.Helper()
		e, ok := apperr.As(err)
		if !ok || e.Kind != apperr.KindTooManyRequests {
			t.Fatalf("want TooManyRequests, got %v", err)
		}
		return e.RetryAfter
	}

	if !admitted(lookup("203.0.113.1")) {
		t.Fatal("first lookup refused")
	}
	advance(4 * time.Minute)
	if !admitted(lookup("203.0.113.1")) {
		t.Fatal("second lookup refused")
	}
	if w := retryAfter(lookup("203.0.113.1")); w != 6*time.Minute {
		t.Errorf("Retry-After %v, want 6m (the first lookup leaves the window)", w)
	}
	if !admitted(lookup("203.0.113.2")) {
		t.Error("another address was refused")
	}
	if admitted(lookup("203.0.113.1")) {
		t.Error("a refused lookup was admitted on retry")
	}
	advance(6*time.Minute + time.Second)
	if !admitted(lookup("203.0.113.1")) {
		t.Error("refused after the first lookup left the window")
	}
	if w := retryAfter(lookup("203.0.113.1")); w != 4*time.Minute-time.Second {
		t.Errorf("Retry-After %v, want 3m59s", w)
	}
	// Refused lookups are not counted: four admitted, each counted twice
	// (client and tenant), less the first one's two, pruned by the last.
	if n := countPlatform(t, b, "select count(*) from throttle_hits"); n != 6 {
		t.Errorf("%d hits recorded, want 6", n)
	}
	advance(11 * time.Minute)
	if !admitted(lookup("203.0.113.3")) {
		t.Error("refused after everything left the window")
	}
	if n := countPlatform(t, b, "select count(*) from throttle_hits"); n != 2 {
		t.Errorf("%d hits after pruning, want the 2 of the last lookup", n)
	}
	// Another tenant's counters are its own.
	if _, err := svc.RegistrasiStatus(ctx, b.tenants["medan"], "MDN-00000-00000", "203.0.113.1", lim); !admitted(err) {
		t.Errorf("medan: %v", err)
	}
}
