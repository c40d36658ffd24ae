package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/program"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Programmes and assistance (Program): the list with the filters of
// list-program, the office's agencies, and the create and edit form. Field
// names are the API's JSON names (program.Input), so the service's field
// errors land beside their field. The eligibility rules are one checkbox
// per kind of rule with its accepted values; the service validates them.
// The programme's page and its participants are program_rekam.go.

// The words of the programme codes.
var (
	labelSumberDana = map[string]string{"apbd": "APBD", "apbn": "APBN", "dekon": "Dekonsentrasi", "provinsi": "Provinsi",
		"kelurahan": "Kelurahan", "baznas": "Baznas", "csr": "CSR", "bank": "Bank", "lainnya": "Lainnya"}
	labelSatuan        = map[string]string{"orang": "Orang", "usaha": "Usaha", "koperasi": "Koperasi"}
	labelStatusProgram = map[string]string{"rencana": "Rencana", "dibuka": "Dibuka", "berjalan": "Berjalan", "selesai": "Selesai", "batal": "Batal"}
	labelAgensi        = map[string]string{"kantor": "Kantor ini", "opd": "OPD", "kelurahan": "Kelurahan", "provinsi": "Provinsi",
		"baznas": "Baznas", "bank": "Bank", "csr": "CSR", "lainnya": "Lainnya"}
	labelAturan = map[string]string{"domisili": "Berdomisili (NIK) di kabupaten/kota ini", "terdaftar": "Terdaftar aktif di database",
		"binaan": "UMKM binaan", "punya_nib": "Memiliki NIB", "skala": "Skala usaha", "sektor": "Sektor", "kecamatan": "Kecamatan",
		"kelurahan": "Desa/kelurahan", "jenis_kelamin": "Jenis kelamin pemilik", "pernah_program": "Pernah menyelesaikan program",
		"pernah_jenis": "Pernah menyelesaikan program jenis", "bukan_asn": "Bukan ASN/TNI/Polri/pegawai BUMN (pernyataan)",
		"koperasi_sehat": "Predikat kesehatan koperasi", "rat_tepat_waktu": "RAT koperasi tepat waktu"}
	// petunjukAturan are the values a list rule accepts, as a hint.
	petunjukAturan = map[string]string{"skala": "mikro, kecil, menengah, besar", "sektor": "kode sektor, mis. kuliner, fesyen",
		"kecamatan": "kode kecamatan, mis. 32.76.01", "kelurahan": "kode desa/kelurahan, mis. 32.76.01.1001", "jenis_kelamin": "L, P",
		"pernah_jenis": strings.Join(program.AllJenis, ", "), "koperasi_sehat": "kosong: sehat; atau sehat, cukup_sehat, …"}
	// nilaiAturan are the rules that take a list of values.
	nilaiAturan = []string{"skala", "sektor", "kecamatan", "kelurahan", "jenis_kelamin", "pernah_jenis", "koperasi_sehat"}
)

// BarisProgram is a programme with its codes in words.
type BarisProgram struct {
	program.Program
	Jenis, Sumber, Satuan, Status string
}

func barisProgram(p program.Program) BarisProgram {
	return BarisProgram{Program: p, Jenis: label(program.JenisLabel, p.Jenis), Sumber: label(labelSumberDana, p.SumberDana),
		Satuan: label(labelSatuan, p.Satuan), Status: label(labelStatusProgram, p.Status)}
}

// programFilter is the list's query as typed, with the API's names.
type programFilter struct {
	Q, Jenis, Tahun, Status, Agensi string
	Arsip                           bool
}

func readProgramFilter(in url.Values) programFilter {
	return programFilter{Q: strings.TrimSpace(in.Get("q")), Jenis: in.Get("jenis"), Tahun: strings.TrimSpace(in.Get("tahun")),
		Status: in.Get("status"), Agensi: in.Get("agensi"), Arsip: in.Get("arsip") == "true"}
}

func (f programFilter) values() url.Values {
	v := url.Values{}
	for _, p := range []struct{ k, v string }{{"q", f.Q}, {"jenis", f.Jenis}, {"tahun", f.Tahun}, {"status", f.Status}, {"agensi", f.Agensi}} {
		if p.v != "" {
			v.Set(p.k, p.v)
		}
	}
	if f.Arsip {
		v.Set("arsip", "true")
	}
	return v
}

// check applies the API's bounds of the same parameters and makes the
// service's filter.
func (f programFilter) check() (program.Filter, map[string]string) {
	g := checkCari(f.Q, "", "", &wilayah{})
	out := program.Filter{Q: f.Q, Jenis: f.Jenis, Status: f.Status, Arsip: f.Arsip}
	if f.Jenis != "" && !slices.Contains(program.AllJenis, f.Jenis) {
		g["jenis"] = textPilihan
	}
	if f.Status != "" && !slices.Contains(program.AllStatus, f.Status) {
		g["status"] = textPilihan
	}
	if f.Tahun != "" {
		n, err := strconv.Atoi(f.Tahun)
		if err != nil || n < 2000 || n > 2100 {
			g["tahun"] = "Tahun anggaran 2000–2100."
		}
		out.Tahun = n
	}
	if f.Agensi != "" {
		id, err := uuid.Parse(f.Agensi)
		if err != nil {
			g["agensi"] = textPilihan
		}
		out.AgensiID = id
	}
	if len(g) == 0 {
		g = nil
	}
	return out, g
}

// programListView is the office's programmes and its agencies.
type programListView struct {
	Halaman
	F                            programFilter
	JenisOpsi, StatusOpsi        []Opsi
	AgensiOpsi, AgensiJenisOpsi  []Opsi
	Agensi                       []BarisAgensi
	Items                        []BarisProgram
	Berikutnya, Pertama, Selesai string
	Lanjutan                     bool
	Galat                        map[string]string
	Pesan                        string
	// AgensiBaru is the form adding an agency, as typed after an error.
	AgensiBaru isianForm
}

// BarisAgensi is an agency with its kind in words.
type BarisAgensi struct {
	program.Agensi
	JenisKata string
}

// Saringan are the filters in force, which an export of the list carries.
func (v *programListView) Saringan() url.Values { return v.F.values() }

// Pilih is the select nama of the filter form.
func (v *programListView) Pilih(nama, label, nilai, semua string, o []Opsi) Pilih {
	return Pilih{Nama: nama, Label: label, Nilai: nilai, Semua: semua, Opsi: o, Pesan: v.Galat[nama]}
}

const programPageSize = 25

var selesaiProgram = map[string]string{"agensi": "Agensi ditambahkan.", "diarsip": "Program diarsipkan."}

func (a *App) daftarProgram(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	v, err := a.programListView(r, q)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if v.Galat != nil || v.Pesan != "" {
		status = http.StatusUnprocessableEntity
	}
	a.render(w, r, status, v)
	return nil
}

func (a *App) programListView(r *http.Request, q *Permintaan) (*programListView, error) {
	in := r.URL.Query()
	f := readProgramFilter(in)
	agensi, err := a.Program.ListAgensi(q.ctx, q.T, false)
	if err != nil {
		return nil, err
	}
	v := &programListView{Halaman: q.Halaman("Program", "program"), F: f, JenisOpsi: opsi(program.AllJenis, program.JenisLabel),
		StatusOpsi: opsi(program.AllStatus, labelStatusProgram), AgensiJenisOpsi: opsi(program.AllAgensi, labelAgensi),
		Lanjutan: in.Get("cursor") != "", Selesai: selesaiProgram[in.Get("pesan")], AgensiBaru: isianForm{Isi: url.Values{}}}
	for _, ag := range agensi {
		v.Agensi = append(v.Agensi, BarisAgensi{Agensi: ag, JenisKata: label(labelAgensi, ag.Jenis)})
		v.AgensiOpsi = append(v.AgensiOpsi, Opsi{Nilai: ag.ID.String(), Label: ag.Nama})
	}
	lf, g := f.check()
	if v.Galat = g; g != nil {
		return v, nil
	}
	lf.Cursor, lf.Limit = in.Get("cursor"), programPageSize
	page, err := a.Program.List(q.ctx, q.T, lf)
	if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindInvalid {
		v.Pesan = ae.Message.ID
		return v, nil
	} else if err != nil {
		return nil, err
	}
	for _, p := range page.Items {
		v.Items = append(v.Items, barisProgram(p))
	}
	v.Pertama = r.URL.Path
	if first := f.values().Encode(); first != "" {
		v.Pertama += "?" + first
	}
	if page.NextCursor != "" {
		next := f.values()
		next.Set("cursor", page.NextCursor)
		v.Berikutnya = r.URL.Path + "?" + next.Encode()
	}
	return v, nil
}

// buatAgensi adds an agency (create-agensi) and lists it.
func (a *App) buatAgensi(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	// The fields are prefixed: the filter form of the same page has a jenis.
	in := program.AgensiInput{Nama: r.PostForm.Get("agensi_nama"), Jenis: r.PostForm.Get("agensi_jenis")}
	err := a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
		_, err := a.Program.CreateAgensiTx(q.ctx, tx, q.T, in)
		return err
	})
	if err == nil {
		http.Redirect(w, r, programBase(q.T)+"?pesan=agensi", http.StatusSeeOther)
		return nil
	}
	ae, ok := apperr.As(err)
	if !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict) {
		return err
	}
	r.URL.RawQuery = ""
	v, verr := a.programListView(r, q)
	if verr != nil {
		return verr
	}
	g := map[string]string{}
	for k, m := range fieldMessages(ae) {
		g["agensi_"+k] = m
	}
	v.AgensiBaru = isianForm{Isi: r.PostForm, Galat: g}
	v.Pesan = ae.Message.ID
	status := http.StatusUnprocessableEntity
	if ae.Kind == apperr.KindConflict {
		status = http.StatusConflict
	}
	a.render(w, r, status, v)
	return nil
}

// AturanIsian is one kind of rule on the form: its checkbox, and its
// values when it takes some (Nilai) or the programme (Program).
type AturanIsian struct {
	Jenis, Label, Petunjuk string
	Nilai, Program         bool
}

var aturanIsian = func() []AturanIsian {
	var out []AturanIsian
	for _, j := range program.AllAturan {
		out = append(out, AturanIsian{Jenis: j, Label: labelAturan[j], Petunjuk: petunjukAturan[j],
			Nilai: slices.Contains(nilaiAturan, j), Program: j == "pernah_program"})
	}
	return out
}()

// programFormView is the form of a new programme (ID "") or of one.
type programFormView struct {
	Halaman
	isianForm
	ID       string
	Versi    int64
	Pesan    string
	Lain     []Beda
	LainPada time.Time

	JenisOpsi, SumberOpsi, SatuanOpsi, StatusOpsi, AgensiOpsi, ProgramOpsi []Opsi
	Aturan                                                                 []AturanIsian
}

// programFields are the form's fields with their words, in the order the
// conflict table lists them.
var programFields = []struct{ nama, label string }{
	{"nama", "Nama program"}, {"jenis", "Jenis"}, {"agensi_id", "Agensi"}, {"tahun", "Tahun anggaran"}, {"sumber_dana", "Sumber dana"},
	{"renja_kode", "Kode sub kegiatan Renja"}, {"renja_indikator", "Indikator"}, {"satuan", "Satuan"}, {"target", "Target"},
	{"kuota", "Kuota"}, {"status", "Status"}, {"keterangan", "Keterangan"},
}

// aturanFields are the rules' fields, for the conflict table.
var aturanFields = func() []struct{ nama, label string } {
	var out []struct{ nama, label string }
	for _, a := range aturanIsian {
		out = append(out, struct{ nama, label string }{"aturan_" + a.Jenis, "Aturan: " + a.Label})
		switch {
		case a.Nilai:
			out = append(out, struct{ nama, label string }{"nilai_" + a.Jenis, "Nilai: " + a.Label})
		case a.Program:
			out = append(out, struct{ nama, label string }{"program_pernah", "Program yang harus diselesaikan"})
		}
	}
	return out
}()

func aturanFlags() []string {
	var out []string
	for _, a := range aturanIsian {
		out = append(out, "aturan_"+a.Jenis)
	}
	return out
}

// fromProgram is a programme as the form shows it.
func fromProgram(p program.Program) url.Values {
	v := url.Values{}
	set := func(k string, s *string) {
		if s != nil {
			v.Set(k, *s)
		}
	}
	v.Set("nama", p.Nama)
	v.Set("jenis", p.Jenis)
	v.Set("agensi_id", p.AgensiID.String())
	v.Set("tahun", strconv.Itoa(p.Tahun))
	v.Set("sumber_dana", p.SumberDana)
	set("renja_kode", p.RenjaKode)
	set("renja_indikator", p.RenjaIndikator)
	v.Set("satuan", p.Satuan)
	v.Set("target", strconv.Itoa(p.Target))
	v.Set("kuota", strconv.Itoa(p.Kuota))
	v.Set("status", p.Status)
	set("keterangan", p.Keterangan)
	for _, a := range p.Aturan {
		v.Set("aturan_"+a.Jenis, "true")
		if len(a.Nilai) > 0 {
			v.Set("nilai_"+a.Jenis, strings.Join(a.Nilai, ", "))
		}
		if a.ProgramID != nil {
			v.Set("program_pernah", a.ProgramID.String())
		}
	}
	return v
}

// toProgramInput reads the form as the API's body, and the rule kind of
// each rule in order (to put the service's messages beside their rule).
func toProgramInput(f url.Values) (program.Input, []string, map[string]string) {
	g := map[string]string{}
	in := program.Input{Nama: f.Get("nama"), Jenis: f.Get("jenis"), SumberDana: f.Get("sumber_dana"), RenjaKode: opt(f, "renja_kode"),
		RenjaIndikator: opt(f, "renja_indikator"), Satuan: f.Get("satuan"), Status: f.Get("status"), Keterangan: opt(f, "keterangan")}
	if s := strings.TrimSpace(f.Get("agensi_id")); s != "" {
		id, err := uuid.Parse(s)
		if err != nil {
			g["agensi_id"] = textPilihan
		}
		in.AgensiID = id
	}
	for _, n := range []struct {
		k   string
		dst *int
	}{{"tahun", &in.Tahun}, {"target", &in.Target}, {"kuota", &in.Kuota}} {
		var p *int
		bilangan(f, n.k, &p, g)
		if p != nil {
			*n.dst = *p
		}
	}
	var kinds []string
	in.Aturan = []program.Aturan{}
	for _, a := range aturanIsian {
		if f.Get("aturan_"+a.Jenis) != "true" {
			continue
		}
		rule := program.Aturan{Jenis: a.Jenis}
		if a.Nilai {
			for _, s := range strings.Split(f.Get("nilai_"+a.Jenis), ",") {
				if s = strings.TrimSpace(s); s != "" {
					rule.Nilai = append(rule.Nilai, s)
				}
			}
		}
		if a.Program {
			if id, err := uuid.Parse(f.Get("program_pernah")); err == nil {
				rule.ProgramID = &id
			} else {
				g["aturan_"+a.Jenis] = "Pilih program yang harus sudah diselesaikan."
			}
		}
		in.Aturan = append(in.Aturan, rule)
		kinds = append(kinds, a.Jenis)
	}
	return in, kinds, g
}

var aturanLocation = regexp.MustCompile(`^aturan\[(\d+)\]`)

// programMessages are the service's field messages by form field: a
// rule's beside its checkbox.
func programMessages(ae *apperr.Error, kinds []string) map[string]string {
	g := map[string]string{}
	for k, msg := range fieldMessages(ae) {
		if m := aturanLocation.FindStringSubmatch(k); m != nil {
			if i, _ := strconv.Atoi(m[1]); i < len(kinds) {
				k = "aturan_" + kinds[i]
			}
		}
		if _, dup := g[k]; !dup {
			g[k] = msg
		}
	}
	return g
}

func (a *App) programFormView(q *Permintaan, judul, id string, isi url.Values) (*programFormView, error) {
	agensi, err := a.Program.ListAgensi(q.ctx, q.T, false)
	if err != nil {
		return nil, err
	}
	others, err := a.Program.List(q.ctx, q.T, program.Filter{Limit: 200})
	if err != nil {
		return nil, err
	}
	v := &programFormView{Halaman: q.Halaman(judul, "program"), isianForm: isianForm{Isi: isi}, ID: id,
		JenisOpsi: opsi(program.AllJenis, program.JenisLabel), SumberOpsi: opsi(program.AllSumberDana, labelSumberDana),
		SatuanOpsi: opsi(program.AllSatuan, labelSatuan), StatusOpsi: opsi(program.AllStatus, labelStatusProgram), Aturan: aturanIsian}
	for _, ag := range agensi {
		v.AgensiOpsi = append(v.AgensiOpsi, Opsi{Nilai: ag.ID.String(), Label: ag.Nama + " (" + label(labelAgensi, ag.Jenis) + ")"})
	}
	for _, p := range others.Items {
		if p.ID.String() != id {
			v.ProgramOpsi = append(v.ProgramOpsi, Opsi{Nilai: p.ID.String(), Label: fmt.Sprintf("%s (%d)", p.Nama, p.Tahun)})
		}
	}
	return v, nil
}

func (a *App) programBaruForm(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	today, err := q.T.Today(time.Now())
	if err != nil {
		return err
	}
	isi := url.Values{"tahun": {strconv.Itoa(today.Year())}, "status": {"rencana"}, "sumber_dana": {"apbd"}, "satuan": {"usaha"},
		"aturan_terdaftar": {"true"}}
	v, err := a.programFormView(q, "Program baru", "", isi)
	if err != nil {
		return err
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

func (a *App) buatProgram(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	in, kinds, g := toProgramInput(r.PostForm)
	// The service checks the rest even when a number did not parse, so
	// every message shows at once; then nothing is kept.
	var d program.Detail
	err := a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
		var err error
		if d, err = a.Program.CreateTx(q.ctx, tx, q.T, in); err == nil && len(g) > 0 {
			err = errTidakDisimpan
		}
		return err
	})
	if err == errTidakDisimpan {
		err = nil
	}
	if len(g) > 0 || err != nil {
		return a.programFormAgain(w, r, q, "Program baru", "", kinds, g, err)
	}
	http.Redirect(w, r, programPath(q.T, d.ID)+"?pesan=dibuat", http.StatusSeeOther)
	return nil
}

// programFormAgain shows the form as typed with the messages of parsing
// (g) or of the service (err); a fault of ours is returned.
func (a *App) programFormAgain(w http.ResponseWriter, r *http.Request, q *Permintaan, judul, id string, kinds []string, g map[string]string, err error) error {
	status := http.StatusUnprocessableEntity
	if g == nil {
		g = map[string]string{}
	}
	v, verr := a.programFormView(q, judul, id, r.PostForm)
	if verr != nil {
		return verr
	}
	v.Pesan = "Data program tidak valid. Periksa isian yang disebutkan."
	if err != nil {
		ae, ok := apperr.As(err)
		if !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict) {
			return err
		}
		for k, m := range programMessages(ae, kinds) {
			if _, typed := g[k]; !typed {
				g[k] = m
			}
		}
		v.Pesan = ae.Message.ID
		if ae.Kind == apperr.KindConflict {
			status = http.StatusConflict
		}
	}
	v.Galat = g
	v.Versi, _ = strconv.ParseInt(r.PostForm.Get("versi"), 10, 64)
	a.render(w, r, status, v)
	return nil
}

func (a *App) programUbahForm(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := a.Program.Get(q.ctx, q.T, id)
	if err != nil {
		return err
	}
	if d.ArchivedAt != nil {
		return errProgramArsip
	}
	v, err := a.programFormView(q, "Ubah "+d.Nama, id.String(), fromProgram(d.Program))
	if err != nil {
		return err
	}
	v.Versi = d.Version
	a.render(w, r, http.StatusOK, v)
	return nil
}

// errTidakDisimpan rolls back a create the form's own checks refused.
var errTidakDisimpan = errors.New("form refused: not saved")

// errProgramArsip: an archived programme is not changed (the API's words).
var errProgramArsip = apperr.Conflict(apperr.T("Program sudah diarsipkan.", "The programme is archived."), "")

// ubahProgram saves the form at the version it was opened with; when
// someone saved in between, the form comes back as typed with their
// version beside it, to overwrite it deliberately.
func (a *App) ubahProgram(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	version, err := versi(r)
	if err != nil {
		return err
	}
	in, kinds, g := toProgramInput(r.PostForm)
	judul := "Ubah " + strings.TrimSpace(in.Nama)
	if len(g) > 0 {
		return a.programFormAgain(w, r, q, judul, id.String(), kinds, g, nil)
	}
	_, err = a.Program.Update(q.ctx, q.T, id, version, in)
	if apperr.KindOf(err) == apperr.KindPreconditionFailed {
		cur, gerr := a.Program.Get(q.ctx, q.T, id)
		if gerr != nil {
			return gerr
		}
		v, verr := a.programFormView(q, "Ubah "+cur.Nama, id.String(), r.PostForm)
		if verr != nil {
			return verr
		}
		v.Versi, v.LainPada = cur.Version, cur.UpdatedAt
		v.Pesan = textDiubahOrang + " Isian Anda masih di formulir; periksa versi mereka di bawah, lalu simpan lagi untuk menimpanya."
		v.Lain = bedaIsian(r.PostForm, fromProgram(cur.Program), append(programFields, aturanFields...), aturanFlags())
		a.render(w, r, http.StatusPreconditionFailed, v)
		return nil
	}
	if err != nil {
		return a.programFormAgain(w, r, q, judul, id.String(), kinds, nil, err)
	}
	http.Redirect(w, r, programPath(q.T, id)+"?pesan=disimpan", http.StatusSeeOther)
	return nil
}

// programBase is the office's list of programmes on the web.
func programBase(t *tenancy.Tenant) string { return "/t/" + t.Slug + "/program" }

// programPath is where a programme lives on the web.
func programPath(t *tenancy.Tenant, id uuid.UUID) string { return programBase(t) + "/" + id.String() }

// programRoutes are the programme pages, each with the Casbin action of
// the API operation it does.
func (a *App) programRoutes() {
	a.kantor("GET /t/{tenant}/program", "list-program", a.daftarProgram)
	a.kantor("POST /t/{tenant}/program/agensi", "create-agensi", a.buatAgensi)
	a.kantor("GET /t/{tenant}/program/baru", "create-program", a.programBaruForm)
	a.kantor("POST /t/{tenant}/program/baru", "create-program", a.buatProgram)
	a.kantor("GET /t/{tenant}/program/belum-pernah", "list-belum-pernah", a.belumPernah)
	// The overlap report (program_tumpang_laporan.go).
	a.kantor("GET /t/{tenant}/program/tumpang", "list-tumpang", a.laporanTumpang)
	a.laporanProgramRoutes() // the report (laporan_program.go)
	a.kantor("GET /t/{tenant}/program/{id}", "get-program", a.rekamProgram)
	a.kantor("GET /t/{tenant}/program/{id}/ubah", "update-program", a.programUbahForm)
	a.kantor("POST /t/{tenant}/program/{id}/ubah", "update-program", a.ubahProgram)
	a.programRekamRoutes()
}
