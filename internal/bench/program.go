package bench

import (
	"context"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/laporan"
	"github.com/sentra-id/sentra/internal/program"
	"github.com/sentra-id/sentra/internal/teks"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tumpang"
)

// ProgramOptions size the programmes run.
type ProgramOptions struct {
	Tenant         string // the office measured
	Rows           int    // its businesses
	Programs       int    // programmes in its ledger
	Participations int    // half in its ledger (peserta), half in other agencies' lists
	Requests       int    // overlap checks timed; the never-helped pages and counts a fifth of it each
	Concurrency    int
}

// DefaultProgram is the scale (issue 17 "Speed").
var DefaultProgram = ProgramOptions{Tenant: "tangsel", Rows: 150_000, Programs: 200, Participations: 300_000, Requests: 2000, Concurrency: 1}

// The years the seeded programmes and lists fall in.
var programTahun = []int{2023, 2024, 2025, 2026}

// Program seeds one office with businesses, five agencies, programmes and
// participations, then times what staff wait for before a selection: the
// overlap check of one candidate, the never-helped list of a kecamatan
// and its counts, the overlap report of a type and year, and (beside the
// targets) the programme report, the impact report and the dashboard
// refresh with the programme figures. Every measurement calls the service
// function the API calls, as the application role under RLS.
func Program(ctx context.Context, e *Env, o ProgramOptions) error {
	t0 := time.Now()
	r, t, err := seedKantor(ctx, e, o.Tenant, o.Rows, 17)
	if err != nil {
		return err
	}
	t1 := time.Now()
	s, err := seedProgram(ctx, e, t, o)
	if err != nil {
		return err
	}
	e.Logger.Info("seeded programmes", "programs", o.Programs, "peserta", s.peserta, "luar", s.luar, "took", time.Since(t1).Round(time.Millisecond).String())
	e.Metric("program_seed_seconds", time.Since(t0).Seconds())
	// The steady state after a bulk load, as the other benchmarks measure.
	if err := adminExec(ctx, e.AdminURL, "vacuum analyze"); err != nil {
		return err
	}
	if err := adminExec(ctx, e.AdminURL, "checkpoint"); err != nil {
		return err
	}
	var nUMKM, nPeserta, nLuar, nProgram, nAgensi, nBelum int
	if err := e.App.ReadTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select (select count(*) from umkm), (select count(*) from peserta), (select count(*) from partisipasi_luar),
			(select count(*) from program), (select count(distinct agensi_id) from (select agensi_id from program union all
				select agensi_id from partisipasi_luar) a)`).Scan(&nUMKM, &nPeserta, &nLuar, &nProgram, &nAgensi)
	}); err != nil {
		return err
	}
	svc := &tumpang.Service{DB: e.App, Logger: e.Logger, Now: time.Now}
	// What a dinas staf sees: names unmasked, the whole office.
	v := tumpang.View{PII: true}
	jumlah, err := svc.JumlahBelumPernah(ctx, t, tumpang.Filter{}, v)
	if err != nil {
		return err
	}
	for _, j := range jumlah {
		if j.Level == "kecamatan" {
			nBelum += j.Belum
		}
	}
	e.Metric("program_umkm", float64(nUMKM))
	e.Metric("program_programs", float64(nProgram))
	e.Metric("program_agensi", float64(nAgensi))
	e.Metric("program_peserta", float64(nPeserta))
	e.Metric("program_luar", float64(nLuar))
	e.Metric("program_belum_pernah", float64(nBelum))

	// 1. The overlap check of one candidate (get-peserta-tumpang).
	var lat Latencies
	var items, sama atomic.Int64
	if _, err := Run(ctx, o.Concurrency, 10*time.Minute, int64(o.Requests), &lat, func(ctx context.Context, i int64) error {
		k := s.kandidat[i%int64(len(s.kandidat))]
		c, err := svc.Cek(ctx, t, k.program, k.peserta, v)
		items.Add(int64(len(c.Items)))
		sama.Add(int64(c.SamaJenis))
		return err
	}); err != nil {
		return fmt.Errorf("cek tumpang: %w", err)
	}
	e.Metric("cek_tumpang_p50_ms", lat.Quantile(0.5))
	e.Metric("cek_tumpang_p99_ms", lat.Quantile(0.99))
	e.Metric("cek_tumpang_items_avg", float64(items.Load())/float64(o.Requests))
	e.Logger.Info("cek tumpang", "same_kind_avg", float64(sama.Load())/float64(o.Requests))

	// 2. The never-helped list of a kecamatan (list-belum-pernah), its first
	// page, and its counts per kecamatan and kelurahan (get-belum-pernah-jumlah).
	kec, err := r.store.ListWilayah(ctx, t.ID, "", 100)
	if err != nil {
		return err
	}
	n := max(o.Requests/5, len(kec))
	var pageLat, countLat Latencies
	var empty atomic.Int64
	if _, err := Run(ctx, o.Concurrency, 10*time.Minute, int64(n), &pageLat, func(ctx context.Context, i int64) error {
		p, err := svc.BelumPernah(ctx, t, tumpang.Filter{Kecamatan: kec[i%int64(len(kec))].Kode, Limit: 50}, v)
		if len(p.Items) == 0 {
			empty.Add(1)
		}
		return err
	}); err != nil {
		return fmt.Errorf("belum pernah: %w", err)
	}
	if empty.Load() == int64(n) {
		return fmt.Errorf("belum pernah: every kecamatan's first page was empty")
	}
	if _, err := Run(ctx, o.Concurrency, 10*time.Minute, int64(n), &countLat, func(ctx context.Context, i int64) error {
		_, err := svc.JumlahBelumPernah(ctx, t, tumpang.Filter{Kecamatan: kec[i%int64(len(kec))].Kode}, v)
		return err
	}); err != nil {
		return fmt.Errorf("jumlah belum pernah: %w", err)
	}
	e.Metric("belum_pernah_page_p50_ms", pageLat.Quantile(0.5))
	e.Metric("belum_pernah_page_p99_ms", pageLat.Quantile(0.99))
	e.Metric("belum_pernah_jumlah_p50_ms", countLat.Quantile(0.5))
	e.Metric("belum_pernah_jumlah_p99_ms", countLat.Quantile(0.99))
	// The whole office's counts (the map's first view, no filter).
	var allLat Latencies
	if _, err := Run(ctx, 1, 10*time.Minute, 5, &allLat, func(ctx context.Context, _ int64) error {
		_, err := svc.JumlahBelumPernah(ctx, t, tumpang.Filter{}, v)
		return err
	}); err != nil {
		return fmt.Errorf("jumlah belum pernah: %w", err)
	}
	e.Metric("belum_pernah_jumlah_kantor_p50_ms", allLat.Quantile(0.5))

	// 3. The overlap report (list-tumpang), first page of every type and
	// year, three rounds.
	var repLat Latencies
	var ganda int
	for round := range 3 {
		for _, th := range programTahun {
			for _, j := range tumpang.Jenis {
				t0 := time.Now()
				p, err := svc.Laporan(ctx, t, tumpang.LaporanFilter{Tahun: th, Jenis: j, Limit: 50}, v)
				if err != nil {
					return fmt.Errorf("laporan tumpang: %w", err)
				}
				repLat.Add(time.Since(t0))
				if round == 0 {
					ganda += len(p.Items)
				}
			}
		}
	}
	if ganda == 0 {
		return fmt.Errorf("laporan tumpang: no overlap in any type and year")
	}
	e.Metric("laporan_tumpang_p50_ms", repLat.Quantile(0.5))
	e.Metric("laporan_tumpang_max_ms", repLat.Quantile(1))

	// 4. Beside the targets: the programme report (all years and one), the
	// impact report, and the dashboard refresh with the programme figures
	// (the dasbor_segarkan job's function, in its own transaction).
	rep := &laporan.Service{DB: e.App}
	for _, m := range []struct {
		metric string
		fn     func() error
	}{
		{"laporan_program_ms", func() error { _, err := rep.Program(ctx, t, laporan.Filter{}); return err }},
		{"laporan_program_tahun_ms", func() error { _, err := rep.Program(ctx, t, laporan.Filter{Tahun: 2025}); return err }},
		{"laporan_dampak_ms", func() error { _, err := rep.Dampak(ctx, t, laporan.Filter{}); return err }},
		{"dasbor_refresh_ms", func() error {
			return e.App.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error { _, err := dasbor.Refresh(ctx, tx, t.ID); return err })
		}},
	} {
		var l Latencies
		if _, err := Run(ctx, 1, 10*time.Minute, 3, &l, func(context.Context, int64) error { return m.fn() }); err != nil {
			return fmt.Errorf("%s: %w", m.metric, err)
		}
		e.Metric(m.metric, l.Quantile(0.5))
	}
	return nil
}

// seeded is what seedProgram wrote: counts, and the candidates whose
// overlap is checked.
type seeded struct {
	peserta, luar int
	kandidat      []kandidatBench
}

type kandidatBench struct{ program, peserta uuid.UUID }

// subjek is a business of the register as the seeding needs it.
type subjek struct {
	id                       uuid.UUID
	nikHash                  []byte
	nib, usaha, pemilik, kel *string
}

// seedProgram writes five agencies and the programmes through the
// programme service (validation, audit), then the participations by COPY
// into staging tables and one INSERT ... SELECT each, as the register's
// seeding does: row-by-row application through ApplyTx (a few
// milliseconds each) would make seeding minutes instead of seconds.
//
// Help is uneven, as seed 004 describes it: 60% of the businesses are ever
// helped, some of those many times (a quadratic skew), the rest never.
// Other agencies' rows are mostly matched to the register (by NIK where
// the owner has one, else by NIB or name), a tenth not matched at all and
// a few discarded.
func seedProgram(ctx context.Context, e *Env, t *tenancy.Tenant, o ProgramOptions) (seeded, error) {
	rng := rand.New(rand.NewPCG(17, 2026))
	var subj []subjek
	if err := e.App.ReadTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `select id, nik_hash, nib, nama_usaha, nama_pemilik, kelurahan_kode from umkm where archived_at is null order by id`)
		if err != nil {
			return err
		}
		subj, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (subjek, error) {
			var s subjek
			err := r.Scan(&s.id, &s.nikHash, &s.nib, &s.usaha, &s.pemilik, &s.kel)
			return s, err
		})
		return err
	}); err != nil {
		return seeded{}, err
	}
	if len(subj) < 100 {
		return seeded{}, fmt.Errorf("%d businesses: too few to seed programmes", len(subj))
	}
	rng.Shuffle(len(subj), func(i, j int) { subj[i], subj[j] = subj[j], subj[i] })
	reached := subj[:len(subj)*6/10]
	pick := func() int { f := rng.Float64(); return int(f * f * float64(len(reached))) }
	// A programme takes a business once: it cannot have more participants
	// than there are reached businesses.
	if per := (o.Participations/2 + o.Programs - 1) / o.Programs; per > len(reached)/2 {
		return seeded{}, fmt.Errorf("%d participants per programme: more than half of the %d businesses reached; add --rows or --programs", per, len(reached))
	}

	// The agencies: this office and four others.
	prog := &program.Service{DB: e.App, Logger: e.Logger, Now: time.Now}
	var agensi []program.Agensi
	if err := e.App.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		for _, in := range []program.AgensiInput{
			{Nama: "Dinas Koperasi dan UKM", Jenis: "kantor"},
			{Nama: "Dinas Perindustrian dan Perdagangan", Jenis: "opd"},
			{Nama: "Baznas Kota", Jenis: "baznas"},
			{Nama: "Bank Pembangunan Daerah", Jenis: "bank"},
			{Nama: "CSR PT Sinar Abadi", Jenis: "csr"},
		} {
			a, err := prog.CreateAgensiTx(ctx, tx, t, in)
			if err != nil {
				return err
			}
			agensi = append(agensi, a)
		}
		return nil
	}); err != nil {
		return seeded{}, err
	}

	// The office's ledger: half the participations over o.Programs
	// programmes, most of them the office's own, some other agencies'
	// run with it.
	nPeserta := o.Participations / 2
	perProgram := make([]int, o.Programs)
	for i := range nPeserta {
		perProgram[i%o.Programs]++
	}
	type planned struct {
		id    uuid.UUID
		jenis string
		tahun int
	}
	programs := make([]planned, o.Programs)
	if err := e.App.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		for i := range programs {
			jenis := tumpang.Jenis[i%len(tumpang.Jenis)]
			tahun := programTahun[(i/len(tumpang.Jenis))%len(programTahun)]
			a := agensi[0]
			if i%5 == 4 {
				a = agensi[1+i/5%4]
			}
			status := "selesai"
			if tahun == programTahun[len(programTahun)-1] {
				status = "berjalan"
			}
			satuan := "usaha"
			if jenis == "pelatihan" {
				satuan = "orang"
			}
			d, err := prog.CreateTx(ctx, tx, t, program.Input{Nama: fmt.Sprintf("Program %s %d no. %d", jenis, tahun, i+1), Jenis: jenis,
				AgensiID: a.ID, Tahun: tahun, SumberDana: "apbd", Satuan: satuan, Target: perProgram[i], Kuota: perProgram[i] + 10,
				Status: status})
			if err != nil {
				return err
			}
			programs[i] = planned{id: d.ID, jenis: jenis, tahun: tahun}
		}
		return nil
	}); err != nil {
		return seeded{}, err
	}

	var out seeded
	now := time.Now()
	var pRows [][]any
	seen := map[int]bool{}
	for i, p := range programs {
		clear(seen)
		for range perProgram[i] {
			k := pick()
			for seen[k] {
				k = pick()
			}
			seen[k] = true
			s := reached[k]
			id := uuid.Must(uuid.NewV7())
			jenis := "umkm"
			if s.nikHash != nil && rng.IntN(10) == 0 {
				jenis = "perorangan"
			}
			var status string
			var selesai *time.Time
			switch f := rng.IntN(100); {
			case f < 50:
				status = "selesai"
				d := time.Date(p.tahun, time.Month(1+rng.IntN(11)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
				selesai = &d
			case f < 70:
				status = "terpilih"
			case f < 85:
				status = "ditolak"
			case f < 90:
				status = "batal"
			default:
				status = "mendaftar"
			}
			pRows = append(pRows, []any{t.ID, id, p.id, jenis, s.id, s.nikHash, status, selesai, now, now})
			if status != "ditolak" && status != "batal" && len(out.kandidat) < 5000 && rng.IntN(max(nPeserta/5000, 1)) == 0 {
				out.kandidat = append(out.kandidat, kandidatBench{program: p.id, peserta: id})
			}
		}
	}
	// The other agencies' lists: the other half, each agency a few dozen
	// named programmes a year.
	var lRows [][]any
	nLuar := o.Participations - nPeserta
	const listsPerAgency = 25
	perList := max(nLuar/(4*listsPerAgency), 1)
	for done, list := 0, 0; done < nLuar; list++ {
		a := agensi[1+list%4]
		jenis := tumpang.Jenis[rng.IntN(len(tumpang.Jenis))]
		tahun := programTahun[list/4%len(programTahun)]
		nama := fmt.Sprintf("%s %s %d (%d)", a.Nama, jenis, tahun, list+1)
		kunci := map[string]bool{}
		for try := 0; try < 2*perList && done < nLuar && len(kunci) < perList; try++ {
			s := reached[pick()]
			var umkmID *uuid.UUID
			var oleh *string
			nik := s.nikHash
			status := "cocok"
			switch f := rng.IntN(100); {
			case f < 8: // a person the register does not know
				nik = make([]byte, 32)
				for i := range nik {
					nik[i] = byte(rng.IntN(256))
				}
				status = "belum_cocok"
			case f < 10:
				status = "dibuang"
			default:
				id := s.id
				umkmID = &id
				by := "nik"
				if nik == nil {
					by = "nib"
					if s.nib == nil {
						by = "nama"
					}
				}
				oleh = &by
			}
			k := "nama:" + deref(s.kel) + "|" + teks.Fold(deref(s.usaha)) + "|" + teks.Fold(deref(s.pemilik))
			switch {
			case nik != nil:
				k = "nik:" + hex.EncodeToString(nik)
			case s.nib != nil:
				k = "nib:" + *s.nib
			}
			if kunci[k] {
				continue // the same person twice on one list: the import keeps one row
			}
			kunci[k] = true
			done++
			lRows = append(lRows, []any{t.ID, uuid.Must(uuid.NewV7()), a.ID, nama, jenis, int16(tahun), nik, s.nib, s.usaha, s.pemilik,
				s.kel, umkmID, oleh, status, k, now, now})
		}
	}
	err := e.App.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if err := copyInsert(ctx, tx, "peserta", []string{"tenant_id", "id", "program_id", "jenis_pemohon", "umkm_id", "nik_hash", "status",
			"selesai_tanggal", "created_at", "updated_at"}, pRows); err != nil {
			return err
		}
		if err := copyInsert(ctx, tx, "partisipasi_luar", []string{"tenant_id", "id", "agensi_id", "program_nama", "jenis", "tahun", "nik_hash",
			"nib", "nama_usaha", "nama_pemilik", "kelurahan_kode", "umkm_id", "cocok_oleh", "status", "kunci", "created_at", "updated_at"}, lRows); err != nil {
			return err
		}
		// The places taken, as the selections would have counted them.
		_, err := tx.Exec(ctx, `update program p set terisi = n.n from (select program_id, count(*) as n from peserta
			where status in ('terpilih', 'selesai') group by program_id) n where n.program_id = p.id`)
		return err
	})
	out.peserta, out.luar = len(pRows), len(lRows)
	rng.Shuffle(len(out.kandidat), func(i, j int) { out.kandidat[i], out.kandidat[j] = out.kandidat[j], out.kandidat[i] })
	if len(out.kandidat) == 0 {
		return out, fmt.Errorf("no live participant to check")
	}
	return out, err
}

// seedKantor syncs the tenants and seeds office slug with rows businesses
// through the register's Seed.
func seedKantor(ctx context.Context, e *Env, slug string, rows int, seed uint64) (*register, *tenancy.Tenant, error) {
	r, err := newRegister(ctx, e)
	if err != nil {
		return nil, nil, err
	}
	tt, ok := r.tenants[slug]
	if !ok {
		return nil, nil, fmt.Errorf("no tenant %q", slug)
	}
	t := tt.Scope()
	t0 := time.Now()
	if err := r.svc.Seed(ctx, t, tt.KemendagriCode, rows, seed); err != nil {
		return nil, nil, err
	}
	e.Logger.Info("seeded businesses", "tenant", t.Slug, "rows", rows, "took", time.Since(t0).Round(time.Millisecond).String())
	return r, t, nil
}

// copyInsert writes rows into table through a staging copy.
func copyInsert(ctx context.Context, tx pgx.Tx, table string, cols []string, rows [][]any) error {
	return copyInsertSource(ctx, tx, table, cols, pgx.CopyFromRows(rows))
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
