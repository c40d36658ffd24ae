package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/pendanaan"
	"github.com/sentra-id/sentra/internal/umkm"
)

// Funding (DOMAIN.md "Funding"): the schemes in force, applications and
// their pipeline, and the interest-subsidy ledger with the bank's claims.
// Loan data is "specific" personal data (UU 27/2022): an owner's name is
// masked unless the caller may read personal data, as in the register.
//
// A stage change is POST .../tahap (not a PATCH of tahap): it appends to
// the stage history and may carry what the stage needs (a reason, an SK's
// number and date); it still requires If-Match, since two staff moving the
// same application must not both succeed from the same stage.

// PengajuanPath is one application; exported for Huma.
type PengajuanPath struct {
	TenantPath
	ID uuid.UUID `path:"id" doc:"Application id."`
}

// KlaimPath is one bank claim; exported for Huma.
type KlaimPath struct {
	TenantPath
	KlaimID uuid.UUID `path:"klaim_id" doc:"Claim id."`
}

type listSkemaInput struct {
	TenantPath
	Tanggal string `query:"tanggal" format:"date" doc:"The day (YYYY-MM-DD) to read the schemes in force on; absent: today."`
}

type listSkemaOutput struct {
	Body struct {
		Items []pendanaan.Skema `json:"items" nullable:"false"`
	}
}

type ubahSkemaInput struct {
	TenantPath
	Kode string `path:"kode" maxLength:"40" doc:"The scheme's code."`
	Body pendanaan.UbahanInput
}

type skemaOutput struct {
	Body pendanaan.Skema
}

type listPengajuanInput struct {
	TenantPath
	PageParams
	Skema  string `query:"skema" maxLength:"40" doc:"A scheme's code."`
	Jenis  string `query:"jenis" enum:"subsidi_bunga,kredit_mesra,kur,hibah"`
	Tahap  string `query:"tahap" enum:"dirujuk,diajukan,lengkap,dikirim_bank,disurvei,disetujui,ditolak,akad,sk,aktif,lunas,macet"`
	Bank   string `query:"bank" maxLength:"100"`
	UMKMID string `query:"umkm_id" maxLength:"36" doc:"A business: its own applications and its groups'."`
}

type listPengajuanOutput struct {
	Body Page[pendanaan.Pengajuan]
}

type pengajuanOutput struct {
	ETag     string `header:"ETag"`
	Location string `header:"Location"`
	Replayed string `header:"Idempotent-Replayed" doc:"\"true\" when this answer repeats the first answer to the same Idempotency-Key; absent otherwise."`
	Status   int
	Body     pendanaan.Pengajuan
}

type createPengajuanInput struct {
	TenantPath
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255" doc:"Makes a retried create safe: the same key returns the first answer."`
	Body           pendanaan.PengajuanInput
}

type langkahInput struct {
	PengajuanPath
	IfMatch string `header:"If-Match" doc:"The application's ETag (required)."`
	Body    pendanaan.LangkahInput
}

type createBerkasInput struct {
	PengajuanPath
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255" doc:"Makes a retried create safe: the same key returns the first answer."`
	Body           pendanaan.BerkasInput
}

type berkasOutput struct {
	Location string `header:"Location"`
	Replayed string `header:"Idempotent-Replayed" doc:"\"true\" when this answer repeats the first answer to the same Idempotency-Key; absent otherwise."`
	Status   int
	Body     pendanaan.BerkasDana
}

type papanInput struct {
	TenantPath
	Jenis    string `query:"jenis" enum:"subsidi_bunga,kredit_mesra,kur,hibah"`
	PerKolom int    `query:"per_kolom" minimum:"0" maximum:"100" default:"20" doc:"Cards per column, longest waiting first."`
}

type papanOutput struct {
	Body struct {
		Kolom []pendanaan.Kolom `json:"kolom" nullable:"false"`
	}
}

type bukuInput struct {
	TenantPath
	Bulan string `query:"bulan" required:"true" pattern:"^[0-9]{4}-[0-9]{2}$" doc:"The month, YYYY-MM."`
	Bank  string `query:"bank" maxLength:"100"`
}

type bukuOutput struct {
	Body pendanaan.Buku
}

type createSubsidiInput struct {
	TenantPath
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255"`
	Body           pendanaan.SubsidiInput
}

type subsidiOutput struct {
	Replayed string `header:"Idempotent-Replayed"`
	Status   int
	Body     pendanaan.Subsidi
}

type createKlaimInput struct {
	TenantPath
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255"`
	Body           pendanaan.KlaimInput
}

type klaimOutput struct {
	ETag     string `header:"ETag"`
	Location string `header:"Location"`
	Replayed string `header:"Idempotent-Replayed"`
	Status   int
	Body     pendanaan.Klaim
}

type verifyKlaimInput struct {
	KlaimPath
	IfMatch string `header:"If-Match" doc:"The claim's ETag (required)."`
}

type payKlaimInput struct {
	KlaimPath
	IfMatch string `header:"If-Match" doc:"The claim's ETag (required)."`
	Body    pendanaan.BayarInput
}

type paguInput struct {
	TenantPath
	Tahun int `path:"tahun" minimum:"2000" maximum:"2100"`
}

type paguOutput struct {
	Body pendanaan.Pagu
}

// danaView is how much personal data the caller sees in funding data: the
// register's read-pii.
func (s *Server) danaView(ctx context.Context) (pendanaan.View, error) {
	_, v, err := umkm.Access(ctx, s.Authz, principal(ctx), currentTenant(ctx))
	return pendanaan.View{PII: v.PII}, err
}

func (s *Server) registerPendanaan() {
	tags := []string{"Pendanaan"}
	const base = "/v1/tenants/{tenant}/pendanaan"

	register(s.api, inTenant("list-skema-dana"), huma.Operation{
		OperationID: "list-skema-dana", Method: http.MethodGet, Path: base + "/skema", Tags: tags,
		Summary: "The funding schemes in force for the office on a day, with its overrides",
		Description: "Each scheme is its reference version in force on the day (legal basis, source) with the office's latest override " +
			"from before or on the day merged over its figures. Percentages are basis points (9000 = 90 %).",
	}, func(ctx context.Context, in *listSkemaInput) (*listSkemaOutput, error) {
		t := currentTenant(ctx)
		day, err := t.Today(s.Pendanaan.Now())
		if err != nil {
			return nil, err
		}
		if in.Tanggal != "" {
			if day, err = time.Parse(time.DateOnly, in.Tanggal); err != nil {
				return nil, apperr.InvalidField("query.tanggal", in.Tanggal, apperr.T("Tanggal harus YYYY-MM-DD.", "Dates are YYYY-MM-DD."))
			}
		}
		items, err := s.Pendanaan.ListSkema(ctx, t, day)
		if err != nil {
			return nil, err
		}
		out := &listSkemaOutput{}
		out.Body.Items = items
		if items == nil {
			out.Body.Items = []pendanaan.Skema{}
		}
		return out, nil
	})

	register(s.api, inTenant("update-skema-dana"), huma.Operation{
		OperationID: "update-skema-dana", Method: http.MethodPost, Path: base + "/skema/{kode}/ubahan", Tags: tags,
		Summary: "Override a scheme's figures for this office from a day",
		Description: "The keys given replace the reference's from berlaku_mulai on (e.g. a local Kredit Mesra fee). The merged " +
			"figures must still make sense for the scheme's kind. Applications keep the figures they were decided under. Audited.",
		DefaultStatus: http.StatusOK, MaxBodyBytes: 16 << 10, Errors: []int{http.StatusConflict},
	}, func(ctx context.Context, in *ubahSkemaInput) (*skemaOutput, error) {
		sk, err := s.Pendanaan.Ubah(ctx, currentTenant(ctx), in.Kode, in.Body)
		if err != nil {
			return nil, err
		}
		return &skemaOutput{Body: sk}, nil
	})

	register(s.api, inTenant("list-pengajuan-dana"), huma.Operation{
		OperationID: "list-pengajuan-dana", Method: http.MethodGet, Path: base + "/pengajuan", Tags: tags,
		Summary: "Funding applications, newest first", Description: "Filters combine with AND. Owners' names are masked unless the caller may read personal data.",
	}, func(ctx context.Context, in *listPengajuanInput) (*listPengajuanOutput, error) {
		v, err := s.danaView(ctx)
		if err != nil {
			return nil, err
		}
		f := pendanaan.Filter{Skema: in.Skema, Jenis: in.Jenis, Tahap: in.Tahap, Bank: in.Bank, Cursor: in.Cursor, Limit: in.Limit}
		if in.UMKMID != "" {
			id, err := uuid.Parse(in.UMKMID)
			if err != nil {
				return nil, apperr.InvalidField("query.umkm_id", in.UMKMID, apperr.T("Harus berupa UUID yang valid.", "Must be a valid UUID."))
			}
			f.UMKMID = &id
		}
		page, err := s.Pendanaan.List(ctx, currentTenant(ctx), f, v)
		if err != nil {
			return nil, err
		}
		out := &listPengajuanOutput{Body: Page[pendanaan.Pengajuan]{Items: page.Items, NextCursor: page.NextCursor}}
		if out.Body.Items == nil {
			out.Body.Items = []pendanaan.Pengajuan{}
		}
		return out, nil
	})

	register(s.api, inTenant("create-pengajuan-dana"), huma.Operation{
		OperationID: "create-pengajuan-dana", Method: http.MethodPost, Path: base + "/pengajuan", Tags: tags,
		Summary: "Apply for funding: a business, a cooperative (hibah) or a Kredit Mesra group",
		Description: "Checked against the scheme in force today: Kredit Mesra is a group of 5–10 registered businesses of this office, " +
			"each Rp500 ribu–5 juta, its fee per tenor computed per member; the interest subsidy takes a business's loan of Rp1–50 juta; " +
			"KUR is a referral (bank and outcome); a hibah never goes to an individual (422). A business of another office is answered " +
			"as one that does not exist. Nothing is written unless all of it is valid.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 32 << 10,
	}, func(ctx context.Context, in *createPengajuanInput) (*pengajuanOutput, error) {
		t := currentTenant(ctx)
		v, err := s.danaView(ctx)
		if err != nil {
			return nil, err
		}
		res, err := createOnce(ctx, s, in.IdempotencyKey, "create-pengajuan-dana", in.Body, func(tx pgx.Tx) (created[pendanaan.Pengajuan], error) {
			p, err := s.Pendanaan.CreateTx(ctx, tx, t, in.Body, v)
			return created[pendanaan.Pengajuan]{Record: p, Location: pendanaan.Path(t.Slug, p.ID), Version: p.Version}, err
		})
		if err != nil {
			return nil, err
		}
		return &pengajuanOutput{ETag: etag(res.Version), Location: res.Location, Replayed: replayed(res.Replayed), Status: http.StatusCreated, Body: res.Record}, nil
	})

	register(s.api, inTenant("get-pengajuan-dana"), huma.Operation{
		OperationID: "get-pengajuan-dana", Method: http.MethodGet, Path: base + "/pengajuan/{id}", Tags: tags,
		Summary: "One application with its members, its stages and the time in each, and the steps it may take now",
		Description: "With its papers (berkas), its scheme version's gates (syarat) and those it does not pass yet (syarat_kurang, " +
			"each named in Indonesian and computed as of now), and its priorities. The steps to lengkap and disetujui are refused " +
			"while gates due before them fail.",
	}, func(ctx context.Context, in *PengajuanPath) (*pengajuanOutput, error) {
		v, err := s.danaView(ctx)
		if err != nil {
			return nil, err
		}
		p, err := s.Pendanaan.Get(ctx, currentTenant(ctx), in.ID, v)
		if err != nil {
			return nil, err
		}
		return &pengajuanOutput{ETag: etag(p.Version), Status: http.StatusOK, Body: p}, nil
	})

	register(s.api, inTenant("update-pengajuan-dana-tahap"), huma.Operation{
		OperationID: "update-pengajuan-dana-tahap", Method: http.MethodPost, Path: base + "/pengajuan/{id}/tahap", Tags: tags,
		Summary: "Move an application to its next stage",
		Description: "Only the stages in the application's `berikutnya` are allowed; another is 409 naming the current stage. " +
			"ditolak needs alasan_tolak (lainnya: with catatan); akad needs nomor_akad and tanggal_akad; sk needs nomor_sk and tanggal_sk. " +
			"lengkap takes the applicant's declarations (pernyataan_bukan_asn, pernyataan_tanpa_kredit_macet); disurvei takes the bank's " +
			"SLIK result (slik, required where the scheme gates on it). The steps to lengkap and disetujui are refused (409, code " +
			"syarat_belum_terpenuhi) while the scheme's gates due before them fail, each named in errors and the detail.",
		MaxBodyBytes: 16 << 10, Errors: []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired},
	}, func(ctx context.Context, in *langkahInput) (*pengajuanOutput, error) {
		version, err := ifMatch(in.IfMatch)
		if err != nil {
			return nil, err
		}
		v, err := s.danaView(ctx)
		if err != nil {
			return nil, err
		}
		p, err := s.Pendanaan.Langkah(ctx, currentTenant(ctx), in.ID, version, in.Body, v)
		if err != nil {
			return nil, err
		}
		return &pengajuanOutput{ETag: etag(p.Version), Status: http.StatusOK, Body: p}, nil
	})

	register(s.api, inTenant("create-pengajuan-dana-berkas"), huma.Operation{
		OperationID: "create-pengajuan-dana-berkas", Method: http.MethodPost, Path: base + "/pengajuan/{id}/berkas", Tags: tags,
		Summary: "Record a paper the office saw for an application (a member's KTP, a recommendation, a NIB)",
		Description: "Reference data about the paper, not the file: which (one of the scheme's dokumen or rekomendasi), for a Kredit Mesra " +
			"member's paper which member, its number (a NIB: 13 digits; never a NIK, KK or account number), date and notes. " +
			"One per kind and member (409 on a second). The application's syarat_kurang is computed again. Audited. " +
			"Another office's application is 404, as a missing one.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 8 << 10, Errors: []int{http.StatusConflict},
	}, func(ctx context.Context, in *createBerkasInput) (*berkasOutput, error) {
		t := currentTenant(ctx)
		v, err := s.danaView(ctx)
		if err != nil {
			return nil, err
		}
		res, err := createOnce(ctx, s, in.IdempotencyKey, "create-pengajuan-dana-berkas", in.Body, func(tx pgx.Tx) (created[pendanaan.BerkasDana], error) {
			b, err := s.Pendanaan.CreateBerkasTx(ctx, tx, t, in.ID, in.Body, v)
			return created[pendanaan.BerkasDana]{Record: b, Location: pendanaan.Path(t.Slug, in.ID)}, err
		})
		if err != nil {
			return nil, err
		}
		return &berkasOutput{Location: res.Location, Replayed: replayed(res.Replayed), Status: http.StatusCreated, Body: res.Record}, nil
	})

	register(s.api, inTenant("view-papan-dana"), huma.Operation{
		OperationID: "view-papan-dana", Method: http.MethodGet, Path: base + "/papan", Tags: tags,
		Summary: "The pipeline as a board: a column per stage with its count and the longest-waiting applications",
	}, func(ctx context.Context, in *papanInput) (*papanOutput, error) {
		v, err := s.danaView(ctx)
		if err != nil {
			return nil, err
		}
		cols, err := s.Pendanaan.Board(ctx, currentTenant(ctx), in.Jenis, in.PerKolom, v)
		if err != nil {
			return nil, err
		}
		out := &papanOutput{}
		out.Body.Kolom = cols
		return out, nil
	})

	register(s.api, inTenant("list-subsidi-bunga"), huma.Operation{
		OperationID: "list-subsidi-bunga", Method: http.MethodGet, Path: base + "/subsidi", Tags: tags,
		Summary: "The interest-subsidy ledger of a month: per debtor, with totals, the month's claims and the year's budget",
	}, func(ctx context.Context, in *bukuInput) (*bukuOutput, error) {
		bulan, err := pendanaan.ParseBulan("query.bulan", in.Bulan)
		if err != nil {
			return nil, err
		}
		v, err := s.danaView(ctx)
		if err != nil {
			return nil, err
		}
		b, err := s.Pendanaan.Ledger(ctx, currentTenant(ctx), bulan, in.Bank, v)
		if err != nil {
			return nil, err
		}
		return &bukuOutput{Body: b}, nil
	})

	register(s.api, inTenant("create-subsidi-bunga"), huma.Operation{
		OperationID: "create-subsidi-bunga", Method: http.MethodPost, Path: base + "/subsidi", Tags: tags,
		Summary: "Record a debtor's month: the interest due, split into the subsidy and the debtor's share",
		Description: "Only an active loan of the interest-subsidy scheme accrues, one row per month. The share is the tier of the loan's " +
			"principal (90 % up to Rp25 juta, 80 % above, to Rp50 juta); the subsidy is rounded down to the rupiah and the debtor " +
			"pays the rest, so the two always sum to the interest.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 4 << 10, Errors: []int{http.StatusConflict},
	}, func(ctx context.Context, in *createSubsidiInput) (*subsidiOutput, error) {
		t := currentTenant(ctx)
		v, err := s.danaView(ctx)
		if err != nil {
			return nil, err
		}
		res, err := createOnce(ctx, s, in.IdempotencyKey, "create-subsidi-bunga", in.Body, func(tx pgx.Tx) (created[pendanaan.Subsidi], error) {
			r, err := s.Pendanaan.CreateSubsidiTx(ctx, tx, t, in.Body, v)
			return created[pendanaan.Subsidi]{Record: r}, err
		})
		if err != nil {
			return nil, err
		}
		return &subsidiOutput{Replayed: replayed(res.Replayed), Status: http.StatusCreated, Body: res.Record}, nil
	})

	register(s.api, inTenant("create-klaim-subsidi"), huma.Operation{
		OperationID: "create-klaim-subsidi", Method: http.MethodPost, Path: base + "/subsidi/klaim", Tags: tags,
		Summary: "Make a bank's claim for a month: its debtors' unclaimed subsidy, committed against the year's budget",
		Description: "A claim beyond what is left of the year's ceiling is refused (409) and changes nothing; two claims at once " +
			"queue on the year's budget, so they never both pass it.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 4 << 10, Errors: []int{http.StatusConflict},
	}, func(ctx context.Context, in *createKlaimInput) (*klaimOutput, error) {
		t := currentTenant(ctx)
		res, err := createOnce(ctx, s, in.IdempotencyKey, "create-klaim-subsidi", in.Body, func(tx pgx.Tx) (created[pendanaan.Klaim], error) {
			k, err := s.Pendanaan.CreateKlaimTx(ctx, tx, t, in.Body)
			return created[pendanaan.Klaim]{Record: k, Location: pendanaan.KlaimPath(t.Slug, k.ID), Version: k.Version}, err
		})
		if err != nil {
			return nil, err
		}
		return &klaimOutput{ETag: etag(res.Version), Location: res.Location, Replayed: replayed(res.Replayed), Status: http.StatusCreated, Body: res.Record}, nil
	})

	register(s.api, inTenant("get-klaim-subsidi"), huma.Operation{
		OperationID: "get-klaim-subsidi", Method: http.MethodGet, Path: base + "/subsidi/klaim/{klaim_id}", Tags: tags,
		Summary: "One bank claim",
	}, func(ctx context.Context, in *KlaimPath) (*klaimOutput, error) {
		k, err := s.Pendanaan.GetKlaim(ctx, currentTenant(ctx), in.KlaimID)
		if err != nil {
			return nil, err
		}
		return &klaimOutput{ETag: etag(k.Version), Status: http.StatusOK, Body: k}, nil
	})

	register(s.api, inTenant("verify-klaim-subsidi"), huma.Operation{
		OperationID: "verify-klaim-subsidi", Method: http.MethodPost, Path: base + "/subsidi/klaim/{klaim_id}/verifikasi", Tags: tags,
		Summary: "Mark a claim verified by the office", Errors: []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired},
	}, func(ctx context.Context, in *verifyKlaimInput) (*klaimOutput, error) {
		version, err := ifMatch(in.IfMatch)
		if err != nil {
			return nil, err
		}
		k, err := s.Pendanaan.Verifikasi(ctx, currentTenant(ctx), in.KlaimID, version)
		if err != nil {
			return nil, err
		}
		return &klaimOutput{ETag: etag(k.Version), Status: http.StatusOK, Body: k}, nil
	})

	register(s.api, inTenant("pay-klaim-subsidi"), huma.Operation{
		OperationID: "pay-klaim-subsidi", Method: http.MethodPost, Path: base + "/subsidi/klaim/{klaim_id}/bayar", Tags: tags,
		Summary: "Record the payment (SP2D) of a verified claim", MaxBodyBytes: 4 << 10,
		Errors: []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired},
	}, func(ctx context.Context, in *payKlaimInput) (*klaimOutput, error) {
		version, err := ifMatch(in.IfMatch)
		if err != nil {
			return nil, err
		}
		k, err := s.Pendanaan.Bayar(ctx, currentTenant(ctx), in.KlaimID, version, in.Body)
		if err != nil {
			return nil, err
		}
		return &klaimOutput{ETag: etag(k.Version), Status: http.StatusOK, Body: k}, nil
	})

	register(s.api, inTenant("get-pagu-subsidi"), huma.Operation{
		OperationID: "get-pagu-subsidi", Method: http.MethodGet, Path: base + "/subsidi/pagu/{tahun}", Tags: tags,
		Summary: "The year's subsidy budget: the ceiling, what claims have used, what is left",
	}, func(ctx context.Context, in *paguInput) (*paguOutput, error) {
		p, err := s.Pendanaan.GetPagu(ctx, currentTenant(ctx), in.Tahun)
		if err != nil {
			return nil, err
		}
		return &paguOutput{Body: p}, nil
	})
}
