// Package migrations embeds the SQL migrations. They run in order, forward
// only, as the owner role (see internal/db.Migrate).
//
// Conventions every migration keeps (ARCHITECTURE.md, "Tenant isolation"):
//   - a tenant-owned table has tenant_id first in its primary key, in every
//     unique constraint and every foreign key;
//   - it has ENABLE and FORCE ROW LEVEL SECURITY and a policy with USING and
//     WITH CHECK on tenant_id = nullif(current_setting('app.tenant_id', true), ”)::uuid;
//   - the application role sentra_app gets only the privileges it uses.
package migrations

import "embed"

// FS holds the migrations, named NNN_name.sql.
//
//go:embed [0-9]*.sql
var FS embed.FS

// SuperuserSQL is the one-time setup that needs a superuser in the
// application database (extensions; LEAKPROOF markings for indexed search
// under RLS). Run before the migrations.
//
//go:embed superuser.sql
var SuperuserSQL string
