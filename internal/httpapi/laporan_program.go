package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sentra-id/sentra/internal/laporan"
)

// Reports on programmes and funding (issue 17 item 6): counts and medians
// only, no list of people, read by those who read the register. A petugas
// is refused: the reports cover the whole office, and the figures of one
// region's participants are not cut out of them (policy.csv).

type laporanProgramInput struct {
	TenantPath
	Tahun int    `query:"tahun" minimum:"2000" maximum:"2100" doc:"Fiscal year of the programmes; absent: all years."`
	Jenis string `query:"jenis" enum:"pelatihan,pendampingan,bantuan_barang,bantuan_modal,fasilitasi_legalitas,fasilitasi_pemasaran,event" doc:"Programme type; absent: all."`
}

type laporanPendanaanInput struct {
	TenantPath
	Tahun int    `query:"tahun" minimum:"2000" maximum:"2100" doc:"Year the applications were made (office calendar); absent: all years."`
	Jenis string `query:"jenis" enum:"subsidi_bunga,kredit_mesra,kur,hibah" doc:"Scheme kind; absent: all."`
}

func (s *Server) registerLaporan() {
	tags := []string{"Laporan"}
	const base = "/v1/tenants/{tenant}/laporan"
	svc := &laporan.Service{DB: s.DB}

	register(s.api, inTenant("get-laporan-program"), huma.Operation{
		OperationID: "get-laporan-program", Method: http.MethodGet, Path: base + "/program", Tags: tags,
		Summary: "Programmes' targets against realisation, per programme and per Renja sub-activity, with the funnel and breakdowns",
		Description: "Realisation counts distinct people (the owner's NIK), businesses or cooperatives — the programme's unit — among those who completed; " +
			"completions that cannot count in the unit are tak_terhitung. The funnel: applied, eligible at the last check, selected, attended, completed. " +
			"Participations by kecamatan, owner's sex and size. Archived programmes are left out.",
	}, func(ctx context.Context, in *laporanProgramInput) (*struct{ Body laporan.LaporanProgram }, error) {
		r, err := svc.Program(ctx, currentTenant(ctx), laporan.Filter{Tahun: in.Tahun, Jenis: in.Jenis})
		if err != nil {
			return nil, err
		}
		return &struct{ Body laporan.LaporanProgram }{Body: r}, nil
	})

	register(s.api, inTenant("get-laporan-dampak"), huma.Operation{
		OperationID: "get-laporan-dampak", Method: http.MethodGet, Path: base + "/dampak", Tags: tags,
		Summary: "The change in sales and employees of those who completed a programme, against comparable businesses never helped",
		Description: "Per size and sector where there are participants, and all together. Before: the record's figures before 1 January of tahun " +
			"(no tahun: the first recorded); now: the record. Each group's count is shown; its medians are withheld (ditahan) under ambang businesses.",
	}, func(ctx context.Context, in *laporanProgramInput) (*struct{ Body laporan.LaporanDampak }, error) {
		r, err := svc.Dampak(ctx, currentTenant(ctx), laporan.Filter{Tahun: in.Tahun, Jenis: in.Jenis})
		if err != nil {
			return nil, err
		}
		return &struct{ Body laporan.LaporanDampak }{Body: r}, nil
	})

	register(s.api, inTenant("get-laporan-pendanaan"), huma.Operation{
		OperationID: "get-laporan-pendanaan", Method: http.MethodGet, Path: base + "/pendanaan", Tags: tags,
		Summary:     "Funding applications per stage with the median days in each, and why they were rejected (counts per reason code)",
		Description: "The median is of the applications that moved on from the stage; those still in it are counted in sekarang.",
	}, func(ctx context.Context, in *laporanPendanaanInput) (*struct{ Body laporan.LaporanPendanaan }, error) {
		r, err := svc.Pendanaan(ctx, currentTenant(ctx), laporan.Filter{Tahun: in.Tahun, Jenis: in.Jenis})
		if err != nil {
			return nil, err
		}
		return &struct{ Body laporan.LaporanPendanaan }{Body: r}, nil
	})
}
