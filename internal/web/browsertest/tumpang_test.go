package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/internal/web/webtest"
)

// Other agencies' lists, the never-helped and the overlap report in a
// real browser (issue 17 items 3–4).

// usaha registers a business in Depok's kelurahan Depok (Pancoran Mas).
func usaha(t *testing.T, srv *webtest.Server, in umkm.Input) umkm.Record {
	t.Helper()
	in.Sektor, in.KecamatanKode, in.KelurahanKode = "kuliner", "32.76.01", "32.76.01.1006"
	var rec umkm.Record
	err := srv.Env.DB.InTenantTx(context.Background(), srv.Tenants["depok"].ID, func(tx pgx.Tx) error {
		var err error
		rec, err = srv.UMKM.CreateTx(context.Background(), tx, srv.Tenants["depok"], in, "staf", umkm.Scope{})
		return err
	})
	if err != nil {
		t.Fatalf("register %s: %v", in.NamaUsaha, err)
	}
	return rec
}

// agensi adds an agency to Depok.
func agensi(t *testing.T, srv *webtest.Server, nama, jenis string) {
	t.Helper()
	srv.Exec(t, `insert into agensi (tenant_id, id, nama, jenis) values ($1, $2, $3, $4)`, srv.Tenants["depok"].ID, uuid.New(), nama, jenis)
}

// ringkasan is the summary list of the page as "label=value" pairs.
func (tb *tab) ringkasan() string {
	tb.t.Helper()
	s, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('.ringkasan li')].map(li =>
		li.querySelector('.label').textContent.trim() + '=' + li.querySelector('.nilai').textContent.trim()).join('|')`))
	if err != nil {
		tb.t.Fatalf("read the summary: %v", err)
	}
	return s
}

func ptr(s string) *string { return &s }

// stafAt is a tab where Depok's staf signed in on the way to path.
func stafAt(t *testing.T, srv *webtest.Server, path string) *tab {
	t.Helper()
	tb := newTab(t, srv.URL)
	tb.open(path)
	tb.login(webtest.StafDepok, webtest.Password)
	if p := tb.path(); p != path {
		t.Fatalf("after login: %s, want %s", p, path)
	}
	return tb
}

// TestLuarList: staf upload another agency's list as a dry run; the report
// shows one row matched by NIK, one by NIB, one by name, owner and
// kelurahan, and one unmatched with its reason; nothing is stored until
// the same list is stored from the report, and then the unmatched row
// waits on the list page.
func TestLuarList(t *testing.T) {
	if browser == nil {
		t.Skip("browsertest: " + noBrowser)
	}
	srv := webtest.New(t)
	srv.Work(t)
	usaha(t, srv, umkm.Input{NamaUsaha: "Kue Rahma", NamaPemilik: "Rahmawati Uji", NIK: ptr("3276015203920011")})
	usaha(t, srv, umkm.Input{NamaUsaha: "Warung Bambang", NamaPemilik: "Bambang Uji", NIB: ptr("9120001234567")})
	usaha(t, srv, umkm.Input{NamaUsaha: "Keripik Bu Uji", NamaPemilik: "Ani Uji"})
	agensi(t, srv, "Baznas Kota Depok", "baznas")
	file := filepath.Join(t.TempDir(), "baznas.csv")
	list := "NIK,NIB,Nama UMKM,Nama Peserta,Desa/Kelurahan,Status\n" +
		"3276015203920011,,,Rahmawati Uji,,lulus\n" + // by NIK
		",9120001234567,Warung Lain,Bambang,,lulus\n" + // by NIB
		",,  keripik BU uji ,ANI uji,Depok,lulus\n" + // by name + owner + kelurahan
		",,Sablon Baru Uji,Dodi Uji,Depok Jaya,tidak lulus\n" // nothing
	if err := os.WriteFile(file, []byte(list), 0o644); err != nil {
		t.Fatal(err)
	}

	tb := stafAt(t, srv, "/t/depok/program/luar")
	assertAccessible(t, tb)
	tb.do("fill in the list's programme", chromedp.SendKeys(chromedp.CSS("#program_nama"), "Pelatihan Digital Baznas"),
		chromedp.SendKeys(chromedp.CSS("#tahun"), "2026"), chromedp.SetUploadFiles(chromedp.CSS("#berkas"), []string{file}))
	tb.eval("choose the agency", `(() => { const s = document.querySelector('#agensi_id');
		s.value = [...s.options].find(o => o.textContent === 'Baznas Kota Depok').value; return s.value !== ''; })()`)
	tb.choose("#jenis", "pelatihan")
	tb.eval("a dry run is the default", `document.querySelector('input[name=mode][value=uji]').checked`)
	if status := tb.submit("upload", chromedp.Click(chromedp.CSS(`form[action$="/luar/impor"] button[type=submit]`))); status != http.StatusOK {
		t.Fatalf("upload: status %d", status)
	}
	dry := tb.path()
	if !strings.HasPrefix(dry, "/t/depok/pekerjaan/") {
		t.Fatalf("after the upload: %s", dry)
	}
	// The page polls the job until its report is there.
	tb.do("wait for the report", chromedp.WaitVisible(chromedp.CSS(".hasil-tulis")))
	if got := tb.text(".hasil-tulis"); got != "Uji coba: belum ada yang disimpan." {
		t.Errorf("dry run says %q", got)
	}
	want := "Baris=4|Cocok menurut NIK=1|Cocok menurut NIB=1|Cocok menurut nama=1|Belum cocok=1|Tidak valid=0|Duplikat=0|Sudah diimpor sebelumnya=0"
	if got := tb.ringkasan(); got != want {
		t.Errorf("summary\n got %s\nwant %s", got, want)
	}
	if got := tb.text("tr.hasil-belum_cocok td:nth-of-type(1)"); got != "Belum cocok" {
		t.Errorf("the unmatched row's outcome: %q", got)
	}
	if got := tb.text("tr.hasil-belum_cocok td:nth-of-type(2)"); !strings.Contains(got, "tidak ada di register") {
		t.Errorf("the unmatched row's reason: %q", got)
	}
	if got := tb.text("tr.hasil-belum_cocok th"); got != "5" {
		t.Errorf("the unmatched row is row %q, want 5", got)
	}
	if n := srv.Count(t, "select count(*) from partisipasi_luar"); n != 0 {
		t.Fatalf("the dry run stored %d rows", n)
	}
	assertAccessible(t, tb)

	if status := tb.submit("store the list", chromedp.Click(chromedp.CSS(`form[action$="/terapkan"] button`))); status != http.StatusOK {
		t.Fatalf("store: status %d", status)
	}
	if p := tb.path(); p == dry || !strings.HasPrefix(p, "/t/depok/pekerjaan/") {
		t.Fatalf("after storing: %s", p)
	}
	tb.until("the stored list", `(document.querySelector('.hasil-tulis') || {textContent: ''}).textContent.startsWith('Baris sudah disimpan')`)
	if n, matched := srv.Count(t, "select count(*) from partisipasi_luar"), srv.Count(t, "select count(*) from partisipasi_luar where status = 'cocok'"); n != 4 || matched != 3 {
		t.Errorf("stored %d rows, %d matched; want 4 and 3", n, matched)
	}
	assertAccessible(t, tb)

	tb.do("follow the link to the waiting rows", chromedp.Click(chromedp.CSS(`.hasil-tulis a`)))
	tb.until("the list page", `location.pathname === '/t/depok/program/luar'`)
	tb.do("wait for the list page", chromedp.WaitVisible(chromedp.CSS("#belum-judul")))
	body := tb.text("main")
	if !strings.Contains(body, "Sablon Baru Uji") || strings.Contains(body, "Kue Rahma") {
		t.Errorf("the waiting rows: want the unmatched row only:\n%s", body)
	}
	assertAccessible(t, tb)
}

// TestBelumPernahMap: the never-helped page draws every desa/kelurahan of
// Depok with its count, and its kecamatan filter narrows the counts and
// the invitation list to that kecamatan.
func TestBelumPernahMap(t *testing.T) {
	if browser == nil {
		t.Skip("browsertest: " + noBrowser)
	}
	srv := webtest.New(t)
	kec, err := srv.Store.ListWilayah(context.Background(), srv.Tenants["depok"].ID, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var desa int
	var nama string
	for _, k := range kec {
		desa += len(k.Children)
		if k.Kode == srv.PetugasKecamatan {
			nama = k.Nama
		}
	}
	depok := srv.Tenants["depok"].ID
	all := srv.Count(t, "select count(*) from umkm where tenant_id = $1 and archived_at is null", depok)
	inKec := srv.Count(t, "select count(*) from umkm where tenant_id = $1 and archived_at is null and kecamatan_kode = $2", depok, srv.PetugasKecamatan)
	var kel string
	var inKel int
	if err := srv.Env.DB.InTenantTx(context.Background(), depok, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `select kelurahan_kode, count(*) from umkm where archived_at is null
			group by kelurahan_kode order by count(*) desc, kelurahan_kode limit 1`).Scan(&kel, &inKel)
	}); err != nil {
		t.Fatal(err)
	}

	tb := stafAt(t, srv, "/t/depok/program/belum-pernah")
	if n := tb.count("figure.peta-bingkai svg path[data-kode]"); n != desa || desa < 60 {
		t.Errorf("the map draws %d regions, Depok has %d desa/kelurahan", n, desa)
	}
	tb.eval("the map is drawn at a size", `(() => { const r = document.querySelector('figure.peta-bingkai svg').getBoundingClientRect();
		return r.width > 300 && r.height > 200; })()`)
	// An SVG title is not rendered text: read its content.
	title, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector('path[data-kode=%q] title').textContent`, kel)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(title, fmt.Sprintf(": %d", inKel)) {
		t.Errorf("the busiest kelurahan %s is titled %q, want its %d businesses", kel, title, inKel)
	}
	if n := tb.count(".legenda li"); n == 0 {
		t.Error("the map has no legend")
	}
	if got := tb.text("p.ringkas strong"); !strings.HasPrefix(got, fmt.Sprintf("Belum pernah dibantu: %d dari %d", all, all)) {
		t.Errorf("summary %q, want all %d", got, all)
	}
	assertAccessible(t, tb)

	tb.choose("#kecamatan", srv.PetugasKecamatan)
	if status := tb.submit("filter by kecamatan", chromedp.Click(chromedp.CSS(`form[action$="/belum-pernah"] button[type=submit]`))); status != http.StatusOK {
		t.Fatalf("filter: status %d", status)
	}
	if p := tb.path(); !strings.Contains(p, "kecamatan="+srv.PetugasKecamatan) {
		t.Fatalf("after filtering: %s", p)
	}
	if got := tb.text("p.ringkas strong"); !strings.HasPrefix(got, fmt.Sprintf("Belum pernah dibantu: %d dari %d", inKec, inKec)) {
		t.Errorf("summary %q, want the kecamatan's %d", got, inKec)
	}
	rows, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`[...[...document.querySelectorAll('table')].find(t =>
		t.caption.textContent.startsWith('Usaha yang belum pernah')).querySelectorAll('tbody tr')].map(r => r.cells[2].textContent.trim())`))
	if err != nil {
		t.Fatal(err)
	}
	if want := min(inKec, 50); len(rows) != want {
		t.Errorf("the invitation list has %d rows, want %d", len(rows), want)
	}
	for _, w := range rows {
		if !strings.HasSuffix(w, ", "+nama) {
			t.Errorf("a row outside %s: %q", nama, w)
		}
	}
	assertAccessible(t, tb)
}

// TestTumpangReport: from the programme list to the overlap report, a
// business trained by two agencies in one year shows with both sources,
// and its record lists them under "Riwayat program".
func TestTumpangReport(t *testing.T) {
	if browser == nil {
		t.Skip("browsertest: " + noBrowser)
	}
	srv := webtest.New(t)
	u := usaha(t, srv, umkm.Input{NamaUsaha: "Batik Tumpang", NamaPemilik: "Sri Uji"})
	once := usaha(t, srv, umkm.Input{NamaUsaha: "Kue Sekali", NamaPemilik: "Tini Uji"})
	agensi(t, srv, "Baznas Kota Depok", "baznas")
	agensi(t, srv, "Bank BJB", "bank")
	for _, r := range []struct {
		agensi, program string
		u               umkm.Record
	}{{"Baznas Kota Depok", "Pelatihan Digital Baznas", u}, {"Bank BJB", "Pelatihan Keuangan BJB", u}, {"Bank BJB", "Pelatihan Keuangan BJB", once}} {
		srv.Exec(t, `insert into partisipasi_luar (tenant_id, id, agensi_id, program_nama, jenis, tahun, umkm_id, cocok_oleh, status)
			select $1, $2, id, $3, 'pelatihan', 2026, $4, 'nib', 'cocok' from agensi where tenant_id = $1 and nama = $5`,
			srv.Tenants["depok"].ID, uuid.New(), r.program, r.u.ID, r.agensi)
	}

	tb := stafAt(t, srv, "/t/depok/program")
	if status := tb.submit("open the report", chromedp.Click(chromedp.CSS(`a[href="/t/depok/program/tumpang"]`))); status != http.StatusOK {
		t.Fatalf("report: status %d", status)
	}
	tb.retype("#tahun", "2026")
	tb.choose("#jenis", "pelatihan")
	if status := tb.submit("show 2026's training", chromedp.Click(chromedp.CSS(`form[action$="/program/tumpang"] button`))); status != http.StatusOK {
		t.Fatalf("filter: status %d", status)
	}
	if got := tb.ringkasan(); got != "Usaha menerima bantuan ganda=1|Bantuan yang diterima usaha itu=2|Agensi pemberi=2" {
		t.Errorf("totals: %s", got)
	}
	if n := tb.count("#tumpang tbody tr"); n != 1 {
		t.Errorf("%d businesses in the report, want 1", n)
	}
	if got := tb.text("#tumpang tbody tr td:nth-of-type(4)"); got != "Bank BJB; Baznas Kota Depok" {
		t.Errorf("sources: %q", got)
	}
	assertAccessible(t, tb)

	if status := tb.submit("open the business", chromedp.Click(chromedp.CSS(`#tumpang tbody th a`))); status != http.StatusOK {
		t.Fatalf("record: status %d", status)
	}
	if p := tb.path(); p != "/t/depok/umkm/"+u.ID.String() {
		t.Fatalf("the report's link leads to %s", p)
	}
	sec := tb.text(`section[aria-labelledby="riwayat-program"]`)
	for _, want := range []string{"Pelatihan Digital Baznas", "Pelatihan Keuangan BJB", "daftar agensi lain"} {
		if !strings.Contains(sec, want) {
			t.Errorf("the record's programme history lacks %q:\n%s", want, sec)
		}
	}
	assertAccessible(t, tb)
}
