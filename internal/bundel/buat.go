package bundel

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/pekerjaan"
)

// What the bundle holds, and what it leaves out:
//
//   - every tenant table of the catalogue (db.TenantTables), a table added
//     later included without a change here, as <table>.csv and
//     <table>.json; bundel_potongan, the bundle itself, excepted;
//   - the stored files (berkas) as berkas/<id>-<name>, their bytes left
//     out of berkas.csv and berkas.json;
//   - the office's staff accounts (pengguna.csv, pengguna.json): the audit
//     log names its actors by id; no password hash, TOTP secret or
//     session leaves Sentra (they are platform tables, not the office's);
//   - the NIKs opened: the office owns them, and the ciphertext is bound to
//     a key it does not have and that never leaves the server. The bundle
//     reaches admins only, through a signed link that expires;
//   - no other binary column: the keyed hashes of NIKs, the hashes of
//     invitation tokens and of requests are useless without the server's
//     keys (and a token's hash is a credential's). Generated columns (the
//     search's word vector) are derived from the rest. The manifest lists
//     each column left out.

// Format names the bundle's layout in its manifest.
const Format = "sentra-bundel-kantor/1"

// pieceSize is a stored piece: a download's unit, and what the job holds
// in memory besides the rows of one fetch.
const pieceSize = 4 << 20

// idleFlush bounds how long the job's transaction waits between two
// pieces: past it, what is buffered is stored as a shorter piece, so the
// transaction never nears the server's idle-in-transaction timeout (120 s)
// while very compressible rows are read.
const idleFlush = 20 * time.Second

// fetchRows are the rows read per fetch of a table's cursor.
const fetchRows = 1000

// progressEvery rows the progress is recorded (on the side pool).
const progressEvery = 5000

// Manifest is manifest.json, the last file of the bundle.
type Manifest struct {
	Format string `json:"format"`
	Kantor struct {
		ID   uuid.UUID `json:"id"`
		Slug string    `json:"slug"`
		Nama string    `json:"nama"`
	} `json:"kantor"`
	DibuatAt time.Time `json:"dibuat_at"`
	// Berkas are every file of the bundle but the manifest.
	Berkas []Isi `json:"berkas"`
	// Dihilangkan are the columns of each table left out.
	Dihilangkan map[string][]string `json:"kolom_dihilangkan"`
	Catatan     []string            `json:"catatan"`
}

// Isi is one file of the bundle.
type Isi struct {
	Nama   string `json:"nama"`
	Tabel  string `json:"tabel,omitempty"`
	Baris  *int   `json:"baris,omitempty"` // rows, for a table's file
	Ukuran int64  `json:"ukuran"`          // bytes
	SHA256 string `json:"sha256"`
}

var catatan = []string{
	"Setiap tabel kantor ada sebagai <tabel>.csv (RFC 4180, UTF-8, baris pertama nama kolom; nilai kosong tanpa tanda kutip berarti NULL, " +
		"sehingga dapat dimuat kembali dengan COPY ... (FORMAT csv, HEADER)) dan <tabel>.json (larik JSON, satu objek per baris). " +
		"Keduanya berurutan menurut kunci utama tabel.",
	"Waktu ditulis dalam UTC.",
	"Kolom nik berisi NIK yang dibuka dari simpanan terenkripsinya. Kunci server tidak disertakan.",
	"Kolom biner tidak disertakan: isi berkas ada di folder berkas/ (nama: <id>-<nama berkas>); selebihnya hash yang tidak berguna tanpa kunci server. " +
		"Kolom turunan (indeks pencarian) juga tidak disertakan.",
	"pengguna.csv dan pengguna.json: akun staf kantor beserta perannya (tanpa kata sandi atau TOTP), untuk membaca actor_id di audit_log.",
	"Setelah tanggal penghapusan, seluruh data kantor dihapus dari Sentra. Yang tersisa: tagihan, fakta langganan, log audit, " +
		"dan catatan penghapusan dengan SHA-256 manifest ini.",
}

// Run makes bundle id of the office in tx, the job's transaction: the
// pieces and the result are written there and commit with the job, or
// not at all (a retry starts clean).
//
// The office's rows are read in a transaction of their own, one snapshot
// (REPEATABLE READ) for every table, so the CSV and the JSON of a table
// and the tables among themselves agree. It runs beside the job's
// transaction, not as it: the progress recorded meanwhile (side pool)
// would conflict with the result written in a snapshot transaction. Two
// transactions of one job are within the pool's budget of a long job
// (jobs.PoolConns, as an import's writers).
func (s *Service) Run(ctx context.Context, tx pgx.Tx, tenantID, id uuid.UUID) error {
	job, err := pekerjaan.Get(ctx, tx, id)
	if err != nil {
		return err
	}
	if job.Status == pekerjaan.Selesai {
		return nil
	}
	return s.DB.ReadTenantTx(db.Detach(ctx), tenantID, func(r pgx.Tx) error {
		b := &pembuat{s: s, ctx: ctx, r: r, tenantID: tenantID, id: id,
			out: &potongan{ctx: ctx, w: tx, tenantID: tenantID, id: id, sum: sha256.New(), stored: time.Now()}}
		b.zw = zip.NewWriter(b.out)
		if err := b.make(); err != nil {
			return fmt.Errorf("bundle %s: %w", id, err)
		}
		return pekerjaan.Finish(ctx, tx, id, b.done, b.hasil, nil)
	})
}

// pembuat makes one bundle.
type pembuat struct {
	s        *Service
	ctx      context.Context
	r        pgx.Tx // reads, in one snapshot
	tenantID uuid.UUID
	id       uuid.UUID
	out      *potongan
	zw       *zip.Writer
	m        Manifest
	hasil    Hasil

	done, total, reported int
}

// dataset is one table (or the staff list) as two files.
type dataset struct {
	name   string
	header []string
	// csvSQL selects one text per column of header; jsonSQL one JSON
	// object per row. With sealed >= 0, the sealed column comes as base64
	// at its place in the CSV's and after the object in the JSON's; it is
	// opened, and added to the object under header[sealed].
	csvSQL, jsonSQL, countSQL string
	args                      []any
	sealed                    int
	rows                      int
}

func (b *pembuat) make() error {
	ctx := b.ctx
	if _, err := b.r.Exec(ctx, "set local TimeZone = 'UTC'"); err != nil {
		return err
	}
	b.m = Manifest{Format: Format, DibuatAt: b.s.Now().UTC().Truncate(time.Second), Dihilangkan: map[string][]string{}, Catatan: catatan}
	b.m.Kantor.ID = b.tenantID
	if err := b.r.QueryRow(ctx, "select slug, name from tenants where id = $1", b.tenantID).Scan(&b.m.Kantor.Slug, &b.m.Kantor.Nama); err != nil {
		return fmt.Errorf("office: %w", err)
	}
	tables, err := db.TenantTables(ctx, b.r)
	if err != nil {
		return err
	}
	var sets []*dataset
	for _, t := range tables {
		if t.Name == "bundel_potongan" {
			continue
		}
		d, dropped := tableDataset(t)
		if len(dropped) > 0 {
			b.m.Dihilangkan[t.Name] = dropped
		}
		sets = append(sets, d)
	}
	sets = append(sets, staffDataset(b.m.Kantor.Slug))
	for _, d := range sets {
		if err := b.r.QueryRow(ctx, d.countSQL, d.args...).Scan(&d.rows); err != nil {
			return fmt.Errorf("count %s: %w", d.name, err)
		}
		b.total += 2 * d.rows
	}
	rows, err := b.r.Query(ctx, "select id from berkas order by id")
	if err != nil {
		return err
	}
	files, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return fmt.Errorf("files: %w", err)
	}
	b.total += len(files)
	if err := b.progress(true); err != nil {
		return err
	}

	for _, d := range sets {
		if err := b.writeSet(d); err != nil {
			return err
		}
	}
	for _, f := range files {
		if err := b.writeFile(f); err != nil {
			return err
		}
	}
	manifest, err := json.MarshalIndent(b.m, "", "  ")
	if err != nil {
		return err
	}
	sum := sha256.Sum256(manifest)
	if err := b.entry("manifest.json", func(w io.Writer) error { _, err := w.Write(manifest); return err }, nil); err != nil {
		return err
	}
	if err := b.zw.Close(); err != nil {
		return err
	}
	if err := b.out.flush(true); err != nil {
		return err
	}
	b.hasil = Hasil{Nama: fmt.Sprintf("sentra-%s-%s.zip", b.m.Kantor.Slug, b.m.DibuatAt.Format("20060102")),
		Ukuran: b.out.total, SHA256: hex.EncodeToString(b.out.sum.Sum(nil)), ManifestSHA256: hex.EncodeToString(sum[:]),
		Potongan: b.out.no, Tabel: len(sets) - 1, Berkas: len(files)}
	for _, d := range sets[:len(sets)-1] {
		b.hasil.Baris += d.rows
	}
	return b.progress(true)
}

// tableDataset is a tenant table's two files, and the columns left out.
func tableDataset(t db.TenantTable) (*dataset, []string) {
	d := &dataset{name: t.Name, sealed: -1}
	var texts, plain []string
	sealed := ""
	var dropped []string
	for _, c := range t.Columns {
		switch {
		case c.Generated:
			dropped = append(dropped, c.Name)
		case c.Type == "bytea" && strings.HasSuffix(c.Name, "_sealed") && sealed == "":
			sealed = c.Name
			d.sealed = len(d.header)
			d.header = append(d.header, strings.TrimSuffix(c.Name, "_sealed"))
		case c.Type == "bytea":
			dropped = append(dropped, c.Name)
		default:
			d.header = append(d.header, c.Name)
			texts = append(texts, "r."+ident(c.Name)+"::text")
			plain = append(plain, "r."+ident(c.Name))
		}
	}
	var keys []string
	for _, k := range t.Key {
		keys = append(keys, "r."+ident(k))
	}
	from := " from public." + ident(t.Name) + " r order by " + strings.Join(keys, ", ")
	tail := ""
	if sealed != "" {
		tail = ", encode(r." + ident(sealed) + ", 'base64')"
		// The opened column sits where the sealed one was in the CSV.
		texts = append(texts[:d.sealed], append([]string{"encode(r." + ident(sealed) + ", 'base64')"}, texts[d.sealed:]...)...)
	}
	d.countSQL = "select count(*) from public." + ident(t.Name)
	d.csvSQL = "select " + strings.Join(texts, ", ") + from
	d.jsonSQL = "select (select row_to_json(v) from (select " + strings.Join(plain, ", ") + ") v)::text" + tail + from
	return d, dropped
}

// staffDataset is the office's accounts and their roles in it (slug is
// its role domain).
func staffDataset(slug string) *dataset {
	const cols = "u.id, u.email, u.name, r.role, r.wilayah, r.disabled_at is null as aktif, r.created_at"
	const where = " from role_assignments r join users u on u.id = r.user_id where r.domain = $1"
	from := where + " order by u.id"
	var texts []string
	header := []string{"id", "email", "name", "role", "wilayah", "aktif", "created_at"}
	for _, c := range strings.Split(cols, ", ") {
		c, _, _ = strings.Cut(c, " as ")
		texts = append(texts, "("+c+")::text")
	}
	return &dataset{name: "pengguna", header: header, sealed: -1, args: []any{slug},
		countSQL: "select count(*)" + where,
		csvSQL:   "select " + strings.Join(texts, ", ") + from,
		jsonSQL:  "select (select row_to_json(v) from (select " + cols + ") v)::text" + from}
}

func ident(name string) string { return pgx.Identifier{name}.Sanitize() }

// writeSet writes a dataset's CSV, then its JSON.
func (b *pembuat) writeSet(d *dataset) error {
	csvOut := func(w io.Writer) error {
		if err := writeCSV(w, quoted(d.header)); err != nil {
			return err
		}
		return b.each(d, d.csvSQL, func(vals [][]byte) error {
			if d.sealed >= 0 {
				nik, err := b.open(vals[d.sealed])
				if err != nil {
					return err
				}
				vals[d.sealed] = nik
			}
			return writeCSV(w, vals)
		})
	}
	n := d.rows
	if err := b.entry(d.name+".csv", csvOut, &Isi{Tabel: tableOf(d), Baris: &n}); err != nil {
		return err
	}
	jsonOut := func(w io.Writer) error {
		first := true
		if _, err := io.WriteString(w, "[\n"); err != nil {
			return err
		}
		err := b.each(d, d.jsonSQL, func(vals [][]byte) error {
			row := vals[0]
			if d.sealed >= 0 {
				nik, err := b.open(vals[1])
				if err != nil {
					return err
				}
				v := []byte("null")
				if nik != nil {
					v, _ = json.Marshal(string(nik))
				}
				key, _ := json.Marshal(d.header[d.sealed])
				row = append(append(append(append(row[:len(row)-1:len(row)-1], ','), key...), ':'), append(v, '}')...)
			}
			if !first {
				if _, err := io.WriteString(w, ",\n"); err != nil {
					return err
				}
			}
			first = false
			_, err := w.Write(row)
			return err
		})
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, "\n]\n")
		return err
	}
	return b.entry(d.name+".json", jsonOut, &Isi{Tabel: tableOf(d), Baris: &n})
}

func tableOf(d *dataset) string {
	if d.name == "pengguna" {
		return ""
	}
	return d.name
}

// each runs query (with the dataset's args) through a cursor, a
// fetch at a time (each fetch a short statement), and hands fn every
// row's values as text (nil for NULL), then checks the rows against the
// count of the same snapshot.
func (b *pembuat) each(d *dataset, query string, fn func([][]byte) error) error {
	ctx := b.ctx
	if _, err := b.r.Exec(ctx, "declare bundel_baris no scroll cursor for "+query, d.args...); err != nil {
		return fmt.Errorf("%s: %w", d.name, err)
	}
	n := 0
	for {
		// The simple protocol: every value arrives as text, and a FETCH is
		// not prepared (its columns change with the cursor).
		rows, err := b.r.Query(ctx, fmt.Sprintf("fetch forward %d from bundel_baris", fetchRows), pgx.QueryExecModeSimpleProtocol)
		if err != nil {
			return fmt.Errorf("%s: %w", d.name, err)
		}
		got := 0
		for rows.Next() {
			got++
			raw := rows.RawValues()
			vals := make([][]byte, len(raw))
			copy(vals, raw)
			if err := fn(vals); err != nil {
				rows.Close()
				return fmt.Errorf("%s row %d: %w", d.name, n+got, err)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("%s: %w", d.name, err)
		}
		n += got
		b.done += got
		if err := b.progress(false); err != nil {
			return err
		}
		if got < fetchRows {
			break
		}
	}
	if _, err := b.r.Exec(ctx, "close bundel_baris"); err != nil {
		return err
	}
	if n != d.rows {
		return fmt.Errorf("%s: %d rows read, %d counted in the same snapshot", d.name, n, d.rows)
	}
	return nil
}

// open opens a sealed value (base64 text from the cursor) of the office.
func (b *pembuat) open(v []byte) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	sealed, err := base64.StdEncoding.DecodeString(string(v))
	if err != nil {
		return nil, err
	}
	if b.s.Sealer == nil {
		return nil, fmt.Errorf("no data key to open sealed values")
	}
	plain, err := b.s.Sealer.Open(b.tenantID, sealed)
	if err != nil {
		return nil, err // says nothing of the value
	}
	return []byte(plain), nil
}

// writeFile writes one stored file under berkas/.
func (b *pembuat) writeFile(id uuid.UUID) error {
	var nama string
	var isi []byte
	if err := b.r.QueryRow(b.ctx, "select nama, isi from berkas where id = $1", id).Scan(&nama, &isi); err != nil {
		return fmt.Errorf("file %s: %w", id, err)
	}
	err := b.entry("berkas/"+id.String()+"-"+safeName(nama), func(w io.Writer) error { _, err := w.Write(isi); return err }, &Isi{})
	if err != nil {
		return err
	}
	b.done++
	return b.progress(false)
}

// safeName keeps a stored file's name from leaving its folder when
// unzipped, or carrying control characters.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || unicode.IsControl(r) {
			return '_'
		}
		return r
	}, s)
	s = strings.TrimLeft(s, ".")
	if s == "" {
		s = "berkas"
	}
	if len(s) > 150 {
		s = s[:150]
	}
	return strings.ToValidUTF8(s, "_")
}

// entry writes one file of the zip through write, recording its size and
// SHA-256 in the manifest (isi nil: the manifest itself).
func (b *pembuat) entry(name string, write func(io.Writer) error, isi *Isi) error {
	w, err := b.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: b.m.DibuatAt})
	if err != nil {
		return err
	}
	c := &tally{sum: sha256.New()}
	if err := write(io.MultiWriter(w, c)); err != nil {
		return err
	}
	if isi == nil {
		return nil
	}
	isi.Nama, isi.Ukuran, isi.SHA256 = name, c.n, hex.EncodeToString(c.sum.Sum(nil))
	b.m.Berkas = append(b.m.Berkas, *isi)
	return nil
}

// progress records the rows done on the side pool, every progressEvery
// rows (or now, when forced).
func (b *pembuat) progress(force bool) error {
	if !force && b.done-b.reported < progressEvery {
		return nil
	}
	b.reported = b.done
	total := b.total
	return pekerjaan.Progress(b.ctx, b.s.DB, b.tenantID, b.id, pekerjaan.Berjalan, b.done, &total)
}

// tally counts and hashes what passes.
type tally struct {
	n   int64
	sum hash.Hash
}

func (t *tally) Write(p []byte) (int, error) {
	t.n += int64(len(p))
	return t.sum.Write(p)
}

// writeCSV writes one record: every value quoted, NULL (nil) as nothing,
// so NULL and the empty text stay apart (as COPY ... FORMAT csv reads them).
func writeCSV(w io.Writer, vals [][]byte) error {
	var line bytes.Buffer
	for i, v := range vals {
		if i > 0 {
			line.WriteByte(',')
		}
		if v == nil {
			continue
		}
		line.WriteByte('"')
		line.Write(bytes.ReplaceAll(v, []byte(`"`), []byte(`""`)))
		line.WriteByte('"')
	}
	line.WriteString("\r\n")
	_, err := w.Write(line.Bytes())
	return err
}

func quoted(names []string) [][]byte {
	out := make([][]byte, len(names))
	for i, n := range names {
		out[i] = []byte(n)
	}
	return out
}

// potongan stores the zip in pieces in the job's transaction as it grows:
// a whole piece as soon as there is one (the job's transaction is another
// connection than the reader's, free while rows stream in).
type potongan struct {
	ctx          context.Context
	w            pgx.Tx
	tenantID, id uuid.UUID
	buf          bytes.Buffer
	no           int
	total        int64
	sum          hash.Hash
	stored       time.Time // when the last piece was stored
}

func (p *potongan) Write(b []byte) (int, error) {
	p.total += int64(len(b))
	p.sum.Write(b)
	p.buf.Write(b)
	if err := p.flush(time.Since(p.stored) > idleFlush); err != nil {
		return 0, err
	}
	return len(b), nil
}

// flush stores every whole piece, and with all the rest too.
func (p *potongan) flush(all bool) error {
	ctx := p.ctx
	for p.buf.Len() >= pieceSize || all && p.buf.Len() > 0 {
		piece := p.buf.Next(min(pieceSize, p.buf.Len()))
		if _, err := p.w.Exec(ctx, `insert into bundel_potongan (tenant_id, pekerjaan_id, no, isi) values ($1, $2, $3, $4)`,
			p.tenantID, p.id, p.no, piece); err != nil {
			return fmt.Errorf("store piece %d: %w", p.no, err)
		}
		p.no++
		p.stored = time.Now()
	}
	return nil
}
