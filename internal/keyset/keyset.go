// Package keyset is the cursor of the registries' lists: the position after
// the last row of a page (its id, and its relevance score for a search),
// opaque to clients. Shared by the UMKM and cooperative lists.
package keyset

import (
	"encoding/base64"
	"encoding/json"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/apperr"
)

// Cursor is the keyset position after the last row of a page.
type Cursor struct {
	ID    uuid.UUID `json:"i"`
	Score float64   `json:"s,omitempty"`
}

// Encode renders c for next_cursor.
func Encode(c Cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Decode reads a cursor a client sent back; "" is the first page (nil).
func Decode(s string) (*Cursor, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	var c Cursor
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.ID == uuid.Nil {
		return nil, apperr.InvalidField("query.cursor", nil, apperr.T(
			"Cursor tidak valid. Gunakan next_cursor dari halaman sebelumnya.", "Invalid cursor. Use next_cursor from the previous page."))
	}
	return &c, nil
}
