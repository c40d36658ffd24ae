package umkm

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// mergeAudit is the surviving record as audited after a merge.
type mergeAudit struct {
	Record
	GabungDari uuid.UUID `json:"gabung_dari"`
}

// MergeDuplicate folds record sourceID (a duplicate) into record id, which
// stays, if id is at version. In one transaction:
//
//   - the duplicate's constraints and history move to the survivor (a history
//     row at an instant the survivor already has moves by microseconds), and
//     the duplicate's last figures join the survivor's history;
//   - its legal documents of kinds the survivor has no document of move too;
//   - the survivor's empty fields are filled from the duplicate; a known
//     value is never overwritten (NIK with its seal, address with RT/RW,
//     coordinates and employee counts go as pairs, so halves of two records
//     are never mixed); status binaan is kept if either record has it;
//   - the duplicate is archived with merged_into = id, which frees its NIK
//     and NIB for the survivor;
//   - derived fields (size, legal completeness, open constraint categories)
//     are recomputed, both versions move, and both records are audited.
func (s *Service) MergeDuplicate(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64, sourceID uuid.UUID, sc Scope) (Record, error) {
	if sourceID == id {
		return Record{}, apperr.InvalidField("body.sumber_id", sourceID.String(), apperr.T(
			"UMKM tidak dapat digabungkan dengan dirinya sendiri. Isi sumber_id dengan UMKM duplikatnya.",
			"A record cannot be merged into itself. Set sumber_id to the duplicate."))
	}
	reg, err := s.regulation(ctx)
	if err != nil {
		return Record{}, err
	}
	var after Record
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		// Lock both rows in id order, so two merges of the same pair in
		// opposite directions wait for each other instead of deadlocking.
		if _, err := tx.Exec(ctx, `select from umkm where id = any($1) order by id for update`, []uuid.UUID{id, sourceID}); err != nil {
			return fmt.Errorf("lock merge: %w", err)
		}
		surv, err := getTx(ctx, tx, id, sc, false)
		if err != nil {
			return err
		}
		if surv.ArchivedAt != nil {
			return archivedConflict(t, id)
		}
		if surv.Version != version {
			return apperr.PreconditionFailed()
		}
		src, err := getTx(ctx, tx, sourceID, sc, false)
		if apperr.KindOf(err) == apperr.KindNotFound {
			e := apperr.NotFound()
			e.Fields = []apperr.Field{{Location: "body.sumber_id", Value: sourceID.String(),
				Message: apperr.T("UMKM sumber_id tidak ditemukan.", "No UMKM with this sumber_id.")}}
			return e
		}
		if err != nil {
			return err
		}
		if src.ArchivedAt != nil {
			msg := apperr.T("UMKM sumber_id sudah diarsipkan; yang diarsipkan tidak dapat digabungkan.",
				"The sumber_id record is archived; archived records cannot be merged.")
			existing := Path(t.Slug, src.ID)
			if src.MergedInto != nil {
				msg = apperr.T("UMKM sumber_id sudah digabungkan ke UMKM lain.", "The sumber_id record was already merged into another record.")
				existing = Path(t.Slug, *src.MergedInto)
			}
			e := apperr.Conflict(msg, existing)
			e.Fields = []apperr.Field{{Location: "body.sumber_id", Value: sourceID.String(), Message: msg}}
			return e
		}
		now := s.Now()

		// Archive the duplicate first: its NIK and NIB are unique only among
		// live records, and may move to the survivor below.
		if _, err := tx.Exec(ctx, `update umkm set archived_at = $2, merged_into = $3 where id = $1`, src.ID, now, id); err != nil {
			return fmt.Errorf("archive merged umkm: %w", err)
		}
		if _, err := tx.Exec(ctx, mergeFillSQL, id, src.ID); err != nil {
			return fmt.Errorf("fill merged umkm: %w", err)
		}
		if _, err := tx.Exec(ctx, `update umkm_kendala set umkm_id = $1 where umkm_id = $2`, id, src.ID); err != nil {
			return fmt.Errorf("move kendala: %w", err)
		}
		if err := moveMemberships(ctx, tx, id, src.ID, now); err != nil {
			return err
		}
		filled, err := getTx(ctx, tx, id, sc, false)
		if err != nil {
			return err
		}
		var left []legal // the duplicate's documents of kinds the survivor has
		for _, d := range src.Legalitas {
			if slices.ContainsFunc(filled.Legalitas, func(x legal) bool { return x.Jenis == d.Jenis }) {
				left = append(left, d)
			} else {
				filled.Legalitas = append(filled.Legalitas, d)
			}
		}
		if after, err = s.refreshDerived(ctx, tx, filled, reg.Compute(filled.ModalUsaha, filled.OmzetTahunan, filled.TahunMulai, now.Year()), now); err != nil {
			return err
		}
		// The duplicate keeps its own size: only what moved away changes.
		srcLeft, err := getTx(ctx, tx, src.ID, sc, false)
		if err != nil {
			return err
		}
		srcLeft.Legalitas = left
		srcAfter, err := s.refreshDerived(ctx, tx, srcLeft, srcLeft.SkalaHitung, now)
		if err != nil {
			return err
		}
		// History: the duplicate's, its last figures, and (as an update
		// does) the survivor's figures the merge replaced.
		var extra []Record
		if hasFigures(src) {
			extra = append(extra, src)
		}
		if figuresChanged(surv, after) {
			extra = append(extra, surv)
		}
		if err := mergeHistory(ctx, tx, t.ID, id, src.ID, extra); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "merge", Entity: "umkm", EntityID: id.String(),
			Before: surv, After: mergeAudit{Record: after, GabungDari: src.ID}}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "merge", Entity: "umkm", EntityID: src.ID.String(),
			Before: src, After: srcAfter})
	})
	return after, err
}

// mergeFillSQL fills the empty fields of record $1 from record $2. Values
// that belong together move together or not at all.
const mergeFillSQL = `update umkm s set
		nik_hash   = case when s.nik_hash is null then d.nik_hash else s.nik_hash end,
		nik_sealed = case when s.nik_hash is null then d.nik_sealed else s.nik_sealed end,
		nik_masked = case when s.nik_hash is null then d.nik_masked else s.nik_masked end,
		jenis_kelamin = coalesce(s.jenis_kelamin, d.jenis_kelamin),
		telepon = coalesce(s.telepon, d.telepon),
		email = coalesce(s.email, d.email),
		kbli = coalesce(s.kbli, d.kbli),
		produk = coalesce(s.produk, d.produk),
		alamat = case when s.alamat is null and s.rt is null and s.rw is null then d.alamat else s.alamat end,
		rt     = case when s.alamat is null and s.rt is null and s.rw is null then d.rt else s.rt end,
		rw     = case when s.alamat is null and s.rt is null and s.rw is null then d.rw else s.rw end,
		latitude  = case when s.latitude is null then d.latitude else s.latitude end,
		longitude = case when s.latitude is null then d.longitude else s.longitude end,
		modal_usaha = coalesce(s.modal_usaha, d.modal_usaha),
		omzet_tahunan = coalesce(s.omzet_tahunan, d.omzet_tahunan),
		total_aset = coalesce(s.total_aset, d.total_aset),
		karyawan_laki      = case when s.karyawan_laki is null and s.karyawan_perempuan is null then d.karyawan_laki else s.karyawan_laki end,
		karyawan_perempuan = case when s.karyawan_laki is null and s.karyawan_perempuan is null then d.karyawan_perempuan else s.karyawan_perempuan end,
		tahun_mulai = coalesce(s.tahun_mulai, d.tahun_mulai),
		nib = coalesce(s.nib, d.nib),
		status_binaan = case when d.status_binaan = 'binaan' then 'binaan' else s.status_binaan end,
		saluran_penjualan = case when cardinality(s.saluran_penjualan) = 0 then d.saluran_penjualan else s.saluran_penjualan end,
		skala_dilaporkan = coalesce(s.skala_dilaporkan, d.skala_dilaporkan)
	from umkm d
	where s.id = $1 and d.id = $2`

// refreshDerived sets a record's size to sz and its documents to
// r.Legalitas, and recomputes what it derives from them and its constraints
// (issued documents, legal completeness, open constraint categories); its
// version moves once.
func (s *Service) refreshDerived(ctx context.Context, tx pgx.Tx, r Record, sz *Skala, now time.Time) (Record, error) {
	var sh, sk, sr *string
	if sz != nil {
		sh, sk, sr = &sz.Skala, &sz.Kriteria, &sz.Regulasi
	}
	after, err := scanRecord(tx.QueryRow(ctx, `update umkm set skala_hitung = $2, skala_kriteria = $3, skala_regulasi = $4,
			legalitas = $5, legalitas_terbit = $6, legalitas_lengkap = $7, kendala_terbuka = `+kendalaTerbukaSQL+`,
			updated_at = $8, version = version + 1
		where id = $1 returning `+recordCols,
		r.ID, sh, sk, sr, legalJSON(r.Legalitas), terbit(r.Legalitas), LegalitasLengkap(r.Sektor, r.Legalitas, now), now))
	if err != nil {
		return Record{}, fmt.Errorf("refresh merged umkm: %w", err)
	}
	return after, nil
}

func hasFigures(r Record) bool {
	return r.KaryawanLaki != nil || r.KaryawanPerempuan != nil || r.OmzetTahunan != nil || r.ModalUsaha != nil ||
		r.TotalAset != nil || r.SkalaHitung != nil
}

// mergeHistory gives survivor the history of source, plus the figures of
// each of extra as of its updated_at. History is keyed by (umkm, instant):
// a row whose instant the survivor already holds moves to the next free
// microsecond, so nothing is dropped and the order is kept.
func mergeHistory(ctx context.Context, tx pgx.Tx, tenantID, survivor, source uuid.UUID, extra []Record) error {
	rows, err := tx.Query(ctx, `select dicatat_at from umkm_riwayat where umkm_id = $1`, survivor)
	if err != nil {
		return fmt.Errorf("merge history: %w", err)
	}
	held, err := pgx.CollectRows(rows, pgx.RowTo[time.Time])
	if err != nil {
		return fmt.Errorf("merge history: %w", err)
	}
	taken := make(map[int64]bool, len(held))
	for _, t := range held {
		taken[t.UnixMicro()] = true
	}
	free := func(t time.Time) time.Time {
		us := t.UnixMicro()
		for taken[us] {
			us++
		}
		taken[us] = true
		return time.UnixMicro(us).UTC()
	}

	rows, err = tx.Query(ctx, `select dicatat_at from umkm_riwayat where umkm_id = $1 order by dicatat_at`, source)
	if err != nil {
		return fmt.Errorf("merge history: %w", err)
	}
	moving, err := pgx.CollectRows(rows, pgx.RowTo[time.Time])
	if err != nil {
		return fmt.Errorf("merge history: %w", err)
	}
	if len(moving) > 0 {
		to := make([]time.Time, len(moving))
		for i, t := range moving {
			to[i] = free(t)
		}
		tag, err := tx.Exec(ctx, `update umkm_riwayat r set umkm_id = $1, dicatat_at = m.baru
			from unnest($3::timestamptz[], $4::timestamptz[]) as m(lama, baru)
			where r.umkm_id = $2 and r.dicatat_at = m.lama`, survivor, source, moving, to)
		if err != nil {
			return fmt.Errorf("move history: %w", err)
		}
		if tag.RowsAffected() != int64(len(moving)) {
			return fmt.Errorf("move history: moved %d of %d rows", tag.RowsAffected(), len(moving))
		}
	}
	for _, r := range extra {
		var skala *string
		if r.SkalaHitung != nil {
			skala = &r.SkalaHitung.Skala
		}
		if _, err := tx.Exec(ctx, `insert into umkm_riwayat (tenant_id, umkm_id, dicatat_at, karyawan_laki, karyawan_perempuan,
			omzet_tahunan, modal_usaha, total_aset, skala_hitung, sumber) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			tenantID, survivor, free(r.UpdatedAt), r.KaryawanLaki, r.KaryawanPerempuan, r.OmzetTahunan, r.ModalUsaha,
			r.TotalAset, skala, r.Sumber); err != nil {
			return fmt.Errorf("merge history: %w", err)
		}
	}
	return nil
}

// moveMemberships makes the survivor the member of every cooperative the
// duplicate belonged to. Where both were members, one membership stays:
// the earlier "since", facilitated if either was. Each cooperative whose
// members changed moves its version, as any change to its parts does.
func moveMemberships(ctx context.Context, tx pgx.Tx, survivor, duplicate uuid.UUID, now time.Time) error {
	_, err := tx.Exec(ctx, `with dup as (
			delete from koperasi_anggota_umkm where umkm_id = $2 returning koperasi_id, sejak, difasilitasi, created_at),
		kept as (
			insert into koperasi_anggota_umkm as a (tenant_id, koperasi_id, umkm_id, sejak, difasilitasi, created_at)
			select nullif(current_setting('app.tenant_id', true), '')::uuid, koperasi_id, $1, sejak, difasilitasi, created_at from dup
			on conflict (tenant_id, koperasi_id, umkm_id) do update
				set sejak = least(a.sejak, excluded.sejak), difasilitasi = a.difasilitasi or excluded.difasilitasi
			returning koperasi_id)
		update koperasi set version = version + 1, updated_at = $3 where id in (select koperasi_id from kept)`, survivor, duplicate, now)
	if err != nil {
		return fmt.Errorf("move cooperative memberships: %w", err)
	}
	return nil
}
