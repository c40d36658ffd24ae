package umkm

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/spreadsheet"
)

// rowInput reads one import row into an Input. A cell that cannot be read
// becomes a field problem with its raw text and the reason; nothing is
// guessed (blank is unknown, "-" is unknown, "0" is zero).
func rowInput(cells []string, pos map[string]int, w *wilayahIndex) (Input, []apperr.Field) {
	var (
		in     Input
		fields []apperr.Field
	)
	bad := func(key string, raw any, msg apperr.Text) {
		fields = append(fields, apperr.Field{Location: key, Value: raw, Message: msg})
	}
	cell := func(key string) string {
		i, ok := pos[key]
		if !ok || i >= len(cells) {
			return ""
		}
		v := strings.TrimSpace(cells[i])
		if v == "-" {
			return ""
		}
		return v
	}
	opt := func(key string) *string {
		if v := cell(key); v != "" {
			return &v
		}
		return nil
	}
	// Formulas have no place in a register and would run when the data is
	// exported and opened again (CSV injection). Text past the first 64 KB
	// of a file is checked for UTF-8 here, row by row.
	for _, c := range Columns { // template order, so the report's order is stable
		key := c.Key
		i, ok := pos[key]
		switch {
		case !ok || i >= len(cells):
		case !utf8.ValidString(cells[i]):
			bad(key, nil, apperr.T("Sel berisi huruf yang bukan UTF-8; simpan berkas sebagai CSV UTF-8.", "The cell is not UTF-8; save the file as CSV UTF-8."))
		case looksLikeFormula(cells[i]) && key != "telepon":
			bad(key, nil, apperr.T("Sel berisi rumus spreadsheet; isi dengan nilai biasa.", "The cell holds a spreadsheet formula; enter a plain value."))
		}
	}
	if len(fields) > 0 {
		return in, fields
	}
	in.NamaPemilik, in.NamaUsaha = cell("nama_pemilik"), cell("nama_usaha")
	in.Sektor = strings.ToLower(cell("sektor"))
	in.NIK, in.Telepon, in.Email = opt("nik"), opt("telepon"), opt("email")
	in.KBLI, in.Produk, in.Alamat, in.RT, in.RW, in.NIB = opt("kbli"), opt("produk"), opt("alamat"), opt("rt"), opt("rw"), opt("nib")
	switch g := strings.ToLower(cell("jenis_kelamin")); g {
	case "":
	case "l", "laki-laki", "laki laki", "pria":
		in.JenisKelamin = ptr("L")
	case "p", "perempuan", "wanita":
		in.JenisKelamin = ptr("P")
	default:
		bad("jenis_kelamin", g, apperr.T("Isi L (laki-laki) atau P (perempuan); kosongkan bila tidak diketahui.", "Use L or P; leave empty when unknown."))
	}
	switch b := strings.ToLower(cell("status_binaan")); b {
	case "":
	case "binaan", "ya", "y":
		in.StatusBinaan = ptr("binaan")
	case "bukan_binaan", "bukan binaan", "tidak", "t":
		in.StatusBinaan = ptr("bukan_binaan")
	default:
		bad("status_binaan", b, apperr.T("Isi binaan atau bukan_binaan.", "Use binaan or bukan_binaan."))
	}
	if v := strings.ToLower(cell("skala_dilaporkan")); v != "" {
		in.SkalaDilaporkan = &v
	}
	if v := cell("saluran_penjualan"); v != "" {
		for _, ch := range strings.FieldsFunc(strings.ToLower(v), func(r rune) bool { return r == ',' || r == ';' || r == '/' }) {
			in.SaluranPenjualan = append(in.SaluranPenjualan, strings.ReplaceAll(strings.TrimSpace(ch), " ", "_"))
		}
	}
	// Regions by Kemendagri code first, then by exact name; a near miss is
	// reported with a suggestion, never taken.
	kec, sug := w.Resolve(cell("kecamatan"), "kecamatan", "")
	if kec == "" {
		msg := apperr.T("Kecamatan tidak dikenal di wilayah kantor ini.", "Unknown kecamatan in this office's regions.")
		if sug != "" {
			msg = apperr.T("Kecamatan tidak dikenal. Mungkin maksudnya "+sug+"?", "Unknown kecamatan. Did you mean "+sug+"?")
		}
		bad("kecamatan", cell("kecamatan"), msg)
	}
	kel, sug := w.Resolve(cell("kelurahan"), "desa_kelurahan", kec)
	if kel == "" && kec != "" {
		msg := apperr.T("Desa/kelurahan tidak dikenal di kecamatan ini.", "Unknown desa/kelurahan in this kecamatan.")
		if sug != "" {
			msg = apperr.T("Desa/kelurahan tidak dikenal. Mungkin maksudnya "+sug+"?", "Unknown desa/kelurahan. Did you mean "+sug+"?")
		}
		bad("kelurahan", cell("kelurahan"), msg)
	}
	in.KecamatanKode, in.KelurahanKode = kec, kel
	for _, m := range []struct {
		key string
		dst **int64
	}{{"modal_usaha", &in.ModalUsaha}, {"omzet_tahunan", &in.OmzetTahunan}, {"total_aset", &in.TotalAset}} {
		v, msg := ParseRupiah(cell(m.key))
		if msg != nil {
			bad(m.key, cell(m.key), *msg)
		}
		*m.dst = v
	}
	for _, n := range []struct {
		key string
		dst **int
	}{{"karyawan_laki", &in.KaryawanLaki}, {"karyawan_perempuan", &in.KaryawanPerempuan}, {"tahun_mulai", &in.TahunMulai}} {
		if v := cell(n.key); v != "" {
			x, err := strconv.Atoi(v)
			if err != nil {
				bad(n.key, v, apperr.T("Harus bilangan bulat.", "Must be a whole number."))
				continue
			}
			*n.dst = &x
		}
	}
	for _, c := range []struct {
		key string
		dst **float64
	}{{"latitude", &in.Latitude}, {"longitude", &in.Longitude}} {
		if v := cell(c.key); v != "" {
			x, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", "."), 64)
			if err != nil {
				bad(c.key, nil, apperr.T("Harus angka desimal (mis. -6.4025).", "Must be a decimal number (e.g. -6.4025)."))
				continue
			}
			*c.dst = &x
		}
	}
	if nib := in.NIB; nib != nil {
		in.Legalitas = append(in.Legalitas, LegalInput{Jenis: LegalNIB, Nomor: nib, Status: StatusTerbit})
	}
	for _, d := range []struct{ key, kind string }{{"nomor_pirt", LegalPIRT}, {"nomor_halal", LegalHalal}} {
		if v := opt(d.key); v != nil {
			in.Legalitas = append(in.Legalitas, LegalInput{Jenis: d.kind, Nomor: v, Status: StatusTerbit})
		}
	}
	if v := opt("nomor_bpom"); v != nil {
		kind := LegalBPOMMD
		if strings.HasPrefix(strings.ToUpper(*v), "ML") {
			kind = LegalBPOMML
		}
		in.Legalitas = append(in.Legalitas, LegalInput{Jenis: kind, Nomor: v, Status: StatusTerbit})
	}
	return in, fields
}

var (
	looksLikeFormula = spreadsheet.LooksLikeFormula
	safeCell         = spreadsheet.SafeCell
)
