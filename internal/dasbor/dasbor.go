// Package dasbor is the dashboards: the figures of an office's register of
// UMKM and cooperatives, its programme targets, and the same figures for
// province officials across the offices of their province.
//
// Every figure is read from the rollup tables (dasbor_*), never from the
// tables holding personal data; they hold counts per region and value, and
// are kept fresh by Refresh (segarkan.go), which a River job runs after each
// change. A province view reads them in a province transaction
// (db.InProvinceTx), in which no tenant table is visible at all.
package dasbor

import (
	"log/slog"
	"time"

	"github.com/sentra-id/sentra/internal/db"
)

// DefaultAmbang is the default small-cell threshold of province views.
const DefaultAmbang = 5

// Service reads the dashboards.
type Service struct {
	DB     *db.DB
	Logger *slog.Logger
	Now    func() time.Time
	// Ambang: province views hide desa/kelurahan counts from 1 to Ambang-1
	// (sembunyi.go); 1 or less hides nothing.
	Ambang int
	// Kategori lists the values of each breakdown in the order offices read
	// them; every listed value is shown, 0 when none. The register packages
	// own these lists; whoever composes the service passes them.
	Kategori Kategori
}

// Kategori lists, per breakdown (a Dim* key), the values in the order
// offices read them.
type Kategori map[string][]string

// The breakdowns (dimensi of dasbor_angka) whose values Kategori may list.
const (
	DimSkalaDilaporkan = "umkm.skala_dilaporkan"
	DimSkalaHitung     = "umkm.skala_hitung"
	DimSektor          = "umkm.sektor"
	DimJenisKelamin    = "umkm.jenis_kelamin"
	DimStatusBinaan    = "umkm.status_binaan"
	DimLegalitas       = "umkm.legalitas"
	DimKendala         = "umkm.kendala"
	DimJenisKoperasi   = "koperasi.jenis"
	DimKelompok        = "koperasi.kelompok"
	DimRegistrasi      = "registrasi.bulan"
)

// Angka is one value of a breakdown and how many records have it.
type Angka struct {
	Nilai  string `json:"nilai" doc:"The value counted: a code of the register (mikro, kuliner, P, ...); tidak_diketahui where the register does not know."`
	Jumlah int    `json:"jumlah" minimum:"0"`
}

// Sel is a count of a desa/kelurahan, which a province view may hide.
type Sel struct {
	Jumlah        *int `json:"jumlah" nullable:"true" minimum:"0" doc:"The count; null when hidden."`
	Disembunyikan bool `json:"disembunyikan" doc:"true when hidden: the count is from 1 to ambang_sel_kecil-1, or it was hidden as well so that such a count cannot be recovered from the kecamatan total; a never-helped or completed count is hidden too where what it leaves of its whole (the businesses, the selected) is from 1 to ambang_sel_kecil-1. Province views only."`
}

// AngkaUMKM are the breakdowns of live businesses (archived and merged records
// are not counted).
type AngkaUMKM struct {
	Total            int               `json:"total" doc:"Live businesses."`
	SkalaDilaporkan  []Angka           `json:"skala_dilaporkan" doc:"Size as reported by the business."`
	SkalaHitung      []Angka           `json:"skala_hitung" doc:"Size computed under PP 7/2021 from the money figures."`
	Sektor           []Angka           `json:"sektor"`
	JenisKelamin     []Angka           `json:"jenis_kelamin" doc:"Sex of the owner: L, P or tidak_diketahui."`
	StatusBinaan     []Angka           `json:"status_binaan" doc:"Under the office's guidance (binaan) or not."`
	LegalitasLengkap []Angka           `json:"legalitas_lengkap" doc:"ya: every document the business needs is issued; tidak: at least one is missing."`
	Legalitas        []Angka           `json:"legalitas" doc:"Businesses holding an issued document of each kind (a business may hold several)."`
	Berkendala       []Angka           `json:"berkendala" doc:"ya: at least one open constraint."`
	KendalaTerbuka   []Angka           `json:"kendala_terbuka" doc:"Businesses with at least one open constraint of each category (a business may count in several)."`
	Bulanan          []Angka           `json:"registrasi_bulanan" doc:"Records registered per month (YYYY-MM, the office's time zone), from the first month to the month of computation, months without any at 0; live records only. Empty below kecamatan."`
	RegistrasiOnline []RegistrasiBulan `json:"registrasi_online" doc:"Online registrations as mitra binaan per month submitted, by status. Whole office only."`
}

// RegistrasiBulan is one month of online registrations.
type RegistrasiBulan struct {
	Bulan  string  `json:"bulan" example:"2026-03"`
	Status []Angka `json:"status" doc:"menunggu, diterima, ditolak."`
}

// AngkaKoperasi are the breakdowns of the cooperatives (archived ones are not
// counted).
type AngkaKoperasi struct {
	Total            int                  `json:"total"`
	Aktif            []Angka              `json:"aktif" doc:"ya / tidak."`
	Jenis            []Angka              `json:"jenis" doc:"Legal type; belum_ditetapkan while none is set (legacy KSU)."`
	Kelompok         []Angka              `json:"kelompok"`
	Kesehatan        []Angka              `json:"kesehatan" doc:"Latest health predicate under its regime; belum_dinilai when never assessed."`
	RAT              []Angka              `json:"rat" doc:"Annual members' meeting: patuh (the meeting due was held: this year's from July, last year's before), terlambat (the last one is less than two years old), tidak_rat_2_tahun (none for two years or more: may be dissolved), belum_pernah."`
	Pilot            int                  `json:"pilot" doc:"Pilot cooperatives."`
	UnitToko         int                  `json:"unit_toko" doc:"Cooperatives with a store unit."`
	PembukuanDigital int                  `json:"pembukuan_digital" doc:"Cooperatives keeping digital books."`
	AnggotaLaki      int                  `json:"anggota_laki" doc:"Members, men (sum over cooperatives)."`
	AnggotaPerempuan int                  `json:"anggota_perempuan" doc:"Members, women."`
	Reklasifikasi    ProgresReklasifikasi `json:"reklasifikasi"`
}

// ProgresReklasifikasi is the progress of moving legacy KSU cooperatives to one of
// the five legal types.
type ProgresReklasifikasi struct {
	Sudah           int     `json:"sudah" doc:"KSU cooperatives that have a legal type now."`
	Belum           int     `json:"belum" doc:"Active cooperatives still without a legal type: what a campaign classifies."`
	BelumTidakAktif int     `json:"belum_tidak_aktif" doc:"Inactive cooperatives without a legal type: outside campaigns until active again."`
	Kampanye        string  `json:"kampanye,omitempty" enum:"berjalan,selesai,gagal" doc:"Status of the latest campaign; absent when none was run."`
	Usulan          []Angka `json:"usulan" doc:"Proposals of the latest campaign by outcome: usulan_tinggi, usulan_sedang, perlu_tinjauan, perlu_data."`
	Keputusan       []Angka `json:"keputusan" doc:"Proposals of the latest campaign by decision: menunggu, disetujui, ditolak."`
}

// KecamatanDasbor is one kecamatan in the regional breakdown.
type KecamatanDasbor struct {
	Kode             string            `json:"kode" example:"32.76.01"`
	NamaWilayah      string            `json:"nama_wilayah" example:"Pancoran Mas"`
	UMKM             int               `json:"umkm" doc:"Live businesses."`
	Perempuan        int               `json:"umkm_perempuan" doc:"Live businesses owned by women."`
	Binaan           int               `json:"umkm_binaan"`
	LegalitasLengkap int               `json:"umkm_legalitas_lengkap"`
	Berkendala       int               `json:"umkm_berkendala"`
	Koperasi         int               `json:"koperasi"`
	BelumPernah      Sel               `json:"belum_pernah" doc:"Live businesses never helped (see AngkaProgram); province views hide it as a desa/kelurahan count, against the office total."`
	Kelurahan        []KelurahanDasbor `json:"kelurahan" nullable:"false"`
}

// KelurahanDasbor is one desa or kelurahan in the regional breakdown: counts that
// a province view may hide.
type KelurahanDasbor struct {
	Kode        string `json:"kode" example:"32.76.01.1006"`
	NamaWilayah string `json:"nama_wilayah" example:"Depok"`
	UMKM        Sel    `json:"umkm"`
	Koperasi    Sel    `json:"koperasi"`
	BelumPernah Sel    `json:"belum_pernah" doc:"Live businesses never helped."`
}

// Dasbor is the dashboard of one office.
type Dasbor struct {
	Tenant     string            `json:"tenant" example:"depok"`
	NamaTenant string            `json:"nama_tenant" example:"Kota Depok"`
	DihitungAt *time.Time        `json:"dihitung_at" nullable:"true" doc:"When every figure here was computed from the register (it reflects every change committed before). null: not computed yet."`
	Ambang     int               `json:"ambang_sel_kecil,omitempty" doc:"Province views: desa/kelurahan counts from 1 to this minus 1 are hidden (see Sel)."`
	UMKM       AngkaUMKM         `json:"umkm"`
	Koperasi   AngkaKoperasi     `json:"koperasi"`
	Target     []ProgresTarget   `json:"target" nullable:"false" doc:"Programme targets of the office (tenant settings), with what was achieved."`
	Program    AngkaProgram      `json:"program" doc:"Never-helped, overlap, participants and funding applications."`
	Wilayah    []KecamatanDasbor `json:"wilayah" nullable:"false" doc:"Every kecamatan with its desa/kelurahan, in code order."`
}

// RingkasanTenant is one office in the province summary.
type RingkasanTenant struct {
	Tenant     string          `json:"tenant" example:"depok"`
	NamaTenant string          `json:"nama_tenant" example:"Kota Depok"`
	DihitungAt *time.Time      `json:"dihitung_at" nullable:"true" doc:"When this office's figures were computed; null: not yet."`
	UMKM       AngkaUMKM       `json:"umkm"`
	Koperasi   AngkaKoperasi   `json:"koperasi"`
	Target     []ProgresTarget `json:"target" nullable:"false"`
	Program    AngkaProgram    `json:"program" doc:"Counts from 1 to the province's small-cell threshold minus 1 are hidden; overlap is per office only. The province has no sum of these."`
}

// Provinsi is the summary of a province: each office and their sum.
type Provinsi struct {
	Kode         string            `json:"kode" example:"32"`
	NamaProvinsi string            `json:"nama_provinsi" example:"Jawa Barat"`
	DihitungAt   *time.Time        `json:"dihitung_at" nullable:"true" doc:"The oldest computation among the offices: every figure of the province total is at least this fresh. null: an office has no figures yet."`
	UMKM         AngkaUMKM         `json:"umkm" doc:"Sum over the offices."`
	Koperasi     AngkaKoperasi     `json:"koperasi" doc:"Sum over the offices."`
	Tenant       []RingkasanTenant `json:"tenant" nullable:"false" doc:"The offices of the province, by slug."`
}

// WilayahDasbor is the breakdown of one kecamatan or desa/kelurahan.
type WilayahDasbor struct {
	Kode        string        `json:"kode"`
	NamaWilayah string        `json:"nama_wilayah"`
	Tingkat     string        `json:"tingkat" enum:"kecamatan,desa_kelurahan"`
	DihitungAt  *time.Time    `json:"dihitung_at" nullable:"true"`
	UMKM        AngkaUMKM     `json:"umkm"`
	Koperasi    AngkaKoperasi `json:"koperasi"`
	BelumPernah int           `json:"belum_pernah" doc:"Live businesses of the region that no programme of any agency has helped (tumpang's never-helped)."`
}

// The River job that refreshes a tenant's figures. The triggers of
// migrations/010_dasbor.sql insert it from SQL with exactly this kind,
// queue and args ({"tenant_id": ...}); internal/jobs works it.
const (
	JobKind = "dasbor_segarkan"
	Queue   = "dasbor"
)
