package program

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/keyset"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Peserta is a participation: who applied, the last eligibility decision,
// selection, attendance, completion and follow-up.
type Peserta struct {
	ID              uuid.UUID      `json:"id"`
	ProgramID       uuid.UUID      `json:"program_id"`
	Pemohon         string         `json:"pemohon" enum:"umkm,koperasi,perorangan" doc:"A business, a cooperative, or the business's owner as a person."`
	UMKMID          *uuid.UUID     `json:"umkm_id,omitempty"`
	KoperasiID      *uuid.UUID     `json:"koperasi_id,omitempty"`
	Nama            string         `json:"nama" doc:"The business's or cooperative's name."`
	NamaPemilik     *string        `json:"nama_pemilik,omitempty" doc:"The owner; masked unless the caller may read personal data."`
	KecamatanKode   string         `json:"kecamatan_kode"`
	KelurahanKode   string         `json:"kelurahan_kode"`
	Status          string         `json:"status" enum:"mendaftar,terpilih,ditolak,selesai,batal"`
	BukanASN        bool           `json:"bukan_asn" doc:"Declared not a civil servant, soldier, police officer or state-firm employee."`
	Layak           *bool          `json:"layak,omitempty" doc:"The last eligibility decision."`
	LayakVersi      *int           `json:"layak_versi,omitempty" doc:"The rule version that decision used."`
	LayakAlasan     []Gagal        `json:"layak_alasan" nullable:"false" doc:"Each failing rule, in Indonesian."`
	DiperiksaAt     *time.Time     `json:"diperiksa_at,omitempty"`
	DipilihAt       *time.Time     `json:"dipilih_at,omitempty"`
	AlasanTolak     *string        `json:"alasan_tolak,omitempty"`
	SelesaiTanggal  *string        `json:"selesai_tanggal,omitempty" format:"date"`
	SertifikatNomor *string        `json:"sertifikat_nomor,omitempty"`
	TindakLanjut    []TindakLanjut `json:"tindak_lanjut" nullable:"false"`
	Hadir           []uuid.UUID    `json:"hadir" nullable:"false" doc:"Sessions attended."`
	BAST            []Barang       `json:"bast,omitempty" doc:"Aid handed over (on the participant's own GET)."`
	CreatedAt       time.Time      `json:"created_at"`
	UpdatedAt       time.Time      `json:"updated_at"`
	Version         int64          `json:"-"`
}

// TindakLanjut is a follow-up note after the programme.
type TindakLanjut struct {
	Tanggal string     `json:"tanggal" format:"date"`
	Catatan string     `json:"catatan"`
	Oleh    *uuid.UUID `json:"oleh,omitempty"`
}

// View is how much personal data a caller sees: with PII, the owners'
// names; with Wilayah set (a petugas), only inside those regions, and the
// lists hold only participants there.
type View struct {
	PII     bool
	Wilayah []string
}

func (v View) sees(p *Peserta) bool {
	return v.PII && v.inArea(p)
}

func (v View) inArea(p *Peserta) bool {
	return len(v.Wilayah) == 0 || slices.Contains(v.Wilayah, p.KecamatanKode) || slices.Contains(v.Wilayah, p.KelurahanKode)
}

// Present masks what v may not see.
func Present(p *Peserta, v View) {
	if p.NamaPemilik != nil && !v.sees(p) {
		m := pii.Name(*p.NamaPemilik)
		p.NamaPemilik = &m
	}
	for i, b := range p.BAST {
		if b.DiterimaNama != nil && !v.sees(p) {
			m := pii.Name(*b.DiterimaNama)
			p.BAST[i].DiterimaNama = &m
		}
	}
}

const pesertaSelect = `select x.id, x.program_id, x.jenis_pemohon, x.umkm_id, x.koperasi_id, coalesce(u.nama_usaha, k.nama, ''),
	u.nama_pemilik, coalesce(u.kecamatan_kode, k.kecamatan_kode, ''), coalesce(u.kelurahan_kode, k.kelurahan_kode, ''), x.status,
	x.bukan_asn, x.layak, x.layak_versi, x.layak_alasan, x.diperiksa_at, x.dipilih_at, x.alasan_tolak, x.selesai_tanggal,
	x.sertifikat_nomor, x.tindak_lanjut, x.created_at, x.updated_at, x.version,
	array(select h.sesi_id from peserta_hadir h where h.peserta_id = x.id order by h.sesi_id)
	from peserta x left join umkm u on u.id = x.umkm_id left join koperasi k on k.id = x.koperasi_id`

func scanPeserta(r pgx.Row) (Peserta, error) {
	var p Peserta
	var alasan, tl []byte
	var selesai *time.Time
	err := r.Scan(&p.ID, &p.ProgramID, &p.Pemohon, &p.UMKMID, &p.KoperasiID, &p.Nama, &p.NamaPemilik, &p.KecamatanKode,
		&p.KelurahanKode, &p.Status, &p.BukanASN, &p.Layak, &p.LayakVersi, &alasan, &p.DiperiksaAt, &p.DipilihAt, &p.AlasanTolak,
		&selesai, &p.SertifikatNomor, &tl, &p.CreatedAt, &p.UpdatedAt, &p.Version, &p.Hadir)
	if err != nil {
		return Peserta{}, err
	}
	if selesai != nil {
		d := selesai.Format(time.DateOnly)
		p.SelesaiTanggal = &d
	}
	if err := json.Unmarshal(alasan, &p.LayakAlasan); err != nil {
		return Peserta{}, err
	}
	if err := json.Unmarshal(tl, &p.TindakLanjut); err != nil {
		return Peserta{}, err
	}
	if p.Hadir == nil {
		p.Hadir = []uuid.UUID{}
	}
	return p, nil
}

func onePesertaTx(ctx context.Context, tx pgx.Tx, programID, id uuid.UUID, forUpdate bool) (Peserta, error) {
	sql := pesertaSelect + ` where x.program_id = $1 and x.id = $2`
	if forUpdate {
		sql += " for update of x"
	}
	p, err := scanPeserta(tx.QueryRow(ctx, sql, programID, id))
	return p, db.MapError(err)
}

// PesertaPath is where a participation lives in the API.
func PesertaPath(slug string, programID, id uuid.UUID) string {
	return Path(slug, programID) + "/peserta/" + id.String()
}

// PesertaInput is an application from the register.
type PesertaInput struct {
	Pemohon    string     `json:"pemohon" enum:"umkm,koperasi,perorangan" doc:"umkm: the business; perorangan: its owner as a person (the record must hold the NIK); koperasi: a cooperative."`
	UMKMID     *uuid.UUID `json:"umkm_id,omitempty" doc:"For umkm and perorangan."`
	KoperasiID *uuid.UUID `json:"koperasi_id,omitempty" doc:"For koperasi."`
	BukanASN   bool       `json:"bukan_asn,omitempty" doc:"The applicant declares they are not ASN/TNI/Polri/BUMN staff."`
}

var errSubjek = apperr.T("Tidak ditemukan di database kantor ini.", "Not found in this office's register.")

// ApplyTx records an application to a live, open programme and decides
// its eligibility at once (recorded with the rule version).
func (s *Service) ApplyTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, programID uuid.UUID, in PesertaInput, v View) (Peserta, error) {
	f := &fieldErrs{prefix: "body"}
	f.oneOf("pemohon", in.Pemohon, []string{"umkm", "koperasi", "perorangan"})
	switch {
	case in.Pemohon == "koperasi" && in.KoperasiID == nil:
		f.add("koperasi_id", nil, wajib)
	case in.Pemohon == "koperasi" && in.UMKMID != nil:
		f.add("umkm_id", in.UMKMID, apperr.T("Untuk pemohon koperasi, isi koperasi_id saja.", "For a cooperative, give koperasi_id only."))
	case in.Pemohon != "koperasi" && in.UMKMID == nil:
		f.add("umkm_id", nil, wajib)
	case in.Pemohon != "koperasi" && in.KoperasiID != nil:
		f.add("koperasi_id", in.KoperasiID, apperr.T("Untuk pemohon usaha atau perorangan, isi umkm_id saja.", "For a business or a person, give umkm_id only."))
	}
	if err := f.err(apperr.T("Pendaftaran tidak valid.", "Invalid application.")); err != nil {
		return Peserta{}, err
	}
	prog, err := lockLive(ctx, tx, t, programID, 0)
	if err != nil {
		return Peserta{}, err
	}
	if prog.Status == "selesai" || prog.Status == "batal" {
		return Peserta{}, apperr.Conflict(apperr.T("Program sudah "+prog.Status+"; pendaftaran ditutup.", "The programme is "+prog.Status+"; applications are closed."), Path(t.Slug, programID))
	}
	// The subject: a live record of the register, inside a petugas's area.
	var (
		kec, kel string
		nikHash  []byte
	)
	field, sql, subj := "body.umkm_id", `select kecamatan_kode, kelurahan_kode, nik_hash from umkm where id = $1 and archived_at is null`, in.UMKMID
	if in.Pemohon == "koperasi" {
		field, sql, subj = "body.koperasi_id", `select kecamatan_kode, kelurahan_kode, null::bytea from koperasi where id = $1 and archived_at is null`, in.KoperasiID
	}
	err = tx.QueryRow(ctx, sql, *subj).Scan(&kec, &kel, &nikHash)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && !v.inArea(&Peserta{KecamatanKode: kec, KelurahanKode: kel})) {
		return Peserta{}, apperr.InvalidField(field, *subj, errSubjek)
	}
	if err != nil {
		return Peserta{}, fmt.Errorf("read pemohon: %w", err)
	}
	if in.Pemohon == "perorangan" && nikHash == nil {
		return Peserta{}, apperr.InvalidField("body.umkm_id", *subj, apperr.T("NIK pemilik belum tercatat; catat NIK-nya dulu untuk mendaftarkan perorangan.",
			"The owner's NIK is not recorded; record it first to apply as a person."))
	}
	id := uuid.Must(uuid.NewV7())
	_, err = tx.Exec(ctx, `insert into peserta (tenant_id, id, program_id, jenis_pemohon, umkm_id, koperasi_id, nik_hash, bukan_asn, created_at, updated_at)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`, t.ID, id, programID, in.Pemohon, in.UMKMID, in.KoperasiID, nikHash, in.BukanASN, s.Now())
	if db.IsUniqueViolation(err, "peserta_subjek_key") {
		var existing uuid.UUID
		_ = tx.QueryRow(ctx, `select id from peserta where program_id = $1 and jenis_pemohon = $2 and coalesce(umkm_id, koperasi_id) = $3
			and status not in ('batal', 'ditolak')`, programID, in.Pemohon, *subj).Scan(&existing)
		return Peserta{}, apperr.Conflict(apperr.T("Pemohon ini sudah terdaftar di program ini.", "This applicant is already in this programme."),
			PesertaPath(t.Slug, programID, existing))
	}
	if err != nil {
		return Peserta{}, db.MapError(fmt.Errorf("insert peserta: %w", err))
	}
	p, err := s.decideTx(ctx, tx, t, prog, id)
	if err != nil {
		return Peserta{}, err
	}
	return p, audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "peserta", EntityID: id.String(), After: p})
}

// decideTx evaluates participant id against prog's current rules and
// records the decision with the rule version.
func (s *Service) decideTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, prog Program, id uuid.UUID) (Peserta, error) {
	subj, err := subjekTx(ctx, tx, id)
	if err != nil {
		return Peserta{}, err
	}
	today, err := t.Today(s.Now())
	if err != nil {
		return Peserta{}, err
	}
	names, err := namaProgramTx(ctx, tx, prog.Aturan)
	if err != nil {
		return Peserta{}, err
	}
	gagal := Evaluate(prog.Aturan, subj, today, names)
	if gagal == nil {
		gagal = []Gagal{}
	}
	alasan, _ := json.Marshal(gagal)
	if _, err := tx.Exec(ctx, `update peserta set layak = $2, layak_versi = $3, layak_alasan = $4, diperiksa_at = $5, updated_at = $5,
		version = version + 1 where id = $1`, id, len(gagal) == 0, prog.AturanVersi, alasan, s.Now()); err != nil {
		return Peserta{}, fmt.Errorf("record kelayakan: %w", err)
	}
	return onePesertaTx(ctx, tx, prog.ID, id, false)
}

// subjekTx gathers what the rules look at of participant id.
func subjekTx(ctx context.Context, tx pgx.Tx, id uuid.UUID) (Subjek, error) {
	var s Subjek
	var umkmID, koperasiID *uuid.UUID
	var nikHash []byte
	if err := tx.QueryRow(ctx, `select jenis_pemohon, umkm_id, koperasi_id, bukan_asn, nik_hash from peserta where id = $1`, id).
		Scan(&s.Pemohon, &umkmID, &koperasiID, &s.BukanASN, &nikHash); err != nil {
		return Subjek{}, fmt.Errorf("read peserta: %w", err)
	}
	if koperasiID != nil {
		err := tx.QueryRow(ctx, `select archived_at is null, kecamatan_kode, kelurahan_kode, coalesce(kesehatan_predikat, ''),
				coalesce((select max(r.tahun) from koperasi_rat r where r.koperasi_id = k.id and r.tanggal <= make_date(r.tahun + 1, 6, 30)), 0)
			from koperasi k where id = $1`, *koperasiID).Scan(&s.Terdaftar, &s.Kecamatan, &s.Kelurahan, &s.Predikat, &s.RATTahun)
		if err != nil {
			return Subjek{}, fmt.Errorf("read koperasi: %w", err)
		}
	} else {
		err := tx.QueryRow(ctx, `select archived_at is null, status_binaan = 'binaan', nib is not null,
				coalesce(skala_hitung, skala_dilaporkan, ''), sektor, kecamatan_kode, kelurahan_kode, coalesce(jenis_kelamin, ''),
				coalesce(left(nik_masked, 4), ''), replace(left(kecamatan_kode, 5), '.', ''), nik_hash
			from umkm where id = $1`, *umkmID).Scan(&s.Terdaftar, &s.Binaan, &s.PunyaNIB, &s.Skala, &s.Sektor, &s.Kecamatan,
			&s.Kelurahan, &s.JenisKelamin, &s.NIKWilayah, &s.KotaKode, &nikHash)
		if err != nil {
			return Subjek{}, fmt.Errorf("read umkm: %w", err)
		}
	}
	// Completed participations are evidence: the same record's, or (for
	// a person) any under the same NIK.
	rows, err := tx.Query(ctx, `select x.program_id, p.jenis from peserta x join program p on p.id = x.program_id
		where x.status = 'selesai' and x.id <> $4 and (x.umkm_id = $1 or x.koperasi_id = $2 or x.nik_hash = $3)`, umkmID, koperasiID, nikHash, id)
	if err != nil {
		return Subjek{}, fmt.Errorf("read riwayat: %w", err)
	}
	s.Selesai, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Riwayat, error) {
		var x Riwayat
		return x, r.Scan(&x.ProgramID, &x.Jenis)
	})
	return s, err
}

func namaProgramTx(ctx context.Context, tx pgx.Tx, rules []Aturan) (map[uuid.UUID]string, error) {
	var ids []uuid.UUID
	for _, a := range rules {
		if a.ProgramID != nil {
			ids = append(ids, *a.ProgramID)
		}
	}
	out := map[uuid.UUID]string{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := tx.Query(ctx, `select id, nama from program where id = any($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("read nama program: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id uuid.UUID
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// change runs fn on a locked participant of a live programme whose version
// is current, and audits the change.
func (s *Service) change(ctx context.Context, t *tenancy.Tenant, programID, id uuid.UUID, version int64, action string,
	fn func(tx pgx.Tx, prog Program, before Peserta) error) (Peserta, error) {
	var after Peserta
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		prog, err := getTx(ctx, tx, programID, false)
		if err != nil {
			return err
		}
		if prog.ArchivedAt != nil {
			return apperr.Conflict(apperr.T("Program sudah diarsipkan.", "The programme is archived."), Path(t.Slug, programID))
		}
		before, err := onePesertaTx(ctx, tx, programID, id, true)
		if err != nil {
			return err
		}
		if before.Version != version {
			return apperr.PreconditionFailed()
		}
		if err := fn(tx, prog, before); err != nil {
			return err
		}
		if after, err = onePesertaTx(ctx, tx, programID, id, false); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: action, Entity: "peserta", EntityID: id.String(), Before: before, After: after})
	})
	return after, err
}

func wrongStatus(p Peserta, want string, slug string) error {
	return apperr.Conflict(apperr.T(fmt.Sprintf("Status peserta %s; langkah ini untuk peserta %s.", p.Status, want),
		fmt.Sprintf("The participant is %s; this step is for %s participants.", p.Status, want)), PesertaPath(slug, p.ProgramID, p.ID))
}

// Check decides eligibility again with the programme's current rules.
func (s *Service) Check(ctx context.Context, t *tenancy.Tenant, programID, id uuid.UUID, version int64) (Peserta, error) {
	return s.change(ctx, t, programID, id, version, "verify", func(tx pgx.Tx, prog Program, p Peserta) error {
		if p.Status != "mendaftar" {
			return wrongStatus(p, "mendaftar", t.Slug)
		}
		_, err := s.decideTx(ctx, tx, t, prog, id)
		return err
	})
}

// ErrKuotaPenuh is the answer to a selection when every place is taken.
var errKuotaPenuh = apperr.T("Kuota program sudah penuh.", "The programme's quota is full.")

// Select takes a place for an eligible applicant. The quota is checked in
// the statement that takes the place, so of two staff filling the last
// place at once, one succeeds and the other gets 409.
func (s *Service) Select(ctx context.Context, t *tenancy.Tenant, programID, id uuid.UUID, version int64) (Peserta, error) {
	return s.change(ctx, t, programID, id, version, "select", func(tx pgx.Tx, prog Program, p Peserta) error {
		switch {
		case p.Status != "mendaftar":
			return wrongStatus(p, "mendaftar", t.Slug)
		case p.Layak == nil || !*p.Layak:
			return apperr.Conflict(apperr.T("Pemohon tidak memenuhi syarat program; lihat layak_alasan.",
				"The applicant does not meet the programme's rules; see layak_alasan."), PesertaPath(t.Slug, programID, id))
		case *p.LayakVersi != prog.AturanVersi:
			return apperr.Conflict(apperr.T("Aturan program berubah sejak diperiksa; periksa ulang kelayakannya.",
				"The programme's rules changed since the check; check again."), PesertaPath(t.Slug, programID, id))
		}
		if err := s.cekTumpang(ctx, tx, t, prog, id); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `update program set terisi = terisi + 1 where id = $1 and terisi < kuota`, programID)
		if err != nil {
			return fmt.Errorf("take place: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return apperr.Conflict(errKuotaPenuh, Path(t.Slug, programID))
		}
		_, err = tx.Exec(ctx, `update peserta set status = 'terpilih', dipilih_at = $2, updated_at = $2, version = version + 1 where id = $1`, id, s.Now())
		return err
	})
}

// cekTumpang refuses the selection of a locked participant who already
// got the same kind of help elsewhere until an admin overrides it with a
// reason (tumpang izin); the answer points at the overlap resource.
func (s *Service) cekTumpang(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, prog Program, id uuid.UUID) error {
	if s.Tumpang == nil {
		return errors.New("program: selection without the overlap check")
	}
	n, agensi, err := s.Tumpang.SeleksiTx(ctx, tx, prog.ID, id)
	if err != nil || n == 0 {
		return err
	}
	jenis := strings.ReplaceAll(prog.Jenis, "_", " ")
	return apperr.Conflict(apperr.T(
		fmt.Sprintf("Pemohon sudah menerima bantuan sejenis (%s) %d kali, dari %s. Admin harus mengizinkan dengan alasan lebih dulu; lihat tumpang tindihnya di tautan existing.",
			jenis, n, strings.Join(agensi, ", ")),
		fmt.Sprintf("The applicant already received the same kind of help (%s) %d times, from %s. An admin must override with a reason first; see the overlap at existing.",
			jenis, n, strings.Join(agensi, ", "))), PesertaPath(t.Slug, prog.ID, id)+"/tumpang")
}

// TolakInput is why an applicant is turned down (or withdrawn).
type TolakInput struct {
	Alasan string `json:"alasan" maxLength:"500" doc:"Why; shown to staff."`
}

// Reject turns an applicant down, or takes a selected participant out
// (freeing the place).
func (s *Service) Reject(ctx context.Context, t *tenancy.Tenant, programID, id uuid.UUID, version int64, in TolakInput) (Peserta, error) {
	f := &fieldErrs{prefix: "body"}
	alasan := f.text("alasan", &in.Alasan, 500, true)
	if err := f.err(apperr.T("Alasan wajib diisi.", "A reason is required.")); err != nil {
		return Peserta{}, err
	}
	return s.change(ctx, t, programID, id, version, "reject", func(tx pgx.Tx, _ Program, p Peserta) error {
		switch p.Status {
		case "terpilih":
			if _, err := tx.Exec(ctx, `update program set terisi = terisi - 1 where id = $1`, programID); err != nil {
				return fmt.Errorf("free place: %w", err)
			}
		case "mendaftar":
		default:
			return wrongStatus(p, "mendaftar atau terpilih", t.Slug)
		}
		_, err := tx.Exec(ctx, `update peserta set status = 'ditolak', alasan_tolak = $2, updated_at = $3, version = version + 1 where id = $1`,
			id, alasan, s.Now())
		return err
	})
}

// SelesaiInput is a completion.
type SelesaiInput struct {
	Tanggal         string  `json:"tanggal" format:"date" doc:"The day of completion, not in the future."`
	SertifikatNomor *string `json:"sertifikat_nomor,omitempty" maxLength:"100" doc:"Required for a training (pelatihan)."`
}

// Complete records a selected participant's completion; a training needs
// its certificate number. Completion is evidence for later rules.
func (s *Service) Complete(ctx context.Context, t *tenancy.Tenant, programID, id uuid.UUID, version int64, in SelesaiInput) (Peserta, error) {
	today, err := t.Today(s.Now())
	if err != nil {
		return Peserta{}, err
	}
	return s.change(ctx, t, programID, id, version, "complete", func(tx pgx.Tx, prog Program, p Peserta) error {
		f := &fieldErrs{prefix: "body"}
		d := f.day("tanggal", in.Tanggal)
		if !d.IsZero() && d.After(today) {
			f.add("tanggal", in.Tanggal, apperr.T("Tanggal tidak boleh di masa depan.", "The date cannot be in the future."))
		}
		no := f.text("sertifikat_nomor", in.SertifikatNomor, 100, prog.Jenis == "pelatihan")
		if err := f.err(apperr.T("Data kelulusan tidak valid.", "Invalid completion.")); err != nil {
			return err
		}
		if p.Status != "terpilih" {
			return wrongStatus(p, "terpilih", t.Slug)
		}
		_, err := tx.Exec(ctx, `update peserta set status = 'selesai', selesai_tanggal = $2, sertifikat_nomor = $3, updated_at = $4,
			version = version + 1 where id = $1`, id, d, no, s.Now())
		return err
	})
}

// TindakLanjutInput is a follow-up note.
type TindakLanjutInput struct {
	Tanggal string `json:"tanggal" format:"date"`
	Catatan string `json:"catatan" maxLength:"2000"`
}

// FollowUp adds a note to a selected or completed participant.
func (s *Service) FollowUp(ctx context.Context, t *tenancy.Tenant, programID, id uuid.UUID, version int64, in TindakLanjutInput) (Peserta, error) {
	f := &fieldErrs{prefix: "body"}
	d := f.day("tanggal", in.Tanggal)
	c := f.text("catatan", &in.Catatan, 2000, true)
	if err := f.err(apperr.T("Catatan tindak lanjut tidak valid.", "Invalid follow-up note.")); err != nil {
		return Peserta{}, err
	}
	return s.change(ctx, t, programID, id, version, "follow_up", func(tx pgx.Tx, _ Program, p Peserta) error {
		if p.Status != "terpilih" && p.Status != "selesai" {
			return wrongStatus(p, "terpilih atau selesai", t.Slug)
		}
		note, _ := json.Marshal([]TindakLanjut{{Tanggal: d.Format(time.DateOnly), Catatan: *c, Oleh: actor(ctx)}})
		_, err := tx.Exec(ctx, `update peserta set tindak_lanjut = tindak_lanjut || $2::jsonb, updated_at = $3, version = version + 1 where id = $1`,
			id, note, s.Now())
		return err
	})
}

// GetPeserta returns one participant with its BAST lines, if v may see it.
func (s *Service) GetPeserta(ctx context.Context, t *tenancy.Tenant, programID, id uuid.UUID, v View) (Peserta, error) {
	var p Peserta
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var err error
		if p, err = onePesertaTx(ctx, tx, programID, id, false); err != nil {
			return err
		}
		if !v.inArea(&p) {
			return apperr.NotFound()
		}
		p.BAST, err = bastTx(ctx, tx, id)
		return err
	})
	Present(&p, v)
	return p, err
}

// PesertaFilter narrows a programme's participants.
type PesertaFilter struct {
	Status string
	Cursor string
	Limit  int
}

// PesertaPage is a page of participants in application order.
type PesertaPage struct {
	Items      []Peserta
	NextCursor string
}

// ListPeserta lists a programme's participants (a petugas: those in their
// regions), presented for v. An unknown programme is 404.
func (s *Service) ListPeserta(ctx context.Context, t *tenancy.Tenant, programID uuid.UUID, f PesertaFilter, v View) (PesertaPage, error) {
	if f.Status != "" {
		fe := &fieldErrs{prefix: "query"}
		fe.oneOf("status", f.Status, []string{"mendaftar", "terpilih", "ditolak", "selesai", "batal"})
		if err := fe.err(apperr.T("Filter tidak valid.", "Invalid filter.")); err != nil {
			return PesertaPage{}, err
		}
	}
	cur, err := keyset.Decode(f.Cursor)
	if err != nil {
		return PesertaPage{}, err
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	where := []string{"x.program_id = $1"}
	args := []any{programID}
	arg := func(x any) string {
		args = append(args, x)
		return fmt.Sprintf("$%d", len(args))
	}
	if f.Status != "" {
		where = append(where, "x.status = "+arg(f.Status))
	}
	if cur != nil {
		where = append(where, "x.id > "+arg(cur.ID))
	}
	if len(v.Wilayah) > 0 {
		w := arg(v.Wilayah)
		where = append(where, fmt.Sprintf("(coalesce(u.kecamatan_kode, k.kecamatan_kode) = any(%s) or coalesce(u.kelurahan_kode, k.kelurahan_kode) = any(%s))", w, w))
	}
	sql := pesertaSelect + " where " + strings.Join(where, " and ") + " order by x.id limit " + arg(f.Limit+1)
	var page PesertaPage
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if _, err := getTx(ctx, tx, programID, false); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return fmt.Errorf("list peserta: %w", err)
		}
		page.Items, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Peserta, error) { return scanPeserta(r) })
		return err
	})
	if err != nil {
		return PesertaPage{}, err
	}
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		page.NextCursor = keyset.Encode(keyset.Cursor{ID: page.Items[f.Limit-1].ID})
	}
	for i := range page.Items {
		Present(&page.Items[i], v)
	}
	if page.Items == nil {
		page.Items = []Peserta{}
	}
	return page, nil
}

// HadirInput is who attended a session: the whole list, replacing the
// one before.
type HadirInput struct {
	PesertaID []uuid.UUID `json:"peserta_id" nullable:"false" maxItems:"5000" doc:"Selected or completed participants of this programme present at the session."`
}

// SetHadir replaces a session's attendance if the session's version is
// current; every participant named must be selected or completed.
func (s *Service) SetHadir(ctx context.Context, t *tenancy.Tenant, programID, sesiID uuid.UUID, version int64, in HadirInput) (Sesi, error) {
	var x Sesi
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := lockSesi(ctx, tx, t, programID, sesiID, version)
		if err != nil {
			return err
		}
		var ok []uuid.UUID
		rows, err := tx.Query(ctx, `select id from peserta where program_id = $1 and id = any($2) and status in ('terpilih', 'selesai')`, programID, in.PesertaID)
		if err != nil {
			return fmt.Errorf("read peserta: %w", err)
		}
		if ok, err = pgx.CollectRows(rows, pgx.RowTo[uuid.UUID]); err != nil {
			return err
		}
		f := &fieldErrs{prefix: "body"}
		for i, id := range in.PesertaID {
			if !slices.Contains(ok, id) {
				f.add(fmt.Sprintf("peserta_id[%d]", i), id, apperr.T("Bukan peserta terpilih program ini.", "Not a selected participant of this programme."))
			}
		}
		if err := f.err(apperr.T("Daftar hadir tidak valid.", "Invalid attendance.")); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `delete from peserta_hadir where sesi_id = $1 and peserta_id <> all($2)`, sesiID, ok); err != nil {
			return fmt.Errorf("clear hadir: %w", err)
		}
		if _, err := tx.Exec(ctx, `insert into peserta_hadir (tenant_id, program_id, sesi_id, peserta_id, dicatat_oleh)
			select $1, $2, $3, unnest($4::uuid[]), $5 on conflict do nothing`, t.ID, programID, sesiID, ok, actor(ctx)); err != nil {
			return fmt.Errorf("insert hadir: %w", err)
		}
		if _, err := tx.Exec(ctx, `update program_sesi set version = version + 1, updated_at = now() where id = $1`, sesiID); err != nil {
			return err
		}
		if x, err = oneSesiTx(ctx, tx, programID, sesiID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "update", Entity: "peserta_hadir", EntityID: sesiID.String(),
			Before: before, After: map[string]any{"sesi": x, "peserta_id": ok}})
	})
	return x, err
}
