// Package apperr defines the error kinds the domain speaks in. One map in the
// HTTP layer turns them into problem+json; nothing else decides status codes.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies an error by what the caller can do about it.
type Kind int

const (
	KindInternal             Kind = iota // a fault of ours: logged, never shown
	KindInvalid                          // the input is wrong (422)
	KindNotFound                         // absent or out of the caller's scope (404)
	KindConflict                         // clashes with existing data (409)
	KindForbidden                        // known caller, not allowed (403)
	KindUnauthenticated                  // no or bad credentials (401)
	KindPreconditionFailed               // stale If-Match (412)
	KindPreconditionRequired             // missing If-Match (428)
	KindTooManyRequests                  // throttled (429)
	KindUnavailable                      // a dependency is down (503)
	KindReadOnly                         // the office may read but not write: its subscription (402)
)

// Text is a message for people, in Bahasa Indonesia and English. Staff read
// Indonesian by default; Accept-Language: en picks English.
type Text struct {
	ID string
	EN string
}

// T builds a Text.
func T(id, en string) Text { return Text{ID: id, EN: en} }

// In returns the text in the given language ("en" or anything else for Indonesian).
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" {
		return t.EN
	}
	return t.ID
}

// Field is one problem with one input field, e.g. Location "body.nik".
type Field struct {
	Location string
	Message  Text
	Value    any
}

// Error is a domain error with a kind, a message for people and the fields at
// fault. Cause is for the log only.
type Error struct {
	Kind       Kind
	Message    Text
	Fields     []Field
	RetryAfter time.Duration // for KindTooManyRequests
	Existing   string        // for KindConflict: a pointer (path) to the existing record
	Code       string        // a stable code for programs, e.g. tenant_read_only
	Cause      error
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%s: %v", e.Message.EN, e.Cause)
	}
	return e.Message.EN
}

func (e *Error) Unwrap() error { return e.Cause }

// KindOf reports the kind of err, KindInternal for errors that are not *Error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// As returns the *Error inside err, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Invalid reports bad input; fields name what is wrong.
func Invalid(msg Text, fields ...Field) *Error {
	return &Error{Kind: KindInvalid, Message: msg, Fields: fields}
}

// InvalidField is Invalid for a single field.
func InvalidField(location string, value any, msg Text) *Error {
	return Invalid(T("Data tidak valid.", "Invalid input."), Field{Location: location, Message: msg, Value: value})
}

var notFoundText = T("Data tidak ditemukan.", "Not found.")

// NotFound is the one answer for "absent" and "outside your scope": they must
// look the same so nobody learns what exists elsewhere.
func NotFound() *Error { return &Error{Kind: KindNotFound, Message: notFoundText} }

// Conflict reports a clash with existing data; existing points to it.
func Conflict(msg Text, existing string) *Error {
	return &Error{Kind: KindConflict, Message: msg, Existing: existing}
}

// Forbidden reports a known caller without the permission.
func Forbidden() *Error {
	return &Error{Kind: KindForbidden, Message: T("Anda tidak memiliki izin untuk tindakan ini.", "You are not allowed to do this.")}
}

// Unauthenticated reports missing or bad credentials.
func Unauthenticated(msg Text) *Error { return &Error{Kind: KindUnauthenticated, Message: msg} }

// PreconditionFailed reports a stale version.
func PreconditionFailed() *Error {
	return &Error{Kind: KindPreconditionFailed, Message: T(
		"Data sudah diubah oleh orang lain. Muat ulang lalu coba lagi.",
		"The record was changed by someone else. Reload and try again.")}
}

// PreconditionRequired reports a missing If-Match.
func PreconditionRequired() *Error {
	return &Error{Kind: KindPreconditionRequired, Message: T(
		"Header If-Match wajib diisi dengan ETag terakhir.",
		"The If-Match header with the latest ETag is required.")}
}

// TooManyRequests reports throttling with the wait before a retry.
func TooManyRequests(msg Text, retryAfter time.Duration) *Error {
	return &Error{Kind: KindTooManyRequests, Message: msg, RetryAfter: retryAfter}
}

// ReadOnly refuses a write of an office whose state allows only reads;
// msg says why and what to do.
func ReadOnly(msg Text) *Error {
	return &Error{Kind: KindReadOnly, Message: msg, Code: "tenant_read_only"}
}

// Unavailable reports a dependency that is down.
func Unavailable(cause error) *Error {
	return &Error{Kind: KindUnavailable, Message: T("Layanan sedang tidak tersedia. Coba lagi sebentar.", "Service unavailable. Try again shortly."), Cause: cause}
}
