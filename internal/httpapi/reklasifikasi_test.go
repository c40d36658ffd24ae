package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"

	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/tenancy"
)

type testKampanye struct {
	ID        string             `json:"id"`
	Status    string             `json:"status"`
	Total     int                `json:"total"`
	Diproses  int                `json:"diproses"`
	Ringkasan koperasi.Ringkasan `json:"ringkasan"`
	Keputusan koperasi.Keputusan `json:"keputusan"`
}

type testUsulan struct {
	ID          string `json:"id"`
	KoperasiID  string `json:"koperasi_id"`
	Hasil       string `json:"hasil"`
	JenisUsulan string `json:"jenis_usulan"`
	Keyakinan   string `json:"keyakinan"`
	Status      string `json:"status"`
	Porsi       struct {
		Tahun int   `json:"tahun"`
		Total int64 `json:"total"`
	} `json:"porsi"`
}

// usulanPages walks every page of a proposal list and returns the items.
func (b *testBundle) usulanPages(t *testing.T, token, base, query string) []testUsulan {
	t.Helper()
	var all []testUsulan
	cursor := ""
	for range 200 {
		path := base + "?limit=7" + query
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		r := b.do(t, http.MethodGet, path, token, nil)
		if r.status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, r.status, r.raw)
		}
		var page struct {
			Items      []testUsulan `json:"items"`
			NextCursor string       `json:"next_cursor"`
		}
		r.decode(t, &page)
		all = append(all, page.Items...)
		if cursor = page.NextCursor; cursor == "" {
			return all
		}
	}
	t.Fatalf("%s: more than 200 pages", base)
	return nil
}

// TestReklasifikasiOverHTTP: the admin starts the campaign (once, however
// often asked), the workers classify, everyone who reads follows it and
// lists the proposals by outcome; only the admin decides, with If-Match;
// bad input is refused in Indonesian naming the field, nothing written; the
// report downloads as XLSX.
func TestReklasifikasiOverHTTP(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	for slug, n := range map[string]int{"depok": 160, "medan": 40} {
		if err := b.srv.Koperasi.Seed(ctx, &tenancy.Tenant{ID: b.tenants[slug], Slug: slug}, n, 21, koperasi.GenOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	eligible := b.count(t, "depok", `select count(*) from koperasi where jenis is null and aktif and archived_at is null`)
	admin, staf, viewer := b.login(t, b.depokAdmin.Email), b.login(t, b.depokStaf.Email), b.login(t, b.depokViewer.Email)
	const base = "/v1/tenants/depok/reklasifikasi"

	for who, token := range map[string]string{"staf": staf, "viewer": viewer} {
		if r := b.do(t, http.MethodPost, base, token, nil); r.status != http.StatusForbidden {
			t.Errorf("%s starts a campaign: %d, want 403", who, r.status)
		} else {
			r.problem(t)
		}
	}
	if n := b.count(t, "depok", `select count(*) from reklasifikasi_kampanye`); n != 0 {
		t.Fatalf("%d campaigns after refused starts", n)
	}
	r := b.do(t, http.MethodPost, base, admin, nil)
	if r.status != http.StatusAccepted {
		t.Fatalf("start: %d %s", r.status, r.raw)
	}
	var k testKampanye
	r.decode(t, &k)
	if k.Status != "berjalan" || k.Total != eligible || r.header.Get("Location") != base+"/"+k.ID {
		t.Errorf("started %+v at %s; want berjalan, total %d", k, r.header.Get("Location"), eligible)
	}
	r = b.do(t, http.MethodPost, base, admin, nil)
	var again testKampanye
	r.decode(t, &again)
	if r.status != http.StatusAccepted || again.ID != k.ID {
		t.Errorf("second start: %d %s, want 202 with %s", r.status, again.ID, k.ID)
	}

	events := b.startUMKMWorkers(t)
	awaitJob(t, events, "reklasifikasi")

	r = b.do(t, http.MethodGet, base+"/"+k.ID, viewer, nil)
	r.decode(t, &k)
	if r.status != http.StatusOK || k.Status != "selesai" || k.Diproses != eligible || k.Keputusan.Menunggu != eligible {
		t.Fatalf("viewer reads the campaign: %d %+v", r.status, k)
	}
	var list struct {
		Items []testKampanye `json:"items"`
	}
	b.do(t, http.MethodGet, base, staf, nil).decode(t, &list)
	if len(list.Items) != 1 || list.Items[0].ID != k.ID {
		t.Errorf("campaign list %+v", list.Items)
	}

	// Lists by outcome, walked page by page.
	usulanBase := base + "/" + k.ID + "/usulan"
	all := b.usulanPages(t, viewer, usulanBase, "")
	if len(all) != eligible {
		t.Errorf("%d proposals listed, want %d", len(all), eligible)
	}
	rank := map[string]int{"tinggi": 1, "sedang": 2, "perlu_tinjauan": 3, "perlu_data": 4}
	seen := map[string]bool{}
	for i, u := range all {
		key := u.Keyakinan
		if key == "" {
			key = u.Hasil
		}
		if seen[u.ID] {
			t.Fatalf("proposal %s listed twice", u.ID)
		}
		seen[u.ID] = true
		if i > 0 {
			prev := all[i-1].Keyakinan
			if prev == "" {
				prev = all[i-1].Hasil
			}
			if rank[prev] > rank[key] {
				t.Fatalf("not in review order at %d: %s after %s", i, key, prev)
			}
		}
	}
	for _, c := range []struct {
		query string
		want  int
		check func(testUsulan) bool
	}{
		{"&keyakinan=tinggi", k.Ringkasan.Tinggi, func(u testUsulan) bool { return u.Keyakinan == "tinggi" }},
		{"&hasil=usulan", k.Ringkasan.Tinggi + k.Ringkasan.Sedang, func(u testUsulan) bool { return u.Hasil == "usulan" && u.JenisUsulan != "" }},
		{"&hasil=perlu_data", k.Ringkasan.PerluData, func(u testUsulan) bool { return u.Hasil == "perlu_data" && u.JenisUsulan == "" }},
		{"&hasil=perlu_tinjauan&status=menunggu", k.Ringkasan.PerluTinjauan, func(u testUsulan) bool { return u.Hasil == "perlu_tinjauan" }},
		{"&hasil=perlu_data&keyakinan=tinggi", 0, nil},
		{"&status=disetujui", 0, nil},
	} {
		got := b.usulanPages(t, staf, usulanBase, c.query)
		if len(got) != c.want {
			t.Errorf("%s: %d proposals, want %d", c.query, len(got), c.want)
		}
		for _, u := range got {
			if !c.check(u) {
				t.Errorf("%s listed %+v", c.query, u)
			}
		}
	}
	if k.Ringkasan.Tinggi < 3 || k.Ringkasan.PerluData < 1 || k.Ringkasan.Sedang+k.Ringkasan.PerluTinjauan < 1 {
		t.Fatalf("the sample lacks outcomes to review: %+v", k.Ringkasan)
	}
	byOutcome := func(query string) testUsulan {
		t.Helper()
		var page struct{ Items []testUsulan }
		b.do(t, http.MethodGet, usulanBase+"?limit=1&status=menunggu"+query, admin, nil).decode(t, &page)
		if len(page.Items) != 1 {
			t.Fatalf("no waiting proposal for %s", query)
		}
		return page.Items[0]
	}
	tinggi, data := byOutcome("&keyakinan=tinggi"), byOutcome("&hasil=perlu_data")

	// Bad input: Indonesian, naming the field; English on request.
	for _, c := range []struct {
		name, method, path string
		body               any
		headers            []string
		status             int
		field, text        string
	}{
		{"unknown filter value", http.MethodGet, usulanBase + "?hasil=semua", nil, nil, 422, "query.hasil", "harus salah satu dari"},
		{"bad cursor", http.MethodGet, usulanBase + "?cursor=bm9wZQ", nil, nil, 422, "query.cursor", "Cursor tidak valid"},
		{"unknown jenis", http.MethodPost, usulanBase + "/" + tinggi.ID + "/setujui", map[string]any{"jenis": "ksu"}, []string{"If-Match", `"1"`}, 422, "body.jenis", "harus salah satu dari"},
		{"unknown jenis in English", http.MethodPost, usulanBase + "/" + tinggi.ID + "/setujui", map[string]any{"jenis": "ksu"}, []string{"If-Match", `"1"`, "Accept-Language", "en"}, 422, "body.jenis", "expected value to be one of"},
		{"another jenis without a reason", http.MethodPost, usulanBase + "/" + tinggi.ID + "/setujui", map[string]any{"jenis": otherJenis(tinggi.JenisUsulan)}, []string{"If-Match", `"1"`}, 422, "body.alasan", "Alasan wajib diisi"},
		{"no jenis where none was proposed", http.MethodPost, usulanBase + "/" + data.ID + "/setujui", nil, []string{"If-Match", `"1"`}, 422, "body.jenis", "pilih jenisnya"},
		{"date in the future", http.MethodPost, usulanBase + "/" + tinggi.ID + "/setujui", map[string]any{"dasar_hukum": "AHU-1", "tanggal_dasar_hukum": "2999-01-01"}, []string{"If-Match", `"1"`}, 422, "body.tanggal_dasar_hukum", "masa depan"},
		{"a formula as legal basis", http.MethodPost, usulanBase + "/" + tinggi.ID + "/setujui", map[string]any{"dasar_hukum": "=1+1"}, []string{"If-Match", `"1"`}, 422, "body.dasar_hukum", "rumus spreadsheet"},
		{"a legal basis too long", http.MethodPost, usulanBase + "/" + tinggi.ID + "/setujui", map[string]any{"dasar_hukum": strings.Repeat("A", 101)}, []string{"If-Match", `"1"`}, 422, "body.dasar_hukum", "100"},
		{"a control character in the reason", http.MethodPost, usulanBase + "/" + tinggi.ID + "/tolak", map[string]any{"alasan": "Data\u0000 salah"}, []string{"If-Match", `"1"`}, 422, "body.alasan", "karakter kontrol"},
		{"reject without a reason", http.MethodPost, usulanBase + "/" + tinggi.ID + "/tolak", map[string]any{}, []string{"If-Match", `"1"`}, 422, "body.alasan", "wajib diisi"},
		{"approve without If-Match", http.MethodPost, usulanBase + "/" + tinggi.ID + "/setujui", nil, nil, 428, "", "If-Match"},
		{"approve a stale version", http.MethodPost, usulanBase + "/" + tinggi.ID + "/setujui", nil, []string{"If-Match", `"7"`}, 412, "", "sudah diubah"},
		{"a proposal under another campaign", http.MethodPost, base + "/" + uuid.NewString() + "/usulan/" + tinggi.ID + "/setujui", nil, []string{"If-Match", `"1"`}, 404, "", "tidak ditemukan"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := b.do(t, c.method, c.path, admin, c.body, c.headers...)
			if r.status != c.status {
				t.Fatalf("status %d, want %d: %s", r.status, c.status, r.raw)
			}
			p := r.problem(t)
			msg := p.Detail
			if c.field != "" {
				var ok bool
				if msg, ok = p.field(c.field); !ok {
					t.Fatalf("no error at %s: %s", c.field, r.raw)
				}
			}
			if !strings.Contains(msg, c.text) {
				t.Errorf("message %q, want it to say %q", msg, c.text)
			}
		})
	}
	if n := b.count(t, "depok", `select count(*) from reklasifikasi_usulan where status <> 'menunggu'`); n != 0 {
		t.Fatalf("%d proposals decided by refused requests", n)
	}
	if n := b.count(t, "depok", `select count(*) from audit_log where entity in ('koperasi', 'reklasifikasi_usulan')`); n != 0 {
		t.Fatalf("%d audit entries from refused requests", n)
	}

	// Only the admin decides.
	for who, token := range map[string]string{"staf": staf, "viewer": viewer} {
		for _, p := range []string{usulanBase + "/" + tinggi.ID + "/setujui", usulanBase + "/" + tinggi.ID + "/tolak", base + "/" + k.ID + "/setujui-tinggi"} {
			if r := b.do(t, http.MethodPost, p, token, map[string]any{"alasan": "coba"}, "If-Match", `"1"`); r.status != http.StatusForbidden {
				t.Errorf("%s POST %s: %d, want 403", who, p, r.status)
			}
		}
	}

	// Another tenant's admin: the proposal does not exist for them.
	medanAdmin := b.login(t, b.medanAdmin.Email)
	medanPath := "/v1/tenants/medan/reklasifikasi/" + k.ID + "/usulan/" + tinggi.ID + "/setujui"
	got := b.do(t, http.MethodPost, medanPath, medanAdmin, nil, "If-Match", `"1"`)
	nope := b.do(t, http.MethodPost, "/v1/tenants/medan/reklasifikasi/"+uuid.NewString()+"/usulan/"+uuid.NewString()+"/setujui", medanAdmin, nil, "If-Match", `"1"`)
	if got.status != http.StatusNotFound {
		t.Fatalf("medan admin approves depok's proposal: %d %s", got.status, got.raw)
	}
	sameAnswer(t, got, nope)
	if r := b.do(t, http.MethodGet, "/v1/tenants/medan/reklasifikasi/"+k.ID, medanAdmin, nil); r.status != http.StatusNotFound {
		t.Errorf("medan admin reads depok's campaign: %d", r.status)
	}

	// Approve with another type, a reason and the legal basis.
	r = b.do(t, http.MethodGet, usulanBase+"/"+tinggi.ID, viewer, nil)
	if r.status != http.StatusOK || r.header.Get("ETag") != `"1"` {
		t.Fatalf("get proposal: %d ETag %q", r.status, r.header.Get("ETag"))
	}
	other := otherJenis(tinggi.JenisUsulan)
	r = b.do(t, http.MethodPost, usulanBase+"/"+tinggi.ID+"/setujui", admin, map[string]any{
		"jenis": other, "alasan": "Unit toko sudah ditutup; usaha utama kini lain.", "dasar_hukum": "AHU-0004567.AH.01.27.TAHUN 2025",
		"tanggal_dasar_hukum": "2025-02-10"}, "If-Match", `"1"`)
	if r.status != http.StatusOK || r.header.Get("ETag") != `"2"` || r.body["status"] != "disetujui" || r.body["jenis_disetujui"] != other {
		t.Fatalf("approve: %d %s", r.status, r.raw)
	}
	if n := b.count(t, "depok", `select count(*) from koperasi where id = $1 and jenis = $2 and kelompok is not distinct from $3
		and perubahan_ad_nomor = 'AHU-0004567.AH.01.27.TAHUN 2025' and perubahan_ad_tanggal = '2025-02-10' and version = 2`,
		tinggi.KoperasiID, other, kelompokOf(t, b, tinggi.KoperasiID)); n != 1 {
		t.Error("the approved cooperative does not carry the new type, its grouping and legal basis")
	}
	if r := b.do(t, http.MethodPost, usulanBase+"/"+tinggi.ID+"/setujui", admin, nil, "If-Match", `"2"`); r.status != http.StatusConflict {
		t.Errorf("approve again: %d, want 409", r.status)
	} else if p := r.problem(t); !strings.Contains(p.Detail, "sudah diputuskan") {
		t.Errorf("409 says %q", p.Detail)
	}
	r = b.do(t, http.MethodPost, usulanBase+"/"+data.ID+"/tolak", admin, map[string]any{"alasan": "Data unit usaha sedang dikumpulkan ulang."}, "If-Match", `"1"`)
	if r.status != http.StatusOK || r.body["status"] != "ditolak" {
		t.Fatalf("reject: %d %s", r.status, r.raw)
	}
	if r := b.do(t, http.MethodPost, usulanBase+"/"+data.ID+"/setujui", admin, map[string]any{"jenis": "jasa", "alasan": "Klinik"}, "If-Match", `"2"`); r.status != http.StatusConflict {
		t.Errorf("approve a rejected proposal: %d, want 409", r.status)
	}

	// Bulk: every other waiting high proposal.
	r = b.do(t, http.MethodPost, base+"/"+k.ID+"/setujui-tinggi", admin, nil)
	if r.status != http.StatusOK || int(r.body["disetujui"].(float64)) != k.Ringkasan.Tinggi-1 {
		t.Fatalf("bulk: %d %s, want %d approved", r.status, r.raw, k.Ringkasan.Tinggi-1)
	}
	if n := b.count(t, "depok", `select count(*) from audit_log where entity = 'koperasi' and action = 'reklasifikasi'`); n != k.Ringkasan.Tinggi {
		t.Errorf("%d cooperatives audited, want %d", n, k.Ringkasan.Tinggi)
	}
	b.do(t, http.MethodGet, base+"/"+k.ID, viewer, nil).decode(t, &k)
	if k.Keputusan.Disetujui != k.Ringkasan.Tinggi || k.Keputusan.Ditolak != 1 {
		t.Errorf("keputusan %+v after the review", k.Keputusan)
	}
	if n := b.count(t, "medan", `select count(*) from koperasi where jenis is null`); n == 0 || b.count(t, "medan", `select count(*) from koperasi where version <> 1`) != 0 {
		t.Error("medan's cooperatives were touched")
	}

	// The report, asked for by a viewer, downloaded as XLSX.
	r = b.do(t, http.MethodPost, base+"/"+k.ID+"/laporan", viewer, nil)
	if r.status != http.StatusAccepted {
		t.Fatalf("report: %d %s", r.status, r.raw)
	}
	location := r.header.Get("Location")
	awaitJob(t, events, "laporan_reklasifikasi")
	job := b.getJob(t, viewer, location)
	if job.Status != "selesai" || job.HasilBerkasID == "" {
		t.Fatalf("report job %+v", job)
	}
	r = b.do(t, http.MethodGet, "/v1/tenants/depok/berkas/"+job.HasilBerkasID, viewer, nil)
	if r.status != http.StatusOK || !strings.Contains(r.header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("download: %d %s", r.status, r.header.Get("Content-Type"))
	}
	x, err := excelize.OpenReader(bytes.NewReader(r.raw))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("Usulan")
	if err != nil || len(rows) != eligible+1 {
		t.Errorf("report rows: %d, %v; want %d", len(rows), err, eligible+1)
	}
	if r := b.do(t, http.MethodPost, "/v1/tenants/depok/reklasifikasi/"+uuid.NewString()+"/laporan", viewer, nil); r.status != http.StatusNotFound {
		t.Errorf("report of an unknown campaign: %d", r.status)
	}
}

func otherJenis(j string) string {
	if j == "jasa" {
		return "konsumen"
	}
	return "jasa"
}

func kelompokOf(t *testing.T, b *testBundle, id string) *string {
	t.Helper()
	var k *string
	if err := b.env.DB.InTenantTx(context.Background(), b.tenants["depok"], func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `select kelompok from koperasi where id = $1`, id).Scan(&k)
	}); err != nil {
		t.Fatal(err)
	}
	return k
}

// TestReklasifikasiStartIsIdempotent: a short campaign finishes in
// milliseconds; a retry of the start with the same Idempotency-Key (a double
// click, a client retry) answers the first campaign instead of starting a
// second that would replace the first one's waiting proposals.
func TestReklasifikasiStartIsIdempotent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	if err := b.srv.Koperasi.Seed(context.Background(), &tenancy.Tenant{ID: b.tenants["depok"], Slug: "depok"}, 26, 5, koperasi.GenOptions{SemuaKSU: true}); err != nil {
		t.Fatal(err)
	}
	admin := b.login(t, b.depokAdmin.Email)
	const base = "/v1/tenants/depok/reklasifikasi"
	events := b.startUMKMWorkers(t)
	r := b.do(t, http.MethodPost, base, admin, nil, "Idempotency-Key", "kampanye-1")
	if r.status != http.StatusAccepted || r.header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("start: %d %q %s", r.status, r.header.Get("Idempotent-Replayed"), r.raw)
	}
	var first testKampanye
	r.decode(t, &first)
	awaitJob(t, events, "reklasifikasi")
	if n := b.count(t, "depok", `select count(*) from reklasifikasi_kampanye where status = 'selesai'`); n != 1 {
		t.Fatalf("%d finished campaigns, want the first", n)
	}
	for range 2 {
		r := b.do(t, http.MethodPost, base, admin, nil, "Idempotency-Key", "kampanye-1")
		var again testKampanye
		r.decode(t, &again)
		if r.status != http.StatusAccepted || again.ID != first.ID || r.header.Get("Idempotent-Replayed") != "true" ||
			r.header.Get("Location") != base+"/"+first.ID {
			t.Errorf("retry: %d %s at %q (replayed %q), want 202 with %s", r.status, again.ID, r.header.Get("Location"),
				r.header.Get("Idempotent-Replayed"), first.ID)
		}
	}
	if n := b.count(t, "depok", `select count(*) from reklasifikasi_kampanye`); n != 1 {
		t.Errorf("%d campaigns after retries, want 1", n)
	}
	if n := b.count(t, "depok", `select count(*) from reklasifikasi_usulan where status = 'digantikan'`); n != 0 {
		t.Errorf("%d proposals replaced by a retry", n)
	}
	// Another key starts another campaign, as asked.
	r = b.do(t, http.MethodPost, base, admin, nil, "Idempotency-Key", "kampanye-2")
	var second testKampanye
	r.decode(t, &second)
	if r.status != http.StatusAccepted || second.ID == first.ID {
		t.Errorf("a new key: %d %s, want a new campaign", r.status, second.ID)
	}
	awaitJob(t, events, "reklasifikasi")
}
