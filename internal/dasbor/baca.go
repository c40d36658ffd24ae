package dasbor

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Reading the rollups. Every view is a handful of indexed reads of the
// rollup tables sent as one batch (one round trip), so its cost follows
// the number of regions and values, never the size of the register.

// angka are the figures of one region: dimensi → nilai → jumlah.
type angka map[string]map[string]int

func (a angka) add(dimensi, nilai string, n int) {
	m := a[dimensi]
	if m == nil {
		m = map[string]int{}
		a[dimensi] = m
	}
	m[nilai] += n
}

func (a angka) merge(b angka) {
	for d, m := range b {
		for v, n := range m {
			a.add(d, v, n)
		}
	}
}

func (a angka) get(dimensi, nilai string) int { return a[dimensi][nilai] }

// wilayahRow is a region as dasbor_wilayah holds it.
type wilayahRow struct {
	kode, nama, induk string
	tingkat           int16
}

// office is what one read holds of one tenant.
type office struct {
	id             uuid.UUID
	slug, nama, tz string
	targets        []byte // settings.target_program (JSON)
	dihitungAt     *time.Time
	figures        map[int16]map[string]angka // tingkat → wilayah_kode → figures
	wilayah        []wilayahRow
}

func (o *office) at(tingkat int16, kode string) angka {
	if o.figures[tingkat] == nil {
		o.figures[tingkat] = map[string]angka{}
	}
	a := o.figures[tingkat][kode]
	if a == nil {
		a = angka{}
		o.figures[tingkat][kode] = a
	}
	return a
}

// Of the kecamatan and desa/kelurahan the dashboard lists only these
// figures; the region endpoint has all of them.
var (
	kecamatanDims = []string{"umkm.total", "umkm.jenis_kelamin", "umkm.status_binaan", "umkm.legalitas_lengkap",
		"umkm.berkendala", "umkm.tahun_mulai", "koperasi.total", DimBelumPernah, DimGanda}
	kelurahanDims = []string{"umkm.total", "koperasi.total", DimBelumPernah}
)

// queueOffice queues the reads of one tenant's rollups (levels and their
// dimensions as given) into b; results land in o.
func queueOffice(b *pgx.Batch, o *office, query string, args ...any) {
	o.figures = map[int16]map[string]angka{}
	b.Queue(query, args...).Query(func(rows pgx.Rows) error {
		var (
			tingkat              int16
			kode, dimensi, nilai string
			n                    int
		)
		_, err := pgx.ForEachRow(rows, []any{&tingkat, &kode, &dimensi, &nilai, &n}, func() error {
			o.at(tingkat, kode).add(dimensi, nilai, n)
			return nil
		})
		return err
	})
	b.Queue(`select kode, nama_wilayah, tingkat, coalesce(induk_kode, '') from dasbor_wilayah where tenant_id = $1 order by kode`,
		o.id).Query(func(rows pgx.Rows) error {
		var w wilayahRow
		_, err := pgx.ForEachRow(rows, []any{&w.kode, &w.nama, &w.tingkat, &w.induk}, func() error {
			o.wilayah = append(o.wilayah, w)
			return nil
		})
		return err
	})
	b.Queue(`select max(dihitung_at) from dasbor_penyegaran where tenant_id = $1`, o.id).QueryRow(func(row pgx.Row) error {
		return row.Scan(&o.dihitungAt)
	})
}

// dashboardSQL reads the office level in full, and the few figures the
// regional table shows of each kecamatan and desa/kelurahan.
const dashboardSQL = `select tingkat, wilayah_kode, dimensi, nilai, jumlah from dasbor_angka
	where tenant_id = $1 and (tingkat = 0 or (tingkat = 1 and dimensi = any($2)) or (tingkat = 2 and dimensi = any($3)))`

// predikatSQL lists the health predicates of every regime, best first
// (reference data).
const predikatSQL = `select predikat from kesehatan_predikat group by predikat order by max(skor_min) desc, predikat`

func queuePredikat(b *pgx.Batch, dst *[]string) {
	b.Queue(predikatSQL).Query(func(rows pgx.Rows) error {
		var err error
		*dst, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
}

// Tenant is the dashboard of the tenant in scope, for its own staff: no
// count is hidden (they read the register record by record anyway).
func (s *Service) Tenant(ctx context.Context, t *tenancy.Tenant) (Dasbor, error) {
	o := &office{id: t.ID}
	var predikat []string
	// One round trip: the figures are a read of a few hundred rollup rows.
	err := s.DB.ReadTenantBatch(ctx, t.ID, func(b *pgx.Batch) {
		b.Queue(`select slug, name, timezone, coalesce(settings->'target_program', 'null') from tenants where id = $1`, t.ID).
			QueryRow(func(row pgx.Row) error { return row.Scan(&o.slug, &o.nama, &o.tz, &o.targets) })
		queueOffice(b, o, dashboardSQL, t.ID, kecamatanDims, kelurahanDims)
		queuePredikat(b, &predikat)
	})
	if err != nil {
		return Dasbor{}, fmt.Errorf("dasbor %s: %w", t.Slug, err)
	}
	return s.dasbor(ctx, o, predikat, 0), nil
}

// ProvinsiTenant is the dashboard of one office of a province as province
// officials see it: read in a province transaction (rollups only), with
// small desa/kelurahan counts hidden. An office of another province, or
// none, is not found.
func (s *Service) ProvinsiTenant(ctx context.Context, province, slug string) (Dasbor, error) {
	o := &office{}
	var predikat []string
	err := s.DB.InProvinceTx(ctx, province, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `select id, slug, name, timezone, coalesce(settings->'target_program', 'null') from tenants
			where slug = $1 and province_code = $2 and state <> 'archived'`, slug, province).Scan(&o.id, &o.slug, &o.nama, &o.tz, &o.targets)
		if err != nil {
			return db.MapError(err)
		}
		b := &pgx.Batch{}
		queueOffice(b, o, dashboardSQL, o.id, kecamatanDims, kelurahanDims)
		queuePredikat(b, &predikat)
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		if apperr.KindOf(err) == apperr.KindNotFound {
			return Dasbor{}, err
		}
		return Dasbor{}, fmt.Errorf("dasbor provinsi %s %s: %w", province, slug, err)
	}
	return s.dasbor(ctx, o, predikat, max(s.Ambang, 1)), nil
}

// dasbor lays an office's figures out; ambang > 1 hides small
// desa/kelurahan counts.
func (s *Service) dasbor(ctx context.Context, o *office, predikat []string, ambang int) Dasbor {
	top := o.at(0, "")
	out := Dasbor{Tenant: o.slug, NamaTenant: o.nama, DihitungAt: utc(o.dihitungAt),
		UMKM: s.umkm(top, lastMonth(o), true), Koperasi: s.koperasi(top, predikat), Wilayah: []KecamatanDasbor{}}
	byKec := map[string]angka{}
	for _, w := range o.wilayah {
		if w.tingkat == 1 {
			a := o.at(1, w.kode)
			byKec[w.kode] = a
			out.Wilayah = append(out.Wilayah, KecamatanDasbor{Kode: w.kode, NamaWilayah: w.nama,
				UMKM: a.get("umkm.total", ""), Perempuan: a.get("umkm.jenis_kelamin", "P"),
				Binaan: a.get("umkm.status_binaan", "binaan"), LegalitasLengkap: a.get("umkm.legalitas_lengkap", "ya"),
				Berkendala: a.get("umkm.berkendala", "ya"), Koperasi: a.get("koperasi.total", ""),
				BelumPernah: sel(a.get(DimBelumPernah, "ya"), false), Kelurahan: []KelurahanDasbor{}})
		}
	}
	for _, w := range o.wilayah { // kode order: a kecamatan before its desa/kelurahan
		if w.tingkat != 2 {
			continue
		}
		i, found := slices.BinarySearchFunc(out.Wilayah, w.induk, func(k KecamatanDasbor, kode string) int { return strings.Compare(k.Kode, kode) })
		if !found {
			continue
		}
		a := o.at(2, w.kode)
		out.Wilayah[i].Kelurahan = append(out.Wilayah[i].Kelurahan, KelurahanDasbor{Kode: w.kode, NamaWilayah: w.nama,
			UMKM: sel(a.get("umkm.total", ""), false), Koperasi: sel(a.get("koperasi.total", ""), false),
			BelumPernah: sel(a.get(DimBelumPernah, "ya"), false)})
	}
	// Before the regions are hidden: overlap per kecamatan is read from
	// the figures and hidden on its own.
	out.Program = s.program(o, top, out.Wilayah, ambang)
	if ambang > 1 {
		out.Ambang = ambang
		hideBelumPernah(out.Wilayah, out.Program.BelumPernah, ambang)
		hideKelurahan(out.Wilayah, ambang)
	}
	out.Target = s.targets(ctx, o, top, out.Wilayah, byKec)
	return out
}

// targets computes the office's programme targets; a setting that does not
// parse is logged and shown as no targets (the figures stay usable).
func (s *Service) targets(ctx context.Context, o *office, top angka, kec []KecamatanDasbor, byKec map[string]angka) []ProgresTarget {
	settings, err := ParseTargets(o.targets)
	if err != nil {
		s.Logger.ErrorContext(ctx, "tenant settings: programme targets ignored", "tenant", o.slug, "error", err)
		return []ProgresTarget{}
	}
	out := make([]ProgresTarget, 0, len(settings))
	for _, t := range settings {
		out = append(out, t.progress(top, kec, byKec))
	}
	return out
}

// Provinsi is the summary of a province: each of its offices at office
// level, and their sum. Read in a province transaction: rollups only.
func (s *Service) Provinsi(ctx context.Context, code string) (Provinsi, error) {
	out := Provinsi{Kode: code, Tenant: []RingkasanTenant{}}
	var (
		offices  []*office
		predikat []string
	)
	// One round trip, like the office dashboard.
	err := s.DB.ReadProvinceBatch(ctx, code, func(b *pgx.Batch) {
		b.Queue(`select name from provinces where code = $1`, code).QueryRow(func(row pgx.Row) error {
			return db.MapError(row.Scan(&out.NamaProvinsi))
		})
		b.Queue(`select id, slug, name, timezone, coalesce(settings->'target_program', 'null') from tenants
			where province_code = $1 and state <> 'archived' order by slug`, code).Query(func(rows pgx.Rows) error {
			var o office
			_, err := pgx.ForEachRow(rows, []any{&o.id, &o.slug, &o.nama, &o.tz, &o.targets}, func() error {
				c := o
				c.figures = map[int16]map[string]angka{}
				offices = append(offices, &c)
				return nil
			})
			return err
		})
		// Office level only (the province_code index); the policy keeps
		// other provinces out.
		b.Queue(`select tenant_id, wilayah_kode, dimensi, nilai, jumlah from dasbor_angka where province_code = $1 and tingkat = 0`, code).
			Query(func(rows pgx.Rows) error {
				var (
					id                   uuid.UUID
					kode, dimensi, nilai string
					n                    int
				)
				_, err := pgx.ForEachRow(rows, []any{&id, &kode, &dimensi, &nilai, &n}, func() error {
					if o := find(offices, id); o != nil {
						o.at(0, "").add(dimensi, nilai, n)
					}
					return nil
				})
				return err
			})
		b.Queue(`select tenant_id, max(dihitung_at) from dasbor_penyegaran where province_code = $1 group by tenant_id`, code).
			Query(func(rows pgx.Rows) error {
				var (
					id uuid.UUID
					at time.Time
				)
				_, err := pgx.ForEachRow(rows, []any{&id, &at}, func() error {
					if o := find(offices, id); o != nil {
						o.dihitungAt = &at
					}
					return nil
				})
				return err
			})
		queuePredikat(b, &predikat)
	})
	if err != nil {
		if apperr.KindOf(err) == apperr.KindNotFound {
			return Provinsi{}, err
		}
		return Provinsi{}, fmt.Errorf("dasbor provinsi %s: %w", code, err)
	}
	total := angka{}
	last := ""
	for _, o := range offices {
		top := o.at(0, "")
		total.merge(top)
		m := lastMonth(o)
		last = max(last, m)
		out.Tenant = append(out.Tenant, RingkasanTenant{Tenant: o.slug, NamaTenant: o.nama, DihitungAt: utc(o.dihitungAt),
			UMKM: s.umkm(top, m, true), Koperasi: s.koperasi(top, predikat), Target: s.targets(ctx, o, top, nil, nil),
			Program: s.program(o, top, nil, max(s.Ambang, 1))})
	}
	// The total is as fresh as its stalest office; unknown while one has
	// never been computed.
	for i, o := range offices {
		if o.dihitungAt == nil {
			out.DihitungAt = nil
			break
		}
		if i == 0 || o.dihitungAt.Before(*out.DihitungAt) {
			out.DihitungAt = utc(o.dihitungAt)
		}
	}
	out.UMKM, out.Koperasi = s.umkm(total, last, true), s.koperasi(total, predikat)
	return out, nil
}

func find(offices []*office, id uuid.UUID) *office {
	for _, o := range offices {
		if o.id == id {
			return o
		}
	}
	return nil
}

// Wilayah is the full breakdown of one kecamatan or desa/kelurahan of the
// tenant in scope, for its staff.
func (s *Service) Wilayah(ctx context.Context, t *tenancy.Tenant, kode string) (WilayahDasbor, error) {
	o := &office{id: t.ID}
	var (
		out      = WilayahDasbor{Kode: kode}
		level    string
		predikat []string
	)
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `select nama, level from wilayah where kode = $1`, kode).Scan(&out.NamaWilayah, &level)
		if err != nil {
			if err = db.MapError(err); apperr.KindOf(err) == apperr.KindNotFound {
				return apperr.InvalidField("query.kode", kode, apperr.T(
					"Kecamatan atau desa/kelurahan tidak ditemukan di wilayah kantor ini.",
					"Kecamatan or desa/kelurahan not found in this office's regions."))
			}
			return err
		}
		tingkat := int16(1)
		if level != "kecamatan" {
			tingkat = 2
		}
		b := &pgx.Batch{}
		b.Queue(`select timezone from tenants where id = $1`, t.ID).QueryRow(func(row pgx.Row) error { return row.Scan(&o.tz) })
		queueOffice(b, o, `select tingkat, wilayah_kode, dimensi, nilai, jumlah from dasbor_angka
			where tenant_id = $1 and tingkat = $2 and wilayah_kode = $3`, t.ID, tingkat, kode)
		queuePredikat(b, &predikat)
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		if apperr.KindOf(err) == apperr.KindInvalid {
			return WilayahDasbor{}, err
		}
		return WilayahDasbor{}, fmt.Errorf("dasbor wilayah %s: %w", kode, err)
	}
	a := o.at(1, kode)
	out.Tingkat = "kecamatan"
	if level != "kecamatan" {
		a, out.Tingkat = o.at(2, kode), "desa_kelurahan"
	}
	out.DihitungAt = utc(o.dihitungAt)
	out.UMKM, out.Koperasi = s.umkm(a, lastMonth(o), level == "kecamatan"), s.koperasi(a, predikat)
	out.BelumPernah = a.get(DimBelumPernah, "ya")
	return out, nil
}

// umkm lays out the business breakdowns of one region.
func (s *Service) umkm(a angka, lastMonth string, months bool) AngkaUMKM {
	u := AngkaUMKM{
		Total:            a.get("umkm.total", ""),
		SkalaDilaporkan:  s.list(a, DimSkalaDilaporkan),
		SkalaHitung:      s.list(a, DimSkalaHitung),
		Sektor:           s.list(a, DimSektor),
		JenisKelamin:     s.list(a, DimJenisKelamin),
		StatusBinaan:     s.list(a, DimStatusBinaan),
		LegalitasLengkap: yaTidak(a, "umkm.legalitas_lengkap"),
		Legalitas:        s.list(a, DimLegalitas),
		Berkendala:       yaTidak(a, "umkm.berkendala"),
		KendalaTerbuka:   s.list(a, DimKendala),
		Bulanan:          []Angka{},
		RegistrasiOnline: []RegistrasiBulan{},
	}
	if months {
		u.Bulanan = monthly(a["umkm.bulan"], lastMonth)
	}
	byMonth := map[string]angka{}
	for nilai, n := range a[DimRegistrasi] {
		month, status, _ := strings.Cut(nilai, "/")
		if byMonth[month] == nil {
			byMonth[month] = angka{}
		}
		byMonth[month].add(DimRegistrasi, status, n)
	}
	bulan := mapsKeys(byMonth)
	slices.Sort(bulan)
	for _, m := range bulan {
		u.RegistrasiOnline = append(u.RegistrasiOnline, RegistrasiBulan{Bulan: m, Status: s.list(byMonth[m], DimRegistrasi)})
	}
	return u
}

// koperasi lays out the cooperative breakdowns of one region.
func (s *Service) koperasi(a angka, predikat []string) AngkaKoperasi {
	return AngkaKoperasi{
		Total:            a.get("koperasi.total", ""),
		Aktif:            yaTidak(a, "koperasi.aktif"),
		Jenis:            listOrdered(a["koperasi.jenis"], append(slices.Clone(s.Kategori[DimJenisKoperasi]), "belum_ditetapkan")),
		Kelompok:         s.list(a, DimKelompok),
		Kesehatan:        listOrdered(a["koperasi.kesehatan"], append(slices.Clone(predikat), "belum_dinilai")),
		RAT:              listOrdered(a["koperasi.rat"], []string{"patuh", "terlambat", "tidak_rat_2_tahun", "belum_pernah"}),
		Pilot:            a.get("koperasi.pilot", "ya"),
		UnitToko:         a.get("koperasi.unit_toko", "ya"),
		PembukuanDigital: a.get("koperasi.pembukuan_digital", "ya"),
		AnggotaLaki:      a.get("koperasi.anggota", "laki"),
		AnggotaPerempuan: a.get("koperasi.anggota", "perempuan"),
		Reklasifikasi: ProgresReklasifikasi{
			Sudah:           a.get("koperasi.reklasifikasi", "sudah"),
			Belum:           a.get("koperasi.reklasifikasi", "belum"),
			BelumTidakAktif: a.get("koperasi.reklasifikasi", "belum_tidak_aktif"),
			Kampanye:        onlyKey(a["reklasifikasi.kampanye"]),
			Usulan:          listOrdered(a["reklasifikasi.usulan"], []string{"usulan_tinggi", "usulan_sedang", "perlu_tinjauan", "perlu_data"}),
			Keputusan:       listOrdered(a["reklasifikasi.keputusan"], []string{"menunggu", "disetujui", "ditolak"}),
		},
	}
}

// list lays out one breakdown in the order of its Kategori.
func (s *Service) list(a angka, dimensi string) []Angka {
	return listOrdered(a[dimensi], s.Kategori[dimensi])
}

// listOrdered lists every known value (0 when absent), then values not
// known (in code order), then tidak_diketahui when present.
func listOrdered(counts map[string]int, known []string) []Angka {
	out := make([]Angka, 0, len(known)+len(counts))
	for _, v := range known {
		out = append(out, Angka{Nilai: v, Jumlah: counts[v]})
	}
	var extra []string
	for v := range counts {
		if !slices.Contains(known, v) && v != "tidak_diketahui" {
			extra = append(extra, v)
		}
	}
	slices.Sort(extra)
	for _, v := range extra {
		out = append(out, Angka{Nilai: v, Jumlah: counts[v]})
	}
	if n, ok := counts["tidak_diketahui"]; ok && !slices.Contains(known, "tidak_diketahui") {
		out = append(out, Angka{Nilai: "tidak_diketahui", Jumlah: n})
	}
	return out
}

func yaTidak(a angka, dimensi string) []Angka {
	return listOrdered(a[dimensi], []string{"ya", "tidak"})
}

func onlyKey(m map[string]int) string {
	for k := range m {
		return k
	}
	return ""
}

func mapsKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// monthly lists months (YYYY-MM) from the first with a registration to
// last, those without any at 0.
func monthly(counts map[string]int, last string) []Angka {
	out := []Angka{}
	if len(counts) == 0 {
		return out
	}
	first := slices.Min(mapsKeys(counts))
	last = max(last, slices.Max(mapsKeys(counts)))
	t, err := time.Parse("2006-01", first)
	if err != nil {
		return listOrdered(counts, nil)
	}
	for m := first; m <= last; t, m = t.AddDate(0, 1, 0), t.AddDate(0, 1, 0).Format("2006-01") {
		out = append(out, Angka{Nilai: m, Jumlah: counts[m]})
	}
	return out
}

// lastMonth is the month (YYYY-MM, the office's zone) the figures were
// computed in; "" when never.
func lastMonth(o *office) string {
	if o.dihitungAt == nil {
		return ""
	}
	loc, err := time.LoadLocation(o.tz)
	if err != nil {
		loc = time.UTC
	}
	return o.dihitungAt.In(loc).Format("2006-01")
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
