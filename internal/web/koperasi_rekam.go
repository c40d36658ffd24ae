package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/umkm"
)

// koperasiRekamView is one cooperative with its parts: business units and
// their volumes, composition, pengurus and pengawas (names masked for whom
// may not see them), RAT history, health assessments and UMKM members.
type koperasiRekamView struct {
	Halaman
	K                   BarisKoperasi
	Bentuk, Peringkat   string
	Unit                []BarisUnit
	Komposisi           []BarisKomposisi
	Pengurus, Pengawas  []BarisPengurus
	RAT                 []koperasi.RAT
	Kesehatan           []BarisPenilaian
	Anggota             []koperasi.Anggota
	Program             *RiwayatProgram // nil: not the caller's to read
	AnggotaLagi         string          // the next page of members; "" on the last
	AnggotaDari         string          // this page follows the first
	Pesan               string          // what was just done
	Galat               string          // a write refused (a conflict), above the parts
	BisaUbah            bool            // update-koperasi and the caller sees the personal data the form holds
	NamaTersamar        bool            // managers' names are masked for the caller
	AlamatTidakTerlihat bool
}

// TabelPengurus is what the kop-pengurus partial needs.
type TabelPengurus struct {
	Judul, Path         string
	Items               []BarisPengurus
	Versi               int64
	BisaUbah, BisaHapus bool
}

// Tabel is the table of the pengurus ("Pengurus") or of the pengawas.
func (v *koperasiRekamView) Tabel(judul string) TabelPengurus {
	t := TabelPengurus{Judul: judul, Path: "/t/" + v.Kantor.Slug + "/koperasi/" + v.K.ID.String(), Items: v.Pengurus, Versi: v.K.Version}
	if judul == "Pengawas" {
		t.Items = v.Pengawas
	}
	live := v.K.ArchivedAt == nil
	t.BisaUbah = live && !v.NamaTersamar && v.Can("update-koperasi-pengurus")
	t.BisaHapus = live && v.Can("delete-koperasi-pengurus")
	return t
}

// BarisUnit is a business unit in words.
type BarisUnit struct {
	koperasi.Unit
	Jenis, Pola string
}

// BarisKomposisi is one year's composition.
type BarisKomposisi struct {
	Tahun int
	Porsi []BarisPorsi
}

// BarisPorsi is one unit's share.
type BarisPorsi struct{ Unit, Persen string }

// BarisPengurus is a manager or supervisor in words.
type BarisPengurus struct {
	koperasi.Pengurus
	Jabatan string
}

// BarisPenilaian is a health assessment with its regime's aspects.
type BarisPenilaian struct {
	koperasi.Penilaian
	Regime, Total, Predikat string
	Aspek                   []BarisAspek
}

// BarisAspek is one aspect's score, its range and weight.
type BarisAspek struct{ Nama, Skor, Rentang, Bobot string }

// pengawasJabatan are the supervisors' posts (pengawas); the others manage
// (pengurus).
var pengawasJabatan = []string{"ketua_pengawas", "pengawas"}

// What a redirect after a write tells the record page (?pesan=...): fixed
// words, never text from the address.
var pesanKoperasi = map[string]string{
	"dibuat":    "Koperasi sudah didaftarkan.",
	"disimpan":  "Perubahan sudah disimpan.",
	"diarsip":   "Koperasi sudah diarsipkan. Datanya tetap tersimpan.",
	"unit":      "Unit usaha sudah disimpan.",
	"komposisi": "Komposisi usaha sudah disimpan.",
	"pengurus":  "Data pengurus/pengawas sudah disimpan.",
	"rat":       "RAT sudah dicatat.",
	"kesehatan": "Penilaian kesehatan sudah dicatat. Skor total dan predikat dihitung sistem dari skor aspek.",
	"anggota":   "Keanggotaan UMKM sudah disimpan.",
	"dihapus":   "Data sudah dihapus.",
}

// desimal is a number with at most dec decimals, a decimal comma and no
// trailing zeros: 78,5.
func desimal(f float64, dec int) string {
	s := format.Desimal(f, dec)
	if strings.Contains(s, ",") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ",")
	}
	return s
}

// anggotaShown bounds the members on one page of the record.
const anggotaShown = 50

func (a *App) rekamKoperasi(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := a.koperasiRekam(r, q, id)
	if err != nil {
		return err
	}
	v.Pesan = pesanKoperasi[r.URL.Query().Get("pesan")]
	a.render(w, r, http.StatusOK, v)
	return nil
}

// koperasiRekam reads everything the record page shows.
func (a *App) koperasiRekam(r *http.Request, q *Permintaan, id uuid.UUID) (*koperasiRekamView, error) {
	d, view, err := a.bacaKoperasi(q, id)
	if err != nil {
		return nil, err
	}
	reg, err := a.wilayah(q)
	if err != nil {
		return nil, err
	}
	v := &koperasiRekamView{Halaman: q.Halaman(d.Nama, "koperasi"), K: baris(d.Koperasi, reg), RAT: d.RAT,
		Bentuk: label(map[string]string{"primer": "Primer", "sekunder": "Sekunder"}, d.Bentuk)}
	if d.Peringkat != nil {
		v.Peringkat = *d.Peringkat
	}
	sees := view.Sees(&d.Koperasi)
	v.NamaTersamar, v.AlamatTidakTerlihat = !sees, !sees
	v.BisaUbah = sees && q.Can("update-koperasi")
	unitNama := map[uuid.UUID]string{}
	for _, u := range d.Unit {
		b := BarisUnit{Unit: u, Jenis: label(labelUnit, u.JenisUnit)}
		if u.PolaSimpanPinjam != nil {
			b.Pola = label(labelPola, *u.PolaSimpanPinjam)
		}
		unitNama[u.ID] = b.Jenis
		if u.Nama != nil {
			unitNama[u.ID] = b.Jenis + " (" + *u.Nama + ")"
		}
		v.Unit = append(v.Unit, b)
	}
	for _, k := range d.Komposisi {
		b := BarisKomposisi{Tahun: k.Tahun}
		for _, p := range k.Porsi {
			b.Porsi = append(b.Porsi, BarisPorsi{Unit: unitNama[p.UnitID], Persen: desimal(p.Persen, 2) + "%"})
		}
		v.Komposisi = append(v.Komposisi, b)
	}
	for _, p := range d.Pengurus {
		b := BarisPengurus{Pengurus: p, Jabatan: label(labelJabatan, p.Jabatan)}
		if slices.Contains(pengawasJabatan, p.Jabatan) {
			v.Pengawas = append(v.Pengawas, b)
		} else {
			v.Pengurus = append(v.Pengurus, b)
		}
	}
	if q.Can("list-koperasi-kesehatan") {
		if v.Kesehatan, err = a.penilaian(q, id); err != nil {
			return nil, err
		}
	}
	if q.Can("list-koperasi-anggota") {
		if err := a.anggotaKoperasi(r, q, v, id); err != nil {
			return nil, err
		}
	}
	if v.Program, err = a.riwayatKoperasi(q, id); err != nil {
		return nil, err
	}
	return v, nil
}

// penilaian are the cooperative's assessments with their regimes' aspects.
func (a *App) penilaian(q *Permintaan, id uuid.UUID) ([]BarisPenilaian, error) {
	items, err := a.Koperasi.ListPenilaian(q.ctx, q.T, id)
	if err != nil || len(items) == 0 {
		return nil, err
	}
	regimes, err := a.Koperasi.Regimes(q.ctx)
	if err != nil {
		return nil, err
	}
	var out []BarisPenilaian
	for _, p := range items {
		b := BarisPenilaian{Penilaian: p, Regime: p.Regime, Total: desimal(p.SkorTotal, 2), Predikat: label(labelPredikat, p.Predikat)}
		if i := slices.IndexFunc(regimes, func(g koperasi.Regime) bool { return g.Kode == p.Regime }); i >= 0 {
			b.Regime = regimes[i].Nama
			for _, as := range regimes[i].Aspek {
				b.Aspek = append(b.Aspek, barisAspek(as, desimal(p.Skor[as.Kode], 2)))
			}
		}
		out = append(out, b)
	}
	return out, nil
}

func barisAspek(as koperasi.Aspek, skor string) BarisAspek {
	return BarisAspek{Nama: as.Nama, Skor: skor, Rentang: desimal(as.SkorMin, 2) + "–" + desimal(as.SkorMaks, 2), Bobot: desimal(as.Bobot, 2)}
}

// anggotaKoperasi reads a page of the UMKM members (a petugas: those of
// their regions, as the API lists them).
func (a *App) anggotaKoperasi(r *http.Request, q *Permintaan, v *koperasiRekamView, id uuid.UUID) error {
	sc, _, err := umkm.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return err
	}
	after := uuid.Nil
	if s := r.URL.Query().Get("anggota_dari"); s != "" {
		if after, err = uuid.Parse(s); err != nil {
			after = uuid.Nil
		} else {
			v.AnggotaDari = koperasiPath(q.T, id.String()) + "#anggota"
		}
	}
	items, err := a.Koperasi.ListAnggota(q.ctx, q.T, id, sc.Wilayah, after, anggotaShown)
	if err != nil {
		return err
	}
	if len(items) > anggotaShown {
		items = items[:anggotaShown]
		v.AnggotaLagi = koperasiPath(q.T, id.String()) + "?" + url.Values{"anggota_dari": {items[len(items)-1].UMKMID.String()}}.Encode() + "#anggota"
	}
	v.Anggota = items
	return nil
}
