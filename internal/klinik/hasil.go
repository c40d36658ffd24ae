package klinik

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// KlinikHasil is one outcome of a ticket.
type KlinikHasil struct {
	ID           uuid.UUID  `json:"id"`
	Jenis        string     `json:"jenis" enum:"nasihat,rujuk_program,rujuk_instansi,rujuk_bank,dokumen_diperoleh"`
	Catatan      *string    `json:"catatan,omitempty"`
	ProgramID    *uuid.UUID `json:"program_id,omitempty"`
	Instansi     *string    `json:"instansi,omitempty" enum:"dinkes,dpmptsp,bpjph,lainnya"`
	InstansiNama *string    `json:"instansi_nama,omitempty"`
	Bank         *string    `json:"bank,omitempty"`
	DokumenJenis *string    `json:"dokumen_jenis,omitempty" enum:"nib,pirt,halal,bpom_md,bpom_ml,hki,sni"`
	DokumenNomor *string    `json:"dokumen_nomor,omitempty"`
	TindakLanjut *string    `json:"tindak_lanjut,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
}

// KlinikHasilInput is an outcome as the consultant records it.
type KlinikHasilInput struct {
	Jenis        string     `json:"jenis" enum:"nasihat,rujuk_program,rujuk_instansi,rujuk_bank,dokumen_diperoleh" doc:"nasihat (advice), rujuk_program (referred to a programme: program_id), rujuk_instansi (to an agency: instansi), rujuk_bank (bank), dokumen_diperoleh (a document obtained: dokumen_jenis, dokumen_nomor; written to the business's legal documents when the ticket names one)."`
	Catatan      *string    `json:"catatan,omitempty" maxLength:"4000"`
	ProgramID    *uuid.UUID `json:"program_id,omitempty"`
	Instansi     *string    `json:"instansi,omitempty" enum:"dinkes,dpmptsp,bpjph,lainnya" doc:"dinkes (P-IRT), dpmptsp (OSS/NIB), bpjph (halal), lainnya (instansi_nama)."`
	InstansiNama *string    `json:"instansi_nama,omitempty" maxLength:"200"`
	Bank         *string    `json:"bank,omitempty" maxLength:"200"`
	DokumenJenis *string    `json:"dokumen_jenis,omitempty" enum:"nib,pirt,halal,bpom_md,bpom_ml,hki,sni"`
	DokumenNomor *string    `json:"dokumen_nomor,omitempty" maxLength:"40"`
	TindakLanjut *string    `json:"tindak_lanjut,omitempty" format:"date" doc:"Follow-up date, YYYY-MM-DD."`
	Selesai      bool       `json:"selesai,omitempty" doc:"Closes the ticket (status selesai)."`
}

func hasilTx(ctx context.Context, tx pgx.Tx, tiketID uuid.UUID) ([]KlinikHasil, error) {
	rows, err := tx.Query(ctx, `select id, jenis, catatan, program_id, instansi, instansi_nama, bank, dokumen_jenis, dokumen_nomor,
			to_char(tindak_lanjut, 'YYYY-MM-DD'), created_at from klinik_hasil where tiket_id = $1 order by created_at, id`, tiketID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (KlinikHasil, error) {
		var h KlinikHasil
		err := r.Scan(&h.ID, &h.Jenis, &h.Catatan, &h.ProgramID, &h.Instansi, &h.InstansiNama, &h.Bank, &h.DokumenJenis, &h.DokumenNomor,
			&h.TindakLanjut, &h.CreatedAt)
		return h, err
	})
}

func checkHasil(in KlinikHasilInput) (KlinikHasilInput, *time.Time, error) {
	f := &fieldErrs{prefix: "body"}
	f.oneOf("jenis", in.Jenis, AllHasil)
	in.Catatan = f.text("catatan", in.Catatan, 4000, in.Jenis == "nasihat")
	tl := f.date("tindak_lanjut", in.TindakLanjut)
	// Only the fields of the outcome's kind are kept.
	keep := func(on bool, p **string) {
		if !on {
			*p = nil
		}
	}
	switch in.Jenis {
	case "rujuk_program":
		if in.ProgramID == nil {
			f.add("program_id", nil, wajib)
		}
	case "rujuk_instansi":
		if in.Instansi == nil {
			f.add("instansi", nil, wajib)
		} else {
			f.oneOf("instansi", *in.Instansi, AllInstansi)
			in.InstansiNama = f.text("instansi_nama", in.InstansiNama, 200, *in.Instansi == "lainnya")
		}
	case "rujuk_bank":
		in.Bank = f.text("bank", in.Bank, 200, true)
	case "dokumen_diperoleh":
		if in.DokumenJenis == nil {
			f.add("dokumen_jenis", nil, wajib)
		} else {
			f.oneOf("dokumen_jenis", *in.DokumenJenis, AllDokumen)
		}
		in.DokumenNomor = f.text("dokumen_nomor", in.DokumenNomor, 40, true)
	}
	if in.Jenis != "rujuk_program" {
		in.ProgramID = nil
	}
	keep(in.Jenis == "rujuk_instansi", &in.Instansi)
	keep(in.Jenis == "rujuk_instansi", &in.InstansiNama)
	keep(in.Jenis == "rujuk_bank", &in.Bank)
	keep(in.Jenis == "dokumen_diperoleh", &in.DokumenJenis)
	keep(in.Jenis == "dokumen_diperoleh", &in.DokumenNomor)
	return in, tl, f.err()
}

// AddHasil records an outcome of a ticket, and with Selesai closes it. A
// document obtained by a business of the register is written to its legal
// documents through the register, in the same transaction: both or
// neither.
func (s *Service) AddHasil(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64, in KlinikHasilInput, v View) (KlinikTiket, error) {
	in, tl, err := checkHasil(in)
	if err != nil {
		return KlinikTiket{}, err
	}
	var k KlinikTiket
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := lockTiket(ctx, tx, id, version, v.Wilayah)
		if err != nil {
			return err
		}
		if before.Status == "batal" {
			return closedErr(t, before)
		}
		if in.ProgramID != nil {
			var ok bool
			if err := tx.QueryRow(ctx, `select exists (select 1 from program where id = $1 and archived_at is null)`, *in.ProgramID).Scan(&ok); err != nil {
				return fmt.Errorf("check program: %w", err)
			}
			if !ok {
				return apperr.InvalidField("body.program_id", *in.ProgramID, apperr.T("Program tidak ditemukan di kantor ini.", "No such programme in this office."))
			}
		}
		if in.Jenis == "dokumen_diperoleh" && before.UMKMID != nil {
			if s.Register == nil {
				return fmt.Errorf("klinik: no register to write the document to")
			}
			if err := s.Register.SetLegalTx(ctx, tx, t, *before.UMKMID, *in.DokumenJenis, *in.DokumenNomor, v.Wilayah); err != nil {
				return prefixed(err)
			}
		}
		now := s.Now()
		if _, err := tx.Exec(ctx, `insert into klinik_hasil (tenant_id, id, tiket_id, jenis, catatan, program_id, instansi, instansi_nama, bank,
				dokumen_jenis, dokumen_nomor, tindak_lanjut, dicatat_oleh, created_at)
			values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			t.ID, uuid.Must(uuid.NewV7()), id, in.Jenis, in.Catatan, in.ProgramID, in.Instansi, in.InstansiNama, in.Bank,
			in.DokumenJenis, in.DokumenNomor, tl, actor(ctx), now); err != nil {
			return db.MapError(err)
		}
		status := before.Status
		if in.Selesai {
			status = "selesai"
		}
		if _, err := tx.Exec(ctx, `update klinik_tiket set status = $2, tindak_lanjut = coalesce($3, tindak_lanjut), version = version + 1,
				updated_at = $4 where id = $1`, id, status, tl, now); err != nil {
			return db.MapError(err)
		}
		if k, err = tiketTx(ctx, tx, id, nil, false); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "outcome", Entity: "klinik_tiket", EntityID: id.String(),
			Before: auditView(before), After: struct {
				Tiket KlinikTiket      `json:"tiket"`
				Hasil KlinikHasilInput `json:"hasil"`
			}{auditView(k), in}})
	})
	return k, err
}

// prefixed names the register's field errors as this form's: its number
// is dokumen_nomor here.
func prefixed(err error) error {
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != apperr.KindInvalid {
		return err
	}
	out := *ae
	out.Fields = nil
	for _, f := range ae.Fields {
		f.Location = "body.dokumen_nomor"
		out.Fields = append(out.Fields, f)
	}
	return &out
}
