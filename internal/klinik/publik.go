package klinik

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/idempotency"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// KlinikPublikInput is the public online form: what someone asking for a
// consultation types, with the honeypot the registration form has.
type KlinikPublikInput struct {
	LayananID     uuid.UUID `json:"layanan_id" doc:"A service area (the office's public list)."`
	Pertanyaan    string    `json:"pertanyaan" maxLength:"4000"`
	Nama          string    `json:"nama" maxLength:"200"`
	Telepon       string    `json:"telepon" maxLength:"20"`
	NamaUsaha     *string   `json:"nama_usaha,omitempty" maxLength:"200"`
	KelurahanKode *string   `json:"kelurahan_kode,omitempty" maxLength:"13"`
	SitusWeb      string    `json:"situs_web,omitempty" maxLength:"200" doc:"Leave empty."`
}

// KlinikStatusPublik is what anyone with the code may see: nothing personal.
type KlinikStatusPublik struct {
	Kode    string  `json:"kode"`
	Status  string  `json:"status" enum:"baru,dijadwalkan,selesai,batal"`
	Layanan string  `json:"layanan"`
	Tanggal *string `json:"tanggal,omitempty" doc:"Booked date, YYYY-MM-DD."`
	Mulai   *string `json:"mulai,omitempty" doc:"Booked start, HH:MM office local time."`
	Selesai *string `json:"selesai,omitempty"`
	Tempat  *string `json:"tempat,omitempty"`
	Dibuat  string  `json:"dibuat" doc:"Date asked, YYYY-MM-DD."`
	// Survei says the satisfaction survey may be answered now: the
	// consultation is done and it has no answers yet.
	Survei bool `json:"survei" doc:"The satisfaction survey can be answered (consultation done, not yet answered)."`
}

// publicUser is the user id under which the form's Idempotency-Keys are
// kept (as for the registration form): a key is the sender's random value.
var publicUser = uuid.Nil

// Ask files the public form from client, once per idempotency key (if
// any): throttled like the registration form; a filled honeypot gets the
// answer a real request gets, with a fresh code, and nothing is stored
// (telling a bot teaches it).
func (s *Service) Ask(ctx context.Context, t *tenancy.Tenant, in KlinikPublikInput, client, idemKey string) (KlinikStatusPublik, error) {
	if s.Throttle == nil {
		return KlinikStatusPublik{}, errors.New("klinik: no throttle for the public form")
	}
	if err := s.Throttle.Admit(ctx, t, "klinik", client); err != nil {
		return KlinikStatusPublik{}, err
	}
	ti := KlinikTiketInput{Saluran: "online", Nama: &in.Nama, Telepon: &in.Telepon, NamaUsaha: in.NamaUsaha,
		KelurahanKode: in.KelurahanKode, LayananID: in.LayananID, Pertanyaan: in.Pertanyaan}
	var out KlinikStatusPublik
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if err := seedLayanan(ctx, tx, t.ID); err != nil {
			return err
		}
		c, err := s.checkTiket(ctx, tx, ti, "body", nil)
		if err != nil {
			return err
		}
		if c.in.Telepon == nil {
			return apperr.InvalidField("body.telepon", nil, wajib)
		}
		var layanan string
		if err := tx.QueryRow(ctx, `select nama from klinik_layanan where id = $1`, in.LayananID).Scan(&layanan); err != nil {
			return err
		}
		today, err := t.Today(s.Now())
		if err != nil {
			return err
		}
		out = KlinikStatusPublik{Status: "baru", Layanan: layanan, Dibuat: today.Format("2006-01-02")}
		if in.SitusWeb != "" {
			s.Logger.InfoContext(ctx, "klinik honeypot filled", "tenant", t.Slug)
			out.Kode = newKode(t.Slug)
			return nil
		}
		req := idempotency.Request{TenantID: t.ID, UserID: publicUser, Key: idemKey, Operation: "create-klinik-publik", Body: in}
		if idemKey != "" {
			stored, err := idempotency.Lookup(ctx, tx, req)
			if err != nil {
				return err
			}
			if stored != nil {
				return json.Unmarshal(stored.Response, &out)
			}
		}
		id, kode, err := s.insertTiket(ctx, tx, t, c)
		if err != nil {
			return err
		}
		out.Kode = kode
		k, err := tiketTx(ctx, tx, id, nil, false)
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "klinik_tiket", EntityID: id.String(), After: auditView(k)}); err != nil {
			return err
		}
		if idemKey != "" {
			return idempotency.Save(ctx, tx, req, 201, out, "/v1/public/"+t.Slug+"/klinik/tiket/"+kode)
		}
		return nil
	})
	return out, err
}

// Status is the public status of the ticket with code kode, throttled per
// client like the registration's lookup.
func (s *Service) Status(ctx context.Context, t *tenancy.Tenant, kode, client string) (KlinikStatusPublik, error) {
	if s.Throttle == nil {
		return KlinikStatusPublik{}, errors.New("klinik: no throttle for the public lookup")
	}
	if err := s.Throttle.Admit(ctx, t, "klinik-lacak", client); err != nil {
		return KlinikStatusPublik{}, err
	}
	kode, ok := ParseKode(t.Slug, kode)
	if !ok {
		return KlinikStatusPublik{}, apperr.NotFound()
	}
	var out KlinikStatusPublik
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `select k.kode, k.status, l.nama, to_char(k.tanggal, 'YYYY-MM-DD'), to_char(k.mulai, 'HH24:MI'),
				to_char(k.mulai + make_interval(mins => c.slot_menit), 'HH24:MI'), j.tempat, to_char(k.created_at at time zone $2, 'YYYY-MM-DD'),
				k.status = 'selesai' and not exists (select 1 from klinik_skm m where m.tiket_id = k.id)
			from klinik_tiket k join klinik_layanan l on l.id = k.layanan_id
			left join klinik_konsultan c on c.id = k.konsultan_id
			left join klinik_jadwal j on j.konsultan_id = k.konsultan_id and j.hari = extract(isodow from k.tanggal)
				and k.mulai >= j.mulai and k.mulai < j.selesai
			where k.kode = $1`, kode, t.TimeZone).
			Scan(&out.Kode, &out.Status, &out.Layanan, &out.Tanggal, &out.Mulai, &out.Selesai, &out.Tempat, &out.Dibuat, &out.Survei)
		if errors.Is(err, pgx.ErrNoRows) {
			return apperr.NotFound()
		} else if err != nil {
			return fmt.Errorf("klinik status: %w", err)
		}
		return nil
	})
	return out, err
}
