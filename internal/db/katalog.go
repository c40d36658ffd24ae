package db

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
)

// TenantTable is a tenant-owned table as PostgreSQL's catalogue describes
// it: every table of schema public with a tenant_id column (the set the
// isolation tests check). Work that must cover all of an office's data
// (its export bundle, its purge) reads the catalogue, so a table added by
// a later migration is covered without anyone remembering to.
type TenantTable struct {
	Name    string
	Columns []Column // in the table's order, dropped columns left out
	Key     []string // the primary key's columns, in order
	// Parents are the other tenant tables its foreign keys reference.
	Parents []string
	// SelfRef: a foreign key references the table itself (wilayah: a desa
	// points at its kecamatan).
	SelfRef bool
}

// Column is a column of a tenant table.
type Column struct {
	Name string
	Type string // as format_type writes it: uuid, text, bytea, timestamp with time zone, ...
	// Generated: computed from the other columns (GENERATED ALWAYS AS).
	Generated bool
}

// Querier is what the catalogue is read through: a pool or a transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// TenantTables lists the tenant tables, parents before the tables that
// reference them (tables of one depth by name): the order to copy them
// in; the reverse is the order to delete them in.
func TenantTables(ctx context.Context, q Querier) ([]TenantTable, error) {
	rows, err := q.Query(ctx, `select c.relname,
			array(select a.attname::text from pg_attribute a
				where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped order by a.attnum),
			array(select format_type(a.atttypid, a.atttypmod) from pg_attribute a
				where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped order by a.attnum),
			array(select a.attgenerated <> '' from pg_attribute a
				where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped order by a.attnum),
			coalesce((select array(select a.attname::text from unnest(i.indkey) with ordinality k(attnum, n)
					join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum order by k.n)
				from pg_index i where i.indrelid = c.oid and i.indisprimary), '{}'),
			array(select distinct p.relname::text from pg_constraint f
				join pg_class p on p.oid = f.confrelid
				join pg_namespace pn on pn.oid = p.relnamespace and pn.nspname = 'public'
				where f.conrelid = c.oid and f.contype = 'f' and f.confrelid <> c.oid
					and exists (select from pg_attribute a where a.attrelid = p.oid and a.attname = 'tenant_id' and not a.attisdropped)),
			exists (select from pg_constraint f where f.conrelid = c.oid and f.contype = 'f' and f.confrelid = c.oid)
		from pg_class c
		join pg_namespace n on n.oid = c.relnamespace
		where n.nspname = 'public' and c.relkind in ('r', 'p')
			and exists (select from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)`)
	if err != nil {
		return nil, fmt.Errorf("tenant tables: %w", err)
	}
	byName := map[string]*TenantTable{}
	var (
		t         TenantTable
		names     []string
		types     []string
		generated []bool
	)
	if _, err := pgx.ForEachRow(rows, []any{&t.Name, &names, &types, &generated, &t.Key, &t.Parents, &t.SelfRef}, func() error {
		tt := t
		for i := range names {
			tt.Columns = append(tt.Columns, Column{Name: names[i], Type: types[i], Generated: generated[i]})
		}
		tt.Key, tt.Parents = slices.Clone(t.Key), slices.Clone(t.Parents)
		byName[tt.Name] = &tt
		return nil
	}); err != nil {
		return nil, fmt.Errorf("tenant tables: %w", err)
	}
	// Depth: 0 without tenant parents, else one more than the deepest
	// parent. The schema has no cycles between tables (a row could not be
	// inserted otherwise); one would be reported, not looped on.
	depth := map[string]int{}
	var visit func(name string, path []string) (int, error)
	visit = func(name string, path []string) (int, error) {
		if d, ok := depth[name]; ok {
			return d, nil
		}
		if slices.Contains(path, name) {
			return 0, fmt.Errorf("tenant tables: foreign keys form a cycle: %v", append(path, name))
		}
		d := 0
		for _, p := range byName[name].Parents {
			if byName[p] == nil {
				continue
			}
			pd, err := visit(p, append(path, name))
			if err != nil {
				return 0, err
			}
			d = max(d, pd+1)
		}
		depth[name] = d
		return d, nil
	}
	out := make([]TenantTable, 0, len(byName))
	for name, tt := range byName {
		if _, err := visit(name, nil); err != nil {
			return nil, err
		}
		out = append(out, *tt)
	}
	slices.SortFunc(out, func(a, b TenantTable) int {
		return cmp.Or(cmp.Compare(depth[a.Name], depth[b.Name]), cmp.Compare(a.Name, b.Name))
	})
	return out, nil
}
