package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/pekerjaan"
)

// The cooperative registry. A cooperative and its children (business
// units, managers, RAT history, health assessments, UMKM members) are one
// record with one version: every change to a child moves the cooperative's
// ETag, PUT and DELETE on a child require If-Match with it, and each child
// write answers with the new one. Cooperatives are not limited to a
// petugas's area (they serve members across kecamatan); a petugas reads
// them all, sees personal data (street address, managers' names) only of
// those in their area, and writes none.

// KoperasiPath is the path of one cooperative; exported for Huma.
type KoperasiPath struct {
	TenantPath
	ID uuid.UUID `path:"id" doc:"Koperasi id."`
}

// KoperasiUnitPath is the path of one business unit.
type KoperasiUnitPath struct {
	KoperasiPath
	UnitID uuid.UUID `path:"unit_id" doc:"Unit usaha id."`
}

// KoperasiPengurusPath is the path of one manager.
type KoperasiPengurusPath struct {
	KoperasiPath
	PengurusID uuid.UUID `path:"pengurus_id" doc:"Pengurus id."`
}

// KoperasiRATPath is the path of the RAT of one book year.
type KoperasiRATPath struct {
	KoperasiPath
	Tahun int `path:"tahun" minimum:"1945" maximum:"2100" doc:"Book year."`
}

// KoperasiKomposisiPath is the path of the business composition of one year.
type KoperasiKomposisiPath struct {
	KoperasiPath
	Tahun int `path:"tahun" minimum:"1945" maximum:"2100" doc:"The year of the composition."`
}

// KoperasiKesehatanPath is the path of one health assessment.
type KoperasiKesehatanPath struct {
	KoperasiPath
	KesehatanID uuid.UUID `path:"kesehatan_id" doc:"Penilaian kesehatan id."`
}

// KoperasiAnggotaPath is the path of one UMKM membership.
type KoperasiAnggotaPath struct {
	KoperasiPath
	UMKMID uuid.UUID `path:"umkm_id" doc:"UMKM id."`
}

const koperasiETagDoc = "The cooperative's ETag (its version). Changes to its units, compositions, managers, RAT, health assessments and members move it."

type koperasiOutput struct {
	ETag     string `header:"ETag"`
	Location string `header:"Location"`
	Replayed string `header:"Idempotent-Replayed" doc:"\"true\" when this answer repeats the first answer to the same Idempotency-Key; absent otherwise."`
	Status   int
	Body     koperasi.Detail
}

// childOutput is the answer to a change of a cooperative's child: the
// child, and the cooperative's new ETag.
type childOutput[T any] struct {
	ETag     string `header:"ETag" doc:"The cooperative's new ETag (not the child's): send it as If-Match on the next change."`
	Location string `header:"Location"`
	Replayed string `header:"Idempotent-Replayed" doc:"\"true\" when this answer repeats the first answer to the same Idempotency-Key; absent otherwise."`
	Status   int
	Body     T
}

type childDeleted struct {
	ETag string `header:"ETag" doc:"The cooperative's new ETag."`
}

type createKoperasiInput struct {
	TenantPath
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255" doc:"Makes a retried create safe: the same key returns the first answer."`
	Body           koperasi.KoperasiInput
}

type updateKoperasiInput struct {
	KoperasiPath
	IfMatch string `header:"If-Match" doc:"The ETag of the version being changed (required)."`
	Body    koperasi.KoperasiInput
}

type ifMatchKoperasi struct {
	KoperasiPath
	IfMatch string `header:"If-Match" doc:"The cooperative's ETag (required)."`
}

// KoperasiFilter are the query parameters that narrow the list, shared by
// the list and the export (exported for Huma).
type KoperasiFilter struct {
	Jenis        string `query:"jenis" enum:"konsumen,produsen,pemasaran,jasa,simpan_pinjam,belum" doc:"Legal type; belum: not yet set."`
	Kelompok     string `query:"kelompok" enum:"ksu,kud,kpri,kopwan,kdmp,kopontren,kopkar,lainnya"`
	Kecamatan    string `query:"kecamatan" maxLength:"8" doc:"Kemendagri code of a kecamatan."`
	Kelurahan    string `query:"kelurahan" maxLength:"13" doc:"Kemendagri code of a desa/kelurahan."`
	Predikat     string `query:"predikat" enum:"sehat,cukup_sehat,kurang_sehat,tidak_sehat,dalam_pengawasan,dalam_pengawasan_khusus" doc:"Predicate of the latest health assessment."`
	RATTerlambat string `query:"rat_terlambat" enum:"true,false" doc:"true: no RAT held in the last two years (nor founded within them); false: the others."`
	Pilot        string `query:"pilot" enum:"true,false"`
	Aktif        string `query:"aktif" enum:"true,false"`
	Q            string `query:"q" maxLength:"100" doc:"Search the name; tolerates typos. Results by relevance."`
	Arsip        bool   `query:"arsip" doc:"Include archived cooperatives."`
}

func tri(s string) *bool {
	if s == "" {
		return nil
	}
	b := s == "true"
	return &b
}

func (f KoperasiFilter) filter() koperasi.Filter {
	return koperasi.Filter{Jenis: f.Jenis, Kelompok: f.Kelompok, Kecamatan: f.Kecamatan, Kelurahan: f.Kelurahan,
		Predikat: f.Predikat, RATTerlambat: tri(f.RATTerlambat), Pilot: tri(f.Pilot), Aktif: tri(f.Aktif), Q: f.Q, Arsip: f.Arsip}
}

type listKoperasiInput struct {
	TenantPath
	KoperasiFilter
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
	Cursor string `query:"cursor" maxLength:"400"`
	Sort   string `query:"sort" enum:"created,-created" default:"created" doc:"Registration order (UUIDv7 ids); ignored with q, which orders by relevance."`
}

type listKoperasiOutput struct {
	Body Page[koperasi.Koperasi]
}

type exportKoperasiInput struct {
	TenantPath
	KoperasiFilter
	Format string `query:"format" enum:"csv,xlsx" default:"csv"`
}

type regimeOutput struct {
	Body struct {
		Items []koperasi.Regime `json:"items" nullable:"false"`
	}
}

type createUnitInput struct {
	KoperasiPath
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255"`
	Body           koperasi.UnitInput
}

type updateUnitInput struct {
	KoperasiUnitPath
	IfMatch string `header:"If-Match" doc:"The cooperative's ETag (required)."`
	Body    koperasi.UnitInput
}

type deleteUnitInput struct {
	KoperasiUnitPath
	IfMatch string `header:"If-Match" doc:"The cooperative's ETag (required)."`
}

type putKomposisiInput struct {
	KoperasiPath
	IfMatch string `header:"If-Match" doc:"The cooperative's ETag (required)."`
	Body    koperasi.KomposisiInput
}

type deleteKomposisiInput struct {
	KoperasiKomposisiPath
	IfMatch string `header:"If-Match" doc:"The cooperative's ETag (required)."`
}

type createPengurusInput struct {
	KoperasiPath
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255"`
	Body           koperasi.PengurusInput
}

type updatePengurusInput struct {
	KoperasiPengurusPath
	IfMatch string `header:"If-Match" doc:"The cooperative's ETag (required)."`
	Body    koperasi.PengurusInput
}

type deletePengurusInput struct {
	KoperasiPengurusPath
	IfMatch string `header:"If-Match" doc:"The cooperative's ETag (required)."`
}

type createRATInput struct {
	KoperasiPath
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255"`
	Body           koperasi.RATInput
}

type deleteRATInput struct {
	KoperasiRATPath
	IfMatch string `header:"If-Match" doc:"The cooperative's ETag (required)."`
}

type createPenilaianInput struct {
	KoperasiPath
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255"`
	Body           koperasi.PenilaianInput
}

type deletePenilaianInput struct {
	KoperasiKesehatanPath
	IfMatch string `header:"If-Match" doc:"The cooperative's ETag (required)."`
}

type listPenilaianOutput struct {
	Body struct {
		Items []koperasi.Penilaian `json:"items" nullable:"false"`
	}
}

type listAnggotaInput struct {
	KoperasiPath
	PageParams
}

type listUMKMKoperasiInput struct {
	UMKMPath
	PageParams
}

type listAnggotaOutput struct {
	Body Page[koperasi.Anggota]
}

type addAnggotaInput struct {
	KoperasiPath
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255"`
	Body           koperasi.AnggotaInput
}

type updateAnggotaInput struct {
	KoperasiAnggotaPath
	IfMatch string `header:"If-Match" doc:"The cooperative's ETag (required)."`
	Body    koperasi.AnggotaUbah
}

type removeAnggotaInput struct {
	KoperasiAnggotaPath
	IfMatch string `header:"If-Match" doc:"The cooperative's ETag (required)."`
}

// koperasiView is what personal data the caller may see of cooperatives
// (koperasi.Access).
func (s *Server) koperasiView(ctx context.Context) (koperasi.View, error) {
	return koperasi.Access(ctx, s.Authz, principal(ctx), currentTenant(ctx))
}

// createChild runs a child create once per Idempotency-Key, keyed by the
// cooperative and the body, and answers 201 with the cooperative's ETag.
func createChild[T any](ctx context.Context, s *Server, key, op string, koperasiID uuid.UUID, body any,
	create func(tx pgx.Tx) (T, int64, string, error)) (*childOutput[T], error) {
	keyed := struct {
		Koperasi uuid.UUID `json:"koperasi_id"`
		Body     any       `json:"body"`
	}{koperasiID, body}
	res, err := createOnce(ctx, s, key, op, keyed, func(tx pgx.Tx) (created[T], error) {
		c, v, loc, err := create(tx)
		return created[T]{Record: c, Version: v, Location: loc}, err
	})
	if err != nil {
		return nil, err
	}
	return &childOutput[T]{ETag: etag(res.Version), Location: res.Location, Replayed: replayed(res.Replayed), Status: http.StatusCreated, Body: res.Record}, nil
}

// updateChild checks If-Match and runs a child update with the version.
func updateChild[T any](header string, update func(version int64) (T, int64, error)) (*childOutput[T], error) {
	version, err := ifMatch(header)
	if err != nil {
		return nil, err
	}
	c, v, err := update(version)
	if err != nil {
		return nil, err
	}
	return &childOutput[T]{ETag: etag(v), Status: http.StatusOK, Body: c}, nil
}

// deleteChild checks If-Match and runs a child delete with the version.
func deleteChild(header string, del func(version int64) (int64, error)) (*childDeleted, error) {
	version, err := ifMatch(header)
	if err != nil {
		return nil, err
	}
	v, err := del(version)
	if err != nil {
		return nil, err
	}
	return &childDeleted{ETag: etag(v)}, nil
}

func (s *Server) registerKoperasi() {
	tags := []string{"Koperasi"}
	const base = "/v1/tenants/{tenant}/koperasi"
	childErrors := []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired}

	register(s.api, inTenant("list-koperasi"), huma.Operation{
		OperationID: "list-koperasi", Method: http.MethodGet, Path: base, Tags: tags,
		Summary:     "The tenant's register of cooperatives",
		Description: "Filters combine with AND. The street address only for roles that may read personal data.",
	}, func(ctx context.Context, in *listKoperasiInput) (*listKoperasiOutput, error) {
		view, err := s.koperasiView(ctx)
		if err != nil {
			return nil, err
		}
		f := in.filter()
		f.Sort, f.Cursor, f.Limit = in.Sort, in.Cursor, in.Limit
		page, err := s.Koperasi.List(ctx, currentTenant(ctx), f, view)
		if err != nil {
			return nil, err
		}
		out := &listKoperasiOutput{Body: Page[koperasi.Koperasi]{Items: page.Items, NextCursor: page.NextCursor}}
		if out.Body.Items == nil {
			out.Body.Items = []koperasi.Koperasi{}
		}
		return out, nil
	})

	register(s.api, inTenant("get-koperasi"), huma.Operation{
		OperationID: "get-koperasi", Method: http.MethodGet, Path: base + "/{id}", Tags: tags,
		Summary: "One cooperative with its business units, managers and RAT history",
	}, func(ctx context.Context, in *KoperasiPath) (*koperasiOutput, error) {
		view, err := s.koperasiView(ctx)
		if err != nil {
			return nil, err
		}
		d, err := s.Koperasi.Get(ctx, currentTenant(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		koperasi.PresentDetail(&d, view)
		return &koperasiOutput{ETag: etag(d.Version), Status: http.StatusOK, Body: d}, nil
	})

	register(s.api, inTenant("create-koperasi"), huma.Operation{
		OperationID: "create-koperasi", Method: http.MethodPost, Path: base, Tags: tags,
		Summary: "Register a cooperative",
		Description: "A second live pilot in a kecamatan, or a NIK Koperasi already registered, is refused with 409 naming the field " +
			"and `existing` pointing at the other cooperative.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 64 << 10, Errors: []int{http.StatusConflict},
	}, func(ctx context.Context, in *createKoperasiInput) (*koperasiOutput, error) {
		t := currentTenant(ctx)
		view, err := s.koperasiView(ctx)
		if err != nil {
			return nil, err
		}
		res, err := createOnce(ctx, s, in.IdempotencyKey, "create-koperasi", in.Body, func(tx pgx.Tx) (created[koperasi.Detail], error) {
			d, err := s.Koperasi.CreateTx(ctx, tx, t, in.Body)
			return created[koperasi.Detail]{Record: d, Version: d.Version, Location: koperasi.Path(t.Slug, d.ID)}, err
		})
		if err != nil {
			return nil, err
		}
		koperasi.PresentDetail(&res.Record, view)
		return &koperasiOutput{ETag: etag(res.Version), Location: res.Location, Replayed: replayed(res.Replayed), Status: http.StatusCreated, Body: res.Record}, nil
	})

	register(s.api, inTenant("update-koperasi"), huma.Operation{
		OperationID: "update-koperasi", Method: http.MethodPut, Path: base + "/{id}", Tags: tags,
		Summary: "Replace a cooperative's data",
		Description: "Requires If-Match. Every field is replaced: absent optional fields become unknown; except `jenis`, which " +
			"absent keeps: the legal type is decided by the admin through the reclassification review, so another " +
			"`jenis` than the current one (setting, changing or clearing it) is 409 naming `body.jenis`.",
		Errors: childErrors, MaxBodyBytes: 64 << 10,
	}, func(ctx context.Context, in *updateKoperasiInput) (*koperasiOutput, error) {
		version, err := ifMatch(in.IfMatch)
		if err != nil {
			return nil, err
		}
		view, err := s.koperasiView(ctx)
		if err != nil {
			return nil, err
		}
		d, err := s.Koperasi.Update(ctx, currentTenant(ctx), in.ID, version, in.Body)
		if err != nil {
			return nil, err
		}
		koperasi.PresentDetail(&d, view)
		return &koperasiOutput{ETag: etag(d.Version), Status: http.StatusOK, Body: d}, nil
	})

	register(s.api, inTenant("archive-koperasi"), huma.Operation{
		OperationID: "archive-koperasi", Method: http.MethodDelete, Path: base + "/{id}", Tags: tags,
		Summary:     "Archive a cooperative (it is kept, not deleted)",
		Description: "Requires If-Match. The record leaves lists (unless arsip=true) and frees its pilot place and NIK Koperasi.",
		Errors:      []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired},
	}, func(ctx context.Context, in *ifMatchKoperasi) (*koperasiOutput, error) {
		version, err := ifMatch(in.IfMatch)
		if err != nil {
			return nil, err
		}
		view, err := s.koperasiView(ctx)
		if err != nil {
			return nil, err
		}
		d, err := s.Koperasi.Archive(ctx, currentTenant(ctx), in.ID, version)
		if err != nil {
			return nil, err
		}
		koperasi.PresentDetail(&d, view)
		return &koperasiOutput{ETag: etag(d.Version), Status: http.StatusOK, Body: d}, nil
	})

	register(s.api, inTenant("export-koperasi"), huma.Operation{
		OperationID: "export-koperasi", Method: http.MethodPost, Path: base + "/ekspor", Tags: tags,
		Summary: "Export the filtered register of cooperatives to CSV or XLSX",
		Description: "Queues the export and answers 202 with the job; when done, `hasil_berkas_id` is the file. " +
			"Personal columns (alamat, ketua) only for roles that may read personal data.",
		DefaultStatus: http.StatusAccepted,
	}, func(ctx context.Context, in *exportKoperasiInput) (*jobOutput, error) {
		t, p := currentTenant(ctx), principal(ctx)
		view, err := s.koperasiView(ctx)
		if err != nil {
			return nil, err
		}
		params := koperasi.ExportParams{Format: in.Format, View: view, Filter: in.filter()}
		return s.queueJob(ctx, t, func(tx pgx.Tx) (pekerjaan.Job, river.JobArgs, error) {
			return s.Koperasi.QueueExport(ctx, tx, t, params, p.UserID)
		})
	})

	register(s.api, inTenant("list-kesehatan-regime"), huma.Operation{
		OperationID: "list-kesehatan-regime", Method: http.MethodGet, Path: base + "/kesehatan-regime", Tags: tags,
		Summary: "Health assessment regimes: their aspects with ranges and weights, and the predicate bands",
	}, func(ctx context.Context, _ *TenantPath) (*regimeOutput, error) {
		rs, err := s.Koperasi.Regimes(ctx)
		if err != nil {
			return nil, err
		}
		out := &regimeOutput{}
		out.Body.Items = rs
		return out, nil
	})

	s.registerKoperasiChildren(base+"/{id}", tags, childErrors)
}

func (s *Server) registerKoperasiChildren(one string, tags []string, childErrors []int) {
	register(s.api, inTenant("create-koperasi-unit"), huma.Operation{
		OperationID: "create-koperasi-unit", Method: http.MethodPost, Path: one + "/unit", Tags: tags,
		Summary:       "Add a business unit with its yearly volumes",
		Description:   "Volumes are whole rupiah, never negative; pola_simpan_pinjam only for a simpan_pinjam unit. " + koperasiETagDoc,
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 32 << 10, Errors: []int{http.StatusConflict},
	}, func(ctx context.Context, in *createUnitInput) (*childOutput[koperasi.Unit], error) {
		t := currentTenant(ctx)
		return createChild(ctx, s, in.IdempotencyKey, "create-koperasi-unit", in.ID, in.Body, func(tx pgx.Tx) (koperasi.Unit, int64, string, error) {
			u, v, err := s.Koperasi.CreateUnitTx(ctx, tx, t, in.ID, in.Body)
			return u, v, koperasi.UnitPath(t.Slug, in.ID, u.ID), err
		})
	})

	register(s.api, inTenant("update-koperasi-unit"), huma.Operation{
		OperationID: "update-koperasi-unit", Method: http.MethodPut, Path: one + "/unit/{unit_id}", Tags: tags,
		Summary: "Replace a business unit and all its volumes", Description: koperasiETagDoc,
		Errors: childErrors, MaxBodyBytes: 32 << 10,
	}, func(ctx context.Context, in *updateUnitInput) (*childOutput[koperasi.Unit], error) {
		return updateChild(in.IfMatch, func(version int64) (koperasi.Unit, int64, error) {
			return s.Koperasi.UpdateUnit(ctx, currentTenant(ctx), in.ID, in.UnitID, version, in.Body)
		})
	})

	register(s.api, inTenant("delete-koperasi-unit"), huma.Operation{
		OperationID: "delete-koperasi-unit", Method: http.MethodDelete, Path: one + "/unit/{unit_id}", Tags: tags,
		Summary: "Remove a business unit with its volumes", Description: koperasiETagDoc,
		DefaultStatus: http.StatusNoContent, Errors: childErrors,
	}, func(ctx context.Context, in *deleteUnitInput) (*childDeleted, error) {
		return deleteChild(in.IfMatch, func(version int64) (int64, error) {
			return s.Koperasi.DeleteUnit(ctx, currentTenant(ctx), in.ID, in.UnitID, version)
		})
	})

	register(s.api, inTenant("update-koperasi-komposisi"), huma.Operation{
		OperationID: "update-koperasi-komposisi", Method: http.MethodPut, Path: one + "/komposisi", Tags: tags,
		Summary: "Replace the business composition of a year (each unit's share in percent)",
		Description: "For offices that know a cooperative's mix of business but not its rupiah volumes. Every unit named is an " +
			"active unit of this cooperative, at most once; each share is 0–100 with at most two decimals and the shares add up " +
			"to exactly 100. The year's earlier composition is replaced as a whole. The reclassification campaign weighs units " +
			"by it for a year without rupiah volumes. The compositions show in the cooperative's detail. " + koperasiETagDoc,
		Errors: childErrors, MaxBodyBytes: 32 << 10,
	}, func(ctx context.Context, in *putKomposisiInput) (*childOutput[koperasi.Komposisi], error) {
		return updateChild(in.IfMatch, func(version int64) (koperasi.Komposisi, int64, error) {
			return s.Koperasi.PutKomposisi(ctx, currentTenant(ctx), in.ID, version, in.Body)
		})
	})

	register(s.api, inTenant("delete-koperasi-komposisi"), huma.Operation{
		OperationID: "delete-koperasi-komposisi", Method: http.MethodDelete, Path: one + "/komposisi/{tahun}", Tags: tags,
		Summary: "Remove the business composition of a year", Description: koperasiETagDoc,
		DefaultStatus: http.StatusNoContent, Errors: childErrors,
	}, func(ctx context.Context, in *deleteKomposisiInput) (*childDeleted, error) {
		return deleteChild(in.IfMatch, func(version int64) (int64, error) {
			return s.Koperasi.DeleteKomposisi(ctx, currentTenant(ctx), in.ID, in.Tahun, version)
		})
	})

	register(s.api, inTenant("create-koperasi-pengurus"), huma.Operation{
		OperationID: "create-koperasi-pengurus", Method: http.MethodPost, Path: one + "/pengurus", Tags: tags,
		Summary:       "Add a manager or supervisor",
		Description:   "The name is personal data: masked for roles that may not read it. " + koperasiETagDoc,
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 16 << 10, Errors: []int{http.StatusConflict},
	}, func(ctx context.Context, in *createPengurusInput) (*childOutput[koperasi.Pengurus], error) {
		t := currentTenant(ctx)
		return createChild(ctx, s, in.IdempotencyKey, "create-koperasi-pengurus", in.ID, in.Body, func(tx pgx.Tx) (koperasi.Pengurus, int64, string, error) {
			p, v, err := s.Koperasi.CreatePengurusTx(ctx, tx, t, in.ID, in.Body)
			return p, v, koperasi.PengurusPath(t.Slug, in.ID, p.ID), err
		})
	})

	register(s.api, inTenant("update-koperasi-pengurus"), huma.Operation{
		OperationID: "update-koperasi-pengurus", Method: http.MethodPut, Path: one + "/pengurus/{pengurus_id}", Tags: tags,
		Summary: "Replace a manager's data (e.g. close the term)", Description: koperasiETagDoc,
		Errors: childErrors, MaxBodyBytes: 16 << 10,
	}, func(ctx context.Context, in *updatePengurusInput) (*childOutput[koperasi.Pengurus], error) {
		return updateChild(in.IfMatch, func(version int64) (koperasi.Pengurus, int64, error) {
			return s.Koperasi.UpdatePengurus(ctx, currentTenant(ctx), in.ID, in.PengurusID, version, in.Body)
		})
	})

	register(s.api, inTenant("delete-koperasi-pengurus"), huma.Operation{
		OperationID: "delete-koperasi-pengurus", Method: http.MethodDelete, Path: one + "/pengurus/{pengurus_id}", Tags: tags,
		Summary: "Remove a manager", Description: koperasiETagDoc,
		DefaultStatus: http.StatusNoContent, Errors: childErrors,
	}, func(ctx context.Context, in *deletePengurusInput) (*childDeleted, error) {
		return deleteChild(in.IfMatch, func(version int64) (int64, error) {
			return s.Koperasi.DeletePengurus(ctx, currentTenant(ctx), in.ID, in.PengurusID, version)
		})
	})

	register(s.api, inTenant("create-koperasi-rat"), huma.Operation{
		OperationID: "create-koperasi-rat", Method: http.MethodPost, Path: one + "/rat", Tags: tags,
		Summary: "Record a RAT held",
		Description: "One per book year (a second is 409). `rat_terakhir` and `rat_terlambat` of the cooperative follow: it is " +
			"overdue when neither its latest RAT nor its founding falls within the last two years. " + koperasiETagDoc,
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 16 << 10, Errors: []int{http.StatusConflict},
	}, func(ctx context.Context, in *createRATInput) (*childOutput[koperasi.RAT], error) {
		t := currentTenant(ctx)
		return createChild(ctx, s, in.IdempotencyKey, "create-koperasi-rat", in.ID, in.Body, func(tx pgx.Tx) (koperasi.RAT, int64, string, error) {
			r, v, err := s.Koperasi.CreateRATTx(ctx, tx, t, in.ID, in.Body)
			return r, v, koperasi.RATPath(t.Slug, in.ID, r.Tahun), err
		})
	})

	register(s.api, inTenant("delete-koperasi-rat"), huma.Operation{
		OperationID: "delete-koperasi-rat", Method: http.MethodDelete, Path: one + "/rat/{tahun}", Tags: tags,
		Summary: "Remove the RAT of a book year (to correct it)", Description: koperasiETagDoc,
		DefaultStatus: http.StatusNoContent, Errors: childErrors,
	}, func(ctx context.Context, in *deleteRATInput) (*childDeleted, error) {
		return deleteChild(in.IfMatch, func(version int64) (int64, error) {
			return s.Koperasi.DeleteRAT(ctx, currentTenant(ctx), in.ID, in.Tahun, version)
		})
	})

	register(s.api, inTenant("list-koperasi-kesehatan"), huma.Operation{
		OperationID: "list-koperasi-kesehatan", Method: http.MethodGet, Path: one + "/kesehatan", Tags: tags,
		Summary:     "A cooperative's health assessments, latest year first",
		Description: "At most one per regime and year, so the list is short and not paged.",
	}, func(ctx context.Context, in *KoperasiPath) (*listPenilaianOutput, error) {
		items, err := s.Koperasi.ListPenilaian(ctx, currentTenant(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		out := &listPenilaianOutput{}
		out.Body.Items = items
		return out, nil
	})

	register(s.api, inTenant("create-koperasi-kesehatan"), huma.Operation{
		OperationID: "create-koperasi-kesehatan", Method: http.MethodPost, Path: one + "/kesehatan", Tags: tags,
		Summary: "Record a health assessment",
		Description: "Every aspect of the regime scored within its range (GET .../koperasi/kesehatan-regime). The weighted total and " +
			"the predicate are computed from the regime's bands; the cooperative shows its latest. One per regime and year. " + koperasiETagDoc,
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 16 << 10, Errors: []int{http.StatusConflict},
	}, func(ctx context.Context, in *createPenilaianInput) (*childOutput[koperasi.Penilaian], error) {
		t := currentTenant(ctx)
		return createChild(ctx, s, in.IdempotencyKey, "create-koperasi-kesehatan", in.ID, in.Body, func(tx pgx.Tx) (koperasi.Penilaian, int64, string, error) {
			p, v, err := s.Koperasi.CreatePenilaianTx(ctx, tx, t, in.ID, in.Body)
			return p, v, koperasi.PenilaianPath(t.Slug, in.ID, p.ID), err
		})
	})

	register(s.api, inTenant("delete-koperasi-kesehatan"), huma.Operation{
		OperationID: "delete-koperasi-kesehatan", Method: http.MethodDelete, Path: one + "/kesehatan/{kesehatan_id}", Tags: tags,
		Summary: "Remove a health assessment (to correct it)", Description: koperasiETagDoc,
		DefaultStatus: http.StatusNoContent, Errors: childErrors,
	}, func(ctx context.Context, in *deletePenilaianInput) (*childDeleted, error) {
		return deleteChild(in.IfMatch, func(version int64) (int64, error) {
			return s.Koperasi.DeletePenilaian(ctx, currentTenant(ctx), in.ID, in.KesehatanID, version)
		})
	})

	s.registerKoperasiAnggota(one, tags, childErrors)
}

func (s *Server) registerKoperasiAnggota(one string, tags []string, childErrors []int) {
	register(s.api, inTenant("list-koperasi-anggota"), huma.Operation{
		OperationID: "list-koperasi-anggota", Method: http.MethodGet, Path: one + "/anggota", Tags: tags,
		Summary: "The UMKM members of a cooperative, by UMKM id",
	}, func(ctx context.Context, in *listAnggotaInput) (*listAnggotaOutput, error) {
		after, err := decodeUUIDCursor(in.Cursor)
		if err != nil {
			return nil, err
		}
		sc, _, err := s.umkmScope(ctx)
		if err != nil {
			return nil, err
		}
		items, err := s.Koperasi.ListAnggota(ctx, currentTenant(ctx), in.ID, sc.Wilayah, after, in.Limit)
		if err != nil {
			return nil, err
		}
		return &listAnggotaOutput{Body: paginate(items, in.Limit, func(a koperasi.Anggota) string { return a.UMKMID.String() })}, nil
	})

	register(s.api, inTenant("create-koperasi-anggota"), huma.Operation{
		OperationID: "create-koperasi-anggota", Method: http.MethodPost, Path: one + "/anggota", Tags: tags,
		Summary: "Make an UMKM of this tenant a member",
		Description: "An UMKM may belong to several cooperatives. An UMKM that is not this tenant's answers 404; one already a " +
			"member 409. `difasilitasi`: the cooperative facilitates this business. " + koperasiETagDoc,
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 16 << 10, Errors: []int{http.StatusConflict},
	}, func(ctx context.Context, in *addAnggotaInput) (*childOutput[koperasi.Anggota], error) {
		t := currentTenant(ctx)
		return createChild(ctx, s, in.IdempotencyKey, "create-koperasi-anggota", in.ID, in.Body, func(tx pgx.Tx) (koperasi.Anggota, int64, string, error) {
			a, v, err := s.Koperasi.AddAnggotaTx(ctx, tx, t, in.ID, in.Body)
			return a, v, koperasi.AnggotaPath(t.Slug, in.ID, in.Body.UMKMID), err
		})
	})

	register(s.api, inTenant("update-koperasi-anggota"), huma.Operation{
		OperationID: "update-koperasi-anggota", Method: http.MethodPut, Path: one + "/anggota/{umkm_id}", Tags: tags,
		Summary: "Change a membership (since when, facilitated)", Description: koperasiETagDoc,
		Errors: childErrors, MaxBodyBytes: 16 << 10,
	}, func(ctx context.Context, in *updateAnggotaInput) (*childOutput[koperasi.Anggota], error) {
		return updateChild(in.IfMatch, func(version int64) (koperasi.Anggota, int64, error) {
			return s.Koperasi.UpdateAnggota(ctx, currentTenant(ctx), in.ID, in.UMKMID, version, in.Body)
		})
	})

	register(s.api, inTenant("delete-koperasi-anggota"), huma.Operation{
		OperationID: "delete-koperasi-anggota", Method: http.MethodDelete, Path: one + "/anggota/{umkm_id}", Tags: tags,
		Summary: "End a membership", Description: koperasiETagDoc,
		DefaultStatus: http.StatusNoContent, Errors: childErrors,
	}, func(ctx context.Context, in *removeAnggotaInput) (*childDeleted, error) {
		return deleteChild(in.IfMatch, func(version int64) (int64, error) {
			return s.Koperasi.RemoveAnggota(ctx, currentTenant(ctx), in.ID, in.UMKMID, version)
		})
	})

	register(s.api, inTenant("list-umkm-koperasi"), huma.Operation{
		OperationID: "list-umkm-koperasi", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/umkm/{id}/koperasi", Tags: []string{"UMKM", "Koperasi"},
		Summary:     "The cooperatives an UMKM is a member of, by cooperative id",
		Description: "A petugas sees only businesses of their regions, as in the UMKM register.",
	}, func(ctx context.Context, in *listUMKMKoperasiInput) (*listAnggotaOutput, error) {
		after, err := decodeUUIDCursor(in.Cursor)
		if err != nil {
			return nil, err
		}
		sc, _, err := s.umkmScope(ctx)
		if err != nil {
			return nil, err
		}
		items, err := s.Koperasi.ListKoperasiOfUMKM(ctx, currentTenant(ctx), in.ID, sc.Wilayah, after, in.Limit)
		if err != nil {
			return nil, err
		}
		return &listAnggotaOutput{Body: paginate(items, in.Limit, func(a koperasi.Anggota) string { return a.KoperasiID.String() })}, nil
	})
}
