package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"testing"
	"time"
)

// TestProgramSmall runs `sentra bench program` end to end at a tiny size,
// so that the benchmark keeps working as the services it calls change.
func TestProgramSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster")
	}
	m := runSmall(t, func(ctx context.Context, e *Env) error {
		return Program(ctx, e, ProgramOptions{Tenant: "tangsel", Rows: 1000, Programs: 14, Participations: 2000, Requests: 50, Concurrency: 2})
	})
	for name, want := range map[string]float64{"program_umkm": 1000, "program_programs": 14, "program_agensi": 5, "program_peserta": 1000} {
		if m[name] != want {
			t.Errorf("%s = %v, want %v", name, m[name], want)
		}
	}
	// Other agencies' rows: the other half, less the same person twice on one list.
	if m["program_luar"] < 900 || m["program_luar"] > 1000 {
		t.Errorf("program_luar = %v, want 900–1000", m["program_luar"])
	}
	// 40% of the businesses are never reached; a few reached ones only by
	// a refused application or an unmatched list row.
	if b := m["program_belum_pernah"]; b < 400 || b > 600 {
		t.Errorf("program_belum_pernah = %v, want 400–600", b)
	}
	if m["cek_tumpang_items_avg"] <= 0 {
		t.Error("the candidates checked had no other participation")
	}
	for _, name := range []string{"cek_tumpang_p50_ms", "cek_tumpang_p99_ms", "belum_pernah_page_p50_ms", "belum_pernah_page_p99_ms",
		"belum_pernah_jumlah_p50_ms", "belum_pernah_jumlah_p99_ms", "belum_pernah_jumlah_kantor_p50_ms", "laporan_tumpang_p50_ms",
		"laporan_tumpang_max_ms", "laporan_program_ms", "laporan_program_tahun_ms", "laporan_dampak_ms", "dasbor_refresh_ms"} {
		if v, ok := m[name]; !ok || v <= 0 {
			t.Errorf("%s = %v (printed: %v)", name, v, ok)
		}
	}
}

// runSmall runs a benchmark on a private PostgreSQL and answers the
// metrics it printed (each line must be one).
func runSmall(t *testing.T, run func(context.Context, *Env) error) map[string]float64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var out bytes.Buffer
	e, err := Setup(ctx, "", os.Getenv("DATABASE_URL"), &out, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if err := run(ctx, e); err != nil {
		t.Fatal(err)
	}
	m := map[string]float64{}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var line struct {
			Metric string
			Value  float64
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("not a metric line: %q", sc.Text())
		}
		m[line.Metric] = line.Value
	}
	return m
}
