package bundel

import (
	"context"
	"crypto/hmac"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
)

// The download link: whoever holds it downloads the bundle without
// signing in (an office's admin hands it to whoever archives the data),
// so it names one bundle of one office, expires, and is signed with a key
// only the server has. Nothing of it is stored: a link is checked by
// signing its contents again.

// LinkTTL is how long a link is valid.
const LinkTTL = 7 * 24 * time.Hour

// DownloadPath is the public download path of a token of the office of
// slug (the API's download-bundel).
func DownloadPath(slug, token string) string { return "/v1/public/" + slug + "/bundel/" + token }

// signPurpose separates the bundle's signatures from any other use of
// the signing key.
const signPurpose = "bundel/unduh/v1"

// payloadSize: tenant id, bundle id, expiry (Unix seconds).
const payloadSize = 16 + 16 + 8

// TokenLen is the length of a token in characters (the path parameter's
// bound).
var TokenLen = base64.RawURLEncoding.EncodedLen(payloadSize + 32)

// Link is the download path of bundle id of the office (tenantID, slug),
// valid until until.
func (s *Service) Link(tenantID uuid.UUID, slug string, id uuid.UUID, until time.Time) string {
	return DownloadPath(slug, s.sign(tenantID, id, until))
}

func (s *Service) sign(tenantID, id uuid.UUID, until time.Time) string {
	b := make([]byte, payloadSize, payloadSize+32)
	copy(b, tenantID[:])
	copy(b[16:], id[:])
	binary.BigEndian.PutUint64(b[32:], uint64(until.Unix()))
	return base64.RawURLEncoding.EncodeToString(append(b, s.Sealer.Sign(signPurpose, b)...))
}

// ErrLinkExpired answers a genuine link past its expiry.
var ErrLinkExpired = &apperr.Error{Kind: apperr.KindForbidden, Code: "tautan_kedaluwarsa", Message: apperr.T(
	"Tautan unduhan ini sudah kedaluwarsa. Minta tautan baru kepada admin kantor atau admin platform Sentra.",
	"This download link has expired. Ask the office's admin or Sentra's platform admin for a new one.")}

// verify reads a token: a link that is not one of ours (mistyped, cut,
// altered) is not found, as a bundle that does not exist; a genuine one
// past its expiry is refused as expired.
func (s *Service) verify(token string, now time.Time) (tenantID, id uuid.UUID, err error) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) != payloadSize+32 {
		return uuid.Nil, uuid.Nil, errNotMade
	}
	if !hmac.Equal(raw[payloadSize:], s.Sealer.Sign(signPurpose, raw[:payloadSize])) {
		return uuid.Nil, uuid.Nil, errNotMade
	}
	copy(tenantID[:], raw[:16])
	copy(id[:], raw[16:32])
	if until := time.Unix(int64(binary.BigEndian.Uint64(raw[32:payloadSize])), 0); !now.Before(until) {
		return uuid.Nil, uuid.Nil, ErrLinkExpired
	}
	return tenantID, id, nil
}

// Unduhan is a bundle a valid link opened.
type Unduhan struct {
	Hasil
	tenantID, id uuid.UUID
}

// Buka opens the bundle a link of the office officeID (its path's, not
// archived) names, if the link is genuine, valid, of that office, and the
// bundle made. Another office's bundle id, under a genuine link of this
// office, is not found: row-level security hides it.
func (s *Service) Buka(ctx context.Context, officeID uuid.UUID, token string) (Unduhan, error) {
	tenantID, id, err := s.verify(token, s.Now())
	if err != nil {
		return Unduhan{}, err
	}
	if tenantID != officeID {
		return Unduhan{}, errNotMade
	}
	u := Unduhan{tenantID: tenantID, id: id}
	err = s.DB.ReadTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		u.Hasil, err = made(ctx, tx, id)
		return err
	})
	return u, err
}

// Salin writes the bundle to w, one piece at a time, each read in a short
// transaction of its own: a slow download holds no transaction open.
func (s *Service) Salin(ctx context.Context, u Unduhan, w io.Writer) error {
	var written int64
	for no := range u.Potongan {
		var piece []byte
		err := s.DB.ReadTenantTx(ctx, u.tenantID, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `select isi from bundel_potongan where pekerjaan_id = $1 and no = $2`, u.id, no).Scan(&piece)
		})
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("bundle %s: piece %d is gone (purged during the download?)", u.id, no)
		}
		if err != nil {
			return fmt.Errorf("bundle %s piece %d: %w", u.id, no, err)
		}
		n, err := w.Write(piece)
		written += int64(n)
		if err != nil {
			return err
		}
	}
	if written != u.Ukuran {
		return fmt.Errorf("bundle %s: %d bytes written, %d recorded", u.id, written, u.Ukuran)
	}
	return nil
}
