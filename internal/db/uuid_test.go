package db_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/sentra-id/sentra/internal/dbtest"
)

// TestUUIDRoundTrip sends and reads uuid.UUID in every shape the
// application uses: a value, a nil pointer (NULL), an array, and NULL read
// into a pointer, and checks the text PostgreSQL sees.
func TestUUIDRoundTrip(t *testing.T) {
	env := dbtest.New(t)
	id, other := uuid.Must(uuid.NewV7()), uuid.New()
	var (
		got     uuid.UUID
		text    string
		null    *uuid.UUID
		nilArg  = true
		arr     []uuid.UUID
		kept    = other
		ptrBack *uuid.UUID
	)
	err := env.DB.Pool.QueryRow(t.Context(), `select $1::uuid, $1::uuid::text, $2::uuid, $2::uuid is null, $3::uuid[], null::uuid, $4::uuid`,
		id, (*uuid.UUID)(nil), []uuid.UUID{id, other}, &other).
		Scan(&got, &text, &null, &nilArg, &arr, &kept, &ptrBack)
	if err != nil {
		t.Fatal(err)
	}
	if got != id || text != id.String() {
		t.Errorf("uuid read back as %v (text %q), want %v", got, text, id)
	}
	if null != nil || !nilArg {
		t.Errorf("nil *uuid.UUID: sent as NULL %v, read back %v", nilArg, null)
	}
	if len(arr) != 2 || arr[0] != id || arr[1] != other {
		t.Errorf("uuid[] read back as %v", arr)
	}
	if kept != other {
		t.Errorf("NULL into uuid.UUID changed it to %v; uuid.UUID's own Scan leaves it", kept)
	}
	if ptrBack == nil || *ptrBack != other {
		t.Errorf("*uuid.UUID read back as %v", ptrBack)
	}
}

// TestUUIDEncodeCost guards the binary path: encoding an id costs no
// allocation beyond the buffer, where the database/sql path cost a dozen.
func TestUUIDEncodeCost(t *testing.T) {
	env := dbtest.New(t)
	conn, err := env.DB.Pool.Acquire(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	m := conn.Conn().TypeMap()
	id := uuid.New()
	buf := make([]byte, 0, 64)
	var back uuid.UUID
	allocs := testing.AllocsPerRun(100, func() {
		b, err := m.Encode(pgtype.UUIDOID, pgx.BinaryFormatCode, id, buf[:0])
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Scan(pgtype.UUIDOID, pgx.BinaryFormatCode, b, &back); err != nil {
			t.Fatal(err)
		}
	})
	if back != id {
		t.Fatalf("round trip through the type map gave %v, want %v", back, id)
	}
	if allocs > 1 {
		t.Errorf("encoding and scanning a uuid.UUID cost %.0f allocations, want at most 1", allocs)
	}
}
