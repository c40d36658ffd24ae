package program

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Barang is one line of a hand-over (BAST): an item, its quantity and unit
// price in whole rupiah, and the recipient's acknowledgement.
type Barang struct {
	ID           uuid.UUID  `json:"id"`
	NomorBAST    string     `json:"nomor_bast"`
	Tanggal      string     `json:"tanggal" format:"date"`
	NamaBarang   string     `json:"nama_barang"`
	Jumlah       int        `json:"jumlah"`
	Satuan       string     `json:"satuan"`
	HargaSatuan  int64      `json:"harga_satuan" doc:"Whole rupiah."`
	Nilai        int64      `json:"nilai" doc:"jumlah × harga_satuan, whole rupiah."`
	DiterimaNama *string    `json:"diterima_nama,omitempty" doc:"Who signed for it (personal data)."`
	DiterimaAt   *time.Time `json:"diterima_at,omitempty"`
}

// BASTInput is a hand-over: its number, its day and its lines.
type BASTInput struct {
	NomorBAST string        `json:"nomor_bast" maxLength:"100" example:"027/BAST/DKUM/2026"`
	Tanggal   string        `json:"tanggal" format:"date"`
	Barang    []BarangInput `json:"barang" minItems:"1" maxItems:"100" nullable:"false"`
}

// BarangInput is one line of a hand-over.
type BarangInput struct {
	NamaBarang  string `json:"nama_barang" maxLength:"200" example:"Etalase kaca"`
	Jumlah      int    `json:"jumlah" minimum:"1" maximum:"1000000"`
	Satuan      string `json:"satuan" maxLength:"30" example:"unit"`
	HargaSatuan int64  `json:"harga_satuan" minimum:"0" maximum:"100000000000" doc:"Whole rupiah."`
}

// TerimaInput is the recipient's acknowledgement of a hand-over.
type TerimaInput struct {
	Nama string `json:"nama" maxLength:"200" doc:"The name as signed on the BAST."`
}

var aidTypes = []string{"bantuan_barang", "bantuan_modal"}

// CreateBASTTx records a hand-over to a selected or completed participant
// of an aid programme, every line or none.
func (s *Service) CreateBASTTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, programID, pesertaID uuid.UUID, in BASTInput) ([]Barang, error) {
	f := &fieldErrs{prefix: "body"}
	no := f.text("nomor_bast", &in.NomorBAST, 100, true)
	d := f.day("tanggal", in.Tanggal)
	if len(in.Barang) == 0 {
		f.add("barang", nil, apperr.T("Isi paling sedikit satu barang.", "Give at least one item."))
	}
	for i, b := range in.Barang {
		at := fmt.Sprintf("barang[%d].", i)
		if n := f.text(at+"nama_barang", &b.NamaBarang, 200, true); n != nil {
			in.Barang[i].NamaBarang = *n
		}
		if n := f.text(at+"satuan", &b.Satuan, 30, true); n != nil {
			in.Barang[i].Satuan = *n
		}
		f.between(at+"jumlah", b.Jumlah, 1, 1_000_000)
		if b.HargaSatuan < 0 || b.HargaSatuan > 100_000_000_000 {
			f.add(at+"harga_satuan", b.HargaSatuan, apperr.T("Harga satuan 0 sampai Rp100 miliar, dalam rupiah bulat.", "Unit price 0 to Rp100 billion, whole rupiah."))
		}
	}
	if err := f.err(apperr.T("Data BAST tidak valid.", "Invalid hand-over.")); err != nil {
		return nil, err
	}
	prog, err := lockLive(ctx, tx, t, programID, 0)
	if err != nil {
		return nil, err
	}
	p, err := onePesertaTx(ctx, tx, programID, pesertaID, true)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(aidTypes, prog.Jenis) {
		return nil, apperr.Conflict(apperr.T("BAST hanya untuk program bantuan barang atau bantuan modal.", "A hand-over is for aid programmes only."), Path(t.Slug, programID))
	}
	if p.Status != "terpilih" && p.Status != "selesai" {
		return nil, wrongStatus(p, "terpilih atau selesai", t.Slug)
	}
	var dup bool
	if err := tx.QueryRow(ctx, `select exists (select 1 from bast_barang where program_id = $1 and nomor_bast = $2)`, programID, *no).Scan(&dup); err != nil {
		return nil, err
	}
	if dup {
		return nil, apperr.Conflict(apperr.T("Nomor BAST ini sudah dipakai di program ini.", "This BAST number is already used in this programme."), PesertaPath(t.Slug, programID, pesertaID))
	}
	for _, b := range in.Barang {
		if _, err := tx.Exec(ctx, `insert into bast_barang (tenant_id, id, program_id, peserta_id, nomor_bast, tanggal, nama_barang, jumlah, satuan, harga_satuan)
			values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, t.ID, uuid.Must(uuid.NewV7()), programID, pesertaID, *no, d, b.NamaBarang,
			b.Jumlah, b.Satuan, b.HargaSatuan); err != nil {
			return nil, fmt.Errorf("insert bast: %w", err)
		}
	}
	lines, err := bastTx(ctx, tx, pesertaID)
	if err != nil {
		return nil, err
	}
	return lines, audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "bast", EntityID: pesertaID.String() + "/" + *no, After: in})
}

// Receive records the recipient's acknowledgement of a hand-over.
func (s *Service) Receive(ctx context.Context, t *tenancy.Tenant, programID, pesertaID uuid.UUID, nomor string, in TerimaInput) ([]Barang, error) {
	f := &fieldErrs{prefix: "body"}
	nama := f.text("nama", &in.Nama, 200, true)
	if err := f.err(apperr.T("Nama penerima wajib diisi.", "The recipient's name is required.")); err != nil {
		return nil, err
	}
	var lines []Barang
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var total, open int
		if err := tx.QueryRow(ctx, `select count(*), count(*) filter (where diterima_at is null) from bast_barang
			where program_id = $1 and peserta_id = $2 and nomor_bast = $3`, programID, pesertaID, nomor).Scan(&total, &open); err != nil {
			return err
		}
		switch {
		case total == 0:
			return apperr.NotFound()
		case open == 0:
			return apperr.Conflict(apperr.T("BAST ini sudah diterima.", "This hand-over is already acknowledged."), PesertaPath(t.Slug, programID, pesertaID))
		}
		if _, err := tx.Exec(ctx, `update bast_barang set diterima_nama = $4, diterima_at = $5
			where program_id = $1 and peserta_id = $2 and nomor_bast = $3`, programID, pesertaID, nomor, *nama, s.Now()); err != nil {
			return fmt.Errorf("receive bast: %w", err)
		}
		var err error
		if lines, err = bastTx(ctx, tx, pesertaID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "receive", Entity: "bast", EntityID: pesertaID.String() + "/" + nomor,
			After: map[string]string{"nama": *nama}})
	})
	return lines, err
}

func bastTx(ctx context.Context, tx pgx.Tx, pesertaID uuid.UUID) ([]Barang, error) {
	rows, err := tx.Query(ctx, `select id, nomor_bast, tanggal, nama_barang, jumlah, satuan, harga_satuan, diterima_nama, diterima_at
		from bast_barang where peserta_id = $1 order by tanggal, nomor_bast, id`, pesertaID)
	if err != nil {
		return nil, fmt.Errorf("list bast: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Barang, error) {
		var b Barang
		var d time.Time
		err := r.Scan(&b.ID, &b.NomorBAST, &d, &b.NamaBarang, &b.Jumlah, &b.Satuan, &b.HargaSatuan, &b.DiterimaNama, &b.DiterimaAt)
		b.Tanggal, b.Nilai = d.Format(time.DateOnly), int64(b.Jumlah)*b.HargaSatuan
		return b, err
	})
	if out == nil {
		out = []Barang{}
	}
	return out, err
}

// BASTPeserta returns the hand-over lines of the participants ids of a
// programme, by participant, for a list page: one read through the
// participant index, only participants v may see, the signer's name
// masked as the owner's is.
func (s *Service) BASTPeserta(ctx context.Context, t *tenancy.Tenant, programID uuid.UUID, ids []uuid.UUID, v View) (map[uuid.UUID][]Barang, error) {
	out := map[uuid.UUID][]Barang{}
	if len(ids) == 0 {
		return out, nil
	}
	err := s.DB.ReadTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `select b.peserta_id, coalesce(u.kecamatan_kode, k.kecamatan_kode, ''), coalesce(u.kelurahan_kode, k.kelurahan_kode, ''),
				b.id, b.nomor_bast, b.tanggal, b.nama_barang, b.jumlah, b.satuan, b.harga_satuan, b.diterima_nama, b.diterima_at
			from bast_barang b join peserta x on x.id = b.peserta_id
			left join umkm u on u.id = x.umkm_id left join koperasi k on k.id = x.koperasi_id
			where b.peserta_id = any($1) and b.program_id = $2 order by b.peserta_id, b.tanggal, b.nomor_bast, b.id`, ids, programID)
		if err != nil {
			return fmt.Errorf("list bast: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var (
				p Peserta
				b Barang
				d time.Time
			)
			if err := rows.Scan(&p.ID, &p.KecamatanKode, &p.KelurahanKode, &b.ID, &b.NomorBAST, &d, &b.NamaBarang, &b.Jumlah, &b.Satuan,
				&b.HargaSatuan, &b.DiterimaNama, &b.DiterimaAt); err != nil {
				return err
			}
			if !v.inArea(&p) {
				continue
			}
			b.Tanggal, b.Nilai = d.Format(time.DateOnly), int64(b.Jumlah)*b.HargaSatuan
			if b.DiterimaNama != nil && !v.sees(&p) {
				m := pii.Name(*b.DiterimaNama)
				b.DiterimaNama = &m
			}
			out[p.ID] = append(out[p.ID], b)
		}
		return rows.Err()
	})
	return out, err
}
