// Package tumpang answers who else helped a business and who was never
// helped (DOMAIN.md "Programmes and assistance"; seed 004: aid overlaps
// between agencies while many businesses never got any).
//
// A participation is either this office's (table peserta, any of its
// programmes, whichever agency owns it) or another agency's, from that
// agency's list (partisipasi_luar). Both count by business (umkm_id) and by
// person (the NIK's keyed hash), so the owner helped under another
// business still shows. Applications refused or cancelled (peserta
// ditolak, batal) and discarded list rows are not help received.
//
// The package reads the register's and the programmes' tables but imports
// neither package: domain packages do not import each other (STYLE.md).
package tumpang

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Service reads overlap and the never-helped and records overrides.
type Service struct {
	DB     *db.DB
	Logger *slog.Logger
	Now    func() time.Time
}

// View is what the caller may see: PII unmasks owners' names; Wilayah set
// (a petugas) limits businesses to those regions.
type View struct {
	PII     bool
	Wilayah []string
}

func (v View) inArea(kecamatan, kelurahan string) bool {
	return len(v.Wilayah) == 0 || slices.Contains(v.Wilayah, kecamatan) || slices.Contains(v.Wilayah, kelurahan)
}

// Jenis are the kinds of help (program.jenis).
var Jenis = []string{"pelatihan", "pendampingan", "bantuan_barang", "bantuan_modal", "fasilitasi_legalitas", "fasilitasi_pemasaran", "event"}

// Live participation statuses: help applied for, given or completed.
const pesertaHidup = `status not in ('batal', 'ditolak')`

// belumDibantu is true for a business u with no participation of any
// kind. Each probe is an index lookup (peserta_umkm_idx, peserta_nik_idx,
// partisipasi_luar_umkm_idx, partisipasi_luar_nik_idx), so a page of the
// never-helped costs a few probes per business read.
//
// An owner without a NIK needs no "nik_hash is null or" guard: the NIK
// probes match nothing for a null hash. With the guard the conditions are
// a disjunction the planner cannot turn into anti joins: it hashed both
// participation tables whole for every page (bench program: 360 ms for a
// kecamatan's first page at 150.000 businesses and 300.000
// participations; 2 ms without).
const belumDibantu = `not exists (select 1 from peserta p where p.umkm_id = u.id and p.` + pesertaHidup + `)
	and not exists (select 1 from partisipasi_luar l where l.umkm_id = u.id)
	and not exists (select 1 from peserta p where p.nik_hash = u.nik_hash and p.` + pesertaHidup + `)
	and not exists (select 1 from partisipasi_luar l where l.nik_hash = u.nik_hash and l.status <> 'dibuang')`

func actor(ctx context.Context) *uuid.UUID {
	if p, ok := tenancy.PrincipalFrom(ctx); ok {
		return &p.UserID
	}
	return nil
}
