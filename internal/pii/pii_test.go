package pii_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/pii"
)

func TestNIK(t *testing.T) {
	tests := []struct{ in, want string }{
		{"3276012345670001", "3276xxxxxxxx0001"}, // region and sequence kept, birth date hidden
		{"1275015501990002", "1275xxxxxxxx0002"},
		{"327601234567000", "xxxxxxxxxxxxxxx"}, // not 16 digits: nothing kept
		{"32760123456700011", "xxxxxxxxxxxxxxxxx"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := pii.NIK(tt.in); got != tt.want {
			t.Errorf("NIK(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"081234567890", "xxxxxxxxx890"},
		{"+6281234567890", "xxxxxxxxxxx890"},
		{"0211", "x211"},
		{"123", "xxx"}, // too short to keep anything
		{"", ""},
	}
	for _, tt := range tests {
		if got := pii.Phone(tt.in); got != tt.want {
			t.Errorf("Phone(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEmail(t *testing.T) {
	tests := []struct{ in, want string }{
		{"andi@depok.go.id", "a***@depok.go.id"},
		{"a@depok.go.id", "a***@depok.go.id"},
		{"x@y@depok.go.id", "x***@depok.go.id"}, // the last @ splits off the domain
		{"no-at-sign", "***"},
		{"@depok.go.id", "***"},
		{"", "***"},
	}
	for _, tt := range tests {
		if got := pii.Email(tt.in); got != tt.want {
			t.Errorf("Email(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestName(t *testing.T) {
	for in, want := range map[string]string{
		"Siti Aminah":        "S*** A***",
		"  Ahmad   Hidayat ": "A*** H***",
		"Ömer":               "Ö***", // a whole letter, not half of one
		"":                   "",
	} {
		if got := pii.Name(in); got != want {
			t.Errorf("Name(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMask(t *testing.T) {
	tests := []struct {
		name string
		kind pii.Kind
		in   any
		want any
	}{
		{"not personal", pii.None, "Warung Bu Siti", "Warung Bu Siti"},
		{"not personal number", pii.None, 12.5, 12.5},
		{"nik", pii.KindNIK, "3276012345670001", "3276xxxxxxxx0001"},
		{"nik as number", pii.KindNIK, 3276012345670001.0, "***"},
		{"phone", pii.KindPhone, "081234567890", "xxxxxxxxx890"},
		{"email", pii.KindEmail, "andi@depok.go.id", "a***@depok.go.id"},
		{"address", pii.KindAddress, "Jl. Margonda Raya 1", "***"},
		{"coordinates", pii.KindCoordinates, -6.4, nil},
		{"coordinates as text", pii.KindCoordinates, "-6.4", nil},
		{"absent stays absent", pii.KindNIK, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pii.Mask(tt.kind, tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Mask(%v, %#v) = %#v, want %#v", tt.kind, tt.in, got, tt.want)
			}
		})
	}
}

// decode turns JSON into the tree MaskTree works on, as the audit log does.
func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return v
}

func TestMaskTree(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{
			"flat record",
			`{"nama_usaha": "Keripik Bu Siti", "nik": "3276012345670001", "telepon": "081234567890", "email": "siti@gmail.com", "omzet_tahunan": 120000000}`,
			`{"nama_usaha": "Keripik Bu Siti", "nik": "3276xxxxxxxx0001", "telepon": "xxxxxxxxx890", "email": "s***@gmail.com", "omzet_tahunan": 120000000}`,
		},
		{
			"nested objects and arrays",
			`{"pemilik": {"nik_pemilik": "3276012345670001", "kontak": [{"no_hp": "0812345"}, {"whatsapp": "0898765"}]}, "tags": ["a", {"phone": "0211234"}]}`,
			`{"pemilik": {"nik_pemilik": "3276xxxxxxxx0001", "kontak": [{"no_hp": "xxxx345"}, {"whatsapp": "xxxx765"}]}, "tags": ["a", {"phone": "xxxx234"}]}`,
		},
		{
			"coordinates become null, addresses stars",
			`{"lokasi": {"latitude": -6.4025, "longitude": 106.7942, "lat": "-6.4", "lng": "106.8"}, "alamat": "Jl. Margonda Raya 1", "rt": "003", "rw": "011", "address": "x"}`,
			`{"lokasi": {"latitude": null, "longitude": null, "lat": null, "lng": null}, "alamat": "***", "rt": "***", "rw": "***", "address": "***"}`,
		},
		{
			"personal field holding a structure is hidden whole",
			`{"alamat": {"jalan": "Jl. Margonda", "kota": "Depok"}, "nik": ["3276012345670001"]}`,
			`{"alamat": "***", "nik": "***"}`,
		},
		{
			"nulls and empty values",
			`{"nik": null, "email": "", "telepon": "", "catatan": null}`,
			`{"nik": null, "email": "***", "telepon": "", "catatan": null}`,
		},
		{
			"top-level array of records",
			`[{"email": "budi@depok.go.id"}, {"nama": "Budi"}]`,
			`[{"email": "b***@depok.go.id"}, {"nama": "Budi"}]`,
		},
		{"scalar", `"3276012345670001"`, `"3276012345670001"`}, // no field name, nothing to go by
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := pii.MaskTree(decode(t, tt.in))
			if want := decode(t, tt.want); !reflect.DeepEqual(got, want) {
				gotJSON, _ := json.Marshal(got)
				t.Errorf("MaskTree(%s)\n got %s\nwant %s", tt.in, gotJSON, tt.want)
			}
		})
	}
}

// TestMaskTreeLeavesNoPersonalValue is the property the audit log relies on:
// after masking, none of the original personal values is left anywhere.
func TestMaskTreeLeavesNoPersonalValue(t *testing.T) {
	secrets := []string{"3276012345670001", "081234567890", "siti.rahayu@gmail.com", "Jl. Kenanga No. 7", "-6.40251", "106.79421"}
	in := `{"nik": "3276012345670001", "a": [{"b": {"no_hp": "081234567890", "email": "siti.rahayu@gmail.com"}}],
		"alamat": "Jl. Kenanga No. 7", "latitude": -6.40251, "longitude": 106.79421}`
	out, err := json.Marshal(pii.MaskTree(decode(t, in)))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range secrets {
		if bytes.Contains(out, []byte(s)) || strings.Contains(string(out), strings.Split(s, "@")[0]) {
			t.Errorf("masked tree %s still holds %q", out, s)
		}
	}
}

func TestFieldKind(t *testing.T) {
	for name, want := range map[string]pii.Kind{
		"nik": pii.KindNIK, "nik_pemilik": pii.KindNIK, "telepon": pii.KindPhone, "no_hp": pii.KindPhone,
		"whatsapp": pii.KindPhone, "phone": pii.KindPhone, "email": pii.KindEmail, "alamat": pii.KindAddress,
		"rt": pii.KindAddress, "rw": pii.KindAddress, "latitude": pii.KindCoordinates, "lng": pii.KindCoordinates,
		"nama_usaha": pii.None, "kbli": pii.None, "id": pii.None,
	} {
		if got := pii.FieldKind(name); got != want {
			t.Errorf("FieldKind(%q) = %v, want %v", name, got, want)
		}
	}
}

func newSealer(t *testing.T) *pii.Sealer {
	t.Helper()
	key, err := pii.ParseKey(pii.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	s, err := pii.NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSealerOpensOnlyForItsTenant(t *testing.T) {
	s := newSealer(t)
	a, b := uuid.New(), uuid.New()
	const nik = "3276012345670001"

	sealed := s.Seal(a, nik)
	if bytes.Contains(sealed, []byte(nik)) {
		t.Fatal("sealed value contains the NIK")
	}
	if bytes.Equal(sealed, s.Seal(a, nik)) {
		t.Error("sealing twice gives the same bytes: the nonce is not random")
	}
	if got, err := s.Open(a, sealed); err != nil || got != nik {
		t.Errorf("Open for its tenant = %q, %v; want %q", got, err, nik)
	}
	if _, err := s.Open(b, sealed); err == nil {
		t.Error("a value sealed for tenant A opens for tenant B")
	}
	if _, err := newSealer(t).Open(a, sealed); err == nil {
		t.Error("a value opens with another data key")
	}
	tampered := bytes.Clone(sealed)
	tampered[len(tampered)-1] ^= 1
	if _, err := s.Open(a, tampered); err == nil {
		t.Error("a tampered value opens")
	}
	if _, err := s.Open(a, []byte{1, 2}); err == nil {
		t.Error("a truncated value opens")
	}
}

func TestSealerHashMatchesWithinTenantOnly(t *testing.T) {
	s := newSealer(t)
	a, b := uuid.New(), uuid.New()
	const nik = "3276012345670001"
	if !bytes.Equal(s.Hash(a, nik), s.Hash(a, nik)) {
		t.Error("the same NIK hashes differently within a tenant: duplicates would not match")
	}
	if bytes.Equal(s.Hash(a, nik), s.Hash(b, nik)) {
		t.Error("the same NIK hashes equal across tenants: records could be linked across offices")
	}
	if bytes.Equal(s.Hash(a, nik), newSealer(t).Hash(a, nik)) {
		t.Error("the hash does not depend on the data key")
	}
}

func TestDataKeyParsing(t *testing.T) {
	if _, err := pii.ParseKey("not base64!"); err == nil {
		t.Error("ParseKey accepted non-base64")
	}
	if _, err := pii.ParseKey("c2hvcnQ="); err == nil {
		t.Error("ParseKey accepted a 5-byte key")
	}
	if _, err := pii.NewSealer(make([]byte, 16)); err == nil {
		t.Error("NewSealer accepted a 16-byte key")
	}
}

func TestSealerSignsPerPurposeAndKey(t *testing.T) {
	s := newSealer(t)
	msg := []byte("tenant|bundle|expiry")
	if !bytes.Equal(s.Sign("bundel", msg), s.Sign("bundel", msg)) {
		t.Error("the same message signs differently: a link could not be checked")
	}
	if bytes.Equal(s.Sign("bundel", msg), s.Sign("undangan", msg)) {
		t.Error("one signature serves two purposes")
	}
	if bytes.Equal(s.Sign("bundel", msg), s.Sign("bundel", []byte("tenant|bundle|expirz"))) {
		t.Error("two messages sign alike")
	}
	if bytes.Equal(s.Sign("bundel", msg), newSealer(t).Sign("bundel", msg)) {
		t.Error("the signature does not depend on the data key")
	}
}
