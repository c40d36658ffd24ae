package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/jobs"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/langganan"
	"github.com/sentra-id/sentra/internal/logging"
	"github.com/sentra-id/sentra/internal/pendanaan"
	"github.com/sentra-id/sentra/internal/pgembed"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/stripe"
	"github.com/sentra-id/sentra/internal/stripemock"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/migrations"
	"github.com/sentra-id/sentra/tenants"
)

const demoDatabase = "sentra"

// demoRootFallback holds the demo's cluster when it runs as root from a
// folder the postgres OS user cannot enter (a checkout under /root): the
// usual place for a program's state, reachable by that user.
const demoRootFallback = "/var/lib/sentra"

func cmdDemo(ctx context.Context, args []string) error {
	fs := newFlagSet("demo", `Runs the whole product locally: a private PostgreSQL cluster under --data-dir (kept
across runs; as root, under `+demoRootFallback+`/<hash of it> when the postgres OS user
cannot enter it), migrations, the four tenants, demo users, and the API with its workers.
With DATABASE_URL set, uses that server instead (SENTRA_OWNER_DATABASE_URL for migrations).
Demo users exist only in demo mode; their password is SENTRA_DEMO_PASSWORD.`)
	var c common
	var s server
	c.register(fs)
	s.register(fs, true)
	dataDir := fs.String("data-dir", envString("SENTRA_DATA_DIR", ".sentra"), "folder for the private PostgreSQL cluster (env SENTRA_DATA_DIR)")
	password := fs.String("demo-password", envString("SENTRA_DEMO_PASSWORD", "sentra-demo-2026"), "password of every demo user (env SENTRA_DEMO_PASSWORD)")
	sample := fs.Int("sample", envInt("SENTRA_DEMO_SAMPLE", 3000), "generated UMKM per tenant on first start, with each office's cooperatives; 0 for none (env SENTRA_DEMO_SAMPLE)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := s.check(true); err != nil {
		return err
	}
	logger, err := logging.New(os.Stderr, c.logLevel, envString("SENTRA_LOG_FORMAT", "text"))
	if err != nil {
		return err
	}
	appURL, ownerURL := c.databaseURL, envString("SENTRA_OWNER_DATABASE_URL", c.databaseURL)
	if appURL == "" {
		cluster, err := pgembed.Start(ctx, pgembed.Options{Dir: filepath.Join(*dataDir, "postgres"), Logger: logger,
			RootFallback: demoRootFallback})
		if err != nil {
			return err
		}
		defer func() {
			logger.Info("stopping private postgres")
			if err := cluster.Stop(); err != nil {
				logger.Error("stop postgres", "error", err)
			}
		}()
		if err := cluster.CreateDatabase(ctx, demoDatabase, "", migrations.SuperuserSQL); err != nil {
			return err
		}
		appURL, ownerURL = cluster.AppURL(demoDatabase), cluster.OwnerURL(demoDatabase)
	}
	// After the cluster, which sets up the data folder's permissions.
	if c.dataKey == "" {
		if c.dataKey, err = demoKey(*dataDir); err != nil {
			return err
		}
	}
	sealer, err := c.sealer()
	if err != nil {
		return err
	}
	if err := db.Migrate(ctx, ownerURL, logger); err != nil {
		return err
	}
	d, work, err := s.openPools(ctx, appURL, true)
	if err != nil {
		return err
	}
	defer closePools(d, work)
	if _, err := syncTenants(ctx, d, tenants.FS); err != nil {
		return err
	}
	users, err := seedDemoUsers(ctx, d, *password)
	if err != nil {
		return err
	}
	if err := seedDemoUMKM(ctx, d, sealer, logger, *sample); err != nil {
		return err
	}
	if *sample > 0 {
		if err := seedDemoKoperasi(ctx, d, logger); err != nil {
			return err
		}
		if err := seedDemoProgram(ctx, d, sealer, logger); err != nil {
			return err
		}
		if err := seedDemoDana(ctx, d, logger); err != nil {
			return err
		}
		if err := seedDemoPemasaran(ctx, d, logger); err != nil {
			return err
		}
	}
	billingNote := "off (no Stripe key, and stripe-mock could not be started)"
	if !s.stripe.Enabled() {
		mock, err := stripemock.Start(ctx)
		if err != nil {
			logger.Warn("billing off: stripe-mock could not be started", "error", err)
		} else {
			defer mock.Stop()
			s.stripe = stripe.Config{Key: stripemock.Key, URL: mock.URL, WebhookSecrets: []string{demoWebhookSecret}}
		}
	}
	if s.stripe.Enabled() {
		if err := seedDemoBilling(ctx, d, s.stripe, logger); err != nil {
			return err
		}
		billingNote = cmp.Or(s.stripe.URL, "https://api.stripe.com") + " (Depok and Medan active, Tangsel in grace, Karawang trialing)"
	}
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return err
	}
	return runtime{logger: logger, api: d, work: work, sealer: sealer, server: s, listener: ln}.run(ctx, func() {
		printBanner(os.Stdout, ln.Addr(), users, *password, appURL, billingNote)
	})
}

type demoUser struct {
	email, name string
	domain      tenancy.Domain
	role        tenancy.Role
	wilayah     []string
}

// demoUsers: per tenant an admin, a staf, a viewer and a petugas for the
// tenant's first kecamatan; a viewer per province; a platform admin.
func demoUsers(slugs []string, firstKecamatan map[string]string) []demoUser {
	var out []demoUser
	for _, slug := range slugs {
		for _, r := range tenancy.TenantRoles {
			u := demoUser{email: string(r) + "@" + slug + ".demo", name: strings.ToUpper(string(r[:1])) + string(r[1:]) + " " + slug,
				domain: tenancy.TenantDomain(slug), role: r}
			if r == tenancy.RolePetugas {
				u.wilayah = []string{firstKecamatan[slug]}
			}
			out = append(out, u)
		}
	}
	for _, p := range []struct{ who, code, name string }{
		{"jabar", "32", "Jawa Barat"}, {"banten", "36", "Banten"}, {"sumut", "12", "Sumatera Utara"},
	} {
		out = append(out, demoUser{email: p.who + "@province.demo", name: "Pemantau Provinsi " + p.name,
			domain: tenancy.ProvinceDomain(p.code), role: tenancy.RoleProvinceViewer})
	}
	return append(out, demoUser{email: "platform@sentra.demo", name: "Admin Platform Sentra",
		domain: tenancy.PlatformDomain, role: tenancy.RolePlatformAdmin})
}

// seedDemoUsers creates the demo users if missing (idempotent: a restart
// keeps them and their data).
func seedDemoUsers(ctx context.Context, d *db.DB, password string) ([]demoUser, error) {
	store := &tenant.Store{DB: d}
	list, err := store.List(ctx, tenant.Visible{All: true}, "", 1000)
	if err != nil {
		return nil, err
	}
	var slugs []string
	first := map[string]string{}
	for _, t := range list {
		slugs = append(slugs, t.Slug)
		ks, err := store.ListWilayah(ctx, t.ID, "", 1)
		if err != nil || len(ks) == 0 {
			return nil, fmt.Errorf("wilayah of %s: %v", t.Slug, err)
		}
		first[t.Slug] = ks[0].Kode
	}
	users := demoUsers(slugs, first)
	err = d.InTx(ctx, func(tx pgx.Tx) error {
		for _, u := range users {
			id, _, err := account.EnsureUser(ctx, tx, u.email, u.name, password)
			if err != nil {
				return fmt.Errorf("demo user %s: %w", u.email, describe(err))
			}
			if err := account.Grant(ctx, tx, id, u.domain, u.role, u.wilayah, nil); err != nil {
				return err
			}
		}
		return nil
	})
	return users, err
}

// demoKey reads the demo's data key from the data folder, making one on
// first use, so sealed NIKs stay readable across restarts.
func demoKey(dataDir string) (string, error) {
	path := filepath.Join(dataDir, "data.key")
	if b, err := os.ReadFile(path); err == nil {
		return strings.TrimSpace(string(b)), nil
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return "", err
	}
	key := pii.NewKey()
	return key, os.WriteFile(path, []byte(key+"\n"), 0o600)
}

// seedDemoUMKM gives each tenant a generated sample of businesses on the
// first start (a tenant that has any keeps what it has).
func seedDemoUMKM(ctx context.Context, d *db.DB, sealer *pii.Sealer, logger *slog.Logger, n int) error {
	if n <= 0 {
		return nil
	}
	store := &tenant.Store{DB: d}
	registry := &umkm.Service{DB: d, Sealer: sealer, Logger: logger, Now: time.Now}
	list, err := store.List(ctx, tenant.Visible{All: true}, "", 1000)
	if err != nil {
		return err
	}
	for i, t := range list {
		var have bool
		if err := d.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, "select exists (select from umkm)").Scan(&have)
		}); err != nil {
			return err
		}
		if have {
			continue
		}
		start := time.Now()
		if err := registry.Seed(ctx, t.Scope(), t.KemendagriCode, n, uint64(i+1)); err != nil {
			return err
		}
		logger.Info("demo sample", "tenant", t.Slug, "umkm", n, "took", time.Since(start).Round(time.Millisecond).String())
	}
	return nil
}

// demoKoperasi is how many cooperatives each office gets: Depok about 26
// (seed 000), Tangsel 549 (seed 002); Karawang and Medan have no figure in
// the seeds, so a plausible one for a regency of 30 kecamatan and a city of
// 2.5 million. Each list holds a few inactive ones and, as offices have it,
// mostly KSU waiting for their legal type.
var demoKoperasi = map[string]struct {
	n    int
	seed uint64
}{"depok": {26, 0}, "tangsel": {549, 2}, "karawang": {450, 15}, "medan": {900, 71}}

// seedDemoKoperasi gives each office its generated cooperatives on the
// first start (an office that has any keeps what it has), so a newcomer can
// run the reclassification campaign and review it.
func seedDemoKoperasi(ctx context.Context, d *db.DB, logger *slog.Logger) error {
	store := &tenant.Store{DB: d}
	svc := &koperasi.Service{DB: d, Logger: logger, Now: time.Now}
	list, err := store.List(ctx, tenant.Visible{All: true}, "", 1000)
	if err != nil {
		return err
	}
	for _, t := range list {
		plan, ok := demoKoperasi[t.Slug]
		if !ok {
			continue
		}
		var have bool
		if err := d.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, "select exists (select from koperasi)").Scan(&have)
		}); err != nil {
			return err
		}
		if have {
			continue
		}
		if err := svc.Seed(ctx, t.Scope(), plan.n, plan.seed, koperasi.GenOptions{}); err != nil {
			return err
		}
		logger.Info("demo cooperatives", "tenant", t.Slug, "koperasi", plan.n)
	}
	return nil
}

// seedDemoDana gives Depok a few funding applications on the first start
// (an office that has any keeps what it has), so a newcomer sees the gates
// at work: an interest subsidy whose business has no NIB yet, one complete
// and sent to the bank waiting for the SLIK, and a Kredit Mesra group of
// five from one kelurahan still missing the kelurahan's recommendation and
// one member's KK.
func seedDemoDana(ctx context.Context, d *db.DB, logger *slog.Logger) error {
	store := &tenant.Store{DB: d}
	tt, err := store.BySlug(ctx, "depok")
	if err != nil {
		return err
	}
	t := tt.Scope()
	svc := &pendanaan.Service{DB: d, Logger: logger, Now: time.Now}
	view := pendanaan.View{}
	var id uuid.UUID
	err = d.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var have bool
		if err := tx.QueryRow(ctx, "select exists (select from pengajuan_dana)").Scan(&have); err != nil || have {
			return err
		}
		var tanpaNIB, denganNIB *string
		err := tx.QueryRow(ctx, `select (select id::text from umkm where nib is null and archived_at is null order by id limit 1),
			(select id::text from umkm where nib is not null and archived_at is null order by id limit 1)`).Scan(&tanpaNIB, &denganNIB)
		if err != nil {
			return fmt.Errorf("demo dana: %w", err)
		}
		bjb := "bjb"
		subsidi := func(umkmID string, pokok int64, catatan string) (pendanaan.Pengajuan, error) {
			return svc.CreateTx(ctx, tx, t, pendanaan.PengajuanInput{Skema: "subsidi_bunga_depok", UMKMID: &umkmID, Plafon: &pokok,
				Bank: &bjb, Catatan: &catatan}, view)
		}
		if tanpaNIB == nil || denganNIB == nil {
			return nil // a sample too small to show both
		}
		o, err := subsidi(*tanpaNIB, 15_000_000, "Contoh: NIB belum ada, pemohon diarahkan ke OSS.")
		if err != nil {
			return fmt.Errorf("demo dana: %w", err)
		}
		p, err := subsidi(*denganNIB, 20_000_000, "Contoh: berkas lengkap, menunggu survei bank.")
		if err != nil {
			return fmt.Errorf("demo dana: %w", err)
		}
		// The office saw both owners' KTP (a Depok address).
		catatan := "Alamat di Kota Depok"
		for _, a := range []uuid.UUID{o.ID, p.ID} {
			if _, err := svc.CreateBerkasTx(ctx, tx, t, a, pendanaan.BerkasInput{Jenis: "ktp", Catatan: &catatan}, view); err != nil {
				return fmt.Errorf("demo dana: %w", err)
			}
		}
		id = p.ID
		// The group: five businesses of the kelurahan with the most.
		rows, err := tx.Query(ctx, `select id::text from umkm where archived_at is null and kelurahan_kode =
			(select kelurahan_kode from umkm where archived_at is null group by 1 order by count(*) desc, 1 limit 1) order by id limit 5`)
		if err != nil {
			return fmt.Errorf("demo dana: %w", err)
		}
		members, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil || len(members) < 5 {
			return err
		}
		var anggota []pendanaan.AnggotaKelompokInput
		for _, m := range members {
			anggota = append(anggota, pendanaan.AnggotaKelompokInput{UMKMID: m, Plafon: 3_000_000})
		}
		nama, tenor := "Kelompok Mesra Contoh", 12
		g, err := svc.CreateTx(ctx, tx, t, pendanaan.PengajuanInput{Skema: "kredit_mesra", NamaKelompok: &nama, TenorBulan: &tenor, Anggota: anggota}, view)
		if err != nil {
			return fmt.Errorf("demo dana: %w", err)
		}
		papers := []pendanaan.BerkasInput{{Jenis: "rt"}, {Jenis: "rw"}}
		for i, m := range members {
			for _, j := range []string{"ktp", "kk", "sertifikat_pkm", "rekening_bjb"} {
				if i == 0 && j == "kk" {
					continue
				}
				papers = append(papers, pendanaan.BerkasInput{Jenis: j, UMKMID: &m})
			}
		}
		for _, b := range papers {
			if _, err := svc.CreateBerkasTx(ctx, tx, t, g.ID, b, view); err != nil {
				return fmt.Errorf("demo dana: %s: %w", b.Jenis, err)
			}
		}
		return nil
	})
	if err != nil || id == uuid.Nil {
		return err
	}
	// The complete one: declared at lengkap, sent to the bank.
	yes := true
	p, err := svc.Langkah(ctx, t, id, 1, pendanaan.LangkahInput{Tahap: pendanaan.TahapLengkap, PernyataanBukanASN: &yes, PernyataanTanpaKreditMacet: &yes}, view)
	if err == nil {
		_, err = svc.Langkah(ctx, t, id, p.Version, pendanaan.LangkahInput{Tahap: pendanaan.TahapDikirimBank}, view)
	}
	if err != nil {
		return fmt.Errorf("demo dana: %w", err)
	}
	logger.Info("demo funding", "tenant", t.Slug, "pengajuan", 3)
	return nil
}

func printBanner(w io.Writer, addr net.Addr, users []demoUser, password, databaseURL, billing string) {
	host := addr.String()
	if tcp, ok := addr.(*net.TCPAddr); ok && (tcp.IP.IsUnspecified() || tcp.IP.IsLoopback()) {
		host = fmt.Sprintf("localhost:%d", tcp.Port)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nSentra demo is running.\n\n")
	fmt.Fprintf(&b, "  Web        http://%s/ (log in as staf@depok.demo)\n", host)
	fmt.Fprintf(&b, "  API        http://%s/v1\n  API docs   http://%s/docs\n  Jobs (UI)  http://%s/admin/jobs/ (log in as platform@sentra.demo)\n\n", host, host, host)
	fmt.Fprintf(&b, "  Billing    %s\n\n", billing)
	fmt.Fprintf(&b, "Demo logins (password %q):\n", password)
	for _, u := range users {
		area := ""
		if len(u.wilayah) > 0 {
			area = " (wilayah " + strings.Join(u.wilayah, ", ") + ")"
		}
		fmt.Fprintf(&b, "  %-26s %-16s %s%s\n", u.email, u.role, u.domain, area)
	}
	fmt.Fprintf(&b, "\nTry it:\n  curl -s http://%s/v1/auth/login -H 'Content-Type: application/json' \\\n    -d '{\"email\":\"staf@depok.demo\",\"password\":\"%s\"}'\n", host, password)
	fmt.Fprintf(&b, "\nDatabase (application role, for psql):\n  DATABASE_URL=%s\n\nCtrl-C stops everything.\n\n", databaseURL)
	_, _ = io.WriteString(w, b.String())
}

// demoWebhookSecret verifies the demo's webhook events (stripe-mock sends
// none; sign your own with the Stripe CLI or webhook.GenerateTestSignedPayload).
const demoWebhookSecret = "whsec_sentra_demo"

// demoBilling: one office in each state a newcomer should see, each from
// real facts (BILLING.md), never by writing the state: a contract
// (subscribed in stripe-mock by the workers), a contract with an invoice
// 20 days past due as the sync mirrors it, a trial.
var demoBilling = []struct {
	slug, plan, npwp string
	overdueDays      int // an open invoice this many days past due
	trialDays        int // a trial instead of a contract
}{
	{slug: "depok", plan: "menengah", npwp: "001234567412000"},
	{slug: "tangsel", plan: "penuh", npwp: "001234567453000", overdueDays: 20},
	{slug: "karawang", trialDays: 30},
	{slug: "medan", plan: "penuh", npwp: "001234567121000"},
}

// seedDemoBilling records those facts on the first start (an office with
// billing facts keeps them); the subscriptions run as jobs once the
// workers start.
func seedDemoBilling(ctx context.Context, d *db.DB, cfg stripe.Config, logger *slog.Logger) error {
	ledger, err := stripe.New(cfg, logger)
	if err != nil {
		return err
	}
	billing := &langganan.Billing{DB: d, Ledger: ledger, PPN: langganan.DefaultPPN, APIVersion: stripe.APIVersion, Now: time.Now, Logger: logger}
	queue, err := jobs.NewClient(jobs.Config{Logger: logger}, jobs.Services{DB: d, Logger: logger})
	if err != nil {
		return err
	}
	store := &tenant.Store{DB: d}
	svc := &langganan.Service{DB: d, Now: time.Now}
	for _, o := range demoBilling {
		t, err := store.BySlug(ctx, o.slug)
		if err != nil {
			return err
		}
		var billed bool
		if err := d.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, "select exists (select from tenant_billing)").Scan(&billed)
		}); err != nil || billed {
			return err
		}
		if o.trialDays > 0 {
			if _, err := svc.Record(ctx, t.ID, t.Slug, langganan.StartTrial(time.Now().AddDate(0, 0, o.trialDays))); err != nil {
				return fmt.Errorf("demo trial of %s: %w", o.slug, err)
			}
			continue
		}
		if _, err := billing.RecordContract(ctx, t.ID, queue, langganan.Contract{Plan: o.plan, NPWP: o.npwp, DaysUntilDue: 30,
			ContractNumber: fmt.Sprintf("027/SPK/DISKOP-UKM/%s/%d", strings.ToUpper(o.slug), time.Now().Year()),
			BillingEmail:   "bendahara@" + o.slug + ".demo"}); err != nil {
			return fmt.Errorf("demo contract of %s: %w", o.slug, describe(err))
		}
		if o.overdueDays > 0 {
			due := time.Now().AddDate(0, 0, -o.overdueDays)
			err := d.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
				_, _, err := langganan.Mirror(ctx, tx, t.ID, langganan.Fetched{Invoices: []langganan.StripeInvoice{{
					ID: "in_demo" + o.slug, Number: "SNTR-DEMO-0001", Status: langganan.InvoiceOpen,
					AmountDueIDR: 133_200_000, TaxIDR: 13_200_000, DueAt: due}}}, time.Now())
				return err
			})
			if err != nil {
				return fmt.Errorf("demo invoice of %s: %w", o.slug, err)
			}
		}
		logger.Info("demo billing", "tenant", o.slug, "plan", o.plan)
	}
	return nil
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
