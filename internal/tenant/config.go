// Package tenant parses and validates the tenant folders (tenants/<slug>/):
// the office's configuration and its regions. It is pure: writing them to the
// database is the job of `sentra tenants sync`.
package tenant

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Kinds of tenant.
const (
	KindKota      = "kota"
	KindKabupaten = "kabupaten"
)

// Config is one tenant: tenant.yaml plus the rows of wilayah.csv.
type Config struct {
	Slug           string         `yaml:"slug"`
	Name           string         `yaml:"name"`
	Kind           string         `yaml:"kind"`
	KemendagriCode string         `yaml:"kemendagri_code"`
	BPSCode        string         `yaml:"bps_code"`
	Province       Province       `yaml:"province"`
	Timezone       string         `yaml:"timezone"`
	Locale         string         `yaml:"locale"`
	Settings       map[string]any `yaml:"settings"`
	Wilayah        []Wilayah      `yaml:"-"` // from wilayah.csv, in file order
}

// Province is the province a tenant belongs to; it scopes province viewers.
type Province struct {
	Code string `yaml:"code"`
	Name string `yaml:"name"`
}

// Level is the administrative level of a region below the kabupaten/kota.
type Level string

const (
	LevelKecamatan     Level = "kecamatan"
	LevelDesaKelurahan Level = "desa_kelurahan"
)

// Tipe tells the kinds of desa/kelurahan apart; it is empty for a kecamatan.
type Tipe string

const (
	TipeKelurahan Tipe = "kelurahan"
	TipeDesa      Tipe = "desa"
	TipeDesaAdat  Tipe = "desa_adat"
)

// Wilayah is one region of a tenant, keyed by its Kemendagri code.
type Wilayah struct {
	Kode    string
	Nama    string
	Level   Level
	Tipe    Tipe
	Parent  string // kode of the kecamatan for a desa/kelurahan, "" for a kecamatan
	BPSKode string // empty until BPS codes are loaded; never derived from Kode
}

// Counts returns the number of kecamatan, kelurahan and desa (desa adat included).
func (c Config) Counts() (kecamatan, kelurahan, desa int) {
	for _, w := range c.Wilayah {
		switch {
		case w.Level == LevelKecamatan:
			kecamatan++
		case w.Tipe == TipeKelurahan:
			kelurahan++
		case w.Tipe == TipeDesa || w.Tipe == TipeDesaAdat:
			desa++
		}
	}
	return kecamatan, kelurahan, desa
}

var (
	slugRE      = regexp.MustCompile(`^[a-z][a-z0-9-]{1,30}$`)
	kabkotaRE   = regexp.MustCompile(`^\d{2}\.\d{2}$`)
	provinceRE  = regexp.MustCompile(`^\d{2}$`)
	bpsRE       = regexp.MustCompile(`^\d{4}$`)
	localeRE    = regexp.MustCompile(`^[a-z]{2,3}(-[A-Z]{2})?$`)
	kecamatanRE = regexp.MustCompile(`^\d{2}\.\d{2}\.\d{2}$`)
	desaRE      = regexp.MustCompile(`^\d{2}\.\d{2}\.\d{2}\.\d{4}$`)
	digitsRE    = regexp.MustCompile(`^\d+$`)
	wilayahHead = []string{"kode", "nama", "level", "tipe", "bps_kode"}
	tipeByDigit = map[byte]Tipe{'1': TipeKelurahan, '2': TipeDesa, '3': TipeDesaAdat}
	bpsKodeLen  = map[Level]int{LevelKecamatan: 7, LevelDesaKelurahan: 10}
)

// Load reads every <slug>/tenant.yaml and <slug>/wilayah.csv in fsys, sorted by
// slug, and validates them. It reports every problem it finds, each prefixed
// with file:line, so a data fix needs one run rather than one per mistake.
func Load(fsys fs.FS) ([]Config, error) {
	entries, err := fs.ReadDir(fsys, ".") // sorted by name, and a folder is named by its slug
	if err != nil {
		return nil, fmt.Errorf("load tenants: %w", err)
	}
	var (
		cfgs []Config
		errs []error
		byKK = map[string]string{} // kemendagri code → slug
	)
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		c, err := loadOne(fsys, e.Name())
		if err != nil {
			errs = append(errs, err)
			continue
		}
		// Two folders for one office would give it two tenants and split its data.
		if other, dup := byKK[c.KemendagriCode]; dup {
			errs = append(errs, fmt.Errorf("%s/tenant.yaml: kemendagri_code %s is also tenant %s", c.Slug, c.KemendagriCode, other))
			continue
		}
		byKK[c.KemendagriCode] = c.Slug
		cfgs = append(cfgs, c)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(cfgs) == 0 {
		return nil, errors.New("load tenants: no tenant folders")
	}
	return cfgs, nil
}

func loadOne(fsys fs.FS, dir string) (Config, error) {
	name := path.Join(dir, "tenant.yaml")
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return Config{}, err // fs errors already name the file
	}
	c, err := parseConfig(name, dir, b)
	if err != nil {
		return Config{}, err
	}
	name = path.Join(dir, "wilayah.csv")
	f, err := fsys.Open(name)
	if err != nil {
		return Config{}, err
	}
	defer f.Close()
	if c.Wilayah, err = parseWilayah(name, f, c); err != nil {
		return Config{}, err
	}
	return c, nil
}

// parseConfig decodes and checks tenant.yaml; dir is the folder it was read from.
func parseConfig(name, dir string, b []byte) (Config, error) {
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true) // a misspelt key must fail, not leave a field silently empty
	if err := dec.Decode(&c); err != nil {
		if errors.Is(err, io.EOF) {
			return c, fmt.Errorf("%s: empty file", name)
		}
		return c, fmt.Errorf("%s: %w", name, err)
	}
	switch err := dec.Decode(new(yaml.Node)); {
	case err == nil:
		return c, fmt.Errorf("%s: more than one YAML document", name)
	case !errors.Is(err, io.EOF):
		return c, fmt.Errorf("%s: %w", name, err)
	}
	// The strict decode has no positions; a node tree gives each key its line.
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return c, fmt.Errorf("%s: %w", name, err)
	}

	var errs []error
	bad := func(key, format string, args ...any) {
		at := name
		if line := keyLine(&doc, key); line > 0 {
			at += ":" + strconv.Itoa(line)
		}
		errs = append(errs, fmt.Errorf("%s: %s: %s", at, key, fmt.Sprintf(format, args...)))
	}

	switch {
	case !slugRE.MatchString(c.Slug):
		bad("slug", "%q does not match %s", c.Slug, slugRE)
	case c.Slug != dir:
		bad("slug", "%q differs from its folder %q", c.Slug, dir)
	}
	if strings.TrimSpace(c.Name) == "" {
		bad("name", "is empty")
	}
	if c.Kind != KindKota && c.Kind != KindKabupaten {
		bad("kind", "%q, want %s or %s", c.Kind, KindKota, KindKabupaten)
	}
	if !provinceRE.MatchString(c.Province.Code) {
		bad("province.code", "%q, want 2 digits", c.Province.Code)
	}
	if strings.TrimSpace(c.Province.Name) == "" {
		bad("province.name", "is empty")
	}
	if !kabkotaRE.MatchString(c.KemendagriCode) {
		bad("kemendagri_code", "%q, want PP.KK", c.KemendagriCode)
	} else {
		if pp := c.KemendagriCode[:2]; pp != c.Province.Code {
			bad("kemendagri_code", "%s is in province %s, not %s", c.KemendagriCode, pp, c.Province.Code)
		}
		// Kemendagri numbers kabupaten 01–69 and kota 71–99 within a province.
		kk, _ := strconv.Atoi(c.KemendagriCode[3:])
		switch kabupaten := kk < 70; {
		case kk == 0 || kk == 70:
			bad("kemendagri_code", "%s is neither a kabupaten (01–69) nor a kota (71–99)", c.KemendagriCode)
		case kabupaten && c.Kind == KindKota, !kabupaten && c.Kind == KindKabupaten:
			bad("kemendagri_code", "%s does not fit kind %q (01–69 kabupaten, 71–99 kota)", c.KemendagriCode, c.Kind)
		}
	}
	// BPS numbers kabupaten/kota differently, so only the province prefix is shared.
	if !bpsRE.MatchString(c.BPSCode) || !strings.HasPrefix(c.BPSCode, c.Province.Code) {
		bad("bps_code", "%q, want 4 digits starting with province code %s", c.BPSCode, c.Province.Code)
	}
	// LoadLocation accepts "" (UTC) and "Local", neither of which names the office's zone.
	if c.Timezone == "" || c.Timezone == "Local" {
		bad("timezone", "%q, want an IANA zone such as Asia/Jakarta", c.Timezone)
	} else if _, err := time.LoadLocation(c.Timezone); err != nil {
		bad("timezone", "%v", err)
	}
	if !localeRE.MatchString(c.Locale) {
		bad("locale", "%q, want a locale such as id-ID", c.Locale)
	}
	return c, errors.Join(errs...)
}

// keyLine returns the line of a dotted key ("province.code") in a YAML
// document, the line of its deepest present parent, or 0.
func keyLine(doc *yaml.Node, key string) int {
	n, line := doc, 0
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for part := range strings.SplitSeq(key, ".") {
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content) && n.Kind == yaml.MappingNode; i += 2 {
			if n.Content[i].Value == part {
				next, line = n.Content[i+1], n.Content[i].Line
			}
		}
		if next == nil {
			break
		}
		n = next
	}
	return line
}

// parseWilayah reads and checks the wilayah.csv of tenant c.
func parseWilayah(name string, r io.Reader, c Config) ([]Wilayah, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(wilayahHead)
	head, err := cr.Read()
	switch {
	case errors.Is(err, io.EOF):
		return nil, fmt.Errorf("%s: empty file", name)
	case err != nil:
		return nil, fmt.Errorf("%s: %w", name, err)
	case !slices.Equal(head, wilayahHead):
		return nil, fmt.Errorf("%s:1: header %q, want %q", name, head, wilayahHead)
	}

	var (
		ws        []Wilayah
		lines     []int
		errs      []error
		lineOf    = map[string]int{} // kode → first line, for duplicates
		kecamatan = map[string]bool{}
	)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// csv.ParseError carries the line; the reader cannot resync after it.
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			break
		}
		line, _ := cr.FieldPos(0)
		w, err := parseRow(rec, c)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %w", name, line, err))
			continue
		}
		if first, dup := lineOf[w.Kode]; dup {
			errs = append(errs, fmt.Errorf("%s:%d: duplicate kode %s (first on line %d)", name, line, w.Kode, first))
			continue
		}
		lineOf[w.Kode] = line
		if w.Level == LevelKecamatan {
			kecamatan[w.Kode] = true
		}
		ws = append(ws, w)
		lines = append(lines, line)
	}
	// Checked after the loop so the file's row order does not matter.
	for i, w := range ws {
		if w.Parent != "" && !kecamatan[w.Parent] {
			errs = append(errs, fmt.Errorf("%s:%d: %s %s: kecamatan %s is not in the file", name, lines[i], w.Tipe, w.Kode, w.Parent))
		}
	}
	if len(errs) == 0 && len(ws) == 0 {
		errs = append(errs, fmt.Errorf("%s: no wilayah rows", name))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return ws, nil
}

// parseRow turns one CSV record into a Wilayah of tenant c, deriving Parent from the kode.
func parseRow(rec []string, c Config) (Wilayah, error) {
	w := Wilayah{Kode: rec[0], Nama: rec[1], Level: Level(rec[2]), Tipe: Tipe(rec[3]), BPSKode: rec[4]}
	if !strings.HasPrefix(w.Kode, c.KemendagriCode+".") {
		return w, fmt.Errorf("kode %q is not in %s (%s)", w.Kode, c.Name, c.KemendagriCode)
	}
	switch w.Level {
	case LevelKecamatan:
		if !kecamatanRE.MatchString(w.Kode) {
			return w, fmt.Errorf("kecamatan kode %q, want PP.KK.CC", w.Kode)
		}
		if w.Tipe != "" {
			return w, fmt.Errorf("kecamatan %s: tipe %q, want empty", w.Kode, w.Tipe)
		}
	case LevelDesaKelurahan:
		if !desaRE.MatchString(w.Kode) {
			return w, fmt.Errorf("desa/kelurahan kode %q, want PP.KK.CC.NNNN", w.Kode)
		}
		// The first digit of NNNN is what Kemendagri says the village is; tipe must agree.
		want, ok := tipeByDigit[w.Kode[9]]
		if !ok {
			return w, fmt.Errorf("kode %s: first digit of NNNN must be 1 (kelurahan), 2 (desa) or 3 (desa adat)", w.Kode)
		}
		if w.Tipe != want {
			return w, fmt.Errorf("kode %s: tipe %q, but its digit %c means %q", w.Kode, w.Tipe, w.Kode[9], want)
		}
		w.Parent = w.Kode[:len("PP.KK.CC")]
	default:
		return w, fmt.Errorf("kode %s: level %q, want %s or %s", w.Kode, w.Level, LevelKecamatan, LevelDesaKelurahan)
	}
	if strings.TrimSpace(w.Nama) == "" {
		return w, fmt.Errorf("kode %s: empty nama", w.Kode)
	}
	if w.BPSKode != "" {
		if n := bpsKodeLen[w.Level]; len(w.BPSKode) != n || !digitsRE.MatchString(w.BPSKode) || !strings.HasPrefix(w.BPSKode, c.BPSCode) {
			return w, fmt.Errorf("kode %s: bps_kode %q, want %d digits starting with %s", w.Kode, w.BPSKode, n, c.BPSCode)
		}
	}
	return w, nil
}
