package umkm

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/tenancy"
)

// update is an existing record with the file's values merged in.
type update struct {
	staged
	before Record
}

// matchExisting finds staged rows that are records the tenant already has:
// by NIK or NIB among the rows marked probe, by name and owner within a
// kelurahan (natural). A row not probed that has a record after all is
// refused by the unique indexes when it is inserted (see commitChunk).
// Each matched row leaves the stage and becomes an update (the fields that
// change are listed), an unchanged row, or a duplicate when its NIK and NIB
// point at two different records.
//
// The matched records are locked before they are read: a change staff make
// meanwhile waits for the import instead of being overwritten with what the
// import read. A record merged or archived while the import waited for it is
// no longer a match: NIK and NIB are matched again (READ COMMITTED: the new
// statement sees the merge), and a name-and-owner match becomes a new row.
func (s *Service) matchExisting(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, results []RowResult,
	byID map[uuid.UUID]int, probes int, natural map[uuid.UUID]uuid.UUID, reg Regulation, now time.Time) ([]update, error) {
	var (
		found matched
		err   error
	)
	for attempt := 1; ; attempt++ {
		if found, err = findMatches(ctx, tx, probes, natural); err != nil {
			return nil, err
		}
		gone, err := lockMatches(ctx, tx, found.matches)
		if err != nil {
			return nil, err
		}
		if len(gone) == 0 {
			break
		}
		rematch := false
		for id := range gone {
			for sid, nid := range natural {
				if nid == id {
					delete(natural, sid)
				}
			}
			rematch = rematch || found.byKey[id]
		}
		if rematch && attempt == 3 {
			return nil, fmt.Errorf("records matched by NIK or NIB kept being merged or archived during the import")
		}
	}
	row := func(staged uuid.UUID) (int, error) {
		i, ok := byID[staged]
		if !ok {
			return 0, fmt.Errorf("staged row %s has no result", staged)
		}
		return i, nil
	}
	for _, d := range found.duplicates {
		i, err := row(d.staged)
		if err != nil {
			return nil, err
		}
		results[i].Hasil, results[i].UMKMID = HasilDuplikat, nil
		results[i].Catatan = fmt.Sprintf("NIK cocok dengan UMKM %s tetapi NIB dengan UMKM %s", d.byNIK, d.byNIB)
	}
	if len(found.drop) == 0 {
		return nil, nil
	}

	var updates []update
	for chunk := range slices.Chunk(found.matches, 1000) {
		ids, sids := make([]uuid.UUID, len(chunk)), make([]uuid.UUID, len(chunk))
		for i, m := range chunk {
			ids[i], sids[i] = m.existing, m.staged
		}
		existing, err := loadRecords(ctx, tx, ids)
		if err != nil {
			return nil, err
		}
		incoming, err := loadStaged(ctx, tx, sids)
		if err != nil {
			return nil, err
		}
		for _, m := range chunk {
			i, err := row(m.staged)
			if err != nil {
				return nil, err
			}
			before, ok := existing[m.existing]
			if !ok {
				return nil, fmt.Errorf("locked record %s vanished", m.existing)
			}
			merged, changed := s.merge(t, before, incoming[m.staged], reg, now)
			id := m.existing
			results[i].UMKMID = &id
			if len(changed) == 0 {
				results[i].Hasil = HasilSama
				continue
			}
			results[i].Hasil, results[i].Berubah = HasilDiperbarui, changed
			updates = append(updates, update{staged: staged{id: m.existing, r: merged}, before: before})
		}
	}
	if _, err := tx.Exec(ctx, "delete from umkm_stage where id = any($1)", found.drop); err != nil {
		return nil, err
	}
	return updates, nil
}

type match struct{ staged, existing uuid.UUID }

// matched is what one matching pass found.
type matched struct {
	matches    []match // staged row → live record, sorted by record id
	duplicates []struct{ staged, byNIK, byNIB uuid.UUID }
	drop       []uuid.UUID        // staged rows that are not new records
	byKey      map[uuid.UUID]bool // records matched by NIK or NIB
}

// findMatches matches the stage against the live records.
func findMatches(ctx context.Context, tx pgx.Tx, probes int, natural map[uuid.UUID]uuid.UUID) (matched, error) {
	m := matched{byKey: map[uuid.UUID]bool{}}
	if probes == 0 {
		return m.withNatural(natural), nil
	}
	// Keys: NIK, then NIB (indexed), of the staged rows marked to probe; a
	// row with neither was matched by name and owner in Go (natural, from
	// the keys loaded when the import began).
	// Correlated lookups: one probe of the unique index per staged row,
	// whatever the size of the tenant (a join would scan all its records).
	// "offset 0" keeps the subquery whole: pulled up, each lookup ran twice
	// (once in the filter, once in the output).
	rows, err := tx.Query(ctx, `select id, by_nik, by_nib from (
			select s.id,
				(select n.id from umkm n where n.nik_hash = s.nik_hash and n.archived_at is null) as by_nik,
				(select b.id from umkm b where b.nib = s.nib and b.archived_at is null) as by_nib
			from umkm_stage s where s.probe offset 0) m
		where by_nik is not null or by_nib is not null`)
	if err != nil {
		return matched{}, fmt.Errorf("match existing: %w", err)
	}
	var sid uuid.UUID
	var byNIK, byNIB *uuid.UUID
	_, err = pgx.ForEachRow(rows, []any{&sid, &byNIK, &byNIB}, func() error {
		m.drop = append(m.drop, sid)
		if byNIK != nil && byNIB != nil && *byNIK != *byNIB {
			m.duplicates = append(m.duplicates, struct{ staged, byNIK, byNIB uuid.UUID }{sid, *byNIK, *byNIB})
			return nil
		}
		existing := byNIK
		if existing == nil {
			existing = byNIB
		}
		m.matches = append(m.matches, match{sid, *existing})
		m.byKey[*existing] = true
		return nil
	})
	if err != nil {
		return matched{}, err
	}
	return m.withNatural(natural), nil
}

// withNatural adds the name-and-owner matches and sorts the matches.
func (m matched) withNatural(natural map[uuid.UUID]uuid.UUID) matched {
	for sid, existing := range natural {
		m.drop = append(m.drop, sid)
		m.matches = append(m.matches, match{sid, existing})
	}
	// One lock order for every transaction: two imports touching the same
	// records wait for each other instead of deadlocking.
	slices.SortFunc(m.matches, func(a, b match) int { return bytes.Compare(a.existing[:], b.existing[:]) })
	return m
}

// lockMatches locks the matched records that are still live, in id order,
// and returns those that are not (merged or archived meanwhile). NO KEY
// UPDATE: it waits for staff updates and merges, not for rows that merely
// refer to the record.
func lockMatches(ctx context.Context, tx pgx.Tx, ms []match) (map[uuid.UUID]bool, error) {
	if len(ms) == 0 {
		return nil, nil
	}
	gone := make(map[uuid.UUID]bool, len(ms))
	ids := make([]uuid.UUID, len(ms))
	for i, m := range ms {
		ids[i], gone[m.existing] = m.existing, true
	}
	rows, err := tx.Query(ctx, `select id from umkm where id = any($1) and archived_at is null order by id for no key update`, ids)
	if err != nil {
		return nil, fmt.Errorf("lock matched records: %w", err)
	}
	var id uuid.UUID
	if _, err := pgx.ForEachRow(rows, []any{&id}, func() error { delete(gone, id); return nil }); err != nil {
		return nil, fmt.Errorf("lock matched records: %w", err)
	}
	return gone, nil
}

// loadRecords reads records an import updates; the caller holds their
// locks, so they are as the records now are.
func loadRecords(ctx context.Context, tx pgx.Tx, ids []uuid.UUID) (map[uuid.UUID]Record, error) {
	out := make(map[uuid.UUID]Record, len(ids))
	rows, err := tx.Query(ctx, `select `+recordCols+` from umkm where id = any($1)`, ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRecordWith(rows)
		if err != nil {
			return nil, err
		}
		out[r.ID] = r
	}
	return out, rows.Err()
}

// loadStaged reads staged rows back as rows.
func loadStaged(ctx context.Context, tx pgx.Tx, ids []uuid.UUID) (map[uuid.UUID]row, error) {
	rows, err := tx.Query(ctx, `select id, nama_pemilik, nik_hash, nik_sealed, nik_masked, jenis_kelamin, telepon, email,
		nama_usaha, sektor, kbli, produk, alamat, rt, rw, kecamatan_kode, kelurahan_kode, latitude, longitude, modal_usaha,
		omzet_tahunan, total_aset, karyawan_laki, karyawan_perempuan, tahun_mulai, nib, status_binaan, saluran_penjualan,
		skala_dilaporkan, legalitas from umkm_stage where id = any($1)`, ids)
	if err != nil {
		return nil, err
	}
	out := map[uuid.UUID]row{}
	for rows.Next() {
		var (
			id     uuid.UUID
			r      row
			status string
			kl, kp *int32
			tahun  *int16
		)
		in := &r.in
		if err := rows.Scan(&id, &in.NamaPemilik, &r.nikHash, &r.nikSealed, &r.nikMasked, &in.JenisKelamin, &in.Telepon,
			&in.Email, &in.NamaUsaha, &in.Sektor, &in.KBLI, &in.Produk, &in.Alamat, &in.RT, &in.RW, &in.KecamatanKode,
			&in.KelurahanKode, &in.Latitude, &in.Longitude, &in.ModalUsaha, &in.OmzetTahunan, &in.TotalAset, &kl, &kp,
			&tahun, &in.NIB, &status, &in.SaluranPenjualan, &in.SkalaDilaporkan, &r.legal); err != nil {
			rows.Close()
			return nil, err
		}
		in.KaryawanLaki, in.KaryawanPerempuan, in.TahunMulai = intPtr32(kl), intPtr32(kp), intPtr16(tahun)
		// Staged rows say binaan only when the file said so.
		if status == "binaan" {
			in.StatusBinaan = &status
		}
		out[id] = r
	}
	rows.Close()
	return out, rows.Err()
}

func intPtr32(v *int32) *int {
	if v == nil {
		return nil
	}
	x := int(*v)
	return &x
}

func intPtr16(v *int16) *int {
	if v == nil {
		return nil
	}
	x := int(*v)
	return &x
}

// merge lays the file's row over the existing record: a field the file
// leaves blank keeps what the register knows. It returns the merged row and
// the names of the fields that change.
func (s *Service) merge(t *tenancy.Tenant, before Record, in row, reg Regulation, now time.Time) (row, []string) {
	var changed []string
	m := row{nikSealed: before.nikSealed, nikMasked: before.NIK}
	if before.nikSealed != nil {
		if nik, err := s.Sealer.Open(t.ID, before.nikSealed); err == nil {
			m.nikHash = s.Sealer.Hash(t.ID, nik)
		}
	}
	if in.nikHash != nil && !slices.Equal(in.nikHash, m.nikHash) {
		m.nikHash, m.nikSealed, m.nikMasked = in.nikHash, in.nikSealed, in.nikMasked
		changed = append(changed, "nik")
	}
	str := func(name string, cur string, v string) string {
		if v != cur {
			changed = append(changed, name)
		}
		return v
	}
	n := &m.in
	f := in.in
	n.NamaPemilik = str("nama_pemilik", before.NamaPemilik, f.NamaPemilik)
	opt := func(name string, cur, v *string) *string { return keep(&changed, name, cur, v) }
	num := func(name string, cur, v *int64) *int64 { return keep(&changed, name, cur, v) }
	integer := func(name string, cur, v *int) *int { return keep(&changed, name, cur, v) }
	flt := func(name string, cur, v *float64) *float64 { return keep(&changed, name, cur, v) }
	n.JenisKelamin = opt("jenis_kelamin", before.JenisKelamin, f.JenisKelamin)
	n.Telepon = opt("telepon", before.Telepon, f.Telepon)
	n.Email = opt("email", before.Email, f.Email)
	n.NamaUsaha = str("nama_usaha", before.NamaUsaha, f.NamaUsaha)
	n.Sektor = str("sektor", before.Sektor, f.Sektor)
	n.KBLI = opt("kbli", before.KBLI, f.KBLI)
	n.Produk = opt("produk", before.Produk, f.Produk)
	n.Alamat = opt("alamat", before.Alamat, f.Alamat)
	n.RT = opt("rt", before.RT, f.RT)
	n.RW = opt("rw", before.RW, f.RW)
	n.KecamatanKode = str("kecamatan_kode", before.KecamatanKode, f.KecamatanKode)
	n.KelurahanKode = str("kelurahan_kode", before.KelurahanKode, f.KelurahanKode)
	n.Latitude = flt("latitude", before.Latitude, f.Latitude)
	n.Longitude = flt("longitude", before.Longitude, f.Longitude)
	n.ModalUsaha = num("modal_usaha", before.ModalUsaha, f.ModalUsaha)
	n.OmzetTahunan = num("omzet_tahunan", before.OmzetTahunan, f.OmzetTahunan)
	n.TotalAset = num("total_aset", before.TotalAset, f.TotalAset)
	n.KaryawanLaki = integer("karyawan_laki", before.KaryawanLaki, f.KaryawanLaki)
	n.KaryawanPerempuan = integer("karyawan_perempuan", before.KaryawanPerempuan, f.KaryawanPerempuan)
	n.TahunMulai = integer("tahun_mulai", before.TahunMulai, f.TahunMulai)
	n.NIB = opt("nib", before.NIB, f.NIB)
	bs := before.StatusBinaan
	n.StatusBinaan = opt("status_binaan", &bs, f.StatusBinaan)
	n.SkalaDilaporkan = opt("skala_dilaporkan", before.SkalaDilaporkan, f.SkalaDilaporkan)
	n.SaluranPenjualan = before.SaluranPenjualan
	if len(f.SaluranPenjualan) > 0 && !slices.Equal(sorted(f.SaluranPenjualan), sorted(before.SaluranPenjualan)) {
		n.SaluranPenjualan = f.SaluranPenjualan
		changed = append(changed, "saluran_penjualan")
	}
	// Documents: the file's replace those of the same kind; others stay.
	m.legal = slices.Clone(before.Legalitas)
	for _, l := range in.legal {
		i := slices.IndexFunc(m.legal, func(x legal) bool { return x.Jenis == l.Jenis })
		switch {
		case i < 0:
			m.legal = append(m.legal, l)
			changed = append(changed, "legalitas."+l.Jenis)
		case deref(m.legal[i].Nomor) != deref(l.Nomor) || m.legal[i].Status != l.Status:
			m.legal[i] = l
			changed = append(changed, "legalitas."+l.Jenis)
		}
	}
	m.skala = reg.Compute(n.ModalUsaha, n.OmzetTahunan, n.TahunMulai, now.Year())
	return m, changed
}

// keep is the merge of one optional field: the file's value if it has one
// (noting a change), else what the register knows.
func keep[T comparable](changed *[]string, name string, cur, v *T) *T {
	if v == nil {
		return cur
	}
	if cur == nil || *cur != *v {
		*changed = append(*changed, name)
	}
	return v
}

func sorted(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

// applyUpdates writes merged rows over their records, keeping the figures
// they replace in the history.
func applyUpdates(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, updates []update, now time.Time) error {
	if len(updates) == 0 {
		return nil
	}
	rows := make([]staged, len(updates))
	for i, u := range updates {
		rows[i] = u.staged
	}
	if err := stage(ctx, tx, rows, now); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `insert into umkm_riwayat (tenant_id, umkm_id, dicatat_at, karyawan_laki, karyawan_perempuan,
			omzet_tahunan, modal_usaha, total_aset, skala_hitung, sumber)
		select u.tenant_id, u.id, u.updated_at, u.karyawan_laki, u.karyawan_perempuan, u.omzet_tahunan, u.modal_usaha,
			u.total_aset, u.skala_hitung, u.sumber
		from umkm u join umkm_stage s on s.id = u.id
		where (u.karyawan_laki, u.karyawan_perempuan, u.omzet_tahunan, u.modal_usaha, u.total_aset, u.skala_hitung)
			is distinct from (s.karyawan_laki, s.karyawan_perempuan, s.omzet_tahunan, s.modal_usaha, s.total_aset, s.skala_hitung)
		on conflict do nothing`); err != nil {
		return fmt.Errorf("keep history: %w", err)
	}
	set := ""
	for _, c := range stageCols[1:] {
		if c == "kendala_terbuka" {
			continue // constraints are not imported; keep the record's
		}
		set += c + " = s." + c + ", "
	}
	if _, err := tx.Exec(ctx, `update umkm u set `+set+`updated_at = $1, version = u.version + 1
		from umkm_stage s where s.id = u.id`, now); err != nil {
		return fmt.Errorf("apply updates: %w", err)
	}
	return nil
}

// naturalKey identifies a business without NIK or NIB: its kelurahan, and
// its name and owner case-folded. Hashed to keep the tenant's keys small in
// memory; a hit is confirmed against the record before it is used.
func naturalKey(kelurahan, usaha, pemilik string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(kelurahan))
	h.Write([]byte{0})
	h.Write([]byte(fold(usaha)))
	h.Write([]byte{0})
	h.Write([]byte(fold(pemilik)))
	return h.Sum64()
}

// knownKeys is what an import knows of the tenant's live records, loaded
// once when it begins (linear in the tenant, not per chunk).
type knownKeys struct {
	natural map[uint64]uuid.UUID // natural key → record, for rows without NIK or NIB
	ident   map[uint64]struct{}  // fingerprints of the records' NIK and NIB
}

// mayExist reports whether r's NIK or NIB may belong to a record that was
// live when the import began. Only such rows are probed against the
// register: most rows of an import are new, and probing them cost a tenth
// of the import. A record created since then with the same NIK or NIB
// surfaces as a unique violation when the chunk inserts, and the chunk is
// written again with every row probed (errKeysChanged).
func (k *knownKeys) mayExist(r row) bool {
	if r.nikHash != nil {
		if _, ok := k.ident[identKey('k', r.nikHash)]; ok {
			return true
		}
	}
	if r.in.NIB != nil {
		if _, ok := k.ident[identKey('b', []byte(*r.in.NIB))]; ok {
			return true
		}
	}
	return false
}

// identKey fingerprints a NIK hash (kind 'k') or a NIB ('b'); a collision
// only costs a probe.
func identKey(kind byte, v []byte) uint64 {
	h := fnv.New64a()
	h.Write([]byte{kind})
	h.Write(v)
	return h.Sum64()
}

// loadKnownKeys loads the keys of the tenant's live records.
func loadKnownKeys(ctx context.Context, tx pgx.Tx) (*knownKeys, error) {
	rows, err := tx.Query(ctx, "select id, kelurahan_kode, nama_usaha, nama_pemilik, nik_hash, nib from umkm where archived_at is null")
	if err != nil {
		return nil, err
	}
	k := &knownKeys{natural: map[uint64]uuid.UUID{}, ident: map[uint64]struct{}{}}
	var (
		id                  uuid.UUID
		kel, usaha, pemilik string
		nikHash             []byte
		nib                 *string
	)
	_, err = pgx.ForEachRow(rows, []any{&id, &kel, &usaha, &pemilik, &nikHash, &nib}, func() error {
		k.natural[naturalKey(kel, usaha, pemilik)] = id
		if nikHash != nil {
			k.ident[identKey('k', nikHash)] = struct{}{}
		}
		if nib != nil {
			k.ident[identKey('b', []byte(*nib))] = struct{}{}
		}
		return nil
	})
	return k, err
}
