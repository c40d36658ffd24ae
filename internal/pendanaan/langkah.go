package pendanaan

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// LangkahInput moves an application to its next stage.
type LangkahInput struct {
	Tahap       string  `json:"tahap" doc:"The stage to move to: one of the application's berikutnya."`
	AlasanTolak *string `json:"alasan_tolak,omitempty" doc:"ditolak: slik, pinjaman_lain, paylater, dokumen or lainnya (lainnya needs catatan)."`
	NomorAkad   *string `json:"nomor_akad,omitempty" maxLength:"100" doc:"akad: the contract's number (hibah: the NPHD's)."`
	TanggalAkad *string `json:"tanggal_akad,omitempty" format:"date"`
	NomorSK     *string `json:"nomor_sk,omitempty" maxLength:"100" doc:"sk: the decree's number (SK Wali Kota; hibah: the Keputusan kepala daerah)."`
	TanggalSK   *string `json:"tanggal_sk,omitempty" format:"date"`
	Catatan     *string `json:"catatan,omitempty" maxLength:"1000" doc:"A note on the stage. Do not write NIK or phone numbers here."`
	// lengkap: the applicant's declarations; disurvei: the bank's SLIK.
	PernyataanBukanASN         *bool   `json:"pernyataan_bukan_asn,omitempty" doc:"lengkap: the applicant declares not being a civil servant (ASN)."`
	PernyataanTanpaKreditMacet *bool   `json:"pernyataan_tanpa_kredit_macet,omitempty" doc:"lengkap: the applicant declares no bad credit (spouse and close family included)."`
	SLIK                       *string `json:"slik,omitempty" enum:"bersih,bermasalah" doc:"disurvei: the bank's SLIK/BI checking result (required where the scheme gates on it)."`
}

// Langkah moves application id, at version, to the stage in asks. A stage
// it cannot move to now is a conflict naming where it is; what a stage
// needs (a reason, a number and date) is asked for by field.
func (s *Service) Langkah(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64, in LangkahInput, v View) (Pengajuan, error) {
	today, err := t.Today(s.Now())
	if err != nil {
		return Pengajuan{}, err
	}
	f := &fieldErrs{}
	catatan := f.text("body.catatan", in.Catatan, 1000)
	nomorAkad, nomorSK := f.text("body.nomor_akad", in.NomorAkad, 100), f.text("body.nomor_sk", in.NomorSK, 100)
	tglAkad, tglSK := f.date("body.tanggal_akad", in.TanggalAkad, today), f.date("body.tanggal_sk", in.TanggalSK, today)
	var alasan *string
	switch in.Tahap {
	case TahapDitolak:
		switch {
		case in.AlasanTolak == nil || !slices.Contains(AlasanTolak, *in.AlasanTolak):
			f.add("body.alasan_tolak", in.AlasanTolak, apperr.T("Alasan penolakan wajib dipilih: "+strings.Join(AlasanTolak, ", ")+".",
				"A rejection needs its reason: "+strings.Join(AlasanTolak, ", ")+"."))
		case *in.AlasanTolak == "lainnya" && catatan == nil:
			f.add("body.catatan", nil, apperr.T("Alasan \"lainnya\" perlu dijelaskan di catatan.", "The reason \"lainnya\" needs a note."))
		default:
			alasan = in.AlasanTolak
		}
	case TahapAkad:
		if nomorAkad == nil && in.NomorAkad == nil {
			f.add("body.nomor_akad", nil, apperr.T("Nomor akad wajib diisi.", "The contract's number is required."))
		}
		if tglAkad == nil && in.TanggalAkad == nil {
			f.add("body.tanggal_akad", nil, apperr.T("Tanggal akad wajib diisi.", "The contract's date is required."))
		}
	case TahapSK:
		if nomorSK == nil && in.NomorSK == nil {
			f.add("body.nomor_sk", nil, apperr.T("Nomor SK wajib diisi.", "The decree's number is required."))
		}
		if tglSK == nil && in.TanggalSK == nil {
			f.add("body.tanggal_sk", nil, apperr.T("Tanggal SK wajib diisi.", "The decree's date is required."))
		}
	case TahapLengkap, TahapDisurvei:
	case "":
		f.add("body.tahap", nil, apperr.T("Tahap tujuan wajib diisi.", "The stage to move to is required."))
	default:
		if !slices.Contains(Papan, in.Tahap) {
			f.add("body.tahap", in.Tahap, apperr.T("Tahap tidak dikenal.", "Unknown stage."))
		}
	}
	if in.Tahap != TahapLengkap {
		for field, set := range map[string]bool{"body.pernyataan_bukan_asn": in.PernyataanBukanASN != nil,
			"body.pernyataan_tanpa_kredit_macet": in.PernyataanTanpaKreditMacet != nil} {
			if set {
				f.add(field, nil, apperr.T("Pernyataan pemohon diisi saat pindah ke \""+NamaTahap[TahapLengkap]+"\".",
					"The applicant's declarations are given on the step to lengkap."))
			}
		}
	}
	switch {
	case in.SLIK != nil && in.Tahap != TahapDisurvei:
		f.add("body.slik", *in.SLIK, apperr.T("Hasil SLIK dicatat saat pindah ke \""+NamaTahap[TahapDisurvei]+"\".",
			"The SLIK result is recorded on the step to disurvei."))
	case in.SLIK != nil && *in.SLIK != SLIKBersih && *in.SLIK != SLIKBermasalah:
		f.add("body.slik", *in.SLIK, apperr.T("Hasil SLIK: bersih atau bermasalah.", "The SLIK result is bersih or bermasalah."))
	}
	if err := f.err(apperr.T("Perubahan tahap tidak valid. Periksa isian yang disebutkan.", "Invalid stage change. Check the fields listed.")); err != nil {
		return Pengajuan{}, err
	}
	var out Pengajuan
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := getTx(ctx, tx, t, id, v, true, today)
		if err != nil {
			return err
		}
		if before.Version != version {
			return apperr.PreconditionFailed()
		}
		if !slices.Contains(before.Berikutnya, in.Tahap) {
			return wrongStage(t, before, in.Tahap)
		}
		if in.Tahap == TahapDisurvei && in.SLIK == nil {
			berlaku, _ := time.Parse(time.DateOnly, before.SkemaBerlaku)
			sk, err := skemaVersiTx(ctx, tx, before.Skema, berlaku, today)
			if err != nil {
				return err
			}
			if hasSyarat(sk.Aturan, "slik_bersih") {
				return apperr.InvalidField("body.slik", nil, apperr.T("Hasil SLIK/BI checking dari bank wajib dicatat: bersih atau bermasalah.",
					"The bank's SLIK result is required: bersih or bermasalah."))
			}
		}
		now := s.Now()
		if _, err := tx.Exec(ctx, `update pengajuan_dana set tahap = $2, alasan_tolak = coalesce($3, alasan_tolak),
				nomor_akad = coalesce($4, nomor_akad), tanggal_akad = coalesce($5, tanggal_akad),
				nomor_sk = coalesce($6, nomor_sk), tanggal_sk = coalesce($7, tanggal_sk),
				pernyataan_bukan_asn = coalesce($9, pernyataan_bukan_asn),
				pernyataan_tanpa_kredit_macet = coalesce($10, pernyataan_tanpa_kredit_macet), slik = coalesce($11, slik),
				version = version + 1, updated_at = $8
			where id = $1`, id, in.Tahap, alasan, nomorAkad, tglAkad, nomorSK, tglSK, now,
			in.PernyataanBukanASN, in.PernyataanTanpaKreditMacet, in.SLIK); err != nil {
			return fmt.Errorf("langkah: %w", err)
		}
		// The gates due before the stage, with what this step declared:
		// any failing refuses the whole step (the transaction rolls back).
		if in.Tahap == TahapLengkap || in.Tahap == TahapDisetujui {
			check := before
			check.PernyataanBukanASN = coalesceBool(in.PernyataanBukanASN, before.PernyataanBukanASN)
			check.PernyataanTanpaKreditMacet = coalesceBool(in.PernyataanTanpaKreditMacet, before.PernyataanTanpaKreditMacet)
			if err := syaratTx(ctx, tx, &check, today); err != nil {
				return err
			}
			if kurang := due(check.SyaratKurang, in.Tahap); len(kurang) > 0 {
				return syaratBelum(Path(t.Slug, id), in.Tahap, kurang)
			}
		}
		if err := addTahap(ctx, tx, t, id, len(before.Riwayat), in.Tahap, now, catatan); err != nil {
			return err
		}
		if out, err = getTx(ctx, tx, t, id, v, false, today); err != nil {
			return err
		}
		if err := simpanSyarat(ctx, tx, out, now); err != nil {
			return err
		}
		return auditTx(ctx, tx, t, "update", "pengajuan_dana", id.String(), audited(before), audited(out))
	})
	return out, err
}

func coalesceBool(a, b *bool) *bool {
	if a != nil {
		return a
	}
	return b
}

// wrongStage is the conflict of a move the pipeline does not allow.
func wrongStage(t *tenancy.Tenant, p Pengajuan, to string) error {
	next := "tidak ada (pengajuan sudah selesai)"
	nextEN := "none (the application is closed)"
	if len(p.Berikutnya) > 0 {
		var names []string
		for _, n := range p.Berikutnya {
			names = append(names, NamaTahap[n])
		}
		next, nextEN = strings.Join(names, ", "), strings.Join(p.Berikutnya, ", ")
	}
	return apperr.Conflict(apperr.T(
		fmt.Sprintf("Pengajuan sedang di tahap \"%s\" dan tidak bisa pindah ke \"%s\". Tahap berikutnya yang bisa: %s.", NamaTahap[p.Tahap], NamaTahap[to], next),
		fmt.Sprintf("The application is at stage %q and cannot move to %q. It can move to: %s.", p.Tahap, to, nextEN)), Path(t.Slug, p.ID))
}

// Kolom is a column of the pipeline board: a stage, how many applications
// are in it, and the first of them.
type Kolom struct {
	Tahap  string      `json:"tahap"`
	Nama   string      `json:"nama"`
	Jumlah int         `json:"jumlah"`
	Kartu  []Pengajuan `json:"kartu" nullable:"false" doc:"The longest waiting first, at most per_kolom."`
}

// Board returns the pipeline as columns per stage of the schemes of kind
// jenis ("" all), each with its count and its perKolom longest-waiting
// applications (those are the ones to chase).
func (s *Service) Board(ctx context.Context, t *tenancy.Tenant, jenis string, perKolom int, v View) ([]Kolom, error) {
	cols := make([]Kolom, len(Papan))
	at := map[string]int{}
	for i, tahap := range Papan {
		cols[i] = Kolom{Tahap: tahap, Nama: NamaTahap[tahap], Kartu: []Pengajuan{}}
		at[tahap] = i
	}
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `select tahap, count(*) from pengajuan_dana where ($1 = '' or jenis = $1) group by tahap`, jenis)
		if err != nil {
			return fmt.Errorf("board counts: %w", err)
		}
		var (
			tahap string
			n     int
		)
		if _, err := pgx.ForEachRow(rows, []any{&tahap, &n}, func() error { cols[at[tahap]].Jumlah = n; return nil }); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `select * from (select `+pengajuanCols+`,
				row_number() over (partition by p.tahap order by p.updated_at, p.id) as urut`+pengajuanFrom+`
				where ($1 = '' or p.jenis = $1)) c where urut <= $2`, jenis, perKolom)
		if err != nil {
			return fmt.Errorf("board cards: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var urut int64
			p, err := scanPengajuan(extraScan{rows, &urut}, v)
			if err != nil {
				return err
			}
			cols[at[p.Tahap]].Kartu = append(cols[at[p.Tahap]].Kartu, p)
		}
		return rows.Err()
	})
	for i := range cols {
		slices.SortStableFunc(cols[i].Kartu, func(a, b Pengajuan) int { return a.TahapSejak.Compare(b.TahapSejak) })
	}
	return cols, err
}

// extraScan scans a row with trailing columns past an application's.
type extraScan struct {
	rows  pgx.Rows
	extra any
}

func (e extraScan) Scan(dest ...any) error { return e.rows.Scan(append(dest, e.extra)...) }
