// Package pii masks personal data (NIK, phone numbers, e-mail, addresses,
// coordinates) for places that do not need the full value: lists, exports,
// the audit log. It never logs anything.
package pii

import (
	"strings"
	"unicode/utf8"
)

// NIK keeps the region prefix and the sequence: 3276xxxxxxxx0001. The birth
// date in the middle is what identifies a person.
func NIK(s string) string {
	if len(s) != 16 {
		return strings.Repeat("x", len(s))
	}
	return s[:4] + strings.Repeat("x", 8) + s[12:]
}

// Phone keeps the last three digits.
func Phone(s string) string {
	if len(s) <= 3 {
		return strings.Repeat("x", len(s))
	}
	return strings.Repeat("x", len(s)-3) + s[len(s)-3:]
}

// Email keeps the first letter and the domain: a***@depok.go.id.
func Email(s string) string {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 {
		return "***"
	}
	_, first := utf8.DecodeRuneInString(s) // a whole letter, not half of one
	return s[:first] + "***" + s[at:]
}

// Name keeps the first letter of each word of a person's name: "Siti
// Aminah" → "S*** A***". Enough to tell people apart in a list, not to
// identify them.
func Name(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		_, first := utf8.DecodeRuneInString(w)
		words[i] = w[:first] + "***"
	}
	return strings.Join(words, " ")
}

// Kind names what sort of personal data a field holds.
type Kind int

const (
	None Kind = iota
	KindNIK
	KindPhone
	KindEmail
	KindAddress     // street address, RT/RW
	KindCoordinates // latitude/longitude
)

// fields maps JSON field names used across Sentra to their kind. Records
// written to the audit log are masked by these names, so a new personal field
// must be added here (the audit test checks the known ones).
var fields = map[string]Kind{
	"nik": KindNIK, "nik_pemilik": KindNIK,
	"phone": KindPhone, "telepon": KindPhone, "no_hp": KindPhone, "whatsapp": KindPhone,
	"email":  KindEmail,
	"alamat": KindAddress, "address": KindAddress, "rt": KindAddress, "rw": KindAddress,
	"latitude": KindCoordinates, "longitude": KindCoordinates, "lat": KindCoordinates, "lng": KindCoordinates,
}

// FieldKind tells whether a JSON field name holds personal data.
func FieldKind(name string) Kind { return fields[name] }

// Mask masks v as a value of kind k.
func Mask(k Kind, v any) any {
	s, ok := v.(string)
	switch {
	case k == None:
		return v
	case v == nil:
		return nil
	case k == KindCoordinates:
		return nil
	case !ok:
		return "***"
	case k == KindNIK:
		return NIK(s)
	case k == KindPhone:
		return Phone(s)
	case k == KindEmail:
		return Email(s)
	default:
		return "***"
	}
}

// MaskTree masks every personal field in a decoded JSON value, in place.
func MaskTree(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if kind := FieldKind(k); kind != None {
				t[k] = Mask(kind, val)
			} else {
				t[k] = MaskTree(val)
			}
		}
	case []any:
		for i := range t {
			t[i] = MaskTree(t[i])
		}
	}
	return v
}
