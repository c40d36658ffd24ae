package db

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

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
	if IsUnavailable(err) {
		return apperr.Unavailable(err)
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

// IsUnavailable reports whether err says the database cannot be reached or
// dropped the connection (restarting, shutting down, the backend
// terminated, the network gone), or ran out of time on a statement: the
// work may succeed when tried again shortly, so callers answer 503.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code == pgerrcode.QueryCanceled || pgErr.Code == pgerrcode.IdleInTransactionSessionTimeout) {
		return true
	}
	return IsServerAway(err)
}

// IsServerAway reports whether err says the server cannot be reached or
// dropped the connection (restarting, shutting down, the backend
// terminated, the network gone): nothing about the work itself.
func IsServerAway(err error) bool {
	if err == nil {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return strings.HasPrefix(pgErr.Code, "08") || // connection exception
			pgErr.Code == pgerrcode.AdminShutdown || pgErr.Code == pgerrcode.CrashShutdown ||
			pgErr.Code == pgerrcode.CannotConnectNow || pgErr.Code == pgerrcode.TooManyConnections
	}
	return connectionLost(err)
}

// connectionLost: no answer from the server at all.
func connectionLost(err error) bool {
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	return errors.As(err, &connectErr) || errors.As(err, &netErr) || errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.EPIPE) || pgconn.SafeToRetry(err) || isClosedConn(err)
}

// isClosedConn: pgx reports a connection it closed after a fatal error
// (a terminated backend) by text only.
func isClosedConn(err error) bool {
	return strings.Contains(err.Error(), "conn closed")
}

// retryable reports whether a transaction that failed before any of its
// work ran may simply be begun again on another connection: the pool
// discards the broken one.
func retryable(ctx context.Context, err error) bool {
	return ctx.Err() == nil && IsUnavailable(err) && !errors.Is(err, context.DeadlineExceeded)
}
