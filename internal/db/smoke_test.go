package db_test

import (
	"context"
	"testing"

	"github.com/sentra-id/sentra/internal/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestSmoke(t *testing.T) {
	env := dbtest.New(t)
	if err := env.DB.CheckMigrated(context.Background()); err != nil {
		t.Fatal(err)
	}
}
