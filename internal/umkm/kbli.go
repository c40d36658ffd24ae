package umkm

import (
	"fmt"
	"strings"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/kbli"
)

// describeKBLI is the title of a stored code and its category's letter and
// title; nothing for a code outside KBLI 2020 (written before codes were
// checked).
func describeKBLI(kode *string) (judul, kategori, kategoriJudul *string) {
	if kode == nil {
		return nil, nil, nil
	}
	e, ok := kbli.Lookup(*kode)
	if !ok || e.Tingkat != kbli.TingkatKelompok {
		return nil, nil, nil
	}
	cat, _ := kbli.Lookup(e.Kategori) // every kelompok's category is in the list (its tests)
	return &e.Judul, &cat.Kode, &cat.Judul
}

// checkKBLI returns the record's KBLI: blank is unknown; anything else must be
// a kelompok (five digits) of KBLI 2020. A broader code (a division such as
// "47") is refused too: it names a field of activity, not the business's
// own, and a register of divisions could not be told from one of codes.
func checkKBLI(f *fieldErrs, v *string) *string {
	if v == nil || strings.TrimSpace(*v) == "" {
		return nil
	}
	kode := strings.TrimSpace(*v)
	if e, ok := kbli.Lookup(kode); ok && e.Tingkat == kbli.TingkatKelompok {
		return &kode
	}
	f.add("kbli", kode, kbliRefusal(kode))
	return nil
}

var tingkatNama = map[kbli.Tingkat][2]string{
	kbli.TingkatKategori:      {"kategori", "category"},
	kbli.TingkatGolonganPokok: {"golongan pokok", "division"},
	kbli.TingkatGolongan:      {"golongan", "group"},
	kbli.TingkatSubgolongan:   {"subgolongan", "class"},
}

// kbliRefusal says why kode is not a business's KBLI, and what to write.
func kbliRefusal(kode string) apperr.Text {
	if e, ok := kbli.Lookup(kode); ok {
		n := tingkatNama[e.Tingkat]
		return apperr.T(
			fmt.Sprintf("%s adalah %s KBLI 2020 (%s), bukan kode kegiatan usaha; isi kode kelompok 5 digit di dalamnya.", kode, n[0], e.Judul),
			fmt.Sprintf("%s is a KBLI 2020 %s (%s), not a business activity; give a five-digit code within it.", kode, n[1], e.Judul))
	}
	// Excel keeps a code as a number and drops its leading zero: 01111
	// (Pertanian Jagung) becomes 1111. Suggested, never taken.
	if len(kode) == 4 && digits(kode, 4, 4) {
		if e, ok := kbli.Lookup("0" + kode); ok && e.Tingkat == kbli.TingkatKelompok {
			return apperr.T(
				fmt.Sprintf("KBLI %s tidak ada dalam KBLI 2020. Mungkin maksudnya %s (%s)? Excel menghapus angka 0 di depan; simpan kolom KBLI sebagai teks.", kode, e.Kode, e.Judul),
				fmt.Sprintf("KBLI %s is not a KBLI 2020 code. Did you mean %s (%s)? Excel drops leading zeros; store the KBLI column as text.", kode, e.Kode, e.Judul))
		}
	}
	if !digits(kode, 5, 5) {
		return apperr.T("Kode KBLI 2020 harus 5 digit (mis. 10792).", "A KBLI 2020 code has 5 digits (e.g. 10792).")
	}
	return apperr.T(fmt.Sprintf("KBLI %s tidak ada dalam KBLI 2020.", kode), fmt.Sprintf("KBLI %s is not a KBLI 2020 code.", kode))
}

// readKBLI reads an import cell's KBLI as offices write it ("KBLI 47111",
// Excel's "47111.0" or "47.111") and notes the reading, so that the report
// shows what was taken; validate then checks the code.
func readKBLI(raw string) (string, *apperr.Field) {
	kode, changed := kbli.Normalize(raw)
	if !changed {
		return kode, nil
	}
	return kode, &apperr.Field{Location: "kbli", Value: raw, Message: apperr.T(
		fmt.Sprintf("KBLI '%s' dibaca sebagai %s.", raw, kode), fmt.Sprintf("KBLI '%s' read as %s.", raw, kode))}
}
