package pendanaan

import "slices"

// The stages of an application (DOMAIN.md "Funding"): submitted →
// complete → sent to the bank → surveyed → approved | rejected → contract
// (akad) → SK → active → paid off | defaulted. A KUR referral is only
// referred → approved | rejected: the bank lends, the office records.
const (
	TahapDiajukan    = "diajukan"
	TahapLengkap     = "lengkap"
	TahapDikirimBank = "dikirim_bank"
	TahapDisurvei    = "disurvei"
	TahapDisetujui   = "disetujui"
	TahapDitolak     = "ditolak"
	TahapAkad        = "akad"
	TahapSK          = "sk"
	TahapAktif       = "aktif"
	TahapLunas       = "lunas"
	TahapMacet       = "macet"
	TahapDirujuk     = "dirujuk"
)

// Papan is the order of the board's columns.
var Papan = []string{TahapDirujuk, TahapDiajukan, TahapLengkap, TahapDikirimBank, TahapDisurvei, TahapDisetujui, TahapAkad,
	TahapSK, TahapAktif, TahapLunas, TahapMacet, TahapDitolak}

// NamaTahap is each stage as the office says it.
var NamaTahap = map[string]string{
	TahapDirujuk: "Dirujuk ke bank", TahapDiajukan: "Diajukan", TahapLengkap: "Berkas lengkap", TahapDikirimBank: "Dikirim ke bank",
	TahapDisurvei: "Disurvei bank", TahapDisetujui: "Disetujui", TahapDitolak: "Ditolak", TahapAkad: "Akad kredit",
	TahapSK: "SK terbit", TahapAktif: "Aktif", TahapLunas: "Lunas", TahapMacet: "Macet",
}

// AlasanTolak are the coded reasons an application fails (the office
// wants to know why uptake is low, seed 000).
var AlasanTolak = []string{"slik", "pinjaman_lain", "paylater", "dokumen", "lainnya"}

// NamaAlasan is each reason as the office says it.
var NamaAlasan = map[string]string{
	"slik": "Riwayat kredit (SLIK/BI checking)", "pinjaman_lain": "Masih punya pinjaman lain",
	"paylater": "Utang pay later", "dokumen": "Dokumen tidak lengkap", "lainnya": "Lainnya",
}

// langkah are the stages each stage may move to, per kind of scheme. The
// interest subsidy is paid on the basis of an SK Wali Kota, so it passes
// through sk; Kredit Mesra goes from the contract to disbursement; a
// grant has no bank: from complete to the decision, the NPHD (akad), the
// Keputusan (sk) and the transfer (aktif), closed by its report (lunas).
var langkah = map[string]map[string][]string{
	JenisSubsidiBunga: {
		TahapDiajukan: {TahapLengkap, TahapDitolak}, TahapLengkap: {TahapDikirimBank, TahapDitolak},
		TahapDikirimBank: {TahapDisurvei, TahapDitolak}, TahapDisurvei: {TahapDisetujui, TahapDitolak},
		TahapDisetujui: {TahapAkad}, TahapAkad: {TahapSK}, TahapSK: {TahapAktif}, TahapAktif: {TahapLunas, TahapMacet},
	},
	JenisKreditMesra: {
		TahapDiajukan: {TahapLengkap, TahapDitolak}, TahapLengkap: {TahapDikirimBank, TahapDitolak},
		TahapDikirimBank: {TahapDisurvei, TahapDitolak}, TahapDisurvei: {TahapDisetujui, TahapDitolak},
		TahapDisetujui: {TahapAkad}, TahapAkad: {TahapAktif}, TahapAktif: {TahapLunas, TahapMacet},
	},
	JenisHibah: {
		TahapDiajukan: {TahapLengkap, TahapDitolak}, TahapLengkap: {TahapDisetujui, TahapDitolak},
		TahapDisetujui: {TahapAkad}, TahapAkad: {TahapSK}, TahapSK: {TahapAktif}, TahapAktif: {TahapLunas},
	},
	JenisKUR: {TahapDirujuk: {TahapDisetujui, TahapDitolak}},
}

// Berikutnya are the stages an application of kind jenis at stage tahap
// may move to (none: it is closed).
func Berikutnya(jenis, tahap string) []string { return slices.Clone(langkah[jenis][tahap]) }

// tahapAwal is the first stage of an application of kind jenis.
func tahapAwal(jenis string) string {
	if jenis == JenisKUR {
		return TahapDirujuk
	}
	return TahapDiajukan
}
