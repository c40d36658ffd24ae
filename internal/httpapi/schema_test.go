package httpapi

import (
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"unicode"
)

// TestSchemaNamesAreUnique: no two Go types share a schema name in the
// document (a generated client would describe one of them wrongly), and
// every rename still names a schema of the document.
func TestSchemaNamesAreUnique(t *testing.T) {
	s := New(Deps{Logger: slog.New(slog.DiscardHandler)})
	reg := s.API().OpenAPI().Components.Schemas
	for name, types := range s.schemas.shared(reg) {
		t.Errorf("schema %s is given to %d Go types: %s; name one of them in schemaRenames", name, len(types), strings.Join(types, ", "))
	}
	schemas := reg.Map()
	for typ, name := range schemaRenames {
		if schemas[name] == nil {
			t.Errorf("schemaRenames names %s %q, which the document does not have", typ, name)
		}
	}
	for _, want := range []string{"PageUMKM", "PageAuditEntry", "RegistrasiPublik"} {
		if schemas[want] == nil {
			t.Errorf("schema %s missing", want)
		}
	}
	for _, old := range []string{"Record", "PageRecord", "Item", "RegistrasiStatus"} {
		if schemas[old] != nil {
			t.Errorf("schema %s is still named after its bare Go type", old)
		}
	}
}

// TestSchemaNamerSeesSharedNames: huma reuses a name it has registered for
// any type it has seen before, without a word; the namer still reports the
// two types.
func TestSchemaNamerSeesSharedNames(t *testing.T) {
	n := newSchemaNamer()
	reg := n.registry()
	first := reflect.TypeFor[struct{ A int }]()
	second := reflect.TypeFor[struct{ B string }]()
	reg.Schema(first, true, "Dipakai")
	reg.Schema(second, true, "Lain")
	if got := reg.Schema(second, true, "Dipakai"); got.Ref != schemaPrefix+"Dipakai" {
		t.Fatalf("huma no longer reuses the name silently (%+v): this test's premise is gone", got)
	}
	shared := n.shared(reg)
	if len(shared) != 1 || len(shared["Dipakai"]) != 2 {
		t.Fatalf("shared = %v, want Dipakai given to both types", shared)
	}
}

// TestSchemaNamesLeaveRoomForClientTypes: client generators name an inline
// enum or object property after its schema and property (Registrasi.status
// → RegistrasiStatus); no such name may be a schema of its own, which is
// what stopped oapi-codegen ("duplicate typename").
func TestSchemaNamesLeaveRoomForClientTypes(t *testing.T) {
	s := New(Deps{Logger: slog.New(slog.DiscardHandler)})
	schemas := s.API().OpenAPI().Components.Schemas.Map()
	for name, schema := range schemas {
		for prop, ps := range schema.Properties {
			if ps.Ref != "" || (len(ps.Enum) == 0 && len(ps.Properties) == 0) {
				continue
			}
			if derived := name + pascal(prop); schemas[derived] != nil {
				t.Errorf("%s.%s becomes type %s in a generated client, which is also a schema", name, prop, derived)
			}
		}
	}
}

func pascal(s string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}
