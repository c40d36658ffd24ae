package tenant

import (
	"bytes"
	"compress/gzip"
	"context"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
)

// The regions of all Indonesia (nasional/SOURCE.md): what an office opened
// from its Kemendagri code is made of.
//
//go:embed nasional/wilayah_kemendagri_2025_indonesia.csv.gz
var nasionalGz []byte

// kabkota is one kabupaten/kota of the national dataset with its regions.
type kabkota struct {
	nama     string
	province Province
	wilayah  []Wilayah
}

var nasional = sync.OnceValues(func() (map[string]*kabkota, error) {
	zr, err := gzip.NewReader(bytes.NewReader(nasionalGz))
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(zr)
	if _, err := r.Read(); err != nil { // header
		return nil, err
	}
	provinces := map[string]string{}
	out := map[string]*kabkota{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("national regions: %w", err)
		}
		kode, nama, level, tipe := rec[0], rec[1], rec[2], rec[3]
		switch level {
		case "provinsi":
			provinces[kode] = nama
		case "kabkota":
			out[kode] = &kabkota{nama: nama, province: Province{Code: kode[:2], Name: provinces[kode[:2]]}}
		case string(LevelKecamatan):
			if k := out[kode[:5]]; k != nil {
				k.wilayah = append(k.wilayah, Wilayah{Kode: kode, Nama: nama, Level: LevelKecamatan})
			}
		case string(LevelDesaKelurahan):
			if k := out[kode[:5]]; k != nil {
				k.wilayah = append(k.wilayah, Wilayah{Kode: kode, Nama: nama, Level: LevelDesaKelurahan, Tipe: Tipe(tipe), Parent: kode[:8]})
			}
		}
	}
	return out, nil
})

// zoneOf is the time zone of a province: WITA from Bali to Sulawesi and
// the east of Kalimantan, WIT for Maluku and Papua, WIB elsewhere.
func zoneOf(province string) string {
	switch province {
	case "51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76":
		return "Asia/Makassar"
	case "81", "82", "91", "92", "93", "94", "95", "96":
		return "Asia/Jayapura"
	}
	return "Asia/Jakarta"
}

// FromKode is the configuration of the kab/kota kode of the national
// dataset: its name, kind, province, time zone and every kecamatan and
// desa/kelurahan. slug, when empty, is made from the name ("Kota
// Makassar" → "makassar"; a kabupaten of the same name as a city gets
// "kab-" before it). bps is the BPS code if the admin knows it: it is never
// derived from the Kemendagri code (they differ for some regions).
func FromKode(kode, slug, bps string) (Config, error) {
	all, err := nasional()
	if err != nil {
		return Config{}, err
	}
	k := all[kode]
	if !kabkotaRE.MatchString(kode) || k == nil {
		return Config{}, apperr.InvalidField("body.kode", kode, apperr.T(
			"Bukan kode kabupaten/kota Kemendagri (dua angka, titik, dua angka, mis. 73.71 untuk Kota Makassar).",
			"Not a Kemendagri kabupaten/kota code (two digits, a dot, two digits, e.g. 73.71 for Kota Makassar)."))
	}
	c := Config{Name: k.nama, KemendagriCode: kode, Province: k.province, Timezone: zoneOf(k.province.Code),
		Locale: "id-ID", Wilayah: k.wilayah, BPSCode: bps}
	base := k.nama
	switch {
	case strings.HasPrefix(k.nama, "Kota "):
		c.Kind, base = KindKota, strings.TrimPrefix(k.nama, "Kota ")
	case strings.HasPrefix(k.nama, "Kabupaten "):
		c.Kind, base = KindKabupaten, "kab-"+strings.TrimPrefix(k.nama, "Kabupaten ")
	default:
		c.Kind = KindKabupaten
	}
	if slug == "" {
		slug = slugOf(base)
	}
	if !slugRE.MatchString(slug) {
		return Config{}, apperr.InvalidField("body.slug", slug, apperr.T(
			"Slug berupa 2–31 huruf kecil, angka atau tanda minus, diawali huruf.",
			"A slug is 2–31 lower-case letters, digits or hyphens, starting with a letter."))
	}
	c.Slug = slug
	if bps != "" && (len(bps) != 4 || !strings.HasPrefix(bps, k.province.Code) || strings.Trim(bps, "0123456789") != "") {
		return Config{}, apperr.InvalidField("body.bps_code", bps, apperr.T(
			"Kode BPS berupa 4 angka yang diawali kode provinsi.", "A BPS code is 4 digits starting with the province code."))
	}
	return c, nil
}

// slugOf is a slug from a name: lower case, words joined by "-", at most 31.
func slugOf(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimRight(b.String(), "-")
	if len(s) > 31 {
		s = strings.TrimRight(s[:31], "-")
	}
	return s
}

// Opened is an office just opened.
type Opened struct {
	Tenant
	Kecamatan, DesaKelurahan int
}

// Open creates the office of c, in provisioning, with its regions and its
// billing record (no trial yet): one transaction, nothing written on a
// refusal. A code or slug already taken is a conflict naming the office.
func (s *Store) Open(ctx context.Context, c Config) (Opened, error) {
	var o Opened
	err := s.DB.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		o, err = s.OpenTx(ctx, tx, c)
		return err
	})
	return o, err
}

// OpenTx is Open in tx, a transaction of no tenant that the caller
// commits (with what else it records of the opening). It leaves tx in the
// new office's tenant.
func (s *Store) OpenTx(ctx context.Context, tx pgx.Tx, c Config) (Opened, error) {
	id := uuid.Must(uuid.NewV7())
	var taken string
	err := tx.QueryRow(ctx, "select slug from tenants where kemendagri_code = $1 or slug = $2", c.KemendagriCode, c.Slug).Scan(&taken)
	if err == nil {
		return Opened{}, apperr.Conflict(apperr.T("Kantor dengan kode atau slug ini sudah ada.", "An office with this code or slug exists."),
			"/v1/tenants/"+taken)
	} else if err != pgx.ErrNoRows {
		return Opened{}, err
	}
	if _, err := tx.Exec(ctx, `insert into provinces (code, name) values ($1, $2) on conflict (code) do nothing`,
		c.Province.Code, c.Province.Name); err != nil {
		return Opened{}, err
	}
	if _, err := tx.Exec(ctx, `insert into tenants (id, slug, name, kind, kemendagri_code, bps_code, province_code, timezone, locale,
			state, state_reason) values ($1, $2, $3, $4, $5, nullif($6, ''), $7, $8, $9, 'provisioning', 'setup')`,
		id, c.Slug, c.Name, c.Kind, c.KemendagriCode, c.BPSCode, c.Province.Code, c.Timezone, c.Locale); err != nil {
		return Opened{}, db.MapError(err)
	}
	if err := db.SetTenant(ctx, tx, id); err != nil {
		return Opened{}, err
	}
	if _, err := upsertWilayah(ctx, tx, id, c.Wilayah); err != nil {
		return Opened{}, err
	}
	if _, err := tx.Exec(ctx, "insert into tenant_billing (tenant_id) values ($1)", id); err != nil {
		return Opened{}, err
	}
	o := Opened{}
	o.Kecamatan, o.DesaKelurahan = countLevels(c.Wilayah)
	if err := audit.Record(ctx, tx, audit.Entry{TenantID: id, Action: "create", Entity: "kantor", EntityID: id.String(),
		After: map[string]any{"slug": c.Slug, "nama": c.Name, "kode": c.KemendagriCode, "kecamatan": o.Kecamatan, "desa_kelurahan": o.DesaKelurahan}}); err != nil {
		return Opened{}, err
	}
	o.Tenant, err = scanTenant(tx.QueryRow(ctx, `select `+tenantColumns+`
		from tenants t join provinces p on p.code = t.province_code where t.id = $1`, id))
	return o, db.MapError(err)
}

func countLevels(ws []Wilayah) (kecamatan, desa int) {
	for _, w := range ws {
		if w.Level == LevelKecamatan {
			kecamatan++
		} else {
			desa++
		}
	}
	return kecamatan, desa
}
