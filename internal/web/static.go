package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static/*.css static/*.js
var staticFS embed.FS

// asset is one static file, hashed and compressed once at start-up.
type asset struct {
	name, hash, contentType string
	body, gzipped           []byte
}

// assets are the static files by name.
type assets map[string]*asset

func loadAssets() (assets, error) {
	out := assets{}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		var gz bytes.Buffer
		w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		_, _ = w.Write(body)
		if err := w.Close(); err != nil {
			return err
		}
		name := path.Base(p)
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			return fmt.Errorf("static %s: unknown content type", name)
		}
		out[name] = &asset{name: name, hash: hex.EncodeToString(sum[:5]), contentType: ct, body: body, gzipped: gz.Bytes()}
		return nil
	})
	return out, err
}

// url is where a page links a static file; a name that does not exist is
// an error at start-up (the render check), not a broken page.
func (as assets) url(name string) (string, error) {
	a, ok := as[name]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return "/static/" + a.hash + "/" + a.name, nil
}

// serve answers GET /static/{hash}/{name}. The current hash is cached for a
// year (its content never changes under that URL); an older hash, from a
// page rendered before a deploy, gets today's file without long caching.
func (as assets) serve(w http.ResponseWriter, r *http.Request) {
	a, ok := as[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Vary", "Accept-Encoding")
	if r.PathValue("hash") == a.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	body := a.body
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = a.gzipped
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}
