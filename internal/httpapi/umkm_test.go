package httpapi

// Tests of the UMKM register over HTTP: create, read (with personal data
// masked by role), update with history, archive, duplicates, lists, a
// petugas's area, tenant isolation, and import/export through real River
// workers.

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/jobs"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tumpang"
	"github.com/sentra-id/sentra/internal/umkm"
)

// Real regions of Kota Depok (tenants/depok/wilayah.csv) and Karawang.
const (
	kecPancoranMas = "32.76.01"
	kelDepok       = "32.76.01.1006" // in Pancoran Mas
	kelDepokJaya   = "32.76.01.1007" // in Pancoran Mas
	kecCimanggis   = "32.76.02"
	kelHarjamukti  = "32.76.02.1007" // in Cimanggis
	kelCurug       = "32.76.02.1008" // in Cimanggis
	kelPasirPutih  = "32.76.03.1001" // in Sawangan (32.76.03)
	kelKarawangKul = "32.15.01.1001" // Karawang Kulon: another tenant's
	kelMedanPasar  = "12.71.01.1001" // Pasar Baru, Medan Kota
)

// Personal data of the test owner, and how it is masked.
const (
	nikSiti       = "3276014507850001"
	nikSitiMasked = "3276xxxxxxxx0001"
	nibSiti       = "1234567890123"
)

// uBody is a valid create-umkm body in kelurahan kel (its kecamatan taken
// from the code), with extra fields as name, value pairs.
func uBody(usaha, pemilik, kel string, extra ...any) map[string]any {
	m := map[string]any{"nama_usaha": usaha, "nama_pemilik": pemilik, "sektor": "kuliner",
		"kecamatan_kode": kel[:8], "kelurahan_kode": kel}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i].(string)] = extra[i+1]
	}
	return m
}

// sitiBody is a business with every kind of personal data filled in.
func sitiBody() map[string]any {
	return uBody("Keripik Singkong Bu Siti", "Siti Aminah", kelDepok,
		"nik", nikSiti, "jenis_kelamin", "P", "telepon", "0812-3456-7890", "email", "siti@contoh.id",
		"alamat", "Jl. Melati No. 5", "rt", "3", "rw", "007", "latitude", -6.4025, "longitude", 106.7942,
		"omzet_tahunan", 180_000_000, "tahun_mulai", 2019, "nib", nibSiti, "kbli", "10792")
}

// postUMKM creates a business in slug, failing unless it answers 201.
func (b *testBundle) postUMKM(t *testing.T, slug, token string, body map[string]any) (umkm.Record, response) {
	t.Helper()
	r := b.do(t, http.MethodPost, "/v1/tenants/"+slug+"/umkm", token, body)
	if r.status != http.StatusCreated {
		t.Fatalf("create umkm %v in %s: %d %s", body["nama_usaha"], slug, r.status, r.raw)
	}
	var rec umkm.Record
	r.decode(t, &rec)
	return rec, r
}

// loginPetugas creates a petugas of depok assigned to wilayah and logs in.
func (b *testBundle) loginPetugas(t *testing.T, email string, wilayah ...string) string {
	t.Helper()
	ctx := context.Background()
	err := b.env.DB.InTx(ctx, func(tx pgx.Tx) error {
		id, err := account.CreateUser(ctx, tx, email, "Petugas Kecamatan", testPassword)
		if err != nil {
			return err
		}
		return account.Grant(ctx, tx, id, tenancy.TenantDomain("depok"), tenancy.RolePetugas, wilayah, nil)
	})
	if err != nil {
		t.Fatalf("petugas %s: %v", email, err)
	}
	return b.login(t, email)
}

// listIDs walks every page of a list and returns the ids in order.
func (b *testBundle) listIDs(t *testing.T, token, query string) []string {
	t.Helper()
	var ids []string
	cursor := ""
	for range 100 {
		path := "/v1/tenants/depok/umkm?" + query
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		r := b.do(t, http.MethodGet, path, token, nil)
		if r.status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, r.status, r.raw)
		}
		var page struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
			NextCursor string `json:"next_cursor"`
		}
		r.decode(t, &page)
		for _, it := range page.Items {
			ids = append(ids, it.ID)
		}
		if cursor = page.NextCursor; cursor == "" {
			return ids
		}
	}
	t.Fatalf("GET %s: more than 100 pages", query)
	return nil
}

// startUMKMWorkers runs a River client with workers on the bundle's database
// and services (the API's own client only enqueues), and returns its events.
func (b *testBundle) startUMKMWorkers(t *testing.T) <-chan *river.Event {
	t.Helper()
	client, err := jobs.NewClient(jobs.Config{Work: true, MaxWorkers: 2, Logger: b.srv.Logger,
		Middleware: []rivertype.Middleware{b.srv.Metrics.RiverMiddleware()}},
		jobs.Services{DB: b.srv.DB, Accounts: b.srv.Accounts, UMKM: b.srv.UMKM, Koperasi: b.srv.Koperasi, Billing: b.billing,
			Bundel: b.srv.Bundel, Logger: b.srv.Logger, Luar: b.srv.Luar,
			Program: b.srv.Program, Tumpang: &tumpang.Service{DB: b.srv.DB, Logger: b.srv.Logger, Now: time.Now}})
	if err != nil {
		t.Fatalf("river workers: %v", err)
	}
	if !client.PeriodicJobs().RemoveByID("retention") {
		t.Fatal("periodic job \"retention\" not configured")
	}
	events, cancel := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed,
		river.EventKindJobCancelled, river.EventKindJobSnoozed)
	t.Cleanup(cancel)
	if err := client.Start(context.Background()); err != nil {
		t.Fatalf("start river: %v", err)
	}
	t.Cleanup(func() { // before the database closes (cleanups run last-in first-out)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := client.Stop(ctx); err != nil {
			t.Errorf("stop river: %v", err)
		}
	})
	return events
}

// awaitJob waits for the next job of kind to finish, failing unless it
// completed. No sleeps: a signal, with a deadline.
func awaitJob(t *testing.T, events <-chan *river.Event, kind string) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.Job.Kind != kind {
				continue
			}
			if ev.Kind != river.EventKindJobCompleted {
				t.Fatalf("job %d (%s) %s: %v", ev.Job.ID, ev.Job.Kind, ev.Kind, ev.Job.Errors)
			}
			return
		case <-deadline:
			t.Fatalf("job %s not finished within 30s", kind)
		}
	}
}

// testJob is a pekerjaan as the API shows it.
type testJob struct {
	ID            string          `json:"id"`
	Jenis         string          `json:"jenis"`
	Status        string          `json:"status"`
	Selesai       int             `json:"selesai"`
	Hasil         json.RawMessage `json:"hasil"`
	HasilBerkasID string          `json:"hasil_berkas_id"`
}

// getJob reads the pekerjaan at location.
func (b *testBundle) getJob(t *testing.T, token, location string) testJob {
	t.Helper()
	r := b.do(t, http.MethodGet, location, token, nil)
	if r.status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", location, r.status, r.raw)
	}
	var j testJob
	r.decode(t, &j)
	return j
}

// readCSV parses a CSV answer (without Excel's BOM).
func readCSV(t *testing.T, raw []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("parse CSV: %v\n%s", err, raw)
	}
	return rows
}

// csvColumn returns the cells of column name, keyed by the id column.
func csvColumn(t *testing.T, rows [][]string, name string) map[string]string {
	t.Helper()
	col, id := slices.Index(rows[0], name), slices.Index(rows[0], "id")
	if col < 0 || id < 0 {
		t.Fatalf("no column %q (or id) in %q", name, rows[0])
	}
	out := map[string]string{}
	for _, row := range rows[1:] {
		out[row[id]] = row[col]
	}
	return out
}

// TestUMKMCreateAndReadMasksByRole: a created business answers 201 with
// Location and ETag; reading it back, personal data shows in full only to
// roles that may read it, the NIK only on a single-record GET, and lists
// mask the NIK for everyone. The audit log stores personal data masked.
func TestUMKMCreateAndReadMasksByRole(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf, viewer := b.login(t, b.depokStaf.Email), b.login(t, b.depokViewer.Email)
	admin := b.login(t, b.depokAdmin.Email)
	petugas := b.loginPetugas(t, "petugas@depok.test", kecPancoranMas)

	created, r := b.postUMKM(t, "depok", staf, sitiBody())
	path := "/v1/tenants/depok/umkm/" + created.ID.String()
	if created.KBLIJudul == nil || *created.KBLIJudul != "Industri Kue Basah" || created.KBLIKategori == nil ||
		*created.KBLIKategori != "C" || created.KBLIKategoriJudul == nil || *created.KBLIKategoriJudul != "Industri Pengolahan" {
		t.Errorf("KBLI %v shown as %v, kategori %v %v; want Industri Kue Basah, C Industri Pengolahan",
			created.KBLI, created.KBLIJudul, created.KBLIKategori, created.KBLIKategoriJudul)
	}
	if got := r.header.Get("Location"); got != path {
		t.Errorf("Location %q, want %q", got, path)
	}
	if got := r.header.Get("ETag"); got != `"1"` {
		t.Errorf("ETag %q, want \"1\"", got)
	}
	if created.ID.Version() != 7 {
		t.Errorf("id %s is not a UUIDv7", created.ID)
	}
	if created.NIK == nil || *created.NIK != nikSitiMasked {
		t.Errorf("create answered NIK %v, want it masked %s (full only on GET)", created.NIK, nikSitiMasked)
	}
	if created.Sumber != umkm.SourceStaf || created.RT == nil || *created.RT != "003" {
		t.Errorf("created record: sumber %q, rt %v; want staf and rt padded to 003", created.Sumber, created.RT)
	}

	full := map[string]any{"nik": nikSiti, "telepon": "081234567890", "email": "siti@contoh.id",
		"alamat": "Jl. Melati No. 5", "rt": "003", "rw": "007", "latitude": -6.4025, "longitude": 106.7942}
	masked := map[string]any{"nik": nikSitiMasked, "telepon": "xxxxxxxxx890", "email": "s***@contoh.id",
		"alamat": nil, "rt": nil, "rw": nil, "latitude": nil, "longitude": nil} // nil: absent
	for _, c := range []struct {
		who   string
		token string
		want  map[string]any
	}{
		{"staf", staf, full},
		{"admin", admin, full},
		{"petugas of the area", petugas, full},
		{"viewer", viewer, masked},
	} {
		t.Run("GET as "+c.who, func(t *testing.T) {
			r := b.do(t, http.MethodGet, path, c.token, nil)
			if r.status != http.StatusOK {
				t.Fatalf("GET: %d %s", r.status, r.raw)
			}
			if r.header.Get("ETag") != `"1"` {
				t.Errorf("ETag %q, want \"1\"", r.header.Get("ETag"))
			}
			if r.body["id"] != created.ID.String() || r.body["nama_usaha"] != "Keripik Singkong Bu Siti" ||
				r.body["kelurahan_kode"] != kelDepok || r.body["nib"] != nibSiti {
				t.Errorf("GET returned another record: %s", r.raw)
			}
			if r.body["kbli_judul"] != "Industri Kue Basah" || r.body["kbli_kategori"] != "C" || r.body["kbli_kategori_judul"] != "Industri Pengolahan" {
				t.Errorf("GET shows KBLI %v as %v, kategori %v %v", r.body["kbli"], r.body["kbli_judul"], r.body["kbli_kategori"], r.body["kbli_kategori_judul"])
			}
			for field, want := range c.want {
				got, present := r.body[field]
				switch {
				case want == nil && present:
					t.Errorf("%s = %v, want it absent", field, got)
				case want != nil && got != want:
					t.Errorf("%s = %v, want %v", field, got, want)
				}
			}
		})
	}

	for _, c := range []struct {
		who, token, telepon string
	}{{"staf", staf, "081234567890"}, {"viewer", viewer, "xxxxxxxxx890"}} {
		t.Run("list as "+c.who, func(t *testing.T) {
			r := b.do(t, http.MethodGet, "/v1/tenants/depok/umkm", c.token, nil)
			if r.status != http.StatusOK {
				t.Fatalf("list: %d %s", r.status, r.raw)
			}
			var page struct{ Items []map[string]any }
			r.decode(t, &page)
			if len(page.Items) != 1 {
				t.Fatalf("%d items, want 1: %s", len(page.Items), r.raw)
			}
			if got := page.Items[0]["nik"]; got != nikSitiMasked {
				t.Errorf("NIK in a list %v, want masked %s for everyone", got, nikSitiMasked)
			}
			if got := page.Items[0]["telepon"]; got != c.telepon {
				t.Errorf("telepon %v, want %s", got, c.telepon)
			}
			if strings.Contains(string(r.raw), nikSiti) {
				t.Error("the full NIK is in a list")
			}
		})
	}

	// The audit log has the create, with personal data masked.
	var after string
	err := b.env.DB.InTenantTx(context.Background(), b.tenants["depok"], func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `select after::text from audit_log where entity = 'umkm' and entity_id = $1 and action = 'create'`,
			created.ID.String()).Scan(&after)
	})
	if err != nil {
		t.Fatalf("audit entry of the create: %v", err)
	}
	for _, v := range []string{nikSiti, "081234567890", "siti@contoh.id", "Melati", "106.79"} {
		if strings.Contains(after, v) {
			t.Errorf("the audit log stores %q in the clear: %s", v, after)
		}
	}
}

// TestUMKMCreateIsIdempotent: a retried create with the same
// Idempotency-Key returns the first answer, marked as a replay, and writes
// one record; the same key with another body is refused.
func TestUMKMCreateIsIdempotent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	const key = "c0ffee00-retry-1"
	first := b.do(t, http.MethodPost, "/v1/tenants/depok/umkm", staf, sitiBody(), "Idempotency-Key", key)
	if first.status != http.StatusCreated {
		t.Fatalf("first: %d %s", first.status, first.raw)
	}
	if h := first.header.Get("Idempotent-Replayed"); h != "" {
		t.Errorf("first answer has Idempotent-Replayed %q", h)
	}
	again := b.do(t, http.MethodPost, "/v1/tenants/depok/umkm", staf, sitiBody(), "Idempotency-Key", key)
	if again.status != http.StatusCreated {
		t.Fatalf("retry: %d %s", again.status, again.raw)
	}
	if h := again.header.Get("Idempotent-Replayed"); h != "true" {
		t.Errorf("retry: Idempotent-Replayed %q, want true", h)
	}
	if !bytes.Equal(again.raw, first.raw) {
		t.Errorf("retry body differs:\n got %s\nwant %s", again.raw, first.raw)
	}
	for _, h := range []string{"Location", "ETag"} {
		if again.header.Get(h) != first.header.Get(h) {
			t.Errorf("retry %s %q, first %q", h, again.header.Get(h), first.header.Get(h))
		}
	}
	if n := b.count(t, "depok", "select count(*) from umkm"); n != 1 {
		t.Errorf("%d records after a retried create, want 1", n)
	}
	other := sitiBody()
	other["nama_usaha"] = "Keripik Lain"
	r := b.do(t, http.MethodPost, "/v1/tenants/depok/umkm", staf, other, "Idempotency-Key", key)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("same key, another body: %d, want 422: %s", r.status, r.raw)
	}
	if _, ok := r.problem(t).field("header.Idempotency-Key"); !ok {
		t.Errorf("no error at header.Idempotency-Key: %s", r.raw)
	}
	if n := b.count(t, "depok", "select count(*) from umkm"); n != 1 {
		t.Errorf("%d records after a reused key, want 1", n)
	}
}

// TestUMKMDuplicateNIKOrNIBIsAConflict: a NIK or NIB already registered to
// a live record answers 409 pointing at it; archiving that record (with
// If-Match) frees both. Uniqueness is per tenant.
func TestUMKMDuplicateNIKOrNIBIsAConflict(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	first, r := b.postUMKM(t, "depok", staf, sitiBody())
	firstPath, etag := "/v1/tenants/depok/umkm/"+first.ID.String(), r.header.Get("ETag")

	for _, c := range []struct {
		name     string
		body     map[string]any
		location string
		id       string
	}{
		{"same NIK", uBody("Warung Lain", "Siti A.", kelDepokJaya, "nik", nikSiti), "body.nik", "NIK ini sudah terdaftar"},
		{"same NIK typed with spaces", uBody("Warung Lain", "Siti A.", kelDepokJaya, "nik", "3276 0145 0785 0001"), "body.nik", "NIK ini sudah terdaftar"},
		{"same NIB", uBody("Warung Lain", "Siti A.", kelDepokJaya, "nib", nibSiti), "body.nib", "NIB ini sudah terdaftar"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := b.do(t, http.MethodPost, "/v1/tenants/depok/umkm", staf, c.body)
			if r.status != http.StatusConflict {
				t.Fatalf("status %d, want 409: %s", r.status, r.raw)
			}
			p := r.problem(t)
			if got := r.body["existing"]; got != firstPath {
				t.Errorf("existing %v, want %s", got, firstPath)
			}
			if msg, ok := p.field(c.location); !ok || !strings.Contains(msg, c.id) {
				t.Errorf("error at %s: %q (present %v), want it to contain %q; errors at %q", c.location, msg, ok, c.id, p.locations())
			}
			if strings.Contains(string(r.raw), nikSiti) {
				t.Error("the conflict echoes the NIK")
			}
		})
	}
	if n := b.count(t, "depok", "select count(*) from umkm"); n != 1 {
		t.Fatalf("%d records after refused duplicates, want 1", n)
	}

	// Another tenant may register the same person.
	b.postUMKM(t, "medan", b.login(t, b.medanStaf.Email), uBody("Keripik Medan", "Siti Aminah", kelMedanPasar, "nik", nikSiti, "nib", nibSiti))

	// Archiving needs the current version, then frees the NIK and NIB.
	if r := b.do(t, http.MethodDelete, firstPath, staf, nil); r.status != http.StatusPreconditionRequired {
		t.Fatalf("DELETE without If-Match: %d, want 428: %s", r.status, r.raw)
	}
	if r := b.do(t, http.MethodDelete, firstPath, staf, nil, "If-Match", `"7"`); r.status != http.StatusPreconditionFailed {
		t.Fatalf("DELETE with a stale If-Match: %d, want 412: %s", r.status, r.raw)
	}
	r = b.do(t, http.MethodDelete, firstPath, staf, nil, "If-Match", etag)
	if r.status != http.StatusOK || r.body["archived_at"] == nil {
		t.Fatalf("DELETE: %d %s", r.status, r.raw)
	}
	if r.header.Get("ETag") == etag {
		t.Errorf("ETag unchanged by archiving: %s", etag)
	}
	second, _ := b.postUMKM(t, "depok", staf, uBody("Keripik Baru Bu Siti", "Siti Aminah", kelDepokJaya, "nik", nikSiti, "nib", nibSiti))
	if second.ID == first.ID {
		t.Fatal("the archived record was returned instead of a new one")
	}
	// The archived record is kept, out of lists.
	if got := b.listIDs(t, staf, "limit=50"); !slices.Equal(got, []string{second.ID.String()}) {
		t.Errorf("list after archiving %q, want only the new record", got)
	}
	if got := b.listIDs(t, staf, "arsip=true"); !slices.Equal(got, []string{first.ID.String(), second.ID.String()}) {
		t.Errorf("list with arsip=true %q, want both", got)
	}
}

// TestUMKMUpdateNeedsIfMatchAndKeepsHistory: PUT requires the current ETag;
// a change of sales or employees records the old figures in riwayat and
// recomputes the size (PP 7/2021), flagging a reported size it contradicts.
func TestUMKMUpdateNeedsIfMatchAndKeepsHistory(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	body := uBody("Kue Basah Bu Rina", "Rina", kelDepok, "nik", nikSiti, "tahun_mulai", 2019,
		"omzet_tahunan", 1_800_000_000, "karyawan_laki", 1, "karyawan_perempuan", 2, "skala_dilaporkan", "mikro")
	rec, r := b.postUMKM(t, "depok", staf, body)
	path, etag1 := "/v1/tenants/depok/umkm/"+rec.ID.String(), r.header.Get("ETag")
	if rec.SkalaHitung == nil || rec.SkalaHitung.Skala != umkm.SkalaMikro || rec.SkalaHitung.Kriteria != umkm.KriteriaOmzet ||
		rec.SkalaHitung.Regulasi != "PP 7/2021" || rec.SkalaTidakSesuai {
		t.Fatalf("omzet Rp1,8 M: skala %+v, tidak sesuai %v; want mikro by omzet under PP 7/2021, consistent", rec.SkalaHitung, rec.SkalaTidakSesuai)
	}

	grown := uBody("Kue Basah Bu Rina", "Rina", kelDepok, "nik", nikSiti, "tahun_mulai", 2019,
		"omzet_tahunan", 3_000_000_000, "karyawan_laki", 2, "karyawan_perempuan", 3, "skala_dilaporkan", "mikro")
	if r := b.do(t, http.MethodPut, path, staf, grown); r.status != http.StatusPreconditionRequired {
		t.Fatalf("PUT without If-Match: %d, want 428: %s", r.status, r.raw)
	} else {
		r.problem(t)
	}
	if r := b.do(t, http.MethodPut, path, staf, grown, "If-Match", `"2"`); r.status != http.StatusPreconditionFailed {
		t.Fatalf("PUT with a stale If-Match: %d, want 412: %s", r.status, r.raw)
	}
	if r := b.do(t, http.MethodGet, path, staf, nil); r.body["omzet_tahunan"] != 1_800_000_000.0 {
		t.Fatalf("a refused PUT changed the record: %s", r.raw)
	}

	r = b.do(t, http.MethodPut, path, staf, grown, "If-Match", etag1)
	if r.status != http.StatusOK {
		t.Fatalf("PUT: %d %s", r.status, r.raw)
	}
	var upd umkm.Record
	r.decode(t, &upd)
	etag2 := r.header.Get("ETag")
	if etag2 == etag1 || etag2 == "" {
		t.Errorf("ETag after PUT %q, before %q: want a new one", etag2, etag1)
	}
	if upd.SkalaHitung == nil || upd.SkalaHitung.Skala != umkm.SkalaKecil || !upd.SkalaTidakSesuai {
		t.Errorf("omzet Rp3 M reported mikro: skala %+v, tidak sesuai %v; want kecil, flagged", upd.SkalaHitung, upd.SkalaTidakSesuai)
	}
	if upd.SkalaDilaporkan == nil || *upd.SkalaDilaporkan != umkm.SkalaMikro {
		t.Errorf("the reported size was overwritten: %v", upd.SkalaDilaporkan)
	}
	// The old version is now stale.
	if r := b.do(t, http.MethodPut, path, staf, body, "If-Match", etag1); r.status != http.StatusPreconditionFailed {
		t.Errorf("PUT with the replaced ETag: %d, want 412: %s", r.status, r.raw)
	}

	type riwayat struct {
		Items []struct {
			DicatatAt         time.Time `json:"dicatat_at"`
			OmzetTahunan      *int64    `json:"omzet_tahunan"`
			KaryawanLaki      *int      `json:"karyawan_laki"`
			KaryawanPerempuan *int      `json:"karyawan_perempuan"`
			SkalaHitung       *string   `json:"skala_hitung"`
			Sumber            string    `json:"sumber"`
		} `json:"items"`
	}
	history := func() riwayat {
		t.Helper()
		r := b.do(t, http.MethodGet, path+"/riwayat", staf, nil)
		if r.status != http.StatusOK {
			t.Fatalf("riwayat: %d %s", r.status, r.raw)
		}
		var h riwayat
		r.decode(t, &h)
		return h
	}
	h := history()
	if len(h.Items) != 2 {
		t.Fatalf("riwayat has %d entries, want the old figures then the new: %+v", len(h.Items), h.Items)
	}
	old, cur := h.Items[0], h.Items[1]
	if old.OmzetTahunan == nil || *old.OmzetTahunan != 1_800_000_000 || old.KaryawanPerempuan == nil || *old.KaryawanPerempuan != 2 ||
		old.SkalaHitung == nil || *old.SkalaHitung != umkm.SkalaMikro || old.Sumber != umkm.SourceStaf {
		t.Errorf("first entry %+v, want the figures before the change (Rp1,8 M, 2 women, mikro)", old)
	}
	if cur.OmzetTahunan == nil || *cur.OmzetTahunan != 3_000_000_000 || cur.KaryawanLaki == nil || *cur.KaryawanLaki != 2 ||
		cur.SkalaHitung == nil || *cur.SkalaHitung != umkm.SkalaKecil {
		t.Errorf("last entry %+v, want the current figures (Rp3 M, 2 men, kecil)", cur)
	}
	if !old.DicatatAt.Before(cur.DicatatAt) {
		t.Errorf("riwayat not in time order: %v then %v", old.DicatatAt, cur.DicatatAt)
	}

	// A change of something else adds no history.
	renamed := grown
	renamed["nama_usaha"] = "Kue Basah Rina"
	if r := b.do(t, http.MethodPut, path, staf, renamed, "If-Match", etag2); r.status != http.StatusOK {
		t.Fatalf("rename: %d %s", r.status, r.raw)
	}
	if h := history(); len(h.Items) != 2 {
		t.Errorf("riwayat has %d entries after a rename, want still 2", len(h.Items))
	}
}

// TestUMKMBadInputIsRefused: invalid businesses answer 422 naming the field,
// in Indonesian unless English is asked for; a NIK is never echoed; nothing
// is written.
func TestUMKMBadInputIsRefused(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	with := func(extra ...any) map[string]any { return uBody("Keripik Singkong", "Siti Aminah", kelDepok, extra...) }
	for _, c := range []struct {
		name     string
		body     map[string]any
		location string
		id, en   string
	}{
		{"NIK of 15 digits", with("nik", "327601450785000"), "body.nik", "NIK harus 16 digit", "NIK must be 16 digits"},
		{"NIK mangled by a spreadsheet", with("nik", "3.27601E+15"), "body.nik", "notasi ilmiah", "scientific notation"},
		{"kelurahan of another kecamatan", uBody("Keripik", "Siti", kelHarjamukti, "kecamatan_kode", kecPancoranMas), "body.kelurahan_kode",
			"Harjamukti tidak berada di Kecamatan Pancoran Mas", "Harjamukti is not in Kecamatan Pancoran Mas"},
		{"kelurahan of another tenant", uBody("Keripik", "Siti", kelKarawangKul, "kecamatan_kode", kecPancoranMas), "body.kelurahan_kode",
			"tidak ditemukan di wilayah kantor ini", "not found in this office's regions"},
		{"kecamatan of another tenant", uBody("Keripik", "Siti", kelKarawangKul), "body.kecamatan_kode",
			"tidak ditemukan di wilayah kantor ini", "not found in this office's regions"},
		{"negative omzet", with("omzet_tahunan", -5000), "body.omzet_tahunan", "harus ≥ 0", "expected number >= 0"},
		{"unknown sektor", with("sektor", "makanan"), "body.sektor", "harus salah satu dari", "expected value to be one of"},
		{"unknown saluran_penjualan", with("saluran_penjualan", []string{"offline", "instagram"}), "body.saluran_penjualan[1]",
			"Saluran penjualan tidak dikenal", "Unknown or repeated sales channel"},
		{"P-IRT of 14 digits", with("legalitas", []map[string]any{{"jenis": "pirt", "nomor": "20632760123452", "status": "terbit"}}),
			"body.legalitas[0].nomor", "P-IRT harus 15 digit", "P-IRT number has 15 digits"},
		{"BPOM without MD", with("legalitas", []map[string]any{{"jenis": "bpom_md", "nomor": "123456789012", "status": "terbit"}}),
			"body.legalitas[0].nomor", "harus MD diikuti 12 digit", "is MD followed by 12 digits"},
		{"document valid until year 0", with("legalitas", []map[string]any{{"jenis": "sni", "status": "belum", "berlaku_sampai": "0000-01-01"}}),
			"body.legalitas[0].berlaku_sampai", "antara 1900 dan 2200", "between 1900 and 2200"},
		{"business name starting with =", with("nama_usaha", "=HYPERLINK(\"http://x\")"), "body.nama_usaha",
			"rumus spreadsheet", "spreadsheet formula"},
		{"KBLI outside KBLI 2020", with("kbli", "99999"), "body.kbli", "KBLI 99999 tidak ada dalam KBLI 2020", "KBLI 99999 is not a KBLI 2020 code"},
		{"a KBLI division", with("kbli", "47"), "body.kbli", "47 adalah golongan pokok KBLI 2020", "47 is a KBLI 2020 division"},
		{"latitude and longitude swapped", with("latitude", 106.7942, "longitude", -6.4025), "body.latitude",
			"tampaknya lintang dan bujur tertukar", "latitude and longitude seem swapped"},
		{"a point in another city (Jakarta)", with("latitude", -6.1754, "longitude", 106.8272), "body.latitude",
			"di luar wilayah kantor ini", "outside this office's area"},
	} {
		t.Run(c.name, func(t *testing.T) {
			umkms, audits := b.count(t, "depok", "select count(*) from umkm"), b.count(t, "depok", "select count(*) from audit_log")
			for _, lang := range []struct{ header, want string }{{"", c.id}, {"en", c.en}} {
				var headers []string
				if lang.header != "" {
					headers = []string{"Accept-Language", lang.header}
				}
				r := b.do(t, http.MethodPost, "/v1/tenants/depok/umkm", staf, c.body, headers...)
				if r.status != http.StatusUnprocessableEntity {
					t.Fatalf("status %d, want 422: %s", r.status, r.raw)
				}
				p := r.problem(t)
				msg, ok := p.field(c.location)
				if !ok {
					t.Fatalf("no error at %s; errors at %q", c.location, p.locations())
				}
				if !strings.Contains(msg, lang.want) {
					t.Errorf("Accept-Language %q: message %q, want it to contain %q", lang.header, msg, lang.want)
				}
				if nik, _ := c.body["nik"].(string); nik != "" && strings.Contains(string(r.raw), nik) {
					t.Errorf("the NIK is echoed back: %s", r.raw)
				}
			}
			if n := b.count(t, "depok", "select count(*) from umkm"); n != umkms {
				t.Errorf("umkm rows %d, want %d", n, umkms)
			}
			if n := b.count(t, "depok", "select count(*) from audit_log"); n != audits {
				t.Errorf("audit rows %d, want %d", n, audits)
			}
		})
	}
}

// TestUMKMListFiltersPagesAndSearch: every filter returns exactly the
// matching records, in registration order; limit=2 pages walk each record
// once; q tolerates a typo; unknown parameters are refused.
func TestUMKMListFiltersPagesAndSearch(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	nib := func(nomor, status string) map[string]any {
		m := map[string]any{"jenis": "nib", "status": status}
		if nomor != "" {
			m["nomor"] = nomor
		}
		return m
	}
	type legal = []map[string]any
	mk := func(body map[string]any) string {
		rec, _ := b.postUMKM(t, "depok", staf, body)
		return rec.ID.String()
	}
	// Created in this order: ids (UUIDv7) sort the same way.
	a := mk(uBody("Keripik Singkong Bu Siti", "Siti Aminah", kelDepok, "jenis_kelamin", "P",
		"nib", "1111111111111", "legalitas", legal{nib("1111111111111", "terbit")}))
	bb := mk(uBody("Batik Tulis Depok Jaya", "Budi Santoso", kelDepokJaya, "sektor", "fashion", "jenis_kelamin", "L"))
	c := mk(uBody("Bakso Pak Joko", "Joko Susilo", kelHarjamukti, "jenis_kelamin", "L",
		"legalitas", legal{{"jenis": "pirt", "nomor": "206327601234528", "status": "terbit"}}))
	d := mk(uBody("Servis Motor Andi", "Andi Wijaya", kelCurug, "sektor", "jasa", "jenis_kelamin", "P",
		"legalitas", legal{nib("", "dalam_proses")}))
	e := mk(uBody("Kue Basah Bu Rina", "Rina Marlina", kelPasirPutih, "jenis_kelamin", "P",
		"legalitas", legal{nib("2222222222222", "terbit"), {"jenis": "halal", "nomor": "ID32110000123450224", "status": "terbit"}}))
	archived, r := b.postUMKM(t, "depok", staf, uBody("Keripik Tempe Lama", "Siti Lama", kelDepok, "jenis_kelamin", "P"))
	if r := b.do(t, http.MethodDelete, "/v1/tenants/depok/umkm/"+archived.ID.String(), staf, nil, "If-Match", r.header.Get("ETag")); r.status != http.StatusOK {
		t.Fatalf("archive: %d %s", r.status, r.raw)
	}
	// Another tenant's business with a matching name never shows.
	b.postUMKM(t, "medan", b.login(t, b.medanStaf.Email), uBody("Keripik Singkong Medan", "Siti Medan", kelMedanPasar))

	all := []string{a, bb, c, d, e}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"", all},
		{"kecamatan=" + kecPancoranMas, []string{a, bb}},
		{"kecamatan=" + kecCimanggis, []string{c, d}},
		{"kelurahan=" + kelHarjamukti, []string{c}},
		{"sektor=kuliner", []string{a, c, e}},
		{"jenis_kelamin=P", []string{a, d, e}},
		{"jenis_kelamin=L", []string{bb, c}},
		{"punya_legalitas=nib", []string{a, e}},
		{"tanpa_legalitas=nib", []string{bb, c, d}}, // d's NIB is only being processed
		{"punya_legalitas=pirt", []string{c}},
		{"punya_legalitas=halal&sektor=kuliner", []string{e}},
		{"kecamatan=" + kecCimanggis + "&sektor=kuliner", []string{c}},
		{"kecamatan=" + kecPancoranMas + "&arsip=true", []string{a, bb, archived.ID.String()}},
		{"sort=-created", []string{e, d, c, bb, a}},
		{"q=keripk", []string{a}},          // a typo; the archived one and medan's stay out
		{"q=siti+amina", []string{a}},      // owner's name, two words
		{"q=bakso+joko", []string{c}},      // business and owner
		{"q=warung+padang", []string(nil)}, // nothing like it
	} {
		t.Run(tc.query, func(t *testing.T) {
			for _, limit := range []string{"limit=50", "limit=2"} {
				q := limit
				if tc.query != "" {
					q += "&" + tc.query
				}
				if got := b.listIDs(t, staf, q); !slices.Equal(got, tc.want) {
					t.Errorf("%s: ids %q, want %q", q, got, tc.want)
				}
			}
		})
	}

	// limit=2: pages of 2, 2, 1; next_cursor absent on the last.
	var sizes []int
	cursor := ""
	for range 10 {
		path := "/v1/tenants/depok/umkm?limit=2"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		r := b.do(t, http.MethodGet, path, staf, nil)
		var page struct {
			Items      []json.RawMessage `json:"items"`
			NextCursor *string           `json:"next_cursor"`
		}
		r.decode(t, &page)
		sizes = append(sizes, len(page.Items))
		if page.NextCursor == nil {
			break
		}
		cursor = *page.NextCursor
	}
	if !slices.Equal(sizes, []int{2, 2, 1}) {
		t.Errorf("page sizes %v, want [2 2 1]", sizes)
	}

	for _, tc := range []struct{ query, location string }{
		{"kota=depok", "query.kota"},
		{"kecamatan_kode=" + kecPancoranMas, "query.kecamatan_kode"},
		{"sektor=makanan", "query.sektor"},
		{"cursor=bm90LWEtY3Vyc29y", "query.cursor"},
		{"limit=501", "query.limit"},
	} {
		r := b.do(t, http.MethodGet, "/v1/tenants/depok/umkm?"+tc.query, staf, nil)
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("?%s: %d, want 422: %s", tc.query, r.status, r.raw)
			continue
		}
		if _, ok := r.problem(t).field(tc.location); !ok {
			t.Errorf("?%s: no error at %s: %s", tc.query, tc.location, r.raw)
		}
	}
}

// TestUMKMPetugasWorksOnlyInTheirArea: a petugas of Pancoran Mas lists and
// reads only businesses there (others are not found, as if absent), cannot
// register or move one elsewhere, and cannot archive.
func TestUMKMPetugasWorksOnlyInTheirArea(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	petugas := b.loginPetugas(t, "petugas@depok.test", kecPancoranMas)
	inside, r := b.postUMKM(t, "depok", staf, sitiBody())
	insideETag := r.header.Get("ETag")
	inside2, _ := b.postUMKM(t, "depok", staf, uBody("Batik Depok Jaya", "Budi", kelDepokJaya))
	outside, _ := b.postUMKM(t, "depok", staf, uBody("Bakso Cimanggis", "Joko", kelHarjamukti, "nik", "3276010101800002"))
	insidePath, outsidePath := "/v1/tenants/depok/umkm/"+inside.ID.String(), "/v1/tenants/depok/umkm/"+outside.ID.String()

	if got, want := b.listIDs(t, petugas, "limit=1"), []string{inside.ID.String(), inside2.ID.String()}; !slices.Equal(got, want) {
		t.Errorf("petugas list %q, want only their area %q", got, want)
	}
	if got := b.listIDs(t, petugas, "kecamatan="+kecCimanggis); len(got) != 0 {
		t.Errorf("petugas list of another kecamatan %q, want nothing", got)
	}
	if got := b.listIDs(t, petugas, "q=bakso"); len(got) != 0 {
		t.Errorf("petugas search finds %q outside their area", got)
	}
	if r := b.do(t, http.MethodGet, insidePath, petugas, nil); r.status != http.StatusOK || r.body["nik"] != nikSiti {
		t.Errorf("petugas GET inside: %d %s; want 200 with the full NIK", r.status, r.raw)
	}

	random := "/v1/tenants/depok/umkm/" + uuid.NewString()
	for _, c := range []struct {
		method, suffix string
		body           any
	}{
		{http.MethodGet, "", nil},
		{http.MethodGet, "/riwayat", nil},
		{http.MethodPut, "", uBody("Bakso Cimanggis", "Joko", kelDepok)},
	} {
		got := b.do(t, c.method, outsidePath+c.suffix, petugas, c.body, "If-Match", `"1"`)
		want := b.do(t, c.method, random+c.suffix, petugas, c.body, "If-Match", `"1"`)
		if got.status != http.StatusNotFound {
			t.Errorf("petugas %s outside%s: %d, want 404: %s", c.method, c.suffix, got.status, got.raw)
			continue
		}
		if !bytes.Equal(got.raw, want.raw) {
			t.Errorf("petugas %s outside%s differs from a random id:\n got %s\nwant %s", c.method, c.suffix, got.raw, want.raw)
		}
	}

	umkms, audits := b.count(t, "depok", "select count(*) from umkm"), b.count(t, "depok", "select count(*) from audit_log")
	r = b.do(t, http.MethodPost, "/v1/tenants/depok/umkm", petugas, uBody("Warung Curug", "Andi", kelCurug))
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("petugas creates outside their area: %d, want 422: %s", r.status, r.raw)
	}
	if msg, ok := r.problem(t).field("body.kelurahan_kode"); !ok || !strings.Contains(msg, "di luar wilayah tugas") {
		t.Errorf("error at body.kelurahan_kode %q (present %v): %s", msg, ok, r.raw)
	}
	moved := sitiBody()
	moved["kecamatan_kode"], moved["kelurahan_kode"] = kecCimanggis, kelHarjamukti
	r = b.do(t, http.MethodPut, insidePath, petugas, moved, "If-Match", insideETag)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("petugas moves a business out of their area: %d, want 422: %s", r.status, r.raw)
	}
	if _, ok := r.problem(t).field("body.kelurahan_kode"); !ok {
		t.Errorf("no error at body.kelurahan_kode: %s", r.raw)
	}
	r = b.do(t, http.MethodDelete, insidePath, petugas, nil, "If-Match", insideETag)
	if r.status != http.StatusForbidden {
		t.Fatalf("petugas archives: %d, want 403: %s", r.status, r.raw)
	}
	r.problem(t)
	if n := b.count(t, "depok", "select count(*) from umkm"); n != umkms {
		t.Errorf("umkm rows %d after refused writes, want %d", n, umkms)
	}
	if n := b.count(t, "depok", "select count(*) from audit_log"); n != audits {
		t.Errorf("audit rows %d after refused writes, want %d", n, audits)
	}
	if r := b.do(t, http.MethodGet, insidePath, staf, nil); r.body["kelurahan_kode"] != kelDepok || r.body["archived_at"] != nil {
		t.Errorf("the business was changed by refused writes: %s", r.raw)
	}

	// Inside their area, a petugas registers and updates.
	own, r := b.postUMKM(t, "depok", petugas, uBody("Warung Depok", "Andi", kelDepok))
	r = b.do(t, http.MethodPut, "/v1/tenants/depok/umkm/"+own.ID.String(), petugas,
		uBody("Warung Depok Jaya", "Andi", kelDepokJaya), "If-Match", r.header.Get("ETag"))
	if r.status != http.StatusOK {
		t.Errorf("petugas updates inside their area: %d %s", r.status, r.raw)
	}
}

// TestUMKMOfAnotherTenantIsNotFound: a medan business's id under depok
// answers exactly as a random id, for every operation on it, and medan's
// record is untouched.
func TestUMKMOfAnotherTenantIsNotFound(t *testing.T) {
	t.Parallel()
	b := setup(t)
	medanStaf := b.login(t, b.medanStaf.Email)
	rec, _ := b.postUMKM(t, "medan", medanStaf, uBody("Bika Ambon Medan", "Rudi", kelMedanPasar, "omzet_tahunan", 500_000_000))
	for _, who := range []testUser{b.depokStaf, b.depokAdmin} {
		token := b.login(t, who.Email)
		for _, c := range []struct {
			method, suffix string
			body           any
		}{
			{http.MethodGet, "", nil},
			{http.MethodPut, "", uBody("Bika Ambon Depok", "Rudi", kelDepok, "omzet_tahunan", 900_000_000)},
			{http.MethodDelete, "", nil},
			{http.MethodGet, "/riwayat", nil},
		} {
			t.Run(who.Email+" "+c.method+c.suffix, func(t *testing.T) {
				got := b.do(t, c.method, "/v1/tenants/depok/umkm/"+rec.ID.String()+c.suffix, token, c.body, "If-Match", `"1"`)
				want := b.do(t, c.method, "/v1/tenants/depok/umkm/"+uuid.NewString()+c.suffix, token, c.body, "If-Match", `"1"`)
				if want.status != http.StatusNotFound {
					t.Fatalf("random id: %d, want 404: %s", want.status, want.raw)
				}
				sameAnswer(t, got, want)
			})
		}
	}
	r := b.do(t, http.MethodGet, "/v1/tenants/medan/umkm/"+rec.ID.String(), medanStaf, nil)
	if r.status != http.StatusOK || r.header.Get("ETag") != `"1"` || r.body["archived_at"] != nil ||
		r.body["omzet_tahunan"] != 500_000_000.0 || r.body["nama_usaha"] != "Bika Ambon Medan" {
		t.Errorf("medan's record after depok's attempts: %d %s %s", r.status, r.header.Get("ETag"), r.raw)
	}
	if n := b.count(t, "depok", "select count(*) from umkm"); n != 0 {
		t.Errorf("depok has %d records", n)
	}
}

// importCSV is a small import: four good rows and one with an unknown
// sektor (row 6).
const importCSV = "Nama Pemilik,NIK,Jenis Kelamin (L/P),Telepon,Nama Usaha,Sektor,Kecamatan (kode atau nama),Kelurahan/Desa (kode atau nama),Omzet per Tahun (Rp)\n" +
	"Siti Aminah," + nikSiti + ",P,0812-3456-7890,Keripik Singkong Bu Siti,kuliner,32.76.01,32.76.01.1006,Rp 180 jt\n" +
	"Budi Santoso,3276010101800002,L,,Batik Budi,fashion,Pancoran Mas,Depok Jaya,2 M\n" +
	"Rina Marlina,,P,,Kue Rina,kuliner,32.76.02,32.76.02.1007,\n" +
	"Andi Wijaya,,L,,Servis Andi,jasa,Cimanggis,Curug,750rb\n" +
	"Joko Susilo,,L,,Warung Joko,makanan,32.76.01,32.76.01.1006,\n"

// TestUMKMImportOverHTTP: the template's headers are umkm.Columns' labels;
// an upload answers 202 with the pekerjaan, which a worker completes with
// the counts and a per-row report; wrong files are refused at once with
// nothing queued.
func TestUMKMImportOverHTTP(t *testing.T) {
	t.Parallel()
	b := setup(t)
	events := b.startUMKMWorkers(t)
	staf, viewer := b.login(t, b.depokStaf.Email), b.login(t, b.depokViewer.Email)

	r := b.do(t, http.MethodGet, "/v1/tenants/depok/umkm/impor/template", staf, nil)
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("template: %d %s %s", r.status, r.header.Get("Content-Type"), r.raw)
	}
	tmpl := readCSV(t, r.raw)
	var labels []string
	for _, c := range umkm.Columns {
		labels = append(labels, c.Label)
	}
	if len(tmpl) != 2 || !slices.Equal(tmpl[0], labels) {
		t.Fatalf("template rows %q, want the header %q and one example", tmpl, labels)
	}

	upload := func(token string, body io.Reader, size int64) response {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, b.ts.URL+"/v1/tenants/depok/umkm/impor?nama=pendataan-2026.csv", body)
		if err != nil {
			t.Fatal(err)
		}
		req.ContentLength = size
		req.Header.Set("Content-Type", "text/csv")
		req.Header.Set("Authorization", "Bearer "+token)
		return b.send(t, req)
	}

	// Wrong files: refused at upload, nothing stored or queued.
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0x7f, 0x00, 0xff}, 300)...)
	for _, c := range []struct {
		name      string
		body      []byte
		location  string
		id, value string
	}{
		{"PNG", png, "body", "bukan CSV", ""},
		{"unknown header", []byte("Nama Toko,Nama Pemilik,Sektor,Kecamatan,Kelurahan\nWarung,Siti,kuliner,32.76.01,32.76.01.1006\n"),
			"header.kolom 1", "Judul kolom tidak dikenal", "Nama Toko"},
		{"required column missing", []byte("Nama Pemilik,Sektor,Kecamatan,Kelurahan\nSiti,kuliner,32.76.01,32.76.01.1006\n"),
			"header", "Kolom wajib tidak ada: Nama Usaha", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := upload(staf, bytes.NewReader(c.body), int64(len(c.body)))
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422: %s", r.status, r.raw)
			}
			p := r.problem(t)
			found := false
			for _, e := range p.Errors {
				if e.Location == c.location && strings.Contains(e.Message, c.id) && (c.value == "" || e.Value == c.value) {
					found = true
				}
			}
			if !found {
				t.Errorf("no error at %s containing %q (value %q): %s", c.location, c.id, c.value, r.raw)
			}
		})
	}
	t.Run("over 64 MiB", func(t *testing.T) {
		const size = 65 << 20 // the documented limit is 64 MiB
		r := upload(staf, io.LimitReader(repeatByte('a'), size), size)
		if r.status != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d, want 413: %.300s", r.status, r.raw)
		}
		r.problem(t)
	})
	if n := b.count(t, "depok", "select count(*) from pekerjaan"); n != 0 {
		t.Fatalf("%d pekerjaan after refused uploads, want 0", n)
	}
	if n := b.count(t, "depok", "select count(*) from berkas"); n != 0 {
		t.Fatalf("%d berkas after refused uploads, want 0", n)
	}

	r = upload(staf, strings.NewReader(importCSV), int64(len(importCSV)))
	if r.status != http.StatusAccepted {
		t.Fatalf("import: %d %s", r.status, r.raw)
	}
	loc := r.header.Get("Location")
	if !strings.HasPrefix(loc, "/v1/tenants/depok/pekerjaan/") || r.body["id"] == nil || !strings.HasSuffix(loc, r.body["id"].(string)) {
		t.Fatalf("Location %q for job %v", loc, r.body["id"])
	}
	if r.body["status"] != "antri" || r.body["jenis"] != "impor_umkm" {
		t.Errorf("queued job: %s", r.raw)
	}
	awaitJob(t, events, "impor_umkm")

	job := b.getJob(t, staf, loc)
	var hasil struct {
		Ringkasan umkm.ImportSummary `json:"ringkasan"`
		Masalah   []struct {
			Baris  int    `json:"baris"`
			Lokasi string `json:"lokasi"`
		} `json:"masalah"`
	}
	if err := json.Unmarshal(job.Hasil, &hasil); err != nil {
		t.Fatalf("hasil %s: %v", job.Hasil, err)
	}
	want := umkm.ImportSummary{Baris: 5, Baru: 4, TidakValid: 1, Ditulis: true}
	if job.Status != "selesai" || job.Selesai != 5 || hasil.Ringkasan != want {
		t.Fatalf("job %s selesai %d hasil %s; want selesai, 5 rows, %+v", job.Status, job.Selesai, job.Hasil, want)
	}
	if len(hasil.Masalah) != 1 || hasil.Masalah[0].Baris != 6 || hasil.Masalah[0].Lokasi != "sektor" {
		t.Errorf("masalah %+v, want row 6, sektor", hasil.Masalah)
	}
	if job.HasilBerkasID == "" {
		t.Fatal("no report file")
	}

	r = b.do(t, http.MethodGet, "/v1/tenants/depok/berkas/"+job.HasilBerkasID, staf, nil)
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("report: %d %s", r.status, r.header.Get("Content-Type"))
	}
	if cc := r.header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("report Cache-Control %q, want no-store", cc)
	}
	report := readCSV(t, r.raw)
	if len(report) != 6 || !slices.Equal(report[0], []string{"baris", "hasil", "umkm_id", "kolom_berubah", "masalah", "peringatan"}) {
		t.Fatalf("report has %d lines, want a header and one per row:\n%s", len(report), r.raw)
	}
	for i, row := range report[1:] {
		wantHasil := umkm.HasilBaru
		if i == 4 {
			wantHasil = umkm.HasilTidakValid
		}
		if row[0] != strconv.Itoa(i+2) || row[1] != wantHasil {
			t.Errorf("report line %d: %q, want row %d %s", i+1, row, i+2, wantHasil)
		}
	}
	if !strings.Contains(report[5][4], "sektor") {
		t.Errorf("report of row 6 %q does not name sektor", report[5][4])
	}
	if strings.Contains(string(r.raw), nikSiti) {
		t.Error("the report carries a full NIK")
	}
	// The viewer did not start the import: its report is not theirs.
	if r := b.do(t, http.MethodGet, "/v1/tenants/depok/berkas/"+job.HasilBerkasID, viewer, nil); r.status != http.StatusNotFound {
		t.Errorf("viewer downloads the staf's report: %d, want 404", r.status)
	}

	// The four businesses are in the register, sealed like any other:
	// registering Siti's NIK again through the API is a conflict.
	if n := b.count(t, "depok", "select count(*) from umkm where sumber = 'impor'"); n != 4 {
		t.Errorf("%d imported records, want 4", n)
	}
	r = b.do(t, http.MethodPost, "/v1/tenants/depok/umkm", staf, uBody("Keripik Lagi", "Siti", kelDepok, "nik", nikSiti))
	if r.status != http.StatusConflict {
		t.Errorf("the imported NIK registered again: %d, want 409: %s", r.status, r.raw)
	}

	// Files above Huma's default 1 MiB body limit are accepted (here: the
	// template's header and 2 MiB of blank lines, which import nothing).
	big := strings.Join(labels, ",") + strings.Repeat("\n", 2<<20)
	r = upload(staf, strings.NewReader(big), int64(len(big)))
	if r.status != http.StatusAccepted {
		t.Fatalf("a 2 MiB file: %d, want 202: %.300s", r.status, r.raw)
	}
	awaitJob(t, events, "impor_umkm")
	if j := b.getJob(t, staf, r.header.Get("Location")); j.Status != "selesai" || j.Selesai != 0 {
		t.Errorf("import of blank lines: %s, %d rows; want selesai, 0", j.Status, j.Selesai)
	}
}

// repeatByte reads as an endless run of one byte: a big body without
// allocating it.
type repeatByte byte

func (r repeatByte) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// TestUMKMExportOverHTTP: an export by a viewer has no personal columns and
// masked NIKs; by a staf, personal columns and full NIKs. Cells that a
// spreadsheet would run as formulas are neutralised. A viewer downloads
// their own export but not another user's file.
func TestUMKMExportOverHTTP(t *testing.T) {
	t.Parallel()
	b := setup(t)
	events := b.startUMKMWorkers(t)
	staf, viewer := b.login(t, b.depokStaf.Email), b.login(t, b.depokViewer.Email)

	siti, _ := b.postUMKM(t, "depok", staf, sitiBody())
	joko, _ := b.postUMKM(t, "depok", staf, uBody("Bakso Pak Joko", "Joko Susilo", kelHarjamukti, "nik", "3276010101800002",
		"telepon", "+62 811 2233 4455"))
	// A formula as a business name is refused at entry...
	r := b.do(t, http.MethodPost, "/v1/tenants/depok/umkm", staf, uBody("=SUM(A1:A9)", "Eka", kelDepok))
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("a formula as nama_usaha: %d, want 422: %s", r.status, r.raw)
	}
	// ...but older data may hold one: the export still neutralises it.
	err := b.env.DB.InTenantTx(context.Background(), b.tenants["depok"], func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), `update umkm set nama_usaha = '-Toko Lama', produk = '=HYPERLINK("http://x","bakso")' where id = $1`, joko.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	b.postUMKM(t, "medan", b.login(t, b.medanStaf.Email), uBody("Bika Ambon", "Rudi", kelMedanPasar, "nik", "1271010101800003"))

	export := func(token string) (testJob, [][]string) {
		t.Helper()
		r := b.do(t, http.MethodPost, "/v1/tenants/depok/umkm/ekspor", token, nil)
		if r.status != http.StatusAccepted {
			t.Fatalf("export: %d %s", r.status, r.raw)
		}
		awaitJob(t, events, "ekspor_umkm")
		job := b.getJob(t, token, r.header.Get("Location"))
		if job.Status != "selesai" || job.HasilBerkasID == "" || job.Selesai != 2 {
			t.Fatalf("export job: %+v %s", job, job.Hasil)
		}
		f := b.do(t, http.MethodGet, "/v1/tenants/depok/berkas/"+job.HasilBerkasID, token, nil)
		if f.status != http.StatusOK {
			t.Fatalf("download own export: %d %s", f.status, f.raw)
		}
		if !strings.HasPrefix(f.header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(f.header.Get("Content-Disposition"), "attachment") {
			t.Errorf("export headers: %q, %q", f.header.Get("Content-Type"), f.header.Get("Content-Disposition"))
		}
		rows := readCSV(t, f.raw)
		if len(rows) != 3 {
			t.Fatalf("export has %d lines, want a header and depok's 2 businesses:\n%s", len(rows), f.raw)
		}
		return job, rows
	}
	personal := []string{"telepon", "email", "alamat", "rt", "rw"}

	vJob, vRows := export(viewer)
	for _, col := range personal {
		if slices.Contains(vRows[0], col) {
			t.Errorf("viewer's export has the personal column %s: %q", col, vRows[0])
		}
	}
	if nik := csvColumn(t, vRows, "nik"); nik[siti.ID.String()] != nikSitiMasked || nik[joko.ID.String()] != "3276xxxxxxxx0002" {
		t.Errorf("viewer's export NIKs %v, want masked", nik)
	}
	for _, v := range []string{nikSiti, "3276010101800002", "081234567890", "siti@contoh.id", "Melati", "Bika Ambon"} {
		for _, row := range vRows {
			if slices.Contains(row, v) || strings.Contains(strings.Join(row, ","), v) {
				t.Errorf("viewer's export carries %q: %q", v, row)
			}
		}
	}

	_, sRows := export(staf)
	for _, col := range personal {
		if !slices.Contains(sRows[0], col) {
			t.Errorf("staf's export lacks %s: %q", col, sRows[0])
		}
	}
	if nik := csvColumn(t, sRows, "nik"); nik[siti.ID.String()] != nikSiti || nik[joko.ID.String()] != "3276010101800002" {
		t.Errorf("staf's export NIKs %v, want full", nik)
	}
	if tel := csvColumn(t, sRows, "telepon"); tel[siti.ID.String()] != "081234567890" || tel[joko.ID.String()] != "081122334455" {
		t.Errorf("staf's export phones %v", tel)
	}
	if rt := csvColumn(t, sRows, "rt"); rt[siti.ID.String()] != "003" {
		t.Errorf("staf's export rt %v", rt)
	}
	for _, rows := range [][][]string{vRows, sRows} {
		if got := csvColumn(t, rows, "nama_usaha")[joko.ID.String()]; got != "'-Toko Lama" {
			t.Errorf("nama_usaha %q, want '-Toko Lama (neutralised)", got)
		}
		if got := csvColumn(t, rows, "produk")[joko.ID.String()]; got != `'=HYPERLINK("http://x","bakso")` {
			t.Errorf("produk %q, want the formula neutralised with a leading '", got)
		}
	}

	// Files are downloaded by who made them (staf and admin: any).
	vFile := "/v1/tenants/depok/berkas/" + vJob.HasilBerkasID
	sJob := b.getJob(t, staf, "/v1/tenants/depok/pekerjaan/"+vJob.ID) // the staf reads the viewer's job...
	if r := b.do(t, http.MethodGet, "/v1/tenants/depok/berkas/"+sJob.HasilBerkasID, staf, nil); r.status != http.StatusOK {
		t.Errorf("staf downloads the viewer's export: %d", r.status)
	}
	var stafFile string
	err = b.env.DB.InTenantTx(context.Background(), b.tenants["depok"], func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `select hasil_berkas_id::text from pekerjaan where created_by = $1`, b.depokStaf.ID).Scan(&stafFile)
	})
	if err != nil {
		t.Fatal(err)
	}
	got := b.do(t, http.MethodGet, "/v1/tenants/depok/berkas/"+stafFile, viewer, nil)
	want := b.do(t, http.MethodGet, "/v1/tenants/depok/berkas/"+uuid.NewString(), viewer, nil)
	if got.status != http.StatusNotFound {
		t.Fatalf("viewer downloads the staf's export: %d, want 404", got.status)
	}
	sameAnswer(t, got, want)
	if r := b.do(t, http.MethodGet, vFile, viewer, nil); r.status != http.StatusOK {
		t.Errorf("viewer downloads their own export again: %d", r.status)
	}
	// Another tenant's staf cannot reach it either.
	if r := b.do(t, http.MethodGet, "/v1/tenants/medan/berkas/"+vJob.HasilBerkasID, b.login(t, b.medanStaf.Email), nil); r.status != http.StatusNotFound {
		t.Errorf("medan staf downloads depok's export: %d, want 404", r.status)
	}
}

// TestUMKMImportReadsAWindowsCSV: a CSV saved by Excel in the Windows code
// page (é as the byte 0xE9) is accepted at upload, read as Windows-1252 by
// the worker, and the finished job says so.
func TestUMKMImportReadsAWindowsCSV(t *testing.T) {
	t.Parallel()
	b := setup(t)
	events := b.startUMKMWorkers(t)
	staf := b.login(t, b.depokStaf.Email)
	file := "Nama Pemilik,Nama Usaha,Sektor,Kecamatan (kode atau nama),Kelurahan/Desa (kode atau nama)\n" +
		"Siti Aminah,Kue Siti,kuliner,32.76.01,32.76.01.1006\n" +
		"Andr\xe9,Caf\xe9 Andr\xe9,kuliner,32.76.01,32.76.01.1006\n"
	r := b.do(t, http.MethodPost, "/v1/tenants/depok/umkm/impor", staf, file, "Content-Type", "text/csv")
	if r.status != http.StatusAccepted {
		t.Fatalf("a Windows-1252 CSV: %d, want 202: %s", r.status, r.raw)
	}
	awaitJob(t, events, "impor_umkm")
	job := b.getJob(t, staf, r.header.Get("Location"))
	var hasil struct {
		Ringkasan umkm.ImportSummary `json:"ringkasan"`
		Berkas    struct {
			Pengodean string   `json:"pengodean"`
			Catatan   []string `json:"catatan"`
		} `json:"berkas"`
	}
	if err := json.Unmarshal(job.Hasil, &hasil); err != nil {
		t.Fatalf("hasil %s: %v", job.Hasil, err)
	}
	if hasil.Ringkasan.Baru != 2 || hasil.Berkas.Pengodean != "Windows-1252" || len(hasil.Berkas.Catatan) != 1 ||
		!strings.Contains(hasil.Berkas.Catatan[0], "dibaca sebagai Windows-1252") {
		t.Fatalf("hasil %s, want 2 new rows and a note that the file was read as Windows-1252", job.Hasil)
	}
	if n := b.count(t, "depok", "select count(*) from umkm where nama_usaha = $1 and nama_pemilik = $2", "Café André", "André"); n != 1 {
		t.Errorf("%d records named Café André, want 1", n)
	}
}
