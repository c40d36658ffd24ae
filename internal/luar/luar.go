// Package luar is other agencies' participant lists (DOMAIN.md
// "Programmes and assistance"; issue 17 item 3): a CSV or XLSX of who took
// part in another agency's programme, imported as that agency's external
// participations (table partisipasi_luar, read by internal/tumpang).
//
// Rows are matched to the register by the owner's NIK, then the NIB, then
// business name + owner + kelurahan. The import never creates register
// records: a row matching nothing is kept as belum_cocok for staff, who
// register the business (and match the row to it) or discard the row.
//
// The register's import machinery is shared through internal/spreadsheet
// (reading, limits, headers) and internal/pekerjaan (jobs, files, the bound
// per office); the register's package itself is not imported (STYLE.md:
// domain packages do not import each other), its NIK and NIB rules are
// given to Service by the caller.
package luar

import (
	"context"
	"log/slog"
	"os"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Normalizer checks an identifier and returns its canonical form, or why
// it is not one (umkm.NormalizeNIK, umkm.NormalizeNIB).
type Normalizer func(string) (string, *apperr.Text)

// Service imports lists and keeps their rows.
type Service struct {
	DB     *db.DB
	Sealer *pii.Sealer
	Logger *slog.Logger
	Now    func() time.Time
	// NIK and NIB are the register's rules for the identifiers, so a list
	// is read as the register is.
	NIK, NIB Normalizer
	TempDir  string // where an XLSX unpacks; the system's when empty
}

func (s *Service) tempDir() string {
	if s.TempDir != "" {
		return s.TempDir
	}
	return os.TempDir()
}

// View is what the caller may see: PII unmasks names and the NIB; Wilayah
// set (a petugas) limits rows that have a region to those regions.
type View struct {
	PII     bool
	Wilayah []string
}

// Jenis are the kinds of help (program.jenis).
var Jenis = []string{"pelatihan", "pendampingan", "bantuan_barang", "bantuan_modal", "fasilitasi_legalitas", "fasilitasi_pemasaran", "event"}

// Row statuses.
const (
	Cocok      = "cocok"       // matched to a register record
	BelumCocok = "belum_cocok" // waiting for staff
	Dibuang    = "dibuang"     // discarded by staff
)

func actor(ctx context.Context) *uuid.UUID {
	if p, ok := tenancy.PrincipalFrom(ctx); ok {
		return &p.UserID
	}
	return nil
}

func (v View) inArea(kecamatan, kelurahan string) bool {
	return len(v.Wilayah) == 0 || slices.Contains(v.Wilayah, kecamatan) || slices.Contains(v.Wilayah, kelurahan)
}
