package umkm

import (
	"github.com/sentra-id/sentra/internal/teks"
	"github.com/sentra-id/sentra/internal/wilayah"
)

// The tenant's regions, shared with the cooperative registry.
type (
	wilayahIndex = wilayah.Index
	wilayahCache = wilayah.Cache
)

func fold(s string) string { return teks.Fold(s) }
