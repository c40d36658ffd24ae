package httpapi

import (
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/umkm"
)

// schemaPrefix is where the document keeps its named schemas.
const schemaPrefix = "#/components/schemas/"

// schemaRenames name the types whose Go name is clear only inside their
// package. Huma names a schema after the bare Go type name, so a generated
// client would otherwise get a "Record", an "Item" and a "Unit" with no word
// of what they are, and names that clash with the ones client generators
// derive (schema + property: Registrasi.status → RegistrasiStatus).
var schemaRenames = map[reflect.Type]string{
	reflect.TypeFor[umkm.Record]():           "UMKM",
	reflect.TypeFor[umkm.Input]():            "UMKMInput",
	reflect.TypeFor[umkm.Legal]():            "Legalitas",
	reflect.TypeFor[umkm.LegalInput]():       "LegalitasInput",
	reflect.TypeFor[umkm.RegistrasiStatus](): "RegistrasiPublik",
	reflect.TypeFor[audit.Item]():            "AuditEntry",
	reflect.TypeFor[account.Member]():        "TenantUser",
	reflect.TypeFor[koperasi.Detail]():       "KoperasiDetail",
	reflect.TypeFor[koperasi.Unit]():         "UnitUsaha",
	reflect.TypeFor[koperasi.UnitInput]():    "UnitUsahaInput",
	reflect.TypeFor[koperasi.Volume]():       "VolumeUnit",
	reflect.TypeFor[koperasi.Regime]():       "RegimeKesehatan",
	reflect.TypeFor[koperasi.Aspek]():        "AspekKesehatan",
	reflect.TypeFor[koperasi.Band]():         "PredikatKesehatan",
	reflect.TypeFor[koperasi.Ringkasan]():    "RingkasanKampanye",
	reflect.TypeFor[koperasi.Keputusan]():    "KeputusanKampanye",
}

// schemaNamer names the document's schemas like huma's default namer, with
// schemaRenames applied (also inside generic types: Page[umkm.Record] is
// PageUMKM), and remembers which Go types got each name: huma reuses a name
// it has seen without asking whether the type is the same, so two types
// under one name would leave one of them wrongly described.
type schemaNamer struct {
	renames map[string]string // qualified Go name → schema name

	mu    sync.Mutex
	types map[string][]reflect.Type
}

func newSchemaNamer() *schemaNamer {
	n := &schemaNamer{renames: map[string]string{}, types: map[string][]reflect.Type{}}
	for t, name := range schemaRenames {
		n.renames[t.PkgPath()+"."+t.Name()] = name
	}
	return n
}

// registry is the schema registry for a huma config.
func (n *schemaNamer) registry() huma.Registry { return huma.NewMapRegistry(schemaPrefix, n.name) }

func (n *schemaNamer) name(t reflect.Type, hint string) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Name() == "" { // slices, maps, anonymous structs: huma names them from the hint
		name := huma.DefaultSchemaNamer(t, hint)
		n.record(name, t)
		return name
	}
	// A generic type's name holds its arguments' qualified names:
	// Page[github.com/sentra-id/sentra/internal/umkm.Record].
	var b strings.Builder
	for i, part := range strings.FieldsFunc(t.Name(), func(r rune) bool { return r == '[' || r == ']' || r == '*' || r == ',' }) {
		if i == 0 {
			part = t.PkgPath() + "." + part
		}
		if renamed, ok := n.renames[part]; ok {
			b.WriteString(renamed)
			continue
		}
		base := part[strings.LastIndex(part, ".")+1:]
		r, size := utf8.DecodeRuneInString(base)
		b.WriteRune(unicode.ToUpper(r))
		b.WriteString(base[size:])
	}
	name := b.String()
	n.record(name, t)
	return name
}

func (n *schemaNamer) record(name string, t reflect.Type) {
	if t.Kind() != reflect.Struct { // only structs become named schemas
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if !slices.Contains(n.types[name], t) {
		n.types[name] = append(n.types[name], t)
	}
}

// shared lists the schema names of reg given to more than one Go type, each
// with those types.
func (n *schemaNamer) shared(reg huma.Registry) map[string][]string {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := map[string][]string{}
	for name := range reg.Map() {
		if ts := n.types[name]; len(ts) > 1 {
			for _, t := range ts {
				out[name] = append(out[name], t.String())
			}
			sort.Strings(out[name])
		}
	}
	return out
}
