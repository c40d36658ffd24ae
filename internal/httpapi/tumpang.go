package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sentra-id/sentra/internal/tumpang"
)

// Overlap and the never-helped (issue 17 items 3–4): who else helped a
// candidate before a selection, the report of those helped twice or more
// with the same kind of help in a year, and the registered businesses
// never helped at all, to invite. Reads only, but for the override of an
// overlap warning, which an admin gives with a reason (audited).

// BelumPernahFilter is the never-helped filters (exported: Huma reads only
// exported embedded structs).
type BelumPernahFilter struct {
	Kecamatan    string `query:"kecamatan" maxLength:"8" doc:"Kemendagri code of a kecamatan."`
	Kelurahan    string `query:"kelurahan" maxLength:"13" doc:"Kemendagri code of a desa/kelurahan."`
	Sektor       string `query:"sektor" enum:"kuliner,fashion,kerajinan,jasa,perdagangan,pertanian,peternakan,perikanan,otomotif,kecantikan,teknologi,pendidikan,lainnya"`
	Skala        string `query:"skala" enum:"mikro,kecil,menengah,besar" doc:"The computed size."`
	JenisKelamin string `query:"jenis_kelamin" enum:"L,P"`
	StatusBinaan string `query:"status_binaan" enum:"binaan,bukan_binaan"`
}

func (f BelumPernahFilter) filter(p PageParams) tumpang.Filter {
	return tumpang.Filter{Kecamatan: f.Kecamatan, Kelurahan: f.Kelurahan, Sektor: f.Sektor, Skala: f.Skala,
		JenisKelamin: f.JenisKelamin, StatusBinaan: f.StatusBinaan, Cursor: p.Cursor, Limit: p.Limit}
}

type listBelumPernahInput struct {
	TenantPath
	PageParams
	BelumPernahFilter
}

type jumlahBelumPernahInput struct {
	TenantPath
	BelumPernahFilter
}

type jumlahBelumPernahOutput struct {
	Body struct {
		Items []tumpang.Jumlah `json:"items" nullable:"false"`
	}
}

type laporanTumpangInput struct {
	TenantPath
	PageParams
	Tahun int    `query:"tahun" required:"true" minimum:"2000" maximum:"2100" doc:"Fiscal year."`
	Jenis string `query:"jenis" required:"true" enum:"pelatihan,pendampingan,bantuan_barang,bantuan_modal,fasilitasi_legalitas,fasilitasi_pemasaran,event"`
}

// riwayatProgramOutput is a record's participations, newest first: a
// business has few, so the list is not paged.
type riwayatProgramOutput struct {
	Body struct {
		Items []tumpang.Partisipasi `json:"items" nullable:"false"`
	}
}

func riwayatOutput(items []tumpang.Partisipasi) *riwayatProgramOutput {
	out := &riwayatProgramOutput{}
	out.Body.Items = append([]tumpang.Partisipasi{}, items...)
	return out
}

type izinTumpangInput struct {
	PesertaPath
	Body tumpang.IzinInput
}

// tumpangView is programView in the overlap package's terms.
func (s *Server) tumpangView(ctx context.Context) (tumpang.View, error) {
	v, err := s.programView(ctx)
	return tumpang.View{PII: v.PII, Wilayah: v.Wilayah}, err
}

func (s *Server) registerTumpang() {
	tags := []string{"Program"}
	const base = "/v1/tenants/{tenant}/program"
	svc := &tumpang.Service{DB: s.DB, Logger: s.Logger, Now: time.Now}

	register(s.api, inTenant("list-belum-pernah"), huma.Operation{
		OperationID: "list-belum-pernah", Method: http.MethodGet, Path: base + "/belum-pernah", Tags: tags,
		Summary: "Registered businesses never helped, oldest registered first",
		Description: "No participation of any kind: none in this office's programmes (refused or cancelled applications aside), " +
			"none in another agency's imported list, by the business or by its owner's NIK. Owners' names masked unless the caller may read personal data; " +
			"a petugas sees their regions only.",
	}, func(ctx context.Context, in *listBelumPernahInput) (*struct{ Body Page[tumpang.Usaha] }, error) {
		v, err := s.tumpangView(ctx)
		if err != nil {
			return nil, err
		}
		page, err := svc.BelumPernah(ctx, currentTenant(ctx), in.filter(in.PageParams), v)
		if err != nil {
			return nil, err
		}
		return &struct{ Body Page[tumpang.Usaha] }{Body: Page[tumpang.Usaha]{Items: page.Items, NextCursor: page.NextCursor}}, nil
	})

	register(s.api, inTenant("get-belum-pernah-jumlah"), huma.Operation{
		OperationID: "get-belum-pernah-jumlah", Method: http.MethodGet, Path: base + "/belum-pernah/jumlah", Tags: tags,
		Summary: "Never-helped counts per kecamatan and desa/kelurahan, with the registered businesses there",
	}, func(ctx context.Context, in *jumlahBelumPernahInput) (*jumlahBelumPernahOutput, error) {
		v, err := s.tumpangView(ctx)
		if err != nil {
			return nil, err
		}
		items, err := svc.JumlahBelumPernah(ctx, currentTenant(ctx), in.filter(PageParams{}), v)
		if err != nil {
			return nil, err
		}
		out := &jumlahBelumPernahOutput{}
		out.Body.Items = append([]tumpang.Jumlah{}, items...)
		return out, nil
	})

	register(s.api, inTenant("list-tumpang"), huma.Operation{
		OperationID: "list-tumpang", Method: http.MethodGet, Path: base + "/tumpang", Tags: tags,
		Summary:     "The overlap report: businesses that got the same kind of help two or more times in a year",
		Description: "From this office's programmes (any owning agency) and other agencies' imported lists; by business id.",
	}, func(ctx context.Context, in *laporanTumpangInput) (*struct{ Body Page[tumpang.Ganda] }, error) {
		v, err := s.tumpangView(ctx)
		if err != nil {
			return nil, err
		}
		page, err := svc.Laporan(ctx, currentTenant(ctx), tumpang.LaporanFilter{Tahun: in.Tahun, Jenis: in.Jenis, Cursor: in.Cursor, Limit: in.Limit}, v)
		if err != nil {
			return nil, err
		}
		return &struct{ Body Page[tumpang.Ganda] }{Body: Page[tumpang.Ganda]{Items: page.Items, NextCursor: page.NextCursor}}, nil
	})

	register(s.api, inTenant("list-umkm-program"), huma.Operation{
		OperationID: "list-umkm-program", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/umkm/{id}/program", Tags: []string{"UMKM", "Program"},
		Summary: "A business's programme history: this office's programmes and other agencies' lists, newest first",
		Description: "Live participations (refused or cancelled applications aside) by the business or by its owner's NIK, " +
			"with completion date and certificate number. A petugas sees only businesses of their regions, as in the UMKM register.",
	}, func(ctx context.Context, in *UMKMPath) (*riwayatProgramOutput, error) {
		v, err := s.tumpangView(ctx)
		if err != nil {
			return nil, err
		}
		items, err := svc.RiwayatUMKM(ctx, currentTenant(ctx), in.ID, v)
		if err != nil {
			return nil, err
		}
		return riwayatOutput(items), nil
	})

	register(s.api, inTenant("list-koperasi-program"), huma.Operation{
		OperationID: "list-koperasi-program", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/koperasi/{id}/program", Tags: []string{"Koperasi", "Program"},
		Summary:     "A cooperative's programme history in this office's programmes, newest first",
		Description: "A petugas sees only cooperatives of their regions.",
	}, func(ctx context.Context, in *KoperasiPath) (*riwayatProgramOutput, error) {
		v, err := s.tumpangView(ctx)
		if err != nil {
			return nil, err
		}
		items, err := svc.RiwayatKoperasi(ctx, currentTenant(ctx), in.ID, v)
		if err != nil {
			return nil, err
		}
		return riwayatOutput(items), nil
	})

	const one = base + "/{id}/peserta/{peserta_id}/tumpang"
	register(s.api, inTenant("get-peserta-tumpang"), huma.Operation{
		OperationID: "get-peserta-tumpang", Method: http.MethodGet, Path: one, Tags: tags,
		Summary:     "A candidate's other participations, any agency and year, the same kind marked",
		Description: "sama_jenis above zero is an overlap warning; the selection needs an override (izin) for it.",
	}, func(ctx context.Context, in *PesertaPath) (*struct{ Body tumpang.Cek }, error) {
		v, err := s.tumpangView(ctx)
		if err != nil {
			return nil, err
		}
		c, err := svc.Cek(ctx, currentTenant(ctx), in.ID, in.PesertaID, v)
		if err != nil {
			return nil, err
		}
		return &struct{ Body tumpang.Cek }{Body: c}, nil
	})

	register(s.api, inTenant("approve-peserta-tumpang"), huma.Operation{
		OperationID: "approve-peserta-tumpang", Method: http.MethodPost, Path: one + "/izin", Tags: tags,
		Summary:     "Override a candidate's overlap warning, with a reason (admin; audited)",
		Description: "Refused (409) when there is no overlap of the same kind. A later overlap warns again.",
		Errors:      []int{http.StatusConflict},
	}, func(ctx context.Context, in *izinTumpangInput) (*struct{ Body tumpang.Cek }, error) {
		v, err := s.tumpangView(ctx)
		if err != nil {
			return nil, err
		}
		c, err := svc.Izinkan(ctx, currentTenant(ctx), in.ID, in.PesertaID, in.Body, v)
		if err != nil {
			return nil, err
		}
		return &struct{ Body tumpang.Cek }{Body: c}, nil
	})
}
