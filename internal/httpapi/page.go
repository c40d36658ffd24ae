package httpapi

import (
	"encoding/base64"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/apperr"
)

// PageParams are the list parameters every collection takes.
type PageParams struct {
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"50" doc:"Items per page (1–500)."`
	Cursor string `query:"cursor" maxLength:"200" doc:"Opaque cursor from next_cursor of the previous page."`
}

// Page is a page of a collection.
type Page[T any] struct {
	Items      []T    `json:"items" nullable:"false"`
	NextCursor string `json:"next_cursor,omitempty" doc:"Pass as cursor for the next page; absent on the last page."`
}

// Cursors are opaque to clients: base64 of the last key seen. Lists fetch one
// row more than the limit to know whether a next page exists.
func encodeCursor(key string) string { return base64.RawURLEncoding.EncodeToString([]byte(key)) }

var errBadCursor = apperr.InvalidField("query.cursor", nil, apperr.T(
	"Cursor tidak valid. Gunakan next_cursor dari halaman sebelumnya.",
	"Invalid cursor. Use next_cursor from the previous page."))

func decodeCursor(c string) (string, error) {
	if c == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", errBadCursor
	}
	return string(b), nil
}

func decodeUUIDCursor(c string) (uuid.UUID, error) {
	s, err := decodeCursor(c)
	if err != nil || s == "" {
		return uuid.Nil, err
	}
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil, errBadCursor
	}
	return id, nil
}

// paginate trims the extra row fetched and sets the next cursor.
func paginate[T any](items []T, limit int, key func(T) string) Page[T] {
	p := Page[T]{Items: items}
	if p.Items == nil {
		p.Items = []T{}
	}
	if len(items) > limit {
		p.Items = items[:limit]
		p.NextCursor = encodeCursor(key(items[limit-1]))
	}
	return p
}
