// Package pendanaan is funding (DOMAIN.md "Funding"): the schemes an office
// works with as dated reference data with its own overrides, applications
// and their stages (a business, a cooperative or a Kredit Mesra group),
// and Depok's interest-subsidy ledger with the bank's claims against the
// year's budget. Amounts are whole rupiah (int64); percentages are basis
// points (9000 = 90 %), so every rupiah computed is exact.
package pendanaan

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Jenis (kind) of a scheme.
const (
	JenisSubsidiBunga = "subsidi_bunga"
	JenisKreditMesra  = "kredit_mesra"
	JenisKUR          = "kur"
	JenisHibah        = "hibah"
)

// Skema is a scheme as in force for an office on a day: the reference
// version merged with the office's override, if any.
type Skema struct {
	Kode         string      `json:"kode"`
	Jenis        string      `json:"jenis" enum:"subsidi_bunga,kredit_mesra,kur,hibah"`
	Nama         string      `json:"nama"`
	DasarHukum   string      `json:"dasar_hukum" doc:"The legal basis of this version."`
	Sumber       string      `json:"sumber" doc:"Where the figures come from."`
	BerlakuMulai string      `json:"berlaku_mulai" format:"date" doc:"The day the reference version came into force."`
	Ubahan       *Ubahan     `json:"ubahan,omitempty" doc:"The office's override in force, if any."`
	Aturan       AturanSkema `json:"aturan"`
}

// Ubahan is an office's override of a scheme's figures from a day.
type Ubahan struct {
	BerlakuMulai string `json:"berlaku_mulai" format:"date"`
	Alasan       string `json:"alasan"`
}

// AturanSkema are a scheme's figures. Each kind uses its part; the migration
// checks that each version carries the keys of its kind.
type AturanSkema struct {
	// subsidi_bunga
	PokokMin    int64            `json:"pokok_min,omitempty" doc:"Smallest principal (rupiah)."`
	Tingkat     []TingkatSkema   `json:"tingkat,omitempty" doc:"Tiers by principal, smallest first."`
	Pembulatan  string           `json:"pembulatan,omitempty" doc:"subsidi_ke_bawah: the subsidy is rounded down to the rupiah, the debtor pays the rest."`
	PaguTahunan map[string]int64 `json:"pagu_tahunan,omitempty" doc:"The budget ceiling per year (rupiah)."`
	// gates and priorities (subsidi_bunga, kredit_mesra)
	Syarat    []SyaratDana `json:"syarat,omitempty" doc:"The gates an application must pass, each before its stage."`
	Prioritas []SyaratDana `json:"prioritas,omitempty" doc:"What gives an applicant priority without being a gate."`
	// kredit_mesra
	AnggotaMin      int      `json:"anggota_min,omitempty"`
	AnggotaMaks     int      `json:"anggota_maks,omitempty"`
	PlafonMin       int64    `json:"plafon_min,omitempty" doc:"Smallest amount per member (rupiah)."`
	PlafonMaks      int64    `json:"plafon_maks,omitempty" doc:"Largest amount per member (rupiah)."`
	Biaya           []Biaya  `json:"biaya,omitempty" doc:"The admin fee per tenor, deducted at disbursement."`
	Rekomendasi     []string `json:"rekomendasi,omitempty" doc:"The group's required recommendations (papers)."`
	RekomendasiLain []string `json:"rekomendasi_lain,omitempty" doc:"Recommendations recorded as papers but not required."`
	Dokumen         []string `json:"dokumen,omitempty" doc:"The papers recorded per applicant (Kredit Mesra: per member)."`
	// kur, hibah
	RujukanSaja  bool     `json:"rujukan_saja,omitempty" doc:"The office only refers the business to a bank."`
	Penerima     []string `json:"penerima,omitempty" doc:"Who may receive it (hibah: never an individual)."`
	TahapDokumen []string `json:"tahap_dokumen,omitempty"`
	Bank         []string `json:"bank,omitempty"`
}

// TingkatSkema is a tier by principal: up to PokokMaks rupiah (inclusive).
type TingkatSkema struct {
	Nama      string `json:"nama,omitempty"`
	PokokMaks int64  `json:"pokok_maks"`
	SubsidiBP int    `json:"subsidi_bp,omitempty" doc:"Share of the interest subsidised, basis points."`
	BungaBP   []int  `json:"bunga_bp,omitempty" doc:"KUR: the rate per access (1st, 2nd, ...), basis points."`
}

// Biaya is Kredit Mesra's fee for a tenor.
type Biaya struct {
	TenorBulan int `json:"tenor_bulan"`
	BiayaBP    int `json:"biaya_bp"`
}

// skemaSQL reads the schemes in force for the office on day $1: per code,
// the latest reference version from before or on the day, limited to the
// office's province or to the office itself, and its latest override from
// before or on the day merged over it.
const skemaSQL = `select s.kode, s.jenis, s.nama, s.dasar_hukum, s.sumber, s.berlaku_mulai,
		u.berlaku_mulai, u.alasan, s.aturan || coalesce(u.aturan, '{}'::jsonb)
	from (select distinct on (kode) * from skema_dana
		where berlaku_mulai <= $1
		  and (provinsi_kode is null or provinsi_kode = $2)
		  and (kantor_slug is null or kantor_slug = $3)
		order by kode, berlaku_mulai desc) s
	left join lateral (select berlaku_mulai, alasan, aturan from skema_dana_ubah u
		where u.kode = s.kode and u.berlaku_mulai <= $1 order by u.berlaku_mulai desc limit 1) u on true`

func scanSkema(row pgx.Row) (Skema, error) {
	var (
		s         Skema
		mulai     time.Time
		ubahMulai *time.Time
		alasan    *string
		raw       []byte
	)
	if err := row.Scan(&s.Kode, &s.Jenis, &s.Nama, &s.DasarHukum, &s.Sumber, &mulai, &ubahMulai, &alasan, &raw); err != nil {
		return Skema{}, err
	}
	s.BerlakuMulai = mulai.Format(time.DateOnly)
	if ubahMulai != nil {
		s.Ubahan = &Ubahan{BerlakuMulai: ubahMulai.Format(time.DateOnly), Alasan: *alasan}
	}
	if err := json.Unmarshal(raw, &s.Aturan); err != nil {
		return Skema{}, fmt.Errorf("skema %s: aturan: %w", s.Kode, err)
	}
	return s, nil
}

// ListSkema returns the schemes in force for office t on day.
func (s *Service) ListSkema(ctx context.Context, t *tenancy.Tenant, day time.Time) ([]Skema, error) {
	var out []Skema
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, skemaSQL+` order by s.kode`, day, t.ProvinceCode, t.Slug)
		if err != nil {
			return fmt.Errorf("list skema: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Skema, error) { return scanSkema(r) })
		return err
	})
	return out, err
}

// skemaTx is scheme kode as in force for t on day; a scheme the office
// does not have is reported on field.
func skemaTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, kode string, day time.Time, field string) (Skema, error) {
	sk, err := scanSkema(tx.QueryRow(ctx, skemaSQL+` where s.kode = $4`, day, t.ProvinceCode, t.Slug, kode))
	if err != nil {
		if apperr.KindOf(db.MapError(err)) == apperr.KindNotFound {
			return Skema{}, apperr.InvalidField(field, kode, apperr.T(
				"Skema pendanaan tidak dikenal atau tidak berlaku di kantor ini pada tanggal tersebut.",
				"Unknown funding scheme, or not in force for this office on that day."))
		}
		return Skema{}, fmt.Errorf("skema %s: %w", kode, err)
	}
	return sk, nil
}

// UbahanInput is an office's override of a scheme's figures.
type UbahanInput struct {
	BerlakuMulai string          `json:"berlaku_mulai" format:"date" doc:"The first day it is in force (YYYY-MM-DD)."`
	Aturan       json.RawMessage `json:"aturan" doc:"The figures that replace the reference's (same keys as the scheme's aturan)."`
	Alasan       string          `json:"alasan" minLength:"1" maxLength:"500" doc:"Why the office's figure differs (e.g. a local decision)."`
}

// Ubah records an override of scheme kode for office t. The merged figures
// must still read as the scheme's kind, so a typo cannot break it.
func (s *Service) Ubah(ctx context.Context, t *tenancy.Tenant, kode string, in UbahanInput) (Skema, error) {
	day, err := time.Parse(time.DateOnly, in.BerlakuMulai)
	if err != nil {
		return Skema{}, apperr.InvalidField("body.berlaku_mulai", in.BerlakuMulai, apperr.T("Tanggal harus YYYY-MM-DD.", "Dates are YYYY-MM-DD."))
	}
	var patch map[string]json.RawMessage
	if err := json.Unmarshal(in.Aturan, &patch); err != nil || len(patch) == 0 {
		return Skema{}, apperr.InvalidField("body.aturan", nil, apperr.T("Aturan harus objek JSON berisi angka yang diubah.", "aturan must be a JSON object of the figures changed."))
	}
	var check AturanSkema
	dec := json.NewDecoder(bytes.NewReader(in.Aturan))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&check); err != nil {
		return Skema{}, apperr.InvalidField("body.aturan", nil, apperr.T("Aturan berisi kunci atau nilai yang tidak dikenal.", "aturan holds an unknown key or value."))
	}
	var out Skema
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if _, err := skemaTx(ctx, tx, t, kode, day, "path.kode"); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `insert into skema_dana_ubah (tenant_id, kode, berlaku_mulai, aturan, alasan) values ($1, $2, $3, $4, $5)`,
			t.ID, kode, day, []byte(in.Aturan), in.Alasan); err != nil {
			if err = db.MapError(err); apperr.KindOf(err) == apperr.KindConflict {
				return apperr.Conflict(apperr.T("Kantor sudah punya ubahan skema ini yang berlaku mulai tanggal itu; pilih tanggal lain.",
					"The office has an override of this scheme from that day already; choose another day."), "")
			}
			return err
		}
		out, err = skemaTx(ctx, tx, t, kode, day, "path.kode")
		if err != nil {
			return err
		}
		if err := checkAturan(out); err != nil {
			return err
		}
		return auditTx(ctx, tx, t, "update", "skema_dana", kode, nil, out)
	})
	return out, err
}

// checkAturan refuses figures a scheme of its kind cannot work with.
func checkAturan(sk Skema) error {
	a := sk.Aturan
	bad := func() error {
		return apperr.InvalidField("body.aturan", nil, apperr.T("Angka skema setelah diubah tidak masuk akal untuk jenis skema ini.",
			"The scheme's figures after the change do not make sense for its kind."))
	}
	if !checkSyarat(a) {
		return apperr.InvalidField("body.aturan", nil, apperr.T("Syarat skema berisi kode atau tahap yang tidak dikenal (tahap: lengkap atau disetujui).",
			"The scheme's gates hold an unknown code or stage (lengkap or disetujui)."))
	}
	switch sk.Jenis {
	case JenisSubsidiBunga:
		prev := a.PokokMin - 1
		for _, tk := range a.Tingkat {
			if tk.PokokMaks <= prev || tk.SubsidiBP < 0 || tk.SubsidiBP > 10000 {
				return bad()
			}
			prev = tk.PokokMaks
		}
		if len(a.Tingkat) == 0 || a.PokokMin < 1 {
			return bad()
		}
	case JenisKreditMesra:
		if a.AnggotaMin < 1 || a.AnggotaMaks < a.AnggotaMin || a.PlafonMin < 1 || a.PlafonMaks < a.PlafonMin || len(a.Biaya) == 0 {
			return bad()
		}
		for _, b := range a.Biaya {
			if b.TenorBulan < 1 || b.BiayaBP < 0 || b.BiayaBP > 10000 {
				return bad()
			}
		}
	}
	return nil
}
