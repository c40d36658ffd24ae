// Package tenants carries the tenant folders, one per Dinas Koperasi dan UMKM
// office, inside the sentra binary so that `sentra tenants sync` needs no files
// on disk. It holds data only; internal/tenant parses and validates it.
// See README.md for the format.
package tenants

import "embed"

// FS holds <slug>/tenant.yaml and <slug>/wilayah.csv of every tenant.
//
//go:embed */tenant.yaml */wilayah.csv
var FS embed.FS
