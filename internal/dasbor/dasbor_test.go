package dasbor_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/tenants"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// bundle is a migrated database with the four real tenants.
type bundle struct {
	env     *dbtest.Env
	svc     *dasbor.Service
	tenants map[string]*tenancy.Tenant
}

func setup(t *testing.T) *bundle {
	t.Helper()
	ctx := context.Background()
	env := dbtest.New(t)
	cfgs, err := tenant.Load(tenants.FS)
	if err != nil {
		t.Fatal(err)
	}
	store := &tenant.Store{DB: env.DB}
	if _, err := store.Sync(ctx, cfgs); err != nil {
		t.Fatal(err)
	}
	b := &bundle{env: env, tenants: map[string]*tenancy.Tenant{}, svc: &dasbor.Service{
		DB: env.DB, Logger: slog.New(slog.DiscardHandler), Now: time.Now, Ambang: dasbor.DefaultAmbang,
		Kategori: dasbor.Kategori{
			dasbor.DimSkalaHitung: {"mikro", "kecil", "menengah", "besar"},
			dasbor.DimSektor:      {"kuliner", "fashion", "jasa"},
			dasbor.DimLegalitas:   {"nib", "pirt", "halal"},
			dasbor.DimKendala:     {"permodalan", "pemasaran"},
		}}}
	for _, c := range cfgs {
		tt, err := store.BySlug(ctx, c.Slug)
		if err != nil {
			t.Fatal(err)
		}
		b.tenants[c.Slug] = tt.Scope()
	}
	return b
}

// usaha is a business as a test writes it; zero values are NULL/defaults.
type usaha struct {
	kel, sektor, jk, skalaLapor, skalaHitung, binaan string
	legalitas, kendala                               []string
	lengkap                                          bool
	tahun                                            int
	created                                          string // timestamptz literal; now() if empty
	archived                                         bool
}

func (b *bundle) inTenant(t *testing.T, slug string, fn func(tx pgx.Tx) error) {
	t.Helper()
	if err := b.env.DB.InTenantTx(context.Background(), b.tenants[slug].ID, fn); err != nil {
		t.Fatalf("as %s: %v", slug, err)
	}
}

// addUMKM writes businesses with plain SQL (the register's own service is
// another package; the figures must hold whatever path wrote the rows).
func (b *bundle) addUMKM(t *testing.T, slug string, us ...usaha) {
	t.Helper()
	b.inTenant(t, slug, func(tx pgx.Tx) error {
		for i, u := range us {
			nul := func(s string) *string {
				if s == "" {
					return nil
				}
				return &s
			}
			var tahun *int
			if u.tahun != 0 {
				tahun = &u.tahun
			}
			created := u.created
			if created == "" {
				created = time.Now().UTC().Format(time.RFC3339Nano)
			}
			binaan := u.binaan
			if binaan == "" {
				binaan = "bukan_binaan"
			}
			sektor := u.sektor
			if sektor == "" {
				sektor = "kuliner"
			}
			_, err := tx.Exec(context.Background(), `insert into umkm (tenant_id, id, nama_pemilik, nama_usaha, sektor, sumber,
					kecamatan_kode, kelurahan_kode, jenis_kelamin, skala_dilaporkan, skala_hitung, status_binaan,
					legalitas_terbit, legalitas_lengkap, kendala_terbuka, tahun_mulai, created_at, archived_at,
					telepon, alamat, latitude, longitude)
				values ($1, $2, 'Siti Rahayu Pemilik', $3, $4, 'staf', left($5, 8), $5, $6, $7, $8, $9,
					coalesce($10::text[], '{}'), $11, coalesce($12::text[], '{}'), $13, $14::timestamptz,
					case when $15 then now() end, '081234567890', 'Jl. Rahasia No. 7', -6.4, 106.8)`,
				b.tenants[slug].ID, uuid.Must(uuid.NewV7()), fmt.Sprintf("Warung Uji %d", i), sektor, u.kel,
				nul(u.jk), nul(u.skalaLapor), nul(u.skalaHitung), binaan, u.legalitas, u.lengkap, u.kendala, tahun, created, u.archived)
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// refresh runs what the River job runs.
func (b *bundle) refresh(t *testing.T, slug string) dasbor.Refreshed {
	t.Helper()
	var r dasbor.Refreshed
	b.inTenant(t, slug, func(tx pgx.Tx) error {
		var err error
		r, err = dasbor.Refresh(context.Background(), tx, b.tenants[slug].ID)
		return err
	})
	return r
}

func counts(as []dasbor.Angka) map[string]int {
	m := map[string]int{}
	for _, a := range as {
		m[a.Nilai] = a.Jumlah
	}
	return m
}

func values(as []dasbor.Angka) []string {
	var v []string
	for _, a := range as {
		v = append(v, a.Nilai)
	}
	return v
}

func expect(t *testing.T, what string, got []dasbor.Angka, want map[string]int) {
	t.Helper()
	g := counts(got)
	for k, n := range want {
		if g[k] != n {
			t.Errorf("%s[%s] = %d, want %d (all: %v)", what, k, g[k], n, got)
		}
	}
	for k, n := range g {
		if _, ok := want[k]; !ok && n != 0 {
			t.Errorf("%s[%s] = %d, want 0", what, k, n)
		}
	}
}

const (
	kelDepok  = "32.76.01.1006" // Depok, kecamatan Pancoran Mas
	kelDepok2 = "32.76.01.1007" // Depok Jaya, Pancoran Mas
	kelTugu   = "32.76.02.1009" // Tugu, kecamatan Cimanggis
)

func TestRefreshCountsEveryUMKMBreakdown(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.addUMKM(t, "depok",
		usaha{kel: kelDepok, sektor: "kuliner", jk: "P", skalaLapor: "mikro", skalaHitung: "mikro", binaan: "binaan",
			legalitas: []string{"nib", "halal"}, lengkap: true, kendala: []string{"permodalan", "pemasaran"}, tahun: 2023,
			created: "2026-01-15T10:00:00+07:00"},
		usaha{kel: kelDepok, sektor: "fashion", jk: "L", skalaLapor: "kecil", skalaHitung: "mikro",
			legalitas: []string{"nib"}, kendala: []string{"permodalan"}, tahun: 2022, created: "2026-03-31T23:30:00+07:00"},
		usaha{kel: kelDepok2, sektor: "kuliner", jk: "P", tahun: 2023, created: "2026-03-01T00:10:00+07:00"},
		usaha{kel: kelTugu, sektor: "otomotif", skalaHitung: "kecil", tahun: 2019, created: "2026-03-02T12:00:00+07:00"},
		// Archived (e.g. merged into another record): not counted anywhere.
		usaha{kel: kelTugu, sektor: "jasa", jk: "P", tahun: 2023, archived: true},
	)
	// Another office's business never counts for depok.
	b.addUMKM(t, "medan", usaha{kel: "12.71.01.1001", sektor: "jasa", jk: "P", tahun: 2023})
	r := b.refresh(t, "depok")
	if r.DihitungAt.IsZero() || r.Baris == 0 {
		t.Fatalf("refresh: %+v", r)
	}

	d, err := b.svc.Tenant(ctx, b.tenants["depok"])
	if err != nil {
		t.Fatal(err)
	}
	if d.DihitungAt == nil || !d.DihitungAt.Equal(r.DihitungAt) {
		t.Errorf("dihitung_at %v, want the refresh's %v", d.DihitungAt, r.DihitungAt)
	}
	u := d.UMKM
	if u.Total != 4 {
		t.Errorf("total %d, want 4 (the archived one and medan's are not depok's live businesses)", u.Total)
	}
	expect(t, "skala_dilaporkan", u.SkalaDilaporkan, map[string]int{"mikro": 1, "kecil": 1, "tidak_diketahui": 2})
	expect(t, "skala_hitung", u.SkalaHitung, map[string]int{"mikro": 2, "kecil": 1, "tidak_diketahui": 1})
	expect(t, "sektor", u.Sektor, map[string]int{"kuliner": 2, "fashion": 1, "otomotif": 1})
	expect(t, "jenis_kelamin", u.JenisKelamin, map[string]int{"P": 2, "L": 1, "tidak_diketahui": 1})
	expect(t, "status_binaan", u.StatusBinaan, map[string]int{"binaan": 1, "bukan_binaan": 3})
	expect(t, "legalitas_lengkap", u.LegalitasLengkap, map[string]int{"ya": 1, "tidak": 3})
	expect(t, "legalitas", u.Legalitas, map[string]int{"nib": 2, "halal": 1})
	expect(t, "berkendala", u.Berkendala, map[string]int{"ya": 2, "tidak": 2})
	expect(t, "kendala_terbuka", u.KendalaTerbuka, map[string]int{"permodalan": 2, "pemasaran": 1})
	// Months in the office's time zone (the 31 March 23:30 WIB record is a
	// March one), February listed at 0.
	if got, want := fmt.Sprint(u.Bulanan[:3]), "[{2026-01 1} {2026-02 0} {2026-03 3}]"; got != want {
		t.Errorf("registrasi_bulanan starts %s, want %s", got, want)
	}
	// Known values come first, in the order given, zeros included; others
	// after them; tidak_diketahui last.
	if got := values(u.Sektor); !slices.Equal(got, []string{"kuliner", "fashion", "jasa", "otomotif"}) {
		t.Errorf("sektor order %q", got)
	}
	if got := values(u.SkalaHitung); got[len(got)-1] != "tidak_diketahui" {
		t.Errorf("skala_hitung order %q: tidak_diketahui last", got)
	}

	// Regions: every kecamatan and desa/kelurahan listed, with counts.
	var pancoran, cimanggis *dasbor.KecamatanDasbor
	for i := range d.Wilayah {
		switch d.Wilayah[i].Kode {
		case "32.76.01":
			pancoran = &d.Wilayah[i]
		case "32.76.02":
			cimanggis = &d.Wilayah[i]
		}
	}
	if len(d.Wilayah) != 11 || pancoran == nil || cimanggis == nil {
		t.Fatalf("%d kecamatan, want Depok's 11", len(d.Wilayah))
	}
	if pancoran.NamaWilayah != "Pancoran Mas" || pancoran.UMKM != 3 || pancoran.Perempuan != 2 || pancoran.Binaan != 1 ||
		pancoran.LegalitasLengkap != 1 || pancoran.Berkendala != 2 || cimanggis.UMKM != 1 {
		t.Errorf("kecamatan: %+v / %+v", *pancoran, *cimanggis)
	}
	kel := map[string]dasbor.Sel{}
	for _, k := range pancoran.Kelurahan {
		kel[k.Kode] = k.UMKM
	}
	if len(pancoran.Kelurahan) != 6 || *kel[kelDepok].Jumlah != 2 || *kel[kelDepok2].Jumlah != 1 || kel[kelDepok].Disembunyikan {
		t.Errorf("kelurahan of Pancoran Mas (the office's own view hides nothing): %+v", pancoran.Kelurahan)
	}

	// The whole breakdown of one kecamatan and one kelurahan.
	w, err := b.svc.Wilayah(ctx, b.tenants["depok"], "32.76.01")
	if err != nil {
		t.Fatal(err)
	}
	if w.NamaWilayah != "Pancoran Mas" || w.Tingkat != "kecamatan" || w.UMKM.Total != 3 {
		t.Errorf("wilayah kecamatan: %+v", w)
	}
	expect(t, "kecamatan sektor", w.UMKM.Sektor, map[string]int{"kuliner": 2, "fashion": 1})
	w, err = b.svc.Wilayah(ctx, b.tenants["depok"], kelDepok)
	if err != nil {
		t.Fatal(err)
	}
	if w.Tingkat != "desa_kelurahan" || w.UMKM.Total != 2 || len(w.UMKM.Bulanan) != 0 {
		t.Errorf("wilayah kelurahan: %+v", w)
	}
	expect(t, "kelurahan kendala", w.UMKM.KendalaTerbuka, map[string]int{"permodalan": 2, "pemasaran": 1})
	// A region of another office is not one of depok's.
	if _, err := b.svc.Wilayah(ctx, b.tenants["depok"], "12.71.01"); apperr.KindOf(err) != apperr.KindInvalid {
		t.Errorf("medan's kecamatan through depok: %v, want invalid query.kode", err)
	}

	// A change is reflected by the next refresh; a value gone from the
	// register is gone from the rollups (listed at 0).
	b.inTenant(t, "depok", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "update umkm set archived_at = now() where sektor = 'otomotif'")
		return err
	})
	b.refresh(t, "depok")
	d, err = b.svc.Tenant(ctx, b.tenants["depok"])
	if err != nil {
		t.Fatal(err)
	}
	if d.UMKM.Total != 3 || counts(d.UMKM.Sektor)["otomotif"] != 0 {
		t.Errorf("after archiving: total %d, sektor %v", d.UMKM.Total, d.UMKM.Sektor)
	}
	var stale int
	b.inTenant(t, "depok", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, "select count(*) from dasbor_angka where nilai = 'otomotif'").Scan(&stale)
	})
	if stale != 0 {
		t.Errorf("%d rollup rows still count otomotif", stale)
	}
}

func TestRefreshCountsCooperativesAndReclassification(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	today := time.Now().In(time.FixedZone("WIB", 7*3600))
	// A meeting this year is always the one due (from July) or more than it.
	thisYear := time.Date(today.Year(), 1, 2, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	threeYearsAgo := today.AddDate(-3, 0, 0).Format(time.DateOnly)
	ids := map[string]uuid.UUID{}
	b.inTenant(t, "depok", func(tx pgx.Tx) error {
		for _, k := range []struct {
			name, jenis, kelompok, predikat, rat string
			pilot, toko, aktif                   bool
			laki, perempuan                      int
		}{
			{"KSU Lama", "", "ksu", "", threeYearsAgo, true, true, true, 10, 20},
			{"KSU Baru", "konsumen", "ksu", "sehat", thisYear, false, false, true, 5, 5},
			{"KSP Maju", "simpan_pinjam", "lainnya", "cukup_sehat", "", false, true, false, 1, 2},
		} {
			id := uuid.Must(uuid.NewV7())
			ids[k.name] = id
			nul := func(s string) *string {
				if s == "" {
					return nil
				}
				return &s
			}
			if _, err := tx.Exec(ctx, `insert into koperasi (tenant_id, id, nama, jenis, kelompok, kesehatan_predikat, rat_terakhir,
					pilot, unit_toko, aktif, anggota_laki, anggota_perempuan, kecamatan_kode, kelurahan_kode, alamat)
				values ($1, $2, $3, $4, $5, $6, $7::date, $8, $9, $10, $11, $12, left($13, 8), $13, 'Jl. Koperasi 1')`,
				b.tenants["depok"].ID, id, k.name, nul(k.jenis), k.kelompok, nul(k.predikat), nul(k.rat),
				k.pilot, k.toko, k.aktif, k.laki, k.perempuan, kelDepok); err != nil {
				return err
			}
		}
		// Founded 100 days ago, no meeting yet: not overdue (the register's
		// rule); with neither date, it would count as two years without one.
		if _, err := tx.Exec(ctx, `update koperasi set badan_hukum_tanggal = current_date - 100 where id = $1`, ids["KSP Maju"]); err != nil {
			return err
		}
		// An older campaign (ignored) and the latest one with two proposals,
		// one approved.
		old, latest := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
		if _, err := tx.Exec(ctx, `insert into reklasifikasi_kampanye (tenant_id, id, status, kebijakan, dimulai_at) values
			($1, $2, 'selesai', '{}', now() - interval '30 days'), ($1, $3, 'selesai', '{}', now())`, b.tenants["depok"].ID, old, latest); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `insert into reklasifikasi_usulan (tenant_id, id, kampanye_id, koperasi_id, hasil, jenis_usulan, keyakinan, status, jenis_disetujui) values
			($1, $2, $4, $6, 'perlu_data', null, null, 'menunggu', null),
			($1, $3, $5, $6, 'perlu_tinjauan', null, null, 'menunggu', null),
			($1, $7, $5, $8, 'usulan', 'konsumen', 'tinggi', 'disetujui', 'konsumen')`,
			b.tenants["depok"].ID, uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7()), old, latest, ids["KSU Lama"], uuid.Must(uuid.NewV7()), ids["KSU Baru"])
		return err
	})
	b.refresh(t, "depok")
	d, err := b.svc.Tenant(ctx, b.tenants["depok"])
	if err != nil {
		t.Fatal(err)
	}
	k := d.Koperasi
	if k.Total != 3 || k.Pilot != 1 || k.UnitToko != 2 || k.AnggotaLaki != 16 || k.AnggotaPerempuan != 27 {
		t.Errorf("koperasi: %+v", k)
	}
	expect(t, "aktif", k.Aktif, map[string]int{"ya": 2, "tidak": 1})
	expect(t, "jenis", k.Jenis, map[string]int{"konsumen": 1, "simpan_pinjam": 1, "belum_ditetapkan": 1})
	expect(t, "kelompok", k.Kelompok, map[string]int{"ksu": 2, "lainnya": 1})
	expect(t, "kesehatan", k.Kesehatan, map[string]int{"sehat": 1, "cukup_sehat": 1, "belum_dinilai": 1})
	expect(t, "rat", k.RAT, map[string]int{"patuh": 1, "tidak_rat_2_tahun": 1, "belum_pernah": 1})
	if got := values(k.Kesehatan); got[0] != "sehat" || !slices.Contains(got, "dalam_pengawasan_khusus") {
		t.Errorf("kesehatan lists every predicate of the regimes, best first: %q", got)
	}
	r := k.Reklasifikasi
	if r.Sudah != 1 || r.Belum != 1 || r.Kampanye != "selesai" {
		t.Errorf("reklasifikasi: %+v", r)
	}
	expect(t, "usulan", r.Usulan, map[string]int{"perlu_tinjauan": 1, "usulan_tinggi": 1})
	expect(t, "keputusan", r.Keputusan, map[string]int{"menunggu": 1, "disetujui": 1})
	for _, w := range d.Wilayah {
		if w.Kode == "32.76.01" && w.Koperasi != 3 {
			t.Errorf("Pancoran Mas has %d cooperatives, want 3", w.Koperasi)
		}
	}
}

func TestTargetsFromTenantSettings(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	// Depok's tenant.yaml: 5.000 new entrepreneurs 2022–2024 (1.750 a
	// year) and 1.000 women entrepreneurs.
	b.addUMKM(t, "depok",
		usaha{kel: kelDepok, jk: "P", tahun: 2022},
		usaha{kel: kelDepok, jk: "L", tahun: 2023},
		usaha{kel: kelTugu, jk: "P", tahun: 2024},
		usaha{kel: kelTugu, jk: "P", tahun: 2021}, // before the programme
		usaha{kel: kelTugu, jk: "P"},              // starting year unknown
		usaha{kel: kelTugu, jk: "P", tahun: 2023, archived: true},
	)
	b.refresh(t, "depok")
	d, err := b.svc.Tenant(ctx, b.tenants["depok"])
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Target) != 2 {
		t.Fatalf("targets: %+v", d.Target)
	}
	baru, perempuan := d.Target[0], d.Target[1]
	if baru.Kode != "pengusaha_baru" || baru.Target != 5000 || baru.Tercapai != 3 || baru.Persen != 0.1 {
		t.Errorf("pengusaha_baru: %+v", baru)
	}
	if got := fmt.Sprint(baru.PerTahun); got != "[{2022 1750 1} {2023 1750 1} {2024 1750 1}]" {
		t.Errorf("pengusaha_baru per year: %s", got)
	}
	if perempuan.Kode != "perempuan_pengusaha" || perempuan.JenisKelamin != "P" || perempuan.Tercapai != 2 {
		t.Errorf("perempuan_pengusaha: %+v", perempuan)
	}
	// Spread evenly when no yearly target is set: 1.000 over 3 years.
	if got := fmt.Sprint(perempuan.PerTahun); got != "[{2022 334 1} {2023 333 0} {2024 333 1}]" {
		t.Errorf("perempuan_pengusaha per year: %s", got)
	}
	per := map[string]int{}
	for _, k := range baru.PerKecamatan {
		per[k.Kode] = k.Tercapai
	}
	if len(baru.PerKecamatan) != 11 || per["32.76.01"] != 2 || per["32.76.02"] != 1 {
		t.Errorf("per kecamatan: %+v", baru.PerKecamatan)
	}
	// Offices without targets list none.
	m, err := b.svc.Tenant(ctx, b.tenants["medan"])
	if err != nil {
		t.Fatal(err)
	}
	if m.Target == nil || len(m.Target) != 0 || m.DihitungAt != nil {
		t.Errorf("medan, never refreshed: targets %v, dihitung_at %v", m.Target, m.DihitungAt)
	}
}

func TestParseTargets(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want string // "" for valid
	}{
		{`null`, ""},
		{`[{"kode":"a","nama":"A","tahun_mulai":2022,"tahun_selesai":2024,"target":10}]`, ""},
		{`[{"kode":"a","nama":"A","tahun_mulai":2022,"tahun_selesai":2024,"target":10,"jenis_kelamin":"X"}]`, "jenis_kelamin"},
		{`[{"kode":"a","nama":"A","tahun_mulai":2024,"tahun_selesai":2022,"target":10}]`, "tahun_mulai"},
		{`[{"kode":"a","nama":"A","tahun_mulai":2022,"tahun_selesai":2024,"target":0}]`, "target must be positive"},
		{`[{"kode":"A b","nama":"A","tahun_mulai":2022,"tahun_selesai":2024,"target":1}]`, "kode"},
		{`[{"kode":"a","nama":"A","tahun_mulai":2022,"tahun_selesai":2024,"target":1},{"kode":"a","nama":"B","tahun_mulai":2022,"tahun_selesai":2024,"target":1}]`, "repeats"},
		{`[{"kode":"a","nama":"A","tahun_mulai":2022,"tahun_selesai":2024,"target":1,"sasaran":3}]`, "unknown field"},
		{`{"kode":"a"}`, "cannot unmarshal"},
	} {
		_, err := dasbor.ParseTargets([]byte(tc.raw))
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.raw, err)
		case tc.want != "" && (err == nil || !contains(err.Error(), tc.want)):
			t.Errorf("%s: %v, want an error about %s", tc.raw, err, tc.want)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func TestProvinceViews(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.addUMKM(t, "depok",
		usaha{kel: kelDepok, jk: "P"}, usaha{kel: kelDepok, jk: "P"}, usaha{kel: kelDepok2, jk: "L"},
		usaha{kel: kelTugu, jk: "P"},
		// Pancoran Mas' Mampang holds 7: shown, but it is the one that
		// would give the small ones away from the kecamatan total.
		usaha{kel: "32.76.01.1009"}, usaha{kel: "32.76.01.1009"}, usaha{kel: "32.76.01.1009"}, usaha{kel: "32.76.01.1009"},
		usaha{kel: "32.76.01.1009"}, usaha{kel: "32.76.01.1009"}, usaha{kel: "32.76.01.1009"})
	b.addUMKM(t, "karawang", usaha{kel: "32.15.01.1001", jk: "L"}, usaha{kel: "32.15.01.1001", jk: "P"})
	b.addUMKM(t, "tangsel", usaha{kel: "36.74.01.1001", jk: "P"})
	b.addUMKM(t, "medan", usaha{kel: "12.71.01.1001", jk: "L"})
	for _, slug := range []string{"depok", "karawang", "tangsel"} {
		b.refresh(t, slug) // medan: never refreshed
	}

	for _, tc := range []struct {
		province string
		want     []string
		umkm     int
		fresh    bool
	}{
		{"32", []string{"depok", "karawang"}, 13, true},
		{"36", []string{"tangsel"}, 1, true},
		{"12", []string{"medan"}, 0, false},
	} {
		p, err := b.svc.Provinsi(ctx, tc.province)
		if err != nil {
			t.Fatalf("province %s: %v", tc.province, err)
		}
		var got []string
		sum := 0
		for _, r := range p.Tenant {
			got = append(got, r.Tenant)
			sum += r.UMKM.Total
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("province %s lists %q, want %q", tc.province, got, tc.want)
		}
		if p.UMKM.Total != tc.umkm || sum != tc.umkm {
			t.Errorf("province %s: total %d, offices sum to %d, want %d", tc.province, p.UMKM.Total, sum, tc.umkm)
		}
		if (p.DihitungAt != nil) != tc.fresh {
			t.Errorf("province %s: dihitung_at %v, want set: %v (null while an office was never computed)", tc.province, p.DihitungAt, tc.fresh)
		}
	}
	p, _ := b.svc.Provinsi(ctx, "32")
	expect(t, "province 32 jenis_kelamin", p.UMKM.JenisKelamin, map[string]int{"P": 4, "L": 2, "tidak_diketahui": 7})
	if len(p.Tenant[0].Target) != 2 || p.Tenant[0].Target[0].Tercapai != 0 || p.Tenant[0].Target[0].PerKecamatan != nil {
		t.Errorf("depok's targets in the province summary: %+v", p.Tenant[0].Target)
	}
	if _, err := b.svc.Provinsi(ctx, "99"); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("unknown province: %v, want not found", err)
	}

	// One office as the province sees it: small kelurahan counts hidden,
	// with complementary cells; the office itself sees every count.
	if _, err := b.svc.ProvinsiTenant(ctx, "32", "medan"); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("medan through province 32: %v, want not found", err)
	}
	d, err := b.svc.ProvinsiTenant(ctx, "32", "depok")
	if err != nil {
		t.Fatal(err)
	}
	own, err := b.svc.Tenant(ctx, b.tenants["depok"])
	if err != nil {
		t.Fatal(err)
	}
	if d.Ambang != 5 || own.Ambang != 0 || d.UMKM.Total != own.UMKM.Total {
		t.Errorf("ambang %d (office view %d), totals %d / %d", d.Ambang, own.Ambang, d.UMKM.Total, own.UMKM.Total)
	}
	cells := func(d dasbor.Dasbor, kec string) string {
		out := ""
		for _, k := range d.Wilayah {
			if k.Kode != kec {
				continue
			}
			for _, l := range k.Kelurahan {
				switch {
				case l.UMKM.Disembunyikan && l.UMKM.Jumlah == nil:
					out += "x "
				case !l.UMKM.Disembunyikan && l.UMKM.Jumlah != nil:
					out += fmt.Sprint(*l.UMKM.Jumlah, " ")
				default:
					out += "? "
				}
			}
		}
		return out
	}
	// Pancoran Mas: Depok 2, Depok Jaya 1, Pancoran Mas 0, Mampang 7, ...
	if got, want := cells(d, "32.76.01"), "x x 0 x 0 0 "; got != want {
		t.Errorf("Pancoran Mas as the province sees it: %s, want %s", got, want)
	}
	if got, want := cells(own, "32.76.01"), "2 1 0 7 0 0 "; got != want {
		t.Errorf("Pancoran Mas as the office sees it: %s, want %s", got, want)
	}
	// Cimanggis: Tugu 1 and no other business: a zero is hidden with it.
	hidden := 0
	for _, k := range d.Wilayah {
		if k.Kode == "32.76.02" {
			for _, l := range k.Kelurahan {
				if l.UMKM.Disembunyikan {
					hidden++
				}
			}
			if k.UMKM != 1 {
				t.Errorf("Cimanggis total %d, want 1", k.UMKM)
			}
		}
	}
	if hidden != 2 {
		t.Errorf("Cimanggis: %d hidden cells, want 2 (Tugu's 1 and a zero)", hidden)
	}

	// A lower threshold: only Depok Jaya's 1 is small; Depok's 2 (the
	// smallest non-zero sibling) protects it; Mampang's 7 is shown.
	low := *b.svc
	low.Ambang = 2
	d, err = low.ProvinsiTenant(ctx, "32", "depok")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cells(d, "32.76.01"), "x x 0 7 0 0 "; got != want {
		t.Errorf("threshold 2: %s, want %s", got, want)
	}
}

// TestRefreshCountsOddValuesAndInactiveCooperatives: a sector outside the
// list (written by an operator) is counted as lainnya instead of failing
// every refresh, and an inactive cooperative without a type is not among
// those a campaign still has to classify.
func TestRefreshCountsOddValuesAndInactiveCooperatives(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.inTenant(t, "depok", func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `insert into umkm (tenant_id, id, nama_pemilik, nama_usaha, sektor, sumber, kecamatan_kode, kelurahan_kode)
			values ($1, $2, 'Siti', 'Warung', 'Kuliner & Minuman!', 'staf', left($3, 8), $3)`,
			b.tenants["depok"].ID, uuid.Must(uuid.NewV7()), kelDepok); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `insert into koperasi (tenant_id, id, nama, kelompok, aktif, kecamatan_kode, kelurahan_kode)
			values ($1, $2, 'KSU Tidur', 'ksu', false, left($3, 8), $3)`, b.tenants["depok"].ID, uuid.Must(uuid.NewV7()), kelDepok)
		return err
	})
	b.refresh(t, "depok")
	d, err := b.svc.Tenant(ctx, b.tenants["depok"])
	if err != nil {
		t.Fatal(err)
	}
	expect(t, "sektor", d.UMKM.Sektor, map[string]int{"lainnya": 1})
	if r := d.Koperasi.Reklasifikasi; r.Belum != 0 || r.BelumTidakAktif != 1 {
		t.Errorf("reklasifikasi %+v, want the inactive one apart (belum 0, belum_tidak_aktif 1)", r)
	}
}
