package koperasi

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// The registry's writes: create, update (If-Match) and archive a
// cooperative, each audited in its transaction.

const (
	pilotKey = "koperasi_pilot_key"
	nikKey   = "koperasi_nik_key"
)

var (
	errPilot = apperr.T("Kecamatan ini sudah punya koperasi pilot. Satu kecamatan hanya boleh satu pilot; lepaskan status pilot yang lama lebih dulu.",
		"This kecamatan already has a pilot cooperative. One pilot per kecamatan; remove the pilot flag from the other first.")
	errNIK = apperr.T("NIK Koperasi ini sudah terdaftar pada koperasi lain.", "This NIK Koperasi is already registered to another cooperative.")
)

func conflictOn(field string, msg apperr.Text, existing string) error {
	e := apperr.Conflict(msg, existing)
	e.Fields = []apperr.Field{{Location: "body." + field, Message: msg}}
	return e
}

// prepare validates in for tenant t and checks it against the live
// cooperatives (a pilot already in the kecamatan, a NIK already used) other
// than self. The unique indexes decide races (mapWriteError).
func (s *Service) prepare(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, in KoperasiInput, self uuid.UUID) (row, error) {
	today, err := t.Today(s.Now())
	if err != nil {
		return row{}, err
	}
	w, _, err := s.wilayah.Checked(ctx, tx, t.ID, in.KecamatanKode, in.KelurahanKode)
	if err != nil {
		return row{}, err
	}
	r, err := validate(in, w, today)
	if err != nil {
		return row{}, err
	}
	var id uuid.UUID
	if r.in.Pilot {
		err := tx.QueryRow(ctx, `select id from koperasi where pilot and archived_at is null and kecamatan_kode = $1 and id <> $2`,
			r.in.KecamatanKode, self).Scan(&id)
		if err == nil {
			return row{}, conflictOn("pilot", errPilot, Path(t.Slug, id))
		} else if !errors.Is(err, pgx.ErrNoRows) {
			return row{}, err
		}
	}
	if r.in.NIKKoperasi != nil {
		err := tx.QueryRow(ctx, `select id from koperasi where nik_koperasi = $1 and archived_at is null and id <> $2`,
			r.in.NIKKoperasi, self).Scan(&id)
		if err == nil {
			return row{}, conflictOn("nik_koperasi", errNIK, Path(t.Slug, id))
		} else if !errors.Is(err, pgx.ErrNoRows) {
			return row{}, err
		}
	}
	return r, nil
}

// mapWriteError names the field of a unique index a concurrent write won.
func mapWriteError(err error, what string) error {
	switch {
	case db.IsUniqueViolation(err, pilotKey):
		return conflictOn("pilot", errPilot, "")
	case db.IsUniqueViolation(err, nikKey):
		return conflictOn("nik_koperasi", errNIK, "")
	}
	return fmt.Errorf("%s koperasi: %w", what, err)
}

// ratCutoff is the day before which the last RAT (or the founding) makes a
// cooperative overdue: two years before today in the tenant's calendar.
func (s *Service) ratCutoff(t *tenancy.Tenant) (time.Time, error) {
	today, err := t.Today(s.Now())
	if err != nil {
		return time.Time{}, err
	}
	return today.AddDate(-2, 0, 0), nil
}

// CreateTx registers a cooperative in tx, a transaction of tenant t.
func (s *Service) CreateTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, in KoperasiInput) (Detail, error) {
	cutoff, err := s.ratCutoff(t)
	if err != nil {
		return Detail{}, err
	}
	r, err := s.prepare(ctx, tx, t, in, uuid.Nil)
	if err != nil {
		return Detail{}, err
	}
	id := uuid.Must(uuid.NewV7())
	now := s.Now()
	rec, err := scanRecord(tx.QueryRow(ctx, `insert into koperasi (tenant_id, id, nama, nik_koperasi, nik_berlaku_sampai,
			badan_hukum_nomor, badan_hukum_tanggal, perubahan_ad_nomor, perubahan_ad_tanggal, bentuk, jenis, kelompok, sektor,
			alamat, kecamatan_kode, kelurahan_kode, anggota_laki, anggota_perempuan, karyawan, aktif, unit_toko,
			pembukuan_digital, pilot, peringkat, created_at, updated_at)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $25)
		returning `+recordCols,
		t.ID, id, r.in.Nama, r.in.NIKKoperasi, r.nikBerlaku, r.in.BadanHukumNomor, r.badanHukum, r.in.PerubahanADNomor,
		r.perubahanAD, r.bentuk, r.in.Jenis, r.in.Kelompok, r.in.Sektor, r.in.Alamat, r.in.KecamatanKode, r.in.KelurahanKode,
		r.anggotaLaki, r.anggotaPerempuan, r.karyawan, r.aktif, r.in.UnitToko, r.in.PembukuanDigital, r.in.Pilot,
		r.in.Peringkat, now), cutoff)
	if err != nil {
		return Detail{}, mapWriteError(err, "insert")
	}
	d := Detail{Koperasi: rec, Unit: []Unit{}, Komposisi: []Komposisi{}, Pengurus: []Pengurus{}, RAT: []RAT{}}
	return d, audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "koperasi", EntityID: id.String(), After: rec})
}

// Get returns one cooperative with its units, compositions, managers and
// RAT history.
func (s *Service) Get(ctx context.Context, t *tenancy.Tenant, id uuid.UUID) (Detail, error) {
	var d Detail
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var err error
		d, err = s.detailTx(ctx, tx, t, id)
		return err
	})
	return d, err
}

func (s *Service) detailTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, id uuid.UUID) (Detail, error) {
	rec, err := s.getTx(ctx, tx, t, id, false)
	if err != nil {
		return Detail{}, err
	}
	d := Detail{Koperasi: rec}
	if d.Unit, err = unitsTx(ctx, tx, id); err != nil {
		return Detail{}, err
	}
	if d.Komposisi, err = komposisiTx(ctx, tx, id, 0); err != nil {
		return Detail{}, err
	}
	if d.Pengurus, err = pengurusTx(ctx, tx, id); err != nil {
		return Detail{}, err
	}
	if d.RAT, err = ratsTx(ctx, tx, id); err != nil {
		return Detail{}, err
	}
	return d, nil
}

// getTx reads one cooperative, locked for an update when forUpdate.
func (s *Service) getTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, id uuid.UUID, forUpdate bool) (Koperasi, error) {
	cutoff, err := s.ratCutoff(t)
	if err != nil {
		return Koperasi{}, err
	}
	sql := `select ` + recordCols + ` from koperasi where id = $1`
	if forUpdate {
		sql += " for update"
	}
	rec, err := scanRecord(tx.QueryRow(ctx, sql, id), cutoff)
	return rec, db.MapError(err)
}

var errArchived = apperr.T("Koperasi ini sudah diarsipkan.", "This cooperative is archived.")

// lockLive locks a live cooperative for a change; version, when not 0, must
// be current (If-Match).
func (s *Service) lockLive(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, id uuid.UUID, version int64) (Koperasi, error) {
	rec, err := s.getTx(ctx, tx, t, id, true)
	if err != nil {
		return Koperasi{}, err
	}
	if rec.ArchivedAt != nil {
		return Koperasi{}, apperr.Conflict(errArchived, Path(t.Slug, id))
	}
	if version != 0 && rec.Version != version {
		return Koperasi{}, apperr.PreconditionFailed()
	}
	return rec, nil
}

// touch moves a cooperative's version after a change to one of its
// children, recomputing what it keeps from them, and returns the new version.
func (s *Service) touch(ctx context.Context, tx pgx.Tx, id uuid.UUID) (int64, error) {
	var v int64
	err := tx.QueryRow(ctx, `update koperasi set version = version + 1, updated_at = $2,
			rat_terakhir = (select max(tanggal) from koperasi_rat where koperasi_id = $1),
			(kesehatan_predikat, kesehatan_tahun) = (select predikat, tahun from koperasi_kesehatan where koperasi_id = $1
				order by tahun desc, created_at desc, id desc limit 1)
		where id = $1 returning version`, id, s.Now()).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("touch koperasi: %w", err)
	}
	return v, nil
}

// changeChild runs fn, a change to a child of a live cooperative, in one
// tenant transaction: the cooperative is locked and its version checked
// (If-Match), the change audited as fn describes it, and the cooperative's
// version moved. It returns the new version.
func (s *Service) changeChild(ctx context.Context, t *tenancy.Tenant, koperasiID uuid.UUID, version int64, fn func(tx pgx.Tx) (audit.Entry, error)) (int64, error) {
	var v int64
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if _, err := s.lockLive(ctx, tx, t, koperasiID, version); err != nil {
			return err
		}
		e, err := fn(tx)
		if err != nil {
			return err
		}
		e.TenantID = t.ID
		if err := audit.Record(ctx, tx, e); err != nil {
			return err
		}
		v, err = s.touch(ctx, tx, koperasiID)
		return err
	})
	return v, err
}

// Update replaces a cooperative's fields if version is current; its jenis
// stays (keepJenis).
func (s *Service) Update(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64, in KoperasiInput) (Detail, error) {
	var after Detail
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		cutoff, err := s.ratCutoff(t)
		if err != nil {
			return err
		}
		before, err := s.lockLive(ctx, tx, t, id, version)
		if err != nil {
			return err
		}
		r, err := s.prepare(ctx, tx, t, in, id)
		if err != nil {
			return err
		}
		if err := keepJenis(&r, before, t.Slug); err != nil {
			return err
		}
		rec, err := scanRecord(tx.QueryRow(ctx, `update koperasi set nama = $2, nik_koperasi = $3, nik_berlaku_sampai = $4,
				badan_hukum_nomor = $5, badan_hukum_tanggal = $6, perubahan_ad_nomor = $7, perubahan_ad_tanggal = $8, bentuk = $9,
				jenis = $10, kelompok = $11, sektor = $12, alamat = $13, kecamatan_kode = $14, kelurahan_kode = $15,
				anggota_laki = $16, anggota_perempuan = $17, karyawan = $18, aktif = $19, unit_toko = $20,
				pembukuan_digital = $21, pilot = $22, peringkat = $23, updated_at = $24, version = version + 1
			where id = $1 returning `+recordCols,
			id, r.in.Nama, r.in.NIKKoperasi, r.nikBerlaku, r.in.BadanHukumNomor, r.badanHukum, r.in.PerubahanADNomor,
			r.perubahanAD, r.bentuk, r.in.Jenis, r.in.Kelompok, r.in.Sektor, r.in.Alamat, r.in.KecamatanKode, r.in.KelurahanKode,
			r.anggotaLaki, r.anggotaPerempuan, r.karyawan, r.aktif, r.in.UnitToko, r.in.PembukuanDigital, r.in.Pilot,
			r.in.Peringkat, s.Now()), cutoff)
		if err != nil {
			return mapWriteError(err, "update")
		}
		if err := audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "update", Entity: "koperasi", EntityID: id.String(), Before: before, After: rec}); err != nil {
			return err
		}
		after, err = s.detailTx(ctx, tx, t, id)
		return err
	})
	return after, err
}

// errJenisLewatReklasifikasi refuses a change of the legal type through
// the registry.
var errJenisLewatReklasifikasi = apperr.T(
	"Jenis koperasi tidak bisa diubah lewat data koperasi: jenis ditetapkan admin dinas melalui tinjauan reklasifikasi (menu Reklasifikasi). Hapus isian jenis atau kirim jenis yang sekarang.",
	"A cooperative's type cannot be changed through its record: the office admin decides it through the reclassification review. Omit jenis or send the current one.")

// keepJenis keeps the legal type on an update. Only the tenant admin decides
// it, through the reclassification review (usulan.go), which records the
// decision, its reason and legal basis, and keeps the campaign's proposals
// consistent. So an update without jenis keeps the current type (a PUT
// never clears an approved decision), the same jenis is accepted, and any
// other value - setting, changing or clearing - is refused for every role.
// A new cooperative is still registered with its legal type (CreateTx).
func keepJenis(r *row, before Koperasi, slug string) error {
	if r.in.Jenis != nil && (before.Jenis == nil || *before.Jenis != *r.in.Jenis) {
		return conflictOn("jenis", errJenisLewatReklasifikasi, "/v1/tenants/"+slug+"/reklasifikasi")
	}
	r.in.Jenis = before.Jenis
	return nil
}

// Archive takes a cooperative out of the register without deleting it; it
// frees its pilot place and its NIK Koperasi.
func (s *Service) Archive(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64) (Detail, error) {
	var after Detail
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := s.getTx(ctx, tx, t, id, true)
		if err != nil {
			return err
		}
		if before.Version != version {
			return apperr.PreconditionFailed()
		}
		if before.ArchivedAt == nil {
			if _, err := tx.Exec(ctx, `update koperasi set archived_at = $2, updated_at = $2, version = version + 1 where id = $1`, id, s.Now()); err != nil {
				return fmt.Errorf("archive koperasi: %w", err)
			}
		}
		if after, err = s.detailTx(ctx, tx, t, id); err != nil || before.ArchivedAt != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "archive", Entity: "koperasi", EntityID: id.String(), Before: before, After: after.Koperasi})
	})
	return after, err
}
