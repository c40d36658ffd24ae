package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/program"
)

// Programmes and assistance: agencies, programmes with their sessions and
// versioned eligibility rules, and participants from the register. A
// programme and a session each carry their own ETag; a participant's
// steps (check, select, reject, complete, follow up) take its ETag as
// If-Match, so two staff acting on the same participant cannot both win,
// and the quota is checked where a place is taken.

// ProgramPath is the path of one programme; exported for Huma.
type ProgramPath struct {
	TenantPath
	ID uuid.UUID `path:"id" doc:"Program id."`
}

// ProgramSesiPath is the path of one session.
type ProgramSesiPath struct {
	ProgramPath
	SesiID uuid.UUID `path:"sesi_id" doc:"Sesi id."`
}

// PesertaPath is the path of one participant.
type PesertaPath struct {
	ProgramPath
	PesertaID uuid.UUID `path:"peserta_id" doc:"Peserta id."`
}

// BASTPath is the path of one hand-over of a participant.
type BASTPath struct {
	PesertaPath
	Nomor string `path:"nomor" maxLength:"100" doc:"Nomor BAST."`
}

// AgensiPath is the path of one agency.
type AgensiPath struct {
	TenantPath
	ID uuid.UUID `path:"id" doc:"Agensi id."`
}

type versioned[T any] struct {
	ETag     string `header:"ETag"`
	Location string `header:"Location"`
	Replayed string `header:"Idempotent-Replayed" doc:"\"true\" when this answer repeats the first answer to the same Idempotency-Key."`
	Status   int
	Body     T
}

func answer[T any](body T, version int64, status int) *versioned[T] {
	return &versioned[T]{ETag: etag(version), Status: status, Body: body}
}

// createVersioned runs a create once per Idempotency-Key and answers 201.
func createVersioned[T any](ctx context.Context, s *Server, key, op string, body any, create func(tx pgx.Tx) (T, int64, string, error)) (*versioned[T], error) {
	res, err := createOnce(ctx, s, key, op, body, func(tx pgx.Tx) (created[T], error) {
		r, v, loc, err := create(tx)
		return created[T]{Record: r, Version: v, Location: loc}, err
	})
	if err != nil {
		return nil, err
	}
	return &versioned[T]{ETag: etag(res.Version), Location: res.Location, Replayed: replayed(res.Replayed), Status: http.StatusCreated, Body: res.Record}, nil
}

// withIfMatch parses If-Match and runs a versioned change.
func withIfMatch[T any](header string, change func(version int64) (T, int64, error)) (*versioned[T], error) {
	version, err := ifMatch(header)
	if err != nil {
		return nil, err
	}
	r, v, err := change(version)
	if err != nil {
		return nil, err
	}
	return answer(r, v, http.StatusOK), nil
}

// IfMatchHeader is the If-Match of a versioned write (exported: Huma reads
// only exported embedded structs).
type IfMatchHeader struct {
	IfMatch string `header:"If-Match" doc:"The ETag of the version being changed (required)."`
}

// IdemHeader is the Idempotency-Key of a create.
type IdemHeader struct {
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255" doc:"Makes a retried create safe: the same key returns the first answer."`
}

type listAgensiInput struct {
	TenantPath
	Arsip bool `query:"arsip" doc:"Include archived agencies."`
}

type listAgensiOutput struct {
	Body struct {
		Items []program.Agensi `json:"items" nullable:"false"`
	}
}

type createAgensiInput struct {
	TenantPath
	IdemHeader
	Body program.AgensiInput
}

type updateAgensiInput struct {
	AgensiPath
	IfMatchHeader
	Body program.AgensiInput
}

type listProgramInput struct {
	TenantPath
	PageParams
	Jenis  string    `query:"jenis" enum:"pelatihan,pendampingan,bantuan_barang,bantuan_modal,fasilitasi_legalitas,fasilitasi_pemasaran,event"`
	Agensi uuid.UUID `query:"agensi" doc:"Agensi id."`
	Tahun  int       `query:"tahun" minimum:"0" maximum:"2100" doc:"Fiscal year."`
	Status string    `query:"status" enum:"rencana,dibuka,berjalan,selesai,batal"`
	Q      string    `query:"q" maxLength:"100" doc:"Words of the name; tolerates typos."`
	Arsip  bool      `query:"arsip" doc:"Include archived programmes."`
}

type createProgramInput struct {
	TenantPath
	IdemHeader
	Body program.Input
}

type updateProgramInput struct {
	ProgramPath
	IfMatchHeader
	Body program.Input
}

type ifMatchProgram struct {
	ProgramPath
	IfMatchHeader
}

type createSesiInput struct {
	ProgramPath
	IdemHeader
	Body program.SesiInput
}

type updateSesiInput struct {
	ProgramSesiPath
	IfMatchHeader
	Body program.SesiInput
}

type ifMatchSesi struct {
	ProgramSesiPath
	IfMatchHeader
}

type hadirInput struct {
	ProgramSesiPath
	IfMatchHeader
	Body program.HadirInput
}

type listPesertaInput struct {
	ProgramPath
	PageParams
	Status string `query:"status" enum:"mendaftar,terpilih,ditolak,selesai,batal"`
}

type createPesertaInput struct {
	ProgramPath
	IdemHeader
	Body program.PesertaInput
}

type ifMatchPeserta struct {
	PesertaPath
	IfMatchHeader
}

type tolakInput struct {
	PesertaPath
	IfMatchHeader
	Body program.TolakInput
}

type selesaiInput struct {
	PesertaPath
	IfMatchHeader
	Body program.SelesaiInput
}

type tindakLanjutInput struct {
	PesertaPath
	IfMatchHeader
	Body program.TindakLanjutInput
}

type createBASTInput struct {
	PesertaPath
	IdemHeader
	Body program.BASTInput
}

type terimaInput struct {
	BASTPath
	Body program.TerimaInput
}

type barangOutput struct {
	Body struct {
		Items []program.Barang `json:"items" nullable:"false"`
	}
}

// programView is what personal data the caller may see of participants,
// and, for a petugas, which regions' participants at all.
func (s *Server) programView(ctx context.Context) (program.View, error) {
	return program.Access(ctx, s.Authz, principal(ctx), currentTenant(ctx))
}

func (s *Server) registerProgram() {
	tags := []string{"Program"}
	const base = "/v1/tenants/{tenant}/program"
	const one = base + "/{id}"
	writeErrors := []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired}

	register(s.api, inTenant("list-agensi"), huma.Operation{
		OperationID: "list-agensi", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/agensi", Tags: tags,
		Summary: "The agencies that run programmes: this office and others (OPD, kelurahan, province, Baznas, bank, CSR)",
	}, func(ctx context.Context, in *listAgensiInput) (*listAgensiOutput, error) {
		items, err := s.Program.ListAgensi(ctx, currentTenant(ctx), in.Arsip)
		if err != nil {
			return nil, err
		}
		out := &listAgensiOutput{}
		out.Body.Items = items
		return out, nil
	})

	register(s.api, inTenant("create-agensi"), huma.Operation{
		OperationID: "create-agensi", Method: http.MethodPost, Path: "/v1/tenants/{tenant}/agensi", Tags: tags,
		Summary: "Add an agency", Description: "A second agency of jenis kantor, or a name already used, is 409.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 8 << 10, Errors: []int{http.StatusConflict},
	}, func(ctx context.Context, in *createAgensiInput) (*versioned[program.Agensi], error) {
		t := currentTenant(ctx)
		return createVersioned(ctx, s, in.IdempotencyKey, "create-agensi", in.Body, func(tx pgx.Tx) (program.Agensi, int64, string, error) {
			a, err := s.Program.CreateAgensiTx(ctx, tx, t, in.Body)
			return a, a.Version, program.AgensiPath(t.Slug, a.ID), err
		})
	})

	register(s.api, inTenant("update-agensi"), huma.Operation{
		OperationID: "update-agensi", Method: http.MethodPut, Path: "/v1/tenants/{tenant}/agensi/{id}", Tags: tags,
		Summary: "Rename, retype, archive or restore an agency", Description: "Requires If-Match.",
		Errors: writeErrors, MaxBodyBytes: 8 << 10,
	}, func(ctx context.Context, in *updateAgensiInput) (*versioned[program.Agensi], error) {
		return withIfMatch(in.IfMatch, func(v int64) (program.Agensi, int64, error) {
			a, err := s.Program.UpdateAgensi(ctx, currentTenant(ctx), in.ID, v, in.Body)
			return a, a.Version, err
		})
	})

	register(s.api, inTenant("list-program"), huma.Operation{
		OperationID: "list-program", Method: http.MethodGet, Path: base, Tags: tags,
		Summary: "The office's programmes, newest first", Description: "Filters combine with AND.",
	}, func(ctx context.Context, in *listProgramInput) (*struct{ Body Page[program.Program] }, error) {
		page, err := s.Program.List(ctx, currentTenant(ctx), program.Filter{Jenis: in.Jenis, AgensiID: in.Agensi, Tahun: in.Tahun,
			Status: in.Status, Q: in.Q, Arsip: in.Arsip, Cursor: in.Cursor, Limit: in.Limit})
		if err != nil {
			return nil, err
		}
		out := &struct{ Body Page[program.Program] }{Body: Page[program.Program]{Items: page.Items, NextCursor: page.NextCursor}}
		if out.Body.Items == nil {
			out.Body.Items = []program.Program{}
		}
		return out, nil
	})

	register(s.api, inTenant("get-program"), huma.Operation{
		OperationID: "get-program", Method: http.MethodGet, Path: one, Tags: tags,
		Summary: "One programme with its sessions, quota and rules",
	}, func(ctx context.Context, in *ProgramPath) (*versioned[program.Detail], error) {
		d, err := s.Program.Get(ctx, currentTenant(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return answer(d, d.Version, http.StatusOK), nil
	})

	register(s.api, inTenant("create-program"), huma.Operation{
		OperationID: "create-program", Method: http.MethodPost, Path: base, Tags: tags,
		Summary:       "Plan a programme",
		Description:   "Its eligibility rules are version 1; each later change of the rules makes the next version.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 64 << 10,
	}, func(ctx context.Context, in *createProgramInput) (*versioned[program.Detail], error) {
		t := currentTenant(ctx)
		return createVersioned(ctx, s, in.IdempotencyKey, "create-program", in.Body, func(tx pgx.Tx) (program.Detail, int64, string, error) {
			d, err := s.Program.CreateTx(ctx, tx, t, in.Body)
			return d, d.Version, program.Path(t.Slug, d.ID), err
		})
	})

	register(s.api, inTenant("update-program"), huma.Operation{
		OperationID: "update-program", Method: http.MethodPut, Path: one, Tags: tags,
		Summary: "Replace a programme's data and rules",
		Description: "Requires If-Match. Changed rules become the next aturan_versi; decisions already taken keep theirs, and " +
			"an applicant checked under an older version must be checked again before selection. The quota cannot go below " +
			"the places taken.",
		Errors: writeErrors, MaxBodyBytes: 64 << 10,
	}, func(ctx context.Context, in *updateProgramInput) (*versioned[program.Detail], error) {
		return withIfMatch(in.IfMatch, func(v int64) (program.Detail, int64, error) {
			d, err := s.Program.Update(ctx, currentTenant(ctx), in.ID, v, in.Body)
			return d, d.Version, err
		})
	})

	register(s.api, inTenant("archive-program"), huma.Operation{
		OperationID: "archive-program", Method: http.MethodDelete, Path: one, Tags: tags,
		Summary: "Archive a programme (kept, with its participations, as history)", Description: "Requires If-Match.",
		Errors: []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired},
	}, func(ctx context.Context, in *ifMatchProgram) (*versioned[program.Detail], error) {
		return withIfMatch(in.IfMatch, func(v int64) (program.Detail, int64, error) {
			d, err := s.Program.Archive(ctx, currentTenant(ctx), in.ID, v)
			return d, d.Version, err
		})
	})

	s.registerProgramSesi(one, tags, writeErrors)
	s.registerPeserta(one, tags, writeErrors)
}

func (s *Server) registerProgramSesi(one string, tags []string, writeErrors []int) {
	register(s.api, inTenant("create-program-sesi"), huma.Operation{
		OperationID: "create-program-sesi", Method: http.MethodPost, Path: one + "/sesi", Tags: tags,
		Summary: "Add a session (a day and a place)", DefaultStatus: http.StatusCreated, MaxBodyBytes: 8 << 10,
		Errors: []int{http.StatusConflict},
	}, func(ctx context.Context, in *createSesiInput) (*versioned[program.Sesi], error) {
		t := currentTenant(ctx)
		keyed := struct {
			Program uuid.UUID         `json:"program_id"`
			Body    program.SesiInput `json:"body"`
		}{in.ID, in.Body}
		return createVersioned(ctx, s, in.IdempotencyKey, "create-program-sesi", keyed, func(tx pgx.Tx) (program.Sesi, int64, string, error) {
			x, err := s.Program.CreateSesiTx(ctx, tx, t, in.ID, in.Body)
			return x, x.Version, program.SesiPath(t.Slug, in.ID, x.ID), err
		})
	})

	register(s.api, inTenant("update-program-sesi"), huma.Operation{
		OperationID: "update-program-sesi", Method: http.MethodPut, Path: one + "/sesi/{sesi_id}", Tags: tags,
		Summary: "Replace a session", Description: "Requires If-Match (the session's ETag).", Errors: writeErrors, MaxBodyBytes: 8 << 10,
	}, func(ctx context.Context, in *updateSesiInput) (*versioned[program.Sesi], error) {
		return withIfMatch(in.IfMatch, func(v int64) (program.Sesi, int64, error) {
			x, err := s.Program.UpdateSesi(ctx, currentTenant(ctx), in.ID, in.SesiID, v, in.Body)
			return x, x.Version, err
		})
	})

	register(s.api, inTenant("delete-program-sesi"), huma.Operation{
		OperationID: "delete-program-sesi", Method: http.MethodDelete, Path: one + "/sesi/{sesi_id}", Tags: tags,
		Summary: "Remove a session with its attendance", Description: "Requires If-Match (the session's ETag).",
		DefaultStatus: http.StatusNoContent, Errors: writeErrors,
	}, func(ctx context.Context, in *ifMatchSesi) (*struct{}, error) {
		version, err := ifMatch(in.IfMatch)
		if err != nil {
			return nil, err
		}
		return &struct{}{}, s.Program.DeleteSesi(ctx, currentTenant(ctx), in.ID, in.SesiID, version)
	})

	register(s.api, inTenant("update-program-hadir"), huma.Operation{
		OperationID: "update-program-hadir", Method: http.MethodPut, Path: one + "/sesi/{sesi_id}/hadir", Tags: tags,
		Summary: "Replace a session's attendance",
		Description: "The whole list of participants present; each must be a selected or completed participant of the " +
			"programme (else 422 naming body.peserta_id[i]). Requires If-Match (the session's ETag), which moves.",
		Errors: writeErrors, MaxBodyBytes: 256 << 10,
	}, func(ctx context.Context, in *hadirInput) (*versioned[program.Sesi], error) {
		return withIfMatch(in.IfMatch, func(v int64) (program.Sesi, int64, error) {
			x, err := s.Program.SetHadir(ctx, currentTenant(ctx), in.ID, in.SesiID, v, in.Body)
			return x, x.Version, err
		})
	})
}

func (s *Server) registerPeserta(one string, tags []string, writeErrors []int) {
	const peserta = "/peserta/{peserta_id}"
	register(s.api, inTenant("list-peserta"), huma.Operation{
		OperationID: "list-peserta", Method: http.MethodGet, Path: one + "/peserta", Tags: tags,
		Summary:     "A programme's participants in application order",
		Description: "Owners' names masked unless the caller may read personal data; a petugas sees those of their regions only.",
	}, func(ctx context.Context, in *listPesertaInput) (*struct{ Body Page[program.Peserta] }, error) {
		v, err := s.programView(ctx)
		if err != nil {
			return nil, err
		}
		page, err := s.Program.ListPeserta(ctx, currentTenant(ctx), in.ID, program.PesertaFilter{Status: in.Status, Cursor: in.Cursor, Limit: in.Limit}, v)
		if err != nil {
			return nil, err
		}
		return &struct{ Body Page[program.Peserta] }{Body: Page[program.Peserta]{Items: page.Items, NextCursor: page.NextCursor}}, nil
	})

	register(s.api, inTenant("get-peserta"), huma.Operation{
		OperationID: "get-peserta", Method: http.MethodGet, Path: one + peserta, Tags: tags,
		Summary: "One participant with its decision, attendance, follow-up and aid handed over",
	}, func(ctx context.Context, in *PesertaPath) (*versioned[program.Peserta], error) {
		v, err := s.programView(ctx)
		if err != nil {
			return nil, err
		}
		p, err := s.Program.GetPeserta(ctx, currentTenant(ctx), in.ID, in.PesertaID, v)
		if err != nil {
			return nil, err
		}
		return answer(p, p.Version, http.StatusOK), nil
	})

	register(s.api, inTenant("create-peserta"), huma.Operation{
		OperationID: "create-peserta", Method: http.MethodPost, Path: one + "/peserta", Tags: tags,
		Summary: "Apply from the register, with the eligibility decision",
		Description: "A business, its owner as a person (the record must hold the NIK), or a cooperative. The answer holds the " +
			"decision: layak, the rule version used, and each failing rule in Indonesian. The same applicant twice is 409.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 4 << 10, Errors: []int{http.StatusConflict},
	}, func(ctx context.Context, in *createPesertaInput) (*versioned[program.Peserta], error) {
		t := currentTenant(ctx)
		v, err := s.programView(ctx)
		if err != nil {
			return nil, err
		}
		keyed := struct {
			Program uuid.UUID            `json:"program_id"`
			Body    program.PesertaInput `json:"body"`
		}{in.ID, in.Body}
		out, err := createVersioned(ctx, s, in.IdempotencyKey, "create-peserta", keyed, func(tx pgx.Tx) (program.Peserta, int64, string, error) {
			p, err := s.Program.ApplyTx(ctx, tx, t, in.ID, in.Body, v)
			return p, p.Version, program.PesertaPath(t.Slug, in.ID, p.ID), err
		})
		if err == nil {
			program.Present(&out.Body, v)
		}
		return out, err
	})

	step := func(op, path, summary, desc string, run func(ctx context.Context, in *ifMatchPeserta, v int64) (program.Peserta, error)) {
		register(s.api, inTenant(op), huma.Operation{
			OperationID: op, Method: http.MethodPost, Path: one + peserta + path, Tags: tags,
			Summary: summary, Description: desc + " Requires If-Match (the participant's ETag).", Errors: writeErrors,
		}, func(ctx context.Context, in *ifMatchPeserta) (*versioned[program.Peserta], error) {
			return s.pesertaStep(ctx, in.IfMatch, func(v int64) (program.Peserta, error) { return run(ctx, in, v) })
		})
	}
	step("verify-peserta", "/periksa", "Check eligibility again with the current rules", "For an applicant not yet selected.",
		func(ctx context.Context, in *ifMatchPeserta, v int64) (program.Peserta, error) {
			return s.Program.Check(ctx, currentTenant(ctx), in.ID, in.PesertaID, v)
		})
	step("approve-peserta", "/pilih", "Select an eligible applicant within the quota",
		"409 when the quota is full (of two staff filling the last place, one succeeds), when the applicant is not eligible, "+
			"when the rules changed since the check, or when the applicant already got the same kind of help and no admin has overridden it "+
			"(existing points at get-peserta-tumpang; approve-peserta-tumpang overrides).",
		func(ctx context.Context, in *ifMatchPeserta, v int64) (program.Peserta, error) {
			return s.Program.Select(ctx, currentTenant(ctx), in.ID, in.PesertaID, v)
		})

	register(s.api, inTenant("reject-peserta"), huma.Operation{
		OperationID: "reject-peserta", Method: http.MethodPost, Path: one + peserta + "/tolak", Tags: tags,
		Summary: "Turn an applicant down, or take a selected participant out (freeing the place)", Errors: writeErrors, MaxBodyBytes: 4 << 10,
	}, func(ctx context.Context, in *tolakInput) (*versioned[program.Peserta], error) {
		return s.pesertaStep(ctx, in.IfMatch, func(v int64) (program.Peserta, error) {
			return s.Program.Reject(ctx, currentTenant(ctx), in.ID, in.PesertaID, v, in.Body)
		})
	})

	register(s.api, inTenant("complete-peserta"), huma.Operation{
		OperationID: "complete-peserta", Method: http.MethodPost, Path: one + peserta + "/selesai", Tags: tags,
		Summary:     "Record a selected participant's completion",
		Description: "A training needs its certificate number. Completion shows on the business's record and counts for later rules.",
		Errors:      writeErrors, MaxBodyBytes: 4 << 10,
	}, func(ctx context.Context, in *selesaiInput) (*versioned[program.Peserta], error) {
		return s.pesertaStep(ctx, in.IfMatch, func(v int64) (program.Peserta, error) {
			return s.Program.Complete(ctx, currentTenant(ctx), in.ID, in.PesertaID, v, in.Body)
		})
	})

	register(s.api, inTenant("create-peserta-tindak-lanjut"), huma.Operation{
		OperationID: "create-peserta-tindak-lanjut", Method: http.MethodPost, Path: one + peserta + "/tindak-lanjut", Tags: tags,
		Summary: "Add a follow-up note", Description: "Requires If-Match (the participant's ETag).", Errors: writeErrors, MaxBodyBytes: 8 << 10,
	}, func(ctx context.Context, in *tindakLanjutInput) (*versioned[program.Peserta], error) {
		return s.pesertaStep(ctx, in.IfMatch, func(v int64) (program.Peserta, error) {
			return s.Program.FollowUp(ctx, currentTenant(ctx), in.ID, in.PesertaID, v, in.Body)
		})
	})

	register(s.api, inTenant("create-peserta-bast"), huma.Operation{
		OperationID: "create-peserta-bast", Method: http.MethodPost, Path: one + peserta + "/bast", Tags: tags,
		Summary:       "Record aid handed over (BAST): items, quantities, unit prices in rupiah, the date",
		Description:   "For a selected or completed participant of an aid programme; every line or none. Answers all the participant's lines.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 64 << 10, Errors: []int{http.StatusConflict},
	}, func(ctx context.Context, in *createBASTInput) (*barangOutput, error) {
		t := currentTenant(ctx)
		keyed := struct {
			Peserta uuid.UUID         `json:"peserta_id"`
			Body    program.BASTInput `json:"body"`
		}{in.PesertaID, in.Body}
		res, err := createOnce(ctx, s, in.IdempotencyKey, "create-peserta-bast", keyed, func(tx pgx.Tx) (created[[]program.Barang], error) {
			lines, err := s.Program.CreateBASTTx(ctx, tx, t, in.ID, in.PesertaID, in.Body)
			return created[[]program.Barang]{Record: lines, Location: program.PesertaPath(t.Slug, in.ID, in.PesertaID)}, err
		})
		if err != nil {
			return nil, err
		}
		out := &barangOutput{}
		out.Body.Items = res.Record
		return out, nil
	})

	register(s.api, inTenant("receive-peserta-bast"), huma.Operation{
		OperationID: "receive-peserta-bast", Method: http.MethodPost, Path: one + peserta + "/bast/{nomor}/terima", Tags: tags,
		Summary: "Record the recipient's acknowledgement of a hand-over", Errors: []int{http.StatusConflict}, MaxBodyBytes: 4 << 10,
	}, func(ctx context.Context, in *terimaInput) (*barangOutput, error) {
		lines, err := s.Program.Receive(ctx, currentTenant(ctx), in.ID, in.PesertaID, in.Nomor, in.Body)
		if err != nil {
			return nil, err
		}
		out := &barangOutput{}
		out.Body.Items = lines
		return out, nil
	})
}

// pesertaStep runs a participant's step under If-Match and presents the
// answer for the caller.
func (s *Server) pesertaStep(ctx context.Context, header string, run func(version int64) (program.Peserta, error)) (*versioned[program.Peserta], error) {
	v, err := s.programView(ctx)
	if err != nil {
		return nil, err
	}
	return withIfMatch(header, func(version int64) (program.Peserta, int64, error) {
		p, err := run(version)
		program.Present(&p, v)
		return p, p.Version, err
	})
}
