package koperasi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"

	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// The campaign report: an XLSX workbook with the summary and one row per
// proposal, produced by a River job and downloaded as a berkas.

// LaporanArgs is the River job that writes a campaign report.
type LaporanArgs struct{ pekerjaan.Args }

func (LaporanArgs) Kind() string { return "laporan_reklasifikasi" }

type laporanParams struct {
	KampanyeID uuid.UUID `json:"kampanye_id"`
}

const mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// QueueLaporan records a queued report of a campaign in tx; the caller
// enqueues the args in tx. A campaign still running gets a report of what
// it has done so far.
func (s *Service) QueueLaporan(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, kampanyeID, by uuid.UUID) (pekerjaan.Job, LaporanArgs, error) {
	if _, err := getKampanyeTx(ctx, tx, kampanyeID, false); err != nil {
		return pekerjaan.Job{}, LaporanArgs{}, err
	}
	job, err := pekerjaan.Create(ctx, tx, t.ID, "laporan_reklasifikasi", laporanParams{KampanyeID: kampanyeID}, nil, by)
	return job, LaporanArgs{Args: pekerjaan.Args{TenantID: t.ID, PekerjaanID: job.ID}}, err
}

// RunLaporan writes the report in tx, the job's own tenant transaction.
func (s *Service) RunLaporan(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, id uuid.UUID) error {
	job, err := pekerjaan.Get(ctx, tx, id)
	if err != nil {
		return err
	}
	if job.Status == pekerjaan.Selesai {
		return nil
	}
	var p laporanParams
	if err := json.Unmarshal(job.Parameter, &p); err != nil {
		return fmt.Errorf("laporan %s parameters: %w", id, err)
	}
	out, n, err := s.laporan(ctx, tx, t, p.KampanyeID)
	if err != nil {
		return err
	}
	var slug string
	if err := tx.QueryRow(ctx, "select slug from tenants where id = $1", t.ID).Scan(&slug); err != nil {
		return err
	}
	name := fmt.Sprintf("reklasifikasi-%s-%s.xlsx", slug, s.Now().Format("20060102-1504"))
	fileID, err := pekerjaan.SaveFile(ctx, tx, t.ID, name, mimeXLSX, out, nil)
	if err != nil {
		return err
	}
	return pekerjaan.Finish(ctx, tx, id, n, map[string]any{"kampanye_id": p.KampanyeID, "baris": n}, &fileID)
}

// laporanKolom are the proposal sheet's columns.
var laporanKolom = []string{"ID Usulan", "ID Koperasi", "Nama Koperasi", "NIK Koperasi", "Kelompok", "Kecamatan", "Kelurahan/Desa",
	"Hasil", "Jenis Diusulkan", "Keyakinan", "Tahun Data", "Sumber Data", "Total Volume (Rp)",
	"% Konsumen", "% Produsen", "% Pemasaran", "% Jasa", "% Simpan Pinjam", "% Lainnya",
	"Flag Simpan Pinjam", "Pola Simpan Pinjam", "Catatan", "Penolakan Sebelumnya",
	"Status", "Jenis Disetujui", "Alasan", "Dasar Hukum", "Diputuskan Pada"}

func (s *Service) laporan(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, kampanyeID uuid.UUID) ([]byte, int, error) {
	k, err := getKampanyeTx(ctx, tx, kampanyeID, false)
	if err != nil {
		return nil, 0, err
	}
	counts := map[string]int{}
	rows, err := tx.Query(ctx, `select status, count(*) from reklasifikasi_usulan where kampanye_id = $1 group by status`, kampanyeID)
	if err != nil {
		return nil, 0, err
	}
	var (
		st string
		c  int
	)
	if _, err := pgx.ForEachRow(rows, []any{&st, &c}, func() error { counts[st] = c; return nil }); err != nil {
		return nil, 0, err
	}

	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Ringkasan"); err != nil {
		return nil, 0, err
	}
	if _, err := f.NewSheet("Usulan"); err != nil {
		return nil, 0, err
	}
	sum, err := f.NewStreamWriter("Ringkasan")
	if err != nil {
		return nil, 0, err
	}
	selesai := ""
	if k.SelesaiAt != nil {
		selesai = k.SelesaiAt.UTC().Format(time.RFC3339)
	}
	total := k.Diproses
	if k.Total != nil {
		total = *k.Total
	}
	lines := [][]any{
		{"Laporan Reklasifikasi Koperasi", ""},
		{"ID kampanye", k.ID.String()},
		{"Status", k.Status},
		{"Dimulai", k.DimulaiAt.UTC().Format(time.RFC3339)},
		{"Selesai", selesai},
		{"Ambang keyakinan tinggi (%)", k.Kebijakan.AmbangTinggiPersen},
		{"Selisih keyakinan sedang (poin)", k.Kebijakan.SelisihSedangPoin},
		{"Tahun data paling akhir", k.Kebijakan.TahunMaks},
		{"Koperasi yang diklasifikasi", total},
		{"Sudah diproses", k.Diproses},
		{"Usulan keyakinan tinggi", k.Ringkasan.Tinggi},
		{"Usulan keyakinan sedang", k.Ringkasan.Sedang},
		{"Perlu tinjauan", k.Ringkasan.PerluTinjauan},
		{"Perlu data", k.Ringkasan.PerluData},
		{"Flag simpan pinjam", k.Ringkasan.FlagSimpanPinjam},
		{"Usulan lama yang digantikan", k.Ringkasan.Digantikan},
	}
	for _, j := range AllJenis {
		lines = append(lines, []any{"Diusulkan " + string(j), k.Ringkasan.PerJenis[j]})
	}
	for _, s := range []string{UsulanMenunggu, UsulanDisetujui, UsulanDitolak, UsulanDigantikan} {
		lines = append(lines, []any{"Status " + s, counts[s]})
	}
	for i, l := range lines {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sum.SetRow(cell, l); err != nil {
			return nil, 0, err
		}
	}
	if err := sum.Flush(); err != nil {
		return nil, 0, err
	}

	sw, err := f.NewStreamWriter("Usulan")
	if err != nil {
		return nil, 0, err
	}
	head := make([]any, len(laporanKolom))
	for i, h := range laporanKolom {
		head[i] = h
	}
	if err := sw.SetRow("A1", head); err != nil {
		return nil, 0, err
	}
	n, after := 0, uuid.Nil
	for {
		rows, err := tx.Query(ctx, `select u.id, u.koperasi_id, k.nama, coalesce(k.nik_koperasi, ''), coalesce(k.kelompok, ''),
				coalesce(kc.nama, k.kecamatan_kode), coalesce(kl.nama, k.kelurahan_kode),
				u.hasil, coalesce(u.jenis_usulan, ''), coalesce(u.keyakinan, ''), u.porsi, u.flag_simpan_pinjam,
				u.status, coalesce(u.jenis_disetujui, ''), coalesce(u.alasan, ''), coalesce(u.dasar_hukum, ''), u.diputuskan_at
			from reklasifikasi_usulan u
			join koperasi k on k.tenant_id = u.tenant_id and k.id = u.koperasi_id
			left join wilayah kc on kc.tenant_id = k.tenant_id and kc.kode = k.kecamatan_kode
			left join wilayah kl on kl.tenant_id = k.tenant_id and kl.kode = k.kelurahan_kode
			where u.kampanye_id = $1 and u.id > $2 order by u.id limit 1000`, kampanyeID, after)
		if err != nil {
			return nil, 0, fmt.Errorf("laporan rows: %w", err)
		}
		var r laporanBaris
		page := 0
		_, err = pgx.ForEachRow(rows, []any{&r.usulan, &r.koperasi, &r.nama, &r.nik, &r.kelompok, &r.kecamatan, &r.kelurahan,
			&r.hasil, &r.jenis, &r.keyakinan, &r.porsi, &r.flag, &r.status, &r.disetujui, &r.alasan, &r.dasarHukum, &r.diputuskan}, func() error {
			page++
			n++
			after = r.usulan
			cell, _ := excelize.CoordinatesToCellName(1, n+1)
			err := sw.SetRow(cell, r.cells())
			r.porsi = Porsi{} // JSON decoding merges into what is there
			return err
		})
		if err != nil {
			return nil, 0, err
		}
		if page < 1000 {
			break
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, 0, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, 0, err
	}
	return buf.Bytes(), n, nil
}

type laporanBaris struct {
	usulan, koperasi                          uuid.UUID
	nama, nik, kelompok, kecamatan, kelurahan string
	hasil, jenis, keyakinan                   string
	porsi                                     Porsi
	flag                                      bool
	status, disetujui, alasan, dasarHukum     string
	diputuskan                                *time.Time
}

func (r laporanBaris) cells() []any {
	pct := func(j Jenis) any {
		if p, ok := r.porsi.Jenis[j]; ok {
			return p.Persen
		}
		return 0
	}
	lainnya := any(0)
	if r.porsi.Lainnya != nil {
		lainnya = r.porsi.Lainnya.Persen
	}
	tahun := any("")
	if r.porsi.Tahun > 0 {
		tahun = r.porsi.Tahun
	}
	// Shares from a composition in percent have no rupiah total.
	total := any(r.porsi.Total)
	if r.porsi.Sumber == SumberKomposisi {
		total = ""
	}
	ya := "tidak"
	if r.flag {
		ya = "ya"
	}
	tolak, diputuskan := "", ""
	if r.porsi.Tolak != nil {
		tolak = r.porsi.Tolak.Alasan
	}
	if r.diputuskan != nil {
		diputuskan = r.diputuskan.UTC().Format(time.RFC3339)
	}
	return []any{r.usulan.String(), r.koperasi.String(), laporanTeks(r.nama), r.nik, r.kelompok, r.kecamatan, r.kelurahan,
		r.hasil, r.jenis, r.keyakinan, tahun, string(r.porsi.Sumber), total,
		pct(JenisKonsumen), pct(JenisProdusen), pct(JenisPemasaran), pct(JenisJasa), pct(JenisSimpanPinjam), lainnya,
		ya, strings.Join(r.porsi.Pola, ", "), laporanTeks(r.porsi.Catatan), laporanTeks(tolak),
		r.status, r.disetujui, laporanTeks(r.alasan), laporanTeks(r.dasarHukum), diputuskan}
}

// laporanTeks keeps a typed-in text from being taken for a formula by a
// spreadsheet that re-saves or converts the report (OWASP CSV injection).
func laporanTeks(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
