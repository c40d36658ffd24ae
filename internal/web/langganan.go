package web

import (
	"time"

	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/langganan"
)

// An office's subscription state in words (BILLING.md): one sentence from
// its state, why, and the day the state ends by itself, said alike by the
// banner of every office page, the office's Tagihan page and the
// platform's pages of the office.

// keadaan is the state s, for reason r, ending on sampai (a date in the
// office's calendar; "" when it does not end by itself). An unbilled
// office ("") is active.
func keadaan(s langganan.State, r langganan.Reason, sampai string) string {
	pada := func(kata string) string {
		if sampai == "" {
			return ""
		}
		return kata + sampai
	}
	switch s {
	case langganan.Provisioning:
		return "Kantor ini sedang disiapkan: belum ada masa uji coba atau kontrak"
	case langganan.Trialing:
		return "Masa uji coba" + pada(" berakhir pada ")
	case langganan.Grace:
		if r == langganan.ReasonGraceExtended {
			return "Masa tenggang diperpanjang (SP2D dalam proses)" + pada(" sampai ")
		}
		return "Masa tenggang: ada tagihan yang lewat jatuh tempo" + pada(", baca saja mulai ")
	case langganan.ReadOnly:
		switch r {
		case langganan.ReasonSuspended:
			return "Baca saja: akses kantor ini ditangguhkan oleh admin platform Sentra"
		case langganan.ReasonTrialExpired:
			return "Baca saja: masa uji coba sudah berakhir tanpa kontrak"
		}
		return "Baca saja: tagihan lewat jatuh tempo dan belum dibayar"
	case langganan.Canceled:
		if sampai == "" {
			return "Langganan sudah berakhir dan masa ekspor sudah lewat"
		}
		return "Langganan sudah berakhir: data dapat diekspor sampai " + sampai
	case langganan.Offboarding:
		if sampai == "" {
			return "Kantor ini sedang ditutup: datanya segera dihapus dari Sentra"
		}
		return "Kantor ini sedang ditutup: datanya dihapus dari Sentra pada " + sampai
	case langganan.Archived:
		return "Diarsipkan: data kantor ini sudah dihapus"
	}
	return "Aktif"
}

// keadaanDi is keadaan with the state's end as a date in loc.
func keadaanDi(s langganan.State, r langganan.Reason, until time.Time, loc *time.Location) string {
	sampai := ""
	if !until.IsZero() {
		sampai = format.Tanggal(until, loc)
	}
	return keadaan(s, r, sampai)
}

// saranSpanduk is what the banner adds to the state's words: what still
// works and where to look. A state without an entry has no banner
// (active, an unbilled office).
var saranSpanduk = map[langganan.State]string{
	langganan.Provisioning: " Lengkapi pengguna dan pengaturannya sebelum mulai dipakai.",
	langganan.Trialing:     "",
	langganan.Grace: " Semua fitur tetap berjalan sampai saat itu. Admin kantor melihat tagihan dan cara membayarnya " +
		"di halaman Tagihan.",
	langganan.ReadOnly: " Data tetap dapat dibaca dan diekspor, tetapi tidak dapat diubah (mode baca saja). " +
		"Admin kantor melihat sebab dan cara membayarnya di halaman Tagihan.",
	langganan.Canceled:    " Data tidak dapat diubah lagi.",
	langganan.Offboarding: " Admin kantor mengunduh ekspor lengkapnya di halaman Tagihan sebelum tanggal itu.",
}
