package pgembed

import (
	"errors"
	"strings"
	"testing"
)

func TestMissingServerExplainsWhatToInstall(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	old := serverBinGlob
	serverBinGlob = t.TempDir() + "/*/bin"
	t.Cleanup(func() { serverBinGlob = old })

	_, err := Start(t.Context(), Options{Dir: t.TempDir()})
	if !errors.Is(err, ErrNoServer) {
		t.Fatalf("Start without server binaries: %v, want ErrNoServer", err)
	}
	for _, want := range []string{"apt-get install postgresql", "DATABASE_URL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message does not mention %q:\n%s", want, err)
		}
	}
}

func TestFindsNewestServer(t *testing.T) {
	dir, err := findBinaries()
	if err != nil {
		t.Skipf("no PostgreSQL server here: %v", err)
	}
	if !strings.HasSuffix(dir, "bin") {
		t.Fatalf("findBinaries() = %q", dir)
	}
}
