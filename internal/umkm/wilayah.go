package umkm

import (
	"strings"

	"github.com/sentra-id/sentra/internal/wilayah"
)

// The tenant's regions, shared with the cooperative registry.
type (
	wilayahIndex = wilayah.Index
	wilayahCache = wilayah.Cache
)

func fold(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }
