package pemasaran

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/keyset"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// TitikJadwal is when a point is open: weekly (a weekly market) and/or on
// dated days (a bazaar, an event).
type TitikJadwal struct {
	Mingguan []TitikJadwalMingguan `json:"mingguan,omitempty" maxItems:"14"`
	Tanggal  []TitikJadwalTanggal  `json:"tanggal,omitempty" maxItems:"60"`
}

// TitikJadwalMingguan is a weekly opening: hari 1 (Senin) to 7 (Minggu).
type TitikJadwalMingguan struct {
	Hari    int    `json:"hari" minimum:"1" maximum:"7" doc:"1 Senin … 7 Minggu."`
	Mulai   string `json:"mulai" example:"07:00" doc:"HH:MM, the office's time."`
	Selesai string `json:"selesai" example:"12:00"`
}

// TitikJadwalTanggal is a dated opening.
type TitikJadwalTanggal struct {
	Tanggal string `json:"tanggal" format:"date"`
	Mulai   string `json:"mulai" example:"08:00"`
	Selesai string `json:"selesai" example:"16:00"`
}

// Titik is a marketing point as the API shows it.
type Titik struct {
	ID            uuid.UUID   `json:"id"`
	Jenis         string      `json:"jenis" enum:"galeri,pojok_umkm,pasar_mingguan,bazar,event,ritel_modern,marketplace,e_katalog,pojok_hotel,pojok_rumah_sakit,pojok_sekolah"`
	Nama          string      `json:"nama"`
	KecamatanKode *string     `json:"kecamatan_kode,omitempty"`
	KecamatanNama *string     `json:"kecamatan_nama,omitempty"`
	KelurahanKode *string     `json:"kelurahan_kode,omitempty"`
	KelurahanNama *string     `json:"kelurahan_nama,omitempty"`
	Alamat        *string     `json:"alamat,omitempty"`
	OperatorJenis string      `json:"operator_jenis" enum:"kantor,koperasi,mitra,ritel"`
	KoperasiID    *uuid.UUID  `json:"koperasi_id,omitempty"`
	OperatorNama  *string     `json:"operator_nama,omitempty" doc:"The partner's or retailer's name; a cooperative's name from the register."`
	Dijaga        bool        `json:"dijaga" doc:"Staffed (true) or display-only."`
	LaporKadens   string      `json:"lapor_kadens" enum:"mingguan,bulanan" doc:"How often the operator reports sales."`
	Jadwal        TitikJadwal `json:"jadwal"`
	Status        string      `json:"status" enum:"rencana,aktif,ditutup"`
	Keterangan    *string     `json:"keterangan,omitempty"`
	ArchivedAt    *time.Time  `json:"archived_at,omitempty"`
	CreatedAt     time.Time   `json:"created_at"`
	UpdatedAt     time.Time   `json:"updated_at"`
	Version       int64       `json:"-"`
}

// TitikInput is a point as staff write it; an update replaces every field.
type TitikInput struct {
	Jenis         string      `json:"jenis" enum:"galeri,pojok_umkm,pasar_mingguan,bazar,event,ritel_modern,marketplace,e_katalog,pojok_hotel,pojok_rumah_sakit,pojok_sekolah"`
	Nama          string      `json:"nama" maxLength:"200" example:"Galeri UMKM Balai Kota"`
	KecamatanKode *string     `json:"kecamatan_kode,omitempty" doc:"A kecamatan of this office; required except for marketplace and e_katalog."`
	KelurahanKode *string     `json:"kelurahan_kode,omitempty" doc:"A kelurahan/desa of that kecamatan."`
	Alamat        *string     `json:"alamat,omitempty" maxLength:"500"`
	OperatorJenis string      `json:"operator_jenis" enum:"kantor,koperasi,mitra,ritel"`
	KoperasiID    *uuid.UUID  `json:"koperasi_id,omitempty" doc:"The operating cooperative (operator_jenis koperasi)."`
	OperatorNama  *string     `json:"operator_nama,omitempty" maxLength:"200" doc:"The partner's or retailer's name (mitra, ritel)."`
	Dijaga        bool        `json:"dijaga"`
	LaporKadens   string      `json:"lapor_kadens" enum:"mingguan,bulanan"`
	Jadwal        TitikJadwal `json:"jadwal,omitempty" doc:"Required (at least one opening) for pasar_mingguan, bazar and event."`
	Status        string      `json:"status,omitempty" enum:"rencana,aktif,ditutup" doc:"Absent: aktif."`
	Keterangan    *string     `json:"keterangan,omitempty" maxLength:"2000"`
}

var jamRE = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

func (f *fieldErrs) jam(name, mulai, selesai string) {
	switch {
	case !jamRE.MatchString(mulai):
		f.add(name+".mulai", mulai, apperr.T("Jam harus HH:MM, mis. 07:00.", "Times are HH:MM, e.g. 07:00."))
	case !jamRE.MatchString(selesai):
		f.add(name+".selesai", selesai, apperr.T("Jam harus HH:MM, mis. 12:00.", "Times are HH:MM, e.g. 12:00."))
	case selesai <= mulai:
		f.add(name+".selesai", selesai, apperr.T("Jam selesai harus setelah jam mulai.", "The end must be after the start."))
	}
}

func validateTitik(in TitikInput) (TitikInput, error) {
	f := &fieldErrs{prefix: "body"}
	f.oneOf("jenis", in.Jenis, AllJenis)
	if n := f.text("nama", &in.Nama, 200, true); n != nil {
		in.Nama = *n
	}
	in.KecamatanKode = f.text("kecamatan_kode", in.KecamatanKode, 20, false)
	in.KelurahanKode = f.text("kelurahan_kode", in.KelurahanKode, 20, false)
	if in.KecamatanKode == nil && in.Jenis != "marketplace" && in.Jenis != "e_katalog" {
		f.add("kecamatan_kode", nil, apperr.T("Wajib diisi untuk titik yang punya tempat.", "Required for a point with a place."))
	}
	if in.KelurahanKode != nil && in.KecamatanKode == nil {
		f.add("kecamatan_kode", nil, apperr.T("Isi kecamatan bila kelurahan diisi.", "Give the kecamatan of the kelurahan."))
	}
	in.Alamat = f.text("alamat", in.Alamat, 500, false)
	if f.oneOf("operator_jenis", in.OperatorJenis, AllOperator) {
		switch in.OperatorJenis {
		case "koperasi":
			if in.KoperasiID == nil || *in.KoperasiID == uuid.Nil {
				f.add("koperasi_id", nil, apperr.T("Pilih koperasi pengelola.", "Choose the operating cooperative."))
			}
			in.OperatorNama = nil
		case "mitra", "ritel":
			in.KoperasiID = nil
			in.OperatorNama = f.text("operator_nama", in.OperatorNama, 200, true)
		default:
			in.KoperasiID, in.OperatorNama = nil, nil
		}
	}
	f.oneOf("lapor_kadens", in.LaporKadens, AllKadens)
	if in.Status == "" {
		in.Status = "aktif"
	}
	f.oneOf("status", in.Status, AllStatus)
	in.Keterangan = f.text("keterangan", in.Keterangan, 2000, false)
	if len(in.Jadwal.Mingguan) > 14 {
		f.add("jadwal.mingguan", len(in.Jadwal.Mingguan), apperr.T("Maksimal 14 jadwal mingguan.", "At most 14 weekly openings."))
	}
	if len(in.Jadwal.Tanggal) > 60 {
		f.add("jadwal.tanggal", len(in.Jadwal.Tanggal), apperr.T("Maksimal 60 tanggal.", "At most 60 dates."))
	}
	for i, m := range in.Jadwal.Mingguan {
		name := fmt.Sprintf("jadwal.mingguan[%d]", i)
		if m.Hari < 1 || m.Hari > 7 {
			f.add(name+".hari", m.Hari, apperr.T("Hari 1 (Senin) sampai 7 (Minggu).", "Days are 1 (Monday) to 7 (Sunday)."))
		}
		f.jam(name, m.Mulai, m.Selesai)
	}
	for i, d := range in.Jadwal.Tanggal {
		name := fmt.Sprintf("jadwal.tanggal[%d]", i)
		f.day(name+".tanggal", d.Tanggal)
		f.jam(name, d.Mulai, d.Selesai)
	}
	switch in.Jenis {
	case "pasar_mingguan":
		if len(in.Jadwal.Mingguan) == 0 {
			f.add("jadwal.mingguan", nil, apperr.T("Pasar mingguan perlu jadwal mingguan (hari dan jam).", "A weekly market needs a weekly schedule."))
		}
	case "bazar", "event":
		if len(in.Jadwal.Mingguan) == 0 && len(in.Jadwal.Tanggal) == 0 {
			f.add("jadwal.tanggal", nil, apperr.T("Isi tanggal pelaksanaan atau jadwal mingguan.", "Give the dates or a weekly schedule."))
		}
	}
	return in, f.err(apperr.T("Data titik pemasaran tidak valid. Periksa isian yang disebutkan.", "Invalid marketing point. Check the fields listed."))
}

// checkRefs checks the region and the cooperative against the register,
// and that a petugas writes only inside their regions.
func checkRefs(ctx context.Context, tx pgx.Tx, in TitikInput, v View) error {
	f := &fieldErrs{prefix: "body"}
	if in.KecamatanKode != nil {
		var ok bool
		if err := tx.QueryRow(ctx, `select exists (select 1 from wilayah where kode = $1 and level = 'kecamatan')`, *in.KecamatanKode).Scan(&ok); err != nil {
			return fmt.Errorf("check kecamatan: %w", err)
		}
		if !ok {
			f.add("kecamatan_kode", *in.KecamatanKode, apperr.T("Kecamatan tidak dikenal di wilayah kantor ini.", "No such kecamatan in this office's area."))
		} else if in.KelurahanKode != nil {
			if err := tx.QueryRow(ctx, `select exists (select 1 from wilayah where kode = $1 and parent_kode = $2)`, *in.KelurahanKode, *in.KecamatanKode).Scan(&ok); err != nil {
				return fmt.Errorf("check kelurahan: %w", err)
			}
			if !ok {
				f.add("kelurahan_kode", *in.KelurahanKode, apperr.T("Kelurahan/desa tidak ada di kecamatan itu.", "No such kelurahan/desa in that kecamatan."))
			}
		}
	}
	if in.KoperasiID != nil {
		var ok bool
		if err := tx.QueryRow(ctx, `select exists (select 1 from koperasi where id = $1 and archived_at is null)`, *in.KoperasiID).Scan(&ok); err != nil {
			return fmt.Errorf("check koperasi: %w", err)
		}
		if !ok {
			f.add("koperasi_id", *in.KoperasiID, apperr.T("Koperasi tidak ditemukan di kantor ini.", "No such cooperative in this office."))
		}
	}
	if len(f.list) == 0 && v.arg() != nil && !inRegion(v, in.KecamatanKode, in.KelurahanKode) {
		f.add("kecamatan_kode", in.KecamatanKode, apperr.T("Di luar wilayah tugas Anda.", "Outside your assigned area."))
	}
	return f.err(apperr.T("Data titik pemasaran tidak valid. Periksa isian yang disebutkan.", "Invalid marketing point. Check the fields listed."))
}

func inRegion(v View, kec, kel *string) bool {
	for _, w := range v.Wilayah {
		if (kec != nil && *kec == w) || (kel != nil && *kel == w) {
			return true
		}
	}
	return false
}

const titikCols = `t.id, t.jenis, t.nama, t.kecamatan_kode, kc.nama, t.kelurahan_kode, kl.nama, t.alamat, t.operator_jenis, t.koperasi_id,
	coalesce(t.operator_nama, k.nama), t.dijaga, t.lapor_kadens, t.jadwal, t.status, t.keterangan, t.archived_at, t.created_at, t.updated_at, t.version`

const titikFrom = ` from titik t left join wilayah kc on kc.tenant_id = t.tenant_id and kc.kode = t.kecamatan_kode
	left join wilayah kl on kl.tenant_id = t.tenant_id and kl.kode = t.kelurahan_kode
	left join koperasi k on k.tenant_id = t.tenant_id and k.id = t.koperasi_id`

// titikScope is the SQL that keeps a petugas to their regions ($1).
const titikScope = ` ($1::text[] is null or t.kecamatan_kode = any($1) or t.kelurahan_kode = any($1))`

func scanTitik(row pgx.Row) (Titik, error) {
	var p Titik
	var jadwal []byte
	if err := row.Scan(&p.ID, &p.Jenis, &p.Nama, &p.KecamatanKode, &p.KecamatanNama, &p.KelurahanKode, &p.KelurahanNama, &p.Alamat,
		&p.OperatorJenis, &p.KoperasiID, &p.OperatorNama, &p.Dijaga, &p.LaporKadens, &jadwal, &p.Status, &p.Keterangan,
		&p.ArchivedAt, &p.CreatedAt, &p.UpdatedAt, &p.Version); err != nil {
		return Titik{}, err
	}
	if err := json.Unmarshal(jadwal, &p.Jadwal); err != nil {
		return Titik{}, fmt.Errorf("titik %s jadwal: %w", p.ID, err)
	}
	return p, nil
}

func getTitikTx(ctx context.Context, tx pgx.Tx, id uuid.UUID, v View, forUpdate bool) (Titik, error) {
	sql := "select " + titikCols + titikFrom + " where" + titikScope + " and t.id = $2"
	if forUpdate {
		sql += " for update of t"
	}
	p, err := scanTitik(tx.QueryRow(ctx, sql, v.arg(), id))
	return p, db.MapError(err)
}

// GetTitik returns a point in v's reach.
func (s *Service) GetTitik(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, v View) (Titik, error) {
	var p Titik
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) (err error) {
		p, err = getTitikTx(ctx, tx, id, v, false)
		return err
	})
	return p, err
}

// CreateTitikTx registers a point in tx.
func (s *Service) CreateTitikTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, in TitikInput, v View) (Titik, error) {
	in, err := validateTitik(in)
	if err != nil {
		return Titik{}, err
	}
	if err := checkRefs(ctx, tx, in, v); err != nil {
		return Titik{}, err
	}
	id := uuid.Must(uuid.NewV7())
	jadwal, _ := json.Marshal(in.Jadwal)
	if _, err := tx.Exec(ctx, `insert into titik (tenant_id, id, jenis, nama, kecamatan_kode, kelurahan_kode, alamat, operator_jenis, koperasi_id,
			operator_nama, dijaga, lapor_kadens, jadwal, status, keterangan, created_at, updated_at)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)`,
		t.ID, id, in.Jenis, in.Nama, in.KecamatanKode, in.KelurahanKode, in.Alamat, in.OperatorJenis, in.KoperasiID, in.OperatorNama,
		in.Dijaga, in.LaporKadens, jadwal, in.Status, in.Keterangan, s.Now()); err != nil {
		return Titik{}, db.MapError(fmt.Errorf("insert titik: %w", err))
	}
	p, err := getTitikTx(ctx, tx, id, View{}, false)
	if err != nil {
		return Titik{}, err
	}
	return p, audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "titik", EntityID: id.String(), After: p})
}

func lockTitik(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, id uuid.UUID, version int64, v View) (Titik, error) {
	p, err := getTitikTx(ctx, tx, id, v, true)
	if err != nil {
		return Titik{}, err
	}
	if p.ArchivedAt != nil {
		return Titik{}, apperr.Conflict(apperr.T("Titik pemasaran sudah diarsipkan.", "The marketing point is archived."), TitikPath(t.Slug, id))
	}
	if version != 0 && p.Version != version {
		return Titik{}, apperr.PreconditionFailed()
	}
	return p, nil
}

// UpdateTitik replaces a point's fields if version is current.
func (s *Service) UpdateTitik(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64, in TitikInput, v View) (Titik, error) {
	in, err := validateTitik(in)
	if err != nil {
		return Titik{}, err
	}
	var p Titik
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := lockTitik(ctx, tx, t, id, version, v)
		if err != nil {
			return err
		}
		if err := checkRefs(ctx, tx, in, v); err != nil {
			return err
		}
		jadwal, _ := json.Marshal(in.Jadwal)
		if _, err := tx.Exec(ctx, `update titik set jenis = $2, nama = $3, kecamatan_kode = $4, kelurahan_kode = $5, alamat = $6, operator_jenis = $7,
				koperasi_id = $8, operator_nama = $9, dijaga = $10, lapor_kadens = $11, jadwal = $12, status = $13, keterangan = $14,
				version = version + 1, updated_at = $15 where id = $1`,
			id, in.Jenis, in.Nama, in.KecamatanKode, in.KelurahanKode, in.Alamat, in.OperatorJenis, in.KoperasiID, in.OperatorNama,
			in.Dijaga, in.LaporKadens, jadwal, in.Status, in.Keterangan, s.Now()); err != nil {
			return db.MapError(fmt.Errorf("update titik: %w", err))
		}
		if p, err = getTitikTx(ctx, tx, id, View{}, false); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "update", Entity: "titik", EntityID: id.String(), Before: before, After: p})
	})
	return p, err
}

// ArchiveTitik takes a point out of lists; its listings stay as history.
func (s *Service) ArchiveTitik(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64, v View) (Titik, error) {
	var p Titik
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if _, err := lockTitik(ctx, tx, t, id, version, v); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `update titik set archived_at = $2, version = version + 1, updated_at = $2 where id = $1`, id, s.Now()); err != nil {
			return fmt.Errorf("archive titik: %w", err)
		}
		var err error
		if p, err = getTitikTx(ctx, tx, id, View{}, false); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "archive", Entity: "titik", EntityID: id.String(), After: p})
	})
	return p, err
}

// TitikFilter narrows the list of points.
type TitikFilter struct {
	Jenis         string
	OperatorJenis string
	Status        string
	Kecamatan     string
	Q             string
	Arsip         bool
	Cursor        string
	Limit         int
}

// TitikPage is a page of points, newest first.
type TitikPage struct {
	Items      []Titik
	NextCursor string
}

// ListTitik returns a page of the points in v's reach.
func (s *Service) ListTitik(ctx context.Context, t *tenancy.Tenant, f TitikFilter, v View) (TitikPage, error) {
	fe := &fieldErrs{prefix: "query"}
	if f.Jenis != "" {
		fe.oneOf("jenis", f.Jenis, AllJenis)
	}
	if f.OperatorJenis != "" {
		fe.oneOf("operator_jenis", f.OperatorJenis, AllOperator)
	}
	if f.Status != "" {
		fe.oneOf("status", f.Status, AllStatus)
	}
	if err := fe.err(apperr.T("Filter tidak valid.", "Invalid filter.")); err != nil {
		return TitikPage{}, err
	}
	cur, err := keyset.Decode(f.Cursor)
	if err != nil {
		return TitikPage{}, err
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	args := []any{v.arg()}
	arg := func(x any) string {
		args = append(args, x)
		return fmt.Sprintf("$%d", len(args))
	}
	where := []string{titikScope}
	if f.Jenis != "" {
		where = append(where, "t.jenis = "+arg(f.Jenis))
	}
	if f.OperatorJenis != "" {
		where = append(where, "t.operator_jenis = "+arg(f.OperatorJenis))
	}
	if f.Status != "" {
		where = append(where, "t.status = "+arg(f.Status))
	}
	if f.Kecamatan != "" {
		where = append(where, "t.kecamatan_kode = "+arg(f.Kecamatan))
	}
	if !f.Arsip {
		where = append(where, "t.archived_at is null")
	}
	words := strings.Fields(strings.ToLower(f.Q))
	for _, w := range words[:min(len(words), 5)] {
		where = append(where, arg(w)+" <% t.cari")
	}
	if cur != nil {
		where = append(where, "t.id < "+arg(cur.ID))
	}
	sql := "select " + titikCols + titikFrom + " where " + strings.Join(where, " and ") + " order by t.id desc limit " + arg(f.Limit+1)
	var page TitikPage
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if len(words) > 0 {
			if _, err := tx.Exec(ctx, db.TrigramSearch); err != nil {
				return err
			}
		}
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return fmt.Errorf("list titik: %w", err)
		}
		page.Items, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Titik, error) { return scanTitik(r) })
		return err
	})
	if err != nil {
		return TitikPage{}, err
	}
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		page.NextCursor = keyset.Encode(keyset.Cursor{ID: page.Items[f.Limit-1].ID})
	}
	return page, nil
}

// TitikPath is where a point lives in the API.
func TitikPath(tenantSlug string, id uuid.UUID) string {
	return "/v1/tenants/" + tenantSlug + "/pemasaran/titik/" + id.String()
}
