package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/umkm"
)

// The create and edit forms of a business. Field names are the API's JSON
// names (umkm.Input), so the service's field errors ("body.nib") land
// beside their field; a legal document is legalitas_<jenis>_{status,nomor,
// berlaku}. Everything typed comes back on a mistake or a conflict.

// umkmFormView is the form of a new business (ID "") or of an existing one.
type umkmFormView struct {
	Halaman
	ID    string
	Versi int64
	Isi   url.Values
	Galat map[string]string
	Pesan string
	// Lain is the other version when someone saved the record since the
	// form was opened: the fields where theirs differs from what is typed.
	Lain       []Beda
	LainPada   time.Time
	Ada        string // the record that already holds the NIK or NIB typed
	BisaPII    bool   // the caller sees personal data (else it is not asked for)
	Kecamatan  []Opsi
	Kelurahan  []Grup
	Sektor     []Opsi
	JK         []Opsi
	Binaan     []Opsi
	Skala      []Opsi
	Saluran    []Opsi
	Legal      []Opsi
	LegalState []Opsi
}

// Beda is a field where the saved version differs from the form.
type Beda struct{ Label, Anda, Mereka string }

// Nilai is the value typed in field nama.
func (v *umkmFormView) Nilai(nama string) string { return v.Isi.Get(nama) }

// Dipilih reports whether value is among those chosen in field nama.
func (v *umkmFormView) Dipilih(nama, value string) bool { return slices.Contains(v.Isi[nama], value) }

// Pilih is the select nama of the form.
func (v *umkmFormView) Pilih(nama, label, semua string, o []Opsi) Pilih {
	return Pilih{Nama: nama, Label: label, Nilai: v.Isi.Get(nama), Semua: semua, Opsi: o, Pesan: v.Galat[nama]}
}

// Teks is what the umkm-teks partial needs of a text field.
type Teks struct {
	Nama, Label, Nilai, Pesan, Jenis, Petunjuk, Mode, Auto string
	Wajib                                                  bool
	Maks                                                   int
}

// Teks is the text field nama of the form; opts are key=value pairs:
// jenis (input type), petunjuk (hint), mode (inputmode), auto
// (autocomplete), maks (maxlength), wajib.
func (v *umkmFormView) Teks(nama, label string, opts ...string) Teks {
	return teksIsian(v.Isi, v.Galat, nama, label, opts)
}

// teksIsian is the text field nama of a form filled with isi, its message
// from galat; opts as for umkmFormView.Teks.
func teksIsian(isi url.Values, galat map[string]string, nama, label string, opts []string) Teks {
	t := Teks{Nama: nama, Label: label, Nilai: isi.Get(nama), Pesan: galat[nama], Jenis: "text", Auto: "off"}
	for _, o := range opts {
		k, val, _ := strings.Cut(o, "=")
		switch k {
		case "jenis":
			t.Jenis = val
		case "petunjuk":
			t.Petunjuk = val
		case "mode":
			t.Mode = val
		case "auto":
			t.Auto = val
		case "maks":
			t.Maks, _ = strconv.Atoi(val)
		case "wajib":
			t.Wajib = true
		}
	}
	return t
}

// Desc names the hint and the message of the field (aria-describedby).
func (t Teks) Desc() string {
	var ids []string
	if t.Petunjuk != "" {
		ids = append(ids, t.Nama+"-petunjuk")
	}
	if t.Pesan != "" {
		ids = append(ids, t.Nama+"-galat")
	}
	return strings.Join(ids, " ")
}

// formFields are the form's single-valued fields with their words, in the
// order the conflict table lists them.
var formFields = []struct{ nama, label string }{
	{"nama_usaha", "Nama usaha"}, {"nama_pemilik", "Nama pemilik"}, {"nik", "NIK"}, {"jenis_kelamin", "Jenis kelamin"},
	{"telepon", "Telepon"}, {"email", "Email"}, {"sektor", "Sektor"}, {"kbli", "KBLI"}, {"produk", "Produk"},
	{"alamat", "Alamat"}, {"rt", "RT"}, {"rw", "RW"}, {"kecamatan_kode", "Kecamatan"}, {"kelurahan_kode", "Desa/kelurahan"},
	{"latitude", "Latitude"}, {"longitude", "Longitude"}, {"modal_usaha", "Modal usaha"}, {"omzet_tahunan", "Omzet tahunan"},
	{"total_aset", "Total aset"}, {"karyawan_laki", "Karyawan laki-laki"}, {"karyawan_perempuan", "Karyawan perempuan"},
	{"tahun_mulai", "Tahun mulai"}, {"nib", "NIB"}, {"status_binaan", "Status binaan"}, {"skala_dilaporkan", "Skala menurut pemilik"},
}

// fromRecord is a record as the form shows it.
func fromRecord(r umkm.Record) url.Values {
	v := url.Values{}
	set := func(k string, p *string) {
		if p != nil {
			v.Set(k, *p)
		}
	}
	v.Set("nama_usaha", r.NamaUsaha)
	v.Set("nama_pemilik", r.NamaPemilik)
	set("nik", r.NIK)
	set("jenis_kelamin", r.JenisKelamin)
	set("telepon", r.Telepon)
	set("email", r.Email)
	v.Set("sektor", r.Sektor)
	set("kbli", r.KBLI)
	set("produk", r.Produk)
	set("alamat", r.Alamat)
	set("rt", r.RT)
	set("rw", r.RW)
	v.Set("kecamatan_kode", r.KecamatanKode)
	v.Set("kelurahan_kode", r.KelurahanKode)
	if r.Latitude != nil && r.Longitude != nil {
		v.Set("latitude", strconv.FormatFloat(*r.Latitude, 'f', -1, 64))
		v.Set("longitude", strconv.FormatFloat(*r.Longitude, 'f', -1, 64))
	}
	for k, p := range map[string]*int64{"modal_usaha": r.ModalUsaha, "omzet_tahunan": r.OmzetTahunan, "total_aset": r.TotalAset} {
		if p != nil {
			v.Set(k, strconv.FormatInt(*p, 10))
		}
	}
	for k, p := range map[string]*int{"karyawan_laki": r.KaryawanLaki, "karyawan_perempuan": r.KaryawanPerempuan, "tahun_mulai": r.TahunMulai} {
		if p != nil {
			v.Set(k, strconv.Itoa(*p))
		}
	}
	set("nib", r.NIB)
	v.Set("status_binaan", r.StatusBinaan)
	set("skala_dilaporkan", r.SkalaDilaporkan)
	v["saluran_penjualan"] = slices.Clone(r.SaluranPenjualan)
	for _, d := range r.Legalitas {
		v.Set("legalitas_"+d.Jenis+"_status", d.Status)
		set("legalitas_"+d.Jenis+"_nomor", d.Nomor)
		if d.BerlakuSampai != nil {
			v.Set("legalitas_"+d.Jenis+"_berlaku", d.BerlakuSampai.Format(time.DateOnly))
		}
	}
	return v
}

// rupiahDigits: 1.500.000, "1 500 000" and "Rp 1.500.000" are 1500000.
var rupiahDigits = regexp.MustCompile(`^(?:Rp\.?\s*)?[0-9][0-9. ]*$`)

// textRupiah is the message of an amount that does not read as rupiah.
const textRupiah = "Isi rupiah tanpa sen, mis. 15.000.000."

// bacaRupiah reads an amount of whole rupiah as typed.
func bacaRupiah(s string) (int64, bool) {
	n, err := strconv.ParseInt(strings.NewReplacer("Rp", "", ".", "", " ", "").Replace(s), 10, 64)
	return n, err == nil && rupiahDigits.MatchString(s)
}

// toInput reads the form as the API's body; a number that does not read
// as one has its message at once (the API's schema refuses it the same).
func toInput(f url.Values) (umkm.Input, []string, map[string]string) {
	g := map[string]string{}
	opt := func(k string) *string {
		if s := strings.TrimSpace(f.Get(k)); s != "" {
			return &s
		}
		return nil
	}
	in := umkm.Input{NamaPemilik: f.Get("nama_pemilik"), NIK: opt("nik"), JenisKelamin: opt("jenis_kelamin"), Telepon: opt("telepon"),
		Email: opt("email"), NamaUsaha: f.Get("nama_usaha"), Sektor: f.Get("sektor"), KBLI: opt("kbli"), Produk: opt("produk"),
		Alamat: opt("alamat"), RT: opt("rt"), RW: opt("rw"), KecamatanKode: f.Get("kecamatan_kode"),
		KelurahanKode: f.Get("kelurahan_kode"), NIB: opt("nib"), StatusBinaan: opt("status_binaan"),
		SkalaDilaporkan: opt("skala_dilaporkan"), SaluranPenjualan: f["saluran_penjualan"]}
	for k, p := range map[string]**float64{"latitude": &in.Latitude, "longitude": &in.Longitude} {
		if s := opt(k); s != nil {
			n, err := strconv.ParseFloat(strings.ReplaceAll(*s, ",", "."), 64)
			if err != nil {
				g[k] = "Isi angka desimal, mis. -6,4025."
				continue
			}
			*p = &n
		}
	}
	for k, p := range map[string]**int64{"modal_usaha": &in.ModalUsaha, "omzet_tahunan": &in.OmzetTahunan, "total_aset": &in.TotalAset} {
		if s := opt(k); s != nil {
			n, ok := bacaRupiah(*s)
			if !ok {
				g[k] = textRupiah
				continue
			}
			*p = &n
		}
	}
	for k, p := range map[string]**int{"karyawan_laki": &in.KaryawanLaki, "karyawan_perempuan": &in.KaryawanPerempuan, "tahun_mulai": &in.TahunMulai} {
		if s := opt(k); s != nil {
			n, err := strconv.Atoi(strings.ReplaceAll(*s, ".", ""))
			if err != nil {
				g[k] = "Isi bilangan bulat."
				continue
			}
			*p = &n
		}
	}
	// Legal documents in the API's order of kinds; kinds[i] is the kind
	// of legalitas[i], to put the service's messages beside their fields.
	in.Legalitas = []umkm.LegalInput{}
	var kinds []string
	for _, j := range umkm.LegalKinds {
		status := f.Get("legalitas_" + j + "_status")
		if status == "" {
			continue
		}
		in.Legalitas = append(in.Legalitas, umkm.LegalInput{Jenis: j, Status: status, Nomor: opt("legalitas_" + j + "_nomor"),
			BerlakuSampai: opt("legalitas_" + j + "_berlaku")})
		kinds = append(kinds, j)
	}
	return in, kinds, g
}

// legalField maps the API's legalitas[i].x and saluran_penjualan[i] to
// the form's fields.
var legalField = regexp.MustCompile(`^legalitas\[(\d+)\]\.(\w+)$`)

func formMessages(ae *apperr.Error, kinds []string) map[string]string {
	g := map[string]string{}
	for k, m := range fieldMessages(ae) {
		if s := legalField.FindStringSubmatch(k); s != nil {
			i, _ := strconv.Atoi(s[1])
			if i < len(kinds) {
				part := s[2]
				if part == "berlaku_sampai" {
					part = "berlaku"
				} else if part == "jenis" {
					part = "status"
				}
				k = "legalitas_" + kinds[i] + "_" + part
			}
		} else if strings.HasPrefix(k, "saluran_penjualan[") {
			k = "saluran_penjualan"
		}
		if _, dup := g[k]; !dup {
			g[k] = m
		}
	}
	return g
}

func (a *App) formView(q *Permintaan, judul string, isi url.Values, htmx bool) (*umkmFormView, error) {
	reg, err := a.wilayah(q)
	if err != nil {
		return nil, err
	}
	_, view, err := umkm.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return nil, err
	}
	return &umkmFormView{Halaman: q.Halaman(judul, "umkm"), Isi: isi, BisaPII: view.PII,
		Kecamatan: reg.kecamatan, Kelurahan: reg.kelurahanOf(isi.Get("kecamatan_kode"), htmx),
		Sektor: opsi(umkm.Sectors, labelSektor), JK: opsi(jkKode, labelJenisKelamin), Binaan: opsi(binaanKode, labelBinaan),
		Skala: opsi(skalaKode, labelSkala), Saluran: opsi(umkm.Channels, labelSaluran), Legal: opsi(umkm.LegalKinds, labelLegal),
		LegalState: opsi([]string{umkm.StatusTerbit, umkm.StatusDalamProses, umkm.StatusBelum}, labelLegalStatus)}, nil
}

// baruForm is the empty form of a new business; a kecamatan in the query
// narrows the desa/kelurahan (what htmx asks when one is chosen).
func (a *App) baruForm(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	isi := url.Values{"status_binaan": {"bukan_binaan"}}
	in := r.URL.Query()
	if k := in.Get("kecamatan_kode"); k != "" {
		isi.Set("kecamatan_kode", k)
	}
	// Filled in from a row of an agency's list (luar.go): the staff check
	// and complete it before saving.
	for _, k := range []string{"nama_usaha", "nama_pemilik", "nib"} {
		if v := in.Get(k); v != "" {
			isi.Set(k, v)
		}
	}
	if k := in.Get("kelurahan_kode"); len(k) == len("32.76.01.1006") {
		isi.Set("kecamatan_kode", k[:8])
		isi.Set("kelurahan_kode", k)
	}
	v, err := a.formView(q, "Daftarkan usaha", isi, r.Header.Get("HX-Request") == "true")
	if err != nil {
		return err
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// buat registers a business from the form.
func (a *App) buat(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	in, kinds, g := toInput(r.PostForm)
	sc, _, err := umkm.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return err
	}
	var rec umkm.Record
	if len(g) == 0 {
		err = a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
			rec, err = a.UMKM.CreateTx(q.ctx, tx, q.T, in, umkm.SourceStaf, sc)
			return err
		})
	}
	if len(g) > 0 || err != nil {
		return a.formAgain(w, r, q, "Daftarkan usaha", nil, g, kinds, err)
	}
	http.Redirect(w, r, recordPath(q.T, rec.ID.String())+"?pesan=dibuat", http.StatusSeeOther)
	return nil
}

// formAgain shows the form as typed with the messages of parse (g) or of
// the service (err); a fault of ours is returned.
func (a *App) formAgain(w http.ResponseWriter, r *http.Request, q *Permintaan, judul string, id *string, g map[string]string, kinds []string, err error) error {
	status := http.StatusUnprocessableEntity
	var ae *apperr.Error
	if err != nil {
		var ok bool
		if ae, ok = apperr.As(err); !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict) {
			return err
		}
		g = formMessages(ae, kinds)
	}
	v, verr := a.formView(q, judul, r.PostForm, false)
	if verr != nil {
		return verr
	}
	v.Galat = g
	v.Pesan = "Data UMKM tidak valid. Periksa isian yang disebutkan."
	if ae != nil {
		v.Pesan = ae.Message.ID
		if ae.Kind == apperr.KindConflict {
			status = http.StatusConflict
			if i := strings.LastIndex(ae.Existing, "/umkm/"); i >= 0 {
				v.Ada = recordPath(q.T, ae.Existing[i+len("/umkm/"):])
			}
		}
	}
	if id != nil {
		v.ID = *id
		v.Versi, _ = strconv.ParseInt(r.PostForm.Get("versi"), 10, 64)
	}
	a.render(w, r, status, v)
	return nil
}

// ubahForm is the form of an existing business, filled with it.
func (a *App) ubahForm(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rec, _, view, err := a.baca(q, id)
	if err != nil {
		return err
	}
	if rec.ArchivedAt != nil {
		return apperr.Conflict(apperr.T("UMKM ini sudah diarsipkan.", "This UMKM is archived."), "")
	}
	if !view.PII {
		// The form would send masked personal data back as the new value.
		return apperr.Forbidden()
	}
	v, err := a.formView(q, "Ubah "+rec.NamaUsaha, fromRecord(rec), false)
	if err != nil {
		return err
	}
	v.ID, v.Versi = rec.ID.String(), rec.Version
	a.render(w, r, http.StatusOK, v)
	return nil
}

// ubah saves the form at the version it was opened with. When someone
// saved in between, the form comes back as typed with their version beside
// it and the new version to overwrite it deliberately.
func (a *App) ubah(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	k, err := a.kiriman(w, r, q)
	if err != nil {
		return err
	}
	in, kinds, g := toInput(r.PostForm)
	sid := k.id.String()
	if len(g) > 0 {
		return a.formAgain(w, r, q, "Ubah "+in.NamaUsaha, &sid, g, kinds, nil)
	}
	_, err = a.UMKM.Update(q.ctx, q.T, k.id, k.version, in, k.sc)
	if apperr.KindOf(err) == apperr.KindPreconditionFailed {
		cur, gerr := a.UMKM.Get(q.ctx, q.T, k.id, k.sc, k.view)
		if gerr != nil {
			return gerr
		}
		v, verr := a.formView(q, "Ubah "+cur.NamaUsaha, r.PostForm, false)
		if verr != nil {
			return verr
		}
		v.ID, v.Versi, v.LainPada = sid, cur.Version, cur.UpdatedAt
		v.Pesan = "Data ini sudah diubah orang lain sejak Anda membukanya. Isian Anda masih di formulir; " +
			"periksa versi mereka di bawah, lalu simpan lagi untuk menimpanya."
		v.Lain = differences(r.PostForm, fromRecord(cur))
		a.render(w, r, http.StatusPreconditionFailed, v)
		return nil
	}
	if err != nil {
		return a.formAgain(w, r, q, "Ubah "+in.NamaUsaha, &sid, nil, kinds, err)
	}
	http.Redirect(w, r, recordPath(q.T, sid)+"?pesan=disimpan", http.StatusSeeOther)
	return nil
}

// differences are the fields where theirs (the saved version) differs from
// yours (the form), in the form's words.
func differences(yours, theirs url.Values) []Beda {
	var out []Beda
	for _, f := range formFields {
		a, b := strings.TrimSpace(yours.Get(f.nama)), strings.TrimSpace(theirs.Get(f.nama))
		if a != b {
			out = append(out, Beda{Label: f.label, Anda: a, Mereka: b})
		}
	}
	a, b := slices.Sorted(slices.Values(yours["saluran_penjualan"])), slices.Sorted(slices.Values(theirs["saluran_penjualan"]))
	if !slices.Equal(a, b) {
		out = append(out, Beda{Label: "Saluran penjualan", Anda: strings.Join(a, ", "), Mereka: strings.Join(b, ", ")})
	}
	for _, j := range umkm.LegalKinds {
		for _, part := range []struct{ k, l string }{{"status", "status"}, {"nomor", "nomor"}, {"berlaku", "berlaku sampai"}} {
			k := "legalitas_" + j + "_" + part.k
			if x, y := strings.TrimSpace(yours.Get(k)), strings.TrimSpace(theirs.Get(k)); x != y {
				out = append(out, Beda{Label: fmt.Sprintf("%s: %s", label(labelLegal, j), part.l), Anda: x, Mereka: y})
			}
		}
	}
	return out
}
