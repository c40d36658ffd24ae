package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/authz"
	"github.com/sentra-id/sentra/internal/httpapi"
	"github.com/sentra-id/sentra/internal/jobs"
	"github.com/sentra-id/sentra/internal/pgembed"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/tenants"
)

// UMKMOptions size the run.
type UMKMOptions struct {
	ImportRows  int           // rows in the imported CSV (Tangsel: 149.800 UKM, seed 002)
	TotalRows   int           // rows across the four tenants for the read benchmarks
	Duration    time.Duration // per throughput measurement
	Concurrency int
	Requests    int // per latency measurement
}

// DefaultUMKM is the scale: a 150.000-row import and ~600.000 rows.
var DefaultUMKM = UMKMOptions{ImportRows: 150_000, TotalRows: 600_000, Duration: 5 * time.Second, Concurrency: 8, Requests: 500}

// UMKM runs the register benchmarks.
func UMKM(ctx context.Context, e *Env, o UMKMOptions) error {
	r, err := newRegister(ctx, e)
	if err != nil {
		return err
	}
	store, svc, ts := r.store, r.svc, r.tenants
	tangsel := ts["tangsel"]

	// 1. Import a generated file as an office would upload it.
	g, err := svc.GeneratorFor(ctx, tangsel.Scope(), tangsel.KemendagriCode, 2023)
	if err != nil {
		return err
	}
	var file bytes.Buffer
	if err := g.WriteCSV(&file, o.ImportRows); err != nil {
		return err
	}
	g = nil // the generator's bookkeeping is not the import's memory
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	e.Logger.Info("import file", "rows", o.ImportRows, "mb", file.Len()>>20, "heap_before_mb", before.HeapInuse>>20)
	peak := sampleHeap()
	pg0 := e.PostgresCPU(ctx)
	busy0, self0 := busyCPU(), selfCPU()
	start := time.Now()
	res, err := svc.Import(ctx, tangsel.Scope(), file.Bytes(), umkm.ImportOptions{})
	took := time.Since(start)
	busy, self := busyCPU()-busy0, selfCPU()-self0
	pg := e.PostgresCPU(ctx) - pg0
	peakMB := peak()
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if res.Summary.Baru != o.ImportRows {
		return fmt.Errorf("import wrote %d new of %d rows: %s", res.Summary.Baru, o.ImportRows, umkm.ProblemsJSON(res.Problems, "en"))
	}
	importRate := float64(o.ImportRows) / took.Seconds()
	e.Metric("import_rows", float64(o.ImportRows))
	e.Metric("import_seconds", took.Seconds())
	// CPU time drifts less than wall time with the machine's speed. The
	// machine's includes PostgreSQL (and anything else running).
	if busy >= 0 {
		e.Metric("import_cpu_s", busy)
	}
	e.Metric("import_go_cpu_s", self)
	// PostgreSQL's own processes only: on a machine others share, the
	// machine's busy time above counts their work too.
	if pg0 >= 0 && pg >= 0 {
		e.Metric("import_pg_cpu_s", pg)
	}
	e.Metric("import_rows_per_s", importRate)
	e.Metric("import_peak_mb", peakMB)

	// 2. The baseline: a plain COPY of the same file into an unlogged table
	// without RLS, indexes or validation.
	copyRate, err := plainCopy(ctx, e.AdminURL, file.Bytes(), o.ImportRows)
	if err != nil {
		return err
	}
	e.Metric("copy_rows_per_s", copyRate)
	e.Metric("import_vs_copy_ratio", importRate/copyRate)

	// 2b. The floor: the rows the import prepared, inserted again by one
	// INSERT ... SELECT into the same table with the same indexes, triggers
	// and policy, as the application role, then rolled back. What the
	// import costs beyond it is Sentra's own work (reading, validating,
	// matching, reporting, chunking).
	floorRate, err := insertFloor(ctx, e, tangsel.ID, o.ImportRows)
	if err != nil {
		return err
	}
	e.Metric("floor_rows_per_s", floorRate)
	e.Metric("import_vs_floor_ratio", importRate/floorRate)

	// 3. Fill the other tenants up to the total.
	rest := (o.TotalRows - o.ImportRows) / 3
	for i, slug := range []string{"depok", "karawang", "medan"} {
		t0 := time.Now()
		if err := svc.Seed(ctx, ts[slug].Scope(), ts[slug].KemendagriCode, rest, uint64(10+i)); err != nil {
			return err
		}
		e.Logger.Info("seeded", "tenant", slug, "rows", rest, "took", time.Since(t0).Round(time.Millisecond).String())
	}
	// What autovacuum does after a bulk load; measured in that steady state.
	// Every table the load wrote (documents, history, the import's own
	// tables), or autovacuum analyzes them in the middle of a measurement:
	// a tenth of the machine during the reads by id.
	if err := adminExec(ctx, e.AdminURL, "vacuum analyze"); err != nil {
		return err
	}
	// And what the checkpointer does within minutes: the load's and the
	// vacuum's dirty pages written. Otherwise a read that needs a buffer
	// finds a dirty one, writes it and flushes WAL first: a stall of tens
	// of milliseconds that no steady-state server has.
	if err := adminExec(ctx, e.AdminURL, "checkpoint"); err != nil {
		return err
	}
	var total int
	if err := adminQueryRow(ctx, e.AdminURL, "select count(*) from umkm", &total); err != nil {
		return err
	}
	e.Metric("rows_total", float64(total))

	// 4. The HTTP API, in process, on loopback.
	base, token, stop, err := serve(ctx, e, svc, tangsel)
	if err != nil {
		return err
	}
	defer stop()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.Concurrency * 2}, Timeout: 30 * time.Second}
	get := func(ctx context.Context, path string) error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
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

	ids, err := sampleIDs(ctx, e.AdminURL, tangsel.ID, 2000)
	if err != nil {
		return err
	}
	// Raw: the cheapest correct read of the same rows under RLS, one
	// pipelined round trip (begin, set the tenant, select the row by primary
	// key, commit) through the API's own read path (db.ReadTenantBatch), no
	// HTTP, no authentication. The row is read whole, as the
	// API reads it, but its JSON as text: pgx would otherwise parse it into
	// maps, which is not the cheapest read. The narrow variant reads one
	// column, for comparison.
	var (
		ncols int
		whole string
	)
	if err := adminQueryRow(ctx, e.AdminURL, `select count(*), string_agg(case when data_type = 'jsonb' then column_name || '::text'
			else column_name end, ', ' order by ordinal_position)
		from information_schema.columns where table_schema = 'public' and table_name = 'umkm'`, &ncols, &whole); err != nil {
		return err
	}
	raw := func(sql string, n int) func(ctx context.Context, i int64) error {
		return func(ctx context.Context, i int64) error {
			dest := make([]any, n)
			for j := range dest {
				dest[j] = new(any)
			}
			return e.App.ReadTenantBatch(ctx, tangsel.ID, func(b *pgx.Batch) {
				b.Queue(sql, ids[i%int64(len(ids))]).QueryRow(func(r pgx.Row) error { return r.Scan(dest...) })
			})
		}
	}
	// The three take turns in short slices, so that the machine's drift (its
	// raw read rate moved by a third within an hour) falls on all alike.
	reads := []func(ctx context.Context, i int64) error{
		func(ctx context.Context, i int64) error {
			return get(ctx, "/v1/tenants/tangsel/umkm/"+ids[i%int64(len(ids))].String())
		},
		raw("select "+whole+" from umkm where id = $1", ncols),
		raw("select nama_usaha from umkm where id = $1", 1),
	}
	const turns = 10
	var (
		lat, other Latencies
		rates      [3]float64
	)
	for range turns {
		for k, read := range reads {
			l := &other
			if k == 0 {
				l = &lat
			}
			r, err := Run(ctx, o.Concurrency, o.Duration/turns, 0, l, read)
			if err != nil {
				return fmt.Errorf("read by id (%d): %w", k, err)
			}
			rates[k] += r / turns
		}
	}
	rps, rawRPS, narrowRPS := rates[0], rates[1], rates[2]
	e.Metric("get_by_id_rps", rps)
	e.Metric("get_by_id_p99_ms", lat.Quantile(0.99))
	e.Metric("raw_get_rps", rawRPS)
	e.Metric("get_vs_raw_ratio", rps/rawRPS)
	e.Metric("raw_narrow_get_rps", narrowRPS)
	e.Metric("get_vs_narrow_raw_ratio", rps/narrowRPS)

	// 5. Lists and searches at 600.000 rows.
	kec, err := store.ListWilayah(ctx, tangsel.ID, "", 100)
	if err != nil {
		return err
	}
	var cursor atomic.Value
	cursor.Store("")
	lists := []func() string{
		func() string { return "/v1/tenants/tangsel/umkm?limit=50" },
		func() string { return "/v1/tenants/tangsel/umkm?limit=50&kecamatan=" + kec[rand.IntN(len(kec))].Kode },
		func() string {
			k := kec[rand.IntN(len(kec))]
			return "/v1/tenants/tangsel/umkm?limit=50&kelurahan=" + k.Children[rand.IntN(len(k.Children))].Kode
		},
		func() string {
			return "/v1/tenants/tangsel/umkm?limit=50&sektor=" + umkm.Sectors[rand.IntN(len(umkm.Sectors))]
		},
		func() string { return "/v1/tenants/tangsel/umkm?limit=50&skala=kecil" },
		func() string { return "/v1/tenants/tangsel/umkm?limit=50&jenis_kelamin=P&status_binaan=binaan" },
		func() string { return "/v1/tenants/tangsel/umkm?limit=50&punya_legalitas=halal" },
		func() string { return "/v1/tenants/tangsel/umkm?limit=50&kendala=permodalan&sort=-created" },
		func() string { return "/v1/tenants/tangsel/umkm?limit=50&punya_legalitas=sni" },
		func() string { return "/v1/tenants/tangsel/umkm?limit=50&skala=besar" },
	}
	var listLat Latencies
	perKind := make([]Latencies, len(lists))
	if _, err := Run(ctx, 4, 5*time.Minute, int64(o.Requests), &listLat, func(ctx context.Context, i int64) error {
		k := i % int64(len(lists))
		t0 := time.Now()
		err := get(ctx, lists[k]())
		perKind[k].Add(time.Since(t0))
		return err
	}); err != nil {
		return fmt.Errorf("list: %w", err)
	}
	for k := range lists {
		e.Logger.Info("list latency", "kind", k, "example", lists[k](), "p50_ms", perKind[k].Quantile(0.5), "p99_ms", perKind[k].Quantile(0.99))
	}
	e.Metric("list_p50_ms", listLat.Quantile(0.5))
	e.Metric("list_p99_ms", listLat.Quantile(0.99))

	queries := []string{"keripk", "bakso siti", "warung budi", "hidyat", "batik", "konveksi berkah", "salon", "lele",
		"siregar", "kue kering", "sambal bu dewi", "laundy", "nasution", "toko kelontong", "hijab", "bengkel motor"}
	var searchLat Latencies
	perQuery := make([]Latencies, len(queries))
	if _, err := Run(ctx, 4, 5*time.Minute, int64(o.Requests), &searchLat, func(ctx context.Context, i int64) error {
		k := i % int64(len(queries))
		t0 := time.Now()
		err := get(ctx, "/v1/tenants/tangsel/umkm?limit=50&q="+strings.ReplaceAll(queries[k], " ", "%20"))
		perQuery[k].Add(time.Since(t0))
		return err
	}); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	for k, q := range queries {
		e.Logger.Info("search latency", "q", q, "p50_ms", perQuery[k].Quantile(0.5), "p99_ms", perQuery[k].Quantile(0.99))
	}
	e.Metric("search_p50_ms", searchLat.Quantile(0.5))
	e.Metric("search_p99_ms", searchLat.Quantile(0.99))

	// 6. The price of RLS: one list query as the application role under its
	// policy, and as a role that bypasses RLS with an explicit tenant_id.
	ratio, err := rlsOverhead(ctx, e, tangsel.ID, 2000)
	if err != nil {
		return err
	}
	e.Metric("rls_overhead_ratio", ratio)
	return nil
}

// errRollback ends a transaction whose work was only measured.
var errRollback = errors.New("rolled back")

// insertFloor inserts a copy of the tenant's imported records in one
// statement, rolled back, and returns its rows per second. The copies keep
// the unique indexes' work: ids, NIK hashes and NIBs are changed into
// values no record has (an id differs in its last digit, so the copies
// keep the originals' order; a NIB's digits are rotated, and the rare copy
// that would equal a live NIB keeps none).
func insertFloor(ctx context.Context, e *Env, tenantID uuid.UUID, rows int) (float64, error) {
	var cols string
	if err := adminQueryRow(ctx, e.AdminURL, `select string_agg(column_name, ', ' order by ordinal_position)
		from information_schema.columns where table_schema = 'public' and table_name = 'umkm' and is_generated = 'NEVER'`, &cols); err != nil {
		return 0, err
	}
	var took time.Duration
	err := e.App.InTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		// Prepared before the clock starts: the timed statement only copies.
		for _, q := range []string{
			"create temp table lantai on commit drop as select * from umkm where sumber = 'impor'",
			`update lantai l set id = (left(id::text, 35) || translate(right(id::text, 1), '0123456789abcdef', '123456789abcdef0'))::uuid,
				nik_hash = sha256(nik_hash), nib = translate(nib, '0123456789', '1234567890')`,
			"update lantai l set nib = null where exists (select from umkm x where x.nib = l.nib)",
			"analyze lantai",
		} {
			if _, err := tx.Exec(ctx, q); err != nil {
				return fmt.Errorf("floor: %w", err)
			}
		}
		t0 := time.Now()
		tag, err := tx.Exec(ctx, "insert into umkm ("+cols+") select "+cols+" from lantai")
		took = time.Since(t0)
		if err != nil {
			return fmt.Errorf("floor insert: %w", err)
		}
		if int(tag.RowsAffected()) != rows {
			return fmt.Errorf("floor insert wrote %d of %d rows", tag.RowsAffected(), rows)
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		return 0, err
	}
	return float64(rows) / took.Seconds(), nil
}

// register is the four real tenants and the UMKM service of a run.
type register struct {
	cfgs    []tenant.Config
	store   *tenant.Store
	svc     *umkm.Service
	tenants map[string]tenant.Tenant
	// kecamatan codes per tenant (the load benchmark's list filters)
	kecamatan map[string][]string
}

func newRegister(ctx context.Context, e *Env) (*register, error) {
	cfgs, err := tenant.Load(tenants.FS)
	if err != nil {
		return nil, err
	}
	r := &register{cfgs: cfgs, store: &tenant.Store{DB: e.App}, tenants: map[string]tenant.Tenant{}}
	if _, err := r.store.Sync(ctx, cfgs); err != nil {
		return nil, err
	}
	sealer, err := pii.NewSealer(mustKey())
	if err != nil {
		return nil, err
	}
	r.svc = &umkm.Service{DB: e.App, Sealer: sealer, Logger: e.Logger, Now: time.Now}
	for _, c := range cfgs {
		if r.tenants[c.Slug], err = r.store.BySlug(ctx, c.Slug); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func mustKey() []byte {
	k, err := pii.ParseKey(pii.NewKey())
	if err != nil {
		panic(err)
	}
	return k
}

// sampleHeap samples the Go heap in use until the returned func is called,
// which reports the peak in MB.
func sampleHeap() func() float64 {
	runtime.GC()
	var peak atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		var m runtime.MemStats
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() float64 {
		close(done)
		<-stopped
		return float64(peak.Load()) / (1 << 20)
	}
}

func plainCopy(ctx context.Context, adminURL string, file []byte, rows int) (float64, error) {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return 0, err
	}
	defer conn.Close(ctx)
	cols := make([]string, len(umkm.Columns))
	for i, c := range umkm.Columns {
		cols[i] = c.Key + " text"
	}
	if _, err := conn.Exec(ctx, "create unlogged table bench_copy ("+strings.Join(cols, ", ")+")"); err != nil {
		return 0, err
	}
	defer conn.Exec(context.WithoutCancel(ctx), "drop table bench_copy") //nolint:errcheck // cleanup
	start := time.Now()
	tag, err := conn.PgConn().CopyFrom(ctx, bytes.NewReader(file), "copy bench_copy from stdin with (format csv, header true)")
	if err != nil {
		return 0, err
	}
	if int(tag.RowsAffected()) != rows {
		return 0, fmt.Errorf("copy: %d rows, want %d", tag.RowsAffected(), rows)
	}
	return float64(rows) / time.Since(start).Seconds(), nil
}

func adminExec(ctx context.Context, url, sql string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

func adminQueryRow(ctx context.Context, url, sql string, dst ...any) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	return conn.QueryRow(ctx, sql).Scan(dst...)
}

func sampleIDs(ctx context.Context, url string, tenantID uuid.UUID, n int) ([]uuid.UUID, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, "select id from umkm where tenant_id = $1 order by random() limit $2", tenantID, n)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
}

// serve starts the API on loopback with a staf of t logged in.
func serve(ctx context.Context, e *Env, svc *umkm.Service, t tenant.Tenant) (base, token string, stop func(), err error) {
	// As cmd/sentra/serve.go wires it: sessions kept in memory while a
	// connection listens for changes.
	accounts := &account.Service{DB: e.App, Logger: e.Logger, Now: time.Now, TokenTTL: time.Hour, Throttle: account.DefaultThrottle,
		Sessions: account.NewSessionCache(e.Logger)}
	listenCtx, stopListening := context.WithCancel(ctx)
	defer func() {
		if err != nil {
			stopListening()
		}
	}()
	go accounts.Sessions.Listen(listenCtx, e.App.Pool.Config().ConnConfig, e.App.Pool)
	for deadline := time.Now().Add(10 * time.Second); !accounts.Sessions.Listening(); time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			return "", "", nil, errors.New("session cache: not listening after 10 s")
		}
	}
	az, err := authz.New(ctx, e.App.Pool)
	if err != nil {
		return "", "", nil, err
	}
	client, err := jobs.NewClient(jobs.Config{Logger: e.Logger}, jobs.Services{DB: e.App, Accounts: accounts, UMKM: svc, Logger: e.Logger})
	if err != nil {
		return "", "", nil, err
	}
	const email, password = "staf@tangsel.bench", "bench-password-2026"
	err = e.App.InTx(ctx, func(tx pgx.Tx) error {
		id, _, err := account.EnsureUser(ctx, tx, email, "Staf Bench", password)
		if err != nil {
			return err
		}
		return account.Grant(ctx, tx, id, tenancy.TenantDomain(t.Slug), tenancy.RoleStaf, nil, nil)
	})
	if err != nil {
		return "", "", nil, err
	}
	api := httpapi.New(httpapi.Deps{Logger: e.Logger, DB: e.App, Accounts: accounts, Authz: az,
		Tenants: &tenant.Store{DB: e.App}, UMKM: svc, Queue: client})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", "", nil, err
	}
	srv := &http.Server{Handler: api.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln) //nolint:errcheck // ends with Close
	base = "http://" + ln.Addr().String()
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	resp, err := http.Post(base+"/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		srv.Close()
		return "", "", nil, err
	}
	defer resp.Body.Close()
	var out struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.Token == "" {
		srv.Close()
		return "", "", nil, fmt.Errorf("bench login: %s %v", resp.Status, err)
	}
	return base, out.Token, func() { srv.Close(); stopListening() }, nil
}

func rlsOverhead(ctx context.Context, e *Env, tenantID uuid.UUID, n int) (float64, error) {
	const cols = "id, nama_usaha, nama_pemilik, sektor, kecamatan_kode, kelurahan_kode, skala_hitung, created_at"
	// Both sides on one connection, so that they share a backend and its
	// warm caches: on two connections, which backend the scheduler favoured
	// moved the ratio between 1,0 and 1,3 from run to run. The application
	// side becomes the application role for its transaction (SET LOCAL
	// ROLE, sent with BEGIN and the tenant as InTenantTx sends them); the
	// other stays superuser, which bypasses RLS, and names its tenant. It
	// sends SET LOCAL ROLE NONE (a no-op) so that the role switch, which
	// the real application does not pay, weighs on both sides alike.
	conn, err := pgx.Connect(ctx, e.AdminURL)
	if err != nil {
		return 0, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	sectors := umkm.Sectors
	run := func(begin, sql string, args ...any) error {
		if _, err := conn.Exec(ctx, begin); err != nil {
			return err
		}
		rows, err := conn.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		_, err = conn.Exec(ctx, "commit")
		return err
	}
	asApp := fmt.Sprintf("begin; set local role %s; set local app.tenant_id = '%s'", pgembed.AppRole, tenantID)
	app := func(i int) error {
		return run(asApp, "select "+cols+" from umkm where sektor = $1 and archived_at is null order by id limit 51",
			sectors[i%len(sectors)])
	}
	bypass := func(i int) error {
		return run("begin; set local role none", "select "+cols+" from umkm where tenant_id = $1 and sektor = $2 and archived_at is null order by id limit 51",
			tenantID, sectors[i%len(sectors)])
	}
	// Warm both, then alternate them query by query, so that drift in the
	// machine's load falls on both sides alike.
	for i := range 50 {
		if err := app(i); err != nil {
			return 0, err
		}
		if err := bypass(i); err != nil {
			return 0, err
		}
	}
	// The median of the pairs' ratios: a pause of the machine lands on one
	// query of one pair, and the mean of a thousand such pairs moved by
	// ±0.1 from run to run.
	ratios := make([]float64, n)
	for i := range n {
		t0 := time.Now()
		if err := app(i); err != nil {
			return 0, err
		}
		t1 := time.Now()
		if err := bypass(i); err != nil {
			return 0, err
		}
		ratios[i] = t1.Sub(t0).Seconds() / time.Since(t1).Seconds()
	}
	slices.Sort(ratios)
	return ratios[n/2], nil
}

// busyCPU returns the seconds all CPUs of the machine have been busy since
// boot (Linux /proc/stat, in 1/100 s), or -1 where that is not known.
func busyCPU() float64 {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return -1
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal guest guest_nice
	if len(f) < 9 || f[0] != "cpu" {
		return -1
	}
	var ticks float64
	for i, v := range f[1:9] {
		if i == 3 || i == 4 { // idle, iowait; guest time is already in user
			continue
		}
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return -1
		}
		ticks += n
	}
	return ticks / 100
}

// selfCPU returns the CPU seconds this process has used.
func selfCPU() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}
