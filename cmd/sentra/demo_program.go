package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/luar"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/program"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/internal/tumpang"
	"github.com/sentra-id/sentra/internal/umkm"
)

// The demo's programmes are what a newcomer should find on the programme
// pages: a training that ran and was completed (with attendance and
// certificates), coaching under way, equipment aid with its hand-overs, a
// bazaar still open, last year's training (evidence for the impact
// report), and two other agencies' lists — one of them overlapping the
// office's own training, so the overlap warning and the never-helped list
// have something to say. Everything goes through the services, so the
// eligibility decisions, the quota and the overlap check are the real ones.

// demoRecord is a business of the demo register, as a list would name it.
type demoRecord struct {
	id                  uuid.UUID
	usaha, pemilik, kel string
}

// demoProgramme is one office programme and what happens to it. The
// applicants are the register's records [from, from+apply).
type demoProgramme struct {
	in          program.Input
	from, apply int
	sesi        []program.SesiInput
	selesai     string // completion day of the selected (training: with a certificate number); "" none
	lulus       int    // how many of the selected complete
	bast        int    // aid: hand-overs to this many selected, the first bast-2 acknowledged
	statusAkhir string // the programme's status once seeded
}

// demoList is another agency's list: rows for the records [from, from+n)
// and a few people the register does not hold.
type demoList struct {
	agensi, nama, jenis string
	tahun, from, n      int
}

func seedDemoProgram(ctx context.Context, d *db.DB, sealer *pii.Sealer, logger *slog.Logger) error {
	store := &tenant.Store{DB: d}
	lists := &luar.Service{DB: d, Sealer: sealer, Logger: logger, Now: time.Now, NIK: umkm.NormalizeNIK, NIB: umkm.NormalizeNIB}
	overlap := &tumpang.Service{DB: d, Logger: logger, Now: time.Now}
	svc := &program.Service{DB: d, Logger: logger, Now: time.Now, Tumpang: overlap}
	all, err := store.List(ctx, tenant.Visible{All: true}, "", 1000)
	if err != nil {
		return err
	}
	for _, row := range all {
		t := row.Scope()
		var have bool
		var records []demoRecord
		if err := d.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
			if err := tx.QueryRow(ctx, "select exists (select from program)").Scan(&have); err != nil || have {
				return err
			}
			rows, err := tx.Query(ctx, `select id, nama_usaha, nama_pemilik, kelurahan_kode from umkm where archived_at is null
				order by id limit 700`)
			if err != nil {
				return err
			}
			records, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (demoRecord, error) {
				var x demoRecord
				return x, r.Scan(&x.id, &x.usaha, &x.pemilik, &x.kel)
			})
			return err
		}); err != nil {
			return err
		}
		if have || len(records) < 700 {
			continue
		}
		start := time.Now()
		if err := seedOfficeProgrammes(ctx, d, svc, lists, t, row.Name, records); err != nil {
			return fmt.Errorf("demo programmes of %s: %w", t.Slug, err)
		}
		logger.Info("demo programmes", "tenant", t.Slug, "took", time.Since(start).Round(time.Millisecond).String())
	}
	return nil
}

func seedOfficeProgrammes(ctx context.Context, d *db.DB, svc *program.Service, lists *luar.Service, t *tenancy.Tenant, office string,
	records []demoRecord) error {
	agencies := []program.AgensiInput{
		{Nama: "Dinas Koperasi dan UMKM " + office, Jenis: "kantor"},
		{Nama: "Dinas Koperasi dan UKM Provinsi", Jenis: "provinsi"},
		{Nama: "Baznas " + office, Jenis: "baznas"},
		{Nama: "CSR Bank Daerah", Jenis: "csr"},
	}
	ids := map[string]uuid.UUID{}
	for _, a := range agencies {
		if err := d.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
			x, err := svc.CreateAgensiTx(ctx, tx, t, a)
			ids[a.Jenis] = x.ID
			return err
		}); err != nil {
			return err
		}
	}
	// The other agencies' lists come first, as they would reach the office
	// before it chooses its own participants.
	for _, l := range []demoList{
		{agensi: "provinsi", nama: "Pelatihan Pemasaran Digital UMKM", jenis: "pelatihan", tahun: 2026, from: 0, n: 80},
		{agensi: "baznas", nama: "Bantuan Modal Usaha Mikro", jenis: "bantuan_modal", tahun: 2026, from: 200, n: 40},
	} {
		file, err := demoListCSV(records[l.from : l.from+l.n])
		if err != nil {
			return err
		}
		if _, err := lists.Import(ctx, t, file, luar.ImportParams{Nama: "daftar-" + l.jenis + ".csv", AgensiID: ids[l.agensi],
			ProgramNama: l.nama, Jenis: l.jenis, Tahun: l.tahun}, uuid.Nil, nil); err != nil {
			return fmt.Errorf("list %s: %w", l.nama, err)
		}
	}
	place := "Aula Dinas Koperasi dan UMKM " + office
	renja := "2.17.07.2.01.0015"
	indikator := "Jumlah UMKM yang mendapatkan pelatihan"
	for _, p := range []demoProgramme{
		{in: program.Input{Nama: "Pelatihan Pengemasan dan Label Produk 2026", Jenis: "pelatihan", Tahun: 2026, SumberDana: "apbd",
			RenjaKode: &renja, RenjaIndikator: &indikator, Satuan: "orang", Target: 30, Kuota: 30,
			Aturan: []program.Aturan{{Jenis: "skala", Nilai: []string{"mikro", "kecil"}}}},
			// From 70: the first ten took the province's training too.
			from: 70, apply: 40, selesai: "2026-06-17", lulus: 26, statusAkhir: "selesai",
			sesi: []program.SesiInput{{Judul: "Hari 1: Desain kemasan", Tanggal: "2026-06-15", Tempat: &place},
				{Judul: "Hari 2: Label, PIRT dan halal", Tanggal: "2026-06-16", Tempat: &place}}},
		{in: program.Input{Nama: "Pendampingan Sertifikasi Halal 2026", Jenis: "fasilitasi_legalitas", Tahun: 2026, SumberDana: "apbd",
			Satuan: "usaha", Target: 40, Kuota: 40, Aturan: []program.Aturan{{Jenis: "terdaftar"}}},
			from: 300, apply: 45, statusAkhir: "berjalan"},
		{in: program.Input{Nama: "Bantuan Peralatan Usaha Kuliner 2026", Jenis: "bantuan_barang", Tahun: 2026, SumberDana: "apbd",
			Satuan: "usaha", Target: 12, Kuota: 12, Aturan: []program.Aturan{{Jenis: "sektor", Nilai: []string{"kuliner"}}}},
			from: 400, apply: 60, bast: 8, statusAkhir: "berjalan"},
		{in: program.Input{Nama: "Bazar UMKM Akhir Tahun 2026", Jenis: "fasilitasi_pemasaran", Tahun: 2026, SumberDana: "apbd",
			Satuan: "usaha", Target: 50, Kuota: 50}, from: 500, apply: 10, statusAkhir: "dibuka"},
		{in: program.Input{Nama: "Pelatihan Kewirausahaan Pemula 2025", Jenis: "pelatihan", Tahun: 2025, SumberDana: "apbd",
			RenjaKode: &renja, RenjaIndikator: &indikator, Satuan: "orang", Target: 20, Kuota: 20},
			from: 600, apply: 22, selesai: "2025-09-20", lulus: 20, statusAkhir: "selesai",
			sesi: []program.SesiInput{{Judul: "Kewirausahaan dan pembukuan sederhana", Tanggal: "2025-09-18", Tempat: &place}}},
	} {
		p.in.AgensiID, p.in.Status = ids["kantor"], "dibuka"
		if err := runDemoProgramme(ctx, d, svc, t, p, records[p.from:p.from+p.apply]); err != nil {
			return fmt.Errorf("%s: %w", p.in.Nama, err)
		}
	}
	return nil
}

// runDemoProgramme opens p, takes its applications, selects the eligible
// up to the quota (the overlap check refuses those helped the same way
// elsewhere: they stay applicants with the warning), records attendance,
// completions and hand-overs, and sets its final status.
func runDemoProgramme(ctx context.Context, d *db.DB, svc *program.Service, t *tenancy.Tenant, p demoProgramme, applicants []demoRecord) error {
	var det program.Detail
	var sesi []program.Sesi
	if err := d.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var err error
		if det, err = svc.CreateTx(ctx, tx, t, p.in); err != nil {
			return err
		}
		for _, s := range p.sesi {
			x, err := svc.CreateSesiTx(ctx, tx, t, det.ID, s)
			if err != nil {
				return err
			}
			sesi = append(sesi, x)
		}
		return nil
	}); err != nil {
		return err
	}
	var selected []program.Peserta
	for _, a := range applicants {
		var x program.Peserta
		if err := d.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
			var err error
			x, err = svc.ApplyTx(ctx, tx, t, det.ID, program.PesertaInput{Pemohon: "umkm", UMKMID: &a.id, BukanASN: true}, program.View{PII: true})
			return err
		}); err != nil {
			return err
		}
		if x.Layak == nil || !*x.Layak || len(selected) == p.in.Kuota {
			continue
		}
		x, err := svc.Select(ctx, t, det.ID, x.ID, x.Version)
		if apperr.KindOf(err) == apperr.KindConflict {
			continue // helped the same way elsewhere: the page shows why
		}
		if err != nil {
			return err
		}
		selected = append(selected, x)
	}
	for i, s := range sesi {
		var hadir []uuid.UUID
		for j, x := range selected {
			if i == 0 || j%9 != 4 { // a few miss the second day
				hadir = append(hadir, x.ID)
			}
		}
		if _, err := svc.SetHadir(ctx, t, det.ID, s.ID, s.Version, program.HadirInput{PesertaID: hadir}); err != nil {
			return err
		}
	}
	for i, x := range selected {
		switch {
		case p.selesai != "" && i < p.lulus:
			var no *string
			if p.in.Jenis == "pelatihan" {
				n := fmt.Sprintf("%03d/SERT/DKUM/%s", i+1, p.selesai[:4])
				no = &n
			}
			cur, err := svc.GetPeserta(ctx, t, det.ID, x.ID, program.View{PII: true})
			if err != nil {
				return err
			}
			if _, err := svc.Complete(ctx, t, det.ID, x.ID, cur.Version, program.SelesaiInput{Tanggal: p.selesai, SertifikatNomor: no}); err != nil {
				return err
			}
		case i < p.bast:
			nomor := fmt.Sprintf("%03d/BAST/DKUM/%d", i+1, p.in.Tahun)
			if err := d.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
				_, err := svc.CreateBASTTx(ctx, tx, t, det.ID, x.ID, program.BASTInput{NomorBAST: nomor, Tanggal: "2026-09-10",
					Barang: []program.BarangInput{{NamaBarang: "Etalase kaca", Jumlah: 1, Satuan: "unit", HargaSatuan: 1_750_000},
						{NamaBarang: "Kompor gas dua tungku", Jumlah: 1, Satuan: "unit", HargaSatuan: 650_000}}})
				return err
			}); err != nil {
				return err
			}
			if i < p.bast-2 {
				if _, err := svc.Receive(ctx, t, det.ID, x.ID, nomor, program.TerimaInput{Nama: deref(x.NamaPemilik)}); err != nil {
					return err
				}
			}
		}
	}
	cur, err := svc.Get(ctx, t, det.ID)
	if err != nil {
		return err
	}
	in := p.in
	in.Status = p.statusAkhir
	_, err = svc.Update(ctx, t, det.ID, cur.Version, in)
	return err
}

// demoListCSV writes records as an agency's list names them: by name,
// owner and kelurahan, the way most lists reach an office, plus three
// people the register does not hold, for staff to register or discard.
func demoListCSV(records []demoRecord) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	head := make([]string, len(luar.Columns))
	for i, c := range luar.Columns {
		head[i] = c.Label
	}
	_ = w.Write(head)
	for _, r := range records {
		_ = w.Write([]string{"", "", r.usaha, r.pemilik, r.kel, "lulus"})
	}
	for i, name := range []string{"Warung Bu Darsih", "Jahit Pak Karta", "Kue Basah Mbak Yuli"} {
		_ = w.Write([]string{"", "", name, []string{"Darsih", "Karta", "Yuliani"}[i], records[0].kel, "lulus"})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, err
	}
	if b.Len() == 0 {
		return nil, errors.New("empty list")
	}
	return b.Bytes(), nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
