package koperasi

import (
	"log/slog"
	"time"

	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/wilayah"
)

// Service is the cooperative register and its reclassification campaign.
type Service struct {
	DB     *db.DB
	Logger *slog.Logger
	Now    func() time.Time

	wilayah wilayah.Cache
}
