package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/validation"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/pii"
)

// Problem is an RFC 9457 problem+json body.
type Problem struct {
	huma.ErrorModel
	// Existing points at the record a conflict is about (e.g. a duplicate).
	Existing string `json:"existing,omitempty" doc:"Path of the existing record this request conflicts with."`
	// Code names a problem programs act on (tenant_read_only).
	Code    string      `json:"code,omitempty" doc:"A stable code for programs: tenant_read_only when the office's subscription allows reads only."`
	headers http.Header `json:"-"`
}

// GetHeaders lets Huma send Retry-After and friends.
func (p *Problem) GetHeaders() http.Header { return p.headers }

// newProblem replaces huma.NewErrorWithContext: every error Huma or a handler
// produces passes here, so this is the one place that maps domain errors to
// statuses, translates messages and keeps internal text out of 5xx bodies.
func newProblem(hctx huma.Context, status int, msg string, errs ...error) huma.StatusError {
	lang := languageOf(hctx)
	ctx := context.Background()
	if hctx != nil {
		ctx = hctx.Context()
	}
	if status == http.StatusInternalServerError && len(errs) == 1 {
		return toProblem(ctx, lang, errs[0])
	}
	if status >= 500 {
		return internalProblem(ctx, lang, status, fmt.Errorf("%s: %w", msg, errors.Join(errs...)))
	}
	p := &Problem{ErrorModel: huma.ErrorModel{Status: status, Title: http.StatusText(status), Detail: translate(msg, lang)}}
	for _, err := range errs {
		var d *huma.ErrorDetail
		if !errors.As(err, &d) {
			d = &huma.ErrorDetail{Message: err.Error()}
		}
		loc := d.Location
		if m := requiredProperty.FindStringSubmatch(d.Message); m != nil {
			loc += "." + m[1] // name the missing field itself
		}
		value := d.Value
		if m := decoderField.FindStringSubmatch(d.Message); m != nil && loc == "body" {
			// A value the schema let through but Go cannot hold. Huma's
			// value here is the whole body (NIK and all): not echoed.
			loc, value = loc+"."+m[1], nil
		}
		d = &huma.ErrorDetail{Location: loc, Message: translate(d.Message, lang), Value: echoable(loc, value)}
		if d.Location == "body" && status == http.StatusBadRequest {
			d.Message = apperr.T("Isi permintaan bukan JSON yang valid.", "The request body is not valid JSON.").In(lang)
			p.Detail = d.Message
		}
		p.Errors = append(p.Errors, d)
	}
	if status == http.StatusUnprocessableEntity && len(p.Errors) > 0 {
		p.Detail = apperr.T("Data tidak valid. Periksa isian yang disebutkan.", "Invalid input. Check the fields listed.").In(lang)
	}
	return p
}

// toProblem maps an error returned by a handler: a domain error to its
// status, anything else to a 500 whose cause is logged and never shown.
func toProblem(ctx context.Context, lang string, err error) *Problem {
	if p, ok := err.(*Problem); ok {
		return p
	}
	ae, ok := apperr.As(db.MapError(err))
	if !ok || ae.Kind == apperr.KindInternal {
		return internalProblem(ctx, lang, http.StatusInternalServerError, err)
	}
	if ae.Cause != nil {
		loggerFrom(ctx).DebugContext(ctx, "request refused", "status_kind", int(ae.Kind), "cause", ae.Cause)
	}
	return fromAppErr(ae, lang)
}

func internalProblem(ctx context.Context, lang string, status int, err error) *Problem {
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		// The client went away (or the server is shutting down): nothing of
		// ours failed, and nobody reads the answer.
		loggerFrom(ctx).InfoContext(ctx, "request canceled", "error", err)
	} else {
		loggerFrom(ctx).ErrorContext(ctx, "internal error", "status", status, "error", err)
	}
	return &Problem{ErrorModel: huma.ErrorModel{Status: status, Title: http.StatusText(status),
		Detail: apperr.T("Terjadi kesalahan di server. Kesalahan sudah dicatat; coba lagi sebentar lagi.",
			"Something went wrong on our side. It has been logged; please try again shortly.").In(lang)}}
}

var requiredProperty = regexp.MustCompile(`^expected required property (\S+) to be present$`)

// echoable returns the value to show back with a field error: only a scalar,
// and never a secret or personal datum. Huma would echo whole bodies
// (passwords included) for errors about an object.
func echoable(location string, v any) any {
	switch v.(type) {
	case string, bool, float64, int, int64, nil:
	default:
		return nil
	}
	if location == "body" {
		// The raw text of a body that is not valid JSON (passwords included).
		return nil
	}
	name := location[strings.LastIndexAny(location, ".[")+1:]
	if strings.Contains(name, "password") || strings.Contains(name, "token") || pii.FieldKind(name) != pii.None {
		return nil
	}
	return v
}

func fromAppErr(e *apperr.Error, lang string) *Problem {
	status := map[apperr.Kind]int{
		apperr.KindInvalid:              http.StatusUnprocessableEntity,
		apperr.KindNotFound:             http.StatusNotFound,
		apperr.KindConflict:             http.StatusConflict,
		apperr.KindForbidden:            http.StatusForbidden,
		apperr.KindUnauthenticated:      http.StatusUnauthorized,
		apperr.KindPreconditionFailed:   http.StatusPreconditionFailed,
		apperr.KindPreconditionRequired: http.StatusPreconditionRequired,
		apperr.KindTooManyRequests:      http.StatusTooManyRequests,
		apperr.KindUnavailable:          http.StatusServiceUnavailable,
		apperr.KindReadOnly:             http.StatusPaymentRequired,
	}[e.Kind]
	p := &Problem{ErrorModel: huma.ErrorModel{Status: status, Title: http.StatusText(status), Detail: e.Message.In(lang)}, Existing: e.Existing, Code: e.Code}
	for _, f := range e.Fields {
		p.Errors = append(p.Errors, &huma.ErrorDetail{Location: f.Location, Message: f.Message.In(lang), Value: f.Value})
	}
	switch e.Kind {
	case apperr.KindTooManyRequests:
		secs := int(e.RetryAfter.Seconds() + 0.999)
		p.headers = http.Header{"Retry-After": {strconv.Itoa(max(secs, 1))}}
	case apperr.KindUnauthenticated:
		p.headers = http.Header{"Www-Authenticate": {`Bearer realm="sentra"`}}
	}
	return p
}

func languageOf(hctx huma.Context) string {
	if hctx == nil {
		return "id"
	}
	return language(hctx.Header("Accept-Language"))
}

// language picks Indonesian unless the client prefers English.
func language(acceptLanguage string) string {
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		switch {
		case tag == "en" || strings.HasPrefix(tag, "en-"):
			return "en"
		case tag == "id" || strings.HasPrefix(tag, "id-"):
			return "id"
		}
	}
	return "id"
}

// decoderField finds the field in encoding/json's "cannot unmarshal ...
// into Go struct field Input.tahun_mulai of type int".
var decoderField = regexp.MustCompile(`^json: cannot unmarshal .* into Go struct field [^.\s]+\.(\S+) of type`)

// Huma's messages are English format strings; these are their Indonesian
// versions, matched by turning each format into a pattern.
var huma2id = []struct{ en, id string }{
	{validation.MsgUnexpectedProperty, "isian ini tidak dikenal"},
	{validation.MsgExpectedRequiredProperty, "isian %s wajib diisi"},
	{validation.MsgExpectedDependentRequiredProperty, "isian %s wajib diisi bila %s diisi"},
	{validation.MsgExpectedBoolean, "harus berupa true atau false"},
	{validation.MsgExpectedNumber, "harus berupa angka"},
	{validation.MsgExpectedInteger, "harus berupa bilangan bulat"},
	{validation.MsgExpectedString, "harus berupa teks"},
	{validation.MsgExpectedArray, "harus berupa daftar"},
	{validation.MsgExpectedObject, "harus berupa objek"},
	{validation.MsgExpectedOneOf, "harus salah satu dari \"%s\""},
	{validation.MsgExpectedMinimumNumber, "harus ≥ %s"},
	{validation.MsgExpectedExclusiveMinimumNumber, "harus > %s"},
	{validation.MsgExpectedMaximumNumber, "harus ≤ %s"},
	{validation.MsgExpectedExclusiveMaximumNumber, "harus < %s"},
	{validation.MsgExpectedMinLength, "panjang minimal %s"},
	{validation.MsgExpectedMaxLength, "panjang maksimal %s"},
	{validation.MsgExpectedMinItems, "jumlah minimal %s"},
	{validation.MsgExpectedMaxItems, "jumlah maksimal %s"},
	{validation.MsgExpectedMatchPattern, "format tidak sesuai (pola %s)"},
	{validation.MsgExpectedRFC3339DateTime, "harus berupa waktu RFC 3339, mis. 2026-01-31T08:00:00Z"},
	{validation.MsgExpectedRFC3339Date, "harus berupa tanggal YYYY-MM-DD"},
	{"validation failed", "Data tidak valid. Periksa isian yang disebutkan."},
	{"request body is required", "Isi permintaan wajib ada."},
	{"request body is too large limit=%d bytes", "Isi permintaan terlalu besar (batas %s byte)."},
	{"request body read timeout", "Isi permintaan terlalu lama dikirim."},
	{"unknown query parameter", "parameter ini tidak dikenal"},
	{"required %s parameter is missing", "parameter %s wajib diisi"},
	{"expected at most one value, but received multiple values", "hanya boleh satu nilai"},
	{"invalid float", "harus berupa angka"},
	{"invalid integer", "harus berupa bilangan bulat"},
	{"invalid boolean", "harus berupa true atau false"},
	{"unable to marshal response", "Format jawaban yang diminta tidak didukung."},
}

// plainMessage replaces a message that ends in a library's own error text
// ("invalid UUID length: 3"), which is not for staff, in either language.
type plainMessage struct {
	prefix *regexp.Regexp
	en, id string
}

var withoutDetail = func() []plainMessage {
	prefix := func(format string) *regexp.Regexp {
		head, _, _ := strings.Cut(format, "%")
		return regexp.MustCompile("^" + regexp.QuoteMeta(head))
	}
	return []plainMessage{
		{prefix(validation.MsgExpectedRFC4122UUID), "expected a UUID", "harus berupa UUID yang valid"},
		{prefix(validation.MsgExpectedRFC5322Email), "expected an e-mail address", "harus berupa alamat email yang valid"},
		{prefix("invalid value: %v"), "invalid value", "nilai tidak valid"},
		{prefix("json: cannot unmarshal"), "a value of the wrong type or too large", "jenis nilai salah atau terlalu besar"},
	}
}()

var translations = func() []struct {
	re *regexp.Regexp
	id string
} {
	verb := regexp.MustCompile(`%[vsd]`)
	out := make([]struct {
		re *regexp.Regexp
		id string
	}, len(huma2id))
	for i, t := range huma2id {
		parts := verb.Split(t.en, -1)
		for j := range parts {
			parts[j] = regexp.QuoteMeta(parts[j])
		}
		out[i].re = regexp.MustCompile("^" + strings.Join(parts, "(.*)") + "$")
		out[i].id = verb.ReplaceAllString(t.id, "%s")
	}
	return out
}()

func translate(msg, lang string) string {
	for _, t := range withoutDetail {
		if t.prefix.MatchString(msg) {
			if lang == "en" {
				return t.en
			}
			return t.id
		}
	}
	if lang == "en" {
		return msg
	}
	for _, t := range translations {
		if m := t.re.FindStringSubmatch(msg); m != nil {
			args := make([]any, len(m)-1)
			for i := range args {
				args[i] = m[i+1]
			}
			return fmt.Sprintf(t.id, args...)
		}
	}
	return msg
}

type loggerKey struct{}

func withLogger(ctx context.Context, l *slog.Logger) context.Context {
	return context.WithValue(ctx, loggerKey{}, l)
}

func loggerFrom(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(loggerKey{}).(*slog.Logger); ok {
		return l
	}
	return slog.New(slog.DiscardHandler)
}

// Describe renders a domain error as one line for a terminal (the CLI), or
// "" for an internal error.
func Describe(err error) string {
	ae, ok := apperr.As(err)
	if !ok || ae.Kind == apperr.KindInternal {
		return ""
	}
	parts := []string{ae.Message.In("en")}
	for _, f := range ae.Fields {
		parts = append(parts, f.Location+": "+f.Message.In("en"))
	}
	return strings.Join(parts, "; ")
}
