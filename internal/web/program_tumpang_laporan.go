package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/program"
	"github.com/sentra-id/sentra/internal/tumpang"
)

// The overlap report (list-tumpang): per programme type and year, the
// businesses that got the same kind of help two or more times, from this
// office's programmes (whichever agency owns them) or other agencies'
// lists, with the agencies and programmes; the totals above. A petugas
// sees their regions only (tumpang.View), as in the API.

// tumpangLaporanView is the overlap report page.
type tumpangLaporanView struct {
	Halaman
	Tahun, Jenis string
	JenisKata    string
	JenisOpsi    []Opsi
	Galat        map[string]string
	Pesan        string
	Ringkas      tumpang.RingkasGanda
	Items        []BarisGanda
	Berikutnya   string
}

// BarisGanda is a business of the report with its region's names.
type BarisGanda struct {
	tumpang.Ganda
	Kecamatan, Kelurahan string
}

// Pilih is the select nama of the filter form.
func (v *tumpangLaporanView) Pilih(nama, label, nilai, semua string, o []Opsi) Pilih {
	return Pilih{Nama: nama, Label: label, Nilai: nilai, Semua: semua, Opsi: o, Pesan: v.Galat[nama]}
}

// laporanTumpang shows the report of the year and type asked for; without
// them, this year's training, the kind of help most often repeated.
func (a *App) laporanTumpang(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	in := r.URL.Query()
	v := &tumpangLaporanView{Halaman: q.Halaman("Laporan tumpang tindih bantuan", "program"),
		Tahun: strings.TrimSpace(in.Get("tahun")), Jenis: in.Get("jenis"),
		JenisOpsi: opsi(program.AllJenis, program.JenisLabel), Galat: map[string]string{}}
	if !in.Has("tahun") {
		today, err := q.T.Today(time.Now())
		if err != nil {
			return err
		}
		v.Tahun = strconv.Itoa(today.Year())
	}
	if !in.Has("jenis") {
		v.Jenis = "pelatihan"
	}
	f := tumpang.LaporanFilter{Jenis: v.Jenis, Cursor: in.Get("cursor"), Limit: 50}
	// Not a number is the service's "year required" beside the field.
	f.Tahun, _ = strconv.Atoi(v.Tahun)
	view, err := a.tumpangView(q)
	if err != nil {
		return err
	}
	page, err := a.Tumpang.Laporan(q.ctx, q.T, f, view)
	if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindInvalid {
		v.Pesan, v.Galat = ae.Message.ID, fieldMessages(ae)
		a.render(w, r, http.StatusUnprocessableEntity, v)
		return nil
	} else if err != nil {
		return err
	}
	if v.Ringkas, err = a.Tumpang.RingkasLaporan(q.ctx, q.T, f, view); err != nil {
		return err
	}
	reg, err := a.wilayah(q)
	if err != nil {
		return err
	}
	v.JenisKata = label(program.JenisLabel, v.Jenis)
	for _, g := range page.Items {
		v.Items = append(v.Items, BarisGanda{Ganda: g, Kecamatan: reg.nama[g.KecamatanKode], Kelurahan: reg.nama[g.KelurahanKode]})
	}
	if page.NextCursor != "" {
		v.Berikutnya = r.URL.Path + "?" + url.Values{"tahun": {v.Tahun}, "jenis": {v.Jenis}, "cursor": {page.NextCursor}}.Encode()
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}
