package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// PostgresCPU is the CPU seconds the server has used: its postmaster, the
// backends and workers it has reaped (counted in the postmaster's
// children's time) and those still running, plus those of servers before a
// restart. It tells PostgreSQL's share of a run from anything else on the
// machine. -1 when /proc cannot be read.
func (e *Env) PostgresCPU(ctx context.Context) float64 {
	conn, err := pgx.Connect(ctx, e.AdminURL)
	if err != nil {
		return -1
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var backend int
	if err := conn.QueryRow(ctx, "select pg_backend_pid()").Scan(&backend); err != nil {
		return -1
	}
	f, ok := procStat(backend)
	if !ok {
		return -1
	}
	postmaster, _ := strconv.Atoi(f[ppid])
	pm, ok := procStat(postmaster)
	if !ok {
		return -1
	}
	total := ticks(pm, utime, stime, cutime, cstime)
	paths, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range paths {
		pid, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(p, "/proc/"), "/stat"))
		if c, ok := procStat(pid); ok && c[ppid] == strconv.Itoa(postmaster) {
			total += ticks(c, utime, stime)
		}
	}
	return e.pgSpent + total/clockTicks
}

// Fields of procStat (proc(5): field n of the file is index n-3), and the
// clock ticks per second of their times on Linux.
const (
	ppid       = 1
	utime      = 11
	stime      = 12
	cutime     = 13
	cstime     = 14
	clockTicks = 100
)

// procStat is /proc/pid/stat after the command's name, which may hold
// spaces and parentheses itself.
func procStat(pid int) ([]string, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil, false
	}
	i := strings.LastIndex(string(b), ") ")
	if i < 0 {
		return nil, false
	}
	f := strings.Fields(string(b)[i+2:])
	return f, len(f) > 14
}

func ticks(f []string, idx ...int) float64 {
	var t float64
	for _, i := range idx {
		v, _ := strconv.ParseFloat(f[i], 64)
		t += v
	}
	return t
}
