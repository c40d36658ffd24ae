package umkm

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/spreadsheet"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Outcomes of an import row.
const (
	HasilBaru       = "baru"        // a new record
	HasilDiperbarui = "diperbarui"  // an existing record (same NIK or NIB) with changed fields
	HasilSama       = "sama"        // an existing record, nothing changed
	HasilDuplikat   = "duplikat"    // repeats an earlier row, or matches two different records
	HasilTidakValid = "tidak_valid" // a field could not be read or is invalid
)

// ImportOptions control an import.
type ImportOptions struct {
	DryRun bool // produce the report, write nothing
	// Strict writes nothing when any row is invalid or repeats an earlier
	// row of the file (checked in a first pass, before any write).
	Strict bool
	// Job makes the import resumable: each chunk commits with its results
	// and a crash resumes after the last committed chunk. uuid.Nil for an
	// import whose caller keeps the results.
	Job uuid.UUID
	// Nama is the file's name, for the messages about it.
	Nama string
	// Final runs in the transaction that ends the import (the River job
	// completes there); nil for none.
	Final func(ctx context.Context, tx pgx.Tx, res ImportResult) error
}

// ImportObserver hears how imports advance, for throughput figures. It is
// told counts only: never a row's content or the tenant.
type ImportObserver interface {
	// ImportRows: n rows settled (written, or judged in a dry run) as a
	// chunk committed.
	ImportRows(n int)
	// ImportFinished: an import's result is recorded, after a run that
	// settled rows rows (a resumed run skips committed chunks) in took.
	ImportFinished(rows int, took time.Duration)
}

// ChunkRows is how many rows commit together. Big enough that per-chunk
// work (staging tables, matching) is small, small enough to keep memory flat
// and to lose little on a crash.
const ChunkRows = 5_000

// firstChunkRows is the size of an import's first chunk. The other writers
// wait until it has committed (see Import), so it is short: a core idled
// for a fifth of a second while a full first chunk was written.
const firstChunkRows = 1_000

// ImportWriters is how many chunks are written at once: one PostgreSQL
// backend per core of a small server, while Go reads the next chunk.
const ImportWriters = 2

// RowResult is one row of the report.
type RowResult struct {
	Baris   int        `json:"b"`
	Hasil   string     `json:"h"`
	UMKMID  *uuid.UUID `json:"u,omitempty"`
	Berubah []string   `json:"c,omitempty"` // changed fields, for diperbarui
	Masalah []Problem  `json:"m,omitempty"`
	Catatan string     `json:"n,omitempty"`
	// Peringatan are what the row was taken with but a person should check
	// (a KBLI read in another form, a point outside the row's own
	// desa/kelurahan); they do not make the row invalid.
	Peringatan []Problem `json:"w,omitempty"`
}

// Problem is a field problem in an import row.
type Problem struct {
	Lokasi  string `json:"l"`
	Pesan   string `json:"p"`
	Message string `json:"e"`
}

// ImportSummary reconciles an import: rows in = new + updated + unchanged +
// duplicates + invalid.
type ImportSummary struct {
	Baris      int  `json:"baris"`
	Baru       int  `json:"baru"`
	Diperbarui int  `json:"diperbarui"`
	Sama       int  `json:"sama"`
	Duplikat   int  `json:"duplikat"`
	TidakValid int  `json:"tidak_valid"`
	Ditulis    bool `json:"ditulis" doc:"Whether the changes were written (false for a dry run or a strict import with problems)."`
	Peringatan int  `json:"peringatan" doc:"Rows, of any outcome, that carry a warning in the report's peringatan column (not a count of its own in the reconciliation)."`
}

// ImportResult is the summary, the per-row report (as CSV), the first
// problems for display and how the file was read.
type ImportResult struct {
	Summary  ImportSummary
	Report   []byte
	Problems []RowResult
	File     FileInfo
}

// chunk is a run of consecutive rows: the valid ones staged for writing and
// the results of all of them.
type chunk struct {
	rows    []staged
	results []RowResult
	last    int // the last row number in it
}

// Import reads a CSV or XLSX of businesses for tenant t and applies it.
//
// Reading and validating (Go) run in one goroutine while the previous chunk
// is written (PostgreSQL) in another, so the two cores work at once. Each
// chunk commits on its own with its results (and, for a job, the progress
// mark): a crash loses at most the chunk in flight, and the retry skips the
// committed chunks, so nothing is written twice and the report still covers
// every row. Existing records are matched by NIK, NIB, or name and owner
// within a kelurahan, and only fields the file fills in are updated;
// nothing missing from the file is deleted or archived.
func (s *Service) Import(ctx context.Context, t *tenancy.Tenant, file []byte, opt ImportOptions) (ImportResult, error) {
	started := time.Now() // the monotonic clock, not s.Now (tests fix that one)
	// Checked again: a file queued before a limit existed, or stored by
	// another path, is read only within the limits.
	format, err := checkFile(opt.Nama, file, s.tempDir())
	if err != nil {
		return ImportResult{}, err
	}
	var (
		reg   Regulation
		w     *wilayahIndex
		done  map[int][]RowResult // chunks committed by an earlier run of this job, by last row
		known *knownKeys
	)
	if reg, err = s.regulation(ctx); err != nil {
		return ImportResult{}, err
	}
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if w, err = s.wilayah.Get(ctx, tx, t.ID, true); err != nil {
			return err
		}
		if opt.Job != uuid.Nil && !opt.DryRun {
			if done, err = committedChunks(ctx, tx, opt.Job); err != nil {
				return err
			}
		}
		known, err = loadKnownKeys(ctx, tx)
		return err
	})
	if err != nil {
		return ImportResult{}, err
	}
	now := s.Now()
	write := !opt.DryRun
	if opt.Strict && write {
		// A first pass, reading only: any problem and nothing is written.
		var bad int
		_, err := s.readChunks(ctx, t, opt.Nama, file, format, w, reg, now, nil, func(c chunk) error {
			for _, r := range c.results {
				if r.Hasil == HasilTidakValid || r.Hasil == HasilDuplikat {
					bad++
				}
			}
			return nil
		})
		if err != nil {
			return ImportResult{}, err
		}
		write = bad == 0
	}

	// One goroutine reads and validates; ImportWriters write chunks, each
	// in its own transaction on its own connection. Chunks are independent
	// (repeats within the file were settled while reading), so they may
	// commit in any order; a resumed run skips exactly the committed ones.
	chunks := make(chan chunk, 1)
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		results  = map[int]*reportPart{} // by a chunk's last row
		settled  int                     // rows this run
		firstErr error
		wg       sync.WaitGroup
	)
	for last, rs := range done {
		results[last] = renderPart(rs)
	}
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
		cancel()
	}
	// The other writers start once the first chunk's transaction has ended.
	// A lookup planned while another writer's first chunk is uncommitted
	// sees a table a few pages long and becomes a sequential scan, repeated
	// for each of the chunk's rows over a table growing under it (one chunk
	// took 88 s). An empty register is only probed when a record was
	// registered meanwhile (see commitChunk), but that must not cost 88 s
	// either. After one committed chunk the planner sees the table's real
	// size and probes the unique indexes; the first chunk is short, so the
	// wait is too.
	firstDone := make(chan struct{})
	var closeFirst sync.Once
	for w := range ImportWriters {
		// Each writer is its own line of work: it holds its own
		// transaction beside the others' (and beside none of its own).
		wctx := db.Detach(rctx)
		wg.Go(func() {
			if w > 0 {
				select {
				case <-firstDone:
				case <-rctx.Done():
					return
				}
			} else {
				defer closeFirst.Do(func() { close(firstDone) })
			}
			for c := range chunks {
				res, err := s.commitChunk(wctx, t, c, known, reg, now, write, opt.Job)
				if err != nil {
					fail(err)
					return
				}
				part := renderPart(res)
				mu.Lock()
				results[c.last] = part
				settled += len(res)
				mu.Unlock()
				if s.Imports != nil {
					s.Imports.ImportRows(len(res))
				}
				if w == 0 {
					closeFirst.Do(func() { close(firstDone) })
				}
			}
		})
	}
	info, readErr := s.readChunks(rctx, t, opt.Nama, file, format, w, reg, now, spans(done), func(c chunk) error {
		select {
		case chunks <- c:
			return nil
		case <-rctx.Done():
			return rctx.Err()
		}
	})
	close(chunks)
	wg.Wait()
	if firstErr != nil {
		return ImportResult{}, firstErr
	}
	if readErr != nil {
		return ImportResult{}, readErr
	}
	rep := newReport()
	for _, last := range slices.Sorted(maps.Keys(results)) {
		rep.merge(results[last])
	}
	res := rep.result(write)
	res.File = info
	if opt.Final != nil {
		err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error { return opt.Final(ctx, tx, res) })
		if err != nil {
			return ImportResult{}, err
		}
	}
	if s.Imports != nil {
		s.Imports.ImportFinished(settled, time.Since(started))
	}
	return res, nil
}

// errRollback ends a chunk's transaction without writing (a dry run, or a
// strict import with problems), after its results were computed.
var errRollback = errors.New("roll back")

// readChunks reads, validates and de-duplicates the file's rows, handing
// them over ChunkRows at a time (the first firstChunkRows), except the rows
// of committed chunks (sorted), which are read but not handed over.
func (s *Service) readChunks(ctx context.Context, t *tenancy.Tenant, name string, file []byte, format string, w *wilayahIndex,
	reg Regulation, now time.Time, committed []rowSpan, emit func(chunk) error) (FileInfo, error) {
	sh, err := openSheet(name, file, format, s.tempDir())
	if err != nil {
		return FileInfo{}, err
	}
	defer sh.Close()
	pos, err := importTemplate.Header(sh)
	if err != nil {
		if apperr.KindOf(err) == apperr.KindInvalid {
			return FileInfo{}, err
		}
		return FileInfo{}, errNotSheet
	}
	var (
		seenNIK = map[string]int{}
		seenNIB = map[string]int{}
		seenKey = map[string]int{} // name|owner|kelurahan of rows with neither
		c       chunk
		size    = firstChunkRows
	)
	flush := func() error {
		if len(c.results) == 0 {
			return nil
		}
		err := emit(c)
		c, size = chunk{}, ChunkRows
		return err
	}
	for {
		if ctx.Err() != nil {
			return sh.Info, ctx.Err()
		}
		cells, err := sh.Next()
		if errors.Is(err, io.EOF) {
			return sh.Info, flush()
		}
		if apperr.KindOf(err) == apperr.KindInvalid { // over a limit
			return sh.Info, err
		}
		if err != nil {
			return sh.Info, apperr.InvalidField(fmt.Sprintf("baris %d", sh.Row+1), nil, apperr.T(
				"Berkas rusak dan tidak dapat dibaca dari baris ini.", "The file is damaged and cannot be read from this row."))
		}
		baris := sh.Row // as the spreadsheet numbers it
		if spreadsheet.BlankRow(cells) {
			continue
		}
		for len(committed) > 0 && committed[0].last < baris {
			committed = committed[1:]
		}
		// A row an earlier run committed is read, since its NIK, NIB and
		// names still make later repeats duplicates, but not written again,
		// and no chunk spans it.
		written := len(committed) > 0 && committed[0].first <= baris
		if written {
			if err := flush(); err != nil {
				return sh.Info, err
			}
		}
		res := RowResult{Baris: baris}
		in, fields, notes := rowInput(cells, pos, w)
		prefix := "baris " + strconv.Itoa(baris)
		for i := range fields {
			fields[i].Location = prefix + "." + fields[i].Location
		}
		r, vfields := s.validate(in, w, prefix, now)
		// A cell rowInput refused is not refused again by validate: a
		// region the cells do not name is not also a missing code.
		refused := map[string]bool{}
		for _, f := range fields {
			l := strings.TrimPrefix(f.Location, prefix+".")
			refused[l] = true
			if l == "kecamatan" || l == "kelurahan" {
				refused["kecamatan_kode"], refused["kelurahan_kode"] = true, true
			}
		}
		for _, f := range vfields {
			if !refused[strings.TrimPrefix(f.Location, prefix+".")] {
				fields = append(fields, f)
			}
		}
		for _, n := range r.notes {
			n.Location = strings.TrimPrefix(n.Location, prefix+".")
			notes = append(notes, n)
		}
		for _, n := range notes {
			res.Peringatan = append(res.Peringatan, Problem{Lokasi: n.Location, Pesan: n.Message.ID, Message: n.Message.EN})
		}
		switch {
		case len(fields) > 0:
			res.Hasil = HasilTidakValid
			for _, f := range fields {
				res.Masalah = append(res.Masalah, Problem{Lokasi: strings.TrimPrefix(f.Location, prefix+"."), Pesan: f.Message.ID, Message: f.Message.EN})
			}
		case r.nik != "" && seenNIK[r.nik] > 0:
			res.Hasil, res.Catatan = HasilDuplikat, fmt.Sprintf("NIK sama dengan baris %d", seenNIK[r.nik])
		case r.in.NIB != nil && seenNIB[*r.in.NIB] > 0:
			res.Hasil, res.Catatan = HasilDuplikat, fmt.Sprintf("NIB sama dengan baris %d", seenNIB[*r.in.NIB])
		default:
			key := ""
			if r.nik == "" && r.in.NIB == nil {
				key = fold(r.in.NamaUsaha) + "|" + fold(r.in.NamaPemilik) + "|" + r.in.KelurahanKode
				if first := seenKey[key]; first > 0 {
					res.Hasil, res.Catatan = HasilDuplikat, fmt.Sprintf("Nama usaha dan pemilik sama dengan baris %d", first)
					break
				}
				seenKey[key] = baris
			}
			if r.nik != "" {
				seenNIK[r.nik] = baris
			}
			if r.in.NIB != nil {
				seenNIB[*r.in.NIB] = baris
			}
			if written {
				break
			}
			if r.nik != "" {
				r.nikHash, r.nikSealed = s.Sealer.Hash(t.ID, r.nik), s.Sealer.Seal(t.ID, r.nik)
				m := maskNIK(r.nik)
				r.nikMasked = &m
			}
			r.skala = reg.Compute(r.in.ModalUsaha, r.in.OmzetTahunan, r.in.TahunMulai, now.Year())
			id := uuid.Must(uuid.NewV7())
			res.Hasil, res.UMKMID = HasilBaru, &id
			c.rows = append(c.rows, staged{id: id, r: r})
		}
		if written {
			continue
		}
		c.results, c.last = append(c.results, res), baris
		if len(c.results) == size {
			if err := flush(); err != nil {
				return sh.Info, err
			}
		}
	}
}

// errKeysChanged is a chunk's insert refused by the unique NIK or NIB index
// while only the rows known to match were probed: a record with one of the
// chunk's NIK or NIB was created since the import began.
var errKeysChanged = errors.New("a NIK or NIB of the chunk was registered since the import began")

// commitChunk writes chunk c in its own transaction (or only computes its
// results, when not write) and returns its results. When the register
// gained one of the chunk's NIK or NIB since the import began, the chunk
// is rolled back and written again with every row probed.
func (s *Service) commitChunk(ctx context.Context, t *tenancy.Tenant, c chunk, known *knownKeys, reg Regulation,
	now time.Time, write bool, job uuid.UUID) ([]RowResult, error) {
	read := c.results // as read from the file: each attempt starts from these
	attempt := func(probeAll bool) ([]RowResult, error) {
		c.results = slices.Clone(read) // matching rewrites its results
		err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
			if err := s.writeChunk(ctx, tx, t, c, known, probeAll, reg, now); err != nil {
				return err
			}
			if !write {
				return errRollback
			}
			if job == uuid.Nil {
				return nil
			}
			return saveChunk(ctx, tx, t.ID, job, c)
		})
		if err != nil && !errors.Is(err, errRollback) {
			return nil, err
		}
		return c.results, nil
	}
	res, err := attempt(false)
	if errors.Is(err, errKeysChanged) {
		res, err = attempt(true)
	}
	return res, err
}

// writeChunk stages a chunk, matches it against the register and writes the
// new and updated records, in tx. Rows are probed by NIK and NIB only when
// known says they may match, or all of them when probeAll.
func (s *Service) writeChunk(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, c chunk, known *knownKeys, probeAll bool,
	reg Regulation, now time.Time) error {
	if len(c.rows) == 0 {
		return nil
	}
	probes := 0
	for i := range c.rows {
		r := c.rows[i].r
		c.rows[i].probe = (r.nikHash != nil || r.in.NIB != nil) && (probeAll || known.mayExist(r))
		if c.rows[i].probe {
			probes++
		}
	}
	start := time.Now()
	if err := stage(ctx, tx, c.rows, now); err != nil {
		return err
	}
	byID := make(map[uuid.UUID]int, len(c.rows))
	for i, r := range c.results {
		if r.UMKMID != nil {
			byID[*r.UMKMID] = i
		}
	}
	// Rows without NIK or NIB whose name and owner match a record that was
	// in the register when the import began (confirmed below on the record).
	natural := map[uuid.UUID]uuid.UUID{}
	for _, r := range c.rows {
		if r.r.nikHash == nil && r.r.in.NIB == nil {
			if id, ok := known.natural[naturalKey(r.r.in.KelurahanKode, r.r.in.NamaUsaha, r.r.in.NamaPemilik)]; ok {
				natural[r.id] = id
			}
		}
	}
	if len(natural) > 0 {
		if err := confirmNatural(ctx, tx, c.rows, natural); err != nil {
			return err
		}
	}
	if probes > 0 || len(natural) > 0 {
		// Only matching joins the stage: the row count (and the ids'
		// distinctness) for its plans. Statistics of all its columns cost
		// ~75 ms per chunk, a fifth of the import's CPU, for plans that
		// read no other column.
		if _, err := tx.Exec(ctx, "analyze umkm_stage (id)"); err != nil {
			return err
		}
	}
	t0 := time.Now()
	updates, err := s.matchExisting(ctx, tx, t, c.results, byID, probes, natural, reg, now)
	if err != nil {
		return err
	}
	t1 := time.Now()
	if _, err := insertStaged(ctx, tx, t.ID, SourceImpor, now); err != nil {
		if !probeAll && (db.IsUniqueViolation(err, "umkm_nik_key") || db.IsUniqueViolation(err, "umkm_nib_key")) {
			return errKeysChanged
		}
		return err
	}
	s.Logger.DebugContext(ctx, "import chunk", "last_row", c.last, "match_ms", t1.Sub(t0).Milliseconds(),
		"insert_ms", time.Since(t1).Milliseconds(), "stage_ms", t0.Sub(start).Milliseconds())
	return applyUpdates(ctx, tx, t.ID, updates, now)
}

// confirmNatural drops hash hits whose record does not really have the
// row's kelurahan, name and owner (a hash collision, or a record changed
// since the import began).
func confirmNatural(ctx context.Context, tx pgx.Tx, rows []staged, natural map[uuid.UUID]uuid.UUID) error {
	ids := make([]uuid.UUID, 0, len(natural))
	for _, id := range natural {
		ids = append(ids, id)
	}
	recs, err := tx.Query(ctx, `select id, kelurahan_kode, nama_usaha, nama_pemilik from umkm where id = any($1) and archived_at is null`, ids)
	if err != nil {
		return err
	}
	type key struct{ kel, usaha, pemilik string }
	found := map[uuid.UUID]key{}
	var id uuid.UUID
	var k key
	if _, err := pgx.ForEachRow(recs, []any{&id, &k.kel, &k.usaha, &k.pemilik}, func() error {
		found[id] = key{k.kel, fold(k.usaha), fold(k.pemilik)}
		return nil
	}); err != nil {
		return err
	}
	for _, r := range rows {
		existing, ok := natural[r.id]
		if !ok {
			continue
		}
		if found[existing] != (key{r.r.in.KelurahanKode, fold(r.r.in.NamaUsaha), fold(r.r.in.NamaPemilik)}) {
			delete(natural, r.id)
		}
	}
	return nil
}

func saveChunk(ctx context.Context, tx pgx.Tx, tenantID, job uuid.UUID, c chunk) error {
	b, err := json.Marshal(c.results)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `insert into impor_chunk (tenant_id, pekerjaan_id, baris_akhir, hasil) values ($1, $2, $3, $4)`,
		tenantID, job, c.last, b); err != nil {
		return fmt.Errorf("save import chunk: %w", err)
	}
	// Progress as people see it (rows committed), with the chunk.
	_, err = tx.Exec(ctx, `update pekerjaan set status = 'berjalan', selesai = selesai + $2, updated_at = now() where id = $1`, job, len(c.results))
	return err
}

// rowSpan is the rows of a committed chunk, first to last.
type rowSpan struct{ first, last int }

// spans returns the row spans of committed chunks, in file order. The
// reader skips them by row, not by chunk boundaries, so a job committed
// by a release that cut chunks differently resumes without repeating rows.
func spans(done map[int][]RowResult) []rowSpan {
	out := make([]rowSpan, 0, len(done))
	for last, rs := range done {
		if len(rs) > 0 {
			out = append(out, rowSpan{rs[0].Baris, last})
		}
	}
	slices.SortFunc(out, func(a, b rowSpan) int { return a.first - b.first })
	return out
}

// committedChunks returns the chunks an earlier run of job committed, with
// their results, by last row.
func committedChunks(ctx context.Context, tx pgx.Tx, job uuid.UUID) (map[int][]RowResult, error) {
	rows, err := tx.Query(ctx, "select baris_akhir, hasil from impor_chunk where pekerjaan_id = $1", job)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int][]RowResult{}
	for rows.Next() {
		var last int
		var b []byte
		if err := rows.Scan(&last, &b); err != nil {
			return nil, err
		}
		var rs []RowResult
		if err := json.Unmarshal(b, &rs); err != nil {
			return nil, err
		}
		out[last] = rs
	}
	return out, rows.Err()
}

// reportPart is a chunk's share of the report, rendered as soon as the chunk
// is written: CSV lines, counts and its first problems. Text, not structs,
// so an import's memory stays small however long its file.
type reportPart struct {
	csv      []byte
	sum      ImportSummary
	problems []RowResult
}

func renderPart(rs []RowResult) *reportPart {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	p := &reportPart{}
	for _, r := range rs {
		p.sum.Baris++
		switch r.Hasil {
		case HasilBaru:
			p.sum.Baru++
		case HasilDiperbarui:
			p.sum.Diperbarui++
		case HasilSama:
			p.sum.Sama++
		case HasilDuplikat:
			p.sum.Duplikat++
		case HasilTidakValid:
			p.sum.TidakValid++
		}
		var warnings []string
		for _, f := range r.Peringatan {
			warnings = append(warnings, f.Lokasi+": "+f.Pesan)
		}
		if len(warnings) > 0 {
			p.sum.Peringatan++
		}
		if (r.Hasil == HasilTidakValid || r.Hasil == HasilDuplikat) && len(p.problems) < 100 {
			p.problems = append(p.problems, r)
		}
		id := ""
		if r.UMKMID != nil {
			id = r.UMKMID.String()
		}
		var problems []string
		for _, f := range r.Masalah {
			problems = append(problems, f.Lokasi+": "+f.Pesan)
		}
		if r.Catatan != "" {
			problems = append(problems, r.Catatan)
		}
		_ = w.Write([]string{strconv.Itoa(r.Baris), r.Hasil, id, strings.Join(r.Berubah, ", "), safeCell(strings.Join(problems, "; ")),
			safeCell(strings.Join(warnings, "; "))})
	}
	w.Flush()
	p.csv = b.Bytes()
	return p
}

// reportWriter joins the parts in row order.
type reportWriter struct {
	buf      bytes.Buffer
	sum      ImportSummary
	problems []RowResult
}

func newReport() *reportWriter {
	r := &reportWriter{}
	r.buf.WriteString("\xef\xbb\xbf") // so Excel opens it as UTF-8
	r.buf.WriteString("baris,hasil,umkm_id,kolom_berubah,masalah,peringatan\n")
	return r
}

func (rw *reportWriter) merge(p *reportPart) {
	rw.buf.Write(p.csv)
	s := &rw.sum
	s.Baris += p.sum.Baris
	s.Baru += p.sum.Baru
	s.Diperbarui += p.sum.Diperbarui
	s.Sama += p.sum.Sama
	s.Duplikat += p.sum.Duplikat
	s.TidakValid += p.sum.TidakValid
	s.Peringatan += p.sum.Peringatan
	for _, r := range p.problems {
		if len(rw.problems) < 100 {
			rw.problems = append(rw.problems, r)
		}
	}
}

func (rw *reportWriter) result(written bool) ImportResult {
	rw.sum.Ditulis = written
	return ImportResult{Summary: rw.sum, Report: rw.buf.Bytes(), Problems: rw.problems}
}

func maskNIK(n string) string { return n[:4] + "xxxxxxxx" + n[12:] }

// ProblemsJSON renders the first problems for the job resource.
func ProblemsJSON(rs []RowResult, lang string) json.RawMessage {
	type item struct {
		Baris   int    `json:"baris"`
		Hasil   string `json:"hasil"`
		Lokasi  string `json:"lokasi,omitempty"`
		Masalah string `json:"masalah"`
	}
	var out []item
	for _, r := range rs {
		if r.Catatan != "" {
			out = append(out, item{r.Baris, r.Hasil, "", r.Catatan})
		}
		for _, f := range r.Masalah {
			msg := f.Pesan
			if lang == "en" {
				msg = f.Message
			}
			out = append(out, item{r.Baris, r.Hasil, f.Lokasi, msg})
		}
	}
	b, _ := json.Marshal(out)
	return b
}
