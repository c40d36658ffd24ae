package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// TestDemoRunsStopsAndKeepsData runs `sentra demo` as a newcomer would (a
// private PostgreSQL under a data folder), uses it, stops it with a signal's
// context cancel, starts it again on the same folder and finds the data.
func TestDemoRunsStopsAndKeepsData(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster twice")
	}
	t.Setenv("DATABASE_URL", "")
	t.Setenv("SENTRA_OWNER_DATABASE_URL", "")
	t.Setenv("SENTRA_LOG_LEVEL", "warn")
	dir, err := os.MkdirTemp("", "sentra-demo-test-")
	if err != nil {
		t.Fatal(err)
	}
	// Traversable for the postgres OS user when the test runs as root.
	if err := os.Chmod(dir, 0o711); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })

	start := func(flags ...string) (base string, stop func()) {
		port := freePort(t)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			done <- run(ctx, append([]string{"demo", "--addr", fmt.Sprintf("127.0.0.1:%d", port), "--data-dir", dir}, flags...))
		}()
		base = fmt.Sprintf("http://127.0.0.1:%d", port)
		waitReady(t, base, done, "")
		return base, func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("demo did not stop cleanly: %v", err)
				}
			case <-time.After(60 * time.Second):
				t.Fatal("demo did not stop within 60s")
			}
		}
	}

	base, stop := start()
	admin := login(t, base, "admin@depok.demo")
	status, _ := call(t, http.MethodPost, base+"/v1/tenants/depok/users", admin, map[string]any{
		"email": "siti@depok.go.id", "name": "Siti Rahmawati", "role": "staf", "password": "kata-sandi-awal-2026"})
	if status != http.StatusCreated {
		t.Fatalf("create user: status %d", status)
	}
	// The seeded cooperatives are ready for a reclassification campaign.
	status, body := call(t, http.MethodPost, base+"/v1/tenants/depok/reklasifikasi", admin, nil)
	if status != http.StatusAccepted {
		t.Fatalf("start campaign: status %d %v", status, body)
	}
	kampanye := base + "/v1/tenants/depok/reklasifikasi/" + body["id"].(string)
	if total := body["total"].(float64); total < 10 || total > 26 {
		t.Errorf("depok's campaign covers %v cooperatives, want most of its 26", total)
	}
	for deadline := time.Now().Add(60 * time.Second); body["status"] != "selesai"; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("campaign not done within 60s: %v", body)
		}
		_, body = call(t, http.MethodGet, kampanye, admin, nil)
	}
	// The seeded programmes went through the services: selections within
	// the quota, the overlap with the province's list refused, completions.
	staf := login(t, base, "staf@depok.demo")
	_, body = call(t, http.MethodGet, base+"/v1/tenants/depok/program?limit=50", staf, nil)
	programmes := map[string]map[string]any{}
	for _, it := range body["items"].([]any) {
		p := it.(map[string]any)
		programmes[p["nama"].(string)] = p
	}
	if len(programmes) != 5 {
		t.Fatalf("depok has %d demo programmes, want 5: %v", len(programmes), body)
	}
	if p := programmes["Pelatihan Pengemasan dan Label Produk 2026"]; p["status"] != "selesai" || p["terisi"].(float64) >= 30 {
		t.Errorf("the 2026 training: %v; want selesai with places left by the ten the province trained too", p)
	}
	_, body = call(t, http.MethodGet, base+"/v1/tenants/depok/program/tumpang?tahun=2026&jenis=pelatihan", staf, nil)
	if items, _ := body["items"].([]any); len(items) != 10 {
		t.Errorf("overlap of 2026 trainings: %d businesses, want the 10 on both lists", len(items))
	}
	// Depok's funding applications show the gates at work: one without a
	// NIB names it, the group names the kelurahan's recommendation.
	_, body = call(t, http.MethodGet, base+"/v1/tenants/depok/pendanaan/pengajuan", admin, nil)
	var gates []string
	for _, it := range body["items"].([]any) {
		for _, k := range it.(map[string]any)["syarat_kurang"].([]any) {
			gates = append(gates, k.(map[string]any)["pesan"].(string))
		}
	}
	if all := strings.Join(gates, "\n"); len(body["items"].([]any)) != 3 || !strings.Contains(all, "NIB (13 digit): belum ada") ||
		!strings.Contains(all, "Rekomendasi kelurahan belum dicatat") || !strings.Contains(all, "Kartu Keluarga (KK) belum dicatat") {
		t.Errorf("depok's demo applications: %v\n%s", body, all)
	}
	// Seed 003's galeri: the partner stopped reporting, and the hourly job
	// (run on start) says so on the late-report dashboard.
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		_, body := call(t, http.MethodGet, base+"/v1/tenants/depok/pemasaran/konsinyasi/terlambat", staf, nil)
		items, _ := body["items"].([]any)
		if len(items) == 1 && items[0].(map[string]any)["operator_nama"] == "CV Galeri Nusantara" && items[0].(map[string]any)["lapor_terlambat"].(float64) >= 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the galeri's late reports are not on the dashboard within 60s: %v", body)
		}
	}
	for _, who := range []string{"staf@tangsel.demo", "viewer@medan.demo", "jabar@province.demo", "platform@sentra.demo"} {
		login(t, base, who)
	}
	// One office in each state, from real facts, billed through stripe-mock.
	platform := login(t, base, "platform@sentra.demo")
	for slug, want := range map[string]string{"depok": "active", "tangsel": "grace", "karawang": "trialing", "medan": "active"} {
		if _, body := call(t, http.MethodGet, base+"/v1/admin/tenants/"+slug+"/langganan", platform, nil); body["state"] != want {
			t.Errorf("%s: %v, want %s", slug, body, want)
		}
	}
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		_, body := call(t, http.MethodGet, base+"/v1/tenants/depok/tagihan", admin, nil)
		if items, _ := body["items"].([]any); len(items) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("depok's subscription in stripe-mock mirrored no invoice within 60s: %v", body)
		}
	}
	// The demo is measured as serve is: /metrics on the API's listener, for
	// loopback only.
	status, text := scrape(t, base+"/metrics")
	for _, want := range []string{`sentra_http_requests_total{operation="run-reklasifikasi",status="2xx"} 1`,
		`sentra_river_queue_wait_seconds_count{kind="reklasifikasi"}`, `sentra_river_jobs{kind="reklasifikasi",state="completed"}`,
		`sentra_pgxpool_max_connections{pool="api"}`} {
		if status != http.StatusOK || !strings.Contains(text, want) {
			t.Errorf("/metrics: %d, no %s", status, want)
		}
	}
	if status, _ := scrape(t, base+"/metrics", "X-Forwarded-For", "127.0.0.1"); status != http.StatusNotFound {
		t.Errorf("/metrics relayed by a proxy the demo does not trust: %d, want 404", status)
	}
	stop()

	metricsAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	base, stop = start("--metrics-addr", metricsAddr)
	defer stop()
	// With a listener of their own, the metrics leave the API's.
	if status, _ := scrape(t, base+"/metrics"); status != http.StatusNotFound {
		t.Errorf("/metrics on the API with --metrics-addr: %d, want 404", status)
	}
	if status, text := scrape(t, "http://"+metricsAddr+"/metrics"); status != http.StatusOK || !strings.Contains(text, "sentra_pgxpool_acquires_total") {
		t.Errorf("/metrics on --metrics-addr: %d", status)
	}
	if tok := login(t, base, "siti@depok.go.id"); tok == "" {
		t.Fatal("user created before the restart cannot log in")
	}
	_, body = call(t, http.MethodGet, base+"/v1/tenants/depok/wilayah?limit=500", login(t, base, "staf@depok.demo"), nil)
	if n := len(body["items"].([]any)); n != 11 {
		t.Fatalf("depok has %d kecamatan after restart, want 11", n)
	}
	_, body = call(t, http.MethodGet, base+"/v1/tenants/depok/reklasifikasi", login(t, base, "viewer@depok.demo"), nil)
	if n := len(body["items"].([]any)); n != 1 {
		t.Fatalf("depok has %d campaigns after restart, want the 1 it ran", n)
	}
}

// scrape GETs url with headers (name, value pairs).
func scrape(t *testing.T, url string, headers ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func login(t *testing.T, base, email string) string {
	t.Helper()
	password := "sentra-demo-2026"
	if email == "siti@depok.go.id" {
		password = "kata-sandi-awal-2026"
	}
	status, body := call(t, http.MethodPost, base+"/v1/auth/login", "", map[string]any{"email": email, "password": password})
	if status != http.StatusOK {
		t.Fatalf("login %s: status %d %v", email, status, body)
	}
	return body["token"].(string)
}

func call(t *testing.T, method, url, token string, in any) (int, map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	if in != nil {
		if err := json.NewEncoder(&buf).Encode(in); err != nil {
			t.Fatal(err)
		}
	}
	req, _ := http.NewRequest(method, url, &buf)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}
