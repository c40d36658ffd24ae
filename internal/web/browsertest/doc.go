// Package browsertest holds every browser test of the web app, in one
// package so that `go test ./...` never starts several browsers at once on
// a 2-core machine. Debian's chromium, driven by chromedp v0.24 (pinned in
// go.mod: its API was rewritten in v0.20–v0.24), runs once per test binary
// (TestMain); each test gets a tab of its own with its own cookies, a
// deadline, a screenshot when it fails, and assertAccessible (axe-core 4.14,
// testdata/, injected through CDP, which the page's CSP does not govern).
//
// Without chromium the tests skip with a message; with CI=true they fail.
// Keep failure screenshots with `go test -artifacts -outputdir DIR`.
package browsertest
