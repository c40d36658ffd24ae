package umkm

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/spreadsheet"
)

// rowInput reads one import row into an Input. A cell that cannot be read
// becomes a field problem with its raw text and the reason; nothing is
// guessed (blank is unknown, "-" is unknown, "0" is zero). A cell read in
// another form than it was written comes with a note saying how.
func rowInput(cells []string, pos layout, w *wilayahIndex) (in Input, fields, notes []apperr.Field) {
	bad := func(key string, raw any, msg apperr.Text) {
		fields = append(fields, apperr.Field{Location: key, Value: raw, Message: msg})
	}
	cell := func(col int) string {
		i := pos[col]
		if i < 0 || i >= len(cells) {
			return ""
		}
		v := strings.TrimSpace(cells[i])
		if v == "-" {
			return ""
		}
		return v
	}
	opt := func(col int) *string {
		if v := cell(col); v != "" {
			return &v
		}
		return nil
	}
	// Formulas have no place in a register and would run when the data is
	// exported and opened again (CSV injection). Text past the first 64 KB
	// of a file is checked for UTF-8 here, row by row.
	for col, c := range Columns { // template order, so the report's order is stable
		key, i := c.Key, pos[col]
		switch {
		case i < 0 || i >= len(cells):
		case !utf8.ValidString(cells[i]):
			bad(key, nil, apperr.T("Sel berisi huruf yang bukan UTF-8; simpan berkas sebagai CSV UTF-8.", "The cell is not UTF-8; save the file as CSV UTF-8."))
		case looksLikeFormula(cells[i]) && key != "telepon":
			bad(key, nil, apperr.T("Sel berisi rumus spreadsheet; isi dengan nilai biasa.", "The cell holds a spreadsheet formula; enter a plain value."))
		}
	}
	if len(fields) > 0 {
		return in, fields, nil
	}
	in.NamaPemilik, in.NamaUsaha = cell(colNamaPemilik), cell(colNamaUsaha)
	in.Sektor = strings.ToLower(cell(colSektor)) // blank: validate says it is required
	for _, c := range []struct {
		col int
		f   codedField
		dst **string
	}{{colJenisKelamin, jenisKelaminField, &in.JenisKelamin}, {colStatusBinaan, statusBinaanField, &in.StatusBinaan},
		{colSkalaDilaporkan, skalaField, &in.SkalaDilaporkan}, {colSektor, sektorField, nil}} {
		code, ok := c.f.read(cell(c.col))
		switch {
		case !ok:
			bad(c.f.key, cell(c.col), c.f.refusal())
		case c.dst == nil && code != "":
			in.Sektor = code
		case c.dst != nil && code != "":
			*c.dst = &code
		}
	}
	in.NIK, in.Telepon, in.Email = opt(colNIK), opt(colTelepon), opt(colEmail)
	in.KBLI, in.Produk, in.Alamat, in.RT, in.RW, in.NIB = opt(colKBLI), opt(colProduk), opt(colAlamat), opt(colRT), opt(colRW), opt(colNIB)
	if in.KBLI != nil {
		kode, note := readKBLI(*in.KBLI)
		if note != nil {
			notes = append(notes, *note)
		}
		in.KBLI = &kode
	}
	if v := cell(colSaluranPenjualan); v != "" {
		for _, item := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == '/' }) {
			code, ok := saluranField.read(item)
			if !ok {
				bad(saluranField.key, v, saluranField.refusal())
				in.SaluranPenjualan = nil
				break
			}
			if code != "" && !slices.Contains(in.SaluranPenjualan, code) { // "Instagram, Facebook" is one channel
				in.SaluranPenjualan = append(in.SaluranPenjualan, code)
			}
		}
	}
	// Regions by Kemendagri code or by name as offices write them; a near
	// miss or an ambiguous name is refused with the candidates, never taken.
	kec, kel, problems, note := w.ReadCells(cell(colKecamatan), cell(colKelurahan))
	for _, p := range problems {
		bad(p.Field, p.Value, p.Text)
	}
	if note != nil {
		notes = append(notes, apperr.Field{Location: "kecamatan", Message: *note})
	}
	in.KecamatanKode, in.KelurahanKode = kec, kel
	for _, m := range []struct {
		col int
		dst **int64
	}{{colModalUsaha, &in.ModalUsaha}, {colOmzetTahunan, &in.OmzetTahunan}, {colTotalAset, &in.TotalAset}} {
		v, msg := ParseRupiah(cell(m.col))
		if msg != nil {
			bad(Columns[m.col].Key, cell(m.col), *msg)
		}
		*m.dst = v
	}
	for _, n := range []struct {
		col int
		dst **int
	}{{colKaryawanLaki, &in.KaryawanLaki}, {colKaryawanPerempuan, &in.KaryawanPerempuan}, {colTahunMulai, &in.TahunMulai}} {
		if v := cell(n.col); v != "" {
			x, err := strconv.Atoi(v)
			if err != nil {
				bad(Columns[n.col].Key, v, apperr.T("Harus bilangan bulat.", "Must be a whole number."))
				continue
			}
			*n.dst = &x
		}
	}
	for _, c := range []struct {
		col int
		dst **float64
	}{{colLatitude, &in.Latitude}, {colLongitude, &in.Longitude}} {
		if v := cell(c.col); v != "" {
			x, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", "."), 64)
			if err != nil {
				bad(Columns[c.col].Key, nil, apperr.T("Harus angka desimal (mis. -6.4025).", "Must be a decimal number (e.g. -6.4025)."))
				continue
			}
			*c.dst = &x
		}
	}
	if nib := in.NIB; nib != nil {
		in.Legalitas = append(in.Legalitas, LegalInput{Jenis: LegalNIB, Nomor: nib, Status: StatusTerbit})
	}
	for _, d := range []struct {
		col  int
		kind string
	}{{colNomorPIRT, LegalPIRT}, {colNomorHalal, LegalHalal}} {
		if v := opt(d.col); v != nil {
			in.Legalitas = append(in.Legalitas, LegalInput{Jenis: d.kind, Nomor: v, Status: StatusTerbit})
		}
	}
	if v := opt(colNomorBPOM); v != nil {
		kind := LegalBPOMMD
		if strings.HasPrefix(strings.ToUpper(*v), "ML") {
			kind = LegalBPOMML
		}
		in.Legalitas = append(in.Legalitas, LegalInput{Jenis: kind, Nomor: v, Status: StatusTerbit})
	}
	return in, fields, notes
}

var (
	looksLikeFormula = spreadsheet.LooksLikeFormula
	safeCell         = spreadsheet.SafeCell
)
