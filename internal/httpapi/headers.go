package httpapi

import "net/http"

// securityHeaders sets, on every response (API, problems, 404s, redirects,
// the docs and River UI), what tells browsers not to guess content types,
// not to leak our URLs to other sites and not to frame our pages
// (clickjacking of the admin pages). They are set before the handler runs
// so that no path, panic or early error answers without them.
//
// HSTS only when served over HTTPS (--secure-cookies): sent over plain HTTP
// from a development machine it would pin the host to HTTPS for a year.
func securityHeaders(next http.Handler, https bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "frame-ancestors 'none'")
		if https {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}
