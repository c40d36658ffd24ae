// Package stripemock runs the official stripe-mock server on loopback for
// the tests and the demo, the way internal/pgembed runs PostgreSQL: the
// binary is built once from the Go module proxy into the user's cache
// (STRIPE_MOCK_BIN names one instead) and each Start takes free ports.
// stripe-mock is stateless: it checks request shapes and answers fixtures.
package stripemock

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/sentra-id/sentra/internal/pgembed"
)

// Version matches stripe-go v76 (newer ones refuse some of its calls).
const Version = "v0.185.0"

// Key is a test key the mock accepts.
const Key = "sk_test_123"

const module = "github.com/stripe/stripe-mock"

// Server is a running stripe-mock.
type Server struct {
	URL  string // http://127.0.0.1:port
	cmd  *exec.Cmd
	done chan struct{}
}

var buildMu sync.Mutex

// Binary returns the path of the stripe-mock binary, building it into the
// cache when it is not there yet (go install, from the module proxy).
func Binary(ctx context.Context) (string, error) {
	if p := os.Getenv("STRIPE_MOCK_BIN"); p != "" {
		return p, nil
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "sentra", "stripe-mock-"+Version)
	bin := filepath.Join(dir, "stripe-mock")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("stripe-mock is not built and the go command is not on PATH to build it: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	// Built into a folder of its own, then renamed into place: test
	// binaries running at once never see half a file.
	tmp, err := os.MkdirTemp(dir, "build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, gobin, "install", module+"@"+Version)
	cmd.Env = append(os.Environ(), "GOBIN="+tmp, "GOFLAGS=-mod=mod", "CGO_ENABLED=0")
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go install %s@%s: %w\n%s", module, Version, err, out)
	}
	if err := os.Rename(filepath.Join(tmp, "stripe-mock"), bin); err != nil {
		return "", err
	}
	return bin, nil
}

// Start runs stripe-mock on two free loopback ports (HTTP and HTTPS: it
// listens on every interface for a protocol given no address).
func Start(ctx context.Context) (*Server, error) {
	bin, err := Binary(ctx)
	if err != nil {
		return nil, err
	}
	for try := 0; ; try++ {
		s, err := start(ctx, bin)
		if err == nil || try == 2 {
			return s, err
		}
	}
}

func start(ctx context.Context, bin string) (*Server, error) {
	httpPort, err := pgembed.FreePort()
	if err != nil {
		return nil, err
	}
	httpsPort, err := pgembed.FreePort()
	if err != nil {
		return nil, err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(httpPort))
	cmd := exec.Command(bin, "-http-addr", addr, "-https-addr", net.JoinHostPort("127.0.0.1", strconv.Itoa(httpsPort)))
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start stripe-mock: %w", err)
	}
	s := &Server{URL: "http://" + addr, cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(s.done) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			_ = c.Close()
			return s, nil
		}
		select {
		case <-s.done:
			return nil, errors.New("stripe-mock exited on start (port taken?)")
		case <-ctx.Done():
			s.Stop()
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond): // polling a port, not waiting for an outcome
		}
		if time.Now().After(deadline) {
			s.Stop()
			return nil, errors.New("stripe-mock did not listen within 30 s")
		}
	}
}

// Stop ends the server.
func (s *Server) Stop() {
	if s == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.done
}
