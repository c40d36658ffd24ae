package browsertest

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/klinik"
	"github.com/sentra-id/sentra/internal/web/webtest"
)

// TestKlinikBooking: a staf opens a walk-in ticket, goes from it to the
// week's schedule, books a free slot there with one click, and the ticket
// shows the slot; the week then shows it taken. axe and the CSP on the
// week and the ticket.
func TestKlinikBooking(t *testing.T) {
	if browser == nil {
		t.Skip("browsertest: " + noBrowser)
	}
	srv := webtest.New(t)
	ctx := context.Background()
	depok := srv.Tenants["depok"]
	var legalitas klinik.KlinikLayanan
	ls, err := srv.Klinik.ListLayanan(ctx, depok, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if l.Kode == "legalitas" {
			legalitas = l
		}
	}
	// Every weekday 09:00–11:00, so the week shown has a free slot
	// whatever the day the test runs.
	var jadwal []klinik.KlinikJadwal
	for h := 1; h <= 7; h++ {
		jadwal = append(jadwal, klinik.KlinikJadwal{Hari: h, Mulai: "09:00", Selesai: "11:00", Tempat: "Sentra UMKM Depok"})
	}
	if err := srv.Env.DB.InTenantTx(ctx, depok.ID, func(tx pgx.Tx) error {
		_, err := srv.Klinik.CreateKonsultanTx(ctx, tx, depok, klinik.KlinikKonsultanInput{Nama: "Rina Marlina", SlotMenit: 60, KuotaHarian: 2,
			Layanan: []uuid.UUID{legalitas.ID}, Jadwal: jadwal})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Asia/Jakarta")
	nextWeek := time.Now().In(loc).AddDate(0, 0, 7).Format(time.DateOnly)

	tb := newTab(t, srv.URL)
	tb.open("/masuk")
	tb.login(webtest.StafDepok, webtest.Password)
	if status := tb.open("/t/depok/klinik/tiket"); status != http.StatusOK {
		t.Fatalf("tickets: %d", status)
	}
	status := tb.submit("open a walk-in ticket",
		chromedp.SetValue(chromedp.CSS("#saluran"), "walk_in"),
		chromedp.SetValue(chromedp.CSS("#layanan_id"), legalitas.ID.String()),
		chromedp.SendKeys(chromedp.CSS("#nama"), "Siti Aminah"),
		chromedp.SendKeys(chromedp.CSS("#telepon"), "0812-3456-7890"),
		chromedp.SendKeys(chromedp.CSS("#pertanyaan"), "Bagaimana mengurus P-IRT?"),
		chromedp.Click(chromedp.CSS(`form[action="/t/depok/klinik/tiket"][method="post"] button[type=submit]`)))
	if status != http.StatusOK || !strings.HasPrefix(tb.path(), "/t/depok/klinik/tiket/") {
		t.Fatalf("after creating: %d at %s", status, tb.path())
	}
	tiket := tb.path()
	if got := tb.text("#jadwal-terpesan"); got != "Belum dijadwalkan" {
		t.Fatalf("a new ticket's slot: %q", got)
	}
	tb.submit("go to the week", chromedp.Click(chromedp.CSS(`a[href^="/t/depok/klinik?tiket="]`)))
	tb.submit("the next week", chromedp.Click(chromedp.CSS(`a[href^="/t/depok/klinik?minggu=`+nextWeekMonday(nextWeek)+`"]`)))
	assertAccessible(t, tb)
	if n := tb.count(".jadwal-klinik button[type=submit]"); n != 14 {
		t.Fatalf("%d free slots to book next week, want 14", n)
	}
	status = tb.submit("book the first free slot", chromedp.Click(chromedp.CSS(".jadwal-klinik button[type=submit]")))
	if status != http.StatusOK || tb.path() != tiket+"?pesan=jadwal" {
		t.Fatalf("after booking: %d at %s", status, tb.path())
	}
	got := tb.text("#jadwal-terpesan")
	if !strings.Contains(got, "Senin") || !strings.Contains(got, "09.00 WIB dengan Rina Marlina") {
		t.Fatalf("the ticket's slot: %q", got)
	}
	assertAccessible(t, tb)
	tb.open("/t/depok/klinik?minggu=" + nextWeek)
	if n := tb.count(".jadwal-klinik .slot-terisi"); n != 1 {
		t.Fatalf("%d slots taken on the week, want 1", n)
	}
}

// nextWeekMonday is the Monday of the week of day (YYYY-MM-DD).
func nextWeekMonday(day string) string {
	d, _ := time.Parse(time.DateOnly, day)
	for d.Weekday() != time.Monday {
		d = d.AddDate(0, 0, -1)
	}
	return d.Format(time.DateOnly)
}
