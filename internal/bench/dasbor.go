package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/authz"
	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/httpapi"
	"github.com/sentra-id/sentra/internal/jobs"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// DasborOptions size the dashboards run.
type DasborOptions struct {
	TotalRows   int // businesses across the four tenants
	Requests    int // per latency measurement
	Concurrency int
	Changes     int // committed changes timed until they show
}

// DefaultDasbor is the scale: about 600.000 businesses.
var DefaultDasbor = DasborOptions{TotalRows: 600_000, Requests: 1000, Concurrency: 4, Changes: 20}

// Dasbor runs the dashboard benchmarks: the province summary and the office
// dashboard over HTTP, and the time from a committed change to the updated
// figure with Sentra's own River workers refreshing the rollups.
func Dasbor(ctx context.Context, e *Env, o DasborOptions) error {
	r, err := newRegister(ctx, e)
	if err != nil {
		return err
	}
	cfgs, store, svc, ts := r.cfgs, r.store, r.svc, r.tenants
	for i, c := range cfgs {
		t0 := time.Now()
		if err := svc.Seed(ctx, ts[c.Slug].Scope(), c.KemendagriCode, o.TotalRows/len(cfgs), uint64(20+i)); err != nil {
			return err
		}
		if err := seedKoperasi(ctx, e, ts[c.Slug].ID, map[string]int{"tangsel": 549, "depok": 26}[c.Slug]+150); err != nil {
			return err
		}
		e.Logger.Info("seeded", "tenant", c.Slug, "took", time.Since(t0).Round(time.Millisecond).String())
	}
	if err := adminExec(ctx, e.AdminURL, "vacuum analyze"); err != nil {
		return err
	}
	var total int
	if err := adminQueryRow(ctx, e.AdminURL, "select count(*) from umkm", &total); err != nil {
		return err
	}
	e.Metric("rows_total", float64(total))

	// The workers: the seeding queued one refresh per tenant.
	accounts := &account.Service{DB: e.App, Logger: e.Logger, Now: time.Now, TokenTTL: time.Hour, Throttle: account.DefaultThrottle}
	client, err := jobs.NewClient(jobs.Config{Work: true, MaxWorkers: 4, Logger: e.Logger},
		jobs.Services{DB: e.App, Accounts: accounts, UMKM: svc, Logger: e.Logger})
	if err != nil {
		return err
	}
	client.PeriodicJobs().RemoveByID("retention") // nothing to prune in a fresh database
	if err := client.Start(ctx); err != nil {
		return err
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		_ = client.Stop(stopCtx)
	}()
	t0 := time.Now()
	for {
		var fresh int
		if err := adminQueryRow(ctx, e.AdminURL, `select count(distinct tenant_id) from dasbor_penyegaran p
			where dihitung_at > (select max(created_at) from umkm u where u.tenant_id = p.tenant_id)`, &fresh); err != nil {
			return err
		}
		if fresh == len(cfgs) {
			break
		}
		if time.Since(t0) > 5*time.Minute {
			return fmt.Errorf("first refreshes: %d of %d tenants after 5 minutes", fresh, len(cfgs))
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The steady state: the periodic refresh of every office, queued when
	// the workers started, may still be running; latencies measured beside
	// it would be the machine's, not the dashboards'.
	for {
		var busy int
		if err := adminQueryRow(ctx, e.AdminURL, `select count(*) from river.river_job
			where queue = 'dasbor' and state in ('available', 'running', 'scheduled', 'retryable')`, &busy); err != nil {
			return err
		}
		if busy == 0 {
			break
		}
		if time.Since(t0) > 5*time.Minute {
			return fmt.Errorf("dashboard refreshes still queued after 5 minutes: %d", busy)
		}
		time.Sleep(100 * time.Millisecond)
	}
	var computeMS float64
	if err := adminQueryRow(ctx, e.AdminURL, `select max(durasi_ms) from dasbor_penyegaran`, &computeMS); err != nil {
		return err
	}
	e.Metric("rollup_first_refresh_max_ms", computeMS)

	// The API on loopback, a province viewer of 32 and a staf of tangsel.
	az, err := authz.New(ctx, e.App.Pool)
	if err != nil {
		return err
	}
	api := httpapi.New(httpapi.Deps{Logger: e.Logger, DB: e.App, Accounts: accounts, Authz: az, Tenants: store, UMKM: svc,
		Dasbor: &dasbor.Service{DB: e.App, Logger: e.Logger, Now: time.Now, Ambang: dasbor.DefaultAmbang, Kategori: httpapi.DasborKategori()},
		Queue:  client})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: api.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln) //nolint:errcheck // ends with Close
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	jabar, err := benchUser(ctx, e, base, "jabar@province.bench", tenancy.ProvinceDomain("32"), tenancy.RoleProvinceViewer)
	if err != nil {
		return err
	}
	tangsel, err := benchUser(ctx, e, base, "staf@tangsel.bench", tenancy.TenantDomain("tangsel"), tenancy.RoleStaf)
	if err != nil {
		return err
	}
	httpClient := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.Concurrency * 2}, Timeout: 30 * time.Second}
	get := func(ctx context.Context, path, token string) error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := httpClient.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: %s", path, resp.Status)
		}
		return nil
	}
	for _, m := range []struct {
		metric, path, token string
	}{
		{"province_summary", "/v1/provinces/32/dasbor", jabar},
		{"province_tenant", "/v1/provinces/32/dasbor/karawang", jabar},
		{"tenant_dashboard", "/v1/tenants/tangsel/dasbor", tangsel},
	} {
		var lat Latencies
		if _, err := Run(ctx, o.Concurrency, 5*time.Minute, int64(o.Requests), &lat, func(ctx context.Context, _ int64) error {
			return get(ctx, m.path, m.token)
		}); err != nil {
			return fmt.Errorf("%s: %w", m.metric, err)
		}
		e.Metric(m.metric+"_p50_ms", lat.Quantile(0.5))
		e.Metric(m.metric+"_p99_ms", lat.Quantile(0.99))
	}

	// From a committed change to the updated figure: a new business in
	// Tangsel (150.000 records), one at a time, read back from the rollup
	// the dashboards serve.
	id := ts["tangsel"].ID
	figure := func() (int, error) {
		var n int
		err := e.App.InTenantTx(ctx, id, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, "select coalesce(sum(jumlah), 0) from dasbor_angka where tingkat = 0 and dimensi = 'umkm.total'").Scan(&n)
		})
		return n, err
	}
	var took []time.Duration
	for range o.Changes {
		before, err := figure()
		if err != nil {
			return err
		}
		if err := e.App.InTenantTx(ctx, id, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `insert into umkm (tenant_id, id, nama_pemilik, nama_usaha, sektor, sumber, kecamatan_kode, kelurahan_kode)
				values ($1, $2, 'Pemilik Bench', 'Usaha Bench', 'kuliner', 'staf', '36.74.01', '36.74.01.1001')`, id, uuid.Must(uuid.NewV7()))
			return err
		}); err != nil {
			return err
		}
		committed := time.Now()
		for {
			n, err := figure()
			if err != nil {
				return err
			}
			if n == before+1 {
				took = append(took, time.Since(committed))
				break
			}
			if time.Since(committed) > time.Minute {
				return fmt.Errorf("a change not reflected after a minute")
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	slices.Sort(took)
	e.Metric("rollup_refresh_ms", float64(took[len(took)/2].Microseconds())/1000)
	e.Metric("rollup_refresh_max_ms", float64(took[len(took)-1].Microseconds())/1000)
	if err := e.App.InTenantTx(ctx, id, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select percentile_cont(0.5) within group (order by durasi_ms) from dasbor_penyegaran`).Scan(&computeMS)
	}); err != nil {
		return err
	}
	e.Metric("rollup_compute_tangsel_p50_ms", computeMS)
	return nil
}

// seedKoperasi writes n cooperatives of a tenant with plain SQL, spread
// over its desa/kelurahan, with the mix offices report (most of them still
// KSU without a legal type).
func seedKoperasi(ctx context.Context, e *Env, tenantID uuid.UUID, n int) error {
	return e.App.InTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `with kel as (
				select kode, parent_kode, row_number() over (order by kode) - 1 as i, count(*) over () as c
				from wilayah where level = 'desa_kelurahan')
			insert into koperasi (tenant_id, id, nama, jenis, kelompok, kesehatan_predikat, rat_terakhir, aktif, unit_toko,
				anggota_laki, anggota_perempuan, kecamatan_kode, kelurahan_kode)
			select $1, gen_random_uuid(), 'Koperasi ' || g,
				case when g % 5 < 3 then null else (array['konsumen','produsen','pemasaran','jasa','simpan_pinjam'])[1 + g % 5] end,
				(array['ksu','kud','kpri','kopwan','lainnya'])[1 + g % 5],
				case when g % 4 = 0 then null else (array['sehat','cukup_sehat','kurang_sehat'])[1 + g % 3] end,
				case when g % 6 = 0 then null else current_date - (g % 1000) end,
				g % 7 <> 0, g % 3 = 0, 10 + g % 90, 5 + g % 120, kel.parent_kode, kel.kode
			from generate_series(1, $2) g join kel on kel.i = g % kel.c`, tenantID, n)
		return err
	})
}

// benchUser creates a user with a role and logs them in.
func benchUser(ctx context.Context, e *Env, base, email string, domain tenancy.Domain, role tenancy.Role) (string, error) {
	const password = "bench-password-2026"
	if err := e.App.InTx(ctx, func(tx pgx.Tx) error {
		id, _, err := account.EnsureUser(ctx, tx, email, "Pengguna Bench", password)
		if err != nil {
			return err
		}
		return account.Grant(ctx, tx, id, domain, role, nil, nil)
	}); err != nil {
		return "", err
	}
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	resp, err := http.Post(base+"/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.Token == "" {
		return "", fmt.Errorf("bench login %s: %s %v", email, resp.Status, err)
	}
	return out.Token, nil
}
