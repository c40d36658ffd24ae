package bench

import (
	"context"
	"testing"
)

// TestPemasaranSmall runs `sentra bench pemasaran` end to end at a tiny
// size, so that the benchmark keeps working as the services it calls
// change: what it seeded, that the ledgers balance (Pemasaran fails
// otherwise, before and after the timed sales reports) and what it printed.
func TestPemasaranSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster")
	}
	o := PemasaranOptions{Tenant: "tangsel", Rows: 200, Produk: 2, Titik: 12, Kurasi: 300, Minggu: 30, Requests: 40, Concurrency: 2}
	m := runSmall(t, func(ctx context.Context, e *Env) error { return Pemasaran(ctx, e, o) })
	// 12 points: two run by the late partner (every sixth), each with an
	// alert for every silent week but the last.
	for name, want := range map[string]float64{"pemasaran_umkm": 200, "pemasaran_produk": 400, "pemasaran_titik": 12, "pemasaran_kurasi": 300,
		"pemasaran_jual": 300*30 - 50*mingguTerlambat, "pemasaran_terlambat": 2 * (mingguTerlambat - 1), "dasbor_terlambat_operator": 6,
		"dasbor_terlambat_lapor": 2 * (mingguTerlambat - 1), "lapor_jual_n": 10} {
		if m[name] != want {
			t.Errorf("%s = %v, want %v", name, m[name], want)
		}
	}
	// Every ledger: the first receipt, its reports, some restocks, opnames
	// and settlements.
	if g := m["pemasaran_gerak"]; g < m["pemasaran_jual"]+300 {
		t.Errorf("pemasaran_gerak = %v: fewer than a receipt per ledger besides the reports", g)
	}
	if m["pemasaran_bayar"] < 300 {
		t.Errorf("pemasaran_bayar = %v: fewer than one settlement per ledger", m["pemasaran_bayar"])
	}
	if m["stok_titik_baris_avg"] != 25 {
		t.Errorf("stok_titik_baris_avg = %v, want 25 (300 listings over 12 points)", m["stok_titik_baris_avg"])
	}
	if m["buku_kurasi_gerak_avg"] < 31 {
		t.Errorf("buku_kurasi_gerak_avg = %v, want over 30", m["buku_kurasi_gerak_avg"])
	}
	for _, name := range []string{"pemasaran_seed_seconds", "stok_titik_p50_ms", "stok_titik_p99_ms", "buku_kurasi_p50_ms", "buku_kurasi_p99_ms",
		"dasbor_terlambat_p50_ms", "dasbor_terlambat_p99_ms", "lapor_jual_p50_ms", "lapor_jual_p99_ms"} {
		if v, ok := m[name]; !ok || v <= 0 {
			t.Errorf("%s = %v (printed: %v)", name, v, ok)
		}
	}
}
