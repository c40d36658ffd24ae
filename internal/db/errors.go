package db

import (
	"errors"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/sentra-id/sentra/internal/apperr"
)

// MapError turns the PostgreSQL errors a caller can cause into domain errors,
// once, so no store repeats it. Anything else stays internal (logged, never
// shown). RLS refusals (42501) are reported as not found: a row of another
// tenant must look exactly like a row that does not exist.
func MapError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return apperr.NotFound()
	}
	if _, ok := apperr.As(err); ok {
		return err
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return err
	}
	switch pgErr.Code {
	case pgerrcode.UniqueViolation:
		e := apperr.Conflict(apperr.T("Data yang sama sudah ada.", "The same data already exists."), "")
		e.Cause = err
		return e
	case pgerrcode.ForeignKeyViolation, pgerrcode.CheckViolation, pgerrcode.NotNullViolation,
		pgerrcode.InvalidTextRepresentation, pgerrcode.NumericValueOutOfRange, pgerrcode.StringDataRightTruncationDataException:
		e := apperr.Invalid(apperr.T("Data tidak valid.", "Invalid input."))
		e.Cause = err
		return e
	case pgerrcode.CharacterNotInRepertoire, pgerrcode.UntranslatableCharacter:
		// A NUL or an invalid byte in text a validator did not check.
		e := apperr.Invalid(apperr.T("Teks berisi karakter yang tidak bisa disimpan.", "The text holds a character that cannot be stored."))
		e.Cause = err
		return e
	case pgerrcode.InsufficientPrivilege:
		e := apperr.NotFound()
		e.Cause = err
		return e
	case pgerrcode.SerializationFailure, pgerrcode.DeadlockDetected, pgerrcode.LockNotAvailable:
		e := apperr.Conflict(apperr.T("Data sedang diubah bersamaan. Coba lagi.", "The data is being changed concurrently. Try again."), "")
		e.Cause = err
		return e
	}
	return err
}

// IsUniqueViolation reports whether err is a unique violation on constraint
// (any constraint when constraint is "").
func IsUniqueViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == pgerrcode.UniqueViolation &&
		(constraint == "" || pgErr.ConstraintName == constraint)
}
