package umkm

import (
	"context"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/spreadsheet"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// exportColumns are the export's columns; pii marks personal data, written
// only for roles that may read it.
var exportColumns = []struct {
	name string
	pii  bool
	get  func(r *Record) string
}{
	{"id", false, func(r *Record) string { return r.ID.String() }},
	{"nama_usaha", false, func(r *Record) string { return r.NamaUsaha }},
	{"nama_pemilik", false, func(r *Record) string { return r.NamaPemilik }},
	{"nik", false, func(r *Record) string { return deref(r.NIK) }}, // masked unless pii
	{"jenis_kelamin", false, func(r *Record) string { return deref(r.JenisKelamin) }},
	{"telepon", true, func(r *Record) string { return deref(r.Telepon) }},
	{"email", true, func(r *Record) string { return deref(r.Email) }},
	{"alamat", true, func(r *Record) string { return deref(r.Alamat) }},
	{"rt", true, func(r *Record) string { return deref(r.RT) }},
	{"rw", true, func(r *Record) string { return deref(r.RW) }},
	{"sektor", false, func(r *Record) string { return r.Sektor }},
	{"kbli", false, func(r *Record) string { return deref(r.KBLI) }},
	{"produk", false, func(r *Record) string { return deref(r.Produk) }},
	{"kecamatan_kode", false, func(r *Record) string { return r.KecamatanKode }},
	{"kelurahan_kode", false, func(r *Record) string { return r.KelurahanKode }},
	{"modal_usaha", false, func(r *Record) string { return i64(r.ModalUsaha) }},
	{"omzet_tahunan", false, func(r *Record) string { return i64(r.OmzetTahunan) }},
	{"total_aset", false, func(r *Record) string { return i64(r.TotalAset) }},
	{"karyawan_laki", false, func(r *Record) string { return iptr(r.KaryawanLaki) }},
	{"karyawan_perempuan", false, func(r *Record) string { return iptr(r.KaryawanPerempuan) }},
	{"tahun_mulai", false, func(r *Record) string { return iptr(r.TahunMulai) }},
	{"nib", false, func(r *Record) string { return deref(r.NIB) }},
	{"status_binaan", false, func(r *Record) string { return r.StatusBinaan }},
	{"saluran_penjualan", false, func(r *Record) string { return strings.Join(r.SaluranPenjualan, ", ") }},
	{"skala_dilaporkan", false, func(r *Record) string { return deref(r.SkalaDilaporkan) }},
	{"skala_hitung", false, func(r *Record) string {
		if r.SkalaHitung == nil {
			return ""
		}
		return r.SkalaHitung.Skala
	}},
	{"legalitas_terbit", false, func(r *Record) string { return strings.Join(r.LegalitasTerbit, ", ") }},
	{"legalitas_lengkap", false, func(r *Record) string { return strconv.FormatBool(r.LegalitasLengkap) }},
	{"kendala_terbuka", false, func(r *Record) string { return strings.Join(r.KendalaTerbuka, ", ") }},
	{"sumber", false, func(r *Record) string { return r.Sumber }},
	{"terdaftar", false, func(r *Record) string { return r.CreatedAt.Format("2006-01-02") }},
}

func i64(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

func iptr(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

// export writes every record matching p, page by page (keyset), as CSV or
// XLSX. Every text cell is neutralised against formula injection (spreadsheet.Writer).
func (s *Service) export(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, p ExportParams, progress func(int)) ([]byte, int, error) {
	var header []string
	for _, c := range exportColumns {
		if !c.pii || p.PII {
			header = append(header, c.name)
		}
	}
	w, err := spreadsheet.NewWriter(p.Format)
	if err != nil {
		return nil, 0, err
	}
	defer w.Close()
	if err := w.Write(header); err != nil {
		return nil, 0, err
	}
	f := p.Filter
	f.Limit, f.Cursor, f.allMatches = 1000, "", true
	n := 0
	cells := make([]string, 0, len(header))
	for {
		page, err := listTx(ctx, tx, f, p.Scope)
		if err != nil {
			return nil, 0, err
		}
		for i := range page.Items {
			r := &page.Items[i]
			s.Present(t, r, View{PII: p.PII}, p.PII)
			cells = cells[:0]
			for _, c := range exportColumns {
				if !c.pii || p.PII {
					cells = append(cells, c.get(r))
				}
			}
			if err := w.Write(cells); err != nil {
				return nil, 0, err
			}
		}
		n += len(page.Items)
		if progress != nil && n%10000 < len(page.Items) {
			progress(n)
		}
		if page.NextCursor == "" {
			break
		}
		f.Cursor = page.NextCursor
	}
	out, err := w.Bytes()
	return out, n, err
}
