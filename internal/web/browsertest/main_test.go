package browsertest

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/sentra-id/sentra/internal/dbtest"
)

//go:embed testdata/axe.min.js
var axeSource string

var (
	// browser is the one Chromium of this test binary; nil without one.
	browser context.Context
	// noBrowser says why there is none.
	noBrowser string
)

// tabTimeout bounds each test's time in its tab.
const tabTimeout = 90 * time.Second

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	path := chromiumPath()
	if path == "" {
		noBrowser = "no chromium found (apt-get install -y chromium, or set CHROME_PATH)"
		if os.Getenv("CI") == "true" {
			fmt.Fprintln(os.Stderr, "browsertest: "+noBrowser+"; CI never skips browser tests")
			return 1
		}
		return dbtest.Run(m)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path),
		chromedp.WindowSize(1280, 900), chromedp.Flag("lang", "id-ID"))
	alloc, stopAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer stopAlloc()
	ctx, stop := chromedp.NewContext(alloc)
	defer stop()
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		fmt.Fprintf(os.Stderr, "browsertest: start %s: %v\n", path, err)
		return 1
	}
	browser = ctx
	return dbtest.Run(m)
}

func chromiumPath() string {
	if p := os.Getenv("CHROME_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// tab is one test's browser tab: its own browser context (cookies), a
// deadline, and a screenshot of the page if the test fails.
type tab struct {
	ctx  context.Context
	base string // the server's URL
	t    *testing.T
}

// cspProbe collects the page's CSP violations; it is added through CDP, so
// the policy it watches does not block it.
const cspProbe = `window.__csp = []; document.addEventListener('securitypolicyviolation',
	e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));`

func newTab(t *testing.T, base string) *tab {
	t.Helper()
	if browser == nil {
		t.Skip("browsertest: " + noBrowser)
	}
	artifacts := t.ArtifactDir()
	ctx, closeTab := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	ctx, cancel := context.WithTimeout(ctx, tabTimeout)
	tb := &tab{ctx: ctx, base: base, t: t}
	t.Cleanup(func() {
		if t.Failed() {
			tb.screenshot(filepath.Join(artifacts, "mislukt.png"))
		}
		cancel()
		closeTab()
	})
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspProbe}); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	return tb
}

func (tb *tab) screenshot(path string) {
	// The test's deadline may be gone: a few seconds of their own.
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Logf("screenshot: %v", err)
		return
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tb.t.Logf("screenshot: %v", err)
		return
	}
	tb.t.Logf("screenshot of the failure: %s (kept with go test -artifacts)", path)
}

// do runs actions, failing the test on error.
func (tb *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
}

// open loads path and returns its HTTP status.
func (tb *tab) open(path string) int64 {
	tb.t.Helper()
	resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(tb.base+path))
	if err != nil {
		tb.t.Fatalf("open %s: %v", path, err)
	}
	return resp.Status
}

// submit runs actions that load a page (a click on a submit button) and
// returns the status of the page they load.
func (tb *tab) submit(what string, actions ...chromedp.Action[chromedp.Void]) int64 {
	tb.t.Helper()
	resp, err := chromedp.RunResponse(tb.ctx, actions...)
	if err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
	return resp.Status
}

// path is the path and query of the page the tab shows.
func (tb *tab) path() string {
	tb.t.Helper()
	loc, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		tb.t.Fatalf("location: %v", err)
	}
	return strings.TrimPrefix(loc, tb.base)
}

// text is the text of the first element sel matches.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	s, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		tb.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// count is how many elements match sel.
func (tb *tab) count(sel string) int {
	tb.t.Helper()
	n, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", sel)))
	if err != nil {
		tb.t.Fatalf("count %s: %v", sel, err)
	}
	return n
}

// login fills the login form on the page shown and submits it.
func (tb *tab) login(email, password string) int64 {
	tb.t.Helper()
	return tb.submit("log in as "+email,
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS("form[action='/masuk'] button[type=submit]")))
}

// violation is what axe reports of one rule.
type violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// assertAccessible runs axe-core (WCAG 2.1 A and AA rules) on the page the
// tab shows and fails on serious or critical violations; it also fails on
// any Content-Security-Policy violation the page caused.
func assertAccessible(t *testing.T, tb *tab) {
	t.Helper()
	if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](axeSource+";true")); err != nil {
		t.Fatalf("inject axe: %v", err)
	}
	found, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]violation](`axe.run(document, {runOnly: {type: 'tag',
		values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}).then(r => r.violations.map(v => ({id: v.id,
		impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe: %v", err)
	}
	page := tb.path()
	for _, v := range found {
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Errorf("%s: accessibility %s (%s): %s at %v", page, v.ID, v.Impact, v.Help, v.Nodes)
		} else {
			t.Logf("%s: accessibility %s (%s, not failing): %s", page, v.ID, v.Impact, v.Help)
		}
	}
	csp, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`window.__csp || []`))
	if err != nil {
		t.Fatalf("read CSP violations: %v", err)
	}
	for _, c := range csp {
		t.Errorf("%s: Content-Security-Policy violation: %s", page, c)
	}
}
