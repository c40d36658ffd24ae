package pendanaan

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/teks"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Service is funding: schemes, applications and the subsidy ledger.
type Service struct {
	DB     *db.DB
	Logger *slog.Logger
	Now    func() time.Time
}

// View says how much personal data a caller may see: an owner's name is
// masked unless the caller may read personal data (loan data is
// "specific" personal data under UU 27/2022).
type View struct {
	PII bool
}

func auditTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, action, entity, id string, before, after any) error {
	return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: action, Entity: entity, EntityID: id, Before: before, After: after})
}

// fieldErrs gathers the field problems of one input, to answer them all at
// once.
type fieldErrs struct {
	list []apperr.Field
}

func (f *fieldErrs) add(location string, value any, msg apperr.Text) {
	f.list = append(f.list, apperr.Field{Location: location, Value: value, Message: msg})
}

func (f *fieldErrs) err(msg apperr.Text) error {
	if len(f.list) == 0 {
		return nil
	}
	return apperr.Invalid(msg, f.list...)
}

// text checks an optional free text of at most max characters at field;
// blank is absent.
func (f *fieldErrs) text(field string, s *string, max int) *string {
	if s == nil {
		return nil
	}
	v := strings.TrimSpace(*s)
	switch {
	case utf8.RuneCountInString(v) > max:
		f.add(field, nil, apperr.T("Terlalu panjang (maksimal "+strconv.Itoa(max)+" karakter).", "Too long (at most "+strconv.Itoa(max)+" characters)."))
	case teks.HasControl(v):
		f.add(field, nil, apperr.T("Berisi karakter kontrol yang tidak bisa disimpan; ketik ulang teksnya.",
			"Contains a control character that cannot be stored; type the text again."))
	case v != "":
		return &v
	}
	return nil
}

// date checks an optional YYYY-MM-DD at field, not after today.
func (f *fieldErrs) date(field string, s *string, today time.Time) *time.Time {
	if s == nil || strings.TrimSpace(*s) == "" {
		return nil
	}
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(*s))
	switch {
	case err != nil:
		f.add(field, *s, apperr.T("Tanggal harus YYYY-MM-DD.", "Dates are YYYY-MM-DD."))
	case d.After(today):
		f.add(field, *s, apperr.T("Tanggal tidak boleh setelah hari ini.", "The date cannot be after today."))
	case d.Year() < 2000:
		f.add(field, *s, apperr.T("Tanggal tidak masuk akal.", "The date is not plausible."))
	default:
		return &d
	}
	return nil
}
