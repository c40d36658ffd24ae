package umkm

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
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
	// Strict writes nothing when any row is invalid or a duplicate.
	Strict bool
	// Progress is called now and then with rows read so far.
	Progress func(done int)
}

// RowResult is one row of the report.
type RowResult struct {
	Baris   int            `json:"baris"`
	Hasil   string         `json:"hasil"`
	UMKMID  *uuid.UUID     `json:"umkm_id,omitempty"`
	Berubah []string       `json:"berubah,omitempty"` // changed fields, for diperbarui
	Masalah []apperr.Field `json:"-"`
	Catatan string         `json:"catatan,omitempty"`
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
}

// ImportResult is the summary, the per-row report (as CSV) and the first
// problems for display.
type ImportResult struct {
	Summary  ImportSummary
	Report   []byte
	Problems []RowResult
}

// Import reads a CSV or XLSX of businesses and applies it in tx, a tenant
// transaction: all of it or, on any error, none of it. Existing records are
// matched by NIK or NIB and updated only where the file says something (a
// blank cell is unknown, not "erase"); nothing missing from the file is
// deleted or archived.
func (s *Service) Import(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, file []byte, opt ImportOptions) (ImportResult, error) {
	format, err := SniffFormat(file)
	if err != nil {
		return ImportResult{}, err
	}
	sh, err := openSheet(file, format)
	if err != nil {
		return ImportResult{}, err
	}
	defer sh.close()
	header, err := sh.next()
	if err != nil {
		return ImportResult{}, errNotSheet
	}
	pos, err := headerMap(slices.Clone(header))
	if err != nil {
		return ImportResult{}, err
	}
	w, err := s.wilayah.get(ctx, tx, t.ID, true)
	if err != nil {
		return ImportResult{}, err
	}
	reg, err := s.regulation(ctx)
	if err != nil {
		return ImportResult{}, err
	}
	now := s.Now()

	// Work in a savepoint: a dry run or a strict import with problems rolls
	// back to it and keeps only the report.
	sp, err := tx.Begin(ctx)
	if err != nil {
		return ImportResult{}, err
	}
	defer sp.Rollback(ctx) //nolint:errcheck // after Commit this is a no-op
	if _, err := sp.Exec(ctx, stageDDL); err != nil {
		return ImportResult{}, err
	}

	var (
		results   []RowResult
		rows      []staged // a batch being copied
		seenNIK   = map[string]int{}
		seenNIB   = map[string]int{}
		baris     = 1 // the header is row 1, as in a spreadsheet
		readErr   error
		byID      = map[uuid.UUID]int{} // staged id → index in results
		legalRows [][]any
	)
	next := func() ([]any, error) {
		for {
			if len(rows) > 0 {
				st := rows[0]
				rows = rows[1:]
				return st.values(now), nil
			}
			cells, err := sh.next()
			if errors.Is(err, io.EOF) {
				return nil, nil
			}
			if err != nil {
				readErr = err
				return nil, nil
			}
			baris++
			if opt.Progress != nil && baris%10000 == 0 {
				opt.Progress(baris - 1)
			}
			if blankRow(cells) {
				baris-- // skipped, not counted
				continue
			}
			res := RowResult{Baris: baris}
			in, fields := rowInput(cells, pos, w)
			prefix := "baris " + strconv.Itoa(baris)
			for i := range fields {
				fields[i].Location = prefix + "." + fields[i].Location
			}
			r, vfields := s.validate(in, w, prefix, now)
			fields = append(fields, vfields...)
			if len(fields) > 0 {
				res.Hasil, res.Masalah = HasilTidakValid, fields
				results = append(results, res)
				continue
			}
			if r.nik != "" {
				if first, dup := seenNIK[r.nik]; dup {
					res.Hasil, res.Catatan = HasilDuplikat, fmt.Sprintf("NIK sama dengan baris %d", first)
					results = append(results, res)
					continue
				}
				seenNIK[r.nik] = baris
				r.nikHash, r.nikSealed = s.Sealer.Hash(t.ID, r.nik), s.Sealer.Seal(t.ID, r.nik)
				m := maskNIK(r.nik)
				r.nikMasked = &m
			}
			if r.in.NIB != nil {
				if first, dup := seenNIB[*r.in.NIB]; dup {
					res.Hasil, res.Catatan = HasilDuplikat, fmt.Sprintf("NIB sama dengan baris %d", first)
					results = append(results, res)
					continue
				}
				seenNIB[*r.in.NIB] = baris
			}
			r.skala = reg.Compute(r.in.ModalUsaha, r.in.OmzetTahunan, r.in.TahunMulai, now.Year())
			id := uuid.Must(uuid.NewV7())
			res.Hasil, res.UMKMID = HasilBaru, &id
			byID[id] = len(results)
			results = append(results, res)
			for _, l := range r.legal {
				legalRows = append(legalRows, []any{id, l.Jenis, l.Nomor, l.Status, l.BerlakuSampai})
			}
			rows = append(rows, staged{id: id, r: r})
		}
	}
	t0 := time.Now()
	if _, err := sp.CopyFrom(ctx, pgx.Identifier{"umkm_stage"}, stageCols, pgx.CopyFromFunc(next)); err != nil {
		return ImportResult{}, fmt.Errorf("stage import: %w", err)
	}
	s.Logger.DebugContext(ctx, "import: read, validated and staged", "rows", baris-1, "took_ms", time.Since(t0).Milliseconds())
	if readErr != nil {
		return ImportResult{}, apperr.InvalidField(fmt.Sprintf("baris %d", baris+1), nil, apperr.T(
			"Berkas rusak dan tidak dapat dibaca dari baris ini.", "The file is damaged and cannot be read from this row."))
	}
	if opt.Progress != nil {
		opt.Progress(baris - 1)
	}

	if _, err := sp.CopyFrom(ctx, pgx.Identifier{"legal_stage"}, []string{"umkm_id", "jenis", "nomor", "status", "berlaku_sampai"},
		pgx.CopyFromRows(legalRows)); err != nil {
		return ImportResult{}, fmt.Errorf("stage legalitas: %w", err)
	}
	if _, err := sp.Exec(ctx, "analyze umkm_stage"); err != nil {
		return ImportResult{}, err
	}
	t0 = time.Now()
	updates, err := s.matchExisting(ctx, sp, t, results, byID, reg, now)
	if err != nil {
		return ImportResult{}, err
	}
	s.Logger.DebugContext(ctx, "import: matched existing records", "updates", len(updates), "took_ms", time.Since(t0).Milliseconds())

	sum := ImportSummary{Baris: len(results)}
	for _, r := range results {
		switch r.Hasil {
		case HasilBaru:
			sum.Baru++
		case HasilDiperbarui:
			sum.Diperbarui++
		case HasilSama:
			sum.Sama++
		case HasilDuplikat:
			sum.Duplikat++
		case HasilTidakValid:
			sum.TidakValid++
		}
	}
	write := !opt.DryRun && !(opt.Strict && sum.Duplikat+sum.TidakValid > 0)
	if write {
		t0 = time.Now()
		if _, err := insertStaged(ctx, sp, t.ID, SourceImpor, now); err != nil {
			return ImportResult{}, err
		}
		s.Logger.DebugContext(ctx, "import: inserted new records", "rows", sum.Baru, "took_ms", time.Since(t0).Milliseconds())
		if err := applyUpdates(ctx, sp, t.ID, updates, now); err != nil {
			return ImportResult{}, err
		}
		if err := sp.Commit(ctx); err != nil {
			return ImportResult{}, err
		}
		sum.Ditulis = true
	}
	res := ImportResult{Summary: sum, Report: report(results)}
	for _, r := range results {
		if r.Hasil == HasilTidakValid || r.Hasil == HasilDuplikat {
			res.Problems = append(res.Problems, r)
			if len(res.Problems) == 100 {
				break
			}
		}
	}
	return res, nil
}

func maskNIK(n string) string { return n[:4] + "xxxxxxxx" + n[12:] }

func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// report renders the per-row report as CSV (opens in Excel).
func report(results []RowResult) []byte {
	var b bytes.Buffer
	b.WriteString("\xef\xbb\xbf")
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"baris", "hasil", "umkm_id", "kolom_berubah", "masalah"})
	for _, r := range results {
		id := ""
		if r.UMKMID != nil {
			id = r.UMKMID.String()
		}
		var problems []string
		for _, f := range r.Masalah {
			problems = append(problems, strings.TrimPrefix(f.Location, fmt.Sprintf("baris %d.", r.Baris))+": "+f.Message.ID)
		}
		if r.Catatan != "" {
			problems = append(problems, r.Catatan)
		}
		_ = w.Write([]string{strconv.Itoa(r.Baris), r.Hasil, id, strings.Join(r.Berubah, ", "), safeCell(strings.Join(problems, "; "))})
	}
	w.Flush()
	return b.Bytes()
}

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
			out = append(out, item{r.Baris, r.Hasil, f.Location, f.Message.In(lang)})
		}
	}
	b, _ := json.Marshal(out)
	return b
}
