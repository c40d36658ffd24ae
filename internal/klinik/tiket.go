package klinik

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/keyset"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// KlinikTiket is a consultation request.
type KlinikTiket struct {
	ID            uuid.UUID     `json:"id"`
	Kode          string        `json:"kode" doc:"Tracking code."`
	Saluran       string        `json:"saluran" enum:"walk_in,online,kecamatan,whatsapp"`
	UMKMID        *uuid.UUID    `json:"umkm_id,omitempty"`
	Nama          *string       `json:"nama,omitempty" doc:"The person asking (not yet registered); masked without read-pii."`
	Telepon       *string       `json:"telepon,omitempty" doc:"Masked without read-pii."`
	NamaUsaha     *string       `json:"nama_usaha,omitempty"`
	KecamatanKode *string       `json:"kecamatan_kode,omitempty"`
	KelurahanKode *string       `json:"kelurahan_kode,omitempty"`
	LayananID     uuid.UUID     `json:"layanan_id"`
	LayananNama   string        `json:"layanan_nama"`
	Pertanyaan    string        `json:"pertanyaan"`
	Status        string        `json:"status" enum:"baru,dijadwalkan,selesai,batal"`
	KonsultanID   *uuid.UUID    `json:"konsultan_id,omitempty"`
	KonsultanNama *string       `json:"konsultan_nama,omitempty"`
	Tanggal       *string       `json:"tanggal,omitempty" doc:"Booked date, YYYY-MM-DD (office calendar)."`
	Mulai         *string       `json:"mulai,omitempty" doc:"Booked start, HH:MM office local time."`
	TindakLanjut  *string       `json:"tindak_lanjut,omitempty" doc:"Next follow-up date, YYYY-MM-DD."`
	Hasil         []KlinikHasil `json:"hasil" nullable:"false"`
	SKM           *KlinikSKM    `json:"skm,omitempty"`
	CreatedAt     time.Time     `json:"created_at"`
	UpdatedAt     time.Time     `json:"updated_at"`
	Version       int64         `json:"-"`
}

// KlinikTiketInput is a ticket as staff open it: a business of the register
// (umkm_id) or, for someone not yet registered, a name and phone.
type KlinikTiketInput struct {
	Saluran       string     `json:"saluran" enum:"walk_in,online,kecamatan,whatsapp"`
	UMKMID        *uuid.UUID `json:"umkm_id,omitempty" doc:"A business of the register; absent for someone not yet registered."`
	Nama          *string    `json:"nama,omitempty" maxLength:"200" doc:"Required without umkm_id."`
	Telepon       *string    `json:"telepon,omitempty" maxLength:"20"`
	NamaUsaha     *string    `json:"nama_usaha,omitempty" maxLength:"200"`
	KelurahanKode *string    `json:"kelurahan_kode,omitempty" maxLength:"13" doc:"Without umkm_id: the kelurahan/desa of the business."`
	LayananID     uuid.UUID  `json:"layanan_id"`
	Pertanyaan    string     `json:"pertanyaan" maxLength:"4000"`
}

// KlinikBookingInput is a slot to book.
type KlinikBookingInput struct {
	KonsultanID uuid.UUID `json:"konsultan_id"`
	Tanggal     string    `json:"tanggal" format:"date" example:"2026-12-14"`
	Mulai       string    `json:"mulai" pattern:"^[0-2][0-9]:[0-5][0-9]$" example:"09:00"`
}

const tiketCols = `k.id, k.kode, k.saluran, k.umkm_id, k.nama, k.telepon, coalesce(k.nama_usaha, u.nama_usaha), k.kecamatan_kode, k.kelurahan_kode,
	k.layanan_id, l.nama, k.pertanyaan, k.status, k.konsultan_id, c.nama, to_char(k.tanggal, 'YYYY-MM-DD'), to_char(k.mulai, 'HH24:MI'),
	to_char(k.tindak_lanjut, 'YYYY-MM-DD'), k.created_at, k.updated_at, k.version`

const tiketFrom = ` from klinik_tiket k join klinik_layanan l on l.id = k.layanan_id
	left join klinik_konsultan c on c.id = k.konsultan_id left join umkm u on u.id = k.umkm_id`

// inArea is the SQL condition of a ticket inside the regions $n (none:
// every ticket).
func inArea(n int) string {
	return fmt.Sprintf("(cardinality($%d::text[]) = 0 or k.kecamatan_kode = any($%d) or k.kelurahan_kode = any($%d))", n, n, n)
}

func scanTiket(r pgx.Row) (KlinikTiket, error) {
	var k KlinikTiket
	err := r.Scan(&k.ID, &k.Kode, &k.Saluran, &k.UMKMID, &k.Nama, &k.Telepon, &k.NamaUsaha, &k.KecamatanKode, &k.KelurahanKode,
		&k.LayananID, &k.LayananNama, &k.Pertanyaan, &k.Status, &k.KonsultanID, &k.KonsultanNama, &k.Tanggal, &k.Mulai,
		&k.TindakLanjut, &k.CreatedAt, &k.UpdatedAt, &k.Version)
	k.Hasil = []KlinikHasil{}
	return k, err
}

func tiketTx(ctx context.Context, tx pgx.Tx, id uuid.UUID, wilayah []string, forUpdate bool) (KlinikTiket, error) {
	sql := "select " + tiketCols + tiketFrom + " where k.id = $1 and " + inArea(2)
	if forUpdate {
		sql += " for update of k"
	}
	k, err := scanTiket(tx.QueryRow(ctx, sql, id, nonNil(wilayah)))
	if err != nil {
		return k, db.MapError(err)
	}
	if k.Hasil, err = hasilTx(ctx, tx, id); err != nil {
		return k, err
	}
	k.SKM, err = skmTx(ctx, tx, id)
	return k, err
}

func nonNil(w []string) []string {
	if w == nil {
		return []string{}
	}
	return w
}

// Present masks what v may not see.
func Present(k *KlinikTiket, v View) {
	if v.PII {
		return
	}
	if k.Nama != nil {
		m := maskName(*k.Nama)
		k.Nama = &m
	}
	if k.Telepon != nil {
		m := maskPhone(*k.Telepon)
		k.Telepon = &m
	}
}

// auditView is a ticket as the audit log keeps it: without the person.
func auditView(k KlinikTiket) KlinikTiket {
	Present(&k, View{})
	k.Hasil, k.SKM = nil, nil
	return k
}

// kodeAlphabet is Crockford's base32 (no I, L, O, U).
const kodeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// KodePrefix is the prefix of an office's tracking codes: K and the first
// two letters of its slug (Depok KDE-…), so a lookup asks only the offices
// it may belong to.
func KodePrefix(slug string) string {
	p := []byte{'K'}
	for i := 0; i < len(slug) && len(p) < 3; i++ {
		if c := slug[i]; c >= 'a' && c <= 'z' {
			p = append(p, c-'a'+'A')
		}
	}
	return string(p)
}

func newKode(slug string) string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = kodeAlphabet[b[i]&31]
	}
	return KodePrefix(slug) + "-" + string(b[:5]) + "-" + string(b[5:])
}

// ParseKode reads a code as typed (any case, dashes optional) into its
// canonical form for the office with slug.
func ParseKode(slug, s string) (string, bool) {
	n := strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(s))
	p := KodePrefix(slug)
	rest, ok := strings.CutPrefix(n, p)
	if !ok || len(rest) != 10 || strings.Trim(rest, kodeAlphabet) != "" {
		return "", false
	}
	return p + "-" + rest[:5] + "-" + rest[5:], true
}

// checked is a ticket input ready to write.
type checked struct {
	in                   KlinikTiketInput
	kecamatan, kelurahan *string
}

func (s *Service) checkTiket(ctx context.Context, tx pgx.Tx, in KlinikTiketInput, prefix string, wilayah []string) (checked, error) {
	f := &fieldErrs{prefix: prefix}
	f.oneOf("saluran", in.Saluran, AllSaluran)
	in.Nama = f.text("nama", in.Nama, 200, in.UMKMID == nil)
	in.NamaUsaha = f.text("nama_usaha", in.NamaUsaha, 200, false)
	if p := f.text("pertanyaan", &in.Pertanyaan, 4000, true); p != nil {
		in.Pertanyaan = *p
	}
	if in.Telepon != nil && strings.TrimSpace(*in.Telepon) != "" {
		if n, ok := normalizePhone(*in.Telepon); ok {
			in.Telepon = &n
		} else {
			f.add("telepon", nil, apperr.T("Nomor telepon tidak valid (contoh: 0812-3456-7890).", "Invalid phone number (e.g. 0812-3456-7890)."))
		}
	} else {
		in.Telepon = nil
	}
	if err := f.err(); err != nil {
		return checked{}, err
	}
	c := checked{in: in}
	if err := layananLive(ctx, tx, in.LayananID, prefix+".layanan_id"); err != nil {
		return c, err
	}
	if in.UMKMID != nil {
		// The business's region places the ticket (a petugas: theirs only).
		err := tx.QueryRow(ctx, `select kecamatan_kode, kelurahan_kode from umkm where id = $1 and archived_at is null and merged_into is null`,
			*in.UMKMID).Scan(&c.kecamatan, &c.kelurahan)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && !allows(wilayah, c.kecamatan, c.kelurahan)) {
			return c, apperr.InvalidField(prefix+".umkm_id", *in.UMKMID, apperr.T("UMKM tidak ditemukan di kantor ini.", "No such business in this office."))
		} else if err != nil {
			return c, fmt.Errorf("umkm of ticket: %w", err)
		}
		return c, nil
	}
	if in.KelurahanKode != nil && *in.KelurahanKode != "" {
		var kec string
		err := tx.QueryRow(ctx, `select parent_kode from wilayah where kode = $1 and level = 'desa_kelurahan'`, *in.KelurahanKode).Scan(&kec)
		if errors.Is(err, pgx.ErrNoRows) {
			return c, apperr.InvalidField(prefix+".kelurahan_kode", *in.KelurahanKode, apperr.T("Kelurahan/desa tidak dikenal di kantor ini.", "Unknown kelurahan/desa in this office."))
		} else if err != nil {
			return c, fmt.Errorf("kelurahan of ticket: %w", err)
		}
		c.kecamatan, c.kelurahan = &kec, in.KelurahanKode
	}
	if !allows(wilayah, c.kecamatan, c.kelurahan) {
		return c, apperr.InvalidField(prefix+".kelurahan_kode", in.KelurahanKode, apperr.T("Pilih kelurahan/desa di wilayah tugas Anda.", "Choose a kelurahan/desa of your area."))
	}
	return c, nil
}

// allows reports whether a ticket at kec/kel lies in wilayah (empty: all).
func allows(wilayah []string, kec, kel *string) bool {
	if len(wilayah) == 0 {
		return true
	}
	for _, w := range wilayah {
		if (kec != nil && *kec == w) || (kel != nil && *kel == w) {
			return true
		}
	}
	return false
}

func (s *Service) insertTiket(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, c checked) (uuid.UUID, string, error) {
	id := uuid.Must(uuid.NewV7())
	kode := newKode(t.Slug)
	_, err := tx.Exec(ctx, `insert into klinik_tiket (tenant_id, id, kode, saluran, umkm_id, nama, telepon, nama_usaha, kecamatan_kode, kelurahan_kode,
			layanan_id, pertanyaan, dibuat_oleh, created_at, updated_at)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)`,
		t.ID, id, kode, c.in.Saluran, c.in.UMKMID, c.in.Nama, c.in.Telepon, c.in.NamaUsaha, c.kecamatan, c.kelurahan,
		c.in.LayananID, c.in.Pertanyaan, actor(ctx), s.Now())
	return id, kode, db.MapError(err)
}

// CreateTiketTx opens a ticket in tx. A petugas (v.Wilayah) opens them
// only in their regions.
func (s *Service) CreateTiketTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, in KlinikTiketInput, v View) (KlinikTiket, error) {
	c, err := s.checkTiket(ctx, tx, in, "body", v.Wilayah)
	if err != nil {
		return KlinikTiket{}, err
	}
	id, _, err := s.insertTiket(ctx, tx, t, c)
	if err != nil {
		return KlinikTiket{}, err
	}
	k, err := tiketTx(ctx, tx, id, nil, false)
	if err != nil {
		return k, err
	}
	return k, audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "klinik_tiket", EntityID: id.String(), After: auditView(k)})
}

// GetTiket returns a ticket inside v's regions.
func (s *Service) GetTiket(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, v View) (KlinikTiket, error) {
	var k KlinikTiket
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var err error
		k, err = tiketTx(ctx, tx, id, v.Wilayah, false)
		return err
	})
	return k, err
}

// TiketFilter narrows the list of tickets.
type TiketFilter struct {
	Status    string
	LayananID uuid.UUID
	UMKMID    uuid.UUID
	Cursor    string
	Limit     int
}

// TiketPage is a page of tickets, newest first.
type TiketPage struct {
	Items      []KlinikTiket
	NextCursor string
}

// ListTiket returns a page of the tickets v may see, newest first.
func (s *Service) ListTiket(ctx context.Context, t *tenancy.Tenant, f TiketFilter, v View) (TiketPage, error) {
	fe := &fieldErrs{prefix: "query"}
	if f.Status != "" {
		fe.oneOf("status", f.Status, AllStatus)
	}
	if err := fe.err(); err != nil {
		return TiketPage{}, err
	}
	cur, err := keyset.Decode(f.Cursor)
	if err != nil {
		return TiketPage{}, err
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	args := []any{nonNil(v.Wilayah)}
	where := []string{inArea(1)}
	arg := func(x any) string { args = append(args, x); return fmt.Sprintf("$%d", len(args)) }
	if f.Status != "" {
		where = append(where, "k.status = "+arg(f.Status))
	}
	if f.LayananID != uuid.Nil {
		where = append(where, "k.layanan_id = "+arg(f.LayananID))
	}
	if f.UMKMID != uuid.Nil {
		where = append(where, "k.umkm_id = "+arg(f.UMKMID))
	}
	if cur != nil {
		where = append(where, "k.id < "+arg(cur.ID))
	}
	var page TiketPage
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, "select "+tiketCols+tiketFrom+" where "+strings.Join(where, " and ")+" order by k.id desc limit "+arg(f.Limit+1), args...)
		if err != nil {
			return fmt.Errorf("list klinik_tiket: %w", err)
		}
		page.Items, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (KlinikTiket, error) { return scanTiket(r) })
		return err
	})
	if err != nil {
		return page, err
	}
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		page.NextCursor = keyset.Encode(keyset.Cursor{ID: page.Items[f.Limit-1].ID})
	}
	return page, nil
}

// lockTiket locks a ticket in v's regions and checks its version (0: any).
func lockTiket(ctx context.Context, tx pgx.Tx, id uuid.UUID, version int64, wilayah []string) (KlinikTiket, error) {
	k, err := tiketTx(ctx, tx, id, wilayah, true)
	if err != nil {
		return k, err
	}
	if version != 0 && k.Version != version {
		return k, apperr.PreconditionFailed()
	}
	return k, nil
}

func closedErr(t *tenancy.Tenant, k KlinikTiket) error {
	return apperr.Conflict(apperr.T("Tiket sudah "+StatusLabel[k.Status]+".", "The ticket is "+k.Status+"."), Path(t.Slug, k.ID))
}

// Book books a slot for a ticket: a consultant serving its area, a date
// from today on, a start on the consultant's weekly schedule, under the
// daily capacity, and free. The consultant's row is locked for the check,
// so capacity holds under concurrent bookings; the unique slot index
// (klinik_tiket_slot_key) is what makes a slot one ticket's, and a second
// booking of it is answered 409 naming mulai.
func (s *Service) Book(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64, in KlinikBookingInput, v View) (KlinikTiket, error) {
	f := &fieldErrs{prefix: "body"}
	d := f.date("tanggal", &in.Tanggal)
	if in.Tanggal == "" {
		f.add("tanggal", nil, wajib)
	}
	m := clock(in.Mulai)
	if m < 0 {
		f.add("mulai", in.Mulai, apperr.T("Jam harus JJ:MM.", "Times are HH:MM."))
	}
	if err := f.err(); err != nil {
		return KlinikTiket{}, err
	}
	today, err := t.Today(s.Now())
	if err != nil {
		return KlinikTiket{}, err
	}
	if d.Before(today) {
		return KlinikTiket{}, apperr.InvalidField("body.tanggal", in.Tanggal, apperr.T("Tanggal sudah lewat.", "The date has passed."))
	}
	var k KlinikTiket
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := lockTiket(ctx, tx, id, version, v.Wilayah)
		if err != nil {
			return err
		}
		if before.Status == "selesai" || before.Status == "batal" {
			return closedErr(t, before)
		}
		c, err := konsultanTx(ctx, tx, in.KonsultanID, true)
		if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindNotFound || err == nil && c.ArchivedAt != nil {
			return apperr.InvalidField("body.konsultan_id", in.KonsultanID, apperr.T("Konsultan tidak ditemukan di kantor ini.", "No such consultant in this office."))
		} else if err != nil {
			return err
		}
		if !containsID(c.Layanan, before.LayananID) {
			return apperr.InvalidField("body.konsultan_id", in.KonsultanID, apperr.T(
				"Konsultan ini tidak melayani bidang "+before.LayananNama+".", "This consultant does not serve "+before.LayananNama+"."))
		}
		if _, ok := c.opening(isoWeekday(*d), m); !ok {
			return apperr.InvalidField("body.mulai", in.Mulai, apperr.T(
				fmt.Sprintf("Di luar jadwal %s pada hari %s (sesi %d menit).", c.Nama, HariLabel[isoWeekday(*d)], c.SlotMenit),
				"Outside the consultant's schedule on that day."))
		}
		var booked int
		if err := tx.QueryRow(ctx, `select count(*) from klinik_tiket where konsultan_id = $1 and tanggal = $2
				and status in ('dijadwalkan', 'selesai') and id <> $3`, c.ID, *d, id).Scan(&booked); err != nil {
			return fmt.Errorf("count booked: %w", err)
		}
		if booked >= c.KuotaHarian {
			e := apperr.Conflict(apperr.T(fmt.Sprintf("Kuota harian %s (%d sesi) pada tanggal itu sudah penuh.", c.Nama, c.KuotaHarian),
				"The consultant's daily capacity on that date is full."), "")
			e.Fields = []apperr.Field{{Location: "body.tanggal", Value: in.Tanggal, Message: e.Message}}
			return e
		}
		_, err = tx.Exec(ctx, `update klinik_tiket set konsultan_id = $2, tanggal = $3, mulai = $4, status = 'dijadwalkan',
				version = version + 1, updated_at = $5 where id = $1`, id, c.ID, *d, in.Mulai, s.Now())
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == pgerrcode.UniqueViolation && pe.ConstraintName == "klinik_tiket_slot_key" {
			e := apperr.Conflict(apperr.T("Slot ini sudah dipesan. Pilih slot lain.", "This slot is already booked. Choose another."), "")
			e.Fields = []apperr.Field{{Location: "body.mulai", Value: in.Mulai, Message: e.Message}}
			return e
		} else if err != nil {
			return db.MapError(err)
		}
		if k, err = tiketTx(ctx, tx, id, nil, false); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "book", Entity: "klinik_tiket", EntityID: id.String(), Before: auditView(before), After: auditView(k)})
	})
	return k, err
}

func containsID(ids []uuid.UUID, id uuid.UUID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// Cancel cancels a ticket; its slot is free again.
func (s *Service) Cancel(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64, v View) (KlinikTiket, error) {
	var k KlinikTiket
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := lockTiket(ctx, tx, id, version, v.Wilayah)
		if err != nil {
			return err
		}
		if before.Status == "selesai" || before.Status == "batal" {
			return closedErr(t, before)
		}
		if _, err := tx.Exec(ctx, `update klinik_tiket set status = 'batal', version = version + 1, updated_at = $2 where id = $1`, id, s.Now()); err != nil {
			return db.MapError(err)
		}
		if k, err = tiketTx(ctx, tx, id, nil, false); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "cancel", Entity: "klinik_tiket", EntityID: id.String(), Before: auditView(before), After: auditView(k)})
	})
	return k, err
}
