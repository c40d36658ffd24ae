package umkm

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/tenancy"
)

// Generator makes realistic register data for a tenant: for the demo, the
// benchmarks and tests. Distributions follow the seeds and national
// figures: nearly all businesses mikro; kuliner, fashion and kerajinan the
// largest sectors; most owners women; real kecamatan and kelurahan codes;
// and some dirt (missing figures, a reported size that disagrees).
type Generator struct {
	rng       *rand.Rand
	kabKota   string // "3276"
	kelurahan []kelRef
	weights   []float64
	total     float64
	year      int
	niks      map[string]bool
	nibs      map[string]bool
	keys      map[string]bool // name|owner|kelurahan: one business each
}

type kelRef struct{ kode, parent string }

// NewGenerator builds a generator over a tenant's regions, deterministic for
// a seed.
func NewGenerator(seed uint64, kemendagriCode string, year int, regions map[string]string) *Generator {
	g := &Generator{rng: rand.New(rand.NewPCG(seed, seed^0x5e47a)), kabKota: strings.ReplaceAll(kemendagriCode, ".", ""),
		year: year, niks: map[string]bool{}, nibs: map[string]bool{}, keys: map[string]bool{}}
	for kode, parent := range regions {
		g.kelurahan = append(g.kelurahan, kelRef{kode, parent})
	}
	// Stable order, then uneven sizes: some kelurahan are much busier.
	sortKel(g.kelurahan)
	for range g.kelurahan {
		w := 0.3 + g.rng.Float64()*1.7
		g.weights = append(g.weights, w)
		g.total += w
	}
	return g
}

func sortKel(k []kelRef) {
	for i := 1; i < len(k); i++ {
		for j := i; j > 0 && k[j].kode < k[j-1].kode; j-- {
			k[j], k[j-1] = k[j-1], k[j]
		}
	}
}

var (
	sectorWeights = []struct {
		s string
		w float64
	}{{"kuliner", 38}, {"fashion", 15}, {"kerajinan", 11}, {"perdagangan", 12}, {"jasa", 9}, {"kecantikan", 3},
		{"pertanian", 4}, {"peternakan", 2}, {"perikanan", 1.5}, {"otomotif", 2}, {"teknologi", 1}, {"pendidikan", 0.5}, {"lainnya", 1}}
	women   = []string{"Siti", "Nur", "Dewi", "Sri", "Rina", "Yuli", "Ani", "Wati", "Ratna", "Fitri", "Lina", "Eka", "Ayu", "Indah", "Rahma", "Nia", "Dian", "Maya", "Tuti", "Endang", "Yanti", "Lestari", "Rosmawati", "Masnah"}
	men     = []string{"Budi", "Agus", "Ahmad", "Joko", "Rudi", "Dedi", "Andi", "Hendra", "Bambang", "Yusuf", "Rizki", "Dodi", "Iwan", "Hadi", "Slamet", "Eko", "Fajar", "Arif", "Taufik", "Wahyu", "Asep", "Ujang", "Darwin", "Parlindungan"}
	family  = []string{"Santoso", "Hidayat", "Saputra", "Pratama", "Wijaya", "Kurniawan", "Setiawan", "Rahman", "Nugroho", "Permana", "Suryana", "Hermawan", "Siregar", "Nasution", "Harahap", "Lubis", "Sembiring", "Ginting", "Hasibuan", "Simanjuntak", "Sumarna", "Maulana"}
	good    = []string{"Berkah", "Jaya", "Makmur", "Sejahtera", "Barokah", "Mandiri", "Sentosa", "Lestari", "Abadi", "Indah", "Amanah", "Rizki", "Mulia", "Sehati"}
	streets = []string{"Jl. Margonda", "Jl. Merdeka", "Jl. Pahlawan", "Jl. Melati", "Jl. Mawar", "Jl. Kenanga", "Jl. Masjid", "Jl. Pasar", "Gg. Damai", "Jl. Raya", "Jl. Veteran", "Jl. Sudirman"}
	names   = map[string][]string{
		"kuliner":     {"Keripik Singkong %s", "Warung Makan %s", "Kue Kering %s", "Sambal %s", "Bakso %s", "Kopi %s", "Dapur %s", "Catering %s", "Dodol %s", "Rendang %s", "Roti %s", "Tahu Tempe %s"},
		"fashion":     {"Konveksi %s", "Batik %s", "Butik %s", "Hijab %s", "Jahit %s", "Sepatu Kulit %s"},
		"kerajinan":   {"Kerajinan Bambu %s", "Anyaman %s", "Souvenir %s", "Ukiran %s", "Tas Rajut %s"},
		"perdagangan": {"Toko Kelontong %s", "Warung Sembako %s", "Grosir %s", "Agen Pulsa %s"},
		"jasa":        {"Laundry %s", "Bengkel Jahit %s", "Servis Elektronik %s", "Percetakan %s", "Fotokopi %s"},
		"kecantikan":  {"Salon %s", "Spa %s", "Kosmetik Herbal %s"},
		"pertanian":   {"Tani %s", "Hidroponik %s", "Bibit %s"},
		"peternakan":  {"Ternak Ayam %s", "Susu Kambing %s", "Telur %s"},
		"perikanan":   {"Lele %s", "Ikan Hias %s"},
		"otomotif":    {"Bengkel Motor %s", "Cuci Motor %s"},
		"teknologi":   {"Digital %s", "Aplikasi %s"},
		"pendidikan":  {"Les Privat %s", "Kursus Jahit %s"},
		"lainnya":     {"Usaha %s"},
	}
)

func (g *Generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

func (g *Generator) chance(p float64) bool { return g.rng.Float64() < p }

func (g *Generator) region() kelRef {
	x := g.rng.Float64() * g.total
	for i, w := range g.weights {
		if x < w {
			return g.kelurahan[i]
		}
		x -= w
	}
	return g.kelurahan[len(g.kelurahan)-1]
}

func (g *Generator) money(lo, hi float64) int64 {
	// log-uniform, rounded to thousands as people report it
	v := math.Exp(math.Log(lo) + g.rng.Float64()*(math.Log(hi)-math.Log(lo)))
	return int64(v/1000) * 1000
}

func ptr[T any](v T) *T { return &v }

// Next returns one business and its open constraint categories. No two
// share business name, owner and kelurahan (the importer's natural key).
func (g *Generator) Next() (Input, []string) {
	for {
		in, kendala := g.next()
		key := in.NamaUsaha + "|" + in.NamaPemilik + "|" + in.KelurahanKode
		if !g.keys[key] {
			g.keys[key] = true
			return in, kendala
		}
	}
}

func (g *Generator) next() (Input, []string) {
	var in Input
	female := g.chance(0.6)
	first := g.pick(men)
	if female {
		first = g.pick(women)
	}
	in.NamaPemilik = first + " " + g.pick(family)
	switch {
	case g.chance(0.02): // unknown, not "male"
	case female:
		in.JenisKelamin = ptr("P")
	default:
		in.JenisKelamin = ptr("L")
	}
	x := g.rng.Float64() * 100
	for _, sw := range sectorWeights {
		if x < sw.w {
			in.Sektor = sw.s
			break
		}
		x -= sw.w
	}
	if in.Sektor == "" {
		in.Sektor = "lainnya"
	}
	label := first
	if g.chance(0.5) {
		label = g.pick(good)
	} else if female {
		label = "Bu " + first
	} else {
		label = "Pak " + first
	}
	in.NamaUsaha = fmt.Sprintf(g.pick(names[in.Sektor]), label)
	r := g.region()
	in.KecamatanKode, in.KelurahanKode = r.parent, r.kode
	if g.chance(0.8) {
		in.NIK = ptr(g.nik(r.parent, female))
	}
	if g.chance(0.85) {
		in.Telepon = ptr(fmt.Sprintf("08%d%08d", 11+g.rng.IntN(89), g.rng.IntN(100_000_000)))
	}
	if g.chance(0.7) {
		in.Alamat = ptr(fmt.Sprintf("%s No. %d", g.pick(streets), 1+g.rng.IntN(150)))
		in.RT, in.RW = ptr(fmt.Sprintf("%03d", 1+g.rng.IntN(15))), ptr(fmt.Sprintf("%03d", 1+g.rng.IntN(12)))
	}
	// Size: ~93% mikro, 5% kecil, 1.5% menengah, 0.5% besar, by annual sales.
	var omzet, modal int64
	var emp int
	switch y := g.rng.Float64(); {
	case y < 0.93:
		omzet, modal, emp = g.money(12e6, 1.9e9), g.money(2e6, 3e8), g.rng.IntN(5)
	case y < 0.98:
		omzet, modal, emp = g.money(2.1e9, 15e9), g.money(3e8, 4e9), 5+g.rng.IntN(15)
	case y < 0.995:
		omzet, modal, emp = g.money(15.1e9, 50e9), g.money(4e9, 9e9), 20+g.rng.IntN(80)
	default:
		omzet, modal, emp = g.money(51e9, 2e11), g.money(1e10, 5e10), 100+g.rng.IntN(300)
	}
	if g.chance(0.85) {
		in.OmzetTahunan = ptr(omzet)
	}
	if g.chance(0.7) {
		in.ModalUsaha = ptr(modal)
	}
	if g.chance(0.9) {
		women := g.rng.IntN(emp + 1)
		in.KaryawanPerempuan, in.KaryawanLaki = ptr(women), ptr(emp-women)
	}
	in.TahunMulai = ptr(g.year - int(math.Abs(g.rng.NormFloat64()*7)))
	if *in.TahunMulai < 1970 {
		in.TahunMulai = ptr(1970 + g.rng.IntN(20))
	}
	if g.chance(0.3) {
		in.StatusBinaan = ptr("binaan")
	}
	in.SaluranPenjualan = []string{}
	if g.chance(0.9) {
		in.SaluranPenjualan = append(in.SaluranPenjualan, "offline")
	}
	for _, c := range []struct {
		ch string
		p  float64
	}{{"shopee", 0.25}, {"tokopedia", 0.15}, {"media_sosial", 0.35}, {"tiktok_shop", 0.08}, {"ritel_modern", 0.03}} {
		if g.chance(c.p) {
			in.SaluranPenjualan = append(in.SaluranPenjualan, c.ch)
		}
	}
	if in.Sektor == "kuliner" && g.chance(0.3) {
		in.SaluranPenjualan = append(in.SaluranPenjualan, g.pick([]string{"gofood", "grabfood", "shopeefood"}))
	}
	if g.chance(0.35) {
		nib := g.nib()
		in.NIB = &nib
		in.Legalitas = append(in.Legalitas, LegalInput{Jenis: LegalNIB, Nomor: &nib, Status: StatusTerbit})
	}
	if in.Sektor == "kuliner" {
		if g.chance(0.25) {
			expiry := (g.year + 1 + g.rng.IntN(4)) % 100 // P-IRT: last two digits are the expiry year
			in.Legalitas = append(in.Legalitas, LegalInput{Jenis: LegalPIRT, Status: StatusTerbit,
				Nomor: ptr(fmt.Sprintf("%d%012d%02d", 2+g.rng.IntN(3), g.rng.Int64N(1e12), expiry))})
		}
		if g.chance(0.2) {
			in.Legalitas = append(in.Legalitas, LegalInput{Jenis: LegalHalal, Status: StatusTerbit,
				Nomor: ptr(fmt.Sprintf("ID%014d", g.rng.Int64N(1e14)))})
		} else if g.chance(0.1) {
			in.Legalitas = append(in.Legalitas, LegalInput{Jenis: LegalHalal, Status: StatusDalamProses})
		}
	}
	// The owner's own idea of the size: often missing, sometimes wrong.
	if g.chance(0.6) {
		in.SkalaDilaporkan = ptr(SkalaMikro)
		if g.chance(0.1) {
			in.SkalaDilaporkan = ptr(g.pick([]string{SkalaKecil, SkalaMenengah}))
		}
	}
	var kendala []string
	if g.chance(0.4) {
		kendala = append(kendala, g.pick([]string{"permodalan", "permodalan", "pemasaran", "pemasaran", "bahan_baku", "legalitas", "sdm", "teknologi", "perizinan"}))
	}
	return in, kendala
}

func (g *Generator) nik(kecamatan string, female bool) string {
	kec := kecamatan[len(kecamatan)-2:]
	for {
		day := 1 + g.rng.IntN(28)
		if female {
			day += 40
		}
		n := fmt.Sprintf("%s%s%02d%02d%02d%04d", g.kabKota, kec, day, 1+g.rng.IntN(12), g.rng.IntN(100), 1+g.rng.IntN(9998))
		if !g.niks[n] {
			g.niks[n] = true
			return n
		}
	}
}

func (g *Generator) nib() string {
	for {
		n := fmt.Sprintf("%d%012d", 1+g.rng.IntN(9), g.rng.Int64N(1e12))
		if !g.nibs[n] {
			g.nibs[n] = true
			return n
		}
	}
}

// Seed fills tenant t with n generated businesses, in batches, as if
// imported. It skips nothing: the generator's data is valid by construction
// and validated anyway.
func (s *Service) Seed(ctx context.Context, t *tenancy.Tenant, kemendagriCode string, n int, seed uint64) error {
	g, err := s.GeneratorFor(ctx, t, kemendagriCode, seed)
	if err != nil {
		return err
	}
	const batch = 10_000
	for done := 0; done < n; done += batch {
		size := min(batch, n-done)
		err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
			rows := make([]staged, 0, size)
			for range size {
				in, kendala := g.Next()
				r, err := s.prepare(ctx, tx, t, in, "generated")
				if err != nil {
					return fmt.Errorf("generated row invalid: %w", err)
				}
				rows = append(rows, staged{id: uuid.Must(uuid.NewV7()), r: r, kendala: kendala})
			}
			now := s.Now()
			if err := stage(ctx, tx, rows, now); err != nil {
				return err
			}
			_, err := insertStaged(ctx, tx, t.ID, SourceImpor, now)
			return err
		})
		if err != nil {
			return fmt.Errorf("seed %s: %w", t.Slug, err)
		}
	}
	return nil
}

// WriteCSV writes n generated businesses as an import file with the
// template's headers, the way an office would fill it in.
func (g *Generator) WriteCSV(w io.Writer, n int) error {
	cw := csv.NewWriter(w)
	header := make([]string, len(Columns))
	for i, c := range Columns {
		header[i] = c.Label
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	rec := make([]string, len(Columns))
	s := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	num := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	in32 := func(p *int) string {
		if p == nil {
			return ""
		}
		return strconv.Itoa(*p)
	}
	for range n {
		in, _ := g.Next()
		clear(rec)
		var pirt, halal string
		for _, l := range in.Legalitas {
			switch l.Jenis {
			case LegalPIRT:
				pirt = s(l.Nomor)
			case LegalHalal:
				halal = s(l.Nomor)
			}
		}
		vals := map[string]string{
			"nama_pemilik": in.NamaPemilik, "nik": s(in.NIK), "jenis_kelamin": s(in.JenisKelamin), "telepon": s(in.Telepon),
			"nama_usaha": in.NamaUsaha, "sektor": in.Sektor, "alamat": s(in.Alamat), "rt": s(in.RT), "rw": s(in.RW),
			"kecamatan": in.KecamatanKode, "kelurahan": in.KelurahanKode, "modal_usaha": num(in.ModalUsaha),
			"omzet_tahunan": num(in.OmzetTahunan), "karyawan_laki": in32(in.KaryawanLaki),
			"karyawan_perempuan": in32(in.KaryawanPerempuan), "tahun_mulai": in32(in.TahunMulai), "nib": s(in.NIB),
			"status_binaan": s(in.StatusBinaan), "saluran_penjualan": strings.Join(in.SaluranPenjualan, ", "),
			"skala_dilaporkan": s(in.SkalaDilaporkan), "nomor_pirt": pirt, "nomor_halal": halal,
		}
		for i, c := range Columns {
			rec[i] = vals[c.Key]
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// GeneratorFor builds a generator over tenant t's regions.
func (s *Service) GeneratorFor(ctx context.Context, t *tenancy.Tenant, kemendagriCode string, seed uint64) (*Generator, error) {
	var g *Generator
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		w, err := s.wilayah.Get(ctx, tx, t.ID, true)
		if err != nil {
			return err
		}
		regions := map[string]string{}
		for k, r := range w.ByKode {
			if r.Level == "desa_kelurahan" {
				regions[k] = r.Parent
			}
		}
		g = NewGenerator(seed, kemendagriCode, s.Now().Year(), regions)
		return nil
	})
	return g, err
}
