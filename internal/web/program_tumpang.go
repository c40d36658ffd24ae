package web

import (
	"net/url"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/program"
	"github.com/sentra-id/sentra/internal/tumpang"
)

// The overlap warning of the programme page: an applicant who may be
// selected shows their other participations (any agency, any year, the
// same kind marked) before the button, and when the same kind of help was
// already received the button gives way to the warning and, for an admin,
// the override with a reason. The selection refuses it anyway (the
// programme service runs the same check in its transaction); the page only
// says so before anyone tries.

// PerluIzin reports whether selecting the applicant needs an override
// first.
func (b BarisPeserta) PerluIzin() bool { return b.Tumpang != nil && b.Tumpang.PerluIzin() }

// isiTumpang reads the overlap of every applicant still to be decided who
// is eligible: those the page offers to select.
func (a *App) isiTumpang(q *Permintaan, programID uuid.UUID, v *programRekamView) error {
	if a.Tumpang == nil || !q.Can("get-peserta-tumpang") {
		return nil
	}
	view, err := a.tumpangView(q)
	if err != nil {
		return err
	}
	for i := range v.Peserta {
		b := &v.Peserta[i]
		if b.Status != "mendaftar" || b.Keputusan() != "layak" {
			continue
		}
		c, err := a.Tumpang.Cek(q.ctx, q.T, programID, b.ID, view)
		if err != nil {
			return err
		}
		b.Tumpang = &c
	}
	return nil
}

func (a *App) tumpangView(q *Permintaan) (tumpang.View, error) {
	v, err := program.Access(q.ctx, a.Authz, q.P, q.T)
	return tumpang.View{PII: v.PII, Wilayah: v.Wilayah}, err
}

// izinkanTumpang overrides an applicant's overlap warning with a reason
// (approve-peserta-tumpang, admin), audited by the service.
func (a *App) izinkanTumpang(q *Permintaan, f url.Values, programID, id uuid.UUID, _ int64) error {
	view, err := a.tumpangView(q)
	if err != nil {
		return err
	}
	_, err = a.Tumpang.Izinkan(q.ctx, q.T, programID, id, tumpang.IzinInput{Alasan: f.Get("alasan_izin")}, view)
	// The reason's message goes beside this form's field, not the
	// rejection's, which is also called alasan.
	if ae, ok := apperr.As(err); ok {
		for i := range ae.Fields {
			if ae.Fields[i].Location == "body.alasan" {
				ae.Fields[i].Location = "body.alasan_izin"
			}
		}
	}
	return err
}
