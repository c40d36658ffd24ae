package klinik

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// KlinikJadwal is one weekly opening of a consultant.
type KlinikJadwal struct {
	Hari    int    `json:"hari" minimum:"1" maximum:"7" doc:"ISO weekday: 1 Monday … 7 Sunday."`
	Mulai   string `json:"mulai" pattern:"^[0-2][0-9]:[0-5][0-9]$" example:"09:00" doc:"Office local time HH:MM."`
	Selesai string `json:"selesai" pattern:"^[0-2][0-9]:[0-5][0-9]$" example:"12:00"`
	Tempat  string `json:"tempat" maxLength:"200" example:"Sentra UMKM, Jl. Margonda"`
}

// KlinikKonsultan is a consultant with the areas served and the schedule.
type KlinikKonsultan struct {
	ID          uuid.UUID      `json:"id"`
	Nama        string         `json:"nama"`
	UserID      *uuid.UUID     `json:"user_id,omitempty" doc:"The staff user, when the consultant is one."`
	SlotMenit   int            `json:"slot_menit" doc:"Length of a slot in minutes."`
	KuotaHarian int            `json:"kuota_harian" doc:"Slots bookable per day."`
	Layanan     []uuid.UUID    `json:"layanan" nullable:"false"`
	Jadwal      []KlinikJadwal `json:"jadwal" nullable:"false"`
	ArchivedAt  *time.Time     `json:"archived_at,omitempty"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
	Version     int64          `json:"-"`
}

// KlinikKonsultanInput is a consultant as staff write it; an update
// replaces every field, areas and schedule included.
type KlinikKonsultanInput struct {
	Nama        string         `json:"nama" maxLength:"200" example:"Rina Marlina"`
	UserID      *uuid.UUID     `json:"user_id,omitempty" doc:"A staff user of this office; absent for an outside consultant."`
	SlotMenit   int            `json:"slot_menit" minimum:"10" maximum:"240" example:"60"`
	KuotaHarian int            `json:"kuota_harian" minimum:"1" maximum:"50" example:"4"`
	Layanan     []uuid.UUID    `json:"layanan" maxItems:"50" doc:"Service areas served (list-klinik-layanan)."`
	Jadwal      []KlinikJadwal `json:"jadwal" maxItems:"30"`
	Arsip       bool           `json:"arsip,omitempty" doc:"On update: archive (true) or restore."`
}

func checkKonsultan(in KlinikKonsultanInput) (KlinikKonsultanInput, error) {
	f := &fieldErrs{prefix: "body"}
	if n := f.text("nama", &in.Nama, 200, true); n != nil {
		in.Nama = *n
	}
	if in.SlotMenit < 10 || in.SlotMenit > 240 {
		f.add("slot_menit", in.SlotMenit, apperr.T("Lama satu sesi 10–240 menit.", "A slot is 10–240 minutes."))
	}
	if in.KuotaHarian < 1 || in.KuotaHarian > 50 {
		f.add("kuota_harian", in.KuotaHarian, apperr.T("Kuota harian 1–50 sesi.", "Daily capacity 1–50 slots."))
	}
	if len(in.Layanan) == 0 {
		f.add("layanan", nil, apperr.T("Pilih minimal satu layanan.", "Choose at least one area."))
	}
	for i, j := range in.Jadwal {
		loc := fmt.Sprintf("jadwal[%d]", i)
		m, e := clock(j.Mulai), clock(j.Selesai)
		switch {
		case j.Hari < 1 || j.Hari > 7:
			f.add(loc+".hari", j.Hari, apperr.T("Hari 1 (Senin) sampai 7 (Minggu).", "Weekday 1 (Monday) to 7 (Sunday)."))
		case m < 0:
			f.add(loc+".mulai", j.Mulai, apperr.T("Jam harus JJ:MM.", "Times are HH:MM."))
		case e < 0:
			f.add(loc+".selesai", j.Selesai, apperr.T("Jam harus JJ:MM.", "Times are HH:MM."))
		case e-m < in.SlotMenit:
			f.add(loc+".selesai", j.Selesai, apperr.T("Jam selesai harus setelah jam mulai, paling sedikit satu sesi.", "The end must be at least one slot after the start."))
		}
		for k := range i {
			o := in.Jadwal[k]
			if o.Hari == j.Hari && clock(o.Mulai) < e && m < clock(o.Selesai) {
				f.add(loc+".mulai", j.Mulai, apperr.T("Jadwal bertumpuk dengan jadwal lain di hari yang sama.", "Overlaps another opening on the same day."))
				break
			}
		}
		if t := f.text(loc+".tempat", &in.Jadwal[i].Tempat, 200, true); t != nil {
			in.Jadwal[i].Tempat = *t
		}
	}
	return in, f.err()
}

const konsultanCols = `id, nama, user_id, slot_menit, kuota_harian, archived_at, created_at, updated_at, version`

func konsultanTx(ctx context.Context, tx pgx.Tx, id uuid.UUID, forUpdate bool) (KlinikKonsultan, error) {
	sql := `select ` + konsultanCols + ` from klinik_konsultan where id = $1`
	if forUpdate {
		sql += " for update"
	}
	var k KlinikKonsultan
	var slot, kuota int16
	if err := tx.QueryRow(ctx, sql, id).Scan(&k.ID, &k.Nama, &k.UserID, &slot, &kuota, &k.ArchivedAt, &k.CreatedAt, &k.UpdatedAt, &k.Version); err != nil {
		return k, db.MapError(err)
	}
	k.SlotMenit, k.KuotaHarian = int(slot), int(kuota)
	return k, fillKonsultan(ctx, tx, []*KlinikKonsultan{&k})
}

// fillKonsultan reads the areas and schedule of ks.
func fillKonsultan(ctx context.Context, tx pgx.Tx, ks []*KlinikKonsultan) error {
	ids := make([]uuid.UUID, len(ks))
	by := map[uuid.UUID]*KlinikKonsultan{}
	for i, k := range ks {
		ids[i], by[k.ID] = k.ID, k
		k.Layanan, k.Jadwal = []uuid.UUID{}, []KlinikJadwal{}
	}
	rows, err := tx.Query(ctx, `select konsultan_id, layanan_id from klinik_konsultan_layanan where konsultan_id = any($1) order by layanan_id`, ids)
	if err != nil {
		return err
	}
	var kid, lid uuid.UUID
	if _, err := pgx.ForEachRow(rows, []any{&kid, &lid}, func() error { by[kid].Layanan = append(by[kid].Layanan, lid); return nil }); err != nil {
		return fmt.Errorf("konsultan layanan: %w", err)
	}
	rows, err = tx.Query(ctx, `select konsultan_id, hari, to_char(mulai, 'HH24:MI'), to_char(selesai, 'HH24:MI'), tempat
		from klinik_jadwal where konsultan_id = any($1) order by hari, mulai`, ids)
	if err != nil {
		return err
	}
	var j KlinikJadwal
	var hari int16
	_, err = pgx.ForEachRow(rows, []any{&kid, &hari, &j.Mulai, &j.Selesai, &j.Tempat}, func() error {
		j.Hari = int(hari)
		by[kid].Jadwal = append(by[kid].Jadwal, j)
		return nil
	})
	return err
}

// ListKonsultan returns the office's consultants by name.
func (s *Service) ListKonsultan(ctx context.Context, t *tenancy.Tenant, arsip bool) ([]KlinikKonsultan, error) {
	var out []KlinikKonsultan
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var err error
		out, err = listKonsultanTx(ctx, tx, arsip)
		return err
	})
	return out, err
}

func listKonsultanTx(ctx context.Context, tx pgx.Tx, arsip bool) ([]KlinikKonsultan, error) {
	rows, err := tx.Query(ctx, `select `+konsultanCols+` from klinik_konsultan where $1 or archived_at is null order by nama, id`, arsip)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (KlinikKonsultan, error) {
		var k KlinikKonsultan
		var slot, kuota int16
		err := r.Scan(&k.ID, &k.Nama, &k.UserID, &slot, &kuota, &k.ArchivedAt, &k.CreatedAt, &k.UpdatedAt, &k.Version)
		k.SlotMenit, k.KuotaHarian = int(slot), int(kuota)
		return k, err
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	ptrs := make([]*KlinikKonsultan, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	return out, fillKonsultan(ctx, tx, ptrs)
}

// GetKonsultan returns one consultant.
func (s *Service) GetKonsultan(ctx context.Context, t *tenancy.Tenant, id uuid.UUID) (KlinikKonsultan, error) {
	var k KlinikKonsultan
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var err error
		k, err = konsultanTx(ctx, tx, id, false)
		return err
	})
	return k, err
}

// writeParts replaces a consultant's areas and schedule.
func writeParts(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, id uuid.UUID, in KlinikKonsultanInput) error {
	if in.UserID != nil {
		var ok bool
		if err := tx.QueryRow(ctx, `select exists (select 1 from role_assignments where domain = $1 and user_id = $2 and disabled_at is null)`, t.Slug, *in.UserID).Scan(&ok); err != nil {
			return fmt.Errorf("check user: %w", err)
		}
		if !ok {
			return apperr.InvalidField("body.user_id", *in.UserID, apperr.T("Pengguna bukan staf kantor ini.", "Not a user of this office."))
		}
	}
	if _, err := tx.Exec(ctx, `delete from klinik_konsultan_layanan where konsultan_id = $1`, id); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `delete from klinik_jadwal where konsultan_id = $1`, id); err != nil {
		return err
	}
	seen := map[uuid.UUID]bool{}
	for i, l := range in.Layanan {
		if seen[l] {
			continue
		}
		seen[l] = true
		if err := layananLive(ctx, tx, l, fmt.Sprintf("body.layanan[%d]", i)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `insert into klinik_konsultan_layanan (tenant_id, konsultan_id, layanan_id) values ($1, $2, $3)`, t.ID, id, l); err != nil {
			return db.MapError(err)
		}
	}
	for _, j := range in.Jadwal {
		if _, err := tx.Exec(ctx, `insert into klinik_jadwal (tenant_id, konsultan_id, hari, mulai, selesai, tempat) values ($1, $2, $3, $4, $5, $6)`,
			t.ID, id, j.Hari, j.Mulai, j.Selesai, j.Tempat); err != nil {
			return db.MapError(err)
		}
	}
	return nil
}

// CreateKonsultanTx registers a consultant.
func (s *Service) CreateKonsultanTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, in KlinikKonsultanInput) (KlinikKonsultan, error) {
	in, err := checkKonsultan(in)
	if err != nil {
		return KlinikKonsultan{}, err
	}
	id := uuid.Must(uuid.NewV7())
	if _, err := tx.Exec(ctx, `insert into klinik_konsultan (tenant_id, id, nama, user_id, slot_menit, kuota_harian, created_at, updated_at)
		values ($1, $2, $3, $4, $5, $6, $7, $7)`, t.ID, id, in.Nama, in.UserID, in.SlotMenit, in.KuotaHarian, s.Now()); err != nil {
		return KlinikKonsultan{}, db.MapError(err)
	}
	if err := writeParts(ctx, tx, t, id, in); err != nil {
		return KlinikKonsultan{}, err
	}
	k, err := konsultanTx(ctx, tx, id, false)
	if err != nil {
		return k, err
	}
	return k, audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "klinik_konsultan", EntityID: id.String(), After: k})
}

// UpdateKonsultan replaces a consultant if version is current (0: any);
// in.Arsip archives it. Slots already booked stay booked.
func (s *Service) UpdateKonsultan(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64, in KlinikKonsultanInput) (KlinikKonsultan, error) {
	in, err := checkKonsultan(in)
	if err != nil {
		return KlinikKonsultan{}, err
	}
	var k KlinikKonsultan
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := konsultanTx(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if version != 0 && before.Version != version {
			return apperr.PreconditionFailed()
		}
		now := s.Now()
		var at *time.Time
		if in.Arsip {
			at = cmpOr(before.ArchivedAt, &now)
		}
		if _, err := tx.Exec(ctx, `update klinik_konsultan set nama = $2, user_id = $3, slot_menit = $4, kuota_harian = $5, archived_at = $6,
				version = version + 1, updated_at = $7 where id = $1`, id, in.Nama, in.UserID, in.SlotMenit, in.KuotaHarian, at, now); err != nil {
			return db.MapError(err)
		}
		if err := writeParts(ctx, tx, t, id, in); err != nil {
			return err
		}
		if k, err = konsultanTx(ctx, tx, id, false); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "update", Entity: "klinik_konsultan", EntityID: id.String(), Before: before, After: k})
	})
	return k, err
}

func cmpOr[T any](a, b *T) *T {
	if a != nil {
		return a
	}
	return b
}

// opening is the schedule entry of k holding a slot starting at minute m
// on weekday hari: the slot lies inside it on its grid of slot_menit.
func (k KlinikKonsultan) opening(hari, m int) (KlinikJadwal, bool) {
	i := slices.IndexFunc(k.Jadwal, func(j KlinikJadwal) bool {
		s, e := clock(j.Mulai), clock(j.Selesai)
		return j.Hari == hari && m >= s && m+k.SlotMenit <= e && (m-s)%k.SlotMenit == 0
	})
	if i < 0 {
		return KlinikJadwal{}, false
	}
	return k.Jadwal[i], true
}

// Slots are the slot starts (minutes) of k on weekday hari, with the place.
func (k KlinikKonsultan) Slots(hari int) []KlinikSlot {
	var out []KlinikSlot
	for _, j := range k.Jadwal {
		if j.Hari != hari {
			continue
		}
		for m := clock(j.Mulai); m+k.SlotMenit <= clock(j.Selesai); m += k.SlotMenit {
			out = append(out, KlinikSlot{Mulai: hhmm(m), Selesai: hhmm(m + k.SlotMenit), Tempat: j.Tempat})
		}
	}
	return out
}

// KlinikSlot is one slot of a consultant's day.
type KlinikSlot struct {
	Mulai   string `json:"mulai"`
	Selesai string `json:"selesai"`
	Tempat  string `json:"tempat"`
}

// isoWeekday is 1 Monday … 7 Sunday.
func isoWeekday(d time.Time) int {
	if w := int(d.Weekday()); w != 0 {
		return w
	}
	return 7
}
