package umkm

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/sentra-id/sentra/internal/dbtest"
)

// TestStageEncodingMatchesPgx: the hand-written binary COPY of the stage
// writes exactly what pgx's own encoding of the same values writes.
func TestStageEncodingMatchesPgx(t *testing.T) {
	env := dbtest.New(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	s, i, i64, f := func(v string) *string { return &v }, func(v int) *int { return &v }, func(v int64) *int64 { return &v },
		func(v float64) *float64 { return &v }
	until := now.AddDate(1, 0, 0)
	full := staged{id: uuid.Must(uuid.NewV7()), kendala: []string{"permodalan", "pemasaran"}, probe: true, r: row{
		nikHash: []byte{1, 2, 3}, nikSealed: []byte{0, 255, 7}, nikMasked: s("3276xxxxxxxx0001"),
		skala: &Skala{Skala: "mikro", Kriteria: "modal", Regulasi: "PP 7/2021"},
		legal: []legal{{Jenis: "pirt", Status: "dalam_proses"}, {Jenis: "hki", Nomor: s("IDM000123 \"Renyah\" — merek\n"), Status: "belum"},
			{Jenis: "halal", Nomor: s("ID32110000123450823"), Status: StatusTerbit, BerlakuSampai: &until}},
		in: Input{NamaPemilik: "Siti Aminah", JenisKelamin: s("P"), Telepon: s("0812-3456-7890"), Email: s("siti@contoh.id"),
			NamaUsaha: "Keripik Singkong Bu Siti — “Renyah”", Sektor: "kuliner", KBLI: s("10792"), Produk: s("keripik, rempeyek"),
			Alamat: s("Jl. Merdeka No. 5"), RT: s("003"), RW: s("007"), KecamatanKode: "32.76.01", KelurahanKode: "32.76.01.1006",
			Latitude: f(-6.402905), Longitude: f(106.794243), ModalUsaha: i64(0), OmzetTahunan: i64(9_223_372_036_854_775_807),
			TotalAset: i64(50_000_000), KaryawanLaki: i(3), KaryawanPerempuan: i(100_000), TahunMulai: i(1999),
			NIB: s("1234567890123"), StatusBinaan: s("binaan"), SaluranPenjualan: []string{"offline", "shopee", "gofood"},
			SkalaDilaporkan: s("kecil")},
	}}
	bare := staged{id: uuid.Must(uuid.NewV7()), r: row{in: Input{NamaPemilik: "Budi", NamaUsaha: "Warung", Sektor: "jasa",
		KecamatanKode: "32.76.02", KelurahanKode: "32.76.02.1001"}}}
	rows := []staged{full, bare}

	err := env.DB.InTx(ctx, func(tx pgx.Tx) error {
		if err := stage(ctx, tx, rows, now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "create temp table reference (like umkm_stage)"); err != nil {
			return err
		}
		k := 0
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"reference"}, append(slices.Clone(stageCols), "probe"), pgx.CopyFromFunc(func() ([]any, error) {
			if k == len(rows) {
				return nil, nil
			}
			k++
			return pgxValues(rows[k-1], now), nil
		})); err != nil {
			return err
		}
		for _, q := range []string{
			"select count(*) from (table umkm_stage except all table reference) d",
			"select count(*) from (table reference except all table umkm_stage) d",
		} {
			var n int
			if err := tx.QueryRow(ctx, q).Scan(&n); err != nil {
				return err
			}
			if n != 0 {
				t.Errorf("%s: %d rows differ", q, n)
			}
		}
		var staged int
		if err := tx.QueryRow(ctx, "select count(*) from umkm_stage").Scan(&staged); err != nil {
			return err
		}
		if staged != len(rows) {
			t.Errorf("%d rows staged, want %d", staged, len(rows))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// pgxValues is the stage row as pgx would encode it (the encoding the stage
// used before copyBinary).
func pgxValues(st staged, now time.Time) []any {
	in, r := st.r.in, st.r
	status := "bukan_binaan"
	if in.StatusBinaan != nil {
		status = *in.StatusBinaan
	}
	var sh, sk, sr *string
	if r.skala != nil {
		sh, sk, sr = &r.skala.Skala, &r.skala.Kriteria, &r.skala.Regulasi
	}
	var tahun *int16
	if in.TahunMulai != nil {
		y := int16(*in.TahunMulai)
		tahun = &y
	}
	i32 := func(v *int) *int32 {
		if v == nil {
			return nil
		}
		x := int32(*v)
		return &x
	}
	channels, kendala := in.SaluranPenjualan, st.kendala
	if channels == nil {
		channels = []string{}
	}
	if kendala == nil {
		kendala = []string{}
	}
	// Documents as encoding/json writes them, in kind order.
	docs, err := json.Marshal(append([]legal{}, slices.SortedFunc(slices.Values(r.legal), byJenis)...))
	if err != nil {
		panic(err)
	}
	return []any{pgtype.UUID{Bytes: st.id, Valid: true}, in.NamaPemilik, r.nikHash, r.nikSealed, r.nikMasked, in.JenisKelamin, in.Telepon, in.Email,
		in.NamaUsaha, in.Sektor, in.KBLI, in.Produk, in.Alamat, in.RT, in.RW, in.KecamatanKode, in.KelurahanKode,
		in.Latitude, in.Longitude, in.ModalUsaha, in.OmzetTahunan, in.TotalAset, i32(in.KaryawanLaki), i32(in.KaryawanPerempuan),
		tahun, in.NIB, status, channels, in.SkalaDilaporkan, sh, sk, sr, terbit(r.legal),
		LegalitasLengkap(in.Sektor, r.legal, now), kendala, docs, st.probe}
}
