package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sentra-id/sentra/internal/pgembed"
)

// runMainEnv makes the test binary run the command itself (see TestMain),
// so a test can start `sentra demo` as its own process, from a folder of its
// choosing, read what it logs and stop it with a signal.
const runMainEnv = "SENTRA_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestDemoAsRootFromClosedFolder: root starts the demo from a folder the
// postgres OS user cannot enter (a checkout under /root, mode 700). The
// cluster goes to /var/lib/sentra/<hash>, owned by postgres with mode 700,
// the log says so in one line, the demo works, and a second run finds the
// same cluster with its data. Stopping leaves no server behind.
func TestDemoAsRootFromClosedFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster twice")
	}
	if os.Geteuid() != 0 {
		t.Skip("the trap is root's: as another user the cluster runs as that user, who can enter its own folders")
	}
	pgUser, err := user.Lookup("postgres")
	if err != nil {
		t.Skip("no postgres OS user to run the cluster as")
	}
	checkout, err := os.MkdirTemp("", "sentra-root-checkout-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(checkout) })
	if err := os.Chmod(checkout, 0o700); err != nil {
		t.Fatal(err)
	}
	want := pgembed.FallbackDir(demoRootFallback, filepath.Join(checkout, ".sentra", "postgres"))
	_, err = os.Stat(demoRootFallback)
	fallbackExisted := err == nil
	t.Cleanup(func() {
		os.RemoveAll(want)
		if !fallbackExisted {
			os.Remove(demoRootFallback) // only if empty: another run may be using it
		}
	})

	for run := 1; run <= 2; run++ {
		port := freePort(t)
		base := fmt.Sprintf("http://127.0.0.1:%d", port)
		logPath := filepath.Join(t.TempDir(), "stderr")
		logFile, err := os.Create(logPath)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(os.Args[0], "demo", "--addr", fmt.Sprintf("127.0.0.1:%d", port), "--sample", "0")
		cmd.Dir = checkout
		cmd.Env = append(os.Environ(), runMainEnv+"=1", "DATABASE_URL=", "SENTRA_OWNER_DATABASE_URL=", "SENTRA_DATA_DIR=",
			"SENTRA_DEMO_PASSWORD=", "SENTRA_LOG_FORMAT=json", "SENTRA_LOG_LEVEL=warn")
		cmd.Stdout, cmd.Stderr = logFile, logFile
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done, exited := make(chan error, 1), make(chan struct{})
		go func() {
			err := cmd.Wait()
			logFile.Close()
			done <- err
			close(exited)
		}()
		t.Cleanup(func() { // a failed run leaves no demo behind
			_ = cmd.Process.Kill()
			<-exited
		})
		waitReady(t, base, done, logPath)

		fi, err := os.Stat(want)
		if err != nil {
			t.Fatalf("run %d: cluster folder: %v", run, err)
		}
		st := fi.Sys().(*syscall.Stat_t)
		if strconv.Itoa(int(st.Uid)) != pgUser.Uid || fi.Mode().Perm() != 0o700 {
			t.Errorf("run %d: %s is owned by uid %d with mode %o, want postgres (%s) and 700", run, want, st.Uid, fi.Mode().Perm(), pgUser.Uid)
		}
		if _, err := os.Stat(filepath.Join(checkout, ".sentra", "postgres")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("run %d: a cluster folder was made in the checkout too: %v", run, err)
		}
		pid := postmasterPID(t, filepath.Join(want, "data"))

		admin := login(t, base, "admin@depok.demo")
		if run == 1 {
			status, _ := call(t, http.MethodPost, base+"/v1/tenants/depok/users", admin, map[string]any{
				"email": "siti@depok.go.id", "name": "Siti Rahmawati", "role": "staf", "password": "kata-sandi-awal-2026"})
			if status != http.StatusCreated {
				t.Fatalf("create user: status %d", status)
			}
		} else if tok := login(t, base, "siti@depok.go.id"); tok == "" {
			t.Fatal("the user created in the first run is gone")
		}

		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("run %d: demo did not stop cleanly: %v\n%s", run, err, readFile(logPath))
			}
		case <-time.After(60 * time.Second):
			t.Fatalf("run %d: demo did not stop within 60s", run)
		}
		if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("run %d: postgres (pid %d) still runs after the demo stopped: %v", run, pid, err)
		}

		var placed []map[string]any
		sc := bufio.NewScanner(strings.NewReader(readFile(logPath)))
		for sc.Scan() {
			var line map[string]any
			if json.Unmarshal(sc.Bytes(), &line) == nil && strings.Contains(fmt.Sprint(line["msg"]), "placed outside the data folder") {
				placed = append(placed, line)
			}
		}
		if len(placed) != 1 {
			t.Fatalf("run %d: %d log lines about the cluster's place, want 1:\n%s", run, len(placed), readFile(logPath))
		}
		// The first run is stopped by the checkout, later ones by .sentra,
		// which the demo made (mode 700) for its key.
		blocked := fmt.Sprint(placed[0]["blocked"])
		if placed[0]["dir"] != want || (blocked != checkout && !strings.HasPrefix(blocked, checkout+"/")) {
			t.Errorf("run %d: log line %v, want dir %s and blocked %s or below", run, placed[0], want, checkout)
		}
	}
}

// waitReady waits for the demo to answer /readyz; on failure it shows what
// the demo wrote to logPath, if it runs as its own process.
func waitReady(t *testing.T, base string, done <-chan error, logPath string) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("demo exited while starting: %v\n%s", err, readFile(logPath))
		default:
		}
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("demo not ready within 90s\n%s", readFile(logPath))
}

// postmasterPID is the running server's process id, from its data folder.
func postmasterPID(t *testing.T, data string) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(data, "postmaster.pid"))
	if err != nil {
		t.Fatalf("no running server in %s: %v", data, err)
	}
	first, _, _ := bytes.Cut(b, []byte("\n"))
	pid, err := strconv.Atoi(string(first))
	if err != nil {
		t.Fatalf("postmaster.pid: %v", err)
	}
	return pid
}

func readFile(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}
