package luar

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/spreadsheet"
	"github.com/sentra-id/sentra/internal/teks"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// The list's columns, by position in Columns.
const (
	colNIK = iota
	colNIB
	colNamaUsaha
	colNamaPemilik
	colKelurahan
	colKeterangan
)

// Columns is the list template. Agencies' lists name their columns in
// many ways; the aliases are the ones seen in them.
var Columns = []spreadsheet.Column{
	colNIK:         {Key: "nik", Label: "NIK", Example: "3276014507850001"},
	colNIB:         {Key: "nib", Label: "NIB", Example: ""},
	colNamaUsaha:   {Key: "nama_usaha", Label: "Nama Usaha", Example: "Keripik Singkong Bu Siti"},
	colNamaPemilik: {Key: "nama_pemilik", Label: "Nama Pemilik", Required: true, Example: "Siti Aminah"},
	colKelurahan:   {Key: "kelurahan", Label: "Kelurahan/Desa (kode atau nama)", Example: "Pancoran Mas"},
	colKeterangan:  {Key: "keterangan", Label: "Status/Keterangan", Example: "lulus"},
}

var aliases = map[string][]string{
	"nik":          {"no ktp", "no. ktp", "nomor ktp", "nik pemilik", "nik peserta", "nomor induk kependudukan"},
	"nib":          {"nomor induk berusaha", "no nib", "no. nib", "nomor nib"},
	"nama_usaha":   {"nama umkm", "usaha", "nama toko", "nama usaha/umkm"},
	"nama_pemilik": {"nama", "nama peserta", "nama lengkap", "pemilik", "nama penerima"},
	"kelurahan":    {"desa", "kelurahan", "kelurahan/desa", "desa/kelurahan", "kel/desa", "kode kelurahan"},
	"keterangan":   {"status", "ket", "ket.", "status/keterangan"},
}

// MaxUploadBytes bounds a list: agencies' lists are hundreds to a few
// thousand rows, far below the register's 64 MB.
const MaxUploadBytes = 16 << 20

// Limits bound one list, checked at upload and again as the worker reads it.
func Limits() spreadsheet.Limits {
	return spreadsheet.Limits{
		Rows:          50_000,
		Columns:       100,
		CellChars:     32_767,
		SheetBytes:    8 * MaxUploadBytes,
		PartBytes:     32 << 20,
		TotalBytes:    12 * MaxUploadBytes,
		Parts:         10_000,
		SharedStrings: 1_000_000,
	}
}

var listTemplate = spreadsheet.NewTemplate(Columns, Limits(), aliases)

// Template returns the list template as CSV: headers and one example row.
func Template() []byte { return listTemplate.Bytes() }

// CheckFile refuses, before a job is queued, a file that is not a sheet,
// is over the limits (before anything is unpacked) or lacks a required
// column.
func (s *Service) CheckFile(name string, b []byte) (string, error) {
	return listTemplate.CheckFile(name, b, s.tempDir())
}

// ImportParams are what staff chose for an import: whose list it is and
// of which programme.
type ImportParams struct {
	Nama        string    `json:"nama"`
	AgensiID    uuid.UUID `json:"agensi_id"`
	ProgramNama string    `json:"program_nama"`
	Jenis       string    `json:"jenis"`
	Tahun       int       `json:"tahun"`
	DryRun      bool      `json:"dry_run"`
}

// Outcomes of a list row.
const (
	HasilNIK        = "nik"         // matched by the owner's NIK
	HasilNIB        = "nib"         // matched by the NIB
	HasilNama       = "nama"        // matched by business + owner + kelurahan
	HasilBelumCocok = "belum_cocok" // kept for staff to register or discard
	HasilTidakValid = "tidak_valid" // not read: a field is invalid
	HasilDuplikat   = "duplikat"    // repeats an earlier row of the file
)

// RowResult is one row of the report.
type RowResult struct {
	Baris  int        `json:"baris"`
	Hasil  string     `json:"hasil"`
	UMKMID *uuid.UUID `json:"umkm_id,omitempty"`
	Alasan string     `json:"alasan,omitempty" doc:"Why, in Indonesian: the invalid field, the repeated row, or why nothing matched."`
	// SudahAda: the same person or business was in an earlier import of
	// this programme; it is not added again.
	SudahAda bool `json:"sudah_ada,omitempty"`
}

// Summary reconciles an import: rows = nik + nib + nama + belum_cocok +
// tidak_valid + duplikat.
type Summary struct {
	Baris      int  `json:"baris"`
	NIK        int  `json:"cocok_nik"`
	NIB        int  `json:"cocok_nib"`
	Nama       int  `json:"cocok_nama"`
	BelumCocok int  `json:"belum_cocok"`
	TidakValid int  `json:"tidak_valid"`
	Duplikat   int  `json:"duplikat"`
	SudahAda   int  `json:"sudah_ada" doc:"Rows already imported before (counted in their outcome too); not added again."`
	Ditulis    bool `json:"ditulis" doc:"Whether the rows were stored (false for a dry run)."`
}

// Result is an import's summary, its per-row report (CSV) and the rows.
type Result struct {
	Summary Summary
	Rows    []RowResult
	Report  []byte
	File    spreadsheet.FileInfo
}

// row is a list row as read.
type row struct {
	no                                 int
	nik, nib, usaha, pemilik, kel, ket string
	nikHash                            []byte
	res                                RowResult
}

// kunci is who the row is within its programme (see migration 032).
func (r *row) kunci() string {
	switch {
	case r.nikHash != nil:
		return "nik:" + hex.EncodeToString(r.nikHash)
	case r.nib != "":
		return "nib:" + r.nib
	}
	return "nama:" + r.kel + "|" + teks.Fold(r.usaha) + "|" + teks.Fold(r.pemilik)
}

// errRollback ends a dry run's transaction after its results were computed.
var errRollback = errors.New("roll back")

// progressEvery is how often a long list's progress is recorded, in rows.
const progressEvery = 500

// Import reads a list and stores its rows for tenant t: all of them or,
// on any failure, none (one transaction; a list is small enough). A dry
// run computes the same report and writes nothing. job, when set, is the
// pekerjaan whose progress is recorded; final runs in the writing
// transaction (nil for none; for a dry run it runs in its own).
func (s *Service) Import(ctx context.Context, t *tenancy.Tenant, file []byte, p ImportParams, job uuid.UUID,
	final func(context.Context, pgx.Tx, Result) error) (Result, error) {
	format, err := s.CheckFile(p.Nama, file)
	if err != nil {
		return Result{}, err
	}
	var res Result
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if err := checkParams(ctx, tx, p); err != nil {
			return err
		}
		rows, info, err := s.read(ctx, t, p.Nama, file, format, tx, job)
		if err != nil {
			return err
		}
		if err := match(ctx, tx, rows); err != nil {
			return err
		}
		if err := store(ctx, tx, t.ID, p, rows, job); err != nil {
			return err
		}
		res = result(rows, !p.DryRun)
		res.File = info
		if p.DryRun {
			return errRollback
		}
		if err := audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "import", Entity: "partisipasi_luar",
			EntityID: job.String(), After: map[string]any{"param": p, "ringkasan": res.Summary}}); err != nil {
			return err
		}
		if final != nil {
			return final(ctx, tx, res)
		}
		return nil
	})
	if errors.Is(err, errRollback) {
		err = nil
		if final != nil {
			err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error { return final(ctx, tx, res) })
		}
	}
	if err != nil {
		return Result{}, err
	}
	return res, nil
}

// checkParams refuses an import of an unknown or archived agency, of this
// office itself (its own programmes are in its ledger), or with a
// programme, kind or year that is not one.
func checkParams(ctx context.Context, tx pgx.Tx, p ImportParams) error {
	var fields []apperr.Field
	nama := strings.TrimSpace(p.ProgramNama)
	if nama == "" || utf8.RuneCountInString(nama) > 300 || !teks.Clean(nama) {
		fields = append(fields, apperr.Field{Location: "query.program_nama", Value: p.ProgramNama,
			Message: apperr.T("Nama program wajib diisi, paling banyak 300 karakter.", "The programme name is required, at most 300 characters.")})
	}
	if !slices.Contains(Jenis, p.Jenis) {
		fields = append(fields, apperr.Field{Location: "query.jenis", Value: p.Jenis,
			Message: apperr.T("Jenis program tidak dikenal.", "Unknown programme type.")})
	}
	if p.Tahun < 2000 || p.Tahun > 2100 {
		fields = append(fields, apperr.Field{Location: "query.tahun", Value: p.Tahun,
			Message: apperr.T("Tahun harus antara 2000 dan 2100.", "The year must be between 2000 and 2100.")})
	}
	var jenis string
	err := tx.QueryRow(ctx, `select jenis from agensi where id = $1 and archived_at is null`, p.AgensiID).Scan(&jenis)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		fields = append(fields, apperr.Field{Location: "query.agensi_id", Value: p.AgensiID,
			Message: apperr.T("Agensi tidak ditemukan.", "Agency not found.")})
	case err != nil:
		return fmt.Errorf("read agensi: %w", err)
	case jenis == "kantor":
		fields = append(fields, apperr.Field{Location: "query.agensi_id", Value: p.AgensiID,
			Message: apperr.T("Agensi ini adalah kantor sendiri; peserta programnya dicatat di programnya, bukan diimpor.",
				"This agency is this office; its programmes' participants are recorded in the programme, not imported.")})
	}
	if len(fields) > 0 {
		return apperr.Invalid(apperr.T("Pilihan impor tidak valid.", "Invalid import choices."), fields...)
	}
	return nil
}

// read reads and checks the list's rows; repeats of an earlier row are
// settled here.
func (s *Service) read(ctx context.Context, t *tenancy.Tenant, name string, file []byte, format string, tx pgx.Tx, job uuid.UUID) ([]*row, spreadsheet.FileInfo, error) {
	kel, err := kelurahanIndex(ctx, tx)
	if err != nil {
		return nil, spreadsheet.FileInfo{}, err
	}
	sh, err := listTemplate.Open(name, file, format, s.tempDir())
	if err != nil {
		return nil, spreadsheet.FileInfo{}, err
	}
	defer sh.Close()
	pos, err := listTemplate.Header(sh)
	if err != nil {
		if apperr.KindOf(err) == apperr.KindInvalid {
			return nil, sh.Info, err
		}
		return nil, sh.Info, spreadsheet.ErrNotSheet
	}
	var (
		out  []*row
		seen = map[string]int{}
	)
	for {
		cells, err := sh.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if apperr.KindOf(err) == apperr.KindInvalid { // over a limit
			return nil, sh.Info, err
		}
		if err != nil {
			return nil, sh.Info, apperr.InvalidField(fmt.Sprintf("baris %d", sh.Row+1), nil, apperr.T(
				"Berkas rusak dan tidak dapat dibaca dari baris ini.", "The file is damaged and cannot be read from this row."))
		}
		if spreadsheet.BlankRow(cells) {
			continue
		}
		r := &row{no: sh.Row}
		r.res = RowResult{Baris: r.no}
		out = append(out, r)
		if alasan := s.readRow(t, r, cells, pos, kel); alasan != "" {
			r.res.Hasil, r.res.Alasan = HasilTidakValid, alasan
		} else if first, ok := seen[r.kunci()]; ok {
			r.res.Hasil, r.res.Alasan = HasilDuplikat, fmt.Sprintf("Sama dengan baris %d.", first)
		} else {
			seen[r.kunci()] = r.no
		}
		if job != uuid.Nil && len(out)%progressEvery == 0 {
			if err := pekerjaan.Progress(ctx, s.DB, t.ID, job, pekerjaan.Berjalan, len(out), nil); err != nil {
				return nil, sh.Info, err
			}
		}
	}
	return out, sh.Info, nil
}

// readRow fills r from its cells, or says (in Indonesian) why the row
// cannot be read.
func (s *Service) readRow(t *tenancy.Tenant, r *row, cells []string, pos spreadsheet.Layout, kel kelurahanIdx) string {
	text := map[int]*string{colNamaUsaha: &r.usaha, colNamaPemilik: &r.pemilik, colKeterangan: &r.ket}
	for col, dst := range text {
		v := pos.Cell(cells, col)
		limit := 300
		if col == colKeterangan {
			limit = 500
		}
		if !teks.Clean(v) || spreadsheet.LooksLikeFormula(v) {
			return Columns[col].Label + ": teks memuat karakter atau rumus yang tidak diterima."
		}
		if utf8.RuneCountInString(v) > limit {
			return fmt.Sprintf("%s: paling banyak %d karakter.", Columns[col].Label, limit)
		}
		*dst = v
	}
	if v := pos.Cell(cells, colNIK); v != "" {
		nik, why := s.NIK(v)
		if why != nil {
			return "NIK: " + why.ID
		}
		r.nik, r.nikHash = nik, s.Sealer.Hash(t.ID, nik)
	}
	if v := pos.Cell(cells, colNIB); v != "" {
		nib, why := s.NIB(v)
		if why != nil {
			return "NIB: " + why.ID
		}
		r.nib = nib
	}
	if v := pos.Cell(cells, colKelurahan); v != "" {
		code, why := kel.resolve(v)
		if why != "" {
			return "Kelurahan/Desa: " + why
		}
		r.kel = code
	}
	if r.nik == "" && r.nib == "" && r.pemilik == "" && r.usaha == "" {
		return "Baris tanpa NIK, NIB, nama pemilik maupun nama usaha tidak dapat dicocokkan."
	}
	return ""
}

// kelurahanIdx finds the tenant's desa/kelurahan by code or name.
type kelurahanIdx struct {
	codes map[string]bool
	names map[string][]string // folded name → codes (a name may repeat across kecamatan)
}

func kelurahanIndex(ctx context.Context, tx pgx.Tx) (kelurahanIdx, error) {
	k := kelurahanIdx{codes: map[string]bool{}, names: map[string][]string{}}
	rows, err := tx.Query(ctx, `select kode, nama from wilayah where level = 'desa_kelurahan'`)
	if err != nil {
		return k, fmt.Errorf("read wilayah: %w", err)
	}
	var kode, nama string
	_, err = pgx.ForEachRow(rows, []any{&kode, &nama}, func() error {
		k.codes[kode] = true
		n := teks.Fold(nama)
		k.names[n] = append(k.names[n], kode)
		return nil
	})
	return k, err
}

func (k kelurahanIdx) resolve(v string) (string, string) {
	if k.codes[v] {
		return v, ""
	}
	switch codes := k.names[teks.Fold(v)]; len(codes) {
	case 1:
		return codes[0], ""
	case 0:
		return "", "tidak dikenal di wilayah kantor ini; tulis kode Kemendagri atau nama persisnya."
	default:
		return "", "nama ini ada di lebih dari satu kecamatan; tulis kodenya."
	}
}

// match finds the register record of each readable row: by NIK, then NIB,
// then business + owner + kelurahan (case-folded, as the register's
// import matches), each probed for all rows at once.
func match(ctx context.Context, tx pgx.Tx, rows []*row) error {
	var (
		hashes [][]byte
		nibs   []string
		kels   []string
	)
	for _, r := range rows {
		if r.res.Hasil != "" {
			continue
		}
		if r.nikHash != nil {
			hashes = append(hashes, r.nikHash)
		}
		if r.nib != "" {
			nibs = append(nibs, r.nib)
		}
		if r.kel != "" && r.usaha != "" && r.pemilik != "" {
			kels = append(kels, r.kel)
		}
	}
	byNIK, byNIB := map[string][]uuid.UUID{}, map[string][]uuid.UUID{}
	byNama := map[string][]uuid.UUID{}
	collect := func(sql string, arg any, into func(id uuid.UUID, key string)) error {
		rs, err := tx.Query(ctx, sql, arg)
		if err != nil {
			return fmt.Errorf("match list rows: %w", err)
		}
		var id uuid.UUID
		var key string
		_, err = pgx.ForEachRow(rs, []any{&id, &key}, func() error { into(id, key); return nil })
		return err
	}
	if len(hashes) > 0 {
		if err := collect(`select id, encode(nik_hash, 'hex') from umkm where nik_hash = any($1) and archived_at is null`, hashes,
			func(id uuid.UUID, k string) { byNIK[k] = append(byNIK[k], id) }); err != nil {
			return err
		}
	}
	if len(nibs) > 0 {
		if err := collect(`select id, nib from umkm where nib = any($1) and archived_at is null`, nibs,
			func(id uuid.UUID, k string) { byNIB[k] = append(byNIB[k], id) }); err != nil {
			return err
		}
	}
	if len(kels) > 0 {
		rs, err := tx.Query(ctx, `select id, kelurahan_kode, nama_usaha, nama_pemilik from umkm where kelurahan_kode = any($1) and archived_at is null`, kels)
		if err != nil {
			return fmt.Errorf("match list rows by name: %w", err)
		}
		var id uuid.UUID
		var kel, usaha, pemilik string
		if _, err := pgx.ForEachRow(rs, []any{&id, &kel, &usaha, &pemilik}, func() error {
			k := kel + "|" + teks.Fold(usaha) + "|" + teks.Fold(pemilik)
			byNama[k] = append(byNama[k], id)
			return nil
		}); err != nil {
			return err
		}
	}
	for _, r := range rows {
		if r.res.Hasil != "" {
			continue
		}
		var tried []string
		try := func(hasil string, ids []uuid.UUID, what string) bool {
			switch len(ids) {
			case 0:
				tried = append(tried, what+" tidak ada di register")
				return false
			case 1:
				r.res.Hasil, r.res.UMKMID = hasil, &ids[0]
				return true
			}
			tried = append(tried, fmt.Sprintf("%s cocok dengan %d data register; pilih sendiri", what, len(ids)))
			return false
		}
		switch {
		case r.nikHash != nil && try(HasilNIK, byNIK[hex.EncodeToString(r.nikHash)], "NIK"):
		case r.nib != "" && try(HasilNIB, byNIB[r.nib], "NIB"):
		case r.kel != "" && r.usaha != "" && r.pemilik != "" &&
			try(HasilNama, byNama[r.kel+"|"+teks.Fold(r.usaha)+"|"+teks.Fold(r.pemilik)], "Nama usaha, pemilik dan kelurahan"):
		default:
			if r.kel == "" || r.usaha == "" || r.pemilik == "" {
				tried = append(tried, "tanpa nama usaha, nama pemilik dan kelurahan lengkap, nama tidak dapat dicocokkan")
			}
			r.res.Hasil, r.res.Alasan = HasilBelumCocok, teks.Truncate(capitalize(strings.Join(tried, "; "))+".", 500)
		}
	}
	return nil
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// store writes the rows matched or kept for staff, once per person or
// business in the programme: a row imported before is not added again,
// and one still unmatched is linked when it now matches (a later
// match). Discarded rows and staff's own matches stay as staff left them.
// The writes run for a dry run too (rolled back by the caller), so both
// report the same.
func store(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, p ImportParams, rows []*row, job uuid.UUID) error {
	programNama := strings.TrimSpace(p.ProgramNama)
	existing := map[string]string{} // kunci → status
	rs, err := tx.Query(ctx, `select kunci, status from partisipasi_luar where agensi_id = $1 and tahun = $2 and jenis = $3
		and program_nama = $4 and kunci is not null`, p.AgensiID, p.Tahun, p.Jenis, programNama)
	if err != nil {
		return fmt.Errorf("read earlier list rows: %w", err)
	}
	var k, st string
	if _, err := pgx.ForEachRow(rs, []any{&k, &st}, func() error { existing[k] = st; return nil }); err != nil {
		return err
	}
	var jobID *uuid.UUID
	if job != uuid.Nil {
		jobID = &job
	}
	b := &pgx.Batch{}
	for _, r := range rows {
		switch r.res.Hasil {
		case HasilTidakValid, HasilDuplikat:
			continue
		}
		status, oleh := BelumCocok, (*string)(nil)
		if r.res.UMKMID != nil {
			status, oleh = Cocok, &r.res.Hasil
		}
		if _, ok := existing[r.kunci()]; ok {
			r.res.SudahAda = true
			b.Queue(`update partisipasi_luar set status = $6, umkm_id = $7, cocok_oleh = $8, updated_at = now()
				where agensi_id = $1 and tahun = $2 and jenis = $3 and program_nama = $4 and kunci = $5
				and status = 'belum_cocok' and $6 = 'cocok'`, p.AgensiID, p.Tahun, p.Jenis, programNama, r.kunci(), status, r.res.UMKMID, oleh)
			continue
		}
		var nikMasked *string
		if r.nik != "" {
			m := r.nik[:4] + "xxxxxxxx" + r.nik[12:]
			nikMasked = &m
		}
		b.Queue(`insert into partisipasi_luar (tenant_id, id, agensi_id, program_nama, jenis, tahun, nik_hash, nik_masked, nib,
				nama_usaha, nama_pemilik, kelurahan_kode, umkm_id, cocok_oleh, status, baris, pekerjaan_id, kunci, keterangan)
			values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
			tenantID, uuid.Must(uuid.NewV7()), p.AgensiID, programNama, p.Jenis, p.Tahun, r.nikHash, nikMasked, nullable(r.nib),
			nullable(r.usaha), nullable(r.pemilik), nullable(r.kel), r.res.UMKMID, oleh, status, r.no, jobID, r.kunci(), nullable(r.ket))
		existing[r.kunci()] = status
	}
	if b.Len() == 0 {
		return nil
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return db.MapError(fmt.Errorf("store list rows: %w", err))
	}
	return nil
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// result sums the rows up and renders the report.
func result(rows []*row, written bool) Result {
	res := Result{Summary: Summary{Ditulis: written}, Rows: make([]RowResult, 0, len(rows))}
	var b bytes.Buffer
	b.WriteString("\xef\xbb\xbf") // so Excel opens it as UTF-8
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"baris", "hasil", "umkm_id", "sudah_ada", "alasan"})
	for _, r := range rows {
		s := &res.Summary
		s.Baris++
		switch r.res.Hasil {
		case HasilNIK:
			s.NIK++
		case HasilNIB:
			s.NIB++
		case HasilNama:
			s.Nama++
		case HasilBelumCocok:
			s.BelumCocok++
		case HasilTidakValid:
			s.TidakValid++
		case HasilDuplikat:
			s.Duplikat++
		}
		id, ada := "", ""
		if r.res.UMKMID != nil {
			id = r.res.UMKMID.String()
		}
		if r.res.SudahAda {
			s.SudahAda++
			ada = "ya"
		}
		_ = w.Write([]string{strconv.Itoa(r.no), r.res.Hasil, id, ada, spreadsheet.SafeCell(r.res.Alasan)})
		res.Rows = append(res.Rows, r.res)
	}
	w.Flush()
	res.Report = b.Bytes()
	return res
}
