package langganan

import (
	"strings"
	"time"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// readActions are the prefixes of the Casbin actions (API operation ids)
// that only read: an office in any state that reads may do them. Exports
// are reads: the data belongs to the office.
var readActions = []string{"list-", "get-", "export-", "map-", "view-"}

// IsWrite reports whether action changes data.
func IsWrite(action string) bool {
	for _, p := range readActions {
		if strings.HasPrefix(action, p) {
			return false
		}
	}
	return true
}

// Permits decides action of a caller with role (in the office) for an
// office in state: the same answer for the API and the pages, after the
// Casbin decision. An unbilled office ("" state) is active.
func Permits(state, role, action string) error {
	s := State(state)
	if s == "" {
		return nil
	}
	a := AccessOf(s)
	switch {
	case !a.Read:
		return apperr.NotFound()
	case a.AdminOnly && role != string(tenancy.RoleAdmin) && role != string(tenancy.RolePlatformAdmin):
		return apperr.ReadOnly(apperr.T("Kantor ini sedang disiapkan atau ditutup: hanya admin kantor yang dapat membukanya.",
			"This office is being set up or closed: only its admins can open it."))
	case a.Write || !IsWrite(action):
		return nil
	}
	return apperr.ReadOnly(readOnlyText(s))
}

// RoleIn is the role p acts with in the office of domain: theirs there,
// or platform_admin for a platform admin without one.
func RoleIn(p *tenancy.Principal, domain tenancy.Domain) string {
	if r, ok := p.Roles[domain]; ok {
		return string(r)
	}
	if _, ok := p.Roles[tenancy.PlatformDomain]; ok {
		return string(tenancy.RolePlatformAdmin)
	}
	return ""
}

func readOnlyText(s State) apperr.Text {
	switch s {
	case Canceled, Offboarding:
		return apperr.T("Langganan kantor ini sudah berakhir: data hanya dapat dibaca dan diekspor.",
			"This office's subscription has ended: data can only be read and exported.")
	}
	return apperr.T("Kantor ini sedang dalam mode baca saja karena tagihan belum dibayar atau akses ditangguhkan. "+
		"Data tetap dapat dibaca dan diekspor; admin kantor dapat melihat tagihan dan cara membayarnya di halaman Tagihan.",
		"This office is read-only because an invoice is unpaid or access is suspended. Data can still be read and exported; "+
			"the office's admin finds the invoices and how to pay on the Tagihan page.")
}

// EndOfDay is the instant after the last second of day (YYYY-MM-DD) in
// the office's time zone tz: a fact "until 31 March" lasts all of 31
// March. field names the input in a refusal.
func EndOfDay(day, tz, field string) (time.Time, error) {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return time.Time{}, err
	}
	d, err := time.ParseInLocation(time.DateOnly, day, loc)
	if err != nil {
		return time.Time{}, apperr.InvalidField(field, day, apperr.T("Tanggal tidak valid (tttt-bb-hh).", "Not a date (YYYY-MM-DD)."))
	}
	return d.AddDate(0, 0, 1), nil
}

// CaraBayar says how an office pays its invoices (the API's tagihan and
// the office's Tagihan page).
var CaraBayar = apperr.T(
	"Tagihan dikirim ke e-mail bendahara dan dapat dibuka atau diunduh (PDF) di bawah. Bayar dengan transfer bank dari anggaran (APBD) "+
		"ke rekening yang tertera pada tagihan, paling lambat tanggal jatuh tempo. Setelah SP2D terbit, kirim nomor SP2D, tanggal transfer, "+
		"jumlah yang ditransfer dan bukti potong PPh/faktur PPN ke admin platform Sentra: pembayaran dicatat dan akses kantor kembali penuh. "+
		"Membaca dan mengekspor data tidak pernah diblokir.",
	"Invoices are e-mailed to the treasurer and can be opened or downloaded (PDF) below. Pay by bank transfer from the budget (APBD) "+
		"to the account on the invoice by its due date. Once the SP2D is issued, send its number, the transfer date, the amount transferred "+
		"and the PPh/PPN documents to Sentra's platform admin: the payment is recorded and the office's access is full again. "+
		"Reading and exporting data are never blocked.")
