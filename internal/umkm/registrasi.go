package umkm

// Online self-registration as mitra binaan (seed 001: "jika mereka mau daftar
// sebagai mitra binaan, tidak perlu datang secara manual, cukup daftar secara
// online"). A business owner fills in the public form without an account and
// gets a tracking code; staff review the registration, and accepting it
// creates the UMKM record (source registrasi_online, status binaan) in the
// same transaction.

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/idempotency"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Statuses of a registration.
const (
	RegistrasiMenunggu = "menunggu" // waiting for review
	RegistrasiDiterima = "diterima" // accepted: the UMKM record exists
	RegistrasiDitolak  = "ditolak"  // rejected, with a reason
)

// RegistrasiInput is the public form: the business data an owner can give
// about themselves (no KBLI, legal documents, coordinates or binaan status:
// staff establish those), plus a honeypot.
//
// NIK and phone are required here although staff may leave them blank: the
// NIK is how the office matches the applicant against its register (and
// refuses a second record for the same person), the phone how it reaches
// them about the decision.
type RegistrasiInput struct {
	NamaPemilik       string   `json:"nama_pemilik" maxLength:"200" doc:"Owner's full name." example:"Siti Aminah"`
	NIK               string   `json:"nik" maxLength:"40" doc:"Owner's NIK (16 digits). Personal data: stored encrypted." example:"3276014507850001"`
	JenisKelamin      *string  `json:"jenis_kelamin,omitempty" enum:"L,P" doc:"L (laki-laki) or P (perempuan)."`
	Telepon           string   `json:"telepon" maxLength:"32" doc:"Phone or WhatsApp number to reach the owner. Personal data." example:"0812-3456-7890"`
	Email             *string  `json:"email,omitempty" maxLength:"254" doc:"Personal data."`
	NamaUsaha         string   `json:"nama_usaha" maxLength:"200" example:"Keripik Singkong Bu Siti"`
	Sektor            string   `json:"sektor" enum:"kuliner,fashion,kerajinan,jasa,perdagangan,pertanian,peternakan,perikanan,otomotif,kecantikan,teknologi,pendidikan,lainnya"`
	Produk            *string  `json:"produk,omitempty" maxLength:"1000"`
	Alamat            *string  `json:"alamat,omitempty" maxLength:"500" doc:"Street address. Personal data."`
	RT                *string  `json:"rt,omitempty" maxLength:"3" example:"003"`
	RW                *string  `json:"rw,omitempty" maxLength:"3" example:"007"`
	KecamatanKode     string   `json:"kecamatan_kode" maxLength:"8" doc:"Kemendagri code of a kecamatan of this office (see the tenant's wilayah)." example:"32.76.01"`
	KelurahanKode     string   `json:"kelurahan_kode" maxLength:"13" doc:"Kemendagri code of a desa/kelurahan in that kecamatan." example:"32.76.01.1006"`
	ModalUsaha        *int64   `json:"modal_usaha,omitempty" minimum:"0" doc:"Capital excluding land and buildings, whole rupiah."`
	OmzetTahunan      *int64   `json:"omzet_tahunan,omitempty" minimum:"0" doc:"Annual sales, whole rupiah."`
	TotalAset         *int64   `json:"total_aset,omitempty" minimum:"0" doc:"Total assets, whole rupiah."`
	KaryawanLaki      *int     `json:"karyawan_laki,omitempty" minimum:"0" maximum:"100000"`
	KaryawanPerempuan *int     `json:"karyawan_perempuan,omitempty" minimum:"0" maximum:"100000"`
	TahunMulai        *int     `json:"tahun_mulai,omitempty" example:"2019"`
	NIB               *string  `json:"nib,omitempty" maxLength:"20" doc:"13 digits from OSS, if the business has one."`
	SaluranPenjualan  []string `json:"saluran_penjualan,omitempty" maxItems:"13" doc:"offline, shopee, tokopedia, tiktok_shop, lazada, bukalapak, grabfood, gofood, shopeefood, ritel_modern, media_sosial, website, lainnya."`
	SkalaDilaporkan   *string  `json:"skala_dilaporkan,omitempty" enum:"mikro,kecil,menengah,besar" doc:"The size as the owner sees it; the computed size is kept beside it."`
	// SitusWeb is a honeypot: the web form hides it from people (CSS), and
	// form-filling bots fill every field they find.
	SitusWeb string `json:"situs_web,omitempty" maxLength:"500" doc:"Leave empty (the web form does not show it)."`
}

// input is the form as the register's Input, for the shared validation.
func (in RegistrasiInput) input() Input {
	nik, tel := in.NIK, in.Telepon
	return Input{NamaPemilik: in.NamaPemilik, NIK: &nik, JenisKelamin: in.JenisKelamin, Telepon: &tel, Email: in.Email,
		NamaUsaha: in.NamaUsaha, Sektor: in.Sektor, Produk: in.Produk, Alamat: in.Alamat, RT: in.RT, RW: in.RW,
		KecamatanKode: in.KecamatanKode, KelurahanKode: in.KelurahanKode, ModalUsaha: in.ModalUsaha,
		OmzetTahunan: in.OmzetTahunan, TotalAset: in.TotalAset, KaryawanLaki: in.KaryawanLaki,
		KaryawanPerempuan: in.KaryawanPerempuan, TahunMulai: in.TahunMulai, NIB: in.NIB,
		SaluranPenjualan: in.SaluranPenjualan, SkalaDilaporkan: in.SkalaDilaporkan}
}

// RegistrasiData is a registration's business data as stored (column data)
// and shown to staff. It never holds the NIK in the database (that is in
// nik_hash and nik_sealed); answers fill NIK in, masked unless the caller
// may read it.
type RegistrasiData struct {
	NamaPemilik       string   `json:"nama_pemilik"`
	NIK               *string  `json:"nik,omitempty" doc:"Masked (3276xxxxxxxx0001) unless the caller may read personal data and reads one registration."`
	JenisKelamin      *string  `json:"jenis_kelamin,omitempty"`
	Telepon           *string  `json:"telepon,omitempty"`
	Email             *string  `json:"email,omitempty"`
	NamaUsaha         string   `json:"nama_usaha"`
	Sektor            string   `json:"sektor"`
	Produk            *string  `json:"produk,omitempty"`
	Alamat            *string  `json:"alamat,omitempty"`
	RT                *string  `json:"rt,omitempty"`
	RW                *string  `json:"rw,omitempty"`
	KecamatanKode     string   `json:"kecamatan_kode"`
	KelurahanKode     string   `json:"kelurahan_kode"`
	ModalUsaha        *int64   `json:"modal_usaha,omitempty"`
	OmzetTahunan      *int64   `json:"omzet_tahunan,omitempty"`
	TotalAset         *int64   `json:"total_aset,omitempty"`
	KaryawanLaki      *int     `json:"karyawan_laki,omitempty"`
	KaryawanPerempuan *int     `json:"karyawan_perempuan,omitempty"`
	TahunMulai        *int     `json:"tahun_mulai,omitempty"`
	NIB               *string  `json:"nib,omitempty"`
	SaluranPenjualan  []string `json:"saluran_penjualan,omitempty"`
	SkalaDilaporkan   *string  `json:"skala_dilaporkan,omitempty"`
}

// dataOf is the normalised input as stored: without the NIK.
func dataOf(in Input) RegistrasiData {
	return RegistrasiData{NamaPemilik: in.NamaPemilik, JenisKelamin: in.JenisKelamin, Telepon: in.Telepon, Email: in.Email,
		NamaUsaha: in.NamaUsaha, Sektor: in.Sektor, Produk: in.Produk, Alamat: in.Alamat, RT: in.RT, RW: in.RW,
		KecamatanKode: in.KecamatanKode, KelurahanKode: in.KelurahanKode, ModalUsaha: in.ModalUsaha,
		OmzetTahunan: in.OmzetTahunan, TotalAset: in.TotalAset, KaryawanLaki: in.KaryawanLaki,
		KaryawanPerempuan: in.KaryawanPerempuan, TahunMulai: in.TahunMulai, NIB: in.NIB,
		SaluranPenjualan: in.SaluranPenjualan, SkalaDilaporkan: in.SkalaDilaporkan}
}

// input rebuilds the register's Input from stored data and the opened NIK.
func (d RegistrasiData) input(nik *string) Input {
	return Input{NamaPemilik: d.NamaPemilik, NIK: nik, JenisKelamin: d.JenisKelamin, Telepon: d.Telepon, Email: d.Email,
		NamaUsaha: d.NamaUsaha, Sektor: d.Sektor, Produk: d.Produk, Alamat: d.Alamat, RT: d.RT, RW: d.RW,
		KecamatanKode: d.KecamatanKode, KelurahanKode: d.KelurahanKode, ModalUsaha: d.ModalUsaha,
		OmzetTahunan: d.OmzetTahunan, TotalAset: d.TotalAset, KaryawanLaki: d.KaryawanLaki,
		KaryawanPerempuan: d.KaryawanPerempuan, TahunMulai: d.TahunMulai, NIB: d.NIB,
		SaluranPenjualan: d.SaluranPenjualan, SkalaDilaporkan: d.SkalaDilaporkan}
}

// Registrasi is a registration as staff see it.
type Registrasi struct {
	ID             uuid.UUID      `json:"id"`
	KodeLacak      string         `json:"kode_lacak" example:"DPK-7Q4MK-9X2AB"`
	Status         string         `json:"status" enum:"menunggu,diterima,ditolak"`
	Data           RegistrasiData `json:"data"`
	Alasan         *string        `json:"alasan,omitempty" doc:"Why it was rejected (shown to the applicant)."`
	UMKMID         *uuid.UUID     `json:"umkm_id,omitempty" doc:"The UMKM record created on acceptance."`
	DuplikatUMKMID *uuid.UUID     `json:"duplikat_umkm_id,omitempty" doc:"For a waiting registration: a live UMKM with the same NIK or NIB, within the caller's regions. Accepting is refused (409) while one exists, in any region."`
	CreatedAt      time.Time      `json:"created_at"`
	DiputuskanAt   *time.Time     `json:"diputuskan_at,omitempty"`
	DiputuskanOleh *uuid.UUID     `json:"diputuskan_oleh,omitempty" doc:"The user who decided."`
	Version        int64          `json:"-"`

	nikSealed []byte
}

// RegistrasiStatus is all the public learns of a registration: no personal
// data, so a leaked or guessed tracking code reveals nothing about anyone.
type RegistrasiStatus struct {
	KodeLacak        string `json:"kode_lacak" example:"DPK-7Q4MK-9X2AB" doc:"Keep it to check the status."`
	Status           string `json:"status" enum:"menunggu,diterima,ditolak"`
	TanggalDaftar    string `json:"tanggal_daftar" format:"date" doc:"Date of the registration (the office's time zone)."`
	TanggalKeputusan string `json:"tanggal_keputusan,omitempty" format:"date" doc:"Date of the decision."`
	Alasan           string `json:"alasan,omitempty" doc:"Why the registration was rejected."`
}

// RegistrasiPath is where staff find a registration in the API.
func RegistrasiPath(tenantSlug string, id uuid.UUID) string {
	return "/v1/tenants/" + tenantSlug + "/registrasi/" + id.String()
}

// RegistrasiStatusPath is where the public checks a registration.
func RegistrasiStatusPath(tenantSlug, kode string) string {
	return "/v1/public/" + tenantSlug + "/registrasi/" + kode
}

// ---------------------------------------------------------------------------
// Tracking codes

// kodeAlphabet is Crockford's base32: no I, L, O or U, so a code read aloud
// or copied by hand survives; on input I and L are read as 1 and O as 0.
const kodeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// kodeLen random symbols of 5 bits: 50 bits. Guessing one of a tenant's
// registrations, say 10.000, takes about 10^11 tries, against a status
// endpoint that admits a few thousand per hour per tenant.
const kodeLen = 10

// KodePrefix is a tenant's short mark on its codes, from its slug: the first
// letter and the next consonants (depok → DPK, tangsel → TNG, karawang →
// KRW, medan → MDN). It only helps people tell codes apart; the tenant in
// the path is what counts.
func KodePrefix(slug string) string {
	var letters []byte
	for i := 0; i < len(slug); i++ {
		if c := slug[i]; c >= 'a' && c <= 'z' {
			letters = append(letters, c-'a'+'A')
		}
	}
	if len(letters) == 0 {
		return "REG"
	}
	out := letters[:1:1]
	for _, c := range letters[1:] {
		if len(out) == 3 {
			break
		}
		if !strings.ContainsRune("AEIOU", rune(c)) {
			out = append(out, c)
		}
	}
	return string(out)
}

// newKode returns a fresh random code: PREFIX-XXXXX-XXXXX.
func newKode(prefix string) string {
	b := make([]byte, kodeLen)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	for i := range b {
		b[i] = kodeAlphabet[b[i]&31] // 256 is a multiple of 32: uniform
	}
	return prefix + "-" + string(b[:5]) + "-" + string(b[5:])
}

// ParseKode reads a code as a person may type it (any case, with or without
// dashes or spaces, with or without the tenant's prefix, O for 0, I or L for
// 1) and returns its canonical form.
func ParseKode(prefix, s string) (string, bool) {
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '-' || c == ' ':
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		default:
			return "", false
		}
		b = append(b, c)
	}
	switch {
	case len(b) == kodeLen:
	case len(b) == len(prefix)+kodeLen && string(b[:len(prefix)]) == prefix:
		b = b[len(prefix):]
	default:
		return "", false
	}
	for i, c := range b {
		switch c {
		case 'O':
			b[i] = '0'
		case 'I', 'L':
			b[i] = '1'
		case 'U':
			return "", false
		}
	}
	return prefix + "-" + string(b[:5]) + "-" + string(b[5:]), true
}

// ---------------------------------------------------------------------------
// Rate limits

// Limit admits N requests in any Window (a sliding window).
type Limit struct {
	N      int
	Window time.Duration
}

// RegistrasiLimits bound the public endpoints per client address and per
// tenant. A zero Limit takes its default (DefaultRegistrasiLimits).
type RegistrasiLimits struct {
	CreatePerClient Limit // registrations from one address to one tenant
	CreatePerTenant Limit // registrations to one tenant from everywhere
	StatusPerClient Limit // status lookups from one address
	StatusPerTenant Limit // status lookups of one tenant from everywhere
}

// DefaultRegistrasiLimits, and why:
//
//   - 20 registrations an hour per address and tenant. Filling in the form
//     takes a person minutes, so one address rarely sends more than a
//     handful; but a kelurahan office or a cooperative may enter several
//     members from one computer, and mobile carriers put many subscribers
//     behind one address (CGNAT). 20 lets an assisted session run while a
//     script from one address is stopped within seconds. Refused and
//     invalid submissions count too, so probing costs the same.
//   - 200 registrations an hour per tenant, from all addresses. Depok aims at
//     about 1.750 new entrepreneurs a year (seed 001): a few a day, a few
//     hundred on a launch day. 200 an hour never stops that, and bounds what
//     a distributed flood can put in front of the reviewing staff.
//   - 60 status lookups an hour per address: checking one's own code a few
//     times, or an assistant checking for a group.
//   - 2.000 status lookups an hour per tenant: far above real use, and it
//     caps how fast many addresses together can guess codes (see kodeLen).
var DefaultRegistrasiLimits = RegistrasiLimits{
	CreatePerClient: Limit{N: 20, Window: time.Hour},
	CreatePerTenant: Limit{N: 200, Window: time.Hour},
	StatusPerClient: Limit{N: 60, Window: time.Hour},
	StatusPerTenant: Limit{N: 2000, Window: time.Hour},
}

// WithDefaults fills zero limits from DefaultRegistrasiLimits.
func (l RegistrasiLimits) WithDefaults() RegistrasiLimits {
	d := DefaultRegistrasiLimits
	for _, p := range []struct{ v, def *Limit }{
		{&l.CreatePerClient, &d.CreatePerClient}, {&l.CreatePerTenant, &d.CreatePerTenant},
		{&l.StatusPerClient, &d.StatusPerClient}, {&l.StatusPerTenant, &d.StatusPerTenant},
	} {
		if p.v.N <= 0 || p.v.Window <= 0 {
			*p.v = *p.def
		}
	}
	return l
}

func (l RegistrasiLimits) longest() time.Duration {
	return max(l.CreatePerClient.Window, l.CreatePerTenant.Window, l.StatusPerClient.Window, l.StatusPerTenant.Window)
}

// bucket is one thing counted: a keyed hash and its limit.
type bucket struct {
	key   []byte
	limit Limit
}

// clientKey is the part of an address that identifies a client: the address
// for IPv4, the /64 network for IPv6 (one host usually holds a whole /64 and
// can pick a new address in it for every request).
func clientKey(addr string) string {
	ip := net.ParseIP(addr)
	switch {
	case ip == nil:
		return addr
	case ip.To4() != nil:
		return ip.To4().String()
	default:
		return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
}

// buckets are the counters of one public action of tenant t from client.
func (s *Service) buckets(t *tenancy.Tenant, action, client string, perClient, perTenant Limit) []bucket {
	return []bucket{
		{s.Sealer.Hash(t.ID, "throttle/registrasi/"+action+"/client/"+clientKey(client)), perClient},
		{s.Sealer.Hash(t.ID, "throttle/registrasi/"+action+"/tenant"), perTenant},
	}
}

var errTooManyRegistrations = apperr.T(
	"Terlalu banyak permintaan. Silakan coba lagi nanti.",
	"Too many requests. Please try again later.")

// throttle admits a request if every bucket is under its limit, and counts
// it; otherwise it answers TooManyRequests with the wait until every bucket
// has room again. Counted in PostgreSQL, shared by every API process: one
// statement counts, records and prunes. Two requests at the same moment may
// both take the last slot (the count is not locked): a limit may be passed
// by as many requests as arrive concurrently, which is harmless here and
// keeps the public path free of lock waits.
func (s *Service) throttle(ctx context.Context, longest time.Duration, bs ...bucket) error {
	now := s.Now()
	keys := make([][]byte, len(bs))
	since := make([]time.Time, len(bs))
	limits := make([]int, len(bs))
	for i, b := range bs {
		keys[i], since[i], limits[i] = b.key, now.Add(-b.limit.Window), b.limit.N
	}
	rows, err := s.DB.Pool.Query(ctx, `with b as (
			select * from unnest($1::bytea[], $2::timestamptz[], $3::int[]) with ordinality as b(key, since, n, i)
		), c as (
			select b.i, b.key, b.n, (select count(*) from throttle_hits h where h.key = b.key and h.at > b.since) as seen from b
		), counted as (
			insert into throttle_hits (key, at) select key, $4 from c where not exists (select from c where seen >= n)
		), pruned as (
			delete from throttle_hits where ctid = any(array(
				select ctid from throttle_hits where at < $5 limit 100 for update skip locked))
		)
		select i, seen from c order by i`, keys, since, limits, now, now.Add(-longest))
	if err != nil {
		return fmt.Errorf("throttle: %w", err)
	}
	seen, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (int, error) {
		var i int64
		var n int
		err := r.Scan(&i, &n)
		return n, err
	})
	if err != nil {
		return fmt.Errorf("throttle: %w", err)
	}
	var (
		over bool
		wait time.Duration
	)
	for i, b := range bs {
		if seen[i] < b.limit.N {
			continue
		}
		over = true
		// Room comes back when the oldest hits beyond the limit leave the
		// window.
		var at time.Time
		err := s.DB.Pool.QueryRow(ctx, `select at from throttle_hits where key = $1 and at > $2
			order by at offset $3 limit 1`, b.key, since[i], seen[i]-b.limit.N).Scan(&at)
		if errors.Is(err, pgx.ErrNoRows) {
			at = now // pruned meanwhile
		} else if err != nil {
			return fmt.Errorf("throttle wait: %w", err)
		}
		wait = max(wait, at.Add(b.limit.Window).Sub(now))
	}
	if over {
		return apperr.TooManyRequests(errTooManyRegistrations, max(wait, time.Second))
	}
	return nil
}

// ---------------------------------------------------------------------------
// Public: register and check

// publicUser is the user id under which anonymous Idempotency-Keys are kept.
// A key is a client-made random value; replaying it needs the same body,
// which only its sender has.
var publicUser = uuid.Nil

// Register files a self-registration from client for tenant t, once per
// idempotency key (if any). It answers what the public may see.
//
// A filled honeypot (SitusWeb) gets the very answer a real registration
// gets, with a fresh plausible code, and nothing is stored: telling a bot it
// was caught teaches it to avoid the field, and storing its junk would only
// give staff something to reject. Validation runs first, so the honeypot's
// answer to a body is exactly what that body would get without it.
func (s *Service) Register(ctx context.Context, t *tenancy.Tenant, in RegistrasiInput, client, idemKey string, lim RegistrasiLimits) (RegistrasiStatus, bool, error) {
	lim = lim.WithDefaults()
	if err := s.throttle(ctx, lim.longest(), s.buckets(t, "create", client, lim.CreatePerClient, lim.CreatePerTenant)...); err != nil {
		return RegistrasiStatus{}, false, err
	}
	now := s.Now()
	prefix := KodePrefix(t.Slug)
	var (
		out      RegistrasiStatus
		replayed bool
	)
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		r, err := s.prepareRegistrasi(ctx, tx, t, in)
		if err != nil {
			return err
		}
		if strings.TrimSpace(in.SitusWeb) != "" {
			s.Logger.InfoContext(ctx, "registrasi honeypot filled", "tenant", t.Slug)
			out = RegistrasiStatus{KodeLacak: newKode(prefix), Status: RegistrasiMenunggu, TanggalDaftar: localDate(now, t.TimeZone)}
			return nil
		}
		req := idempotency.Request{TenantID: t.ID, UserID: publicUser, Key: idemKey, Operation: "create-registrasi", Body: in}
		if idemKey != "" {
			stored, err := idempotency.Lookup(ctx, tx, req)
			if err != nil {
				return err
			}
			if stored != nil {
				replayed = true
				return json.Unmarshal(stored.Response, &out)
			}
		}
		rec, err := insertRegistrasi(ctx, tx, t, r, prefix, now)
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "registrasi", EntityID: rec.ID.String(), After: rec}); err != nil {
			return err
		}
		out = RegistrasiStatus{KodeLacak: rec.KodeLacak, Status: rec.Status, TanggalDaftar: localDate(rec.CreatedAt, t.TimeZone)}
		if idemKey != "" {
			return idempotency.Save(ctx, tx, req, 202, out, RegistrasiStatusPath(t.Slug, out.KodeLacak))
		}
		return nil
	})
	return out, replayed, err
}

// prepareRegistrasi validates the form exactly as staff input is validated,
// plus what the form requires beyond it (NIK, phone).
func (s *Service) prepareRegistrasi(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, in RegistrasiInput) (row, error) {
	var required []apperr.Field
	for _, f := range []struct{ name, v string }{{"nik", in.NIK}, {"telepon", in.Telepon}} {
		if strings.TrimSpace(f.v) == "" {
			required = append(required, apperr.Field{Location: "body." + f.name,
				Message: apperr.T("Wajib diisi pada pendaftaran online.", "Required for online registration.")})
		}
	}
	r, err := s.prepare(ctx, tx, t, in.input(), "body")
	if err != nil {
		if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindInvalid {
			ae.Fields = append(ae.Fields, required...)
		}
		return row{}, err
	}
	if len(required) > 0 {
		return row{}, apperr.Invalid(apperr.T("Data pendaftaran tidak valid. Periksa isian yang disebutkan.",
			"Invalid registration. Check the fields listed."), required...)
	}
	return r, nil
}

// insertRegistrasi stores a validated registration under a fresh code,
// drawing again in the (negligible) case the code is taken.
func insertRegistrasi(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, r row, prefix string, now time.Time) (Registrasi, error) {
	data, err := json.Marshal(dataOf(r.in))
	if err != nil {
		return Registrasi{}, err
	}
	id := uuid.Must(uuid.NewV7())
	for range 5 {
		rec, err := scanRegistrasi(tx.QueryRow(ctx, `insert into registrasi (tenant_id, id, kode_lacak, status, data,
				nik_hash, nik_sealed, created_at)
			values ($1, $2, $3, 'menunggu', $4, $5, $6, $7)
			on conflict (tenant_id, kode_lacak) do nothing
			returning `+registrasiCols, t.ID, id, newKode(prefix), data, r.nikHash, r.nikSealed, now))
		if errors.Is(err, pgx.ErrNoRows) {
			continue
		}
		if err != nil {
			return Registrasi{}, fmt.Errorf("insert registrasi: %w", err)
		}
		return rec, nil
	}
	return Registrasi{}, errors.New("insert registrasi: no free tracking code in 5 draws")
}

// RegistrasiStatus answers a public status lookup by tracking code. An unknown or
// malformed code is not found.
func (s *Service) RegistrasiStatus(ctx context.Context, t *tenancy.Tenant, kode, client string, lim RegistrasiLimits) (RegistrasiStatus, error) {
	lim = lim.WithDefaults()
	if err := s.throttle(ctx, lim.longest(), s.buckets(t, "status", client, lim.StatusPerClient, lim.StatusPerTenant)...); err != nil {
		return RegistrasiStatus{}, err
	}
	kode, ok := ParseKode(KodePrefix(t.Slug), kode)
	if !ok {
		return RegistrasiStatus{}, apperr.NotFound()
	}
	var out RegistrasiStatus
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var created time.Time
		var decided *time.Time
		var alasan *string
		err := tx.QueryRow(ctx, `select kode_lacak, status, created_at, diputuskan_at, alasan from registrasi where kode_lacak = $1`,
			kode).Scan(&out.KodeLacak, &out.Status, &created, &decided, &alasan)
		if err != nil {
			return db.MapError(err)
		}
		out.TanggalDaftar = localDate(created, t.TimeZone)
		if decided != nil {
			out.TanggalKeputusan = localDate(*decided, t.TimeZone)
		}
		if out.Status == RegistrasiDitolak && alasan != nil {
			out.Alasan = *alasan
		}
		return nil
	})
	return out, err
}

// localDate is t's date in the tenant's time zone (UTC if it is unknown).
func localDate(t time.Time, tz string) string {
	if loc, err := time.LoadLocation(tz); err == nil && tz != "" {
		t = t.In(loc)
	} else {
		t = t.UTC()
	}
	return t.Format(time.DateOnly)
}

// ---------------------------------------------------------------------------
// Staff: review

const registrasiCols = `id, kode_lacak, status, data, nik_sealed, alasan, umkm_id, created_at, diputuskan_at,
	diputuskan_oleh, version`

func scanRegistrasi(row pgx.Row, extra ...any) (Registrasi, error) {
	var r Registrasi
	var data []byte
	err := row.Scan(append([]any{&r.ID, &r.KodeLacak, &r.Status, &data, &r.nikSealed, &r.Alasan, &r.UMKMID,
		&r.CreatedAt, &r.DiputuskanAt, &r.DiputuskanOleh, &r.Version}, extra...)...)
	if err != nil {
		return Registrasi{}, err
	}
	if err := json.Unmarshal(data, &r.Data); err != nil {
		return Registrasi{}, fmt.Errorf("registrasi %s data: %w", r.ID, err)
	}
	return r, nil
}

// scopedCols is registrasiCols for a caller whose Scope is parameter $n:
// the record an accepted registration became is shown only within the
// scope (staff may since have moved it to another region).
func scopedCols(n int) string {
	return strings.Replace(prefixed(registrasiCols, "r."), "r.umkm_id", fmt.Sprintf(`case when $%[1]d::text[] is null
	or exists (select 1 from umkm u where u.id = r.umkm_id and (u.kecamatan_kode = any($%[1]d) or u.kelurahan_kode = any($%[1]d)))
	then r.umkm_id end`, n), 1)
}

// duplikatCol finds, for a waiting registration, a live UMKM with its NIK or
// NIB (served by the unique indexes umkm_nik_key and umkm_nib_key), within
// the Scope passed as parameter $n: a record outside a petugas's regions
// does not exist for them (accepting is still refused, without naming it).
func duplikatCol(n int) string {
	return fmt.Sprintf(`case when r.status = 'menunggu' then (select u.id from umkm u where u.archived_at is null
	and ((r.nik_hash is not null and u.nik_hash = r.nik_hash) or (r.data->>'nib' is not null and u.nib = r.data->>'nib'))
	and ($%[1]d::text[] is null or u.kecamatan_kode = any($%[1]d) or u.kelurahan_kode = any($%[1]d))
	limit 1) end`, n)
}

// regionFilter limits rows to a Scope (a petugas's regions).
const regionFilter = `($%d::text[] is null or r.data->>'kecamatan_kode' = any($%[1]d) or r.data->>'kelurahan_kode' = any($%[1]d))`

// RegistrasiFilter narrows the review list.
type RegistrasiFilter struct {
	Status string    // menunggu, diterima or ditolak
	After  uuid.UUID // keyset: registrations after this id (UUIDv7: oldest first)
	Limit  int
}

// ListRegistrasi returns registrations of one status, oldest first (the
// order of the review queue), presented for the caller.
func (s *Service) ListRegistrasi(ctx context.Context, t *tenancy.Tenant, f RegistrasiFilter, sc Scope, v View) ([]Registrasi, error) {
	var out []Registrasi
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var after *uuid.UUID
		if f.After != uuid.Nil {
			after = &f.After
		}
		rows, err := tx.Query(ctx, `select `+scopedCols(3)+`, `+duplikatCol(3)+` from registrasi r
			where r.status = $1 and ($2::uuid is null or r.id > $2) and `+fmt.Sprintf(regionFilter, 3)+`
			order by r.id limit $4`, f.Status, after, sc.sqlArg(), f.Limit)
		if err != nil {
			return fmt.Errorf("list registrasi: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Registrasi, error) {
			var dup *uuid.UUID
			r, err := scanRegistrasi(row, &dup)
			r.DuplikatUMKMID = dup
			return r, err
		})
		return err
	})
	for i := range out {
		s.presentRegistrasi(t, &out[i], v, false)
	}
	return out, err
}

// prefixed qualifies a column list with a table alias.
func prefixed(cols, alias string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = alias + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// GetRegistrasi returns one registration. Out of scope is not found.
func (s *Service) GetRegistrasi(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, sc Scope, v View) (Registrasi, error) {
	var r Registrasi
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var err error
		r, err = getRegistrasiTx(ctx, tx, id, sc, false)
		return err
	})
	if err != nil {
		return Registrasi{}, err
	}
	s.presentRegistrasi(t, &r, v, true)
	return r, nil
}

func getRegistrasiTx(ctx context.Context, tx pgx.Tx, id uuid.UUID, sc Scope, forUpdate bool) (Registrasi, error) {
	q := `select ` + scopedCols(2) + `, ` + duplikatCol(2) + ` from registrasi r
		where r.id = $1 and ` + fmt.Sprintf(regionFilter, 2)
	if forUpdate {
		q += " for update of r"
	}
	var dup *uuid.UUID
	r, err := scanRegistrasi(tx.QueryRow(ctx, q, id, sc.sqlArg()), &dup)
	if err != nil {
		return Registrasi{}, db.MapError(err)
	}
	r.DuplikatUMKMID = dup
	return r, nil
}

// presentRegistrasi applies what the caller may see, as Present does for
// records: the NIK masked unless fullNIK for a PII role; without PII, phone
// and e-mail masked and the address withheld.
func (s *Service) presentRegistrasi(t *tenancy.Tenant, r *Registrasi, v View, fullNIK bool) {
	d := &r.Data
	if r.nikSealed != nil {
		if nik, err := s.Sealer.Open(t.ID, r.nikSealed); err == nil {
			if !v.PII || !fullNIK {
				nik = pii.NIK(nik)
			}
			d.NIK = &nik
		} else {
			s.Logger.Error("open sealed nik", "registrasi_id", r.ID, "error", err)
		}
	}
	if v.PII {
		return
	}
	if d.Telepon != nil {
		m := pii.Phone(*d.Telepon)
		d.Telepon = &m
	}
	if d.Email != nil {
		m := pii.Email(*d.Email)
		d.Email = &m
	}
	d.Alamat, d.RT, d.RW = nil, nil, nil
}

// AcceptRegistrasi accepts a waiting registration at version: the UMKM record
// is created (source registrasi_online, status binaan) through CreateTx, in
// the same transaction that marks the registration accepted, so either both
// happen or neither. A live record with the same NIK or NIB refuses it (409,
// existing pointing at that record) and the registration stays waiting.
func (s *Service) AcceptRegistrasi(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64, actor uuid.UUID, sc Scope, v View) (Registrasi, error) {
	var after Registrasi
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := s.decidable(ctx, tx, t, id, version, sc)
		if err != nil {
			return err
		}
		var nik *string
		if before.nikSealed != nil {
			n, err := s.Sealer.Open(t.ID, before.nikSealed)
			if err != nil {
				return fmt.Errorf("open nik of registrasi %s: %w", id, err)
			}
			nik = &n
		}
		in := before.Data.input(nik)
		binaan := "binaan"
		in.StatusBinaan = &binaan
		rec, err := s.CreateTx(ctx, tx, t, in, SourceRegistrasi, sc)
		if err != nil {
			return asDataFields(err)
		}
		after, err = scanRegistrasi(tx.QueryRow(ctx, `update registrasi set status = 'diterima', umkm_id = $2,
				diputuskan_at = $3, diputuskan_oleh = $4, version = version + 1
			where id = $1 returning `+registrasiCols, id, rec.ID, s.Now(), actor))
		if err != nil {
			return fmt.Errorf("accept registrasi: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "accept", Entity: "registrasi", EntityID: id.String(), Before: before, After: after})
	})
	if err != nil {
		return Registrasi{}, err
	}
	s.presentRegistrasi(t, &after, v, false)
	return after, nil
}

// asDataFields relocates field errors of CreateTx ("body.nik") to where the
// reviewer finds them: the registration's data ("data.nik").
func asDataFields(err error) error {
	if ae, ok := apperr.As(err); ok {
		for i, f := range ae.Fields {
			if rest, ok := strings.CutPrefix(f.Location, "body."); ok {
				ae.Fields[i].Location = "data." + rest
			}
		}
	}
	return err
}

// RejectRegistrasi rejects a waiting registration at version, with a reason
// the applicant will read.
func (s *Service) RejectRegistrasi(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64, alasan string, actor uuid.UUID, sc Scope, v View) (Registrasi, error) {
	alasan = strings.TrimSpace(alasan)
	if n := utf8.RuneCountInString(alasan); n < 3 || n > 500 {
		return Registrasi{}, apperr.InvalidField("body.alasan", nil, apperr.T(
			"Alasan wajib diisi, 3–500 karakter.", "A reason is required, 3–500 characters."))
	}
	var after Registrasi
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := s.decidable(ctx, tx, t, id, version, sc)
		if err != nil {
			return err
		}
		after, err = scanRegistrasi(tx.QueryRow(ctx, `update registrasi set status = 'ditolak', alasan = $2,
				diputuskan_at = $3, diputuskan_oleh = $4, version = version + 1
			where id = $1 returning `+registrasiCols, id, alasan, s.Now(), actor))
		if err != nil {
			return fmt.Errorf("reject registrasi: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "reject", Entity: "registrasi", EntityID: id.String(), Before: before, After: after})
	})
	if err != nil {
		return Registrasi{}, err
	}
	s.presentRegistrasi(t, &after, v, false)
	return after, nil
}

// decidable locks a registration that is still waiting and at version. A
// decided one is a conflict (whatever the version: it tells the reviewer
// more than a stale ETag), pointing at the UMKM record it became, if any.
func (s *Service) decidable(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, id uuid.UUID, version int64, sc Scope) (Registrasi, error) {
	r, err := getRegistrasiTx(ctx, tx, id, sc, true)
	if err != nil {
		return Registrasi{}, err
	}
	if r.Status != RegistrasiMenunggu {
		existing := RegistrasiPath(t.Slug, id)
		if r.UMKMID != nil {
			existing = Path(t.Slug, *r.UMKMID)
		}
		return Registrasi{}, apperr.Conflict(apperr.T(
			"Pendaftaran ini sudah diputuskan ("+r.Status+").", "This registration has already been decided ("+r.Status+")."), existing)
	}
	if r.Version != version {
		return Registrasi{}, apperr.PreconditionFailed()
	}
	return r, nil
}
