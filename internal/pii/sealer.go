package pii

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"sync"

	"github.com/google/uuid"
)

// Sealer protects identifiers at rest. A NIK is stored twice, neither in the
// clear: a keyed hash (HMAC-SHA256, per tenant) to match duplicates with an
// index, and an AES-GCM ciphertext bound to its tenant for the few roles and
// exports that need the full value. A database dump alone reveals no NIK.
type Sealer struct {
	aead    cipher.AEAD
	hashKey []byte
	signKey []byte
	hashes  sync.Pool // of keyed HMACs: keying one costs as much as hashing a NIK
}

// KeySize is the size of the data key in bytes.
const KeySize = 32

// NewSealer derives the encryption and hashing keys from one data key.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("data key must be %d bytes, got %d", KeySize, len(key))
	}
	derive := func(label string) []byte {
		m := hmac.New(sha256.New, key)
		m.Write([]byte("sentra/" + label))
		return m.Sum(nil)
	}
	block, err := aes.NewCipher(derive("seal"))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead, hashKey: derive("match"), signKey: derive("sign")}, nil
}

// Sign is an HMAC-SHA256 of msg for purpose, under a key derived from the
// data key: for links only this server can make and checks without
// storing them (an office's export bundle). The purpose keeps a signature
// made for one use from passing for another.
func (s *Sealer) Sign(purpose string, msg []byte) []byte {
	m := hmac.New(sha256.New, s.signKey)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write(msg)
	return m.Sum(nil)
}

// ParseKey decodes a base64 data key (SENTRA_DATA_KEY).
func ParseKey(s string) ([]byte, error) {
	k, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, errors.New("data key: not base64")
	}
	if len(k) != KeySize {
		return nil, fmt.Errorf("data key: want %d bytes, got %d", KeySize, len(k))
	}
	return k, nil
}

// NewKey returns a fresh random data key, base64.
func NewKey() string {
	k := make([]byte, KeySize)
	_, _ = rand.Read(k)
	return base64.StdEncoding.EncodeToString(k)
}

// Hash is the matching key of value within a tenant.
func (s *Sealer) Hash(tenant uuid.UUID, value string) []byte {
	m, ok := s.hashes.Get().(hash.Hash)
	if !ok {
		m = hmac.New(sha256.New, s.hashKey)
	}
	m.Reset()
	m.Write(tenant[:])
	m.Write([]byte(value))
	sum := m.Sum(nil)
	s.hashes.Put(m)
	return sum
}

// Seal encrypts value for tenant.
func (s *Sealer) Seal(tenant uuid.UUID, value string) []byte {
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(value)+s.aead.Overhead())
	_, _ = rand.Read(nonce)
	return s.aead.Seal(nonce, nonce, []byte(value), tenant[:])
}

// Open decrypts what Seal produced for the same tenant.
func (s *Sealer) Open(tenant uuid.UUID, sealed []byte) (string, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n {
		return "", errors.New("sealed value too short")
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], tenant[:])
	if err != nil {
		return "", errors.New("sealed value does not open with this key and tenant")
	}
	return string(plain), nil
}
