package koperasi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/koperasi"
)

// proposals runs a campaign over hand-made cooperatives and returns its id
// and each cooperative's proposal, in the order given.
func (b *bundle) proposals(t *testing.T, slug string, list ...kop) (uuid.UUID, []koperasi.Usulan) {
	t.Helper()
	ids := b.insert(t, slug, list...)
	k, _ := b.start(t, slug)
	b.run(t, slug, k.ID, 100)
	page, err := b.svc.ListUsulan(context.Background(), b.tenants[slug], k.ID, koperasi.UsulanFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	byKop := map[uuid.UUID]koperasi.Usulan{}
	for _, u := range page.Items {
		byKop[u.KoperasiID] = u
	}
	out := make([]koperasi.Usulan, len(ids))
	for i, id := range ids {
		out[i] = byKop[id]
	}
	return k.ID, out
}

func toko(nama string) kop {
	return kop{nama: nama, kelompok: "ksu", aktif: true, units: []koperasi.GenUnit{unit("toko", 900), unit("produksi", 100)}}
}

// TestApproveChecksTheLegalBasis: the legal basis an approval stores on the
// cooperative passes the registry's rules (length, no formula, no control
// character, a date neither in the office's future nor before the legal
// entity), the reason no control character; refused, nothing is written.
// Number and date are stored together, and "today" is the office's today.
func TestApproveChecksTheLegalBasis(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	dep := b.depok
	kampanye, us := b.proposals(t, "depok", toko("Satu"), toko("Dua"), toko("Tiga"))
	admin := uuid.New()

	for _, c := range []struct {
		what  string
		in    koperasi.Persetujuan
		field string
	}{
		{"too long", koperasi.Persetujuan{DasarHukum: strings.Repeat("A", 101)}, "body.dasar_hukum"},
		{"a formula", koperasi.Persetujuan{DasarHukum: "=HYPERLINK(\"http://x\")"}, "body.dasar_hukum"},
		{"a NUL", koperasi.Persetujuan{DasarHukum: "AHU-0001\x00"}, "body.dasar_hukum"},
		{"a date without number", koperasi.Persetujuan{TanggalDasarHukum: "2025-03-14"}, "body.dasar_hukum"},
		{"a bad date", koperasi.Persetujuan{DasarHukum: "AHU-1", TanggalDasarHukum: "14-03-2025"}, "body.tanggal_dasar_hukum"},
		{"tomorrow", koperasi.Persetujuan{DasarHukum: "AHU-1", TanggalDasarHukum: "2026-06-16"}, "body.tanggal_dasar_hukum"},
		{"before the legal entity", koperasi.Persetujuan{DasarHukum: "AHU-1", TanggalDasarHukum: "2005-02-28"}, "body.tanggal_dasar_hukum"},
		{"a control character in the reason", koperasi.Persetujuan{Jenis: "jasa", Alasan: "Unit\x07 toko tutup"}, "body.alasan"},
	} {
		_, err := b.svc.ApproveUsulan(ctx, dep, kampanye, us[0].ID, 1, c.in, admin)
		if err == nil {
			t.Fatalf("%s: approved", c.what)
		}
		wantField(t, err, c.field)
	}
	if _, err := b.svc.RejectUsulan(ctx, dep, kampanye, us[0].ID, 1, "Salah\x00 data", admin); err == nil {
		t.Fatal("rejected with a NUL in the reason")
	} else {
		wantField(t, err, "body.alasan")
	}
	if n := b.countIn(t, "depok", `select count(*) from reklasifikasi_usulan where status <> 'menunggu' or version <> 1`); n != 0 {
		t.Fatalf("%d proposals written by refused decisions", n)
	}
	if n := b.countIn(t, "depok", `select count(*) from koperasi where jenis is not null or version <> 1`); n != 0 {
		t.Fatalf("%d cooperatives written by refused decisions", n)
	}

	// A number without a date replaces an older statute change whole.
	b.inTenant(t, "depok", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `update koperasi set perubahan_ad_nomor = 'AHU-LAMA', perubahan_ad_tanggal = '2010-01-01'`)
		return err
	})
	adOf := func(id uuid.UUID) (nomor, tanggal string) {
		b.inTenant(t, "depok", func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `select coalesce(perubahan_ad_nomor, ''), coalesce(perubahan_ad_tanggal::text, '') from koperasi where id = $1`, id).
				Scan(&nomor, &tanggal)
		})
		return
	}
	if _, err := b.svc.ApproveUsulan(ctx, dep, kampanye, us[0].ID, 1, koperasi.Persetujuan{DasarHukum: "  AHU-0002.AH.01.27.TAHUN 2026 "}, admin); err != nil {
		t.Fatal(err)
	}
	if n, d := adOf(us[0].KoperasiID); n != "AHU-0002.AH.01.27.TAHUN 2026" || d != "" {
		t.Errorf("statute change after a number without date: %q %q, want the new number and no date", n, d)
	}
	// Without a legal basis, the statute change stays.
	if _, err := b.svc.ApproveUsulan(ctx, dep, kampanye, us[1].ID, 1, koperasi.Persetujuan{}, admin); err != nil {
		t.Fatal(err)
	}
	if n, d := adOf(us[1].KoperasiID); n != "AHU-LAMA" || d != "2010-01-01" {
		t.Errorf("statute change after an approval without basis: %q %q", n, d)
	}

	// 01:00 WIB on 15 June is still 14 June in UTC: today's date is today.
	early := &koperasi.Service{DB: b.env.DB, Logger: b.svc.Logger, Now: func() time.Time { return time.Date(2026, 6, 14, 18, 0, 0, 0, time.UTC) }}
	if _, err := early.ApproveUsulan(ctx, dep, kampanye, us[2].ID, 1, koperasi.Persetujuan{DasarHukum: "AHU-3", TanggalDasarHukum: "2026-06-15"}, admin); err != nil {
		t.Fatalf("approve with the office's today at 01:00 WIB: %v", err)
	}
	if n, d := adOf(us[2].KoperasiID); n != "AHU-3" || d != "2026-06-15" {
		t.Errorf("statute change: %q %q", n, d)
	}
}

// TestApproveTinggiIsAllOrNothing: a bulk approval that fails in its last
// batch has approved nothing (no earlier batch stays applied behind an
// error); once the cause is gone, it approves them all.
func TestApproveTinggiIsAllOrNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	dep := b.depok
	if err := b.svc.Seed(ctx, dep, 1200, 11, koperasi.GenOptions{SemuaKSU: true}); err != nil {
		t.Fatal(err)
	}
	k, _ := b.start(t, "depok")
	b.run(t, "depok", k.ID, 500)
	tinggi := b.countIn(t, "depok", `select count(*) from reklasifikasi_usulan where keyakinan = 'tinggi'`)
	if tinggi <= 500 {
		t.Fatalf("only %d high-confidence proposals: one batch", tinggi)
	}
	if n, err := b.svc.MenungguTinggi(ctx, dep, k.ID); err != nil || n != tinggi {
		t.Errorf("MenungguTinggi = %d, %v; want %d", n, err, tinggi)
	}
	// The cooperative of the last high proposal (the last batch) cannot be
	// written: a trigger stands for any failure there.
	var last uuid.UUID
	b.inTenant(t, "depok", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select koperasi_id from reklasifikasi_usulan where keyakinan = 'tinggi' order by id desc limit 1`).Scan(&last)
	})
	admin, err := pgx.Connect(ctx, b.env.Admin)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, `create function uji_gagal() returns trigger language plpgsql as $$ begin raise exception 'uji'; end $$;
		create trigger uji_gagal before update on koperasi for each row when (new.id = '`+last.String()+`') execute function uji_gagal()`); err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.ApproveTinggi(ctx, dep, k.ID, uuid.New()); err == nil {
		t.Fatal("bulk approval succeeded through the failing cooperative")
	}
	if n := b.countIn(t, "depok", `select count(*) from reklasifikasi_usulan where status <> 'menunggu'`); n != 0 {
		t.Errorf("%d proposals approved by a failed bulk approval, want none", n)
	}
	if n := b.countIn(t, "depok", `select count(*) from koperasi where jenis is not null`); n != 0 {
		t.Errorf("%d cooperatives typed by a failed bulk approval, want none", n)
	}
	if _, err := admin.Exec(ctx, `drop trigger uji_gagal on koperasi`); err != nil {
		t.Fatal(err)
	}
	res, err := b.svc.ApproveTinggi(ctx, dep, k.ID, uuid.New())
	if err != nil || res.Disetujui != tinggi || res.Dilewati != 0 {
		t.Errorf("bulk approval: %+v, %v; want %d approved", res, err, tinggi)
	}
	if n, err := b.svc.MenungguTinggi(ctx, dep, k.ID); err != nil || n != 0 {
		t.Errorf("MenungguTinggi after the bulk approval = %d, %v; want 0", n, err)
	}
	if _, err := b.svc.MenungguTinggi(ctx, b.tenants["medan"], k.ID); err == nil {
		t.Error("another office counts this campaign's proposals")
	}
}

// TestKeputusanCountsKeptInTheCampaign: each campaign row keeps its review
// counts, moved by every decision, bulk approval and later campaign in
// their transactions, so a progress poll reads one row; they always equal a
// recount of the proposals.
func TestKeputusanCountsKeptInTheCampaign(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	dep := b.depok
	if err := b.svc.Seed(ctx, dep, 300, 13, koperasi.GenOptions{SemuaKSU: true}); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		var kampanye []uuid.UUID
		b.inTenant(t, "depok", func(tx pgx.Tx) error {
			rows, err := tx.Query(ctx, `select id from reklasifikasi_kampanye`)
			if err != nil {
				return err
			}
			kampanye, err = pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
			return err
		})
		for _, id := range kampanye {
			var stored, counted koperasi.Keputusan
			b.inTenant(t, "depok", func(tx pgx.Tx) error {
				if err := tx.QueryRow(ctx, `select menunggu, disetujui, ditolak, digantikan from reklasifikasi_kampanye where id = $1`, id).
					Scan(&stored.Menunggu, &stored.Disetujui, &stored.Ditolak, &stored.Digantikan); err != nil {
					return err
				}
				return tx.QueryRow(ctx, `select count(*) filter (where status = 'menunggu'), count(*) filter (where status = 'disetujui'),
					count(*) filter (where status = 'ditolak'), count(*) filter (where status = 'digantikan')
					from reklasifikasi_usulan where kampanye_id = $1`, id).Scan(&counted.Menunggu, &counted.Disetujui, &counted.Ditolak, &counted.Digantikan)
			})
			got, err := b.svc.GetKampanye(ctx, dep, id)
			if err != nil {
				t.Fatal(err)
			}
			if stored != counted || got.Keputusan == nil || *got.Keputusan != counted {
				t.Errorf("%s, campaign %s: stored %+v, served %+v, the proposals say %+v", when, id, stored, got.Keputusan, counted)
			}
		}
	}
	first, _ := b.start(t, "depok")
	b.run(t, "depok", first.ID, 70)
	check("after the first campaign")

	page, err := b.svc.ListUsulan(ctx, dep, first.ID, koperasi.UsulanFilter{Limit: 3, Keyakinan: "sedang"})
	if err != nil || len(page.Items) < 2 {
		t.Fatalf("medium proposals: %v, %d", err, len(page.Items))
	}
	admin := uuid.New()
	if _, err := b.svc.ApproveUsulan(ctx, dep, first.ID, page.Items[0].ID, 1, koperasi.Persetujuan{Jenis: "jasa", Alasan: "Klinik saja."}, admin); err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.RejectUsulan(ctx, dep, first.ID, page.Items[1].ID, 1, "Data unit belum lengkap.", admin); err != nil {
		t.Fatal(err)
	}
	// A refused decision moves nothing.
	if _, err := b.svc.RejectUsulan(ctx, dep, first.ID, page.Items[1].ID, 2, "Lagi.", admin); err == nil {
		t.Fatal("rejected twice")
	}
	check("after single decisions")
	if _, err := b.svc.ApproveTinggi(ctx, dep, first.ID, admin); err != nil {
		t.Fatal(err)
	}
	check("after the bulk approval")
	second, _ := b.start(t, "depok")
	b.run(t, "depok", second.ID, 70)
	check("after a second campaign replaced the waiting ones")
	if got, _ := b.svc.GetKampanye(ctx, dep, first.ID); got.Keputusan.Digantikan == 0 || got.Keputusan.Menunggu != 0 {
		t.Errorf("first campaign after the second: %+v, want its waiting ones replaced", got.Keputusan)
	}
}
