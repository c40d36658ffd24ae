// Package surel sends Sentra's e-mail (invitations) through the office's
// or the operator's SMTP relay. Mail is optional: without a relay the
// product works and whoever made the invitation passes its link on.
package surel

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"strings"
	"time"
)

// Config says how to reach the relay and what links in mail point to.
type Config struct {
	Addr     string // host:port of the SMTP relay; empty: mail is off
	From     string // the sender, "Sentra <noreply@dinkop.go.id>"
	Username string // SMTP AUTH PLAIN, only over TLS or to localhost
	Password string
	// PublicURL is where users reach Sentra (https://sentra.dinkop.go.id):
	// mail carries absolute links.
	PublicURL string
	// InsecureTLS skips the relay's certificate check (a relay on the
	// intranet with a self-signed certificate; tests).
	InsecureTLS bool
}

// Enabled reports whether mail is sent.
func (c Config) Enabled() bool { return c.Addr != "" }

// Mailer sends messages through one relay.
type Mailer struct {
	cfg  Config
	from *mail.Address
	base *url.URL
	host string
}

// New checks the configuration. Mail needs the relay, the sender and the
// public address (a link in mail must be absolute).
func New(cfg Config) (*Mailer, error) {
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("--smtp-addr %q: want host:port: %w", cfg.Addr, err)
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("--smtp-from %q: %w", cfg.From, err)
	}
	base, err := url.Parse(cfg.PublicURL)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return nil, fmt.Errorf("--public-url %q: mail needs the absolute address users open Sentra at", cfg.PublicURL)
	}
	return &Mailer{cfg: cfg, from: from, base: base, host: host}, nil
}

// Link is path on Sentra's public address.
func (m *Mailer) Link(path string) string {
	return strings.TrimRight(m.base.String(), "/") + path
}

// Message is one plain-text e-mail to one person.
type Message struct {
	To      string
	Subject string
	Body    string
}

// SendTimeout bounds one conversation with the relay.
const SendTimeout = 20 * time.Second

// Send delivers msg to the relay: STARTTLS when it offers it, AUTH when
// configured (net/smtp refuses PLAIN over a clear connection except to
// localhost).
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	to, err := mail.ParseAddress(msg.To)
	if err != nil {
		return fmt.Errorf("recipient: %w", err)
	}
	data, err := m.compose(to, msg)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, SendTimeout)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", m.cfg.Addr)
	if err != nil {
		return fmt.Errorf("smtp: %w", err)
	}
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	c, err := smtp.NewClient(conn, m.host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("smtp: %w", err)
	}
	defer c.Close()
	if err := c.Hello(m.base.Hostname()); err != nil {
		return fmt.Errorf("smtp hello: %w", err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: m.host, InsecureSkipVerify: m.cfg.InsecureTLS, MinVersion: tls.VersionTLS12}); err != nil {
			return fmt.Errorf("smtp starttls: %w", err)
		}
	}
	if m.cfg.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", m.cfg.Username, m.cfg.Password, m.host)); err != nil {
			return fmt.Errorf("smtp auth: %w", err)
		}
	}
	if err := c.Mail(m.from.Address); err != nil {
		return fmt.Errorf("smtp mail from: %w", err)
	}
	if err := c.Rcpt(to.Address); err != nil {
		return fmt.Errorf("smtp rcpt: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp data: %w", err)
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("smtp data: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp data: %w", err)
	}
	return c.Quit()
}

// compose writes the message: UTF-8 text, quoted-printable, headers
// encoded (an office's name has no accents, a person's may).
func (m *Mailer) compose(to *mail.Address, msg Message) ([]byte, error) {
	if strings.ContainsAny(msg.Subject, "\r\n") {
		return nil, errors.New("a subject is one line")
	}
	id := make([]byte, 12)
	if _, err := rand.Read(id); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	for _, h := range [][2]string{
		{"From", m.from.String()},
		{"To", to.String()},
		{"Subject", mime.QEncoding.Encode("utf-8", msg.Subject)},
		{"Date", time.Now().Format(time.RFC1123Z)},
		{"Message-ID", "<" + hex.EncodeToString(id) + "@" + m.base.Hostname() + ">"},
		{"MIME-Version", "1.0"},
		{"Content-Type", "text/plain; charset=utf-8"},
		{"Content-Transfer-Encoding", "quoted-printable"},
		{"Auto-Submitted", "auto-generated"},
	} {
		fmt.Fprintf(&b, "%s: %s\r\n", h[0], h[1])
	}
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(strings.ReplaceAll(msg.Body, "\n", "\r\n"))); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
