package jobs_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/bundel"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/jobs"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/langganan"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/penghapusan"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/umkm"
)

// offices is a database with the real four offices, depok and medan
// filled with records of most kinds, and River workers that make bundles
// and purge.
type offices struct {
	env      *dbtest.Env
	sealer   *pii.Sealer
	bundles  *bundel.Service
	accounts *account.Service
	client   *jobs.Client
	events   <-chan *river.Event
	depok    *tenancy.Tenant
	medan    *tenancy.Tenant
	// Accounts: depok's admin (depok only), an officer of both offices.
	depokAdmin, both string
}

const officePassword = "kata-sandi-penutupan-2026"

func setupOffices(t *testing.T) *offices {
	t.Helper()
	ctx := context.Background()
	env := dbtest.New(t)
	l := slog.New(slog.DiscardHandler)
	store := realOffices(t, env, l)
	key, err := pii.ParseKey(pii.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := pii.NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	o := &offices{env: env, sealer: sealer, depokAdmin: "admin@depok.tutup", both: "petugas@dua.tutup"}
	o.bundles = &bundel.Service{DB: env.DB, Sealer: sealer, Now: time.Now, Logger: l}
	o.accounts = &account.Service{DB: env.DB, Logger: l, Now: time.Now, TokenTTL: time.Hour, Throttle: account.DefaultThrottle, Sealer: sealer}
	registry := &umkm.Service{DB: env.DB, Sealer: sealer, Logger: l, Now: time.Now}
	cooperatives := &koperasi.Service{DB: env.DB, Logger: l, Now: time.Now}
	for slug, n := range map[string]int{"depok": 1500, "medan": 300} {
		tn := office(t, store, slug)
		sc := tn.Scope()
		if slug == "depok" {
			o.depok = sc
		} else {
			o.medan = sc
		}
		if err := registry.Seed(ctx, sc, tn.KemendagriCode, n, uint64(n)); err != nil {
			t.Fatal(err)
		}
		if err := cooperatives.Seed(ctx, sc, n/10, uint64(n), koperasi.GenOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := env.DB.InTenantTx(ctx, sc.ID, func(tx pgx.Tx) error {
			if _, err := pekerjaan.SaveFile(ctx, tx, sc.ID, "../laporan "+slug+".csv", "text/csv", []byte("a,b\n1,"+slug+"\n"), nil); err != nil {
				return err
			}
			nik := "1271010101900001"
			if slug == "depok" {
				nik = "3276010101900002"
			}
			if _, err := tx.Exec(ctx, `insert into registrasi (tenant_id, id, kode_lacak, status, data, nik_hash, nik_sealed)
				values ($1, $2, $3, 'menunggu', '{"nama_usaha": "Daftar Online"}', $4, $5)`, sc.ID, uuid.Must(uuid.NewV7()),
				"TUTUP-"+strings.ToUpper(slug), sealer.Hash(sc.ID, nik), sealer.Seal(sc.ID, nik)); err != nil {
				return err
			}
			if _, err := account.Invite(ctx, tx, sc, "calon@"+slug+".tutup", "Calon Admin", tenancy.RoleAdmin, time.Now()); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `insert into tenant_billing (tenant_id, trial_until) values ($1, now() + interval '30 days')`, sc.ID); err != nil {
				return err
			}
			if _, _, err := langganan.Apply(ctx, tx, sc.ID, time.Now()); err != nil {
				return err
			}
			return audit.Record(ctx, tx, audit.Entry{TenantID: sc.ID, Action: "create", Entity: "uji", EntityID: slug})
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := env.DB.InTx(ctx, func(tx pgx.Tx) error {
		admin, err := account.CreateUser(ctx, tx, o.depokAdmin, "Admin Depok", officePassword)
		if err != nil {
			return err
		}
		if err := account.Grant(ctx, tx, admin, "depok", tenancy.RoleAdmin, nil, nil); err != nil {
			return err
		}
		both, err := account.CreateUser(ctx, tx, o.both, "Petugas Dua Kantor", officePassword)
		if err != nil {
			return err
		}
		if err := account.Grant(ctx, tx, both, "depok", tenancy.RoleStaf, nil, nil); err != nil {
			return err
		}
		if err := account.Grant(ctx, tx, both, "medan", tenancy.RoleViewer, nil, nil); err != nil {
			return err
		}
		medan, err := account.CreateUser(ctx, tx, "admin@medan.tutup", "Admin Medan", officePassword)
		if err != nil {
			return err
		}
		return account.Grant(ctx, tx, medan, "medan", tenancy.RoleAdmin, nil, nil)
	}); err != nil {
		t.Fatal(err)
	}

	client, err := jobs.NewClient(jobs.Config{Work: true, MaxWorkers: 2, Logger: l, PurgeBatch: 400},
		jobs.Services{DB: env.DB, Accounts: o.accounts, UMKM: registry, Koperasi: cooperatives, Bundel: o.bundles, Logger: l})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"retention", "dasbor"} {
		client.PeriodicJobs().RemoveByID(id)
	}
	o.client, o.events = client, start(t, client)
	o.settle(t)
	return o
}

// settle waits until no dashboard refresh is queued or running: the
// figures the writes of the setup asked for are written.
func (o *offices) settle(t *testing.T) {
	t.Helper()
	deadline := time.After(waitTimeout)
	for {
		var pending int
		if err := o.env.DB.Pool.QueryRow(context.Background(), `select count(*) from `+db.RiverSchema+`.river_job
			where kind = 'dasbor_segarkan' and state not in ('completed', 'cancelled', 'discarded')`).Scan(&pending); err != nil {
			t.Fatal(err)
		}
		if pending == 0 {
			return
		}
		select {
		case <-o.events:
		case <-time.After(200 * time.Millisecond): // a snoozed refresh sends no event
		case <-deadline:
			t.Fatalf("%d dashboard refreshes still pending after %s", pending, waitTimeout)
		}
	}
}

// await waits for the next job of kind to complete.
func (o *offices) await(t *testing.T, kind string) {
	t.Helper()
	awaitJobs(t, o.events, func(ev *river.Event) bool {
		if ev.Job.Kind == kind && ev.Kind != river.EventKindJobCompleted {
			t.Fatalf("job %s %s: %v", kind, ev.Kind, ev.Job.Errors)
		}
		return ev.Job.Kind == kind
	})
}

// offboard cancels depok and starts its offboarding as the API does, and
// waits for its bundle.
func (o *offices) offboard(t *testing.T) bundel.Keadaan {
	t.Helper()
	ctx := context.Background()
	svc := &langganan.Service{DB: o.env.DB, Now: time.Now}
	if _, err := svc.Record(ctx, o.depok.ID, "depok", langganan.Cancel("SPK tidak diperpanjang", nil)); err != nil {
		t.Fatal(err)
	}
	var by uuid.UUID
	if err := o.env.DB.Pool.QueryRow(ctx, "select id from users where email = $1", o.depokAdmin).Scan(&by); err != nil {
		t.Fatal(err)
	}
	st, err := svc.Record(ctx, o.depok.ID, "depok", langganan.Offboard(func(ctx context.Context, tx pgx.Tx) error {
		return o.bundles.Queue(ctx, tx, o.client, o.depok.ID, by)
	}))
	if err != nil || st.State != langganan.Offboarding {
		t.Fatalf("offboard depok: %+v, %v", st.Decision, err)
	}
	o.await(t, bundel.Jenis)
	var k bundel.Keadaan
	if err := o.env.DB.InTenantTx(ctx, o.depok.ID, func(tx pgx.Tx) (err error) {
		k, err = o.bundles.Lihat(ctx, tx, o.depok.ID, "depok")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if k.Job.Status != pekerjaan.Selesai || k.Hasil == nil || k.Tautan == "" || k.Persen != 100 {
		t.Fatalf("the bundle: %+v", k)
	}
	return k
}

// download opens the bundle through its link, as a download does.
func (o *offices) download(t *testing.T, k bundel.Keadaan) *zip.Reader {
	t.Helper()
	ctx := context.Background()
	token := k.Tautan[strings.LastIndexByte(k.Tautan, '/')+1:]
	u, err := o.bundles.Buka(ctx, o.depok.ID, token)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := o.bundles.Salin(ctx, u, &buf); err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(buf.Bytes()); hex.EncodeToString(sum[:]) != k.Hasil.SHA256 || int64(buf.Len()) != k.Hasil.Ukuran {
		t.Fatalf("the zip downloaded (%d bytes) is not the one recorded (%d bytes, %s)", buf.Len(), k.Hasil.Ukuran, k.Hasil.SHA256)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	return zr
}

func readEntry(t *testing.T, f *zip.File) []byte {
	t.Helper()
	rc, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// inTenant runs fn in a transaction of tenant, times in UTC as the bundle
// writes them.
func inTenant(t *testing.T, d *db.DB, tenant uuid.UUID, fn func(tx pgx.Tx) error) {
	t.Helper()
	if err := d.InTenantTx(context.Background(), tenant, func(tx pgx.Tx) error {
		if _, err := tx.Exec(context.Background(), "set local TimeZone = 'UTC'"); err != nil {
			return err
		}
		return fn(tx)
	}); err != nil {
		t.Fatal(err)
	}
}

// TestBundelMatchesTheDatabase: the bundle of depok holds every tenant
// table of the catalogue as CSV and JSON with the rows of the database,
// key for key; the manifest's sizes and hashes are the files'; the stored
// files are there; NIKs are opened and no secret column leaves; nothing
// of medan is in it.
func TestBundelMatchesTheDatabase(t *testing.T) {
	o := setupOffices(t)
	ctx := context.Background()
	k := o.offboard(t)
	zr := o.download(t, k)

	files := map[string][]byte{}
	for _, f := range zr.File {
		files[f.Name] = readEntry(t, f)
	}
	var m bundel.Manifest
	if err := json.Unmarshal(files["manifest.json"], &m); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	if m.Format != bundel.Format || m.Kantor.ID != o.depok.ID || m.Kantor.Slug != "depok" || m.Kantor.Nama != "Kota Depok" || m.DibuatAt.IsZero() {
		t.Errorf("manifest header: %+v", m)
	}
	if sum := sha256.Sum256(files["manifest.json"]); hex.EncodeToString(sum[:]) != k.Hasil.ManifestSHA256 {
		t.Error("the manifest's SHA-256 is not the one recorded")
	}
	listed := map[string]bundel.Isi{}
	for _, isi := range m.Berkas {
		listed[isi.Nama] = isi
		b, ok := files[isi.Nama]
		if !ok {
			t.Errorf("the manifest lists %s, which the zip does not hold", isi.Nama)
			continue
		}
		if sum := sha256.Sum256(b); int64(len(b)) != isi.Ukuran || hex.EncodeToString(sum[:]) != isi.SHA256 {
			t.Errorf("%s: %d bytes %x, the manifest says %d bytes %s", isi.Nama, len(b), sum, isi.Ukuran, isi.SHA256)
		}
	}
	for name := range files {
		if _, ok := listed[name]; !ok && name != "manifest.json" {
			t.Errorf("%s is in the zip but not in the manifest", name)
		}
	}

	tables, err := db.TenantTables(ctx, o.env.DB.Pool)
	if err != nil {
		t.Fatal(err)
	}
	checked, nonEmpty := 0, 0
	for _, tt := range tables {
		if tt.Name == "bundel_potongan" {
			if _, ok := files[tt.Name+".csv"]; ok {
				t.Error("the bundle holds its own pieces")
			}
			continue
		}
		checked++
		t.Run(tt.Name, func(t *testing.T) {
			// Every column of the database but those the manifest says
			// were left out, in the table's order; a sealed one opened.
			var header, texts, jsons []string
			sealed := -1
			for _, c := range tt.Columns {
				q := pgx.Identifier{c.Name}.Sanitize()
				switch {
				case slices.Contains(m.Dihilangkan[tt.Name], c.Name):
					if c.Type != "bytea" && !c.Generated {
						t.Errorf("column %s (%s) left out: only binary and generated columns may be", c.Name, c.Type)
					}
					continue
				case c.Type == "bytea" && strings.HasSuffix(c.Name, "_sealed"):
					sealed = len(header)
					header = append(header, strings.TrimSuffix(c.Name, "_sealed"))
					texts, jsons = append(texts, "encode("+q+", 'base64')"), append(jsons, "encode("+q+", 'base64')")
					continue
				}
				header = append(header, c.Name)
				texts, jsons = append(texts, q+"::text"), append(jsons, "to_json("+q+")::text")
			}
			order := " from " + pgx.Identifier{tt.Name}.Sanitize() + " order by " + strings.Join(tt.Key, ", ")
			var wantText, wantJSON [][]*string
			inTenant(t, o.env.DB, o.depok.ID, func(tx pgx.Tx) error {
				var err error
				if wantText, err = values(tx, "select "+strings.Join(texts, ", ")+order); err != nil {
					return err
				}
				wantJSON, err = values(tx, "select "+strings.Join(jsons, ", ")+order)
				return err
			})
			if len(wantText) > 0 {
				nonEmpty++
			}
			open := func(v *string) *string {
				if v == nil {
					return nil
				}
				b, err := base64.StdEncoding.DecodeString(*v)
				if err != nil {
					t.Fatal(err)
				}
				nik, err := o.sealer.Open(o.depok.ID, b)
				if err != nil {
					t.Fatal(err)
				}
				return &nik
			}

			records, err := csv.NewReader(bytes.NewReader(files[tt.Name+".csv"])).ReadAll()
			if err != nil || len(records) == 0 {
				t.Fatalf("%s.csv: %v (%d records)", tt.Name, err, len(records))
			}
			if !slices.Equal(records[0], header) {
				t.Fatalf("%s.csv header %v\nwant %v", tt.Name, records[0], header)
			}
			if len(records)-1 != len(wantText) {
				t.Errorf("%s.csv: %d rows, the database %d", tt.Name, len(records)-1, len(wantText))
			}
			// The bundle's own job is in it as it was when the bundle began.
			self := func(row []*string) bool { return tt.Name == "pekerjaan" && deref(row[1]) == k.Job.ID.String() }
			for i, r := range records[1:min(len(records), len(wantText)+1)] {
				want := wantText[i]
				if self(want) {
					if r[1] != k.Job.ID.String() {
						t.Errorf("pekerjaan.csv row %d: %v, want the bundle's job", i+1, r[1])
					}
					continue
				}
				if sealed >= 0 {
					want[sealed] = open(want[sealed])
				}
				for j, v := range want {
					if w := deref(v); r[j] != w {
						t.Errorf("%s.csv row %d (%v), %s: %q, the database %q", tt.Name, i+1, r[slices.Index(header, tt.Key[len(tt.Key)-1])], header[j], r[j], w)
					}
				}
			}

			var objects []map[string]json.RawMessage
			if err := json.Unmarshal(files[tt.Name+".json"], &objects); err != nil {
				t.Fatalf("%s.json: %v", tt.Name, err)
			}
			if len(objects) != len(wantJSON) {
				t.Errorf("%s.json: %d rows, the database %d", tt.Name, len(objects), len(wantJSON))
			}
			for i, obj := range objects[:min(len(objects), len(wantJSON))] {
				want := wantJSON[i]
				if self(wantText[i]) {
					continue
				}
				if len(obj) != len(header) {
					t.Errorf("%s.json row %d has %d fields, want %d", tt.Name, i+1, len(obj), len(header))
				}
				for j, v := range want {
					w := "null"
					if j == sealed && v != nil {
						b, _ := json.Marshal(*open(v))
						w = string(b)
					} else if v != nil {
						w = *v
					}
					if got := string(obj[header[j]]); got != w {
						t.Errorf("%s.json row %d, %s: %s, the database %s", tt.Name, i+1, header[j], got, w)
					}
				}
			}
			for _, ext := range []string{".csv", ".json"} {
				if isi := listed[tt.Name+ext]; isi.Baris == nil || *isi.Baris != len(wantText) || isi.Tabel != tt.Name {
					t.Errorf("manifest of %s%s: %+v, want %d rows", tt.Name, ext, isi, len(wantText))
				}
			}
		})
	}
	if checked < 20 || nonEmpty < 15 {
		t.Errorf("%d tenant tables checked, %d with rows: the seed does not reach the catalogue", checked, nonEmpty)
	}

	// The stored files, byte for byte.
	inTenant(t, o.env.DB, o.depok.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, "select id, nama, isi from berkas")
		if err != nil {
			return err
		}
		n := 0
		var id uuid.UUID
		var nama string
		var isi []byte
		_, err = pgx.ForEachRow(rows, []any{&id, &nama, &isi}, func() error {
			n++
			var found bool
			for name, b := range files {
				if strings.HasPrefix(name, "berkas/"+id.String()+"-") {
					found = bytes.Equal(b, isi) && !strings.Contains(name[len("berkas/"):], "/")
				}
			}
			if !found {
				t.Errorf("stored file %s (%q) is not in the bundle, whole and inside berkas/", id, nama)
			}
			return nil
		})
		if n == 0 {
			t.Error("no stored file to check")
		}
		return err
	})

	// NIKs opened, their keyed hashes and sealed bytes not shipped.
	for _, table := range []string{"umkm", "registrasi"} {
		records, _ := csv.NewReader(bytes.NewReader(files[table+".csv"])).ReadAll()
		header := records[0]
		col, idCol := slices.Index(header, "nik"), slices.Index(header, "id")
		if col < 0 || slices.Contains(header, "nik_hash") || slices.Contains(header, "nik_sealed") {
			t.Fatalf("%s.csv header %v", table, header)
		}
		opened := 0
		inTenant(t, o.env.DB, o.depok.ID, func(tx pgx.Tx) error {
			for _, r := range records[1:] {
				var sealed []byte
				if err := tx.QueryRow(ctx, "select nik_sealed from "+table+" where id = $1", r[idCol]).Scan(&sealed); err != nil {
					return err
				}
				if sealed == nil {
					continue
				}
				nik, err := o.sealer.Open(o.depok.ID, sealed)
				if err != nil {
					return err
				}
				if r[col] != nik {
					t.Errorf("%s %s: nik %q in the bundle, not the one sealed", table, r[idCol], r[col])
				}
				opened++
			}
			return nil
		})
		if opened == 0 {
			t.Errorf("%s: no NIK to check", table)
		}
		if !slices.Contains(m.Dihilangkan[table], "nik_hash") {
			t.Errorf("the manifest does not say %s.nik_hash was left out: %v", table, m.Dihilangkan[table])
		}
	}
	if !slices.Contains(m.Dihilangkan["undangan"], "token_hash") || !slices.Contains(m.Dihilangkan["berkas"], "isi") {
		t.Errorf("columns left out: %v", m.Dihilangkan)
	}
	staff, _ := csv.NewReader(bytes.NewReader(files["pengguna.csv"])).ReadAll()
	if len(staff) != 3 || !strings.Contains(string(files["pengguna.csv"]), o.depokAdmin) {
		t.Errorf("pengguna.csv: %v", staff)
	}

	// Nothing of medan: its id, its name, its records' ids, its accounts.
	needles := []string{o.medan.ID.String(), "medan", "admin@medan.tutup", "1271010101900001", "TUTUP-MEDAN"}
	inTenant(t, o.env.DB, o.medan.ID, func(tx pgx.Tx) error {
		for _, q := range []string{"select id::text from umkm order by id limit 25", "select id::text from koperasi order by id limit 25",
			"select id::text from berkas", "select id::text from registrasi"} {
			ids, err := keys(tx, q)
			if err != nil {
				return err
			}
			for _, id := range ids {
				needles = append(needles, id[0])
			}
		}
		return nil
	})
	for name, b := range files {
		lower := bytes.ToLower(b)
		for _, n := range needles {
			if bytes.Contains(lower, []byte(strings.ToLower(n))) {
				t.Errorf("%s holds %q, which is medan's", name, n)
			}
		}
	}
}

// values are the rows of query, NULL as nil.
func values(tx pgx.Tx, query string) ([][]*string, error) {
	rows, err := tx.Query(context.Background(), query)
	if err != nil {
		return nil, err
	}
	var out [][]*string
	for rows.Next() {
		row := make([]*string, len(rows.FieldDescriptions()))
		dst := make([]any, len(row))
		for i := range row {
			dst[i] = &row[i]
		}
		if err := rows.Scan(dst...); err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func keys(tx pgx.Tx, query string) ([][]string, error) {
	rows, err := tx.Query(context.Background(), query)
	if err != nil {
		return nil, err
	}
	var out [][]string
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return nil, err
		}
		var key []string
		for _, v := range vals {
			key = append(key, fmt.Sprint(v))
		}
		out = append(out, key)
	}
	return out, rows.Err()
}

// TestPurgeAfterTheWindow: once depok's purge date has come, the daily
// clock purges it in batches: nothing of it is left but the ledger, the
// deletion record counts what went and names the bundle, medan is
// untouched, depok is archived and its own staff cannot sign in.
func TestPurgeAfterTheWindow(t *testing.T) {
	o := setupOffices(t)
	ctx := context.Background()
	k := o.offboard(t)

	admin, err := pgx.Connect(ctx, o.env.Admin)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	tables, err := db.TenantTables(ctx, o.env.DB.Pool)
	if err != nil {
		t.Fatal(err)
	}
	count := func(tenant uuid.UUID) map[string]int64 {
		t.Helper()
		out := map[string]int64{}
		for _, tt := range tables {
			var n int64
			if err := admin.QueryRow(ctx, "select count(*) from "+pgx.Identifier{tt.Name}.Sanitize()+" where tenant_id = $1", tenant).Scan(&n); err != nil {
				t.Fatal(err)
			}
			out[tt.Name] = n
		}
		return out
	}
	ledger := map[string]bool{"audit_log": true, "invoices": true, "tenant_billing": true}
	o.settle(t)
	depokBefore, medanBefore := count(o.depok.ID), count(o.medan.ID)

	// The clock, before the date: nothing happens.
	if _, err := o.client.Insert(ctx, jobs.JamArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	o.await(t, "langganan_jam")
	var state, reason string
	for range 4 { // one per office
		o.await(t, "langganan_jam_kantor")
	}
	if err := admin.QueryRow(ctx, "select state, state_reason from tenants where id = $1", o.depok.ID).Scan(&state, &reason); err != nil ||
		state != "offboarding" || reason != "offboarding" {
		t.Fatalf("before the purge date: %s (%s), %v", state, reason, err)
	}

	// 31 days later (the window is 30): the clock purges.
	if _, err := admin.Exec(ctx, "update tenant_billing set offboarding_at = offboarding_at - interval '31 days' where tenant_id = $1", o.depok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, "delete from "+db.RiverSchema+".river_job where kind in ('langganan_jam', 'langganan_jam_kantor')"); err != nil {
		t.Fatal(err) // the clock's jobs are unique per 12 hours
	}
	if _, err := o.client.Insert(ctx, jobs.JamArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	o.await(t, "penghapusan_kantor")

	after := count(o.depok.ID)
	for name, n := range after {
		switch {
		case ledger[name] && n < depokBefore[name]:
			t.Errorf("ledger %s: %d rows, had %d", name, n, depokBefore[name])
		case !ledger[name] && n != 0:
			t.Errorf("%s: %d rows of depok left", name, n)
		}
	}
	if n := count(o.medan.ID); !maps.Equal(n, medanBefore) {
		t.Errorf("medan changed:\nbefore %v\nafter  %v", medanBefore, n)
	}
	if err := admin.QueryRow(ctx, "select state from tenants where id = $1", o.depok.ID).Scan(&state); err != nil || state != "archived" {
		t.Errorf("depok after the purge: %s, %v", state, err)
	}

	r, err := penghapusan.Get(ctx, admin, o.depok.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Slug != "depok" || r.BundelID != k.Job.ID || r.ManifestSHA256 != k.Hasil.ManifestSHA256 || r.BundelSHA256 != k.Hasil.SHA256 ||
		r.SelesaiAt == nil || r.Keanggotaan != 2 || r.Dinonaktifkan != 1 {
		t.Errorf("the deletion record: %+v", r)
	}
	for name, n := range depokBefore {
		if ledger[name] {
			if _, ok := r.Baris[name]; ok {
				t.Errorf("the record counts %s as deleted", name)
			}
			continue
		}
		if r.Baris[name] != n {
			t.Errorf("the record says %d rows of %s deleted, there were %d", r.Baris[name], name, n)
		}
	}
	if r.Baris["umkm"] != 1500 {
		t.Errorf("umkm deleted: %d, want 1500", r.Baris["umkm"])
	}

	// Depok's own admin is disabled; the officer of both offices keeps
	// medan, and depok no more.
	if _, _, err := o.accounts.Login(ctx, o.depokAdmin, officePassword, "127.0.0.1", "bearer"); apperr.KindOf(err) != apperr.KindUnauthenticated {
		t.Errorf("depok's admin signs in after the purge: %v", err)
	}
	sess, _, err := o.accounts.Login(ctx, o.both, officePassword, "127.0.0.1", "bearer")
	if err != nil {
		t.Fatalf("the officer of both offices: %v", err)
	}
	p, err := o.accounts.Authenticate(ctx, sess.Token)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.Roles["depok"]; ok || p.Roles["medan"] != tenancy.RoleViewer {
		t.Errorf("roles after the purge: %v", p.Roles)
	}
	var audited int
	if err := admin.QueryRow(ctx, "select count(*) from audit_log where tenant_id = $1 and action = 'purge'", o.depok.ID).Scan(&audited); err != nil || audited != 1 {
		t.Errorf("the purge in depok's audit log: %d, %v", audited, err)
	}
	// The link leads nowhere now.
	token := k.Tautan[strings.LastIndexByte(k.Tautan, '/')+1:]
	if _, err := o.bundles.Buka(ctx, o.depok.ID, token); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("the bundle after the purge: %v", err)
	}
}
