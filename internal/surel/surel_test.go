package surel_test

import (
	"context"
	"io"
	"mime"
	"mime/quotedprintable"
	"strings"
	"testing"

	"github.com/sentra-id/sentra/internal/surel"
	"github.com/sentra-id/sentra/internal/surel/sureltest"
)

func mailer(t *testing.T, relay *sureltest.Relay) *surel.Mailer {
	t.Helper()
	m, err := surel.New(surel.Config{Addr: relay.Addr, From: "Sentra <noreply@sentra.uji>", Username: sureltest.User,
		Password: sureltest.Password, PublicURL: "https://sentra.uji/", InsecureTLS: true})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestSend: the message reaches the relay over STARTTLS with AUTH, with
// its subject and body in UTF-8 as written.
func TestSend(t *testing.T) {
	t.Parallel()
	relay := sureltest.Start(t)
	m := mailer(t, relay)
	if got := m.Link("/undangan/depok/abc"); got != "https://sentra.uji/undangan/depok/abc" {
		t.Errorf("link %s", got)
	}
	body := "Yth. Bapak/Ibu Ni Luh Putu Ayu Déwi,\nbuka tautan ini:\nhttps://sentra.uji/undangan/depok/abc\n"
	if err := m.Send(context.Background(), surel.Message{To: "Dewi <dewi@depok.go.id>", Subject: "Undangan ke Sentra: Kota Depok — admin",
		Body: body}); err != nil {
		t.Fatal(err)
	}
	got := relay.Messages()
	if len(got) != 1 {
		t.Fatalf("%d messages", len(got))
	}
	r := got[0]
	if !r.TLS || !r.Auth || r.From != "noreply@sentra.uji" || r.To != "dewi@depok.go.id" {
		t.Errorf("conversation: tls %t auth %t from %s to %s", r.TLS, r.Auth, r.From, r.To)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(r.Message.Header.Get("Subject"))
	if err != nil || subject != "Undangan ke Sentra: Kota Depok — admin" {
		t.Errorf("subject %q %v", subject, err)
	}
	text, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(string(r.Body))))
	if err != nil || strings.ReplaceAll(string(text), "\r\n", "\n") != body {
		t.Errorf("body %q %v", text, err)
	}
	if ct := r.Message.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Errorf("content type %s", ct)
	}
}

// TestSendRefused: a relay that refuses the recipient is an error; a
// wrong password is one before anything is sent.
func TestSendRefused(t *testing.T) {
	t.Parallel()
	relay := sureltest.Start(t)
	relay.Refuse = true
	if err := mailer(t, relay).Send(context.Background(), surel.Message{To: "dewi@depok.go.id", Subject: "x", Body: "x"}); err == nil {
		t.Error("a refused recipient was sent")
	}
	wrong, err := surel.New(surel.Config{Addr: relay.Addr, From: "noreply@sentra.uji", Username: sureltest.User, Password: "salah",
		PublicURL: "https://sentra.uji", InsecureTLS: true})
	if err != nil {
		t.Fatal(err)
	}
	relay.Refuse = false
	if err := wrong.Send(context.Background(), surel.Message{To: "dewi@depok.go.id", Subject: "x", Body: "x"}); err == nil || !strings.Contains(err.Error(), "auth") {
		t.Errorf("a wrong password: %v", err)
	}
	if n := len(relay.Messages()); n != 0 {
		t.Errorf("%d messages taken", n)
	}
}

// TestNewRefusesWhatCannotWork: mail needs a host:port, a sender and an
// absolute public address (links in mail).
func TestNewRefusesWhatCannotWork(t *testing.T) {
	for name, cfg := range map[string]surel.Config{
		"no port":       {Addr: "relay.uji", From: "a@b.c", PublicURL: "https://sentra.uji"},
		"bad sender":    {Addr: "relay.uji:25", From: "bukan alamat", PublicURL: "https://sentra.uji"},
		"no public url": {Addr: "relay.uji:25", From: "a@b.c"},
		"relative url":  {Addr: "relay.uji:25", From: "a@b.c", PublicURL: "/sentra"},
	} {
		if _, err := surel.New(cfg); err == nil {
			t.Errorf("%s: taken", name)
		}
	}
}
