package dasbor_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/httpapi"
	"github.com/sentra-id/sentra/internal/tumpang"
)

// bantuan writes the help a few businesses got, with plain SQL as the
// register's rows are.
type bantuan struct {
	b    *bundle
	t    *testing.T
	slug string
	ids  map[string]uuid.UUID
}

func (h *bantuan) exec(sql string, args ...any) {
	h.t.Helper()
	h.b.inTenant(h.t, h.slug, func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), sql, append([]any{h.b.tenants[h.slug].ID}, args...)...)
		return err
	})
}

// usaha registers a live (or archived) business named name in kel, with
// the NIK hash nik ("" none).
func (h *bantuan) usaha(name, kel, nik string, archived bool) {
	h.t.Helper()
	id := uuid.Must(uuid.NewV7())
	h.ids[name] = id
	var hash []byte
	if nik != "" {
		hash = []byte(nik)
	}
	h.exec(`insert into umkm (tenant_id, id, nama_pemilik, nama_usaha, sektor, sumber, kecamatan_kode, kelurahan_kode, nik_hash, archived_at)
		values ($1, $2, 'Pemilik Rahasia', $3, 'kuliner', 'staf', left($4, 8), $4, $5, case when $6 then now() end)`,
		id, name, kel, hash, archived)
}

func (h *bantuan) agensi(name, jenis string) {
	h.t.Helper()
	id := uuid.Must(uuid.NewV7())
	h.ids[name] = id
	h.exec(`insert into agensi (tenant_id, id, nama, jenis) values ($1, $2, $3, $4)`, id, name, jenis)
}

func (h *bantuan) program(name, jenis string, tahun int, archived bool) {
	h.t.Helper()
	id := uuid.Must(uuid.NewV7())
	h.ids[name] = id
	h.exec(`insert into program (tenant_id, id, nama, jenis, agensi_id, tahun, sumber_dana, satuan, kuota, archived_at)
		values ($1, $2, $3, $4, $5, $6, 'apbd', 'orang', 30, case when $7 then now() end)`, id, name, jenis, h.ids["Dinas"], tahun, archived)
}

func (h *bantuan) peserta(program, usaha, status string) {
	h.t.Helper()
	h.exec(`insert into peserta (tenant_id, id, program_id, jenis_pemohon, umkm_id, status, selesai_tanggal)
		values ($1, $2, $3, 'umkm', $4, $5, case when $5 = 'selesai' then current_date end)`,
		uuid.Must(uuid.NewV7()), h.ids[program], h.ids[usaha], status)
}

// luar is a row of another agency's list: matched to usaha when given,
// else carrying the NIK hash nik with status.
func (h *bantuan) luar(program, jenis string, tahun int, usaha, nik, status string) {
	h.t.Helper()
	var (
		id   *uuid.UUID
		by   *string
		hash []byte
	)
	if usaha != "" {
		u, m := h.ids[usaha], "nib"
		id, by = &u, &m
	}
	if nik != "" {
		hash = []byte(nik)
	}
	h.exec(`insert into partisipasi_luar (tenant_id, id, agensi_id, program_nama, jenis, tahun, umkm_id, cocok_oleh, nik_hash, status)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		uuid.Must(uuid.NewV7()), h.ids["Baznas"], program, jenis, tahun, id, by, hash, status)
}

func (h *bantuan) dana(usaha, tahap string) {
	h.t.Helper()
	var alasan *string
	if tahap == "ditolak" {
		s := "slik"
		alasan = &s
	}
	h.exec(`insert into pengajuan_dana (tenant_id, id, skema_kode, skema_berlaku, jenis, umkm_id, plafon, tahap, alasan_tolak)
		values ($1, $2, 'kur', '2023-01-01', 'kur', $3, 25000000, $4, $5)`, uuid.Must(uuid.NewV7()), h.ids[usaha], tahap, alasan)
}

// seedBantuan gives depok businesses helped in every way the never-helped
// and the overlap count, and some never helped:
//
//	Pancoran Mas, Depok: A (a place in P1), B (matched in Baznas' list),
//	  C (in an unmatched list row by NIK), D (refused by P1 only: never
//	  helped), E (archived, never helped: not counted), F (nothing), G (its
//	  NIK only in a discarded row: never helped), J (Baznas' training twice
//	  in 2025: an overlap);
//	Cimanggis, Tugu: H (nothing), I (training three times in 2026: in P1,
//	  completed P2, and Baznas' list: one overlap).
func seedBantuan(t *testing.T, b *bundle) *bantuan {
	h := &bantuan{b: b, t: t, slug: "depok", ids: map[string]uuid.UUID{}}
	for _, u := range []struct {
		name, kel, nik string
		archived       bool
	}{
		{"A", kelDepok, "", false}, {"B", kelDepok, "", false}, {"C", kelDepok, "nik-c", false}, {"D", kelDepok, "", false},
		{"E", kelDepok, "", true}, {"F", kelDepok, "", false}, {"G", kelDepok, "nik-g", false}, {"J", kelDepok, "", false},
		{"H", kelTugu, "", false}, {"I", kelTugu, "", false},
	} {
		h.usaha(u.name, u.kel, u.nik, u.archived)
	}
	h.agensi("Dinas", "kantor")
	h.agensi("Baznas", "baznas")
	h.program("P1", "pelatihan", 2026, false)
	h.program("P2", "pelatihan", 2026, false)
	h.program("P3", "pendampingan", 2026, true) // archived: its participants count as help, not as the office's figures
	h.peserta("P1", "A", "terpilih")
	h.peserta("P1", "I", "terpilih")
	h.peserta("P1", "D", "ditolak")
	h.peserta("P2", "I", "selesai")
	h.peserta("P3", "A", "selesai")
	h.luar("Zakat Produktif", "fasilitasi_pemasaran", 2026, "A", "", "cocok") // other kinds than P1's and P3's: no overlap
	h.luar("Zakat Produktif", "pelatihan", 2026, "I", "", "cocok")
	h.luar("Zakat Produktif", "bantuan_modal", 2026, "B", "", "cocok")
	h.luar("Zakat Produktif", "bantuan_modal", 2026, "", "nik-c", "belum_cocok")
	h.luar("Zakat Produktif", "bantuan_modal", 2026, "", "nik-g", "dibuang")
	h.luar("Pelatihan Batik", "pelatihan", 2025, "J", "", "cocok")
	h.luar("Pelatihan Sablon", "pelatihan", 2025, "J", "", "cocok")
	h.dana("A", "diajukan")
	h.dana("C", "diajukan")
	h.dana("B", "ditolak")
	return h
}

func kategoriProgram(b *bundle) {
	b.svc.Kategori[dasbor.DimJenisProgram] = httpapi.DasborKategori()[dasbor.DimJenisProgram]
	b.svc.Kategori[dasbor.DimTahapDana] = httpapi.DasborKategori()[dasbor.DimTahapDana]
}

func jumlah(s dasbor.Sel) string {
	switch {
	case s.Disembunyikan && s.Jumlah == nil:
		return "x"
	case !s.Disembunyikan && s.Jumlah != nil:
		return fmt.Sprint(*s.Jumlah)
	}
	return "?"
}

func programFigures(p dasbor.AngkaProgram) string {
	var out []string
	out = append(out, "belum "+jumlah(p.BelumPernah))
	if p.PersenBelumPernah != nil {
		out = append(out, fmt.Sprintf("%.1f%%", *p.PersenBelumPernah))
	}
	for _, g := range p.Ganda {
		out = append(out, fmt.Sprintf("ganda %d/%s %s", g.Tahun, g.Jenis, jumlah(g.Jumlah)))
	}
	for _, x := range p.Peserta {
		out = append(out, fmt.Sprintf("peserta %d/%s %s %s", x.Tahun, x.Jenis, jumlah(x.Terpilih), jumlah(x.Selesai)))
	}
	for _, d := range p.Pendanaan {
		if d.Jumlah.Jumlah == nil || *d.Jumlah.Jumlah > 0 {
			out = append(out, "dana "+d.Tahap+" "+jumlah(d.Jumlah))
		}
	}
	return strings.Join(out, "; ")
}

// TestRefreshCountsProgrammeFigures: the never-helped are the live
// businesses without help of any kind (as internal/tumpang lists them),
// same-kind help twice in a year is one overlap, and the office's
// participants and funding applications are counted.
func TestRefreshCountsProgrammeFigures(t *testing.T) {
	b := setup(t)
	kategoriProgram(b)
	ctx := context.Background()
	seedBantuan(t, b)
	b.refresh(t, "depok")
	d, err := b.svc.Tenant(ctx, b.tenants["depok"])
	if err != nil {
		t.Fatal(err)
	}
	want := "belum 4; 44.4%; ganda 2026/pelatihan 1; ganda 2025/pelatihan 1; peserta 2026/pelatihan 3 1; dana diajukan 2; dana ditolak 1"
	if got := programFigures(d.Program); got != want {
		t.Errorf("office figures:\n got %s\nwant %s", got, want)
	}
	ganda := map[string]string{}
	for _, g := range d.Program.Ganda {
		for _, k := range g.Kecamatan {
			if jumlah(k.Jumlah) != "0" {
				ganda[fmt.Sprint(g.Tahun, "/", k.Kode)] = jumlah(k.Jumlah)
			}
		}
	}
	if fmt.Sprint(ganda) != "map[2025/32.76.01:1 2026/32.76.02:1]" {
		t.Errorf("overlap per kecamatan: %v", ganda)
	}

	// The rollup agrees with the never-helped list's own counts, region by
	// region.
	list, err := (&tumpang.Service{DB: b.env.DB, Logger: b.svc.Logger}).JumlahBelumPernah(ctx, b.tenants["depok"], tumpang.Filter{}, tumpang.View{})
	if err != nil {
		t.Fatal(err)
	}
	fromList := map[string]int{}
	for _, j := range list {
		fromList[j.Kode] = j.Belum
	}
	fromRollup := map[string]int{}
	for _, k := range d.Wilayah {
		if n := *k.BelumPernah.Jumlah; n > 0 {
			fromRollup[k.Kode] = n
		}
		for _, l := range k.Kelurahan {
			if n := *l.BelumPernah.Jumlah; n > 0 {
				fromRollup[l.Kode] = n
			}
		}
	}
	for k, n := range fromList {
		if n == 0 {
			delete(fromList, k)
		}
	}
	if fmt.Sprint(fromRollup) != fmt.Sprint(fromList) || fromRollup[kelDepok] != 3 || fromRollup[kelTugu] != 1 {
		t.Errorf("never-helped per region: rollup %v, list %v (want Depok 3, Tugu 1)", fromRollup, fromList)
	}

	// Help taken away shows at the next refresh: F is helped now, I's
	// completed training is undone.
	h := &bantuan{b: b, t: t, slug: "depok", ids: map[string]uuid.UUID{}}
	h.exec(`update peserta set status = 'batal', selesai_tanggal = null where tenant_id = $1 and status = 'selesai'
		and program_id = (select id from program where nama = 'P2')`)
	h.exec(`insert into partisipasi_luar (tenant_id, id, agensi_id, program_nama, jenis, tahun, umkm_id, cocok_oleh, status)
		select $1, $2, agensi_id, 'Zakat Produktif', 'event', 2026, (select id from umkm where nama_usaha = 'F'), 'staf', 'cocok'
		from partisipasi_luar limit 1`, uuid.Must(uuid.NewV7()))
	b.refresh(t, "depok")
	d, _ = b.svc.Tenant(ctx, b.tenants["depok"])
	want = "belum 3; 33.3%; ganda 2026/pelatihan 1; ganda 2025/pelatihan 1; peserta 2026/pelatihan 2 0; dana diajukan 2; dana ditolak 1"
	if got := programFigures(d.Program); got != want {
		t.Errorf("after the changes:\n got %s\nwant %s", got, want)
	}
}

// TestProvinceHidesProgrammeFigures: a province viewer sees the
// programme figures with small counts hidden at every level, no province
// sum of them, and nothing about a business.
func TestProvinceHidesProgrammeFigures(t *testing.T) {
	b := setup(t)
	kategoriProgram(b)
	ctx := context.Background()
	seedBantuan(t, b)
	b.refresh(t, "depok")

	d, err := b.svc.ProvinsiTenant(ctx, "32", "depok")
	if err != nil {
		t.Fatal(err)
	}
	want := "belum x; ganda 2026/pelatihan x; ganda 2025/pelatihan x; peserta 2026/pelatihan x x; dana diajukan x; dana ditolak x"
	if got := programFigures(d.Program); got != want {
		t.Errorf("threshold 5:\n got %s\nwant %s", got, want)
	}
	for _, k := range d.Wilayah {
		for _, l := range k.Kelurahan {
			if l.BelumPernah.Jumlah != nil && *l.BelumPernah.Jumlah > 0 {
				t.Errorf("threshold 5: %s shows %d never-helped", l.Kode, *l.BelumPernah.Jumlah)
			}
		}
		if k.BelumPernah.Jumlah != nil && *k.BelumPernah.Jumlah > 0 {
			t.Errorf("threshold 5: kecamatan %s shows %d never-helped", k.Kode, *k.BelumPernah.Jumlah)
		}
	}

	// Threshold 2: the office's 4 never-helped show; Cimanggis' 1 is
	// hidden, and Pancoran Mas' 3 with it; so are Pancoran Mas' own desa
	// (Depok's 3 would give the kecamatan back, and Cimanggis with it).
	low := *b.svc
	low.Ambang = 2
	d, err = low.ProvinsiTenant(ctx, "32", "depok")
	if err != nil {
		t.Fatal(err)
	}
	want = "belum 4; 44.4%; ganda 2026/pelatihan x; ganda 2025/pelatihan x; peserta 2026/pelatihan 3 x; dana diajukan 2; dana ditolak x"
	if got := programFigures(d.Program); got != want {
		t.Errorf("threshold 2:\n got %s\nwant %s", got, want)
	}
	shown := map[string]string{}
	for _, k := range d.Wilayah {
		if s := jumlah(k.BelumPernah); s != "0" {
			shown[k.Kode] = s
		}
		for _, l := range k.Kelurahan {
			if s := jumlah(l.BelumPernah); s != "0" {
				shown[l.Kode] = s
			}
		}
	}
	if fmt.Sprint(shown) != fmt.Sprintf("map[32.76.01:x %s:x 32.76.02:x %s:x]", kelDepok, kelTugu) {
		t.Errorf("threshold 2, never-helped shown: %v", shown)
	}
	for _, g := range d.Program.Ganda {
		hidden := 0
		for _, k := range g.Kecamatan {
			if k.Jumlah.Disembunyikan {
				hidden++
			}
		}
		if hidden < 2 {
			t.Errorf("overlap %d/%s: %d kecamatan hidden, want 2 or more (the 1 and a complement)", g.Tahun, g.Jenis, hidden)
		}
	}

	// The province summary: each office's figures, hidden the same way,
	// and no province sum of them; nothing names a business.
	p, err := low.Provinsi(ctx, "32")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range p.Tenant {
		if r.Tenant == "depok" {
			if got := programFigures(r.Program); got != want {
				t.Errorf("summary, depok:\n got %s\nwant %s", got, want)
			}
			for _, g := range r.Program.Ganda {
				if len(g.Kecamatan) != 0 {
					t.Errorf("summary lists overlap per kecamatan: %+v", g)
				}
			}
		}
	}
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		t.Fatal(err)
	}
	if _, ok := top["program"]; ok {
		t.Errorf("the province summary has a sum of the programme figures")
	}
	rawTenant, _ := json.Marshal(d)
	for _, leak := range []string{"Pemilik Rahasia", `"A"`, "nik-c", "Zakat", b.tenants["depok"].ID.String()} {
		if strings.Contains(string(raw)+string(rawTenant), leak) {
			t.Errorf("a province view contains %q", leak)
		}
	}
}

// TestProgrammeTablesQueueARefresh: a statement on any table the
// programme figures are computed from queues a refresh of its tenant
// (migration 033), as the register's tables do; attendance does not.
func TestProgrammeTablesQueueARefresh(t *testing.T) {
	b := setup(t)
	id := b.tenants["depok"].ID
	for table, queues := range map[string]bool{"program": true, "peserta": true, "partisipasi_luar": true, "pengajuan_dana": true,
		"peserta_hadir": false} {
		b.inTenant(t, "depok", func(tx pgx.Tx) error {
			ctx := context.Background()
			// Statement triggers fire on a statement that touches no row.
			if _, err := tx.Exec(ctx, `update `+table+` set tenant_id = tenant_id where false`); err != nil {
				return err
			}
			var queued string
			if err := tx.QueryRow(ctx, `select coalesce(current_setting('sentra.dasbor_antri', true), '')`).Scan(&queued); err != nil {
				return err
			}
			if (queued == id.String()) != queues {
				t.Errorf("a statement on %s: refresh queued for %q, want queued: %v", table, queued, queues)
			}
			return nil
		})
	}
}
