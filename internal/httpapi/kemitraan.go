package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/kemitraan"
)

// Partnerships: partners, their agreements with duties and evaluations,
// renewals as new linked agreements, the breach path, the partners without
// an agreement in force, the reminders of the hourly clock and the
// agreement calendar. Contacts are masked without read-pii.

// MitraPath is the path of one partner; exported for Huma.
type MitraPath struct {
	TenantPath
	ID uuid.UUID `path:"id" doc:"Mitra id."`
}

// PerjanjianPath is the path of one agreement.
type PerjanjianPath struct {
	TenantPath
	ID uuid.UUID `path:"id" doc:"Perjanjian id."`
}

// PerjanjianTugasPath is the path of one duty of an agreement.
type PerjanjianTugasPath struct {
	PerjanjianPath
	TugasID uuid.UUID `path:"tugas_id" doc:"Tugas id."`
}

type listMitraInput struct {
	TenantPath
	PageParams
	Jenis      string `query:"jenis" enum:"hotel,rumah_sakit,sekolah,universitas,bank,ritel,bumd,asosiasi,lainnya"`
	Perjanjian string `query:"perjanjian" enum:"ada,tanpa" doc:"ada: with an agreement in force today; tanpa: without one."`
	Status     string `query:"status" enum:"draf,berlaku,berakhir,diputus" doc:"With at least one agreement of this status."`
}

type createMitraInput struct {
	TenantPath
	IdemHeader
	Body kemitraan.MitraKerjaSamaInput
}

type updateMitraInput struct {
	MitraPath
	IfMatchHeader
	Body kemitraan.MitraKerjaSamaInput
}

type createPerjanjianInput struct {
	TenantPath
	IdemHeader
	Body kemitraan.PerjanjianInput
}

type renewPerjanjianInput struct {
	PerjanjianPath
	IdemHeader
	Body kemitraan.PerjanjianInput
}

type updatePerjanjianInput struct {
	PerjanjianPath
	IfMatchHeader
	Body kemitraan.PerjanjianInput
}

type putusInput struct {
	PerjanjianPath
	IfMatchHeader
	Body kemitraan.PutusPerjanjianInput
}

type createTugasInput struct {
	PerjanjianPath
	IdemHeader
	Body kemitraan.TugasPerjanjianInput
}

type updateTugasInput struct {
	PerjanjianTugasPath
	IfMatchHeader
	Body kemitraan.TugasPerjanjianInput
}

type createEvaluasiInput struct {
	PerjanjianPath
	IdemHeader
	Body kemitraan.EvaluasiPerjanjianInput
}

type listPengingatKemitraanInput struct {
	TenantPath
	Mitra      uuid.UUID `query:"mitra" doc:"Only this partner's agreements."`
	Perjanjian uuid.UUID `query:"perjanjian" doc:"Only this agreement."`
}

type kalenderKemitraanInput struct {
	TenantPath
	Bulan string `query:"bulan" maxLength:"7" pattern:"^[0-9]{4}-[0-9]{2}$" doc:"YYYY-MM; absent: this month in the office's time zone."`
}

// itemsOrErr is items (pemasaran.go) of a read that may fail.
func itemsOrErr[T any](xs []T, err error) (*itemsOutput[T], error) {
	if err != nil {
		return nil, err
	}
	return items(xs), nil
}

func (s *Server) kemitraanView(ctx context.Context) (kemitraan.View, error) {
	return kemitraan.Access(ctx, s.Authz, principal(ctx), currentTenant(ctx))
}

// KemitraanBulan parses a calendar month (YYYY-MM) or, blank, the office's
// current month.
func KemitraanBulan(v string, today time.Time) (time.Time, error) {
	if v == "" {
		return today, nil
	}
	m, err := time.Parse("2006-01", v)
	if err != nil || m.Year() < 2000 || m.Year() > 2100 {
		return time.Time{}, apperr.InvalidField("query.bulan", v, apperr.T("Bulan harus YYYY-MM (tahun 2000–2100).", "A month is YYYY-MM (years 2000–2100)."))
	}
	return m, nil
}

func (s *Server) registerKemitraan() {
	tags := []string{"Kemitraan"}
	const base = "/v1/tenants/{tenant}/kemitraan"
	writeErrors := []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired}

	listMitra := func(ctx context.Context, in *listMitraInput, tanpa bool) (*struct {
		Body Page[kemitraan.MitraKerjaSama]
	}, error) {
		v, err := s.kemitraanView(ctx)
		if err != nil {
			return nil, err
		}
		f := kemitraan.MitraFilter{Jenis: in.Jenis, Perjanjian: in.Perjanjian, Status: in.Status, Cursor: in.Cursor, Limit: in.Limit}
		if tanpa {
			f.Perjanjian = "tanpa"
		}
		page, err := s.Kemitraan.ListMitra(ctx, currentTenant(ctx), f)
		if err != nil {
			return nil, err
		}
		out := &struct {
			Body Page[kemitraan.MitraKerjaSama]
		}{Body: Page[kemitraan.MitraKerjaSama]{Items: []kemitraan.MitraKerjaSama{}, NextCursor: page.NextCursor}}
		for _, m := range page.Items {
			out.Body.Items = append(out.Body.Items, m.Masked(v))
		}
		return out, nil
	}

	register(s.api, inTenant("list-mitra"), huma.Operation{
		OperationID: "list-mitra", Method: http.MethodGet, Path: base + "/mitra", Tags: tags,
		Summary: "The office's partners, newest first", Description: "Filters combine with AND. Contacts are masked without read-pii.",
	}, func(ctx context.Context, in *listMitraInput) (*struct {
		Body Page[kemitraan.MitraKerjaSama]
	}, error) {
		return listMitra(ctx, in, false)
	})

	type listTanpaInput struct {
		TenantPath
		PageParams
		Jenis string `query:"jenis" enum:"hotel,rumah_sakit,sekolah,universitas,bank,ritel,bumd,asosiasi,lainnya"`
	}
	register(s.api, inTenant("list-mitra-tanpa-perjanjian"), huma.Operation{
		OperationID: "list-mitra-tanpa-perjanjian", Method: http.MethodGet, Path: base + "/mitra-tanpa-perjanjian", Tags: tags,
		Summary: "Partners without an agreement in force today (seed 000: partners without written MoUs)",
	}, func(ctx context.Context, in *listTanpaInput) (*struct {
		Body Page[kemitraan.MitraKerjaSama]
	}, error) {
		return listMitra(ctx, &listMitraInput{TenantPath: in.TenantPath, PageParams: in.PageParams, Jenis: in.Jenis}, true)
	})

	register(s.api, inTenant("get-mitra"), huma.Operation{
		OperationID: "get-mitra", Method: http.MethodGet, Path: base + "/mitra/{id}", Tags: tags,
		Summary: "One partner",
	}, func(ctx context.Context, in *MitraPath) (*versioned[kemitraan.MitraKerjaSama], error) {
		v, err := s.kemitraanView(ctx)
		if err != nil {
			return nil, err
		}
		m, err := s.Kemitraan.GetMitra(ctx, currentTenant(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return answer(m.Masked(v), m.Version, http.StatusOK), nil
	})

	register(s.api, inTenant("create-mitra"), huma.Operation{
		OperationID: "create-mitra", Method: http.MethodPost, Path: base + "/mitra", Tags: tags,
		Summary: "Add a partner", DefaultStatus: http.StatusCreated, MaxBodyBytes: 16 << 10,
	}, func(ctx context.Context, in *createMitraInput) (*versioned[kemitraan.MitraKerjaSama], error) {
		t := currentTenant(ctx)
		return createVersioned(ctx, s, in.IdempotencyKey, "create-mitra", in.Body, func(tx pgx.Tx) (kemitraan.MitraKerjaSama, int64, string, error) {
			m, err := s.Kemitraan.CreateMitraTx(ctx, tx, t, in.Body)
			return m, m.Version, kemitraan.MitraPath(t.Slug, m.ID), err
		})
	})

	register(s.api, inTenant("update-mitra"), huma.Operation{
		OperationID: "update-mitra", Method: http.MethodPut, Path: base + "/mitra/{id}", Tags: tags,
		Summary: "Replace a partner's data", Description: "Requires If-Match.", Errors: writeErrors, MaxBodyBytes: 16 << 10,
	}, func(ctx context.Context, in *updateMitraInput) (*versioned[kemitraan.MitraKerjaSama], error) {
		return withIfMatch(in.IfMatch, func(v int64) (kemitraan.MitraKerjaSama, int64, error) {
			m, err := s.Kemitraan.UpdateMitra(ctx, currentTenant(ctx), in.ID, v, in.Body)
			return m, m.Version, err
		})
	})

	register(s.api, inTenant("list-perjanjian-mitra"), huma.Operation{
		OperationID: "list-perjanjian-mitra", Method: http.MethodGet, Path: base + "/mitra/{id}/perjanjian", Tags: tags,
		Summary: "A partner's agreements, oldest first",
	}, func(ctx context.Context, in *MitraPath) (*itemsOutput[kemitraan.Perjanjian], error) {
		return itemsOrErr(s.Kemitraan.ListPerjanjianMitra(ctx, currentTenant(ctx), in.ID))
	})

	register(s.api, inTenant("create-perjanjian"), huma.Operation{
		OperationID: "create-perjanjian", Method: http.MethodPost, Path: base + "/perjanjian", Tags: tags,
		Summary: "Record an agreement with a partner",
		Description: "An end before the start is 422 on body.berakhir. Longer than five years is accepted with a warning in peringatan " +
			"(Permendagri 22/2020). Status diputus goes through close-perjanjian.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 32 << 10,
	}, func(ctx context.Context, in *createPerjanjianInput) (*versioned[kemitraan.PerjanjianDetail], error) {
		t := currentTenant(ctx)
		return createVersioned(ctx, s, in.IdempotencyKey, "create-perjanjian", in.Body, func(tx pgx.Tx) (kemitraan.PerjanjianDetail, int64, string, error) {
			d, err := s.Kemitraan.CreatePerjanjianTx(ctx, tx, t, in.Body)
			return d, d.Version, kemitraan.PerjanjianPath(t.Slug, d.ID), err
		})
	})

	register(s.api, inTenant("get-perjanjian"), huma.Operation{
		OperationID: "get-perjanjian", Method: http.MethodGet, Path: base + "/perjanjian/{id}", Tags: tags,
		Summary: "One agreement with its duties, evaluations and renewal chain",
	}, func(ctx context.Context, in *PerjanjianPath) (*versioned[kemitraan.PerjanjianDetail], error) {
		d, err := s.Kemitraan.GetPerjanjian(ctx, currentTenant(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return answer(d, d.Version, http.StatusOK), nil
	})

	register(s.api, inTenant("update-perjanjian"), huma.Operation{
		OperationID: "update-perjanjian", Method: http.MethodPut, Path: base + "/perjanjian/{id}", Tags: tags,
		Summary: "Replace an agreement's data (its partner stays)", Description: "Requires If-Match. A terminated agreement is 409.",
		Errors: writeErrors, MaxBodyBytes: 32 << 10,
	}, func(ctx context.Context, in *updatePerjanjianInput) (*versioned[kemitraan.PerjanjianDetail], error) {
		return withIfMatch(in.IfMatch, func(v int64) (kemitraan.PerjanjianDetail, int64, error) {
			d, err := s.Kemitraan.UpdatePerjanjian(ctx, currentTenant(ctx), in.ID, v, in.Body)
			return d, d.Version, err
		})
	})

	register(s.api, inTenant("extend-perjanjian"), huma.Operation{
		OperationID: "extend-perjanjian", Method: http.MethodPost, Path: base + "/perjanjian/{id}/pembaruan", Tags: tags,
		Summary:       "Renew an agreement as a new agreement linked to it",
		Description:   "The renewed agreement keeps its dates (Permendagri 22/2020: extended only as a new agreement). A second renewal of the same agreement is 409.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 32 << 10, Errors: []int{http.StatusConflict},
	}, func(ctx context.Context, in *renewPerjanjianInput) (*versioned[kemitraan.PerjanjianDetail], error) {
		t := currentTenant(ctx)
		return createVersioned(ctx, s, in.IdempotencyKey, "extend-perjanjian", in, func(tx pgx.Tx) (kemitraan.PerjanjianDetail, int64, string, error) {
			d, err := s.Kemitraan.PerbaruiTx(ctx, tx, t, in.ID, in.Body)
			return d, d.Version, kemitraan.PerjanjianPath(t.Slug, d.ID), err
		})
	})

	register(s.api, inTenant("close-perjanjian"), huma.Operation{
		OperationID: "close-perjanjian", Method: http.MethodPost, Path: base + "/perjanjian/{id}/putus", Tags: tags,
		Summary: "Terminate an agreement for a breach, with its reason", Description: "Requires If-Match.",
		Errors: writeErrors, MaxBodyBytes: 8 << 10,
	}, func(ctx context.Context, in *putusInput) (*versioned[kemitraan.PerjanjianDetail], error) {
		return withIfMatch(in.IfMatch, func(v int64) (kemitraan.PerjanjianDetail, int64, error) {
			d, err := s.Kemitraan.Putus(ctx, currentTenant(ctx), in.ID, v, in.Body)
			return d, d.Version, err
		})
	})

	register(s.api, inTenant("create-perjanjian-tugas"), huma.Operation{
		OperationID: "create-perjanjian-tugas", Method: http.MethodPost, Path: base + "/perjanjian/{id}/tugas", Tags: tags,
		Summary:       "Add a dated duty to an agreement (e.g. the monthly sales report by day 5)",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 8 << 10, Errors: []int{http.StatusConflict},
	}, func(ctx context.Context, in *createTugasInput) (*versioned[kemitraan.TugasPerjanjian], error) {
		t := currentTenant(ctx)
		return createVersioned(ctx, s, in.IdempotencyKey, "create-perjanjian-tugas", in, func(tx pgx.Tx) (kemitraan.TugasPerjanjian, int64, string, error) {
			x, err := s.Kemitraan.CreateTugasTx(ctx, tx, t, in.ID, in.Body)
			return x, x.Version, kemitraan.PerjanjianPath(t.Slug, in.ID) + "/tugas/" + x.ID.String(), err
		})
	})

	register(s.api, inTenant("update-perjanjian-tugas"), huma.Operation{
		OperationID: "update-perjanjian-tugas", Method: http.MethodPut, Path: base + "/perjanjian/{id}/tugas/{tugas_id}", Tags: tags,
		Summary: "Replace a duty, e.g. record the day it was done", Description: "Requires If-Match.",
		Errors: writeErrors, MaxBodyBytes: 8 << 10,
	}, func(ctx context.Context, in *updateTugasInput) (*versioned[kemitraan.TugasPerjanjian], error) {
		return withIfMatch(in.IfMatch, func(v int64) (kemitraan.TugasPerjanjian, int64, error) {
			x, err := s.Kemitraan.UpdateTugas(ctx, currentTenant(ctx), in.ID, in.TugasID, v, in.Body)
			return x, x.Version, err
		})
	})

	register(s.api, inTenant("list-tugas-terlambat"), huma.Operation{
		OperationID: "list-tugas-terlambat", Method: http.MethodGet, Path: base + "/tugas-terlambat", Tags: tags,
		Summary: "Duties past their due date and not done, of agreements not terminated",
	}, func(ctx context.Context, in *TenantPath) (*itemsOutput[kemitraan.TugasPerjanjian], error) {
		return itemsOrErr(s.Kemitraan.TugasTerlambat(ctx, currentTenant(ctx)))
	})

	register(s.api, inTenant("create-perjanjian-evaluasi"), huma.Operation{
		OperationID: "create-perjanjian-evaluasi", Method: http.MethodPost, Path: base + "/perjanjian/{id}/evaluasi", Tags: tags,
		Summary: "Record an evaluation of an agreement (at least twice a year)", DefaultStatus: http.StatusCreated, MaxBodyBytes: 16 << 10,
	}, func(ctx context.Context, in *createEvaluasiInput) (*versioned[kemitraan.EvaluasiPerjanjian], error) {
		t := currentTenant(ctx)
		return createVersioned(ctx, s, in.IdempotencyKey, "create-perjanjian-evaluasi", in, func(tx pgx.Tx) (kemitraan.EvaluasiPerjanjian, int64, string, error) {
			e, err := s.Kemitraan.CreateEvaluasiTx(ctx, tx, t, in.ID, in.Body)
			return e, 1, kemitraan.PerjanjianPath(t.Slug, in.ID), err
		})
	})

	register(s.api, inTenant("list-pengingat-kemitraan"), huma.Operation{
		OperationID: "list-pengingat-kemitraan", Method: http.MethodGet, Path: base + "/pengingat", Tags: tags,
		Summary: "Reminders of the hourly clock: agreements ending within 60 days, evaluations and duties overdue",
	}, func(ctx context.Context, in *listPengingatKemitraanInput) (*itemsOutput[kemitraan.PengingatKemitraan], error) {
		return itemsOrErr(s.Kemitraan.ListPengingat(ctx, currentTenant(ctx), kemitraan.PengingatFilter{MitraID: in.Mitra, PerjanjianID: in.Perjanjian}))
	})

	register(s.api, inTenant("get-kalender-kemitraan"), huma.Operation{
		OperationID: "get-kalender-kemitraan", Method: http.MethodGet, Path: base + "/kalender", Tags: tags,
		Summary: "The agreement calendar of a month: starts, ends, evaluations due and duties due, by day",
	}, func(ctx context.Context, in *kalenderKemitraanInput) (*itemsOutput[kemitraan.AcaraKemitraan], error) {
		t := currentTenant(ctx)
		today, err := t.Today(s.Kemitraan.Now())
		if err != nil {
			return nil, err
		}
		bulan, err := KemitraanBulan(in.Bulan, today)
		if err != nil {
			return nil, err
		}
		return itemsOrErr(s.Kemitraan.Kalender(ctx, t, bulan))
	})
}
