package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/konsinyasi"
	"github.com/sentra-id/sentra/internal/pemasaran"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// PemasaranOptions size the marketing-points run.
type PemasaranOptions struct {
	Tenant      string // the office measured
	Rows        int    // its businesses
	Produk      int    // products per business
	Titik       int    // marketing points
	Kurasi      int    // listings (each with its consignment ledger), spread over the points
	Minggu      int    // weeks of weekly sales reports per ledger
	Requests    int    // reads timed per measurement; the dashboard a tenth, the sales reports a quarter
	Concurrency int
}

// DefaultPemasaran is the scale (issue 18 "Speed"): 50 points,
// 5.000 businesses with two products each, every product listed at one
// point, two years of weekly reports.
var DefaultPemasaran = PemasaranOptions{Tenant: "tangsel", Rows: 5000, Produk: 2, Titik: 50, Kurasi: 10_000, Minggu: 104, Requests: 2000, Concurrency: 1}

// The operators of the points: the office, partners and a retailer. The
// last partner stopped reporting (seed 003's galeri).
var pemasaranOperator = []struct{ jenis, nama string }{
	{"kantor", ""}, {"mitra", "Hotel Santika"}, {"mitra", "RSUD Kota"}, {"mitra", "Politeknik Negeri"},
	{"ritel", "Swalayan Maju"}, {"mitra", "CV Galeri Nusantara"},
}

// biayaBulanan is the monthly fee of the points that charge one.
var biayaBulanan int64 = 100_000

// mingguTerlambat: the weeks the late partner's points have not reported.
const mingguTerlambat = 6

// Pemasaran seeds one office with marketing points, products, listings and
// their consignment ledgers over Minggu weeks, then times what an operator
// and the office wait for: a point's stock at a glance, a listing's ledger
// with its balance, the late-report dashboard, and one sales report. Every
// measurement calls the service function the API calls, as the
// application role under RLS.
func Pemasaran(ctx context.Context, e *Env, o PemasaranOptions) error {
	if o.Minggu <= 2*mingguTerlambat {
		return fmt.Errorf("%d weeks: the late partner is silent %d weeks and unsettled %d; give more", o.Minggu, mingguTerlambat, 2*mingguTerlambat)
	}
	t0 := time.Now()
	r, t, err := seedKantor(ctx, e, o.Tenant, o.Rows, 18)
	if err != nil {
		return err
	}
	kec, err := r.store.ListWilayah(ctx, t.ID, "", 100)
	if err != nil {
		return err
	}
	if len(kec) == 0 {
		return fmt.Errorf("tenant %s has no kecamatan", t.Slug)
	}
	t1 := time.Now()
	nJual := max(o.Requests/4, 1)
	s, err := seedPemasaran(ctx, e, t, kec[0].Kode, o, nJual)
	if err != nil {
		return err
	}
	e.Logger.Info("seeded ledgers", "kurasi", len(s.buku), "gerak", s.gerak, "bayar", s.bayar, "took", time.Since(t1).Round(time.Millisecond).String())
	e.Metric("pemasaran_seed_seconds", time.Since(t0).Seconds())
	if err := adminExec(ctx, e.AdminURL, "vacuum analyze"); err != nil {
		return err
	}
	if err := adminExec(ctx, e.AdminURL, "checkpoint"); err != nil {
		return err
	}
	if err := cekBuku(ctx, e, t, "seeded"); err != nil {
		return err
	}
	svc := &konsinyasi.Service{DB: e.App, Logger: e.Logger, Now: time.Now}

	// 1. One sales report (create-konsinyasi-jual): last week's report of a
	// listing of a point that reports, each listing once.
	if len(s.jual) < nJual {
		return fmt.Errorf("%d listings at points that report: fewer than the %d sales reports timed", len(s.jual), nJual)
	}
	today, err := t.Today(time.Now())
	if err != nil {
		return err
	}
	senin, _ := konsinyasi.Periode("mingguan", today)
	mulai, selesai := konsinyasi.Periode("mingguan", senin.AddDate(0, 0, -7))
	var jualLat Latencies
	if _, err := Run(ctx, o.Concurrency, 10*time.Minute, int64(nJual), &jualLat, func(ctx context.Context, i int64) error {
		b := s.jual[i]
		n := min(b.diTangan, 2)
		return e.App.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
			_, err := svc.JualTx(ctx, tx, t, b.titik, b.kurasi, konsinyasi.KonsinyasiJual{PeriodeMulai: mulai.Format(time.DateOnly),
				PeriodeSelesai: selesai.Format(time.DateOnly), Jumlah: n, Bruto: n * b.harga, Sumber: "mandiri"})
			return err
		})
	}); err != nil {
		return fmt.Errorf("lapor jual: %w", err)
	}
	e.Metric("lapor_jual_p50_ms", jualLat.Quantile(0.5))
	e.Metric("lapor_jual_p99_ms", jualLat.Quantile(0.99))
	e.Metric("lapor_jual_n", float64(nJual))
	// The service's reports and the seeded ones add up the same way.
	if err := cekBuku(ctx, e, t, "after the sales reports"); err != nil {
		return err
	}

	// The hourly job's alerts, as it raised them on the Saturday after each
	// of the partner's silent weeks but the last (whether that one is
	// overdue yet depends on today's weekday).
	for j := mingguTerlambat - 1; j >= 1; j-- {
		sabtu := senin.AddDate(0, 0, -7*j+5).Add(12 * time.Hour)
		if err := e.App.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
			_, _, err := svc.TandaiTerlambatTx(ctx, tx, t, sabtu)
			return err
		}); err != nil {
			return fmt.Errorf("tandai terlambat: %w", err)
		}
	}
	counts := []struct {
		metric, sql string
	}{
		{"pemasaran_umkm", "select count(*) from umkm"},
		{"pemasaran_produk", "select count(*) from produk"},
		{"pemasaran_titik", "select count(*) from titik"},
		{"pemasaran_kurasi", "select count(*) from konsinyasi"},
		{"pemasaran_gerak", "select count(*) from konsinyasi_gerak"},
		{"pemasaran_jual", "select count(*) from konsinyasi_gerak where jenis = 'jual'"},
		{"pemasaran_bayar", "select count(*) from konsinyasi_bayar"},
		{"pemasaran_terlambat", "select count(*) from konsinyasi_terlambat where selesai_at is null"},
	}
	if err := e.App.ReadTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		for _, c := range counts {
			var n int64
			if err := tx.QueryRow(ctx, c.sql).Scan(&n); err != nil {
				return fmt.Errorf("%s: %w", c.metric, err)
			}
			e.Metric(c.metric, float64(n))
		}
		return nil
	}); err != nil {
		return err
	}

	// 2. A point's stock at a glance (list-konsinyasi-stok).
	var stokLat Latencies
	var baris atomic.Int64
	if _, err := Run(ctx, o.Concurrency, 10*time.Minute, int64(o.Requests), &stokLat, func(ctx context.Context, i int64) error {
		list, err := svc.Stok(ctx, t, s.titik[i%int64(len(s.titik))].id)
		baris.Add(int64(len(list)))
		return err
	}); err != nil {
		return fmt.Errorf("stok: %w", err)
	}
	e.Metric("stok_titik_p50_ms", stokLat.Quantile(0.5))
	e.Metric("stok_titik_p99_ms", stokLat.Quantile(0.99))
	e.Metric("stok_titik_baris_avg", float64(baris.Load())/float64(o.Requests))

	// 3. A listing's ledger with its balance (get-konsinyasi).
	var bukuLat Latencies
	var gerak atomic.Int64
	if _, err := Run(ctx, o.Concurrency, 10*time.Minute, int64(o.Requests), &bukuLat, func(ctx context.Context, i int64) error {
		b := s.buku[(i*7919)%int64(len(s.buku))]
		k, err := svc.Get(ctx, t, b.titik, b.kurasi)
		gerak.Add(int64(len(k.Gerak)))
		return err
	}); err != nil {
		return fmt.Errorf("buku: %w", err)
	}
	e.Metric("buku_kurasi_p50_ms", bukuLat.Quantile(0.5))
	e.Metric("buku_kurasi_p99_ms", bukuLat.Quantile(0.99))
	e.Metric("buku_kurasi_gerak_avg", float64(gerak.Load())/float64(o.Requests))

	// 4. The office's late-report dashboard (list-konsinyasi-terlambat).
	var dasborLat Latencies
	var operator, terlambat int
	if _, err := Run(ctx, o.Concurrency, 10*time.Minute, int64(max(o.Requests/10, 20)), &dasborLat, func(ctx context.Context, i int64) error {
		d, err := svc.Dasbor(ctx, t)
		if i == 0 {
			operator = len(d)
			for _, op := range d {
				terlambat += op.LaporTerlambat
			}
		}
		return err
	}); err != nil {
		return fmt.Errorf("dasbor: %w", err)
	}
	e.Metric("dasbor_terlambat_p50_ms", dasborLat.Quantile(0.5))
	e.Metric("dasbor_terlambat_p99_ms", dasborLat.Quantile(0.99))
	e.Metric("dasbor_terlambat_operator", float64(operator))
	e.Metric("dasbor_terlambat_lapor", float64(terlambat))

	return nil
}

// cekBuku fails unless every ledger's head equals the sums of its
// movements and settlements.
func cekBuku(ctx context.Context, e *Env, t *tenancy.Tenant, when string) error {
	var bad int
	if err := e.App.ReadTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select count(*) from konsinyasi k
			left join (select kurasi_id,
			       coalesce(sum(jumlah) filter (where jenis = 'terima'), 0) as diterima,
			       coalesce(sum(jumlah) filter (where jenis = 'jual'), 0) as terjual,
			       coalesce(sum(jumlah) filter (where jenis = 'retur'), 0) as dikembalikan,
			       coalesce(sum(jumlah) filter (where jenis = 'kedaluwarsa'), 0) as kedaluwarsa,
			       coalesce(sum(jumlah) filter (where jenis = 'opname'), 0) as selisih,
			       coalesce(sum(bruto), 0) as bruto, coalesce(sum(komisi), 0) as komisi, coalesce(sum(kompensasi), 0) as kompensasi,
			       max(periode_selesai) as lapor_sampai, max(tanggal) filter (where jenis = 'opname') as opname_terakhir
			     from konsinyasi_gerak group by kurasi_id) g on g.kurasi_id = k.kurasi_id
			left join (select kurasi_id, sum(jumlah) as dibayar, max(tutup_sampai) as tutup_sampai from konsinyasi_bayar group by kurasi_id) b
			       on b.kurasi_id = k.kurasi_id
			where (k.diterima, k.terjual, k.dikembalikan, k.kedaluwarsa, k.selisih, k.bruto, k.komisi, k.kompensasi, k.dibayar)
			      is distinct from (g.diterima, g.terjual, g.dikembalikan, g.kedaluwarsa, g.selisih, g.bruto, g.komisi, g.kompensasi, coalesce(b.dibayar, 0))
			   or k.lapor_sampai is distinct from g.lapor_sampai or k.opname_terakhir is distinct from g.opname_terakhir
			   or k.tutup_sampai is distinct from b.tutup_sampai`).Scan(&bad)
	}); err != nil {
		return fmt.Errorf("cek buku: %w", err)
	}
	if bad > 0 {
		return fmt.Errorf("%s: %d ledgers whose totals are not the sums of their movements", when, bad)
	}
	return nil
}

type titikBench struct {
	id        uuid.UUID
	terlambat bool
	biaya     bool // a monthly fee instead of a commission
}

// bukuBench is a seeded ledger as the timed calls need it.
type bukuBench struct {
	titik, kurasi   uuid.UUID
	harga, diTangan int64
}

type pemasaranSeeded struct {
	titik        []titikBench
	buku         []bukuBench
	jual         []bukuBench // their last week unreported, for the timed sales reports
	gerak, bayar int
}

// gerakBench is one seeded movement (kept compact: two years of a
// ledger's weeks are over a hundred of them).
type gerakBench struct {
	kurasi                  int32
	jenis                   string
	tanggal                 time.Time
	jumlah                  int64
	exp, mulai              time.Time // zero: none; selesai is mulai + 6
	bruto, komisi, kompensa int64
	dihitung                int64
	ket                     string
}

type bayarBench struct {
	kurasi         int32
	jumlah         int64
	tanggal, tutup time.Time
}

var pemasaranKategori = []struct {
	kode   string
	nama   string
	pangan bool
	harga  int64
}{
	{"kerajinan", "Tas anyaman pandan", false, 85_000},
	{"fesyen", "Batik tulis", false, 250_000},
	{"makanan_olahan_rumah", "Keripik singkong", true, 15_000},
	{"minuman", "Sirup jahe merah", true, 35_000},
	{"kosmetik", "Sabun sereh", false, 20_000},
}

// seedPemasaran writes the points through the marketing service
// (validation, audit), then products, listings, ledgers, movements and
// settlements by COPY into staging tables and one INSERT ... SELECT each.
// The movements are simulated per ledger with the service's rules — no
// sale beyond what is on hand, the commission per the terms (the monthly
// fee on the first report ending in a month that has gross), a settlement
// never above what is owed closing the periods reported — and each head
// carries the totals of its movements, so the schema's CHECKs hold and
// cekBuku finds nothing.
func seedPemasaran(ctx context.Context, e *Env, t *tenancy.Tenant, kecamatan string, o PemasaranOptions, nJual int) (pemasaranSeeded, error) {
	rng := rand.New(rand.NewPCG(18, 2026))
	var out pemasaranSeeded
	var usaha []uuid.UUID
	if err := e.App.ReadTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `select id from umkm where archived_at is null order by id`)
		if err != nil {
			return err
		}
		usaha, err = pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
		return err
	}); err != nil {
		return out, err
	}
	nProduk := len(usaha) * o.Produk
	if nProduk == 0 || o.Kurasi > nProduk*o.Titik {
		return out, fmt.Errorf("%d listings: more than %d products × %d points", o.Kurasi, nProduk, o.Titik)
	}

	// The points, through the service.
	pem := &pemasaran.Service{DB: e.App, Logger: e.Logger, Now: time.Now}
	if err := e.App.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		jenis := []string{"galeri", "pojok_umkm", "pojok_hotel", "pojok_rumah_sakit", "pojok_sekolah", "ritel_modern"}
		for i := range o.Titik {
			op := pemasaranOperator[i%len(pemasaranOperator)]
			in := pemasaran.TitikInput{Jenis: jenis[i%len(jenis)], Nama: fmt.Sprintf("Titik UMKM %d", i+1), KecamatanKode: &kecamatan,
				OperatorJenis: op.jenis, Dijaga: i%3 != 0, LaporKadens: "mingguan"}
			if op.nama != "" {
				nama := op.nama
				in.OperatorNama = &nama
			}
			p, err := pem.CreateTitikTx(ctx, tx, t, in, pemasaran.View{})
			if err != nil {
				return err
			}
			out.titik = append(out.titik, titikBench{id: p.ID, terlambat: i%len(pemasaranOperator) == len(pemasaranOperator)-1, biaya: i%4 == 1})
		}
		return nil
	}); err != nil {
		return out, fmt.Errorf("titik: %w", err)
	}

	// The weeks: the last one ended last Sunday. The listings of the timed
	// sales reports (the first nJual of points that report) leave it open.
	today, err := t.Today(time.Now())
	if err != nil {
		return out, err
	}
	senin, _ := konsinyasi.Periode("mingguan", today)
	awal := senin.AddDate(0, 0, -7*o.Minggu)
	now := time.Now()

	type produkBench struct {
		id, umkm uuid.UUID
		kat      int
		harga    int64
	}
	produk := make([]produkBench, 0, nProduk)
	var pRows [][]any
	for _, u := range usaha {
		for j := range o.Produk {
			k := rng.IntN(len(pemasaranKategori))
			c := pemasaranKategori[k]
			p := produkBench{id: uuid.Must(uuid.NewV7()), umkm: u, kat: k, harga: c.harga + int64(rng.IntN(10))*1000}
			produk = append(produk, p)
			pRows = append(pRows, []any{t.ID, p.id, u, fmt.Sprintf("%s %d", c.nama, j+1), c.kode, p.harga, now, now})
		}
	}

	// Listings: product j at point (j + round) mod points, so the points
	// hold as many each and no product is listed twice at one point.
	var kRows, hRows [][]any
	var gerak []gerakBench
	var bayar []bayarBench
	for i := range o.Kurasi {
		p := produk[i%nProduk]
		tb := out.titik[(i%nProduk+i/nProduk)%len(out.titik)]
		kid := uuid.Must(uuid.NewV7())
		kRows = append(kRows, []any{t.ID, kid, tb.id, p.umkm, p.id, "tampil", pemasaranKategori[p.kat].kode, int32(1), awal, awal, now, now})
		var komisiBP *int32
		var biaya *int64
		if tb.biaya {
			biaya = &biayaBulanan
		} else {
			bp := int32(1000 + 500*rng.IntN(3))
			komisiBP = &bp
		}
		lapor := o.Minggu
		switch {
		case tb.terlambat:
			lapor -= mingguTerlambat
		case len(out.jual) < nJual:
			lapor--
		}
		h := simulasiBuku(rng, int32(i), awal, o.Minggu, lapor, today, tb, komisiBP, p.harga, pemasaranKategori[p.kat].pangan, &gerak, &bayar)
		hRows = append(hRows, []any{t.ID, kid, tb.id, komisiBP, biaya, h.diterima, h.terjual, h.dikembalikan, h.kedaluwarsa, h.selisih,
			h.bruto, h.komisi, h.kompensasi, h.dibayar, h.laporSampai, h.tutupSampai, h.opname, h.terbuka, h.version, now, now})
		b := bukuBench{titik: tb.id, kurasi: kid, harga: p.harga, diTangan: h.diTangan()}
		out.buku = append(out.buku, b)
		if !tb.terlambat && len(out.jual) < nJual {
			out.jual = append(out.jual, b)
		}
	}
	ids := make([]uuid.UUID, len(out.buku))
	for i, b := range out.buku {
		ids[i] = b.kurasi
	}
	err = e.App.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if err := copyInsert(ctx, tx, "produk", []string{"tenant_id", "id", "umkm_id", "nama", "kategori", "harga", "created_at", "updated_at"}, pRows); err != nil {
			return err
		}
		if err := copyInsert(ctx, tx, "titik_kurasi", []string{"tenant_id", "id", "titik_id", "umkm_id", "produk_id", "status", "aturan_kategori",
			"aturan_versi", "tanggal_putusan", "tampil_mulai", "created_at", "updated_at"}, kRows); err != nil {
			return err
		}
		if err := copyInsert(ctx, tx, "konsinyasi", []string{"tenant_id", "kurasi_id", "titik_id", "komisi_bp", "biaya_bulanan", "diterima", "terjual",
			"dikembalikan", "kedaluwarsa", "selisih", "bruto", "komisi", "kompensasi", "dibayar", "lapor_sampai", "tutup_sampai", "opname_terakhir",
			"selisih_terbuka", "version", "created_at", "updated_at"}, hRows); err != nil {
			return err
		}
		if err := copyInsertFunc(ctx, tx, "konsinyasi_gerak", []string{"tenant_id", "id", "kurasi_id", "jenis", "tanggal", "jumlah", "batch",
			"tanggal_kedaluwarsa", "periode_mulai", "periode_selesai", "bruto", "komisi", "sumber", "kompensasi", "dihitung", "keterangan", "created_at"},
			len(gerak), func(i int) []any {
				g := gerak[i]
				row := []any{t.ID, uuid.Must(uuid.NewV7()), ids[g.kurasi], g.jenis, g.tanggal, g.jumlah, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, now}
				switch g.jenis {
				case "terima":
					row[6] = fmt.Sprintf("B-%s", g.tanggal.Format("060102"))
					if !g.exp.IsZero() {
						row[7] = g.exp
					}
				case "jual":
					row[8], row[9], row[10], row[11], row[12] = g.mulai, g.mulai.AddDate(0, 0, 6), g.bruto, g.komisi, "mandiri"
				case "kedaluwarsa":
					row[13] = g.kompensa
				case "opname":
					row[14] = g.dihitung
				}
				if g.ket != "" {
					row[15] = g.ket
				}
				return row
			}); err != nil {
			return err
		}
		return copyInsertFunc(ctx, tx, "konsinyasi_bayar", []string{"tenant_id", "id", "kurasi_id", "jumlah", "tanggal", "nomor_bukti", "tutup_sampai", "created_at"},
			len(bayar), func(i int) []any {
				b := bayar[i]
				return []any{t.ID, uuid.Must(uuid.NewV7()), ids[b.kurasi], b.jumlah, b.tanggal, fmt.Sprintf("TRF-%d-%d", b.kurasi, i), b.tutup, now}
			})
	})
	out.gerak, out.bayar = len(gerak), len(bayar)
	return out, err
}

// kepala is a ledger's head as its movements leave it.
type kepala struct {
	diterima, terjual, dikembalikan, kedaluwarsa, selisih int64
	bruto, komisi, kompensasi, dibayar                    int64
	laporSampai, tutupSampai, opname                      *time.Time
	terbuka                                               bool
	version                                               int64
}

func (h *kepala) diTangan() int64 {
	return h.diterima - h.terjual - h.dikembalikan - h.kedaluwarsa + h.selisih
}

// simulasiBuku appends one ledger's movements over the first lapor of
// weeks weeks from awal and its settlements, and answers its head. The
// late partner's points have stopped settling for 2 × mingguTerlambat
// weeks.
func simulasiBuku(rng *rand.Rand, k int32, awal time.Time, weeks, lapor int, today time.Time, tb titikBench, komisiBP *int32, harga int64, pangan bool, gerak *[]gerakBench, bayar *[]bayarBench) kepala {
	h := kepala{version: 1}
	charged := map[time.Month]int{} // month → year charged (fee terms)
	add := func(g gerakBench) {
		g.kurasi = k
		*gerak = append(*gerak, g)
		h.version++
	}
	terima := func(d time.Time, n int64) {
		g := gerakBench{jenis: "terima", tanggal: d, jumlah: n}
		if pangan {
			g.exp = d.AddDate(0, 6, 0)
		}
		add(g)
		h.diterima += n
	}
	terima(awal, int64(20+rng.IntN(40)))
	for w := range lapor {
		mulai := awal.AddDate(0, 0, 7*w)
		selesai := mulai.AddDate(0, 0, 6)
		dilapor := selesai.AddDate(0, 0, 1+rng.IntN(3))
		if dilapor.After(today) {
			dilapor = today
		}
		if w > 0 && h.diTangan() < 8 {
			terima(mulai, int64(20+rng.IntN(30)))
		}
		n := min(int64(rng.IntN(7)), h.diTangan())
		bruto := n * harga
		var komisi int64
		if komisiBP == nil {
			if charged[selesai.Month()] != selesai.Year() {
				komisi = min(biayaBulanan, bruto)
				if komisi > 0 {
					charged[selesai.Month()] = selesai.Year()
				}
			}
		} else {
			komisi = bruto * int64(*komisiBP) / 10000
		}
		add(gerakBench{jenis: "jual", tanggal: dilapor, jumlah: n, mulai: mulai, bruto: bruto, komisi: komisi})
		h.terjual += n
		h.bruto += bruto
		h.komisi += komisi
		s := selesai
		h.laporSampai = &s
		switch {
		case pangan && w%26 == 25 && h.diTangan() > 2:
			n := int64(1 + rng.IntN(2))
			add(gerakBench{jenis: "kedaluwarsa", tanggal: dilapor, jumlah: n, kompensa: n * harga / 2, ket: "Lewat tanggal kedaluwarsa"})
			h.kedaluwarsa += n
			h.kompensasi += n * harga / 2
		case rng.IntN(100) == 0 && h.diTangan() > 3:
			n := int64(1 + rng.IntN(3))
			add(gerakBench{jenis: "retur", tanggal: dilapor, jumlah: n, ket: "Kemasan rusak"})
			h.dikembalikan += n
		}
		if w%13 == 12 {
			var v int64
			ket := ""
			if rng.IntN(10) == 0 && h.diTangan() > 0 {
				v = -1
				if rng.IntN(2) == 0 {
					ket = "Hilang dari rak"
				}
			}
			add(gerakBench{jenis: "opname", tanggal: dilapor, jumlah: v, dihitung: h.diTangan() + v})
			(*gerak)[len(*gerak)-1].ket = ket
			h.selisih += v
			d := dilapor
			h.opname = &d
			h.terbuka = v != 0 && ket == ""
		}
		// A settlement every four weeks of what is owed; the late partner
		// has not settled for twice its silence.
		if w%4 == 3 && (!tb.terlambat || w < weeks-2*mingguTerlambat) {
			if owed := h.bruto - h.komisi + h.kompensasi - h.dibayar; owed > 0 {
				*bayar = append(*bayar, bayarBench{kurasi: k, jumlah: owed, tanggal: dilapor, tutup: selesai})
				h.dibayar += owed
				tutup := selesai
				h.tutupSampai = &tutup
				h.version++
			}
		}
	}
	return h
}

// copyInsertFunc is copyInsert for n rows made on demand (a million
// movements are not held as []any).
func copyInsertFunc(ctx context.Context, tx pgx.Tx, table string, cols []string, n int, row func(int) []any) error {
	i := 0
	return copyInsertSource(ctx, tx, table, cols, pgx.CopyFromFunc(func() ([]any, error) {
		if i >= n {
			return nil, nil
		}
		i++
		return row(i - 1), nil
	}))
}

// copyInsertSource writes src into table through a staging copy (COPY into
// a table under row-level security is refused; the INSERT from the copy is
// checked by the policy as any other).
func copyInsertSource(ctx context.Context, tx pgx.Tx, table string, cols []string, src pgx.CopyFromSource) error {
	stage := table + "_bench"
	if _, err := tx.Exec(ctx, `create temp table `+stage+` (like `+table+` including defaults) on commit drop`); err != nil {
		return err
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{stage}, cols, src); err != nil {
		return fmt.Errorf("copy %s: %w", table, err)
	}
	list := strings.Join(cols, ", ")
	if _, err := tx.Exec(ctx, "insert into "+table+" ("+list+") select "+list+" from "+stage); err != nil {
		return fmt.Errorf("insert %s: %w", table, err)
	}
	return nil
}
