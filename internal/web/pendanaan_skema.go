package web

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/pendanaan"
)

// skemaView is the schemes in force for the office today, each with its
// figures in words and its legal basis, and for an admin the form that
// sets a year's interest-subsidy ceiling (the override offices make every
// budget year; other figures are overridden through the API).
type skemaView struct {
	Halaman
	labelsDana
	Items   []skemaBaris
	Subsidi []pendanaan.Skema // the schemes whose ceiling the form sets
	Isi     url.Values
	Galat   map[string]string
	Pesan   string
	Selesai bool
}

// Nilai is a field as typed.
func (v *skemaView) Nilai(name string) string { return v.Isi.Get(name) }

// skemaBaris is a scheme and its figures as an office says them.
type skemaBaris struct {
	S     pendanaan.Skema
	Angka []string
	Pagu  []paguTahun
}

type paguTahun struct{ Tahun, Rupiah string }

// bp is basis points as a percentage with the decimals it needs: 90%, 2,5%.
func bp(n int) string {
	decimals := 2
	switch {
	case n%100 == 0:
		decimals = 0
	case n%10 == 0:
		decimals = 1
	}
	return format.Desimal(float64(n)/100, decimals) + "%"
}

// ringkas says a scheme's figures in words.
func ringkas(s pendanaan.Skema) []string {
	a := s.Aturan
	var out []string
	switch s.Jenis {
	case pendanaan.JenisSubsidiBunga:
		from := a.PokokMin
		for _, t := range a.Tingkat {
			out = append(out, fmt.Sprintf("Pinjaman %s sampai %s: %s bunga disubsidi", format.Rupiah(from), format.Rupiah(t.PokokMaks), bp(t.SubsidiBP)))
			from = t.PokokMaks + 1
		}
		if a.Pembulatan == "subsidi_ke_bawah" {
			out = append(out, "Subsidi dibulatkan ke bawah ke rupiah; sisanya dibayar debitur")
		}
	case pendanaan.JenisKreditMesra:
		out = append(out, fmt.Sprintf("Kelompok %d sampai %d anggota, %s sampai %s per anggota", a.AnggotaMin, a.AnggotaMaks,
			format.Rupiah(a.PlafonMin), format.Rupiah(a.PlafonMaks)))
		for _, b := range a.Biaya {
			out = append(out, fmt.Sprintf("Tenor %d bulan: biaya administrasi %s, dipotong saat pencairan", b.TenorBulan, bp(b.BiayaBP)))
		}
		if len(a.Rekomendasi) > 0 {
			out = append(out, "Rekomendasi: "+strings.Join(a.Rekomendasi, ", "))
		}
		if len(a.Dokumen) > 0 {
			out = append(out, "Dokumen tiap anggota: "+strings.Join(a.Dokumen, ", "))
		}
	case pendanaan.JenisKUR:
		for _, t := range a.Tingkat {
			var rates []string
			for _, r := range t.BungaBP {
				rates = append(rates, bp(r))
			}
			out = append(out, fmt.Sprintf("%s sampai %s: bunga %s", namaTingkat(t.Nama), format.Rupiah(t.PokokMaks), strings.Join(rates, ", ")))
		}
	case pendanaan.JenisHibah:
		if len(a.Penerima) > 0 {
			out = append(out, "Penerima: "+strings.Join(a.Penerima, ", "))
		}
	}
	for _, g := range a.Syarat {
		out = append(out, "Syarat sebelum "+label(pendanaan.NamaTahap, g.Tahap)+": "+g.Nama)
	}
	for _, g := range a.Prioritas {
		out = append(out, "Diutamakan: "+g.Nama)
	}
	if a.RujukanSaja {
		out = append(out, "Kantor hanya merujuk ke bank")
	}
	if len(a.Bank) > 0 {
		out = append(out, "Bank: "+strings.Join(a.Bank, ", "))
	}
	return out
}

// namaTingkat is a KUR tier's name as said: "super mikro".
func namaTingkat(s string) string {
	if s == "" {
		return "Tingkat"
	}
	return strings.ReplaceAll(s, "_", " ")
}

func (a *App) skemaDana(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	v, err := a.skemaPage(q)
	if err != nil {
		return err
	}
	v.Selesai = r.URL.Query().Get("pesan") == "disimpan"
	a.render(w, r, http.StatusOK, v)
	return nil
}

func (a *App) skemaPage(q *Permintaan) (*skemaView, error) {
	day, err := q.T.Today(a.Pendanaan.Now())
	if err != nil {
		return nil, err
	}
	all, err := a.Pendanaan.ListSkema(q.ctx, q.T, day)
	if err != nil {
		return nil, err
	}
	v := &skemaView{Halaman: q.Halaman("Skema pendanaan", "pendanaan"), Galat: map[string]string{},
		Isi: url.Values{"tahun": {strconv.Itoa(day.Year())}, "berlaku_mulai": {day.Format("2006-01-02")}}}
	for _, s := range all {
		b := skemaBaris{S: s, Angka: ringkas(s)}
		for _, y := range slices.Sorted(maps.Keys(s.Aturan.PaguTahunan)) {
			b.Pagu = append(b.Pagu, paguTahun{Tahun: y, Rupiah: format.Rupiah(s.Aturan.PaguTahunan[y])})
		}
		v.Items = append(v.Items, b)
		if s.Jenis == pendanaan.JenisSubsidiBunga {
			v.Subsidi = append(v.Subsidi, s)
		}
	}
	return v, nil
}

// ubahPagu sets a year's ceiling of an interest-subsidy scheme as the
// API's update-skema-dana does. An override replaces the ceilings as a
// whole, so the other years' are carried over from the scheme in force.
func (a *App) ubahPagu(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	f, err := readForm(w, r)
	if err != nil {
		return err
	}
	v, err := a.skemaPage(q)
	if err != nil {
		return err
	}
	v.Isi = f
	kode := f.Get("kode")
	i := slices.IndexFunc(v.Subsidi, func(s pendanaan.Skema) bool { return s.Kode == kode })
	if i < 0 {
		v.Galat["kode"] = "Pilih skema subsidi bunga."
	}
	tahun, err := strconv.Atoi(strings.TrimSpace(f.Get("tahun")))
	if err != nil || tahun < 2000 || tahun > 2100 {
		v.Galat["tahun"] = "Tahun anggaran 2000 sampai 2100."
	}
	pagu, err := parseRupiah(f.Get("pagu"))
	if err != nil || pagu < 0 {
		v.Galat["pagu"] = "Tulis pagu dalam rupiah, tanpa titik atau dengan titik ribuan (1.500.000.000)."
	}
	if strings.TrimSpace(f.Get("alasan")) == "" {
		v.Galat["alasan"] = "Tulis dasarnya, misalnya nomor DPA atau keputusan kepala dinas."
	}
	if len(v.Galat) > 0 {
		v.Pesan = "Periksa isian yang ditandai."
		a.render(w, r, http.StatusUnprocessableEntity, v)
		return nil
	}
	ceilings := maps.Clone(v.Subsidi[i].Aturan.PaguTahunan)
	if ceilings == nil {
		ceilings = map[string]int64{}
	}
	ceilings[strconv.Itoa(tahun)] = pagu
	raw, _ := json.Marshal(map[string]any{"pagu_tahunan": ceilings})
	_, err = a.Pendanaan.Ubah(q.ctx, q.T, kode, pendanaan.UbahanInput{BerlakuMulai: strings.TrimSpace(f.Get("berlaku_mulai")),
		Aturan: raw, Alasan: strings.TrimSpace(f.Get("alasan"))})
	if ae, ok := apperr.As(err); ok && (ae.Kind == apperr.KindInvalid || ae.Kind == apperr.KindConflict) {
		for _, fe := range ae.Fields {
			name := strings.TrimPrefix(fe.Location, "body.")
			switch name {
			case "aturan": // the only figure this form changes
				name = "pagu"
			case "path.kode":
				name = "kode"
			}
			v.Galat[name] = fe.Message.ID
		}
		status := http.StatusUnprocessableEntity
		if ae.Kind == apperr.KindConflict {
			v.Galat["berlaku_mulai"], status = ae.Message.ID, http.StatusConflict
		}
		v.Pesan = ae.Message.ID
		a.render(w, r, status, v)
		return nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/t/"+q.T.Slug+"/pendanaan/skema?pesan=disimpan", http.StatusSeeOther)
	return nil
}
