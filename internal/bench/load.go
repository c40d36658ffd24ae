package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/umkm"
)

// LoadOptions size the load-and-fault run.
type LoadOptions struct {
	PerOffice  int           // businesses per office before the run
	Sessions   int           // simulated staff sessions
	Duration   time.Duration // of the load, faults included
	ImportRows int           // rows of the import that runs under the load
	// ThinkMin and ThinkMax bound the pause between a session's requests:
	// the time a person takes to read a page and decide (uniform between).
	ThinkMin, ThinkMax time.Duration
	Binary             string // the sentra binary the API and worker processes run
}

// DefaultLoad is the scale.
// Staff read a list or a record for seconds before the next click: 2–8 s
// between requests, 40 requests per second from 200 sessions. Shorter
// pauses (--think-min=300ms --think-max=1.2s) model every session
// clicking without reading, a stress beyond what an office does.
var DefaultLoad = LoadOptions{PerOffice: 150_000, Sessions: 200, Duration: 3 * time.Minute, ImportRows: 50_000,
	ThinkMin: 2 * time.Second, ThinkMax: 8 * time.Second}

var offices = []string{"tangsel", "depok", "karawang", "medan"} // tangsel imports

const loadPassword = "bench-load-password-2026"

// Load runs Sentra as it runs in production — an API process and a worker
// process on one PostgreSQL — under staff sessions of four offices while
// one office imports and others export, and injects the faults of a bad
// day: the worker killed mid-import and mid-export, PostgreSQL restarted,
// every connection terminated by the server. It prints what staff saw.
func Load(ctx context.Context, e *Env, o LoadOptions) error {
	keyText := pii.NewKey()
	key, err := pii.ParseKey(keyText)
	if err != nil {
		return err
	}
	r, err := newRegisterWithKey(ctx, e, key)
	if err != nil {
		return err
	}
	for i, slug := range offices {
		t0 := time.Now()
		if err := r.svc.Seed(ctx, r.tenants[slug].Scope(), r.tenants[slug].KemendagriCode, o.PerOffice, uint64(20+i)); err != nil {
			return err
		}
		e.Logger.Info("seeded", "tenant", slug, "rows", o.PerOffice, "took", time.Since(t0).Round(time.Millisecond).String())
	}
	if err := adminExec(ctx, e.AdminURL, "vacuum analyze"); err != nil {
		return err
	}
	l := &load{e: e, o: o, r: r, users: map[string][]string{}, ids: map[string][]uuid.UUID{}}
	if err := l.prepare(ctx); err != nil {
		return err
	}

	// The processes, as deployed: API only, and workers only.
	dir, err := os.MkdirTemp("", "sentra-load-")
	if err != nil {
		return err
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	l.base = "http://127.0.0.1:" + strconv.Itoa(port)
	env := []string{"DATABASE_URL=" + e.AppURL, "SENTRA_DATA_KEY=" + keyText, "SENTRA_LOG_LEVEL=warn",
		"SENTRA_TRUST_PROXY=true", "SENTRA_ADDR=127.0.0.1:" + strconv.Itoa(port), "SENTRA_SHUTDOWN_TIMEOUT=20s"}
	l.api = &proc{bin: o.Binary, args: []string{"serve", "--workers=false"}, env: env, log: filepath.Join(dir, "api.log")}
	l.worker = &proc{bin: o.Binary, args: []string{"worker"}, env: env, log: filepath.Join(dir, "worker.log")}
	e.Logger.Info("processes", "logs", dir)
	if err := l.api.start(); err != nil {
		return err
	}
	defer l.api.stop()
	if err := l.worker.start(); err != nil {
		return err
	}
	defer func() { l.worker.stop() }()
	if err := l.awaitReady(ctx, time.Minute); err != nil {
		return err
	}
	return l.run(ctx)
}

type load struct {
	e      *Env
	o      LoadOptions
	r      *register
	base   string
	api    *proc
	worker *proc
	http   *http.Client
	users  map[string][]string    // office → staff emails
	ids    map[string][]uuid.UUID // office → records sessions read
	edits  map[string][]uuid.UUID // office → records sessions edit, disjoint per session
	regs   map[string][]umkm.RegistrasiInput

	rec recorder
	mu  sync.Mutex
	// What each record's produk must be at the end: the value of the last
	// edit answered 200, or one of the edits after it whose answer was lost.
	written     map[uuid.UUID]*editState
	kodes       []string // registrations answered 202 (received)
	refusedOnce sync.Once
}

type editState struct {
	confirmed string
	uncertain []string
}

type window struct {
	name       string
	start, end time.Time
}

const usersPerOffice, editsPerSession = 10, 3

// prepare creates the staff, picks the records sessions read and edit and
// the public registrations they send.
func (l *load) prepare(ctx context.Context) error {
	l.http = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: l.o.Sessions + 20}, Timeout: 30 * time.Second}
	l.written = map[uuid.UUID]*editState{}
	l.edits, l.regs = map[string][]uuid.UUID{}, map[string][]umkm.RegistrasiInput{}
	perOffice := (l.o.Sessions + len(offices) - 1) / len(offices)
	for _, slug := range offices {
		t := l.r.tenants[slug]
		err := l.e.App.InTx(ctx, func(tx pgx.Tx) error {
			for u := range usersPerOffice {
				email := fmt.Sprintf("staf%d@%s.load", u, slug)
				id, _, err := account.EnsureUser(ctx, tx, email, "Staf Beban "+slug, loadPassword)
				if err != nil {
					return err
				}
				if err := account.Grant(ctx, tx, id, tenancy.TenantDomain(slug), tenancy.RoleStaf, nil, nil); err != nil {
					return err
				}
				l.users[slug] = append(l.users[slug], email)
			}
			return nil
		})
		if err != nil {
			return err
		}
		ids, err := sampleIDs(ctx, l.e.AdminURL, t.ID, 2000+perOffice*editsPerSession)
		if err != nil {
			return err
		}
		l.edits[slug], l.ids[slug] = ids[:perOffice*editsPerSession], ids[perOffice*editsPerSession:]
		g, err := l.r.svc.GeneratorFor(ctx, t.Scope(), t.KemendagriCode, 777)
		if err != nil {
			return err
		}
		for len(l.regs[slug]) < 50 {
			in, _ := g.Next()
			if in.NIK == nil {
				continue
			}
			l.regs[slug] = append(l.regs[slug], umkm.RegistrasiInput{NamaPemilik: in.NamaPemilik, NIK: *in.NIK,
				JenisKelamin: in.JenisKelamin, Telepon: "0812-5555-" + fmt.Sprintf("%04d", len(l.regs[slug])),
				NamaUsaha: in.NamaUsaha + " Daring", Sektor: in.Sektor, KecamatanKode: in.KecamatanKode,
				KelurahanKode: in.KelurahanKode, OmzetTahunan: in.OmzetTahunan})
		}
	}
	return nil
}

// arrival is the gap between two sessions' logins at the start.
const arrival = 50 * time.Millisecond

// run is the measured part: sessions, background work and faults.
func (l *load) run(ctx context.Context) error {
	var wg sync.WaitGroup
	l.e.ResetStatements(ctx)
	start := time.Now()
	busy0, self0, api0, worker0, pg0 := busyCPU(), selfCPU(), l.api.cpu(), l.worker.cpu(), l.e.PostgresCPU(ctx)
	loadCtx, stopLoad := context.WithTimeout(ctx, l.o.Duration)
	defer stopLoad()
	bg, err := l.background(loadCtx, start, func() {
		// Staff arrive over the first seconds, not all in one millisecond:
		// a login costs ~50 ms of a core (argon2id).
		for i := range l.o.Sessions {
			wg.Go(func() {
				sleep(loadCtx, time.Duration(i)*arrival)
				l.session(loadCtx, i)
			})
		}
	})
	wg.Wait()
	took := time.Since(start).Seconds()
	// Where the machine's CPU went during the load: the sessions' own
	// client (this process), the API, the worker, and the rest (PostgreSQL,
	// mostly).
	busy, clients, api, worker, pg := busyCPU()-busy0, selfCPU()-self0, l.api.cpu()-api0, l.worker.cpu()-worker0, l.e.PostgresCPU(ctx)-pg0
	l.e.Metric("cpu_busy_share", busy/(took*float64(runtime.NumCPU())))
	l.e.Metric("cpu_api_s", api)
	l.e.Metric("cpu_worker_s", worker)
	l.e.Metric("cpu_postgres_s", pg)
	l.e.Metric("cpu_sessions_client_s", clients)
	// Anything else on the machine: on an idle one, close to 0.
	l.e.Metric("cpu_other_s", busy-api-worker-clients-pg)
	l.e.LogStatements(ctx, 25)
	if err != nil {
		return err
	}
	// The work started under load must finish, once each.
	if err := bg.finish(ctx, l); err != nil {
		return err
	}
	return l.report(ctx, start, bg)
}

// session is one member of staff: logs in, then lists, searches, reads,
// edits and, for a few, enters public registrations, with a pause between.
func (l *load) session(ctx context.Context, i int) {
	slug := offices[i%len(offices)]
	n := i / len(offices)
	email := l.users[slug][n%usersPerOffice]
	addr := fmt.Sprintf("10.%d.%d.%d", i/65536%256, i/256%256, i%256+1) // behind the proxy, each from its own address
	rng := rand.New(rand.NewPCG(uint64(i), 42))
	own := l.edits[slug][n*editsPerSession : (n+1)*editsPerSession]
	reads := l.ids[slug]
	kec := l.r.kecamatan[slug]
	regs := 0
	var token string
	login := func() {
		body, _ := json.Marshal(map[string]string{"email": email, "password": loadPassword})
		status, resp, _, _ := l.do(ctx, "login", slug, http.MethodPost, "/v1/auth/login", "", addr, body, nil)
		if status == http.StatusOK {
			var out struct{ Token string }
			_ = json.Unmarshal(resp, &out)
			token = out.Token
		}
	}
	for ctx.Err() == nil && token == "" {
		login()
		if token == "" {
			sleep(ctx, time.Second)
		}
	}
	edits := 0
	for ctx.Err() == nil {
		sleep(ctx, l.o.ThinkMin+time.Duration(rng.Int64N(int64(l.o.ThinkMax-l.o.ThinkMin)+1)))
		if ctx.Err() != nil {
			return
		}
		var status int
		switch r := rng.IntN(100); {
		case r < 28:
			path := "/v1/tenants/" + slug + "/umkm?limit=50"
			if rng.IntN(2) == 0 && len(kec) > 0 {
				path += "&kecamatan=" + kec[rng.IntN(len(kec))]
			}
			status, _, _, _ = l.do(ctx, "list", slug, http.MethodGet, path, token, addr, nil, nil)
		case r < 52:
			q := searches[rng.IntN(len(searches))]
			status, _, _, _ = l.do(ctx, "search", slug, http.MethodGet, "/v1/tenants/"+slug+"/umkm?limit=50&q="+strings.ReplaceAll(q, " ", "%20"),
				token, addr, nil, nil)
		case r < 78:
			status, _, _, _ = l.do(ctx, "get", slug, http.MethodGet, "/v1/tenants/"+slug+"/umkm/"+reads[rng.IntN(len(reads))].String(),
				token, addr, nil, nil)
		case r < 94:
			edits++
			status = l.edit(ctx, slug, token, addr, own[edits%len(own)], fmt.Sprintf("Produk sesi %d ubahan %d", i, edits))
		case r < 96:
			login()
			continue
		default:
			if i >= 40 || regs >= 5 { // 200 in all: the public limits are per hour
				continue
			}
			status = l.register(ctx, slug, addr, l.regs[slug][(n*5+regs)%len(l.regs[slug])])
			regs++
		}
		if status == http.StatusUnauthorized {
			login()
		}
	}
}

var searches = []string{"keripik", "bakso", "warung", "batik", "salon", "lele", "kue kering", "laundry", "toko", "hijab", "bengkel"}

// edit reads a record and writes it back with its produk changed, under
// If-Match, as the edit form does.
func (l *load) edit(ctx context.Context, slug, token, addr string, id uuid.UUID, produk string) int {
	path := "/v1/tenants/" + slug + "/umkm/" + id.String()
	status, body, hdr, _ := l.do(ctx, "get", slug, http.MethodGet, path, token, addr, nil, nil)
	if status != http.StatusOK {
		return status
	}
	var in umkm.Input
	if err := json.Unmarshal(body, &in); err != nil {
		return 0
	}
	if in.NIK != nil && strings.ContainsAny(*in.NIK, "x*") {
		in.NIK = nil // masked for this role: the form leaves it alone
	}
	in.Produk = &produk
	b, _ := json.Marshal(in)
	l.mu.Lock()
	st := l.written[id]
	if st == nil {
		st = &editState{}
		l.written[id] = st
	}
	st.uncertain = append(st.uncertain, produk) // until the answer says
	l.mu.Unlock()
	status, _, _, _ = l.do(ctx, "edit", slug, http.MethodPut, path, token, addr, b, map[string]string{"If-Match": hdr.Get("ETag")})
	l.mu.Lock()
	switch {
	case status == http.StatusOK:
		st.confirmed, st.uncertain = produk, nil
	case status >= 400 && status < 500:
		st.uncertain = slices.DeleteFunc(st.uncertain, func(s string) bool { return s == produk }) // refused: not written
	}
	l.mu.Unlock()
	return status
}

func (l *load) register(ctx context.Context, slug, addr string, in umkm.RegistrasiInput) int {
	b, _ := json.Marshal(in)
	status, body, _, _ := l.do(ctx, "registrasi", slug, http.MethodPost, "/v1/public/"+slug+"/registrasi", "", addr, b,
		map[string]string{"Idempotency-Key": uuid.NewString()})
	if status != http.StatusAccepted {
		l.refusedOnce.Do(func() { l.e.Logger.Warn("registration refused", "status", status, "problem", string(body)) })
	}
	if status == http.StatusAccepted { // waits for staff to review it
		var out struct {
			Kode string `json:"kode_lacak"`
		}
		_ = json.Unmarshal(body, &out)
		l.mu.Lock()
		l.kodes = append(l.kodes, out.Kode)
		l.mu.Unlock()
	}
	return status
}

// do sends one request and records it.
func (l *load) do(ctx context.Context, kind, slug, method, path, token, addr string, body []byte, hdr map[string]string) (int, []byte, http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, method, l.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if addr != "" {
		req.Header.Set("X-Forwarded-For", addr)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	t0 := time.Now()
	resp, err := l.http.Do(req)
	var (
		status int
		out    []byte
		h      http.Header
		ctype  string
	)
	if err == nil {
		out, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		status, h, ctype = resp.StatusCode, resp.Header, resp.Header.Get("Content-Type")
	}
	if ctx.Err() != nil && err != nil {
		return 0, nil, nil, err // the run ended under it: not a request staff made
	}
	l.rec.add(sample{kind: kind, office: slug, start: t0, dur: time.Since(t0), status: status, problemJSON: ctype == "application/problem+json",
		failed: err != nil || status >= 500 || status == http.StatusPreconditionFailed || status == http.StatusConflict})
	return status, out, h, err
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// awaitReady waits until the API says it is ready.
func (l *load) awaitReady(ctx context.Context, within time.Duration) error {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if resp, err := l.http.Get(l.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		sleep(ctx, 100*time.Millisecond)
	}
	return fmt.Errorf("API not ready within %s", within)
}

type sample struct {
	kind, office string
	start        time.Time
	dur          time.Duration
	status       int
	problemJSON  bool
	failed       bool
}

type recorder struct {
	mu sync.Mutex
	s  []sample
}

func (r *recorder) add(s sample) {
	r.mu.Lock()
	r.s = append(r.s, s)
	r.mu.Unlock()
}

// proc is a sentra process the run starts, kills and restarts.
type proc struct {
	bin       string
	args, env []string
	log       string
	cmd       *exec.Cmd
	done      chan error
	spent     float64 // CPU seconds of earlier, ended instances
}

// cpu is the CPU seconds the process used, its ended instances included.
func (p *proc) cpu() float64 {
	if p.cmd == nil || p.cmd.Process == nil {
		return p.spent
	}
	f, ok := procStat(p.cmd.Process.Pid)
	if !ok {
		return p.spent
	}
	return p.spent + ticks(f, utime, stime)/clockTicks
}

func (p *proc) start() error {
	f, err := os.OpenFile(p.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	cmd := exec.Command(p.bin, p.args...)
	cmd.Env = append(os.Environ(), p.env...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		f.Close()
		return fmt.Errorf("start %s: %w", p.args[0], err)
	}
	p.cmd, p.done = cmd, make(chan error, 1)
	go func() { p.done <- cmd.Wait(); f.Close() }()
	return nil
}

// kill ends the process as a crash would: no shutdown, jobs left running.
func (p *proc) kill() {
	p.spent = p.cpu()
	_ = p.cmd.Process.Kill()
	<-p.done
}

// stop ends it gracefully.
func (p *proc) stop() {
	if p.cmd == nil || p.cmd.ProcessState != nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(40 * time.Second):
		p.kill()
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// job is a pekerjaan started under load, followed to its end.
type job struct {
	office, what string
	id           uuid.UUID
}

type background struct {
	token            map[string]string // a staff token per office for the work
	importJob        job
	exports          []job
	importStart      time.Time
	importEnd        time.Time
	before           int // tangsel's businesses before the import
	killedAt         time.Time
	resumedAt        time.Time
	pgDownAt, pgUpAt time.Time
	recoveredAt      time.Time
	terminatedAt     time.Time
	terminatedUntil  time.Time // the terminate's statement returned: connections died in between
	readyzDown       bool
}

// background starts the import and exports and injects the faults, in
// order, while the sessions run.
func (l *load) background(ctx context.Context, start time.Time, sessions func()) (*background, error) {
	bg := &background{token: map[string]string{}}
	for _, slug := range offices {
		body, _ := json.Marshal(map[string]string{"email": l.users[slug][0], "password": loadPassword})
		status, resp, _, err := l.do(ctx, "login", slug, http.MethodPost, "/v1/auth/login", "", "10.255.0.1", body, nil)
		var out struct{ Token string }
		if err != nil || status != http.StatusOK || json.Unmarshal(resp, &out) != nil {
			return nil, fmt.Errorf("login for the background work: %d %v", status, err)
		}
		bg.token[slug] = out.Token
	}
	sessions()
	if err := adminQueryRow(ctx, l.e.AdminURL, "select count(*) from umkm where tenant_id = '"+l.r.tenants["tangsel"].ID.String()+"'", &bg.before); err != nil {
		return nil, err
	}
	g, err := l.r.svc.GeneratorFor(ctx, l.r.tenants["tangsel"].Scope(), l.r.tenants["tangsel"].KemendagriCode, 2026)
	if err != nil {
		return nil, err
	}
	var file bytes.Buffer
	if err := g.WriteCSV(&file, l.o.ImportRows); err != nil {
		return nil, err
	}
	sleep(ctx, time.Until(start.Add(time.Duration(l.o.Sessions)*arrival+5*time.Second))) // every session in first
	bg.importStart = time.Now()
	if bg.importJob, err = l.startJob(ctx, bg, "tangsel", "impor", "/v1/tenants/tangsel/umkm/impor?nama=pendataan-beban.csv", file.Bytes(), "text/csv"); err != nil {
		return nil, err
	}
	for _, slug := range []string{"depok", "karawang"} {
		j, err := l.startJob(ctx, bg, slug, "ekspor", "/v1/tenants/"+slug+"/umkm/ekspor?format=xlsx", nil, "")
		if err != nil {
			return nil, err
		}
		bg.exports = append(bg.exports, j)
	}

	// Fault 1: the worker dies while the import and an export run.
	if err := l.awaitProgress(ctx, bg, bg.importJob, 0, 2*time.Minute); err != nil {
		return nil, err
	}
	ex, err := l.startJob(ctx, bg, "medan", "ekspor", "/v1/tenants/medan/umkm/ekspor?format=csv", nil, "")
	if err != nil {
		return nil, err
	}
	bg.exports = append(bg.exports, ex)
	_ = l.awaitStatus(ctx, bg, ex, pekerjaan.Berjalan, 30*time.Second) // kill it mid-export if it got that far
	done, _ := l.jobState(ctx, bg, bg.importJob)
	bg.killedAt = time.Now()
	l.worker.kill()
	l.e.Logger.Info("killed the worker", "import_rows_done", done.Selesai)
	if err := l.worker.start(); err != nil {
		return nil, err
	}
	if err := l.awaitProgress(ctx, bg, bg.importJob, done.Selesai, 2*time.Minute); err != nil {
		return nil, fmt.Errorf("import after the worker was killed: %w", err)
	}
	bg.resumedAt = time.Now()

	// Fault 2: PostgreSQL restarts (the load goes on; readyz must follow).
	if wait := time.Until(start.Add(l.o.Duration / 2)); wait > 0 {
		sleep(ctx, wait)
	}
	readyCtx, stopReady := context.WithCancel(ctx)
	readyDone := make(chan struct{})
	go func() { defer close(readyDone); bg.readyzDown = l.watchReadyz(readyCtx) }()
	// The server comes back even if the load's time ran out meanwhile.
	restartCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	bg.pgDownAt, bg.pgUpAt, err = l.e.RestartPostgres(restartCtx, 3*time.Second)
	cancel()
	if err != nil {
		stopReady()
		return nil, fmt.Errorf("restart postgres: %w", err)
	}
	l.e.Logger.Info("restarted postgres", "down_s", bg.pgUpAt.Sub(bg.pgDownAt).Seconds())
	sleep(ctx, 15*time.Second)
	stopReady()
	<-readyDone

	// Fault 3: the server drops every connection of the application.
	if wait := time.Until(start.Add(l.o.Duration * 3 / 4)); wait > 0 {
		sleep(ctx, wait)
	}
	bg.terminatedAt = time.Now()
	if err := adminExec(ctx, l.e.AdminURL, "select pg_terminate_backend(pid) from pg_stat_activity where usename = 'sentra_app'"); err != nil {
		return nil, err
	}
	bg.terminatedUntil = time.Now()
	<-ctx.Done()
	return bg, nil
}

// watchReadyz polls /readyz until ctx ends and reports whether it ever
// answered other than 200 (PostgreSQL was down for seconds: it must).
func (l *load) watchReadyz(ctx context.Context) bool {
	down := false
	for ctx.Err() == nil {
		resp, err := l.http.Get(l.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			down = down || resp.StatusCode != http.StatusOK
		}
		sleep(ctx, 200*time.Millisecond)
	}
	return down
}

func (l *load) startJob(ctx context.Context, bg *background, slug, what, path string, body []byte, ctype string) (job, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, l.base+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+bg.token[slug])
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := l.http.Do(req)
	if err != nil {
		return job{}, err
	}
	defer resp.Body.Close()
	var j pekerjaan.Job
	if resp.StatusCode != http.StatusAccepted && resp.StatusCode != http.StatusCreated || json.NewDecoder(resp.Body).Decode(&j) != nil {
		b, _ := io.ReadAll(resp.Body)
		return job{}, fmt.Errorf("%s %s: %s %s", what, slug, resp.Status, b)
	}
	return job{office: slug, what: what, id: j.ID}, nil
}

func (l *load) jobState(ctx context.Context, bg *background, j job) (pekerjaan.Job, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, l.base+"/v1/tenants/"+j.office+"/pekerjaan/"+j.id.String(), nil)
	req.Header.Set("Authorization", "Bearer "+bg.token[j.office])
	resp, err := l.http.Do(req)
	if err != nil {
		return pekerjaan.Job{}, err
	}
	defer resp.Body.Close()
	var out pekerjaan.Job
	if resp.StatusCode != http.StatusOK {
		return out, fmt.Errorf("pekerjaan %s: %s", j.id, resp.Status)
	}
	return out, json.NewDecoder(resp.Body).Decode(&out)
}

// awaitProgress waits until j has processed more than done rows (or ended).
func (l *load) awaitProgress(ctx context.Context, bg *background, j job, done int, within time.Duration) error {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		s, err := l.jobState(ctx, bg, j)
		if err == nil && (s.Selesai > done || s.Status == pekerjaan.Selesai || s.Status == pekerjaan.Gagal) {
			return nil
		}
		sleep(ctx, 250*time.Millisecond)
	}
	return fmt.Errorf("%s of %s: no progress past %d rows within %s", j.what, j.office, done, within)
}

func (l *load) awaitStatus(ctx context.Context, bg *background, j job, status string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if s, err := l.jobState(ctx, bg, j); err == nil && s.Status == status {
			return nil
		}
		sleep(ctx, 100*time.Millisecond)
	}
	return fmt.Errorf("%s of %s not %s within %s", j.what, j.office, status, within)
}

// finish waits for the background work and checks it ran exactly once.
func (bg *background) finish(ctx context.Context, l *load) error {
	for _, j := range append([]job{bg.importJob}, bg.exports...) {
		deadline := time.Now().Add(10 * time.Minute)
		for {
			s, err := l.jobState(ctx, bg, j)
			if err == nil && s.Status == pekerjaan.Selesai {
				if j.what == "impor" {
					bg.importEnd = s.UpdatedAt
					var h struct {
						Ringkasan umkm.ImportSummary `json:"ringkasan"`
					}
					if err := json.Unmarshal(s.Hasil, &h); err != nil {
						return err
					}
					var after int
					if err := adminQueryRow(ctx, l.e.AdminURL, "select count(*) from umkm where tenant_id = '"+l.r.tenants["tangsel"].ID.String()+"'", &after); err != nil {
						return err
					}
					// Nothing written twice: the register grew by exactly the
					// rows the import reports as new.
					l.e.Metric("import_rows_written_twice", float64(after-bg.before-h.Ringkasan.Baru))
					l.e.Metric("import_new_rows", float64(h.Ringkasan.Baru))
				}
				break
			}
			if err == nil && s.Status == pekerjaan.Gagal {
				return fmt.Errorf("%s of %s failed: %s", j.what, j.office, s.Hasil)
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("%s of %s not done within 10 minutes", j.what, j.office)
			}
			sleep(ctx, 500*time.Millisecond)
		}
	}
	return nil
}

// report prints the run's numbers.
func (l *load) report(ctx context.Context, start time.Time, bg *background) error {
	e := l.e
	samples := l.rec.s
	// The restart window: from the stop to the first successful write after
	// the server was back. Requests in flight when the server terminated
	// every connection had theirs cut under them: a second window.
	bg.recoveredAt = bg.pgUpAt.Add(time.Minute)
	for _, s := range samples {
		if s.kind == "edit" && s.status == http.StatusOK && s.start.After(bg.pgUpAt) && s.start.Add(s.dur).Before(bg.recoveredAt) {
			bg.recoveredAt = s.start.Add(s.dur)
		}
	}
	restart := window{"restart", bg.pgDownAt, bg.recoveredAt}
	in := func(w window, s sample) bool { return s.start.Before(w.end) && s.start.Add(s.dur).After(w.start) }
	var (
		errs, inRestart, restartNot503, cut int
		byKind                              = map[string]*Latencies{}
		reads, otherOffice                  Latencies
		slowest                             sample
		first                               = map[string]sample{}
	)
	for _, s := range samples {
		if byKind[s.kind] == nil {
			byKind[s.kind] = &Latencies{}
		}
		byKind[s.kind].Add(s.dur)
		duringImport := s.start.After(bg.importStart) && s.start.Before(bg.importEnd)
		if duringImport && !in(restart, s) && (s.kind == "list" || s.kind == "search" || s.kind == "get") {
			reads.Add(s.dur)
			if s.office != "tangsel" {
				otherOffice.Add(s.dur)
				if s.dur > slowest.dur {
					slowest = s
				}
			}
		}
		switch {
		case !s.failed:
		case in(restart, s):
			inRestart++
			if s.status != http.StatusServiceUnavailable || !s.problemJSON {
				restartNot503++
			}
		case in(window{"terminate", bg.terminatedAt, bg.terminatedUntil}, s) && s.status == http.StatusServiceUnavailable && s.problemJSON:
			// Its connection was terminated under it: a 503 problem, as
			// during the restart.
			cut++
		default:
			errs++
			if _, ok := first[s.kind]; !ok {
				first[s.kind] = s
			}
		}
	}
	for kind, s := range first {
		e.Logger.Warn("failed request", "kind", kind, "office", s.office, "status", s.status, "at_s", s.start.Sub(start).Seconds())
	}
	took := time.Since(start).Seconds()
	e.Metric("sessions", float64(l.o.Sessions))
	e.Metric("think_min_ms", float64(l.o.ThinkMin.Milliseconds()))
	e.Metric("think_max_ms", float64(l.o.ThinkMax.Milliseconds()))
	e.Metric("requests", float64(len(samples)))
	e.Metric("requests_per_s", float64(len(samples))/took)
	for _, kind := range slices.Sorted(maps.Keys(byKind)) {
		e.Metric(kind+"_p50_ms", byKind[kind].Quantile(0.5))
		e.Metric(kind+"_p95_ms", byKind[kind].Quantile(0.95))
		e.Metric(kind+"_p99_ms", byKind[kind].Quantile(0.99))
	}
	e.Metric("errors", float64(errs))
	e.Metric("errors_in_restart_window", float64(inRestart))
	e.Metric("restart_window_answers_not_503_problem", float64(restartNot503))
	e.Metric("requests_cut_by_terminate", float64(cut))
	e.Metric("read_p99_ms", reads.Quantile(0.99))
	e.Metric("read_p99_ms_other_offices", otherOffice.Quantile(0.99))
	e.Metric("slowest_other_office_ms", float64(slowest.dur.Microseconds())/1000)
	e.Logger.Info("slowest request of an office not importing", "kind", slowest.kind, "office", slowest.office)
	e.Metric("import_seconds", bg.importEnd.Sub(bg.importStart).Seconds())
	e.Metric("worker_kill_to_resume_seconds", bg.resumedAt.Sub(bg.killedAt).Seconds())
	e.Metric("postgres_down_seconds", bg.pgUpAt.Sub(bg.pgDownAt).Seconds())
	e.Metric("recovery_seconds", bg.recoveredAt.Sub(bg.pgUpAt).Seconds())
	e.Metric("readyz_followed_restart", b2f(bg.readyzDown))

	// No committed write lost: each edited record holds its last confirmed
	// edit, or one whose answer was lost in a fault.
	lost := 0
	// One read of every edited record, not a connection per record.
	conn, err := pgx.Connect(ctx, e.AdminURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var ids []string
	for id := range l.written {
		ids = append(ids, id.String())
	}
	rows, err := conn.Query(ctx, "select id, coalesce(produk, '') from umkm where id = any($1::uuid[])", ids)
	if err != nil {
		return err
	}
	final := map[uuid.UUID]string{}
	var (
		id  uuid.UUID
		got string
	)
	if _, err := pgx.ForEachRow(rows, []any{&id, &got}, func() error { final[id] = got; return nil }); err != nil {
		return err
	}
	for id, st := range l.written {
		if got := final[id]; got != st.confirmed && !slices.Contains(st.uncertain, got) {
			lost++
		}
	}
	e.Metric("edits_checked", float64(len(l.written)))
	e.Metric("lost_writes", float64(lost))
	var kept int
	if len(l.kodes) > 0 {
		if err := adminQueryRow(ctx, e.AdminURL, "select count(*) from registrasi where kode_lacak = any('{"+strings.Join(l.kodes, ",")+"}')", &kept); err != nil {
			return err
		}
	}
	e.Metric("registrations", float64(len(l.kodes)))
	e.Metric("lost_registrations", float64(len(l.kodes)-kept))
	if errs > 0 || lost > 0 || kept != len(l.kodes) {
		return errors.New("the run had errors or lost writes (see above)")
	}
	return nil
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// newRegisterWithKey is newRegister with the NIK key the run's processes
// are given.
func newRegisterWithKey(ctx context.Context, e *Env, key []byte) (*register, error) {
	r, err := newRegister(ctx, e)
	if err != nil {
		return nil, err
	}
	if r.svc.Sealer, err = pii.NewSealer(key); err != nil {
		return nil, err
	}
	r.kecamatan = map[string][]string{}
	for slug, t := range r.tenants {
		kec, err := r.store.ListWilayah(ctx, t.ID, "", 100)
		if err != nil {
			return nil, err
		}
		for _, k := range kec {
			r.kecamatan[slug] = append(r.kecamatan[slug], k.Kode)
		}
	}
	return r, nil
}
