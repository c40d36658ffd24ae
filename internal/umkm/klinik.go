package umkm

import (
	"context"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// What the consultation clinic (internal/klinik, composed by the app
// layer) asks of the register: a document a business obtained written to
// its legal documents, and its public form counted like the registration.

// SetLegalTx records in tx that business id holds an issued document of
// kind jenis numbered nomor (replacing the one of that kind, if any),
// recomputes what the register derives from its documents, and audits it.
// Outside wilayah (a petugas's regions) it is not found.
func (s *Service) SetLegalTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, id uuid.UUID, jenis, nomor string, wilayah []string) error {
	sc := Scope{Wilayah: wilayah}
	before, err := getTx(ctx, tx, id, sc, true)
	if err != nil {
		return err
	}
	if before.ArchivedAt != nil || before.MergedInto != nil {
		return apperr.Conflict(apperr.T("UMKM ini sudah diarsipkan.", "This UMKM is archived."), Path(t.Slug, id))
	}
	if !slices.Contains(LegalKinds, jenis) {
		return apperr.InvalidField("body.jenis", jenis, apperr.T("Jenis legalitas tidak dikenal.", "Unknown kind of legal document."))
	}
	now := s.Now()
	n, msg := NormalizeLegalNumber(jenis, strings.TrimSpace(nomor), now)
	if msg != nil {
		return apperr.InvalidField("body.nomor", nomor, *msg)
	}
	docs := slices.DeleteFunc(slices.Clone(before.Legalitas), func(d legal) bool { return d.Jenis == jenis })
	docs = append(docs, legal{Jenis: jenis, Nomor: &n, Status: StatusTerbit})
	after, err := scanRecord(tx.QueryRow(ctx, `update umkm set legalitas = $2, legalitas_terbit = $3, legalitas_lengkap = $4,
			updated_at = $5, version = version + 1
		where id = $1 returning `+recordCols,
		id, legalJSON(docs), terbit(docs), LegalitasLengkap(before.Sektor, docs, now), now))
	if err != nil {
		return db.MapError(err)
	}
	return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "update", Entity: "umkm", EntityID: id.String(), Before: before, After: after})
}

// PublicThrottle counts another public form of an office under the
// registration's limits: an action ending in "-lacak" is a lookup (the
// status limits), any other a submission (the create limits).
type PublicThrottle struct {
	UMKM   *Service
	Limits RegistrasiLimits
}

// Admit admits or refuses (429) one request of action from client.
func (p PublicThrottle) Admit(ctx context.Context, t *tenancy.Tenant, action, client string) error {
	lim := p.Limits.WithDefaults()
	perClient, perTenant := lim.CreatePerClient, lim.CreatePerTenant
	if strings.HasSuffix(action, "-lacak") {
		perClient, perTenant = lim.StatusPerClient, lim.StatusPerTenant
	}
	return p.UMKM.throttle(ctx, lim.longest(), p.UMKM.buckets(t, action, client, perClient, perTenant)...)
}
