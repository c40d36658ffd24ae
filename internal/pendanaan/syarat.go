package pendanaan

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
)

// SyaratDana is a scheme's gate (or priority) as data: what is checked
// (Kode, one of syaratKode), the stage it must hold before (Tahap:
// lengkap or disetujui), the office's words and the source.
type SyaratDana struct {
	Kode   string `json:"kode" doc:"What is checked: domisili, nib, bukan_asn, tanpa_kredit_macet, slik_bersih, satu_kelurahan, rekomendasi, dokumen_anggota (gates); pelatihan_pemkot (priority)."`
	Tahap  string `json:"tahap" enum:"lengkap,disetujui" doc:"The stage it must hold before."`
	Nama   string `json:"nama"`
	Sumber string `json:"sumber,omitempty" doc:"Where the requirement comes from."`
}

// syaratKode are the gates the service knows how to check; a scheme
// naming another is refused (checkAturan), so a typo cannot silently pass.
var syaratKode = []string{"domisili", "nib", "bukan_asn", "tanpa_kredit_macet", "slik_bersih", "satu_kelurahan", "rekomendasi", "dokumen_anggota"}

// prioritasKode are the priorities it knows.
var prioritasKode = []string{"pelatihan_pemkot"}

// SyaratKurang is a gate an application does not pass yet, in the
// office's words; UMKMID names the group's member it is about.
type SyaratKurang struct {
	Kode   string     `json:"kode"`
	Tahap  string     `json:"tahap" enum:"lengkap,disetujui" doc:"The stage it blocks: the step to it is refused until it passes."`
	UMKMID *uuid.UUID `json:"umkm_id,omitempty" doc:"The group's member it is about."`
	Pesan  string     `json:"pesan" doc:"What is missing, in Indonesian."`
}

// PrioritasDana is a priority and whether the application has it.
type PrioritasDana struct {
	Kode      string `json:"kode"`
	Nama      string `json:"nama"`
	Terpenuhi bool   `json:"terpenuhi"`
}

// NamaBerkas is each paper as the office says it.
var NamaBerkas = map[string]string{
	"ktp": "KTP", "kk": "Kartu Keluarga (KK)", "nib": "NIB", "sertifikat_pkm": "Sertifikat pelatihan PKM",
	"rekening_bjb": "Buku tabungan bank bjb", "rt": "Rekomendasi RT", "rw": "Rekomendasi RW", "kelurahan": "Rekomendasi kelurahan",
	"pengurus_rumah_ibadah": "Rekomendasi pengurus rumah ibadah",
}

func namaBerkas(j string) string {
	if n, ok := NamaBerkas[j]; ok {
		return n
	}
	return j
}

// Minta reports whether application p's scheme has gate kode.
func (p Pengajuan) Minta(kode string) bool {
	return slices.ContainsFunc(p.Syarat, func(s SyaratDana) bool { return s.Kode == kode })
}

// checkSyarat refuses gates the service cannot check.
func checkSyarat(a AturanSkema) bool {
	for _, s := range a.Syarat {
		if !slices.Contains(syaratKode, s.Kode) || (s.Tahap != TahapLengkap && s.Tahap != TahapDisetujui) || strings.TrimSpace(s.Nama) == "" {
			return false
		}
	}
	for _, s := range a.Prioritas {
		if !slices.Contains(prioritasKode, s.Kode) || strings.TrimSpace(s.Nama) == "" {
			return false
		}
	}
	return true
}

// hasSyarat reports whether the scheme has gate kode.
func hasSyarat(a AturanSkema, kode string) bool {
	return slices.ContainsFunc(a.Syarat, func(s SyaratDana) bool { return s.Kode == kode })
}

// skemaVersiTx is the scheme version an application was decided under
// (kode, berlaku) with the office's override in force today merged over
// it: the gates of the version it applied under, the office's own
// figures as they are now.
func skemaVersiTx(ctx context.Context, tx pgx.Tx, kode string, berlaku, today time.Time) (Skema, error) {
	sk, err := scanSkema(tx.QueryRow(ctx, `select s.kode, s.jenis, s.nama, s.dasar_hukum, s.sumber, s.berlaku_mulai,
			u.berlaku_mulai, u.alasan, s.aturan || coalesce(u.aturan, '{}'::jsonb)
		from skema_dana s
		left join lateral (select berlaku_mulai, alasan, aturan from skema_dana_ubah u
			where u.kode = s.kode and u.berlaku_mulai <= $3 order by u.berlaku_mulai desc limit 1) u on true
		where s.kode = $1 and s.berlaku_mulai = $2`, kode, berlaku, today))
	if err != nil {
		return Skema{}, fmt.Errorf("skema %s %s: %w", kode, berlaku.Format(time.DateOnly), err)
	}
	return sk, nil
}

// subjek is a business whose gates are checked: the applicant, or a
// group's member.
type subjek struct {
	id        uuid.UUID
	anggota   bool // a group's member: its papers carry its id
	nama      string
	kelurahan string
	nib       *string
	pelatihan bool // a completed training in Sentra
	pemkot    bool // … of a city agency (the office, an OPD, a kelurahan)
}

// syaratTx computes the gates application p fails under its scheme
// version, and its priorities. Only an application still on its way to
// approval has gates; a decided one has none left.
func syaratTx(ctx context.Context, tx pgx.Tx, p *Pengajuan, today time.Time) error {
	p.SyaratKurang, p.Prioritas = []SyaratKurang{}, nil
	if !slices.Contains([]string{TahapDiajukan, TahapLengkap, TahapDikirimBank, TahapDisurvei}, p.Tahap) {
		return nil
	}
	berlaku, _ := time.Parse(time.DateOnly, p.SkemaBerlaku)
	sk, err := skemaVersiTx(ctx, tx, p.Skema, berlaku, today)
	if err != nil {
		return err
	}
	a := sk.Aturan
	p.Syarat, p.JenisBerkas = a.Syarat, slices.Concat(a.Dokumen, a.Rekomendasi, a.RekomendasiLain)
	if len(a.Syarat) == 0 && len(a.Prioritas) == 0 {
		return nil
	}
	var kota string
	if err := tx.QueryRow(ctx, `select kemendagri_code from tenants where id = nullif(current_setting('app.tenant_id', true), '')::uuid`).Scan(&kota); err != nil {
		return fmt.Errorf("kode wilayah kantor: %w", err)
	}
	var ids []uuid.UUID
	if p.UMKMID != nil {
		ids = append(ids, *p.UMKMID)
	}
	for _, m := range p.Anggota {
		ids = append(ids, m.UMKMID)
	}
	rows, err := tx.Query(ctx, `select u.id, u.nama_usaha, u.kelurahan_kode, u.nib,
			exists (select from peserta pe join program pr on pr.tenant_id = pe.tenant_id and pr.id = pe.program_id
				where pe.tenant_id = u.tenant_id and pe.umkm_id = u.id and pe.status = 'selesai' and pr.jenis = 'pelatihan'),
			exists (select from peserta pe join program pr on pr.tenant_id = pe.tenant_id and pr.id = pe.program_id
				join agensi ag on ag.tenant_id = pr.tenant_id and ag.id = pr.agensi_id
				where pe.tenant_id = u.tenant_id and pe.umkm_id = u.id and pe.status = 'selesai' and pr.jenis = 'pelatihan'
				  and ag.jenis in ('kantor', 'opd', 'kelurahan'))
		from umkm u where u.id = any($1) order by u.nama_usaha, u.id`, ids)
	if err != nil {
		return fmt.Errorf("syarat umkm: %w", err)
	}
	subj, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (subjek, error) {
		var s subjek
		err := r.Scan(&s.id, &s.nama, &s.kelurahan, &s.nib, &s.pelatihan, &s.pemkot)
		s.anggota = p.UMKMID == nil
		return s, err
	})
	if err != nil {
		return fmt.Errorf("syarat umkm: %w", err)
	}
	// Papers by member ("" the application's own) and kind.
	have := map[string]bool{}
	for _, b := range p.Berkas {
		have[berkasKey(b.UMKMID, b.Jenis)] = true
	}
	paper := func(s subjek, jenis string) bool {
		if s.anggota {
			return have[berkasKey(&s.id, jenis)]
		}
		return have[berkasKey(nil, jenis)]
	}
	add := func(g SyaratDana, s *subjek, pesan string) {
		k := SyaratKurang{Kode: g.Kode, Tahap: g.Tahap, Pesan: g.Nama + ": " + pesan}
		if s != nil && s.anggota {
			id := s.id
			k.UMKMID, k.Pesan = &id, g.Nama+" — "+s.nama+": "+pesan
		}
		p.SyaratKurang = append(p.SyaratKurang, k)
	}
	for _, g := range a.Syarat {
		switch g.Kode {
		case "domisili":
			// The KTP the office saw, not the NIK: a NIK keeps the region
			// of its first issue for life, so a Depok resident born
			// elsewhere has another prefix.
			for i := range subj {
				s := &subj[i]
				switch {
				case !strings.HasPrefix(s.kelurahan, kota+"."):
					add(g, s, "usaha berada di luar wilayah kantor ini.")
				case !paper(*s, "ktp"):
					add(g, s, "KTP pemilik dengan alamat di wilayah kantor ini belum diperiksa: catat berkas KTP setelah melihat aslinya.")
				}
			}
		case "nib":
			for i := range subj {
				if s := &subj[i]; s.nib == nil && !paper(*s, "nib") {
					add(g, s, "belum ada: isi NIB 13 digit di data UMKM atau catat berkas NIB.")
				}
			}
		case "bukan_asn":
			if p.PernyataanBukanASN == nil || !*p.PernyataanBukanASN {
				add(g, nil, "belum dinyatakan (dicentang saat pindah ke \""+NamaTahap[TahapLengkap]+"\").")
			}
		case "tanpa_kredit_macet":
			if p.PernyataanTanpaKreditMacet == nil || !*p.PernyataanTanpaKreditMacet {
				add(g, nil, "belum dinyatakan (dicentang saat pindah ke \""+NamaTahap[TahapLengkap]+"\").")
			}
		case "slik_bersih":
			switch {
			case p.SLIK == nil:
				add(g, nil, "hasil dari bank belum dicatat (diisi saat pindah ke \""+NamaTahap[TahapDisurvei]+"\").")
			case *p.SLIK != SLIKBersih:
				add(g, nil, "hasil dari bank bermasalah; pengajuan tidak bisa disetujui (tolak dengan alasan SLIK).")
			}
		case "satu_kelurahan":
			kel := map[string]bool{}
			for _, s := range subj {
				kel[s.kelurahan] = true
			}
			if len(kel) > 1 {
				add(g, nil, fmt.Sprintf("anggota berasal dari %d kelurahan; satu kelompok paling luas satu kelurahan.", len(kel)))
			}
		case "rekomendasi":
			var miss []string
			for _, j := range a.Rekomendasi {
				if !have[berkasKey(nil, j)] {
					miss = append(miss, namaBerkas(j))
				}
			}
			if len(miss) > 0 {
				add(g, nil, strings.Join(miss, ", ")+" belum dicatat.")
			}
		case "dokumen_anggota":
			for i := range subj {
				s := &subj[i]
				var miss []string
				for _, j := range a.Dokumen {
					// A training completed in Sentra is the PKM certificate.
					if paper(*s, j) || j == "sertifikat_pkm" && s.pelatihan {
						continue
					}
					miss = append(miss, namaBerkas(j))
				}
				if len(miss) > 0 {
					add(g, s, strings.Join(miss, ", ")+" belum dicatat.")
				}
			}
		}
	}
	for _, g := range a.Prioritas {
		if g.Kode == "pelatihan_pemkot" {
			ok := len(subj) > 0
			for _, s := range subj {
				ok = ok && s.pemkot
			}
			p.Prioritas = append(p.Prioritas, PrioritasDana{Kode: g.Kode, Nama: g.Nama, Terpenuhi: ok})
		}
	}
	return nil
}

func berkasKey(umkm *uuid.UUID, jenis string) string {
	if umkm == nil {
		return "/" + jenis
	}
	return umkm.String() + "/" + jenis
}

// simpanSyarat records the gates p fails on its row (lists and the board
// read it); a derived figure, so neither its version nor its time in the
// stage changes.
func simpanSyarat(ctx context.Context, tx pgx.Tx, p Pengajuan, at time.Time) error {
	raw, err := json.Marshal(p.SyaratKurang)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `update pengajuan_dana set syarat_kurang = $2, syarat_diperiksa_at = $3 where id = $1`, p.ID, raw, at); err != nil {
		return fmt.Errorf("simpan syarat: %w", err)
	}
	return nil
}

// syaratBelum is the conflict of a step to tahap while gates due before
// it fail: each named, as the message and one entry per gate.
func syaratBelum(path, tahap string, kurang []SyaratKurang) error {
	var list []string
	var fields []apperr.Field
	for _, k := range kurang {
		list = append(list, k.Pesan)
		fields = append(fields, apperr.Field{Location: "syarat." + k.Kode, Message: apperr.T(k.Pesan, k.Pesan)})
	}
	e := apperr.Conflict(apperr.T(
		fmt.Sprintf("Pengajuan belum bisa pindah ke \"%s\". Syarat yang belum terpenuhi: %s", NamaTahap[tahap], strings.Join(list, " ")),
		fmt.Sprintf("The application cannot move to %q yet. Gates not passed: %s", tahap, strings.Join(list, " "))), path)
	e.Fields, e.Code = fields, "syarat_belum_terpenuhi"
	return e
}

// due are the gates failing that a step to tahap needs: before lengkap
// those of lengkap; before disetujui all.
func due(kurang []SyaratKurang, tahap string) []SyaratKurang {
	var out []SyaratKurang
	for _, k := range kurang {
		if tahap == TahapDisetujui || tahap == TahapLengkap && k.Tahap == TahapLengkap {
			out = append(out, k)
		}
	}
	return out
}

// SLIK results the bank reports.
const (
	SLIKBersih     = "bersih"
	SLIKBermasalah = "bermasalah"
)
