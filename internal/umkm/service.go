package umkm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Service is the UMKM register.
type Service struct {
	DB     *db.DB
	Sealer *pii.Sealer
	Logger *slog.Logger
	Now    func() time.Time
	// TempDir holds what reading an XLSX unpacks (excelize streams a large
	// sheet through a file); "" is the system's.
	TempDir string
	// Imports hears how imports advance (metrics); nil hears nothing.
	Imports ImportObserver

	wilayah wilayahCache
	regOnce sync.Once
	reg     Regulation
	regErr  error
}

func (s *Service) tempDir() string {
	if s.TempDir != "" {
		return s.TempDir
	}
	return os.TempDir()
}

// regulation is the size regulation in force (PP 7/2021), loaded once.
func (s *Service) regulation(ctx context.Context) (Regulation, error) {
	s.regOnce.Do(func() { s.reg, s.regErr = LoadRegulation(ctx, s.DB.Pool, "PP 7/2021") })
	return s.reg, s.regErr
}

// Scope limits a caller to part of a tenant: a petugas (kecamatan or
// kelurahan officer) works only inside the regions assigned to them. The
// zero Scope is the whole tenant.
type Scope struct {
	Wilayah []string // kecamatan or desa/kelurahan codes
}

func (sc Scope) sqlArg() []string {
	if len(sc.Wilayah) == 0 {
		return nil
	}
	return sc.Wilayah
}

func (sc Scope) allows(kecamatan, kelurahan string) bool {
	return len(sc.Wilayah) == 0 || slices.Contains(sc.Wilayah, kecamatan) || slices.Contains(sc.Wilayah, kelurahan)
}

// View says how much personal data a caller may see.
type View struct {
	PII bool // full NIK, phone, e-mail, address and coordinates
}

// Allower decides a permission (authz.Authorizer).
type Allower interface {
	Allowed(ctx context.Context, p *tenancy.Principal, domain tenancy.Domain, action string) (bool, error)
}

// Access is the part of tenant t that p works in (a petugas: their assigned
// regions; a petugas with none sees nothing) and how much personal data p
// may see there (permission read-pii). The API and the web pages both ask
// here, so a page never shows what the API would refuse.
func Access(ctx context.Context, az Allower, p *tenancy.Principal, t *tenancy.Tenant) (Scope, View, error) {
	dom := tenancy.TenantDomain(t.Slug)
	var sc Scope
	if p.Roles[dom] == tenancy.RolePetugas {
		sc.Wilayah = p.Wilayah[dom]
		if len(sc.Wilayah) == 0 {
			sc.Wilayah = []string{"-"}
		}
	}
	ok, err := az.Allowed(ctx, p, dom, "read-pii")
	return sc, View{PII: ok}, err
}

// Legal is a legal document as shown.
type Legal = legal

// Record is a business as the API shows it.
type Record struct {
	ID                uuid.UUID  `json:"id"`
	NamaPemilik       string     `json:"nama_pemilik"`
	NIK               *string    `json:"nik,omitempty" doc:"Masked (3276xxxxxxxx0001) unless the caller may read personal data."`
	JenisKelamin      *string    `json:"jenis_kelamin,omitempty"`
	Telepon           *string    `json:"telepon,omitempty"`
	Email             *string    `json:"email,omitempty"`
	NamaUsaha         string     `json:"nama_usaha"`
	Sektor            string     `json:"sektor"`
	KBLI              *string    `json:"kbli,omitempty"`
	KBLIJudul         *string    `json:"kbli_judul,omitempty" doc:"Title of the KBLI 2020 code."`
	KBLIKategori      *string    `json:"kbli_kategori,omitempty" doc:"Letter (A–U) of the code's KBLI 2020 category." example:"C"`
	KBLIKategoriJudul *string    `json:"kbli_kategori_judul,omitempty" doc:"Title of that category." example:"Industri Pengolahan"`
	Produk            *string    `json:"produk,omitempty"`
	Alamat            *string    `json:"alamat,omitempty"`
	RT                *string    `json:"rt,omitempty"`
	RW                *string    `json:"rw,omitempty"`
	KecamatanKode     string     `json:"kecamatan_kode"`
	KelurahanKode     string     `json:"kelurahan_kode"`
	Latitude          *float64   `json:"latitude,omitempty"`
	Longitude         *float64   `json:"longitude,omitempty"`
	ModalUsaha        *int64     `json:"modal_usaha,omitempty"`
	OmzetTahunan      *int64     `json:"omzet_tahunan,omitempty"`
	TotalAset         *int64     `json:"total_aset,omitempty"`
	KaryawanLaki      *int       `json:"karyawan_laki,omitempty"`
	KaryawanPerempuan *int       `json:"karyawan_perempuan,omitempty"`
	TahunMulai        *int       `json:"tahun_mulai,omitempty"`
	NIB               *string    `json:"nib,omitempty"`
	StatusBinaan      string     `json:"status_binaan"`
	SaluranPenjualan  []string   `json:"saluran_penjualan" nullable:"false"`
	Sumber            string     `json:"sumber"`
	SkalaDilaporkan   *string    `json:"skala_dilaporkan,omitempty"`
	SkalaHitung       *Skala     `json:"skala_hitung,omitempty" doc:"Size computed under the regulation, with the criterion used."`
	SkalaTidakSesuai  bool       `json:"skala_tidak_sesuai" doc:"The reported size contradicts the money figures (kept, flagged, not overwritten)."`
	Legalitas         []Legal    `json:"legalitas,omitempty"`
	LegalitasTerbit   []string   `json:"legalitas_terbit" nullable:"false"`
	LegalitasLengkap  bool       `json:"legalitas_lengkap"`
	KendalaTerbuka    []string   `json:"kendala_terbuka" nullable:"false"`
	ArchivedAt        *time.Time `json:"archived_at,omitempty"`
	MergedInto        *uuid.UUID `json:"merged_into,omitempty"`
	// ProgramSelesai is read by Get only (one more statement of its batch).
	ProgramSelesai []ProgramSelesai `json:"program_selesai,omitempty" doc:"Programmes the business (or its owner) completed, latest first; on the record's own GET."`
	CreatedAt      time.Time        `json:"created_at"`
	UpdatedAt      time.Time        `json:"updated_at"`
	Version        int64            `json:"-"`

	nikSealed []byte
}

const recordCols = `id, nama_pemilik, nik_masked, nik_sealed, jenis_kelamin, telepon, email, nama_usaha, sektor, kbli, produk,
	alamat, rt, rw, kecamatan_kode, kelurahan_kode, latitude, longitude, modal_usaha, omzet_tahunan, total_aset,
	karyawan_laki, karyawan_perempuan, tahun_mulai, nib, status_binaan, saluran_penjualan, sumber, skala_dilaporkan,
	skala_hitung, skala_kriteria, skala_regulasi, legalitas_terbit, legalitas_lengkap, kendala_terbuka, archived_at,
	merged_into, created_at, updated_at, version, legalitas`

func scanRecord(row pgx.Row) (Record, error) { return scanRecordWith(row) }

// scanRecordWith scans recordCols followed by extra columns.
func scanRecordWith(row pgx.Row, extra ...any) (Record, error) {
	var r Record
	var tahun *int16
	var sh, sk, sr *string
	dest := []any{&r.ID, &r.NamaPemilik, &r.NIK, &r.nikSealed, &r.JenisKelamin, &r.Telepon, &r.Email, &r.NamaUsaha, &r.Sektor,
		&r.KBLI, &r.Produk, &r.Alamat, &r.RT, &r.RW, &r.KecamatanKode, &r.KelurahanKode, &r.Latitude, &r.Longitude,
		&r.ModalUsaha, &r.OmzetTahunan, &r.TotalAset, &r.KaryawanLaki, &r.KaryawanPerempuan, &tahun, &r.NIB,
		&r.StatusBinaan, &r.SaluranPenjualan, &r.Sumber, &r.SkalaDilaporkan, &sh, &sk, &sr, &r.LegalitasTerbit,
		&r.LegalitasLengkap, &r.KendalaTerbuka, &r.ArchivedAt, &r.MergedInto, &r.CreatedAt, &r.UpdatedAt, &r.Version,
		&r.Legalitas}
	err := row.Scan(append(dest, extra...)...)
	r.KBLIJudul, r.KBLIKategori, r.KBLIKategoriJudul = describeKBLI(r.KBLI)
	if tahun != nil {
		y := int(*tahun)
		r.TahunMulai = &y
	}
	if sh != nil {
		r.SkalaHitung = &Skala{Skala: *sh, Kriteria: deref(sk), Regulasi: deref(sr)}
		r.SkalaTidakSesuai = r.SkalaDilaporkan != nil && *r.SkalaDilaporkan != *sh
	}
	return r, err
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Present applies what the caller may see to a record the service returned:
// without PII, phone and e-mail are masked and address and coordinates
// withheld; the NIK is always masked unless fullNIK (a single record read by
// a PII role), since no list needs it.
func (s *Service) Present(t *tenancy.Tenant, r *Record, v View, fullNIK bool) {
	if v.PII {
		if fullNIK && r.nikSealed != nil {
			if nik, err := s.Sealer.Open(t.ID, r.nikSealed); err == nil {
				r.NIK = &nik
			} else {
				s.Logger.Error("open sealed nik", "umkm_id", r.ID, "error", err)
			}
		}
		return
	}
	if r.Telepon != nil {
		m := pii.Phone(*r.Telepon)
		r.Telepon = &m
	}
	if r.Email != nil {
		m := pii.Email(*r.Email)
		r.Email = &m
	}
	r.Alamat, r.RT, r.RW, r.Latitude, r.Longitude = nil, nil, nil, nil, nil
}

var errOutOfArea = apperr.InvalidField("body.kelurahan_kode", nil, apperr.T(
	"Wilayah ini di luar wilayah tugas Anda.", "This region is outside your assigned area."))

// prepare validates in for tenant t and seals its NIK.
func (s *Service) prepare(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, in Input, prefix string) (row, error) {
	reg, err := s.regulation(ctx)
	if err != nil {
		return row{}, err
	}
	w, err := s.wilayah.Get(ctx, tx, t.ID, false)
	if err != nil {
		return row{}, err
	}
	now := s.Now()
	if w.Check(in.KecamatanKode, in.KelurahanKode) != nil {
		if w, err = s.wilayah.Get(ctx, tx, t.ID, true); err != nil {
			return row{}, err
		}
	}
	r, fields := s.validate(in, w, prefix, now)
	if len(fields) > 0 {
		return r, apperr.Invalid(apperr.T("Data UMKM tidak valid. Periksa isian yang disebutkan.", "Invalid UMKM data. Check the fields listed."), fields...)
	}
	if r.nik != "" {
		r.nikHash = s.Sealer.Hash(t.ID, r.nik)
		r.nikSealed = s.Sealer.Seal(t.ID, r.nik)
		m := pii.NIK(r.nik)
		r.nikMasked = &m
	}
	r.skala = reg.Compute(r.in.ModalUsaha, r.in.OmzetTahunan, r.in.TahunMulai, now.Year())
	return r, nil
}

// duplicate finds a live record with the same NIK or NIB (other than self).
// A record outside the caller's area is not pointed at: for a petugas it
// does not exist, so the refusal names neither it nor its id.
func duplicate(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, r row, self uuid.UUID, sc Scope) error {
	var (
		id                          uuid.UUID
		which, kecamatan, kelurahan string
	)
	err := tx.QueryRow(ctx, `select id, case when nik_hash = $1 then 'nik' else 'nib' end, kecamatan_kode, kelurahan_kode
		from umkm where archived_at is null and id <> $3 and ((nik_hash = $1) or (nib = $2)) limit 1`,
		r.nikHash, r.in.NIB, self).Scan(&id, &which, &kecamatan, &kelurahan)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	what := strings.ToUpper(which) // NIK, NIB
	if !sc.allows(kecamatan, kelurahan) {
		msg := apperr.T(what+" ini sudah terdaftar pada UMKM di luar wilayah tugas Anda; hubungi staf Dinas.",
			"This "+what+" is already registered to a UMKM outside your assigned area; contact the office staff.")
		e := apperr.Conflict(msg, "")
		e.Fields = []apperr.Field{{Location: "body." + which, Message: msg}}
		return e
	}
	msg := apperr.T(what+" ini sudah terdaftar pada UMKM lain.", "This "+what+" is already registered to another UMKM.")
	e := apperr.Conflict(msg, Path(t.Slug, id))
	e.Fields = []apperr.Field{{Location: "body." + which, Message: msg}}
	return e
}

// CreateTx registers a business in tx, a transaction of tenant t.
func (s *Service) CreateTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, in Input, source string, sc Scope) (Record, error) {
	r, err := s.prepare(ctx, tx, t, in, "body")
	if err != nil {
		return Record{}, err
	}
	if !sc.allows(r.in.KecamatanKode, r.in.KelurahanKode) {
		return Record{}, errOutOfArea
	}
	if err := duplicate(ctx, tx, t, r, uuid.Nil, sc); err != nil {
		return Record{}, err
	}
	id := uuid.Must(uuid.NewV7())
	rec, err := insert(ctx, tx, t.ID, id, r, source, s.Now())
	if err != nil {
		return Record{}, err
	}
	return rec, audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "umkm", EntityID: id.String(), After: rec})
}

func insert(ctx context.Context, tx pgx.Tx, tenantID, id uuid.UUID, r row, source string, now time.Time) (Record, error) {
	in := r.in
	sh, sk, sr := r.skalaCols()
	rec, err := scanRecord(tx.QueryRow(ctx, `insert into umkm (tenant_id, id, nama_pemilik, nik_hash, nik_sealed, nik_masked,
			jenis_kelamin, telepon, email, nama_usaha, sektor, kbli, produk, alamat, rt, rw, kecamatan_kode, kelurahan_kode,
			latitude, longitude, modal_usaha, omzet_tahunan, total_aset, karyawan_laki, karyawan_perempuan, tahun_mulai, nib,
			status_binaan, saluran_penjualan, sumber, skala_dilaporkan, skala_hitung, skala_kriteria, skala_regulasi,
			legalitas_terbit, legalitas_lengkap, created_at, updated_at, legalitas)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23,
			$24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $37, $38)
		returning `+recordCols,
		tenantID, id, in.NamaPemilik, r.nikHash, r.nikSealed, r.nikMasked, in.JenisKelamin, in.Telepon, in.Email,
		in.NamaUsaha, in.Sektor, in.KBLI, in.Produk, in.Alamat, in.RT, in.RW, in.KecamatanKode, in.KelurahanKode,
		in.Latitude, in.Longitude, in.ModalUsaha, in.OmzetTahunan, in.TotalAset, in.KaryawanLaki, in.KaryawanPerempuan,
		in.TahunMulai, in.NIB, r.statusBinaan(), r.channels(), source, in.SkalaDilaporkan, sh, sk, sr,
		terbit(r.legal), LegalitasLengkap(in.Sektor, r.legal, now), now, legalJSON(r.legal)))
	if err != nil {
		if db.IsUniqueViolation(err, "") {
			return Record{}, apperr.Conflict(apperr.T("NIK atau NIB ini baru saja didaftarkan.", "This NIK or NIB was just registered."), "")
		}
		return Record{}, fmt.Errorf("insert umkm: %w", err)
	}
	return rec, nil
}

// legalJSON is docs as a parameter for the legalitas column: the text of a
// json value, which pgx sends as it is.
func legalJSON(docs []legal) string { return string(appendLegalJSON(nil, docs)) }

// keepHistory saves the figures a change replaces, as of when they were
// recorded; the record keeps the latest.
func keepHistory(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, before Record) error {
	var skala *string
	if before.SkalaHitung != nil {
		skala = &before.SkalaHitung.Skala
	}
	_, err := tx.Exec(ctx, `insert into umkm_riwayat (tenant_id, umkm_id, dicatat_at, karyawan_laki, karyawan_perempuan,
		omzet_tahunan, modal_usaha, total_aset, skala_hitung, sumber) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		on conflict do nothing`,
		tenantID, before.ID, before.UpdatedAt, before.KaryawanLaki, before.KaryawanPerempuan, before.OmzetTahunan,
		before.ModalUsaha, before.TotalAset, skala, before.Sumber)
	if err != nil {
		return fmt.Errorf("keep history: %w", err)
	}
	return nil
}

// Get returns one business with its documents. Out of scope is not found.
func (s *Service) Get(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, sc Scope, v View) (Record, error) {
	rec, err := s.readRecord(ctx, t.ID, id, sc)
	if err != nil {
		return Record{}, err
	}
	recs := []Record{rec}
	if err := s.hideMergesOutOfArea(ctx, t, recs, sc); err != nil {
		return Record{}, err
	}
	s.Present(t, &recs[0], v, true)
	return recs[0], nil
}

// hideMergesOutOfArea clears merged_into where the record it points at lies
// outside the caller's regions: for a petugas that record does not exist.
// It costs a read only for a petugas shown a merged record.
func (s *Service) hideMergesOutOfArea(ctx context.Context, t *tenancy.Tenant, recs []Record, sc Scope) error {
	if len(sc.Wilayah) == 0 {
		return nil
	}
	var ids []uuid.UUID
	for _, r := range recs {
		if r.MergedInto != nil {
			ids = append(ids, *r.MergedInto)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	visible := map[uuid.UUID]bool{}
	err := s.DB.ReadTenantBatch(ctx, t.ID, func(b *pgx.Batch) {
		b.Queue(`select id from umkm where id = any($1) and (kecamatan_kode = any($2) or kelurahan_kode = any($2))`,
			ids, sc.Wilayah).Query(func(rows pgx.Rows) error {
			var id uuid.UUID
			_, err := pgx.ForEachRow(rows, []any{&id}, func() error { visible[id] = true; return nil })
			return err
		})
	})
	if err != nil {
		return fmt.Errorf("merged records in area: %w", err)
	}
	for i := range recs {
		if m := recs[i].MergedInto; m != nil && !visible[*m] {
			recs[i].MergedInto = nil
		}
	}
	return nil
}

// getSQL reads a record; $2 limits it to a petugas's area.
const getSQL = `select ` + recordCols + ` from umkm where id = $1 and ($2::text[] is null or kecamatan_kode = any($2) or kelurahan_kode = any($2))`

// readRecord reads one record, with its documents, in a read-only
// transaction of tenantID. Not found is not a batch error: a batch that
// fails drops the connection's prepared statements, and a 404 should not
// cost the next request its plans.
func (s *Service) readRecord(ctx context.Context, tenantID, id uuid.UUID, sc Scope) (Record, error) {
	var (
		rec   Record
		found bool
	)
	var selesai []ProgramSelesai
	err := s.DB.ReadTenantBatch(ctx, tenantID, func(b *pgx.Batch) {
		b.Queue(getSQL, id, sc.sqlArg()).QueryRow(func(row pgx.Row) error {
			var err error
			rec, err = scanRecordWith(row)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			found = err == nil
			return err
		})
		b.Queue(programSelesaiSQL, id).Query(func(rows pgx.Rows) error {
			var err error
			selesai, err = pgx.CollectRows(rows, pgx.RowToStructByPos[ProgramSelesai])
			return err
		})
	})
	rec.ProgramSelesai = selesai
	if err == nil && !found {
		err = pgx.ErrNoRows
	}
	if err != nil {
		return Record{}, db.MapError(err)
	}
	return rec, nil
}

func getTx(ctx context.Context, tx pgx.Tx, id uuid.UUID, sc Scope, forUpdate bool) (Record, error) {
	sql := getSQL
	if forUpdate {
		sql += " for update"
	}
	rec, err := scanRecord(tx.QueryRow(ctx, sql, id, sc.sqlArg()))
	if err != nil {
		return Record{}, db.MapError(err)
	}
	return rec, nil
}

// Update replaces a business's fields if version is current. Legalitas nil
// keeps the documents; a change of figures adds a history row.
func (s *Service) Update(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64, in Input, sc Scope) (Record, error) {
	var after Record
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := getTx(ctx, tx, id, sc, true)
		if err != nil {
			return err
		}
		if before.ArchivedAt != nil {
			return apperr.Conflict(apperr.T("UMKM ini sudah diarsipkan.", "This UMKM is archived."), Path(t.Slug, id))
		}
		if before.Version != version {
			return apperr.PreconditionFailed()
		}
		r, err := s.prepare(ctx, tx, t, in, "body")
		if err != nil {
			return err
		}
		if !sc.allows(r.in.KecamatanKode, r.in.KelurahanKode) {
			return errOutOfArea
		}
		if err := duplicate(ctx, tx, t, r, id, sc); err != nil {
			return err
		}
		if in.Legalitas == nil {
			r.legal = before.Legalitas
		}
		after, err = s.update(ctx, tx, t.ID, id, r)
		if err != nil {
			return err
		}
		if figuresChanged(before, after) {
			if err := keepHistory(ctx, tx, t.ID, before); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "update", Entity: "umkm", EntityID: id.String(), Before: before, After: after})
	})
	return after, err
}

func (s *Service) update(ctx context.Context, tx pgx.Tx, tenantID, id uuid.UUID, r row) (Record, error) {
	in := r.in
	sh, sk, sr := r.skalaCols()
	now := s.Now()
	rec, err := scanRecord(tx.QueryRow(ctx, `update umkm set nama_pemilik = $2, nik_hash = $3, nik_sealed = $4, nik_masked = $5,
			jenis_kelamin = $6, telepon = $7, email = $8, nama_usaha = $9, sektor = $10, kbli = $11, produk = $12, alamat = $13,
			rt = $14, rw = $15, kecamatan_kode = $16, kelurahan_kode = $17, latitude = $18, longitude = $19, modal_usaha = $20,
			omzet_tahunan = $21, total_aset = $22, karyawan_laki = $23, karyawan_perempuan = $24, tahun_mulai = $25, nib = $26,
			status_binaan = $27, saluran_penjualan = $28, skala_dilaporkan = $29, skala_hitung = $30, skala_kriteria = $31,
			skala_regulasi = $32, legalitas_terbit = $33, legalitas_lengkap = $34, updated_at = $35, legalitas = $36,
			version = version + 1
		where id = $1 returning `+recordCols,
		id, in.NamaPemilik, r.nikHash, r.nikSealed, r.nikMasked, in.JenisKelamin, in.Telepon, in.Email, in.NamaUsaha,
		in.Sektor, in.KBLI, in.Produk, in.Alamat, in.RT, in.RW, in.KecamatanKode, in.KelurahanKode, in.Latitude,
		in.Longitude, in.ModalUsaha, in.OmzetTahunan, in.TotalAset, in.KaryawanLaki, in.KaryawanPerempuan, in.TahunMulai,
		in.NIB, r.statusBinaan(), r.channels(), in.SkalaDilaporkan, sh, sk, sr, terbit(r.legal), LegalitasLengkap(in.Sektor, r.legal, now), now,
		legalJSON(r.legal)))
	if err != nil {
		if db.IsUniqueViolation(err, "") {
			return Record{}, apperr.Conflict(apperr.T("NIK atau NIB ini baru saja didaftarkan.", "This NIK or NIB was just registered."), "")
		}
		return Record{}, fmt.Errorf("update umkm: %w", err)
	}
	return rec, nil
}

func figuresChanged(a, b Record) bool {
	eq := func(x, y *int64) bool { return (x == nil && y == nil) || (x != nil && y != nil && *x == *y) }
	eqi := func(x, y *int) bool { return (x == nil && y == nil) || (x != nil && y != nil && *x == *y) }
	sk := func(s *Skala) string {
		if s == nil {
			return ""
		}
		return s.Skala
	}
	return !eq(a.ModalUsaha, b.ModalUsaha) || !eq(a.OmzetTahunan, b.OmzetTahunan) || !eq(a.TotalAset, b.TotalAset) ||
		!eqi(a.KaryawanLaki, b.KaryawanLaki) || !eqi(a.KaryawanPerempuan, b.KaryawanPerempuan) || sk(a.SkalaHitung) != sk(b.SkalaHitung)
}

// Archive takes a business out of the register without deleting it.
func (s *Service) Archive(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64, sc Scope) (Record, error) {
	var after Record
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := getTx(ctx, tx, id, sc, true)
		if err != nil {
			return err
		}
		if before.Version != version {
			return apperr.PreconditionFailed()
		}
		if before.ArchivedAt != nil {
			after = before
			return nil
		}
		if after, err = scanRecord(tx.QueryRow(ctx, `update umkm set archived_at = $2, updated_at = $2, version = version + 1
			where id = $1 returning `+recordCols, id, s.Now())); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "archive", Entity: "umkm", EntityID: id.String(), Before: before, After: after})
	})
	if err != nil {
		return Record{}, err
	}
	recs := []Record{after}
	err = s.hideMergesOutOfArea(ctx, t, recs, sc)
	return recs[0], err
}
