package koperasi

import (
	"log/slog"
	"time"

	"github.com/sentra-id/sentra/internal/db"
)

// Service is the cooperative register and its reclassification campaign.
type Service struct {
	DB     *db.DB
	Logger *slog.Logger
	Now    func() time.Time
}
