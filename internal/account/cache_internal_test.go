package account

import (
	"crypto/sha256"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/tenancy"
)

// TestSessionCacheRefusesAReadOlderThanAChange: a principal read from the
// database before a change is heard must not be stored after it.
func TestSessionCacheRefusesAReadOlderThanAChange(t *testing.T) {
	c := NewSessionCache(nil)
	c.listening.Store(true)
	c.fresh.Store(time.Now().UnixNano())
	hash := sha256.Sum256([]byte("token"))
	now := time.Now()
	p := &tenancy.Principal{UserID: uuid.New()}

	gen, ok := c.generation()
	if !ok {
		t.Fatal("generation: not listening")
	}
	c.Invalidate() // the revocation is heard while the read is in flight
	c.store(hash[:], gen, p, now.Add(time.Minute))
	if _, hit := c.lookup(hash[:], now); hit {
		t.Fatal("a principal read before the change was served after it")
	}

	gen, _ = c.generation()
	c.store(hash[:], gen, p, now.Add(time.Minute))
	got, hit := c.lookup(hash[:], now)
	if !hit || got.UserID != p.UserID {
		t.Fatalf("lookup after a clean read: %v %v, want the principal", got, hit)
	}
	c.Invalidate()
	if _, hit := c.lookup(hash[:], now); hit {
		t.Fatal("an entry survived Invalidate")
	}
}
