package grafik

import (
	"net/url"
	"strings"
)

// Charts bypass html/template (the web layer marks them safe), so every text
// is escaped here: the five XML specials, and braces too, so that a label
// such as "{{" can never reach a template or a client-side interpolator.
var escaper = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;",
	"{", "&#123;", "}", "&#125;",
)

// Escape makes s safe as SVG text or as a quoted attribute value. Invalid
// UTF-8 and control characters become U+FFFD, which XML cannot carry.
func Escape(s string) string {
	s = strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0xFFFE || r == 0xFFFF {
			return '\uFFFD'
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	return escaper.Replace(s)
}

// SafeHref is href escaped for an attribute, or "" when it is not a relative
// or http(s) URL: html/template would have refused javascript: and data: URLs,
// and these charts do not pass through it.
func SafeHref(href string) string {
	if href == "" {
		return ""
	}
	u, err := url.Parse(href)
	if err != nil {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "", "http", "https":
		return Escape(href)
	}
	return ""
}
