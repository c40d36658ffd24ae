package tumpang

import (
	"context"
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
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Partisipasi is one other participation of a candidate.
type Partisipasi struct {
	Sumber      string     `json:"sumber" enum:"kantor,luar" doc:"kantor: a programme in this office's ledger; luar: another agency's list."`
	ID          uuid.UUID  `json:"id" doc:"The peserta id (kantor) or the external row's id (luar)."`
	ProgramID   *uuid.UUID `json:"program_id,omitempty"`
	ProgramNama string     `json:"program_nama"`
	Jenis       string     `json:"jenis"`
	Tahun       int        `json:"tahun"`
	AgensiID    uuid.UUID  `json:"agensi_id"`
	AgensiNama  string     `json:"agensi_nama"`
	Status      string     `json:"status"`
	Melalui     string     `json:"melalui" enum:"usaha,nik,koperasi" doc:"How it matched: the same business record, the same owner's NIK, or the same cooperative."`
	SamaJenis   bool       `json:"sama_jenis" doc:"The same kind of help as the programme being selected for."`
	// Completion of an office programme (kantor, status selesai).
	SelesaiTanggal  *string `json:"selesai_tanggal,omitempty" format:"date"`
	SertifikatNomor *string `json:"sertifikat_nomor,omitempty"`
}

// Izin is an overridden overlap warning.
type Izin struct {
	Alasan    string     `json:"alasan"`
	Jumlah    int        `json:"jumlah" doc:"Same-kind participations when overridden; a later one warns again."`
	Oleh      *uuid.UUID `json:"oleh,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
}

// Cek is a candidate's other participations, any agency, any year.
type Cek struct {
	PesertaID uuid.UUID     `json:"peserta_id"`
	Jenis     string        `json:"jenis" doc:"The kind of help of the programme being selected for."`
	Items     []Partisipasi `json:"items" nullable:"false"`
	SamaJenis int           `json:"sama_jenis" doc:"How many of them are of the same kind: more than zero is an overlap warning."`
	Izin      *Izin         `json:"izin,omitempty" doc:"The override of the warning, if any."`
}

// PerluIzin says whether selecting the candidate needs an override first:
// an overlap of the same kind not yet overridden, or grown since.
func (c Cek) PerluIzin() bool {
	return c.SamaJenis > 0 && (c.Izin == nil || c.Izin.Jumlah < c.SamaJenis)
}

type kandidat struct {
	jenis                string
	umkmID, koperasiID   *uuid.UUID
	nikHash              []byte
	kecamatan, kelurahan string
}

func kandidatTx(ctx context.Context, tx pgx.Tx, programID, pesertaID uuid.UUID, v View) (kandidat, error) {
	var k kandidat
	err := tx.QueryRow(ctx, `select p.jenis, x.umkm_id, x.koperasi_id, x.nik_hash,
			coalesce(u.kecamatan_kode, ko.kecamatan_kode, ''), coalesce(u.kelurahan_kode, ko.kelurahan_kode, '')
		from peserta x join program p on p.id = x.program_id
		left join umkm u on u.id = x.umkm_id left join koperasi ko on ko.id = x.koperasi_id
		where x.program_id = $1 and x.id = $2`, programID, pesertaID).
		Scan(&k.jenis, &k.umkmID, &k.koperasiID, &k.nikHash, &k.kecamatan, &k.kelurahan)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && !v.inArea(k.kecamatan, k.kelurahan)) {
		return kandidat{}, apperr.NotFound()
	}
	if err != nil {
		return kandidat{}, fmt.Errorf("read kandidat: %w", err)
	}
	return k, nil
}

// CekTx is the overlap check for one candidate in tx, a tenant
// transaction: helper of the selection (program) as much as of the API.
// The selection calls it before taking a place and refuses, or asks for
// an override, when the answer's PerluIzin is true. Each branch is one
// index probe (by business, by NIK, by cooperative).
func (s *Service) CekTx(ctx context.Context, tx pgx.Tx, programID, pesertaID uuid.UUID, v View) (Cek, error) {
	k, err := kandidatTx(ctx, tx, programID, pesertaID, v)
	if err != nil {
		return Cek{}, err
	}
	c := Cek{PesertaID: pesertaID, Jenis: k.jenis, Items: []Partisipasi{}}
	items, err := partisipasiTx(ctx, tx, pesertaID, k.umkmID, k.nikHash, k.koperasiID)
	if err != nil {
		return Cek{}, err
	}
	for i := range items {
		items[i].SamaJenis = items[i].Jenis == k.jenis
	}
	c.Items = append(c.Items, items...)
	for _, p := range c.Items {
		if p.SamaJenis {
			c.SamaJenis++
		}
	}
	var iz Izin
	err = tx.QueryRow(ctx, `select alasan, jumlah, oleh, created_at from tumpang_izin where peserta_id = $1`, pesertaID).
		Scan(&iz.Alasan, &iz.Jumlah, &iz.Oleh, &iz.CreatedAt)
	switch {
	case err == nil:
		c.Izin = &iz
	case !errors.Is(err, pgx.ErrNoRows):
		return Cek{}, fmt.Errorf("read tumpang_izin: %w", err)
	}
	return c, nil
}

// partisipasiTx are the live participations of a subject, any agency and
// year, newest first: by the business record, by the owner's NIK, or by
// the cooperative (nil or empty: that branch matches nothing), leaving out
// the participant kecuali (the candidate itself; uuid.Nil for none). Each
// branch is one index probe (peserta_umkm_idx, peserta_nik_idx,
// peserta_koperasi_idx and partisipasi_luar's).
func partisipasiTx(ctx context.Context, tx pgx.Tx, kecuali uuid.UUID, umkmID *uuid.UUID, nikHash []byte, koperasiID *uuid.UUID) ([]Partisipasi, error) {
	rows, err := tx.Query(ctx, `
		select 'kantor', x.id, x.program_id, p.nama, p.jenis, p.tahun, p.agensi_id, a.nama, x.status,
			case when x.umkm_id = $2 then 'usaha' when x.koperasi_id = $4 then 'koperasi' else 'nik' end,
			x.selesai_tanggal, x.sertifikat_nomor, coalesce(x.selesai_tanggal, x.created_at::date) as kapan
		from peserta x join program p on p.id = x.program_id join agensi a on a.id = p.agensi_id
		where x.id <> $1 and x.`+pesertaHidup+`
			and (x.umkm_id = $2 or x.nik_hash = $3 or x.koperasi_id = $4)
		union all
		select 'luar', l.id, null, l.program_nama, l.jenis, l.tahun, l.agensi_id, a.nama, l.status,
			case when l.umkm_id = $2 then 'usaha' else 'nik' end, null, null, l.created_at::date
		from partisipasi_luar l join agensi a on a.id = l.agensi_id
		where l.status <> 'dibuang' and (l.umkm_id = $2 or l.nik_hash = $3)
		order by 6 desc, 13 desc, 4`, kecuali, umkmID, nikHash, koperasiID)
	if err != nil {
		return nil, fmt.Errorf("read partisipasi: %w", err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Partisipasi, error) {
		var p Partisipasi
		var tahun int16
		var selesai *time.Time
		var kapan time.Time
		err := r.Scan(&p.Sumber, &p.ID, &p.ProgramID, &p.ProgramNama, &p.Jenis, &tahun, &p.AgensiID, &p.AgensiNama, &p.Status, &p.Melalui,
			&selesai, &p.SertifikatNomor, &kapan)
		p.Tahun = int(tahun)
		if selesai != nil {
			d := selesai.Format(time.DateOnly)
			p.SelesaiTanggal = &d
		}
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("read partisipasi: %w", err)
	}
	return items, nil
}

// Cek is CekTx in its own read transaction.
func (s *Service) Cek(ctx context.Context, t *tenancy.Tenant, programID, pesertaID uuid.UUID, v View) (Cek, error) {
	var c Cek
	err := s.DB.ReadTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var err error
		c, err = s.CekTx(ctx, tx, programID, pesertaID, v)
		return err
	})
	return c, err
}

// IzinInput is an override of an overlap warning.
type IzinInput struct {
	Alasan string `json:"alasan" minLength:"10" maxLength:"1000" doc:"Why the candidate may be selected despite the overlap (audited)."`
}

// Izinkan overrides a candidate's overlap warning with a reason, audited
// in the same transaction. Without a same-kind overlap there is nothing to
// override (409); overriding again replaces the reason and counts the
// overlap as it is now.
func (s *Service) Izinkan(ctx context.Context, t *tenancy.Tenant, programID, pesertaID uuid.UUID, in IzinInput, v View) (Cek, error) {
	alasan := strings.TrimSpace(in.Alasan)
	if n := len([]rune(alasan)); n < 10 || n > 1000 {
		return Cek{}, apperr.InvalidField("body.alasan", nil, apperr.T(
			"Alasan wajib diisi, 10 sampai 1000 karakter.", "A reason is required, 10 to 1000 characters."))
	}
	var c Cek
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		// Lock the participant so an override and a selection see the same overlap.
		if _, err := tx.Exec(ctx, `select 1 from peserta where id = $1 for update`, pesertaID); err != nil {
			return fmt.Errorf("lock peserta: %w", err)
		}
		before, err := s.CekTx(ctx, tx, programID, pesertaID, v)
		if err != nil {
			return err
		}
		if before.SamaJenis == 0 {
			return apperr.Conflict(apperr.T("Tidak ada tumpang tindih bantuan sejenis yang perlu diizinkan.",
				"There is no overlap of the same kind to override."), "")
		}
		if _, err := tx.Exec(ctx, `insert into tumpang_izin (tenant_id, peserta_id, alasan, jumlah, oleh, created_at)
				values ($1, $2, $3, $4, $5, $6)
				on conflict (tenant_id, peserta_id) do update set alasan = excluded.alasan, jumlah = excluded.jumlah,
					oleh = excluded.oleh, created_at = excluded.created_at`,
			t.ID, pesertaID, alasan, before.SamaJenis, actor(ctx), s.Now()); err != nil {
			return db.MapError(fmt.Errorf("insert tumpang_izin: %w", err))
		}
		if c, err = s.CekTx(ctx, tx, programID, pesertaID, v); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "override", Entity: "tumpang_izin", EntityID: pesertaID.String(),
			Before: before.Izin, After: map[string]any{"program_id": programID, "alasan": alasan, "sama_jenis": before.SamaJenis}})
	})
	return c, err
}

// SeleksiTx is the selection's question in plain types, so the programmes
// can ask it without either package importing the other: how many
// participations of the same kind wait for an override, and from which
// agencies; zero when the candidate may be selected. The caller has the
// participant locked, as Izinkan does, so both see the same overlap.
func (s *Service) SeleksiTx(ctx context.Context, tx pgx.Tx, programID, pesertaID uuid.UUID) (int, []string, error) {
	c, err := s.CekTx(ctx, tx, programID, pesertaID, View{})
	if err != nil || !c.PerluIzin() {
		return 0, nil, err
	}
	var agensi []string
	for _, p := range c.Items {
		if p.SamaJenis && !slices.Contains(agensi, p.AgensiNama) {
			agensi = append(agensi, p.AgensiNama)
		}
	}
	return c.SamaJenis, agensi, nil
}
