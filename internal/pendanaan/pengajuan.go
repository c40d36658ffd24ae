package pendanaan

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/keyset"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Pengajuan is an application for funding.
type Pengajuan struct {
	ID           uuid.UUID  `json:"id"`
	Skema        string     `json:"skema" doc:"The scheme's code."`
	SkemaBerlaku string     `json:"skema_berlaku" format:"date" doc:"The scheme version (its first day) the application is decided under."`
	Jenis        string     `json:"jenis" enum:"subsidi_bunga,kredit_mesra,kur,hibah"`
	UMKMID       *uuid.UUID `json:"umkm_id,omitempty"`
	KoperasiID   *uuid.UUID `json:"koperasi_id,omitempty"`
	NamaKelompok *string    `json:"nama_kelompok,omitempty"`
	SKKelompok   *string    `json:"sk_kelompok,omitempty" doc:"Hibah to a group: the SKPD decree recognising it."`
	Pemohon      string     `json:"pemohon" doc:"The applicant as the office names it: the business, the cooperative or the group."`
	NamaPemilik  *string    `json:"nama_pemilik,omitempty" doc:"A business's owner; masked unless the caller may read personal data."`
	Plafon       int64      `json:"plafon" doc:"The amount applied for (rupiah); a group's is the sum of its members'."`
	TenorBulan   *int       `json:"tenor_bulan,omitempty"`
	BiayaAdmin   *int64     `json:"biaya_admin,omitempty" doc:"Kredit Mesra: the admin fee deducted at disbursement (rupiah)."`
	Bank         *string    `json:"bank,omitempty"`
	Tahap        string     `json:"tahap" enum:"dirujuk,diajukan,lengkap,dikirim_bank,disurvei,disetujui,ditolak,akad,sk,aktif,lunas,macet"`
	TahapSejak   time.Time  `json:"tahap_sejak" doc:"When it entered its current stage."`
	AlasanTolak  *string    `json:"alasan_tolak,omitempty" enum:"slik,pinjaman_lain,paylater,dokumen,lainnya"`
	NomorAkad    *string    `json:"nomor_akad,omitempty"`
	TanggalAkad  *string    `json:"tanggal_akad,omitempty" format:"date"`
	NomorSK      *string    `json:"nomor_sk,omitempty"`
	TanggalSK    *string    `json:"tanggal_sk,omitempty" format:"date"`
	Catatan      *string    `json:"catatan,omitempty"`
	Berikutnya   []string   `json:"berikutnya" nullable:"false" doc:"The stages it may move to now (empty: closed)."`
	// The applicant's declarations (at the step to lengkap) and the bank's
	// SLIK result (at the step to disurvei).
	PernyataanBukanASN         *bool             `json:"pernyataan_bukan_asn,omitempty" doc:"Declared not a civil servant (ASN)."`
	PernyataanTanpaKreditMacet *bool             `json:"pernyataan_tanpa_kredit_macet,omitempty" doc:"Declared no bad credit (spouse and close family included)."`
	SLIK                       *string           `json:"slik,omitempty" enum:"bersih,bermasalah" doc:"The bank's SLIK/BI checking result."`
	SyaratKurang               []SyaratKurang    `json:"syarat_kurang" nullable:"false" doc:"The scheme's gates it does not pass yet, each named in Indonesian (one application: as of now; lists: as last written). The steps to lengkap and disetujui are refused while gates due before them fail."`
	Prioritas                  []PrioritasDana   `json:"prioritas,omitempty" doc:"The scheme's priorities and whether it has them (on one application)."`
	Berkas                     []BerkasDana      `json:"berkas,omitempty" doc:"The papers recorded (on one application, not in lists)."`
	Syarat                     []SyaratDana      `json:"syarat,omitempty" doc:"The gates of its scheme version (on one application still before approval)."`
	JenisBerkas                []string          `json:"jenis_berkas,omitempty" doc:"The papers it may record: the scheme's dokumen, rekomendasi and rekomendasi_lain (on one application still before approval)."`
	Anggota                    []AnggotaKelompok `json:"anggota,omitempty" doc:"A group's members (on one application, not in lists)."`
	Riwayat                    []RiwayatTahap    `json:"riwayat,omitempty" doc:"Its stages with the time in each (on one application, not in lists)."`
	Version                    int64             `json:"version"`
	CreatedAt                  time.Time         `json:"created_at"`
	UpdatedAt                  time.Time         `json:"updated_at"`
}

// AnggotaKelompok is a member of a group application.
type AnggotaKelompok struct {
	UMKMID      uuid.UUID `json:"umkm_id"`
	NamaUsaha   string    `json:"nama_usaha"`
	NamaPemilik string    `json:"nama_pemilik" doc:"Masked unless the caller may read personal data."`
	Plafon      int64     `json:"plafon"`
	BiayaAdmin  *int64    `json:"biaya_admin,omitempty"`
}

// RiwayatTahap is one stage an application went through.
type RiwayatTahap struct {
	No          int        `json:"no"`
	Tahap       string     `json:"tahap"`
	MulaiAt     time.Time  `json:"mulai_at"`
	SelesaiAt   *time.Time `json:"selesai_at,omitempty" doc:"When it left the stage; absent for the current one."`
	DurasiDetik int64      `json:"durasi_detik" doc:"Time in the stage, seconds (until now for the current one)."`
	Catatan     *string    `json:"catatan,omitempty"`
}

// PengajuanInput is a new application. The applicant is one of: umkm_id
// (a registered business), koperasi_id (hibah), or a group (nama_kelompok
// and, for Kredit Mesra, its members).
type PengajuanInput struct {
	Skema        string                 `json:"skema" maxLength:"40" doc:"The scheme's code (GET .../pendanaan/skema)."`
	UMKMID       *string                `json:"umkm_id,omitempty" doc:"The business applying (subsidi_bunga, kur)."`
	KoperasiID   *string                `json:"koperasi_id,omitempty" doc:"The cooperative applying (hibah)."`
	NamaKelompok *string                `json:"nama_kelompok,omitempty" maxLength:"200"`
	SKKelompok   *string                `json:"sk_kelompok,omitempty" maxLength:"200" doc:"Hibah to a group: the number of the SKPD decree recognising it."`
	Anggota      []AnggotaKelompokInput `json:"anggota,omitempty" maxItems:"50" doc:"Kredit Mesra: the group's members, each a registered business of this office."`
	Plafon       *int64                 `json:"plafon,omitempty" doc:"The amount (rupiah); for a group, the members' amounts instead."`
	TenorBulan   *int                   `json:"tenor_bulan,omitempty"`
	Bank         *string                `json:"bank,omitempty" maxLength:"100"`
	Catatan      *string                `json:"catatan,omitempty" maxLength:"1000" doc:"Do not write NIK or phone numbers here."`
}

// AnggotaKelompokInput is a member of a group application.
type AnggotaKelompokInput struct {
	UMKMID string `json:"umkm_id"`
	Plafon int64  `json:"plafon" doc:"What the member borrows (rupiah)."`
}

// Path is where an application lives in the API.
func Path(tenantSlug string, id uuid.UUID) string {
	return "/v1/tenants/" + tenantSlug + "/pendanaan/pengajuan/" + id.String()
}

// pengajuanCols reads an application with its applicant's name (p, u, k).
const pengajuanCols = `p.id, p.skema_kode, p.skema_berlaku, p.jenis, p.umkm_id, p.koperasi_id, p.nama_kelompok, p.sk_kelompok,
	coalesce(u.nama_usaha, k.nama, p.nama_kelompok, ''), u.nama_pemilik, p.plafon, p.tenor_bulan, p.biaya_admin, p.bank, p.tahap,
	coalesce((select max(h.mulai_at) from pengajuan_dana_tahap h where h.tenant_id = p.tenant_id and h.pengajuan_id = p.id), p.created_at),
	p.alasan_tolak, p.nomor_akad, p.tanggal_akad, p.nomor_sk, p.tanggal_sk, p.catatan,
	p.pernyataan_bukan_asn, p.pernyataan_tanpa_kredit_macet, p.slik, p.syarat_kurang, p.version, p.created_at, p.updated_at`

const pengajuanFrom = ` from pengajuan_dana p
	left join umkm u on u.tenant_id = p.tenant_id and u.id = p.umkm_id
	left join koperasi k on k.tenant_id = p.tenant_id and k.id = p.koperasi_id`

func scanPengajuan(row pgx.Row, v View) (Pengajuan, error) {
	var (
		p              Pengajuan
		berlaku        time.Time
		tglAkad, tglSK *time.Time
		kurang         []byte
	)
	if err := row.Scan(&p.ID, &p.Skema, &berlaku, &p.Jenis, &p.UMKMID, &p.KoperasiID, &p.NamaKelompok, &p.SKKelompok,
		&p.Pemohon, &p.NamaPemilik, &p.Plafon, &p.TenorBulan, &p.BiayaAdmin, &p.Bank, &p.Tahap, &p.TahapSejak,
		&p.AlasanTolak, &p.NomorAkad, &tglAkad, &p.NomorSK, &tglSK, &p.Catatan,
		&p.PernyataanBukanASN, &p.PernyataanTanpaKreditMacet, &p.SLIK, &kurang, &p.Version, &p.CreatedAt, &p.UpdatedAt); err != nil {
		return Pengajuan{}, err
	}
	if err := json.Unmarshal(kurang, &p.SyaratKurang); err != nil || p.SyaratKurang == nil {
		p.SyaratKurang = []SyaratKurang{}
	}
	p.SkemaBerlaku = berlaku.Format(time.DateOnly)
	p.TanggalAkad, p.TanggalSK = dateString(tglAkad), dateString(tglSK)
	if p.NamaPemilik != nil && !v.PII {
		m := pii.Name(*p.NamaPemilik)
		p.NamaPemilik = &m
	}
	p.Berikutnya = Berikutnya(p.Jenis, p.Tahap)
	if p.Berikutnya == nil {
		p.Berikutnya = []string{}
	}
	return p, nil
}

func dateString(d *time.Time) *string {
	if d == nil {
		return nil
	}
	s := d.Format(time.DateOnly)
	return &s
}

// pengajuanRow is a PengajuanInput checked against its scheme.
type pengajuanRow struct {
	sk              Skema
	umkm, koperasi  *uuid.UUID
	kelompok, skKel *string
	anggota         []anggotaRow
	plafon          int64
	tenor           *int
	biaya           *int64
	bank, catatan   *string
}

type anggotaRow struct {
	umkm   uuid.UUID
	plafon int64
	biaya  *int64
}

var errPengajuan = apperr.T("Pengajuan pendanaan tidak valid. Periksa isian yang disebutkan.", "Invalid funding application. Check the fields listed.")

// check reads in against scheme sk, in tx (the businesses it names must be
// registered, live records of this office: another office's id reads as
// one that does not exist).
func (s *Service) check(ctx context.Context, tx pgx.Tx, sk Skema, in PengajuanInput) (pengajuanRow, error) {
	f := &fieldErrs{}
	r := pengajuanRow{sk: sk, bank: f.text("body.bank", in.Bank, 100), catatan: f.text("body.catatan", in.Catatan, 1000),
		kelompok: f.text("body.nama_kelompok", in.NamaKelompok, 200), skKel: f.text("body.sk_kelompok", in.SKKelompok, 200)}
	r.umkm = f.uuid("body.umkm_id", in.UMKMID)
	r.koperasi = f.uuid("body.koperasi_id", in.KoperasiID)
	a := sk.Aturan
	only := func(field string, set bool, msg apperr.Text) {
		if set {
			f.add(field, nil, msg)
		}
	}
	switch sk.Jenis {
	case JenisHibah:
		// Permendagri 77/2020: a grant never goes to an individual.
		only("body.umkm_id", in.UMKMID != nil, apperr.T("Hibah tidak boleh diberikan kepada perorangan atau UMKM perorangan (Permendagri 77/2020); "+
			"penerima hibah adalah koperasi atau kelompok yang ditetapkan dengan keputusan SKPD.",
			"A grant is never given to an individual or a sole business (Permendagri 77/2020); it goes to a cooperative or a group recognised by an SKPD decree."))
		only("body.anggota", len(in.Anggota) > 0, apperr.T("Daftar anggota hanya untuk Kredit Mesra.", "Members are for Kredit Mesra only."))
		switch {
		case in.UMKMID != nil:
		case (r.koperasi != nil) == (r.kelompok != nil):
			f.add("body.koperasi_id", nil, apperr.T("Pilih satu penerima hibah: koperasi, atau kelompok dengan nomor SK-nya.",
				"Choose one grant recipient: a cooperative, or a group with its decree number."))
		case r.kelompok != nil && r.skKel == nil:
			f.add("body.sk_kelompok", nil, apperr.T("Kelompok penerima hibah harus ditetapkan dengan keputusan SKPD: isi nomor SK-nya.",
				"A group receiving a grant must be recognised by an SKPD decree: give its number."))
		}
		r.plafon = f.positive("body.plafon", in.Plafon)
	case JenisKreditMesra:
		only("body.umkm_id", in.UMKMID != nil, apperr.T("Kredit Mesra diajukan berkelompok: isi nama_kelompok dan anggota.",
			"Kredit Mesra is applied for as a group: give nama_kelompok and anggota."))
		only("body.koperasi_id", in.KoperasiID != nil, apperr.T("Kredit Mesra tidak untuk koperasi.", "Kredit Mesra is not for cooperatives."))
		only("body.plafon", in.Plafon != nil, apperr.T("Plafon kelompok adalah jumlah plafon anggotanya: isi plafon per anggota.",
			"A group's amount is the sum of its members': give each member's amount."))
		if r.kelompok == nil {
			f.add("body.nama_kelompok", nil, apperr.T("Nama kelompok wajib diisi.", "The group's name is required."))
		}
		if n := len(in.Anggota); n < a.AnggotaMin || n > a.AnggotaMaks {
			f.add("body.anggota", n, apperr.T(fmt.Sprintf("Kelompok Kredit Mesra beranggotakan %d sampai %d pelaku usaha; yang diisi %d.", a.AnggotaMin, a.AnggotaMaks, n),
				fmt.Sprintf("A Kredit Mesra group has %d to %d members; %d given.", a.AnggotaMin, a.AnggotaMaks, n)))
		}
		if in.TenorBulan == nil {
			f.add("body.tenor_bulan", nil, apperr.T("Tenor wajib diisi: "+tenorList(a)+" bulan.", "The tenor is required: "+tenorList(a)+" months."))
		} else if _, ok := BiayaAdmin(a, 1, *in.TenorBulan); !ok {
			f.add("body.tenor_bulan", *in.TenorBulan, apperr.T("Tenor Kredit Mesra hanya "+tenorList(a)+" bulan.", "Kredit Mesra's tenors are "+tenorList(a)+" months only."))
		} else {
			r.tenor = in.TenorBulan
		}
		r.anggota = s.checkAnggota(ctx, tx, f, a, in.Anggota, r.tenor)
		var fee int64
		for _, m := range r.anggota {
			r.plafon += m.plafon
			if m.biaya != nil {
				fee += *m.biaya
			}
		}
		if r.tenor != nil {
			r.biaya = &fee
		}
		if r.bank == nil && len(a.Bank) > 0 {
			r.bank = &a.Bank[0]
		}
	case JenisSubsidiBunga, JenisKUR:
		if r.umkm == nil && in.UMKMID == nil {
			f.add("body.umkm_id", nil, apperr.T("Pilih UMKM yang mengajukan.", "Choose the business applying."))
		}
		only("body.koperasi_id", in.KoperasiID != nil, apperr.T("Skema ini untuk UMKM, bukan koperasi.", "This scheme is for businesses, not cooperatives."))
		only("body.anggota", len(in.Anggota) > 0 || in.NamaKelompok != nil, apperr.T("Skema ini diajukan per UMKM, bukan berkelompok.", "This scheme is applied for per business, not as a group."))
		r.plafon = f.positive("body.plafon", in.Plafon)
		if r.bank == nil {
			f.add("body.bank", nil, apperr.T("Bank wajib diisi.", "The bank is required."))
		}
		if sk.Jenis == JenisSubsidiBunga && r.plafon > 0 {
			if _, ok := TingkatSubsidi(a, r.plafon); !ok {
				f.list = append(f.list, fieldOf(errPokokSubsidi(a, "body.plafon", r.plafon)))
			}
		}
		if sk.Jenis == JenisKUR && len(a.Tingkat) > 0 && r.plafon > a.Tingkat[len(a.Tingkat)-1].PokokMaks {
			f.add("body.plafon", r.plafon, apperr.T("Plafon KUR paling besar "+format.Rupiah(a.Tingkat[len(a.Tingkat)-1].PokokMaks)+".",
				"KUR lends at most "+format.Rupiah(a.Tingkat[len(a.Tingkat)-1].PokokMaks)+"."))
		}
		if in.TenorBulan != nil {
			if *in.TenorBulan < 1 || *in.TenorBulan > 360 {
				f.add("body.tenor_bulan", *in.TenorBulan, apperr.T("Tenor 1 sampai 360 bulan.", "The tenor is 1 to 360 months."))
			} else {
				r.tenor = in.TenorBulan
			}
		}
	}
	if r.umkm != nil && sk.Jenis != JenisHibah && sk.Jenis != JenisKreditMesra {
		if err := liveUMKM(ctx, tx, f, "body.umkm_id", *r.umkm); err != nil {
			return r, err
		}
	}
	if r.koperasi != nil && sk.Jenis == JenisHibah {
		var ok bool
		err := tx.QueryRow(ctx, `select true from koperasi where id = $1`, *r.koperasi).Scan(&ok)
		if err != nil && apperr.KindOf(db.MapError(err)) == apperr.KindNotFound {
			f.add("body.koperasi_id", *in.KoperasiID, apperr.T("Koperasi tidak ditemukan di kantor ini.", "No such cooperative in this office."))
		} else if err != nil {
			return r, fmt.Errorf("koperasi: %w", err)
		}
	}
	return r, f.err(errPengajuan)
}

// checkAnggota reads a group's members: each once, each a live business of
// this office (RLS: another office's id reads as one that does not exist,
// and is answered the same), each amount within the scheme's range.
func (s *Service) checkAnggota(ctx context.Context, tx pgx.Tx, f *fieldErrs, a AturanSkema, in []AnggotaKelompokInput, tenor *int) []anggotaRow {
	var out []anggotaRow
	seen := map[uuid.UUID]bool{}
	for i, m := range in {
		at := fmt.Sprintf("body.anggota[%d]", i)
		id, err := uuid.Parse(strings.TrimSpace(m.UMKMID))
		if err != nil {
			f.add(at+".umkm_id", m.UMKMID, apperr.T("Harus berupa UUID yang valid.", "Must be a valid UUID."))
			continue
		}
		if seen[id] {
			f.add(at+".umkm_id", m.UMKMID, apperr.T("UMKM ini sudah ada di kelompok.", "This business is in the group already."))
			continue
		}
		seen[id] = true
		if m.Plafon < a.PlafonMin || m.Plafon > a.PlafonMaks {
			f.add(at+".plafon", m.Plafon, apperr.T("Plafon per anggota "+format.Rupiah(a.PlafonMin)+" sampai "+format.Rupiah(a.PlafonMaks)+".",
				"Each member borrows "+format.Rupiah(a.PlafonMin)+" to "+format.Rupiah(a.PlafonMaks)+"."))
		}
		if err := liveUMKM(ctx, tx, f, at+".umkm_id", id); err != nil {
			f.add(at+".umkm_id", m.UMKMID, apperr.T("UMKM tidak dapat diperiksa.", "The business could not be checked."))
			s.Logger.ErrorContext(ctx, "check anggota", "error", err)
			continue
		}
		r := anggotaRow{umkm: id, plafon: m.Plafon}
		if tenor != nil {
			fee, _ := BiayaAdmin(a, m.Plafon, *tenor)
			r.biaya = &fee
		}
		out = append(out, r)
	}
	return out
}

// liveUMKM adds a field problem unless id is a live (not archived)
// business of the transaction's office.
func liveUMKM(ctx context.Context, tx pgx.Tx, f *fieldErrs, field string, id uuid.UUID) error {
	var archived bool
	err := tx.QueryRow(ctx, `select archived_at is not null from umkm where id = $1`, id).Scan(&archived)
	switch {
	case err != nil && apperr.KindOf(db.MapError(err)) == apperr.KindNotFound:
		f.add(field, id.String(), apperr.T("UMKM tidak ditemukan di kantor ini: hanya UMKM terdaftar yang bisa mengajukan.",
			"No such business in this office: only registered businesses may apply."))
	case err != nil:
		return fmt.Errorf("umkm %s: %w", id, err)
	case archived:
		f.add(field, id.String(), apperr.T("UMKM ini sudah diarsipkan.", "This business is archived."))
	}
	return nil
}

func (f *fieldErrs) uuid(field string, s *string) *uuid.UUID {
	if s == nil {
		return nil
	}
	id, err := uuid.Parse(strings.TrimSpace(*s))
	if err != nil {
		f.add(field, *s, apperr.T("Harus berupa UUID yang valid.", "Must be a valid UUID."))
		return nil
	}
	return &id
}

func (f *fieldErrs) positive(field string, v *int64) int64 {
	switch {
	case v == nil:
		f.add(field, nil, apperr.T("Jumlah (rupiah) wajib diisi.", "The amount (rupiah) is required."))
	case *v <= 0:
		f.add(field, *v, apperr.T("Jumlah harus lebih dari nol rupiah.", "The amount must be more than zero rupiah."))
	default:
		return *v
	}
	return 0
}

func fieldOf(err error) apperr.Field {
	e, _ := apperr.As(err)
	return e.Fields[0]
}

func tenorList(a AturanSkema) string {
	var s []string
	for _, b := range a.Biaya {
		s = append(s, fmt.Sprint(b.TenorBulan))
	}
	return strings.Join(s, " atau ")
}

// CreateTx records a new application in tx, a transaction of office t, with
// its first stage. The scheme is the version in force today.
func (s *Service) CreateTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, in PengajuanInput, v View) (Pengajuan, error) {
	today, err := t.Today(s.Now())
	if err != nil {
		return Pengajuan{}, err
	}
	sk, err := skemaTx(ctx, tx, t, strings.TrimSpace(in.Skema), today, "body.skema")
	if err != nil {
		return Pengajuan{}, err
	}
	r, err := s.check(ctx, tx, sk, in)
	if err != nil {
		return Pengajuan{}, err
	}
	berlaku, _ := time.Parse(time.DateOnly, sk.BerlakuMulai)
	id, now := uuid.Must(uuid.NewV7()), s.Now()
	if _, err := tx.Exec(ctx, `insert into pengajuan_dana (tenant_id, id, skema_kode, skema_berlaku, jenis, umkm_id, koperasi_id,
			nama_kelompok, sk_kelompok, plafon, tenor_bulan, biaya_admin, bank, tahap, catatan, created_at, updated_at)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)`,
		t.ID, id, sk.Kode, berlaku, sk.Jenis, r.umkm, r.koperasi, r.kelompok, r.skKel, r.plafon, r.tenor, r.biaya, r.bank,
		tahapAwal(sk.Jenis), r.catatan, now); err != nil {
		return Pengajuan{}, db.MapError(err)
	}
	for _, m := range r.anggota {
		if _, err := tx.Exec(ctx, `insert into pengajuan_dana_anggota (tenant_id, pengajuan_id, umkm_id, plafon, biaya_admin) values ($1, $2, $3, $4, $5)`,
			t.ID, id, m.umkm, m.plafon, m.biaya); err != nil {
			return Pengajuan{}, db.MapError(err)
		}
	}
	if err := addTahap(ctx, tx, t, id, 0, tahapAwal(sk.Jenis), now, r.catatan); err != nil {
		return Pengajuan{}, err
	}
	p, err := getTx(ctx, tx, t, id, v, false, today)
	if err != nil {
		return Pengajuan{}, err
	}
	if err := simpanSyarat(ctx, tx, p, now); err != nil {
		return Pengajuan{}, err
	}
	return p, auditTx(ctx, tx, t, "create", "pengajuan_dana", id.String(), nil, audited(p))
}

func addTahap(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, id uuid.UUID, no int, tahap string, at time.Time, catatan *string) error {
	var by *uuid.UUID
	if p, ok := tenancy.PrincipalFrom(ctx); ok {
		by = &p.UserID
	}
	_, err := tx.Exec(ctx, `insert into pengajuan_dana_tahap (tenant_id, pengajuan_id, no, tahap, mulai_at, oleh, catatan)
		values ($1, $2, $3, $4, $5, $6, $7)`, t.ID, id, no, tahap, at, by, catatan)
	if err != nil {
		return fmt.Errorf("tahap %s: %w", tahap, err)
	}
	return nil
}

// audited is an application as the audit log keeps it: without the
// owner's name (the audit masks known personal fields; this one it would
// not know) and without the lists.
func audited(p Pengajuan) Pengajuan {
	p.NamaPemilik, p.Anggota, p.Riwayat, p.Berkas, p.Prioritas, p.Syarat, p.JenisBerkas = nil, nil, nil, nil, nil, nil, nil
	return p
}

// getTx reads one application with its members, stages and papers, and
// the gates it fails as of today; lock takes its row lock (a change).
func getTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, id uuid.UUID, v View, lock bool, today time.Time) (Pengajuan, error) {
	if lock {
		if _, err := tx.Exec(ctx, `select 1 from pengajuan_dana where id = $1 for update`, id); err != nil {
			return Pengajuan{}, fmt.Errorf("lock pengajuan: %w", err)
		}
	}
	p, err := scanPengajuan(tx.QueryRow(ctx, `select `+pengajuanCols+pengajuanFrom+` where p.id = $1`, id), v)
	if err != nil {
		return Pengajuan{}, db.MapError(err)
	}
	rows, err := tx.Query(ctx, `select a.umkm_id, u.nama_usaha, u.nama_pemilik, a.plafon, a.biaya_admin from pengajuan_dana_anggota a
		join umkm u on u.tenant_id = a.tenant_id and u.id = a.umkm_id where a.pengajuan_id = $1 order by u.nama_usaha, a.umkm_id`, id)
	if err != nil {
		return Pengajuan{}, fmt.Errorf("anggota: %w", err)
	}
	p.Anggota, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (AnggotaKelompok, error) {
		var a AnggotaKelompok
		if err := r.Scan(&a.UMKMID, &a.NamaUsaha, &a.NamaPemilik, &a.Plafon, &a.BiayaAdmin); err != nil {
			return a, err
		}
		if !v.PII {
			a.NamaPemilik = pii.Name(a.NamaPemilik)
		}
		return a, nil
	})
	if err != nil {
		return Pengajuan{}, fmt.Errorf("anggota: %w", err)
	}
	rows, err = tx.Query(ctx, `select no, tahap, mulai_at, lead(mulai_at) over (order by no), catatan
		from pengajuan_dana_tahap where pengajuan_id = $1 order by no`, id)
	if err != nil {
		return Pengajuan{}, fmt.Errorf("riwayat: %w", err)
	}
	now := time.Now()
	p.Riwayat, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (RiwayatTahap, error) {
		var h RiwayatTahap
		if err := r.Scan(&h.No, &h.Tahap, &h.MulaiAt, &h.SelesaiAt, &h.Catatan); err != nil {
			return h, err
		}
		end := now
		if h.SelesaiAt != nil {
			end = *h.SelesaiAt
		}
		h.DurasiDetik = max(0, int64(end.Sub(h.MulaiAt)/time.Second))
		return h, nil
	})
	if err != nil {
		return Pengajuan{}, fmt.Errorf("riwayat: %w", err)
	}
	if p.Berkas, err = berkasTx(ctx, tx, id); err != nil {
		return Pengajuan{}, err
	}
	return p, syaratTx(ctx, tx, &p, today)
}

// Get returns one application with its members and stage history.
func (s *Service) Get(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, v View) (Pengajuan, error) {
	today, err := t.Today(s.Now())
	if err != nil {
		return Pengajuan{}, err
	}
	var p Pengajuan
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) (err error) {
		p, err = getTx(ctx, tx, t, id, v, false, today)
		return err
	})
	return p, err
}

// Filter narrows the list of applications.
type Filter struct {
	Skema, Jenis, Tahap, Bank string
	UMKMID                    *uuid.UUID
	Cursor                    string
	Limit                     int
}

// Page is a page of applications, newest first.
type Page struct {
	Items      []Pengajuan
	NextCursor string
}

// List returns applications, newest first (the keyset is the UUIDv7 id).
// A business's applications include those of groups it is a member of.
func (s *Service) List(ctx context.Context, t *tenancy.Tenant, f Filter, v View) (Page, error) {
	after, err := keyset.Decode(f.Cursor)
	if err != nil {
		return Page{}, err
	}
	if f.Tahap != "" && !slices.Contains(Papan, f.Tahap) {
		return Page{}, apperr.InvalidField("query.tahap", f.Tahap, apperr.T("Tahap tidak dikenal.", "Unknown stage."))
	}
	var afterID *uuid.UUID
	if after != nil {
		afterID = &after.ID
	}
	var page Page
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `select `+pengajuanCols+pengajuanFrom+`
			where ($1 = '' or p.skema_kode = $1) and ($2 = '' or p.jenis = $2) and ($3 = '' or p.tahap = $3) and ($4 = '' or p.bank = $4)
			  and ($5::uuid is null or p.umkm_id = $5 or exists (select from pengajuan_dana_anggota a
				where a.tenant_id = p.tenant_id and a.pengajuan_id = p.id and a.umkm_id = $5))
			  and ($6::uuid is null or p.id < $6)
			order by p.id desc limit $7`, f.Skema, f.Jenis, f.Tahap, f.Bank, f.UMKMID, afterID, f.Limit+1)
		if err != nil {
			return fmt.Errorf("list pengajuan: %w", err)
		}
		page.Items, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Pengajuan, error) { return scanPengajuan(r, v) })
		return err
	})
	if err != nil {
		return Page{}, err
	}
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		page.NextCursor = keyset.Encode(keyset.Cursor{ID: page.Items[f.Limit-1].ID})
	}
	return page, nil
}
