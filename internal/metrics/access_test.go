package metrics_test

import (
	"net/http/httptest"
	"testing"

	"github.com/sentra-id/sentra/internal/metrics"
)

func TestParseAllow(t *testing.T) {
	for _, c := range []struct {
		in      string
		want    []string
		wantErr bool
	}{
		{metrics.DefaultAllow, []string{"127.0.0.0/8", "::1/128"}, false},
		{" 10.1.2.3 , 192.168.7.9/16 ", []string{"10.1.2.3/32", "192.168.0.0/16"}, false},
		{"::ffff:10.0.0.1", []string{"10.0.0.1/32"}, false},
		{"none", nil, false},
		{"", nil, false},
		{"10.0.0.0/33", nil, true},
		{"localhost", nil, true},
	} {
		got, err := metrics.ParseAllow(c.in)
		if (err != nil) != c.wantErr {
			t.Errorf("ParseAllow(%q) error %v, want error %v", c.in, err, c.wantErr)
			continue
		}
		var s []string
		for _, p := range got {
			s = append(s, p.String())
		}
		if len(s) != len(c.want) {
			t.Errorf("ParseAllow(%q) = %q, want %q", c.in, s, c.want)
			continue
		}
		for i := range s {
			if s[i] != c.want[i] {
				t.Errorf("ParseAllow(%q) = %q, want %q", c.in, s, c.want)
			}
		}
	}
}

func TestAccessAllows(t *testing.T) {
	loopback, err := metrics.ParseAllow(metrics.DefaultAllow)
	if err != nil {
		t.Fatal(err)
	}
	inside, err := metrics.ParseAllow("10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	const token = "rahasia-metrik-uji"
	for _, c := range []struct {
		name    string
		access  metrics.Access
		remote  string
		headers []string
		want    bool
	}{
		{"loopback v4", metrics.Access{Allow: loopback}, "127.0.0.1:5000", nil, true},
		{"loopback v6", metrics.Access{Allow: loopback}, "[::1]:5000", nil, true},
		{"v4-mapped loopback", metrics.Access{Allow: loopback}, "[::ffff:127.0.0.1]:5000", nil, true},
		{"outside", metrics.Access{Allow: loopback}, "203.0.113.9:5000", nil, false},
		{"no list, no token", metrics.Access{}, "127.0.0.1:5000", nil, false},
		{"token from outside", metrics.Access{Allow: loopback, Token: token}, "203.0.113.9:5000",
			[]string{"Authorization", "Bearer " + token}, true},
		{"wrong token", metrics.Access{Allow: loopback, Token: token}, "203.0.113.9:5000",
			[]string{"Authorization", "Bearer " + token + "x"}, false},
		{"token's prefix", metrics.Access{Allow: loopback, Token: token}, "203.0.113.9:5000",
			[]string{"Authorization", "Bearer " + token[:5]}, false},
		{"no token configured, one sent", metrics.Access{Allow: loopback}, "203.0.113.9:5000",
			[]string{"Authorization", "Bearer "}, false},
		// A proxy on loopback in front of a server not told to trust it:
		// every outsider would look local.
		{"untrusted proxy on loopback", metrics.Access{Allow: loopback}, "127.0.0.1:5000",
			[]string{"X-Forwarded-For", "203.0.113.9"}, false},
		{"untrusted Forwarded", metrics.Access{Allow: loopback}, "127.0.0.1:5000",
			[]string{"Forwarded", "for=203.0.113.9"}, false},
		{"trusted proxy, client inside", metrics.Access{Allow: inside, TrustProxy: true}, "172.16.0.2:5000",
			[]string{"X-Forwarded-For", "10.3.4.5"}, true},
		{"trusted proxy, client outside", metrics.Access{Allow: inside, TrustProxy: true}, "10.9.9.9:5000",
			[]string{"X-Forwarded-For", "203.0.113.9"}, false},
		// The client wrote the first entry; the proxy appended the last.
		{"trusted proxy, spoofed first entry", metrics.Access{Allow: loopback, TrustProxy: true}, "127.0.0.1:5000",
			[]string{"X-Forwarded-For", "127.0.0.1, 203.0.113.9"}, false},
		{"trusted proxy, no header", metrics.Access{Allow: loopback, TrustProxy: true}, "127.0.0.1:5000", nil, true},
		{"trusted proxy, garbage", metrics.Access{Allow: loopback, TrustProxy: true}, "127.0.0.1:5000",
			[]string{"X-Forwarded-For", "bukan-alamat"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/metrics", nil)
			r.RemoteAddr = c.remote
			for i := 0; i+1 < len(c.headers); i += 2 {
				r.Header.Set(c.headers[i], c.headers[i+1])
			}
			if got := c.access.Allows(r); got != c.want {
				t.Errorf("Allows = %v, want %v", got, c.want)
			}
		})
	}
}
