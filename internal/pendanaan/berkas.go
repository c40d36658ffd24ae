package pendanaan

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// BerkasDana is a paper the office saw for an application: reference data
// about it (which, its number and date), not the file.
type BerkasDana struct {
	ID        uuid.UUID  `json:"id"`
	Jenis     string     `json:"jenis" doc:"Which paper: one of the scheme's dokumen or rekomendasi (or rekomendasi_lain)."`
	Nama      string     `json:"nama" doc:"The paper as the office says it."`
	UMKMID    *uuid.UUID `json:"umkm_id,omitempty" doc:"A group's member the paper is of; absent: the application's own."`
	Nomor     *string    `json:"nomor,omitempty"`
	Tanggal   *string    `json:"tanggal,omitempty" format:"date"`
	Catatan   *string    `json:"catatan,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
}

// BerkasInput records a paper.
type BerkasInput struct {
	Jenis   string  `json:"jenis" maxLength:"40" doc:"Which paper (the scheme's dokumen, rekomendasi or rekomendasi_lain)."`
	UMKMID  *string `json:"umkm_id,omitempty" doc:"Kredit Mesra: the member a member's paper (KTP, KK, ...) is of; recommendations are the group's."`
	Nomor   *string `json:"nomor,omitempty" maxLength:"100" doc:"The paper's number (NIB: its 13 digits). Never a NIK, KK or account number."`
	Tanggal *string `json:"tanggal,omitempty" format:"date" doc:"The paper's date (YYYY-MM-DD), not after today."`
	Catatan *string `json:"catatan,omitempty" maxLength:"1000" doc:"Do not write NIK or phone numbers here."`
}

var nibPattern = regexp.MustCompile(`^[0-9]{13}$`)

// noNomor are papers whose number is personal data the register keeps
// sealed (NIK, KK) or financial data (an account): the office records that
// it saw them, not the number.
var noNomor = []string{"ktp", "kk", "rekening_bjb"}

var errBerkas = apperr.T("Berkas tidak valid. Periksa isian yang disebutkan.", "Invalid paper. Check the fields listed.")

// CreateBerkasTx records paper in for application id in tx, a transaction
// of office t, and the gates it fails after it. Another office's
// application reads as one that does not exist.
func (s *Service) CreateBerkasTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, id uuid.UUID, in BerkasInput, v View) (BerkasDana, error) {
	today, err := t.Today(s.Now())
	if err != nil {
		return BerkasDana{}, err
	}
	p, err := getTx(ctx, tx, t, id, v, true, today)
	if err != nil {
		return BerkasDana{}, err
	}
	berlaku, _ := time.Parse(time.DateOnly, p.SkemaBerlaku)
	sk, err := skemaVersiTx(ctx, tx, p.Skema, berlaku, today)
	if err != nil {
		return BerkasDana{}, err
	}
	a := sk.Aturan
	f := &fieldErrs{}
	jenis := strings.TrimSpace(in.Jenis)
	group := slices.Contains(a.Rekomendasi, jenis) || slices.Contains(a.RekomendasiLain, jenis)
	member := slices.Contains(a.Dokumen, jenis)
	var allowed []string
	for _, j := range slices.Concat(a.Dokumen, a.Rekomendasi, a.RekomendasiLain) {
		allowed = append(allowed, namaBerkas(j)+" ("+j+")")
	}
	if !group && !member {
		msg := "Skema ini tidak mencatat berkas"
		if len(allowed) > 0 {
			msg = "Jenis berkas tidak dikenal untuk skema ini; pilih salah satu: " + strings.Join(allowed, ", ")
		}
		f.add("body.jenis", in.Jenis, apperr.T(msg+".", "Unknown kind of paper for this scheme."))
	}
	var umkm *uuid.UUID
	isGroup := p.UMKMID == nil && len(p.Anggota) > 0
	switch u := f.uuid("body.umkm_id", in.UMKMID); {
	case in.UMKMID == nil && member && isGroup:
		f.add("body.umkm_id", nil, apperr.T("Pilih anggota kelompok pemilik berkas ini.", "Choose the group's member this paper is of."))
	case u != nil && !isGroup:
		f.add("body.umkm_id", *in.UMKMID, apperr.T("Pengajuan ini bukan kelompok: berkasnya milik pemohon sendiri, kosongkan anggota.",
			"This application is not a group's: leave the member empty."))
	case u != nil && group:
		f.add("body.umkm_id", *in.UMKMID, apperr.T("Rekomendasi untuk seluruh kelompok, bukan untuk satu anggota: kosongkan anggota.",
			"A recommendation is the group's, not one member's: leave the member empty."))
	case u != nil && !slices.ContainsFunc(p.Anggota, func(m AnggotaKelompok) bool { return m.UMKMID == *u }):
		f.add("body.umkm_id", *in.UMKMID, apperr.T("UMKM ini bukan anggota kelompok pengajuan ini.", "This business is not a member of this group."))
	default:
		umkm = u
	}
	nomor := f.text("body.nomor", in.Nomor, 100)
	switch {
	case jenis == "nib" && (nomor == nil || !nibPattern.MatchString(*nomor)):
		f.add("body.nomor", in.Nomor, apperr.T("NIB terdiri dari 13 digit angka.", "A NIB is 13 digits."))
	case slices.Contains(noNomor, jenis) && nomor != nil:
		f.add("body.nomor", nil, apperr.T("Nomor "+namaBerkas(jenis)+" adalah data pribadi: jangan dicatat di berkas (NIK tersimpan tersegel di data UMKM). Cukup catat bahwa berkasnya sudah diperiksa.",
			"The number of this paper is personal data: do not record it here."))
	}
	tanggal := f.date("body.tanggal", in.Tanggal, today)
	catatan := f.text("body.catatan", in.Catatan, 1000)
	if err := f.err(errBerkas); err != nil {
		return BerkasDana{}, err
	}
	if !slices.Contains([]string{TahapDiajukan, TahapLengkap, TahapDikirimBank, TahapDisurvei}, p.Tahap) {
		return BerkasDana{}, apperr.Conflict(apperr.T(
			fmt.Sprintf("Pengajuan sudah di tahap \"%s\": berkas dicatat sebelum keputusan.", NamaTahap[p.Tahap]),
			fmt.Sprintf("The application is at stage %q: papers are recorded before the decision.", p.Tahap)), Path(t.Slug, p.ID))
	}
	var by *uuid.UUID
	if pr, ok := tenancy.PrincipalFrom(ctx); ok {
		by = &pr.UserID
	}
	b := BerkasDana{ID: uuid.Must(uuid.NewV7()), Jenis: jenis, Nama: namaBerkas(jenis), UMKMID: umkm, Nomor: nomor,
		Tanggal: dateString(tanggal), Catatan: catatan, CreatedAt: s.Now()}
	if _, err := tx.Exec(ctx, `insert into pengajuan_dana_berkas (tenant_id, id, pengajuan_id, umkm_id, jenis, nomor, tanggal, catatan, oleh, created_at)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, t.ID, b.ID, id, umkm, jenis, nomor, tanggal, catatan, by, b.CreatedAt); err != nil {
		if err = db.MapError(err); apperr.KindOf(err) == apperr.KindConflict {
			return BerkasDana{}, apperr.Conflict(apperr.T(namaBerkas(jenis)+" ini sudah dicatat untuk pengajuan ini.",
				"This paper is recorded for this application already."), Path(t.Slug, p.ID))
		}
		return BerkasDana{}, err
	}
	after, err := getTx(ctx, tx, t, id, v, false, today)
	if err != nil {
		return BerkasDana{}, err
	}
	if err := simpanSyarat(ctx, tx, after, s.Now()); err != nil {
		return BerkasDana{}, err
	}
	return b, auditTx(ctx, tx, t, "create", "pengajuan_dana_berkas", b.ID.String(), nil, b)
}

// berkasTx are application id's papers, in the order recorded.
func berkasTx(ctx context.Context, tx pgx.Tx, id uuid.UUID) ([]BerkasDana, error) {
	rows, err := tx.Query(ctx, `select id, jenis, umkm_id, nomor, tanggal, catatan, created_at from pengajuan_dana_berkas
		where pengajuan_id = $1 order by id`, id)
	if err != nil {
		return nil, fmt.Errorf("berkas: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (BerkasDana, error) {
		var (
			b   BerkasDana
			tgl *time.Time
		)
		err := r.Scan(&b.ID, &b.Jenis, &b.UMKMID, &b.Nomor, &tgl, &b.Catatan, &b.CreatedAt)
		b.Nama, b.Tanggal = namaBerkas(b.Jenis), dateString(tgl)
		return b, err
	})
}
