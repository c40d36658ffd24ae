package wilayah

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/sentra-id/sentra/tenants"
)

// office is a tenant's index built from its tenants/<slug>/wilayah.csv,
// the file `tenants sync` loads.
func office(t *testing.T, slug string) *Index {
	t.Helper()
	f, err := tenants.FS.Open(slug + "/wilayah.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	regions := map[string]Region{}
	for _, r := range recs[1:] {
		reg := Region{Nama: r[1], Level: r[2]}
		if reg.Level == LevelKelurahan {
			reg.Parent = r[0][:8]
		}
		regions[r[0]] = reg
	}
	return New(regions)
}

// TestReadCells: region cells as offices write them, against the real
// regions of the four offices. Each case is accepted with its codes (and
// a note when the kecamatan was read from the desa/kelurahan) or refused
// with the columns and the message's key phrases.
func TestReadCells(t *testing.T) {
	idx := map[string]*Index{}
	for _, slug := range []string{"depok", "tangsel", "karawang", "medan"} {
		idx[slug] = office(t, slug)
	}
	for _, c := range []struct {
		slug, kec, kel   string
		wantKec, wantKel string
		note             string // a phrase of the note, for an accepted row
		refused          map[string][]string
	}{
		// Codes, and names as written.
		{slug: "depok", kec: "32.76.01", kel: "32.76.01.1006", wantKec: "32.76.01", wantKel: "32.76.01.1006"},
		{slug: "depok", kec: "Kec. Pancoran Mas", kel: "Kel. Depok Jaya", wantKec: "32.76.01", wantKel: "32.76.01.1007"},
		{slug: "depok", kec: "KECAMATAN  PANCORAN   MAS", kel: "kelurahan depok jaya.", wantKec: "32.76.01", wantKel: "32.76.01.1007"},
		{slug: "depok", kec: "Kec Pancoran Mas", kel: "Kel Depok", wantKec: "32.76.01", wantKel: "32.76.01.1006"},
		{slug: "depok", kec: "Kec.Beji", kel: "Kel.Pondok Cina", wantKec: "32.76.06", wantKel: "32.76.06.1005"},
		{slug: "depok", kec: "Pancoran Mas", kel: "Pancoran Mas", wantKec: "32.76.01", wantKel: "32.76.01.1008"}, // a kelurahan named as its kecamatan
		{slug: "depok", kec: "pancoran-mas", kel: "Depok  Jaya,", wantKec: "32.76.01", wantKel: "32.76.01.1007"},
		{slug: "karawang", kec: "Kecamatan Pakisjaya", kel: "Ds. Tanjungmekar", wantKec: "32.15.12", wantKel: "32.15.12.2001"},
		{slug: "karawang", kec: "Pakisjaya", kel: "Desa Tanjung Mekar", wantKec: "32.15.12", wantKel: "32.15.12.2001"}, // spacing
		{slug: "karawang", kec: "Pakis Jaya", kel: "Ds Tanjungmekar", wantKec: "32.15.12", wantKel: "32.15.12.2001"},
		{slug: "medan", kec: "Medan Labuhan", kel: "Sei Mati", wantKec: "12.71.13", wantKel: "12.71.13.1002"},
		{slug: "medan", kec: "Kec. Medan Tuntungan", kel: "Kel. S. Rengas Permata", refused: map[string][]string{"kelurahan": {"tidak berada di Kecamatan Medan Tuntungan", "Kec. Medan Area, 12.71.10.1004"}}},
		// A blank kecamatan is read from a desa/kelurahan of a unique name.
		{slug: "depok", kec: "", kel: "Kel. Depok Jaya", wantKec: "32.76.01", wantKel: "32.76.01.1007", note: "dibaca dari desa/kelurahan Depok Jaya: Pancoran Mas (32.76.01)"},
		{slug: "depok", kec: "", kel: "32.76.02.1009", wantKec: "32.76.02", wantKel: "32.76.02.1009", note: "Cimanggis (32.76.02)"},
		// A desa/kelurahan name of two kecamatan, kecamatan blank or not resolving.
		{slug: "depok", kec: "", kel: "Curug", refused: map[string][]string{"kelurahan": {"ada di 2 kecamatan", "Curug (Kec. Cimanggis, 32.76.02.1008) dan Curug (Kec. Bojongsari, 32.76.11.1005)"}}},
		{slug: "depok", kec: "Bojong Sari Baru", kel: "Kel. Curug", refused: map[string][]string{
			"kecamatan": {"Kecamatan tidak dikenal"},
			"kelurahan": {"Curug (Kec. Cimanggis, 32.76.02.1008) dan Curug (Kec. Bojongsari, 32.76.11.1005)"}}},
		{slug: "medan", kec: "", kel: "Sei Mati", refused: map[string][]string{"kelurahan": {"Kec. Medan Labuhan, 12.71.13.1002", "Kec. Medan Maimun, 12.71.15.1005"}}},
		{slug: "karawang", kec: "", kel: "Desa Tanjungmekar", refused: map[string][]string{"kelurahan": {"Kec. Karawang Barat, 32.15.01.1006", "Kec. Pakisjaya, 32.15.12.2001"}}},
		// With the kecamatan, the same names are one region.
		{slug: "depok", kec: "Kec. Bojongsari", kel: "Curug", wantKec: "32.76.11", wantKel: "32.76.11.1005"},
		{slug: "karawang", kec: "Karawang Barat", kel: "Kel. Tanjungmekar", wantKec: "32.15.01", wantKel: "32.15.01.1006"},
		// Typos are refused with the closest names, never taken.
		{slug: "depok", kec: "Pancoran Mass", kel: "Depok", refused: map[string][]string{"kecamatan": {"Mungkin maksud Anda: Pancoran Mas (32.76.01)?"}}},
		{slug: "depok", kec: "Pancoran Mas", kel: "Depok Jya", refused: map[string][]string{"kelurahan": {"tidak dikenal di Kecamatan Pancoran Mas", "Mungkin maksud Anda: Depok Jaya (Kec. Pancoran Mas, 32.76.01.1007)?"}}},
		{slug: "depok", kec: "", kel: "Curugg", refused: map[string][]string{
			"kecamatan": {"Wajib diisi"},
			"kelurahan": {"Mungkin maksud Anda: Curug (Kec. Cimanggis, 32.76.02.1008) atau Curug (Kec. Bojongsari, 32.76.11.1005)?"}}},
		{slug: "medan", kec: "Medan Area", kel: "Sei Rengas 1", refused: map[string][]string{"kelurahan": {"Mungkin maksud Anda: Sei Rengas II (Kec. Medan Area, 12.71.10.1003)?"}}},
		{slug: "depok", kec: "Pancoran Mas", kel: "Tugu", refused: map[string][]string{"kelurahan": {"tidak berada di Kecamatan Pancoran Mas, tetapi di Tugu (Kec. Cimanggis, 32.76.02.1009)"}}},
		{slug: "depok", kec: "Beji", kel: "Xyz", refused: map[string][]string{"kelurahan": {"tidak dikenal di Kecamatan Beji."}}},
		// Another office's regions are not this office's.
		{slug: "depok", kec: "32.15.01", kel: "32.15.01.1006", refused: map[string][]string{"kecamatan": {"tidak dikenal"}, "kelurahan": {"tidak dikenal"}}},
		{slug: "depok", kec: "", kel: "", refused: map[string][]string{"kecamatan": {"Wajib diisi"}, "kelurahan": {"Wajib diisi"}}},
	} {
		kec, kel, problems, note := idx[c.slug].ReadCells(c.kec, c.kel)
		name := c.slug + " " + c.kec + " / " + c.kel
		if c.refused == nil {
			if len(problems) > 0 || kec != c.wantKec || kel != c.wantKel {
				t.Errorf("%s: %q %q %+v, want %s %s", name, kec, kel, problems, c.wantKec, c.wantKel)
			}
			if (note != nil) != (c.note != "") || note != nil && !strings.Contains(note.ID, c.note) {
				t.Errorf("%s: note %v, want %q", name, note, c.note)
			}
			continue
		}
		if kec != "" || kel != "" {
			t.Errorf("%s: resolved to %s %s, want refused", name, kec, kel)
		}
		got := map[string]string{}
		for _, p := range problems {
			got[p.Field] += p.Text.ID + " | "
			if p.Text.EN == "" {
				t.Errorf("%s: no English text for %s", name, p.Field)
			}
		}
		if len(got) != len(c.refused) {
			t.Errorf("%s: problems %v, want columns %v", name, got, c.refused)
		}
		for field, phrases := range c.refused {
			for _, ph := range phrases {
				if !strings.Contains(got[field], ph) {
					t.Errorf("%s: %s says %q, want %q", name, field, got[field], ph)
				}
			}
		}
	}
}

// TestNamesAreDistinctByKey: the rule that case, punctuation and spacing
// do not count, and that a leading Kec./Kel./Desa is dropped, merges no
// two regions of one kecamatan, and no region name begins with such a
// word (else dropping it would change the name).
func TestNamesAreDistinctByKey(t *testing.T) {
	for _, slug := range []string{"depok", "tangsel", "karawang", "medan"} {
		w := office(t, slug)
		seen := map[string]string{}
		for kode, r := range w.ByKode {
			k := r.Level + "|" + r.Parent + "|" + key(r.Nama)
			if other, ok := seen[k]; ok {
				t.Errorf("%s: %s and %s have one key", slug, kode, other)
			}
			seen[k] = kode
			if ks := keys(r.Nama, r.Level); len(ks) > 1 {
				t.Errorf("%s: %s %q begins with a level word", slug, kode, r.Nama)
			}
		}
	}
}
