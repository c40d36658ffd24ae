// Package laporan is the office's reports on its programmes and funding
// (issue 17 item 6): target against realisation per programme and per
// Renja sub-activity in its own unit, participants by kecamatan, sex and
// size, the participation funnel, why funding applications fail and how
// long each stage takes, and the change in sales and employees of those
// who completed a programme against comparable businesses never helped.
// Reads only, each report one snapshot of the tenant (ReadTenantTx), each
// figure one set-based statement.
package laporan

import (
	"slices"
	"strings"
	"time"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/db"
)

// Service reads the reports.
type Service struct {
	DB *db.DB
}

// Filter narrows a report to a fiscal year (0: all) and a kind: a
// programme type for the programme and impact reports, a funding scheme's
// kind for the funding report.
type Filter struct {
	Tahun int
	Jenis string
}

// The kinds a filter may name (migrations 029 and 030).
var (
	JenisProgram = []string{"pelatihan", "pendampingan", "bantuan_barang", "bantuan_modal", "fasilitasi_legalitas", "fasilitasi_pemasaran", "event"}
	JenisDana    = []string{"subsidi_bunga", "kredit_mesra", "kur", "hibah"}
)

// check answers a filter the report cannot use, naming the query field.
func (f Filter) check(jenis []string) error {
	var fields []apperr.Field
	if f.Tahun != 0 && (f.Tahun < 2000 || f.Tahun > 2100) {
		fields = append(fields, apperr.Field{Location: "query.tahun", Value: f.Tahun,
			Message: apperr.T("Tahun harus 2000 sampai 2100.", "The year must be 2000 to 2100.")})
	}
	if f.Jenis != "" && !slices.Contains(jenis, f.Jenis) {
		fields = append(fields, apperr.Field{Location: "query.jenis", Value: f.Jenis, Message: apperr.T(
			"Nilai tidak dikenal. Pilih: "+strings.Join(jenis, ", ")+".", "Unknown value. Choose: "+strings.Join(jenis, ", ")+".")})
	}
	if len(fields) > 0 {
		return apperr.Invalid(apperr.T("Filter laporan tidak valid.", "Invalid report filter."), fields...)
	}
	return nil
}

// yearStart is 1 January of tahun in the office's time zone: where the
// impact report's "before" is taken. The zero time when tahun is 0.
func yearStart(tahun int, zone string) (time.Time, error) {
	if tahun == 0 {
		return time.Time{}, nil
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return time.Time{}, err
	}
	return time.Date(tahun, 1, 1, 0, 0, 0, 0, loc), nil
}
