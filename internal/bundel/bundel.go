// Package bundel is an office's full export bundle (BILLING.md
// "Offboarding"): every tenant table as CSV and JSON, the stored files and
// a manifest with row counts and SHA-256 per file, in one zip, made by a
// long River job when the office starts closing, and downloaded by its
// admins or the platform through a signed link that expires.
//
// The zip lives in the database in pieces (bundel_potongan): the job
// writes a piece whenever one fills, a download reads one piece at a time,
// so neither holds a whole bundle of an office of 150.000 records in
// memory, and the bundle survives restarts like everything else.
package bundel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/pii"
)

// Jenis is the bundle's kind of pekerjaan.
const Jenis = "bundel_kantor"

// Args is the River job that makes a bundle (the long queue, one per
// pekerjaan).
type Args struct{ pekerjaan.Args }

func (Args) Kind() string { return Jenis }

// Service makes bundles and serves them.
type Service struct {
	DB *db.DB
	// Sealer opens the office's sealed NIKs for its bundle and signs the
	// download links (keys derived from the server's data key).
	Sealer *pii.Sealer
	Now    func() time.Time
	Logger *slog.Logger
}

// Queue records a bundle of the office and enqueues its job in tx (a
// transaction of tenantID), unless one is queued, running or made
// already: a bundle that failed for good is made again.
func (s *Service) Queue(ctx context.Context, tx pgx.Tx, q pekerjaan.Inserter, tenantID, by uuid.UUID) error {
	var exists bool
	if err := tx.QueryRow(ctx, `select exists (select from pekerjaan where jenis = $1 and status <> 'gagal')`, Jenis).Scan(&exists); err != nil {
		return fmt.Errorf("bundle of the office: %w", err)
	}
	if exists {
		return nil
	}
	job, err := pekerjaan.Create(ctx, tx, tenantID, Jenis, struct{}{}, nil, by)
	if err != nil {
		return err
	}
	_, err = q.InsertTx(ctx, tx, Args{pekerjaan.Args{TenantID: tenantID, PekerjaanID: job.ID}}, nil)
	return err
}

// Hasil is what a made bundle records on its pekerjaan.
type Hasil struct {
	Nama           string `json:"nama" doc:"File name of the zip."`
	Ukuran         int64  `json:"ukuran" doc:"Bytes of the zip."`
	SHA256         string `json:"sha256" doc:"SHA-256 of the zip."`
	ManifestSHA256 string `json:"manifest_sha256" doc:"SHA-256 of its manifest.json (kept in the deletion record after the purge)."`
	Potongan       int    `json:"potongan" doc:"Pieces the zip is stored in."`
	Tabel          int    `json:"tabel" doc:"Tenant tables in it."`
	Baris          int    `json:"baris" doc:"Rows of those tables."`
	Berkas         int    `json:"berkas" doc:"Stored files in it."`
}

// Keadaan is an office's bundle as its admins and the platform see it.
type Keadaan struct {
	Job pekerjaan.Job
	// Persen is the progress, 0 to 100; -1 while the total is not known.
	Persen int
	// Hasil, Tautan and Berlaku once it is made: the signed download path
	// and when it expires.
	Hasil   *Hasil
	Tautan  string
	Berlaku time.Time
}

// Berjalan reports whether the bundle is still being made.
func (k Keadaan) Berjalan() bool {
	return k.Job.Status == pekerjaan.Antri || k.Job.Status == pekerjaan.Berjalan
}

// Lihat is the newest bundle of the office (tenantID, slug) in tx, a
// transaction of the office, with a freshly signed link valid LinkTTL when
// it is made. An office without a bundle is not found.
func (s *Service) Lihat(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, slug string) (Keadaan, error) {
	job, err := pekerjaan.Latest(ctx, tx, Jenis)
	if err != nil {
		return Keadaan{}, err
	}
	k := Keadaan{Job: job, Persen: -1}
	if job.Total != nil && *job.Total > 0 {
		k.Persen = min(100, job.Selesai*100 / *job.Total)
	}
	if job.Status != pekerjaan.Selesai {
		return k, nil
	}
	k.Persen = 100
	var h Hasil
	if err := json.Unmarshal(job.Hasil, &h); err != nil {
		return Keadaan{}, fmt.Errorf("bundle %s result: %w", job.ID, err)
	}
	k.Hasil = &h
	k.Berlaku = s.Now().Add(LinkTTL).Truncate(time.Second)
	k.Tautan = s.Link(tenantID, slug, job.ID, k.Berlaku)
	return k, nil
}

// errNotMade answers a download of a bundle that is not (or no longer)
// there: the same as any link that leads nowhere.
var errNotMade = apperr.NotFound()

// made returns the made bundle id of the transaction's tenant.
func made(ctx context.Context, tx pgx.Tx, id uuid.UUID) (Hasil, error) {
	job, err := pekerjaan.Get(ctx, tx, id)
	if apperr.KindOf(err) == apperr.KindNotFound || err == nil && (job.Jenis != Jenis || job.Status != pekerjaan.Selesai) {
		return Hasil{}, errNotMade
	}
	if err != nil {
		return Hasil{}, err
	}
	var h Hasil
	if err := json.Unmarshal(job.Hasil, &h); err != nil {
		return Hasil{}, fmt.Errorf("bundle %s result: %w", id, err)
	}
	if h.Potongan < 1 {
		return Hasil{}, errors.New("bundle without pieces")
	}
	return h, nil
}

// Newest is the office's newest made bundle in tx (NotFound when none is
// made): the one its deletion record names.
func Newest(ctx context.Context, tx pgx.Tx) (uuid.UUID, Hasil, error) {
	var id uuid.UUID
	err := tx.QueryRow(ctx, `select id from pekerjaan where jenis = $1 and status = 'selesai' order by created_at desc, id desc limit 1`,
		Jenis).Scan(&id)
	if err != nil {
		return uuid.Nil, Hasil{}, db.MapError(err)
	}
	h, err := made(ctx, tx, id)
	return id, h, err
}
