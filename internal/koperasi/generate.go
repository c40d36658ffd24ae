package koperasi

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/sentra-id/sentra/internal/tenancy"
)

// Generator makes realistic cooperatives for a tenant, for the demo, the
// benchmark and tests: real kecamatan and kelurahan codes of the tenant,
// mostly KSU (seed 002: they must move to the five types) with one to six
// business units and their yearly volumes, savings-and-loan units with
// their close or open loop, some cooperatives already typed, some without
// any unit data, a few inactive. Deterministic for a seed.
type Generator struct {
	rng     *rand.Rand
	regions []genRegion
	year    int // the latest year with volumes (last year: this year's books are not closed)
	opts    GenOptions
	nik     int
}

type genRegion struct{ kelurahan, kecamatan string }

// GenOptions shape what is generated.
type GenOptions struct {
	// SemuaKSU: every cooperative an active KSU without jenis, with 1–6
	// units that all have volumes (the benchmark's population).
	SemuaKSU bool
}

// GenKoperasi is one generated cooperative.
type GenKoperasi struct {
	ID                uuid.UUID
	Nama              string
	NIK               *string
	BadanHukumNomor   string
	BadanHukumTanggal time.Time
	Kelompok          *string
	Jenis             *string
	Sektor            string
	KecamatanKode     string
	KelurahanKode     string
	AnggotaLaki       int
	AnggotaPerempuan  int
	Karyawan          int
	Aktif             bool
	UnitToko          bool
	PembukuanDigital  bool
	RATTerakhir       *time.Time
	Units             []GenUnit
}

// GenUnit is one generated business unit.
type GenUnit struct {
	ID        uuid.UUID
	Kind      UnitKind
	Nama      string
	Pola      *string
	PolaSejak *time.Time
	Volume    map[int]int64
}

// NewGenerator builds a generator over a tenant's desa/kelurahan
// (kelurahan code → kecamatan code).
func NewGenerator(seed uint64, year int, kelurahan map[string]string, opts GenOptions) *Generator {
	g := &Generator{rng: rand.New(rand.NewPCG(seed, seed^0x6b0b)), year: year, opts: opts}
	for kel, kec := range kelurahan {
		g.regions = append(g.regions, genRegion{kel, kec})
	}
	// Map order is random; the seed must decide everything.
	for i := 1; i < len(g.regions); i++ {
		for j := i; j > 0 && g.regions[j].kelurahan < g.regions[j-1].kelurahan; j-- {
			g.regions[j], g.regions[j-1] = g.regions[j-1], g.regions[j]
		}
	}
	return g
}

type weighted[T any] struct {
	v T
	w float64
}

func pickWeighted[T any](r *rand.Rand, list []weighted[T]) T {
	total := 0.0
	for _, x := range list {
		total += x.w
	}
	x := r.Float64() * total
	for _, it := range list {
		if x < it.w {
			return it.v
		}
		x -= it.w
	}
	return list[len(list)-1].v
}

var (
	genKelompok = []weighted[string]{{"ksu", 55}, {"kpri", 10}, {"kopkar", 8}, {"kud", 7}, {"kopwan", 7}, {"kopontren", 5}, {"kdmp", 5}, {"lainnya", 3}}
	// Unit kinds of a KSU: savings and loans and a shop dominate (seed 002).
	genUnitKind = []weighted[UnitKind]{
		{"simpan_pinjam", 28}, {"waserda", 14}, {"toko", 10}, {"sembako", 7},
		{"produksi", 4}, {"pengolahan", 3}, {"kerajinan", 2}, {"pertanian", 3}, {"peternakan", 2}, {"perikanan", 1},
		{"pemasaran_hasil", 6},
		{"transportasi", 4}, {"travel_umroh", 3}, {"klinik", 2}, {"apotek", 1}, {"listrik", 1}, {"wisata", 1}, {"rental", 2}, {"logistik", 1}, {"jasa_lain", 2},
		{"lainnya", 3},
	}
	// Yearly volume ranges per type (rupiah): loans are the largest.
	genVolume = map[Jenis][2]float64{
		JenisSimpanPinjam: {100e6, 15e9}, JenisKonsumen: {50e6, 4e9}, JenisProdusen: {20e6, 2e9},
		JenisPemasaran: {30e6, 3e9}, JenisJasa: {10e6, 1.5e9},
	}
	genKata     = []string{"Sejahtera", "Makmur", "Mandiri", "Bersama", "Maju Jaya", "Sentosa", "Berkah", "Amanah", "Mulia", "Harapan", "Karya", "Usaha Bersama", "Bina Usaha", "Tunas Harapan", "Sumber Rezeki", "Mitra Usaha", "Al-Ikhlas", "Al-Falah", "Bhakti", "Merah Putih"}
	genInstansi = []string{"Guru SD", "Dinas Kesehatan", "Pegawai Kecamatan", "Puskesmas", "RSUD", "Pegawai Kelurahan", "Guru SMP", "Kantor Pajak", "Polres", "Pegawai Pemda"}
	genPabrik   = []string{"PT Sinar Abadi", "PT Karya Teknik", "PT Mitra Tekstil", "PT Sumber Plastik", "PT Tirta Makmur", "PT Global Elektrik"}
	genSektor   = map[string]string{"ksu": "multi usaha", "kpri": "jasa keuangan", "kopkar": "perdagangan", "kud": "pertanian",
		"kopwan": "jasa keuangan", "kopontren": "perdagangan", "kdmp": "perdagangan", "lainnya": "lainnya"}
	genUnitNama = map[UnitKind]string{"simpan_pinjam": "Unit Simpan Pinjam", "waserda": "Waserda", "toko": "Toko Koperasi",
		"sembako": "Toko Sembako", "produksi": "Unit Produksi", "pengolahan": "Pengolahan Hasil", "kerajinan": "Kerajinan Anggota",
		"pertanian": "Saprotan", "peternakan": "Peternakan", "perikanan": "Perikanan", "pemasaran_hasil": "Pemasaran Hasil Anggota",
		"transportasi": "Angkutan", "travel_umroh": "Travel Umroh", "klinik": "Klinik Pratama", "apotek": "Apotek", "listrik": "Pembayaran Listrik",
		"wisata": "Wisata", "rental": "Rental Kendaraan", "logistik": "Logistik", "jasa_lain": "Jasa Fotokopi", "lainnya": "Usaha Lain"}
)

func (g *Generator) chance(p float64) bool { return g.rng.Float64() < p }

func (g *Generator) money(lo, hi float64) int64 {
	v := math.Exp(math.Log(lo) + g.rng.Float64()*(math.Log(hi)-math.Log(lo)))
	return int64(v/1000) * 1000
}

func (g *Generator) date(fromYear, toYear int) time.Time {
	y := fromYear + g.rng.IntN(toYear-fromYear+1)
	return time.Date(y, time.Month(1+g.rng.IntN(12)), 1+g.rng.IntN(28), 0, 0, 0, 0, time.UTC)
}

// Next returns one cooperative with its units.
func (g *Generator) Next() GenKoperasi {
	r := g.regions[g.rng.IntN(len(g.regions))]
	kelompok := "ksu"
	if !g.opts.SemuaKSU {
		kelompok = pickWeighted(g.rng, genKelompok)
	}
	k := GenKoperasi{ID: uuid.Must(uuid.NewV7()), Kelompok: &kelompok, Sektor: genSektor[kelompok],
		KecamatanKode: r.kecamatan, KelurahanKode: r.kelurahan,
		AnggotaLaki: 10 + g.rng.IntN(800), AnggotaPerempuan: 10 + g.rng.IntN(800), Karyawan: g.rng.IntN(25),
		Aktif: true, PembukuanDigital: g.chance(0.35)}
	kata := genKata[g.rng.IntN(len(genKata))]
	switch kelompok {
	case "ksu":
		k.Nama = "Koperasi Serba Usaha " + kata
	case "kpri":
		k.Nama = "KPRI " + genInstansi[g.rng.IntN(len(genInstansi))]
	case "kopkar":
		k.Nama = "Kopkar " + genPabrik[g.rng.IntN(len(genPabrik))]
	case "kud":
		k.Nama = "KUD " + kata
	case "kopwan":
		k.Nama = "Kopwan " + kata
	case "kopontren":
		k.Nama = "Kopontren " + kata
	case "kdmp":
		k.Nama = "Koperasi Kelurahan Merah Putih " + kata
	default:
		k.Nama = "Koperasi " + kata
	}
	if g.chance(0.02) {
		k.Nama = strings.ToUpper(k.Nama) // office data as typed
	}
	bh := g.date(1985, g.year)
	k.BadanHukumTanggal = bh
	if bh.Year() >= 2013 {
		k.BadanHukumNomor = fmt.Sprintf("AHU-%07d.AH.01.26.TAHUN %d", g.rng.IntN(9_999_999)+1, bh.Year())
	} else {
		k.BadanHukumNomor = fmt.Sprintf("%d/BH/XIII.%d/%d", 100+g.rng.IntN(900), 1+g.rng.IntN(9), bh.Year())
	}
	if g.chance(0.45) {
		g.nik++
		nik := strings.ReplaceAll(r.kecamatan, ".", "") + fmt.Sprintf("%07d", g.nik)
		k.NIK = &nik
	}
	if g.chance(0.8) {
		d := g.date(g.year-3, g.year)
		k.RATTerakhir = &d
	}
	if !g.opts.SemuaKSU {
		// Typed already: most non-KSU groupings map to an obvious type; a
		// few KSU were reclassified by hand before Sentra.
		typed := map[string][]Jenis{"kpri": {JenisSimpanPinjam, JenisKonsumen}, "kopkar": {JenisKonsumen, JenisSimpanPinjam},
			"kud": {JenisProdusen, JenisPemasaran}, "kopwan": {JenisSimpanPinjam}, "kopontren": {JenisKonsumen, JenisJasa},
			"kdmp": {JenisKonsumen}, "lainnya": {JenisJasa}, "ksu": AllJenis}
		p := 0.6
		if kelompok == "ksu" {
			p = 0.08
		}
		if g.chance(p) {
			opts := typed[kelompok]
			j := string(opts[g.rng.IntN(len(opts))])
			k.Jenis = &j
		}
		k.Aktif = g.chance(0.9)
	}
	// Units: a KSU runs 1–6, other groupings 1–3; some offices never
	// recorded any, or recorded units without volumes.
	n := 1 + g.rng.IntN(3)
	if kelompok == "ksu" {
		n = 1 + g.rng.IntN(6)
	}
	noVolumes := false
	if !g.opts.SemuaKSU {
		switch {
		case g.chance(0.10):
			n = 0
		case g.chance(0.05):
			noVolumes = true
		}
	}
	// A few KSU are dominated by one activity, most are mixed.
	dominant := UnitKind("")
	if g.chance(0.45) {
		dominant = pickWeighted(g.rng, genUnitKind)
	}
	for i := range n {
		kind := pickWeighted(g.rng, genUnitKind)
		if i == 0 && dominant != "" {
			kind = dominant
		}
		u := GenUnit{ID: uuid.Must(uuid.NewV7()), Kind: kind, Nama: genUnitNama[kind], Volume: map[int]int64{}}
		if kind == "toko" || kind == "waserda" || kind == "sembako" {
			k.UnitToko = true
		}
		if kind == "simpan_pinjam" && g.chance(0.85) {
			pola := "close_loop"
			if g.chance(0.2) {
				pola = "open_loop"
			}
			since := g.date(2018, g.year)
			u.Pola, u.PolaSejak = &pola, &since
		}
		if !noVolumes {
			rng := genVolume[UnitJenis[kind]]
			if kind == "lainnya" {
				rng = [2]float64{5e6, 5e8}
			}
			v := g.money(rng[0], rng[1])
			if i == 0 && dominant != "" {
				v *= 3
			}
			years := 1 + g.rng.IntN(3)
			for y := range years {
				u.Volume[g.year-y] = int64(float64(v) * math.Pow(0.9+g.rng.Float64()*0.15, float64(y)))
			}
			if !g.opts.SemuaKSU && years > 1 && g.chance(0.1) {
				delete(u.Volume, g.year) // this year's figure not reported yet
			}
		}
		k.Units = append(k.Units, u)
	}
	return k
}

// Seed fills tenant t with n generated cooperatives, in batches of set-based
// inserts. It reads the tenant's regions from the wilayah table.
func (s *Service) Seed(ctx context.Context, t *tenancy.Tenant, n int, seed uint64, opts GenOptions) error {
	var regions map[string]string
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `select kode, parent_kode from wilayah where level = 'desa_kelurahan'`)
		if err != nil {
			return err
		}
		regions = map[string]string{}
		var kel, kec string
		_, err = pgx.ForEachRow(rows, []any{&kel, &kec}, func() error { regions[kel] = kec; return nil })
		return err
	})
	if err != nil {
		return fmt.Errorf("seed koperasi regions: %w", err)
	}
	if len(regions) == 0 {
		return fmt.Errorf("seed koperasi: tenant %s has no desa/kelurahan", t.ID)
	}
	g := NewGenerator(seed, s.Now().Year()-1, regions, opts)
	const batch = 2000
	for done := 0; done < n; done += batch {
		list := make([]GenKoperasi, min(batch, n-done))
		for i := range list {
			list[i] = g.Next()
		}
		if err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error { return InsertGenerated(ctx, tx, t.ID, list) }); err != nil {
			return fmt.Errorf("seed koperasi: %w", err)
		}
	}
	return nil
}

// InsertGenerated writes generated cooperatives, their units and volumes
// in tx (a tenant transaction), one statement per table.
func InsertGenerated(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, list []GenKoperasi) error {
	var (
		id                              []pgtype.UUID
		nama, bhNomor, kec, kel, sektor []string
		nik, kelompok, jenis            []*string
		bhTanggal                       []time.Time
		rat                             []*time.Time
		laki, perempuan, karyawan       []int32
		aktif, toko, digital            []bool
		uid, ukop                       []pgtype.UUID
		ukind, unama                    []string
		upola                           []*string
		usejak                          []*time.Time
		vunit                           []pgtype.UUID
		vtahun                          []int16
		vvol                            []int64
	)
	for _, k := range list {
		kid := pgtype.UUID{Bytes: k.ID, Valid: true}
		id, nama, nik, bhNomor, bhTanggal = append(id, kid), append(nama, k.Nama), append(nik, k.NIK), append(bhNomor, k.BadanHukumNomor), append(bhTanggal, k.BadanHukumTanggal)
		kelompok, jenis, sektor, kec, kel = append(kelompok, k.Kelompok), append(jenis, k.Jenis), append(sektor, k.Sektor), append(kec, k.KecamatanKode), append(kel, k.KelurahanKode)
		laki, perempuan, karyawan = append(laki, int32(k.AnggotaLaki)), append(perempuan, int32(k.AnggotaPerempuan)), append(karyawan, int32(k.Karyawan))
		aktif, toko, digital, rat = append(aktif, k.Aktif), append(toko, k.UnitToko), append(digital, k.PembukuanDigital), append(rat, k.RATTerakhir)
		for _, u := range k.Units {
			unitID := pgtype.UUID{Bytes: u.ID, Valid: true}
			uid, ukop, ukind, unama, upola, usejak = append(uid, unitID), append(ukop, kid), append(ukind, string(u.Kind)), append(unama, u.Nama), append(upola, u.Pola), append(usejak, u.PolaSejak)
			for y, v := range u.Volume {
				vunit, vtahun, vvol = append(vunit, unitID), append(vtahun, int16(y)), append(vvol, v)
			}
		}
	}
	if _, err := tx.Exec(ctx, `insert into koperasi (tenant_id, id, nama, nik_koperasi, badan_hukum_nomor, badan_hukum_tanggal, kelompok, jenis,
			sektor, kecamatan_kode, kelurahan_kode, anggota_laki, anggota_perempuan, karyawan, aktif, unit_toko, pembukuan_digital, rat_terakhir)
		select $1, x.* from unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::date[], $7::text[], $8::text[], $9::text[], $10::text[],
			$11::text[], $12::int4[], $13::int4[], $14::int4[], $15::bool[], $16::bool[], $17::bool[], $18::date[]) as x`,
		tenantID, id, nama, nik, bhNomor, bhTanggal, kelompok, jenis, sektor, kec, kel, laki, perempuan, karyawan, aktif, toko, digital, rat); err != nil {
		return fmt.Errorf("insert koperasi: %w", err)
	}
	if _, err := tx.Exec(ctx, `insert into koperasi_unit (tenant_id, id, koperasi_id, jenis_unit, nama, pola_simpan_pinjam, pola_sejak)
		select $1, x.* from unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::date[]) as x`,
		tenantID, uid, ukop, ukind, unama, upola, usejak); err != nil {
		return fmt.Errorf("insert koperasi_unit: %w", err)
	}
	if _, err := tx.Exec(ctx, `insert into koperasi_unit_volume (tenant_id, unit_id, tahun, volume)
		select $1, x.* from unnest($2::uuid[], $3::int2[], $4::int8[]) as x`, tenantID, vunit, vtahun, vvol); err != nil {
		return fmt.Errorf("insert koperasi_unit_volume: %w", err)
	}
	return nil
}
