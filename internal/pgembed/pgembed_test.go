package pgembed

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
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

// TestTraversable: only the permission class that applies to the server
// user counts, as the kernel decides it: a folder of its own with mode 700
// is open to it, root's with mode 770 is not when it is not in the group.
func TestTraversable(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give folders to other users")
	}
	server := &syscall.Credential{Uid: 4242, Gid: 4242}
	for _, tc := range []struct {
		name     string
		uid, gid int
		mode     os.FileMode
		want     bool
	}{
		{"its own, 700", 4242, 4242, 0o700, true},
		{"its own, 077", 4242, 4242, 0o077, false},
		{"its group, 070", 0, 4242, 0o070, true},
		{"its group, 707", 0, 4242, 0o707, false},
		{"root's, 711", 0, 0, 0o711, true},
		{"root's, 770", 0, 0, 0o770, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := t.TempDir()
			if err := os.Chown(d, tc.uid, tc.gid); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(d, tc.mode); err != nil {
				t.Fatal(err)
			}
			fi, err := os.Stat(d)
			if err != nil {
				t.Fatal(err)
			}
			if got := traversable(fi, server); got != tc.want {
				t.Errorf("traversable = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestFallbackDirIsStable: the same data folder always maps to the same
// place, another folder to another.
func TestFallbackDirIsStable(t *testing.T) {
	a := FallbackDir("/var/lib/sentra", "/root/sentra/.sentra/postgres")
	if a != FallbackDir("/var/lib/sentra", "/root/sentra/.sentra/postgres") {
		t.Fatal("FallbackDir is not stable")
	}
	if a == FallbackDir("/var/lib/sentra", "/root/lain/.sentra/postgres") {
		t.Fatal("two data folders share a fallback")
	}
	if filepath.Dir(a) != "/var/lib/sentra" || len(filepath.Base(a)) != 12 {
		t.Fatalf("FallbackDir = %s", a)
	}
}
