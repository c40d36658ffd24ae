package umkm

import (
	"errors"
	"fmt"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/batas"
)

// ToleransiBatas is how far (metres) a point may lie outside a boundary and
// still count as inside: the outlines are indicative (internal/batas), phone
// GPS is off by 5–20 m, and a geocoded address snaps to its street, which is
// often the boundary itself.
const ToleransiBatas = 100.0

func inIndonesia(lat, lon float64) bool { return lat >= -11 && lat <= 6 && lon >= 95 && lon <= 141 } // NaN is not

// checkPoint checks a record's coordinates: inside Indonesia, and, where the
// office has boundaries (batas), inside the office give or take
// ToleransiBatas. A point outside is refused, never kept as the office's; a
// point inside the office but not in the row's own desa/kelurahan is kept
// with a note naming where it lies. kelurahan is the row's checked
// desa/kelurahan ("" when its region is wrong, which is reported apart).
// The values are personal data (a home business) and are not echoed.
func (s *Service) checkPoint(f *fieldErrs, lat, lon float64, kelurahan string, w *wilayahIndex) *apperr.Field {
	switch {
	case lat == 0 && lon == 0:
		f.add("latitude", nil, apperr.T("Koordinat 0,0 bukan lokasi usaha; kosongkan latitude dan longitude bila tidak diketahui.",
			"0,0 is not a business's location; leave latitude and longitude empty when unknown."))
		return nil
	case !inIndonesia(lat, lon) && inIndonesia(lon, lat):
		f.add("latitude", nil, apperr.T("Koordinat berada di luar Indonesia; tampaknya lintang dan bujur tertukar: latitude (lintang) Indonesia antara -11 dan 6, longitude (bujur) antara 95 dan 141.",
			"The coordinates are outside Indonesia; latitude and longitude seem swapped: Indonesia's latitude is -11 to 6, its longitude 95 to 141."))
		return nil
	case !inIndonesia(lat, lon):
		f.add("latitude", nil, apperr.T("Koordinat berada di luar Indonesia.", "The coordinates are outside Indonesia."))
		return nil
	case kelurahan == "":
		return nil
	}
	bt, err := batas.Load(kelurahan[:5]) // PP.KK: the office's kabupaten/kota
	if errors.Is(err, batas.ErrTidakAda) {
		return nil // an office without boundaries: the range above is all
	}
	if err != nil { // the embedded files are read by their tests; never a user's fault
		s.Logger.Error("load boundaries", "kabkota", kelurahan[:5], "error", err)
		return nil
	}
	p := batas.Point{Lon: lon, Lat: lat}
	own, _ := bt.ByKode(kelurahan)
	if own != nil && own.Contains(p) { // the common case: one polygon test
		return nil
	}
	d, dist, ok := bt.Nearest(p, ToleransiBatas)
	if !ok {
		f.add("latitude", nil, apperr.T(fmt.Sprintf("Koordinat berada di luar wilayah kantor ini (lebih dari %.0f m dari batasnya); periksa titiknya, atau kosongkan bila tidak diketahui.", ToleransiBatas),
			fmt.Sprintf("The coordinates are outside this office's area (more than %.0f m from its boundary); check the point, or leave it empty when unknown.", ToleransiBatas)))
		return nil
	}
	if own != nil && (d == own || own.Distance(p) <= ToleransiBatas) {
		return nil // on the row's own boundary, within its imprecision
	}
	where := "desa/kelurahan " + d.Nama
	if k, ok := w.ByKode[d.Kecamatan]; ok {
		where += " (Kecamatan " + k.Nama + ")"
	}
	mine := kelurahan
	if r, ok := w.ByKode[kelurahan]; ok {
		mine = r.Nama
	}
	id, en := "Titik koordinat berada di "+where+", bukan di "+mine+", desa/kelurahan baris ini.",
		"The point lies in "+where+", not in "+mine+", the row's desa/kelurahan."
	if dist > 0 {
		id, en = fmt.Sprintf("Titik koordinat berada sedikit di luar batas kantor, %.0f m dari %s, bukan di %s, desa/kelurahan baris ini.", dist, where, mine),
			fmt.Sprintf("The point lies just outside the office's boundary, %.0f m from %s, not in %s, the row's desa/kelurahan.", dist, where, mine)
	}
	return &apperr.Field{Location: f.prefix + ".latitude", Message: apperr.T(id, en)}
}
