package umkm

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// stageCols are the columns staged for a bulk insert, in order.
var stageCols = []string{"id", "nama_pemilik", "nik_hash", "nik_sealed", "nik_masked", "jenis_kelamin", "telepon", "email",
	"nama_usaha", "sektor", "kbli", "produk", "alamat", "rt", "rw", "kecamatan_kode", "kelurahan_kode", "latitude", "longitude",
	"modal_usaha", "omzet_tahunan", "total_aset", "karyawan_laki", "karyawan_perempuan", "tahun_mulai", "nib", "status_binaan",
	"saluran_penjualan", "skala_dilaporkan", "skala_hitung", "skala_kriteria", "skala_regulasi", "legalitas_terbit",
	"legalitas_lengkap", "kendala_terbuka", "legalitas"}

const stageDDL = `create temp table if not exists umkm_stage (
	id uuid, nama_pemilik text, nik_hash bytea, nik_sealed bytea, nik_masked text, jenis_kelamin text, telepon text,
	email text, nama_usaha text, sektor text, kbli text, produk text, alamat text, rt text, rw text, kecamatan_kode text,
	kelurahan_kode text, latitude float8, longitude float8, modal_usaha int8, omzet_tahunan int8, total_aset int8,
	karyawan_laki int4, karyawan_perempuan int4, tahun_mulai int2, nib text, status_binaan text, saluran_penjualan text[],
	skala_dilaporkan text, skala_hitung text, skala_kriteria text, skala_regulasi text, legalitas_terbit text[],
	legalitas_lengkap bool, kendala_terbuka text[], legalitas jsonb, probe bool) on commit drop;
create temp table if not exists kendala_stage (id uuid, umkm_id uuid, kategori text, dilaporkan date) on commit drop;
truncate umkm_stage, kendala_stage`

// staged is a validated row with its id, ready for a bulk write.
type staged struct {
	id      uuid.UUID
	r       row
	kendala []string // open constraint categories (generator only)
	probe   bool     // match against the register by NIK and NIB (import only)
}

// encode writes the row's stageCols and probe; scratch is a buffer it may
// reuse, returned for the next row.
func (st staged) encode(w *copyBinary, now time.Time, scratch []byte) []byte {
	in, r := st.r.in, st.r
	w.tuple(len(stageCols) + 1)
	w.uuid(st.id)
	w.text(in.NamaPemilik)
	w.bytea(r.nikHash)
	w.bytea(r.nikSealed)
	w.optText(r.nikMasked)
	w.optText(in.JenisKelamin)
	w.optText(in.Telepon)
	w.optText(in.Email)
	w.text(in.NamaUsaha)
	w.text(in.Sektor)
	w.optText(in.KBLI)
	w.optText(in.Produk)
	w.optText(in.Alamat)
	w.optText(in.RT)
	w.optText(in.RW)
	w.text(in.KecamatanKode)
	w.text(in.KelurahanKode)
	w.float8(in.Latitude)
	w.float8(in.Longitude)
	w.int8(in.ModalUsaha)
	w.int8(in.OmzetTahunan)
	w.int8(in.TotalAset)
	w.int4(in.KaryawanLaki)
	w.int4(in.KaryawanPerempuan)
	w.int2(in.TahunMulai)
	w.optText(in.NIB)
	w.text(r.statusBinaan())
	w.textArray(in.SaluranPenjualan)
	w.optText(in.SkalaDilaporkan)
	if r.skala != nil {
		w.text(r.skala.Skala)
		w.text(r.skala.Kriteria)
		w.text(r.skala.Regulasi)
	} else {
		w.null()
		w.null()
		w.null()
	}
	w.textArray(terbit(r.legal))
	w.bool(LegalitasLengkap(in.Sektor, r.legal, now))
	w.textArray(st.kendala)
	scratch = appendLegalJSON(scratch[:0], r.legal)
	w.jsonb(scratch)
	w.bool(st.probe)
	return scratch
}

// stage copies rows into the session's temporary staging tables. COPY is
// refused on tables under RLS; a temporary table has none, and the insert
// that follows runs under the tenant's policy (WITH CHECK).
func stage(ctx context.Context, tx pgx.Tx, rows []staged, now time.Time) error {
	if _, err := tx.Exec(ctx, stageDDL); err != nil {
		return fmt.Errorf("staging tables: %w", err)
	}
	w := newCopyBinary(len(rows) * 640)
	var scratch []byte
	for _, st := range rows {
		scratch = st.encode(w, now, scratch)
	}
	if _, err := tx.Conn().PgConn().CopyFrom(ctx, bytes.NewReader(w.bytes()),
		"copy umkm_stage ("+strings.Join(stageCols, ", ")+", probe) from stdin (format binary)"); err != nil {
		return fmt.Errorf("stage rows: %w", err)
	}
	var kendalaRows [][]any
	for _, st := range rows {
		for _, k := range st.kendala {
			kendalaRows = append(kendalaRows, []any{uuid.Must(uuid.NewV7()), st.id, k, now})
		}
	}
	if len(kendalaRows) > 0 { // imports bring none
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"kendala_stage"}, []string{"id", "umkm_id", "kategori", "dilaporkan"},
			pgx.CopyFromRows(kendalaRows)); err != nil {
			return fmt.Errorf("stage kendala: %w", err)
		}
	}
	return nil
}

// insertStaged inserts the staged rows as new records of the transaction's
// tenant, with their constraints.
func insertStaged(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, source string, now time.Time) (int64, error) {
	cols := "nama_pemilik, nik_hash, nik_sealed, nik_masked, jenis_kelamin, telepon, email, nama_usaha, sektor, kbli, produk, " +
		"alamat, rt, rw, kecamatan_kode, kelurahan_kode, latitude, longitude, modal_usaha, omzet_tahunan, total_aset, " +
		"karyawan_laki, karyawan_perempuan, tahun_mulai, nib, status_binaan, saluran_penjualan, skala_dilaporkan, " +
		"skala_hitung, skala_kriteria, skala_regulasi, legalitas_terbit, legalitas_lengkap, kendala_terbuka, legalitas"
	tag, err := tx.Exec(ctx, `insert into umkm (tenant_id, id, sumber, created_at, updated_at, `+cols+`)
		select $1, id, $2, $3, $3, `+cols+` from umkm_stage`, tenantID, source, now)
	if err != nil {
		return 0, fmt.Errorf("insert staged umkm: %w", err)
	}
	if _, err := tx.Exec(ctx, `insert into umkm_kendala (tenant_id, id, umkm_id, kategori, dilaporkan)
		select $1, id, umkm_id, kategori, dilaporkan from kendala_stage`, tenantID); err != nil {
		return 0, fmt.Errorf("insert staged kendala: %w", err)
	}
	return tag.RowsAffected(), nil
}
