package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/klinik"
)

// The consultation clinic: service areas, consultants with weekly
// schedules, tickets with a booked slot (one ticket per slot, held by the
// database: a second booking is 409 naming mulai), outcomes, the SKM
// survey and its yearly index; and the public form with its tracking code.
// Personal data of the person asking is masked without read-pii; a
// petugas works with the tickets of their regions only.

// KlinikIDPath is the path of one area, consultant or ticket.
type KlinikIDPath struct {
	TenantPath
	ID uuid.UUID `path:"id" doc:"Id."`
}

type klinikArsipQuery struct {
	TenantPath
	Arsip bool `query:"arsip" doc:"Include archived ones."`
}

type klinikItems[T any] struct {
	Body struct {
		Items []T `json:"items" nullable:"false"`
	}
}

func klinikList[T any](items []T) *klinikItems[T] {
	out := &klinikItems[T]{}
	out.Body.Items = items
	if out.Body.Items == nil {
		out.Body.Items = []T{}
	}
	return out
}

type createKlinikLayananInput struct {
	TenantPath
	IdemHeader
	Body klinik.KlinikLayananInput
}

type updateKlinikLayananInput struct {
	KlinikIDPath
	IfMatchHeader
	Body klinik.KlinikLayananInput
}

type createKlinikKonsultanInput struct {
	TenantPath
	IdemHeader
	Body klinik.KlinikKonsultanInput
}

type updateKlinikKonsultanInput struct {
	KlinikIDPath
	IfMatchHeader
	Body klinik.KlinikKonsultanInput
}

type listKlinikTiketInput struct {
	TenantPath
	PageParams
	Status  string    `query:"status" enum:"baru,dijadwalkan,selesai,batal"`
	Layanan uuid.UUID `query:"layanan" doc:"Service area id."`
	UMKM    uuid.UUID `query:"umkm" doc:"Tickets of this business."`
}

type createKlinikTiketInput struct {
	TenantPath
	IdemHeader
	Body klinik.KlinikTiketInput
}

type bookKlinikInput struct {
	KlinikIDPath
	IfMatchHeader
	Body klinik.KlinikBookingInput
}

type ifMatchKlinik struct {
	KlinikIDPath
	IfMatchHeader
}

type hasilKlinikInput struct {
	KlinikIDPath
	IfMatchHeader
	Body klinik.KlinikHasilInput
}

type skmKlinikInput struct {
	KlinikIDPath
	Body klinik.KlinikSKM
}

type mingguKlinikInput struct {
	TenantPath
	Tanggal string `query:"tanggal" format:"date" doc:"Any day of the week wanted, YYYY-MM-DD; absent: this week (office calendar)."`
}

type skmTahunInput struct {
	TenantPath
	Tahun int `query:"tahun" minimum:"2000" maximum:"2100" doc:"Year; absent: this year (office calendar)."`
}

type klinikPublikInput struct {
	TenantPath
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255" doc:"Makes a retried submission safe: the same key with the same form returns the first answer."`
	Body           klinik.KlinikPublikInput
}

type klinikPublikStatusInput struct {
	TenantPath
	Kode string `path:"kode" maxLength:"40" doc:"The tracking code (case and dashes optional)." example:"KDE-7Q4MK-9X2AB"`
}

type klinikPublikSKMInput struct {
	TenantPath
	Kode string `path:"kode" maxLength:"40" doc:"The tracking code (case and dashes optional)." example:"KDE-7Q4MK-9X2AB"`
	Body klinik.KlinikSKM
}

type klinikPublikOutput struct {
	Location string `header:"Location"`
	Body     klinik.KlinikStatusPublik
}

// klinikView is what the caller may see of the people asking, and for a
// petugas which regions' tickets at all.
func (s *Server) klinikView(ctx context.Context) (klinik.View, error) {
	return klinik.Access(ctx, s.Authz, principal(ctx), currentTenant(ctx))
}

// seenBy answers a ticket as v may see it, with its version.
func seenBy(v klinik.View) func(klinik.KlinikTiket, error) (klinik.KlinikTiket, int64, error) {
	return func(k klinik.KlinikTiket, err error) (klinik.KlinikTiket, int64, error) {
		klinik.Present(&k, v)
		return k, k.Version, err
	}
}

func (s *Server) registerKlinik() {
	tags := []string{"Klinik"}
	const base = "/v1/tenants/{tenant}/klinik"
	writeErrors := []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired}

	register(s.api, inTenant("list-klinik-layanan"), huma.Operation{
		OperationID: "list-klinik-layanan", Method: http.MethodGet, Path: base + "/layanan", Tags: tags,
		Summary: "The clinic's service areas (PLUT-KUMKM's seven plus legalitas, as the office edited them)",
	}, func(ctx context.Context, in *klinikArsipQuery) (*klinikItems[klinik.KlinikLayanan], error) {
		items, err := s.Klinik.ListLayanan(ctx, currentTenant(ctx), in.Arsip)
		return klinikList(items), err
	})

	register(s.api, inTenant("create-klinik-layanan"), huma.Operation{
		OperationID: "create-klinik-layanan", Method: http.MethodPost, Path: base + "/layanan", Tags: tags,
		Summary: "Add a service area", DefaultStatus: http.StatusCreated, MaxBodyBytes: 4 << 10,
	}, func(ctx context.Context, in *createKlinikLayananInput) (*versioned[klinik.KlinikLayanan], error) {
		t := currentTenant(ctx)
		return createVersioned(ctx, s, in.IdempotencyKey, "create-klinik-layanan", in.Body, func(tx pgx.Tx) (klinik.KlinikLayanan, int64, string, error) {
			l, err := s.Klinik.CreateLayananTx(ctx, tx, t, in.Body)
			return l, l.Version, base + "/layanan/" + l.ID.String(), err
		})
	})

	register(s.api, inTenant("update-klinik-layanan"), huma.Operation{
		OperationID: "update-klinik-layanan", Method: http.MethodPut, Path: base + "/layanan/{id}", Tags: tags,
		Summary: "Rename, reorder, archive or restore a service area", Description: "Requires If-Match. The kode stays.",
		Errors: writeErrors, MaxBodyBytes: 4 << 10,
	}, func(ctx context.Context, in *updateKlinikLayananInput) (*versioned[klinik.KlinikLayanan], error) {
		return withIfMatch(in.IfMatch, func(v int64) (klinik.KlinikLayanan, int64, error) {
			l, err := s.Klinik.UpdateLayanan(ctx, currentTenant(ctx), in.ID, v, in.Body)
			return l, l.Version, err
		})
	})

	register(s.api, inTenant("list-klinik-konsultan"), huma.Operation{
		OperationID: "list-klinik-konsultan", Method: http.MethodGet, Path: base + "/konsultan", Tags: tags,
		Summary: "The clinic's consultants with their areas and weekly schedules",
	}, func(ctx context.Context, in *klinikArsipQuery) (*klinikItems[klinik.KlinikKonsultan], error) {
		items, err := s.Klinik.ListKonsultan(ctx, currentTenant(ctx), in.Arsip)
		return klinikList(items), err
	})

	register(s.api, inTenant("get-klinik-konsultan"), huma.Operation{
		OperationID: "get-klinik-konsultan", Method: http.MethodGet, Path: base + "/konsultan/{id}", Tags: tags,
		Summary: "One consultant",
	}, func(ctx context.Context, in *KlinikIDPath) (*versioned[klinik.KlinikKonsultan], error) {
		k, err := s.Klinik.GetKonsultan(ctx, currentTenant(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return answer(k, k.Version, http.StatusOK), nil
	})

	register(s.api, inTenant("create-klinik-konsultan"), huma.Operation{
		OperationID: "create-klinik-konsultan", Method: http.MethodPost, Path: base + "/konsultan", Tags: tags,
		Summary: "Add a consultant (a staff user or someone from outside)", DefaultStatus: http.StatusCreated, MaxBodyBytes: 16 << 10,
	}, func(ctx context.Context, in *createKlinikKonsultanInput) (*versioned[klinik.KlinikKonsultan], error) {
		t := currentTenant(ctx)
		return createVersioned(ctx, s, in.IdempotencyKey, "create-klinik-konsultan", in.Body, func(tx pgx.Tx) (klinik.KlinikKonsultan, int64, string, error) {
			k, err := s.Klinik.CreateKonsultanTx(ctx, tx, t, in.Body)
			return k, k.Version, base + "/konsultan/" + k.ID.String(), err
		})
	})

	register(s.api, inTenant("update-klinik-konsultan"), huma.Operation{
		OperationID: "update-klinik-konsultan", Method: http.MethodPut, Path: base + "/konsultan/{id}", Tags: tags,
		Summary: "Replace a consultant's data, areas and schedule, or archive it", Description: "Requires If-Match. Slots already booked stay booked.",
		Errors: writeErrors, MaxBodyBytes: 16 << 10,
	}, func(ctx context.Context, in *updateKlinikKonsultanInput) (*versioned[klinik.KlinikKonsultan], error) {
		return withIfMatch(in.IfMatch, func(v int64) (klinik.KlinikKonsultan, int64, error) {
			k, err := s.Klinik.UpdateKonsultan(ctx, currentTenant(ctx), in.ID, v, in.Body)
			return k, k.Version, err
		})
	})

	register(s.api, inTenant("get-klinik-minggu"), huma.Operation{
		OperationID: "get-klinik-minggu", Method: http.MethodGet, Path: base + "/jadwal", Tags: tags,
		Summary: "The clinic's week: each consultant × Monday–Sunday, slots booked and free",
	}, func(ctx context.Context, in *mingguKlinikInput) (*struct{ Body klinik.KlinikMinggu }, error) {
		t := currentTenant(ctx)
		day, err := t.Today(s.Klinik.Now())
		if err != nil {
			return nil, err
		}
		if in.Tanggal != "" {
			if day, err = time.Parse(time.DateOnly, in.Tanggal); err != nil {
				return nil, apperr.InvalidField("query.tanggal", in.Tanggal, apperr.T("Tanggal harus YYYY-MM-DD.", "Dates are YYYY-MM-DD."))
			}
		}
		w, err := s.Klinik.Week(ctx, t, day)
		return &struct{ Body klinik.KlinikMinggu }{Body: w}, err
	})

	register(s.api, inTenant("list-klinik-tiket"), huma.Operation{
		OperationID: "list-klinik-tiket", Method: http.MethodGet, Path: base + "/tiket", Tags: tags,
		Summary: "Consultation tickets, newest first", Description: "A petugas sees those of their regions. Names and phones are masked without read-pii.",
	}, func(ctx context.Context, in *listKlinikTiketInput) (*struct{ Body Page[klinik.KlinikTiket] }, error) {
		v, err := s.klinikView(ctx)
		if err != nil {
			return nil, err
		}
		page, err := s.Klinik.ListTiket(ctx, currentTenant(ctx), klinik.TiketFilter{Status: in.Status, LayananID: in.Layanan, UMKMID: in.UMKM,
			Cursor: in.Cursor, Limit: in.Limit}, v)
		if err != nil {
			return nil, err
		}
		for i := range page.Items {
			klinik.Present(&page.Items[i], v)
		}
		out := &struct{ Body Page[klinik.KlinikTiket] }{Body: Page[klinik.KlinikTiket]{Items: page.Items, NextCursor: page.NextCursor}}
		if out.Body.Items == nil {
			out.Body.Items = []klinik.KlinikTiket{}
		}
		return out, nil
	})

	register(s.api, inTenant("get-klinik-tiket"), huma.Operation{
		OperationID: "get-klinik-tiket", Method: http.MethodGet, Path: base + "/tiket/{id}", Tags: tags,
		Summary: "One ticket with its outcomes and survey",
	}, func(ctx context.Context, in *KlinikIDPath) (*versioned[klinik.KlinikTiket], error) {
		v, err := s.klinikView(ctx)
		if err != nil {
			return nil, err
		}
		k, version, err := seenBy(v)(s.Klinik.GetTiket(ctx, currentTenant(ctx), in.ID, v))
		if err != nil {
			return nil, err
		}
		return answer(k, version, http.StatusOK), nil
	})

	register(s.api, inTenant("create-klinik-tiket"), huma.Operation{
		OperationID: "create-klinik-tiket", Method: http.MethodPost, Path: base + "/tiket", Tags: tags,
		Summary:       "Open a ticket (walk-in, kecamatan desk, WhatsApp)",
		Description:   "A business of the register (umkm_id), or a name and phone for someone not yet registered. A petugas opens tickets in their regions.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 16 << 10,
	}, func(ctx context.Context, in *createKlinikTiketInput) (*versioned[klinik.KlinikTiket], error) {
		t := currentTenant(ctx)
		v, err := s.klinikView(ctx)
		if err != nil {
			return nil, err
		}
		return createVersioned(ctx, s, in.IdempotencyKey, "create-klinik-tiket", in.Body, func(tx pgx.Tx) (klinik.KlinikTiket, int64, string, error) {
			k, err := s.Klinik.CreateTiketTx(ctx, tx, t, in.Body, v)
			klinik.Present(&k, v)
			return k, k.Version, klinik.Path(t.Slug, k.ID), err
		})
	})

	register(s.api, inTenant("update-klinik-jadwal"), huma.Operation{
		OperationID: "update-klinik-jadwal", Method: http.MethodPut, Path: base + "/tiket/{id}/jadwal", Tags: tags,
		Summary: "Book (or move) the ticket's slot",
		Description: "Requires If-Match. The consultant must serve the ticket's area; the slot must lie on their weekly schedule " +
			"(422 naming mulai) on a date from today (422 naming tanggal), under their daily capacity (409 naming tanggal) and free " +
			"(409 naming mulai: one ticket per slot, enforced by the database).",
		Errors: writeErrors, MaxBodyBytes: 4 << 10,
	}, func(ctx context.Context, in *bookKlinikInput) (*versioned[klinik.KlinikTiket], error) {
		v, err := s.klinikView(ctx)
		if err != nil {
			return nil, err
		}
		return withIfMatch(in.IfMatch, func(version int64) (klinik.KlinikTiket, int64, error) {
			return seenBy(v)(s.Klinik.Book(ctx, currentTenant(ctx), in.ID, version, in.Body, v))
		})
	})

	register(s.api, inTenant("cancel-klinik-tiket"), huma.Operation{
		OperationID: "cancel-klinik-tiket", Method: http.MethodPost, Path: base + "/tiket/{id}/batal", Tags: tags,
		Summary: "Cancel a ticket; its slot is free again", Description: "Requires If-Match.", Errors: writeErrors,
	}, func(ctx context.Context, in *ifMatchKlinik) (*versioned[klinik.KlinikTiket], error) {
		v, err := s.klinikView(ctx)
		if err != nil {
			return nil, err
		}
		return withIfMatch(in.IfMatch, func(version int64) (klinik.KlinikTiket, int64, error) {
			return seenBy(v)(s.Klinik.Cancel(ctx, currentTenant(ctx), in.ID, version, v))
		})
	})

	register(s.api, inTenant("create-klinik-hasil"), huma.Operation{
		OperationID: "create-klinik-hasil", Method: http.MethodPost, Path: base + "/tiket/{id}/hasil", Tags: tags,
		Summary: "Record an outcome (and with selesai close the ticket)",
		Description: "Requires If-Match. dokumen_diperoleh on a ticket of a business writes the document to the business's legal " +
			"documents in the same transaction (a number the register refuses is 422 naming dokumen_nomor, nothing written).",
		Errors: writeErrors, MaxBodyBytes: 16 << 10,
	}, func(ctx context.Context, in *hasilKlinikInput) (*versioned[klinik.KlinikTiket], error) {
		v, err := s.klinikView(ctx)
		if err != nil {
			return nil, err
		}
		return withIfMatch(in.IfMatch, func(version int64) (klinik.KlinikTiket, int64, error) {
			return seenBy(v)(s.Klinik.AddHasil(ctx, currentTenant(ctx), in.ID, version, in.Body, v))
		})
	})

	register(s.api, inTenant("create-klinik-skm"), huma.Operation{
		OperationID: "create-klinik-skm", Method: http.MethodPost, Path: base + "/tiket/{id}/skm", Tags: tags,
		Summary:       "Record the satisfaction survey of a finished ticket (once)",
		Description:   "The nine elements of PermenPANRB 14/2017 scored 1–4; an element left out is unknown, never 0.",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict}, MaxBodyBytes: 4 << 10,
	}, func(ctx context.Context, in *skmKlinikInput) (*versioned[klinik.KlinikTiket], error) {
		v, err := s.klinikView(ctx)
		if err != nil {
			return nil, err
		}
		k, version, err := seenBy(v)(s.Klinik.RecordSKM(ctx, currentTenant(ctx), in.ID, in.Body, v))
		if err != nil {
			return nil, err
		}
		return answer(k, version, http.StatusCreated), nil
	})

	register(s.api, inTenant("get-klinik-skm"), huma.Operation{
		OperationID: "get-klinik-skm", Method: http.MethodGet, Path: base + "/skm", Tags: tags,
		Summary: "The year's SKM: per element the answers, unanswered and average, and the index (25–100) with its grade",
	}, func(ctx context.Context, in *skmTahunInput) (*struct{ Body klinik.KlinikSKMTahun }, error) {
		t := currentTenant(ctx)
		if in.Tahun == 0 {
			today, err := t.Today(s.Klinik.Now())
			if err != nil {
				return nil, err
			}
			in.Tahun = today.Year()
		}
		r, err := s.Klinik.SKMTahun(ctx, t, in.Tahun)
		return &struct{ Body klinik.KlinikSKMTahun }{Body: r}, err
	})

	register(s.api, public, huma.Operation{
		OperationID: "list-klinik-publik-layanan", Method: http.MethodGet, Path: "/v1/public/{tenant}/klinik/layanan", Tags: tags,
		Summary: "The service areas the public form offers",
	}, func(ctx context.Context, in *TenantPath) (*klinikItems[klinik.KlinikLayanan], error) {
		t, err := s.publicTenant(ctx, in.Tenant)
		if err != nil {
			return nil, err
		}
		items, err := s.Klinik.ListLayanan(ctx, t, false)
		return klinikList(items), err
	})

	register(s.api, public, huma.Operation{
		OperationID: "create-klinik-publik", Method: http.MethodPost, Path: "/v1/public/{tenant}/klinik/tiket", Tags: tags,
		Summary:       "Ask the clinic for a consultation (no account)",
		Description:   "Answers 201 with a tracking code. Limited per client address and per office like the online registration (429 with Retry-After).",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 16 << 10,
		Errors: []int{http.StatusNotFound, http.StatusRequestEntityTooLarge, http.StatusTooManyRequests},
	}, func(ctx context.Context, in *klinikPublikInput) (*klinikPublikOutput, error) {
		t, err := s.publicTenant(ctx, in.Tenant)
		if err != nil {
			return nil, err
		}
		st, err := s.Klinik.Ask(ctx, t, in.Body, clientAddr(ctx), in.IdempotencyKey)
		if err != nil {
			return nil, err
		}
		return &klinikPublikOutput{Location: "/v1/public/" + t.Slug + "/klinik/tiket/" + st.Kode, Body: st}, nil
	})

	register(s.api, public, huma.Operation{
		OperationID: "get-klinik-publik-status", Method: http.MethodGet, Path: "/v1/public/{tenant}/klinik/tiket/{kode}", Tags: tags,
		Summary:     "The status and booked slot of a consultation, by its tracking code",
		Description: "Nothing personal. An unknown code (or another office's) is 404.",
		Errors:      []int{http.StatusNotFound, http.StatusTooManyRequests},
	}, func(ctx context.Context, in *klinikPublikStatusInput) (*klinikPublikOutput, error) {
		t, err := s.publicTenant(ctx, in.Tenant)
		if err != nil {
			return nil, err
		}
		st, err := s.Klinik.Status(ctx, t, in.Kode, clientAddr(ctx))
		if err != nil {
			return nil, err
		}
		return &klinikPublikOutput{Body: st}, nil
	})

	register(s.api, public, huma.Operation{
		OperationID: "create-klinik-publik-skm", Method: http.MethodPost, Path: "/v1/public/{tenant}/klinik/tiket/{kode}/skm", Tags: tags,
		Summary:       "Answer the satisfaction survey of a finished consultation, by its tracking code (once)",
		Description:   "The nine elements of PermenPANRB 14/2017 scored 1–4; an element left out is unknown, never 0. 409 before the consultation is done or when already answered.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 4 << 10,
		Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusTooManyRequests},
	}, func(ctx context.Context, in *klinikPublikSKMInput) (*klinikPublikOutput, error) {
		t, err := s.publicTenant(ctx, in.Tenant)
		if err != nil {
			return nil, err
		}
		if err := s.Klinik.RecordSKMPublik(ctx, t, in.Kode, clientAddr(ctx), in.Body); err != nil {
			return nil, err
		}
		st, err := s.Klinik.Status(ctx, t, in.Kode, clientAddr(ctx))
		if err != nil {
			return nil, err
		}
		return &klinikPublikOutput{Body: st}, nil
	})
}
