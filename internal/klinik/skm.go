package klinik

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Unsur are the nine elements of the community satisfaction survey
// (PermenPANRB 14/2017, Lampiran). All nine apply to a consultation: the
// clinic is free, and "biaya/tarif" is then asked as whether it was.
var Unsur = []string{
	"Persyaratan", "Sistem, mekanisme, dan prosedur", "Waktu penyelesaian", "Biaya/tarif", "Produk spesifikasi jenis pelayanan",
	"Kompetensi pelaksana", "Perilaku pelaksana", "Penanganan pengaduan, saran dan masukan", "Sarana dan prasarana",
}

// KlinikSKM is one respondent's answers: each element 1–4, or absent when
// not answered (kept unknown, never 0).
type KlinikSKM struct {
	U1    *int    `json:"u1,omitempty" minimum:"1" maximum:"4" doc:"Persyaratan."`
	U2    *int    `json:"u2,omitempty" minimum:"1" maximum:"4" doc:"Sistem, mekanisme, dan prosedur."`
	U3    *int    `json:"u3,omitempty" minimum:"1" maximum:"4" doc:"Waktu penyelesaian."`
	U4    *int    `json:"u4,omitempty" minimum:"1" maximum:"4" doc:"Biaya/tarif."`
	U5    *int    `json:"u5,omitempty" minimum:"1" maximum:"4" doc:"Produk spesifikasi jenis pelayanan."`
	U6    *int    `json:"u6,omitempty" minimum:"1" maximum:"4" doc:"Kompetensi pelaksana."`
	U7    *int    `json:"u7,omitempty" minimum:"1" maximum:"4" doc:"Perilaku pelaksana."`
	U8    *int    `json:"u8,omitempty" minimum:"1" maximum:"4" doc:"Penanganan pengaduan, saran dan masukan."`
	U9    *int    `json:"u9,omitempty" minimum:"1" maximum:"4" doc:"Sarana dan prasarana."`
	Saran *string `json:"saran,omitempty" maxLength:"2000"`
}

// Nilai are the answers in element order.
func (s *KlinikSKM) Nilai() [9]*int {
	return [9]*int{s.U1, s.U2, s.U3, s.U4, s.U5, s.U6, s.U7, s.U8, s.U9}
}

func skmTx(ctx context.Context, tx pgx.Tx, tiketID uuid.UUID) (*KlinikSKM, error) {
	var s KlinikSKM
	var u [9]*int16
	err := tx.QueryRow(ctx, `select u1, u2, u3, u4, u5, u6, u7, u8, u9, saran from klinik_skm where tiket_id = $1`, tiketID).
		Scan(&u[0], &u[1], &u[2], &u[3], &u[4], &u[5], &u[6], &u[7], &u[8], &s.Saran)
	if err == pgx.ErrNoRows {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	dst := []**int{&s.U1, &s.U2, &s.U3, &s.U4, &s.U5, &s.U6, &s.U7, &s.U8, &s.U9}
	for i, v := range u {
		if v != nil {
			n := int(*v)
			*dst[i] = &n
		}
	}
	return &s, nil
}

// RecordSKMPublik keeps the survey as the respondent answers it on the
// tracking page, by the ticket's code (throttled like the lookup).
func (s *Service) RecordSKMPublik(ctx context.Context, t *tenancy.Tenant, kode, client string, in KlinikSKM) error {
	if s.Throttle == nil {
		return errors.New("klinik: no throttle for the public survey")
	}
	if err := s.Throttle.Admit(ctx, t, "klinik-skm", client); err != nil {
		return err
	}
	kode, ok := ParseKode(t.Slug, kode)
	if !ok {
		return apperr.NotFound()
	}
	var id uuid.UUID
	if err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		return db.MapError(tx.QueryRow(ctx, `select id from klinik_tiket where kode = $1`, kode).Scan(&id))
	}); err != nil {
		return err
	}
	_, err := s.RecordSKM(ctx, t, id, in, View{})
	return err
}

// RecordSKM keeps the survey of a finished ticket, once.
func (s *Service) RecordSKM(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, in KlinikSKM, v View) (KlinikTiket, error) {
	f := &fieldErrs{prefix: "body"}
	answered := 0
	for i, n := range in.Nilai() {
		if n == nil {
			continue
		}
		answered++
		if *n < 1 || *n > 4 {
			f.add(fmt.Sprintf("u%d", i+1), *n, apperr.T("Nilai 1–4, atau kosong bila tidak dijawab.", "Score 1–4, or absent when not answered."))
		}
	}
	in.Saran = f.text("saran", in.Saran, 2000, false)
	if answered == 0 && in.Saran == nil && len(f.list) == 0 {
		f.add("u1", nil, apperr.T("Isi minimal satu unsur.", "Answer at least one element."))
	}
	if err := f.err(); err != nil {
		return KlinikTiket{}, err
	}
	today, err := t.Today(s.Now())
	if err != nil {
		return KlinikTiket{}, err
	}
	var k KlinikTiket
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := lockTiket(ctx, tx, id, 0, v.Wilayah)
		if err != nil {
			return err
		}
		if before.Status != "selesai" {
			return apperr.Conflict(apperr.T("Survei kepuasan diisi setelah konsultasi selesai.", "The survey follows a finished consultation."), Path(t.Slug, id))
		}
		if before.SKM != nil {
			return apperr.Conflict(apperr.T("Survei kepuasan tiket ini sudah diisi.", "This ticket's survey is already recorded."), Path(t.Slug, id)+"/skm")
		}
		if _, err := tx.Exec(ctx, `insert into klinik_skm (tenant_id, tiket_id, u1, u2, u3, u4, u5, u6, u7, u8, u9, saran, tanggal)
			values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			t.ID, id, in.U1, in.U2, in.U3, in.U4, in.U5, in.U6, in.U7, in.U8, in.U9, in.Saran, today); err != nil {
			return db.MapError(err)
		}
		if k, err = tiketTx(ctx, tx, id, nil, false); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "skm", Entity: "klinik_tiket", EntityID: id.String(), After: in})
	})
	return k, err
}

// KlinikSKMUnsur is one element's figures of a year.
type KlinikSKMUnsur struct {
	No           int      `json:"no"`
	Nama         string   `json:"nama"`
	Dijawab      int      `json:"dijawab" doc:"Respondents who answered it."`
	TidakDijawab int      `json:"tidak_dijawab" doc:"Respondents who left it unanswered (not counted as 0)."`
	NRR          *float64 `json:"nrr,omitempty" doc:"Average score 1–4 over those who answered; absent when none did."`
	Nilai        *float64 `json:"nilai,omitempty" doc:"NRR × 25 (25–100)."`
}

// KlinikSKMTahun is an office's SKM of a year (PermenPANRB 14/2017).
type KlinikSKMTahun struct {
	Tahun     int              `json:"tahun"`
	Responden int              `json:"responden"`
	Unsur     []KlinikSKMUnsur `json:"unsur" nullable:"false"`
	IKM       *float64         `json:"ikm,omitempty" doc:"Index 25–100: Σ NRR × weight (1/number of elements answered) × 25, two decimals. Absent without answers."`
	Mutu      *string          `json:"mutu,omitempty" enum:"A,B,C,D" doc:"A 88,31–100; B 76,61–88,30; C 65,00–76,60; D 25,00–64,99."`
	Kinerja   *string          `json:"kinerja,omitempty"`
}

// SKMTahun computes the year's index from the surveys dated in it. Each
// element's average is over those who answered it; an element no one
// answered is left out of the index (its weight goes to the others) and
// shown as unknown.
func (s *Service) SKMTahun(ctx context.Context, t *tenancy.Tenant, tahun int) (KlinikSKMTahun, error) {
	if tahun < 2000 || tahun > 2100 {
		return KlinikSKMTahun{}, apperr.InvalidField("query.tahun", tahun, apperr.T("Tahun 2000–2100.", "Year 2000–2100."))
	}
	out := KlinikSKMTahun{Tahun: tahun, Unsur: make([]KlinikSKMUnsur, 9)}
	var sum, n [9]int
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		from := time.Date(tahun, 1, 1, 0, 0, 0, 0, time.UTC)
		return tx.QueryRow(ctx, `select count(*),
				coalesce(sum(u1), 0), count(u1), coalesce(sum(u2), 0), count(u2), coalesce(sum(u3), 0), count(u3),
				coalesce(sum(u4), 0), count(u4), coalesce(sum(u5), 0), count(u5), coalesce(sum(u6), 0), count(u6),
				coalesce(sum(u7), 0), count(u7), coalesce(sum(u8), 0), count(u8), coalesce(sum(u9), 0), count(u9)
			from klinik_skm where tanggal >= $1 and tanggal < $2`, from, from.AddDate(1, 0, 0)).
			Scan(&out.Responden, &sum[0], &n[0], &sum[1], &n[1], &sum[2], &n[2], &sum[3], &n[3], &sum[4], &n[4],
				&sum[5], &n[5], &sum[6], &n[6], &sum[7], &n[7], &sum[8], &n[8])
	})
	if err != nil {
		return out, err
	}
	out.IKM, out.Mutu, out.Kinerja = Indeks(sum, n, &out.Unsur)
	for i := range out.Unsur {
		out.Unsur[i].TidakDijawab = out.Responden - out.Unsur[i].Dijawab
	}
	return out, nil
}

// Indeks is the SKM index of per-element sums and counts of answers,
// filling unsur; nil when no element was answered.
func Indeks(sum, n [9]int, unsur *[]KlinikSKMUnsur) (*float64, *string, *string) {
	var total float64
	k := 0
	for i := range 9 {
		u := KlinikSKMUnsur{No: i + 1, Nama: Unsur[i], Dijawab: n[i]}
		if n[i] > 0 {
			nrr := float64(sum[i]) / float64(n[i])
			total += nrr
			k++
			r, v := round2(nrr), round2(nrr*25)
			u.NRR, u.Nilai = &r, &v
		}
		(*unsur)[i] = u
	}
	if k == 0 {
		return nil, nil, nil
	}
	ikm := round2(total / float64(k) * 25)
	var mutu, kinerja string
	switch {
	case ikm >= 88.31:
		mutu, kinerja = "A", "Sangat baik"
	case ikm >= 76.61:
		mutu, kinerja = "B", "Baik"
	case ikm >= 65:
		mutu, kinerja = "C", "Kurang baik"
	default:
		mutu, kinerja = "D", "Tidak baik"
	}
	return &ikm, &mutu, &kinerja
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
