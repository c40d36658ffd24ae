package web

import (
	"cmp"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/grafik"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/pekerjaan"
)

// Reklasifikasi KSU (DOMAIN.md, "Reclassification of legacy KSU
// cooperatives"): the admin starts a campaign and follows it, then reviews
// its proposals in review order, one by one (with keyboard shortcuts,
// static/reklasifikasi.js) or every high-confidence one at once; staf and
// viewers follow and read. The API's run-, list-, get-reklasifikasi,
// list-/get-/approve-/reject-reklasifikasi-usulan, approve-reklasifikasi-
// tinggi and export-reklasifikasi, on the same koperasi.Service calls.

func (a *App) reklasifikasiRoutes() {
	a.kantor("GET /t/{tenant}/reklasifikasi", "list-reklasifikasi", a.kampanyeList)
	a.kantor("POST /t/{tenant}/reklasifikasi", "run-reklasifikasi", a.mulaiKampanye)
	a.kantor("GET /t/{tenant}/reklasifikasi/{id}", "get-reklasifikasi", a.kampanyePage)
	a.kantor("GET /t/{tenant}/reklasifikasi/{id}/usulan", "list-reklasifikasi-usulan", a.usulanList)
	a.kantor("GET /t/{tenant}/reklasifikasi/{id}/usulan/{usulan_id}", "get-reklasifikasi-usulan", a.usulanPage)
	a.kantor("POST /t/{tenant}/reklasifikasi/{id}/usulan/{usulan_id}/setujui", "approve-reklasifikasi-usulan", a.setujuiUsulan)
	a.kantor("POST /t/{tenant}/reklasifikasi/{id}/usulan/{usulan_id}/tolak", "reject-reklasifikasi-usulan", a.tolakUsulan)
	a.kantor("GET /t/{tenant}/reklasifikasi/{id}/setujui-tinggi", "approve-reklasifikasi-tinggi", a.tinggiForm)
	a.kantor("POST /t/{tenant}/reklasifikasi/{id}/setujui-tinggi", "approve-reklasifikasi-tinggi", a.setujuiTinggi)
	a.kantor("POST /t/{tenant}/reklasifikasi/{id}/laporan", "export-reklasifikasi", a.laporanKampanye)
}

// The words of the campaign's codes (a type's and a grouping's are the
// register's: labelJenisKop, labelKelompok).
var (
	labelHasilUsulan    = map[string]string{"usulan": "Diusulkan", "perlu_tinjauan": "Perlu ditinjau", "perlu_data": "Perlu data"}
	labelKeyakinan      = map[string]string{"tinggi": "Keyakinan tinggi", "sedang": "Keyakinan sedang"}
	labelStatusUsulan   = map[string]string{"menunggu": "Menunggu", "disetujui": "Disetujui", "ditolak": "Ditolak", "digantikan": "Digantikan"}
	labelStatusKampanye = map[string]string{"berjalan": "Berjalan", "selesai": "Selesai", "gagal": "Gagal"}
)

// usulanPageSize: proposals on one page of the queue, each with its chart.
const usulanPageSize = 25

// kampanyePageSize: campaigns on one page of the list.
const kampanyePageSize = 20

func kampanyeURL(slug string, id uuid.UUID) string {
	return "/t/" + slug + "/reklasifikasi/" + id.String()
}

// kampanyeListView is the office's campaigns and the form that starts one.
type kampanyeListView struct {
	Halaman
	Items      []koperasi.Kampanye
	Berikutnya string
	Kunci      string // the start form's idempotency key: a double click starts one campaign
	Berjalan   *koperasi.Kampanye
}

// StatusKampanye is a campaign's status in words.
func (*kampanyeListView) StatusKampanye(s string) string { return label(labelStatusKampanye, s) }

func (a *App) kampanyeList(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	v := &kampanyeListView{Halaman: q.Halaman("Reklasifikasi KSU", "reklasifikasi"), Kunci: uuid.NewString()}
	var before uuid.UUID
	if c := r.URL.Query().Get("sebelum"); c != "" {
		var err error
		if before, err = uuid.Parse(c); err != nil {
			return apperr.InvalidField("query.sebelum", c, apperr.T("Kursor halaman tidak valid.", "Invalid page cursor."))
		}
	}
	items, err := a.Koperasi.ListKampanye(q.ctx, q.T, before, kampanyePageSize+1)
	if err != nil {
		return err
	}
	if len(items) > kampanyePageSize {
		items = items[:kampanyePageSize]
		v.Berikutnya = r.URL.Path + "?" + url.Values{"sebelum": {items[len(items)-1].ID.String()}}.Encode()
	}
	v.Items = items
	for i := range items {
		if items[i].Status == koperasi.KampanyeBerjalan {
			v.Berjalan = &items[i]
		}
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// mulaiKampanye starts a campaign as the API's run-reklasifikasi does (or
// finds the one running) and shows it. The form's key makes a second
// click answer the first campaign instead of starting another that would
// replace its waiting proposals.
func (a *App) mulaiKampanye(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return apperr.Invalid(textBadForm)
	}
	kunci := r.PostForm.Get("kunci")
	if _, err := uuid.Parse(kunci); err != nil {
		kunci = ""
	}
	id, err := a.once(q, kunci, "run-reklasifikasi (web)", nil, http.StatusAccepted, func(tx pgx.Tx) (uuid.UUID, string, error) {
		k, args, _, err := a.Koperasi.StartKampanye(q.ctx, tx, q.T, q.P.UserID)
		if err != nil {
			return uuid.Nil, "", err
		}
		if _, err := a.Queue.InsertTx(q.ctx, tx, args, nil); err != nil {
			return uuid.Nil, "", err
		}
		return k.ID, koperasi.KampanyePath(q.T.Slug, k.ID), nil
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, kampanyeURL(q.T.Slug, id), http.StatusSeeOther)
	return nil
}

// kampanyeView is one campaign: its progress while it runs, the counts by
// outcome and by review status, and what can be done with it.
type kampanyeView struct {
	Halaman
	K        koperasi.Kampanye
	Berjalan bool // the page polls
	PerJenis []BarisAngka
	Selesai  string // a bulk approval just done, in words
}

// Persen is the campaign's progress in whole percent; -1 while its size is
// unknown.
func (v *kampanyeView) Persen() int {
	if v.K.Total == nil || *v.K.Total <= 0 {
		return -1
	}
	return min(100, v.K.Diproses*100 / *v.K.Total)
}

// StatusKampanye is the campaign's status in words.
func (v *kampanyeView) StatusKampanye() string { return label(labelStatusKampanye, v.K.Status) }

// Antrean is the review queue filtered by the query given.
func (v *kampanyeView) Antrean(query string) string {
	u := kampanyeURL(v.Kantor.Slug, v.K.ID) + "/usulan"
	if query != "" {
		u += "?" + query
	}
	return u
}

// kampanyeOf is the campaign of the page's {id}, with its review counts;
// another office's is not found.
func (a *App) kampanyeOf(r *http.Request, q *Permintaan) (koperasi.Kampanye, error) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return koperasi.Kampanye{}, apperr.NotFound()
	}
	return a.Koperasi.GetKampanye(q.ctx, q.T, id)
}

func (a *App) kampanyePage(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	k, err := a.kampanyeOf(r, q)
	if err != nil {
		return err
	}
	v := &kampanyeView{Halaman: q.Halaman("Kampanye reklasifikasi "+format.Waktu(k.DimulaiAt, q.loc), "reklasifikasi"), K: k,
		Berjalan: k.Status == koperasi.KampanyeBerjalan}
	for _, j := range koperasi.AllJenis {
		if n := k.Ringkasan.PerJenis[j]; n > 0 {
			v.PerJenis = append(v.PerJenis, BarisAngka{Label: labelJenisKop[string(j)], Nilai: []string{format.Angka(n)}})
		}
	}
	in := r.URL.Query()
	if d, err := strconv.Atoi(in.Get("disetujui")); err == nil {
		v.Selesai = format.Angka(d) + " usulan berkeyakinan tinggi disetujui; koperasinya kini berjenis."
		if l, err := strconv.Atoi(in.Get("dilewati")); err == nil && l > 0 {
			v.Selesai += " " + format.Angka(l) + " dilewati karena koperasinya sudah berjenis atau diarsipkan."
		}
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// usulanFilter is the queue's filters as the query names them. Status
// "" is the default, the waiting proposals; "semua" is every status.
type usulanFilter struct {
	Hasil, Keyakinan, Status string
}

// The queue's choices.
var (
	hasilOpsi     = []Opsi{{"usulan", "Diusulkan"}, {"perlu_tinjauan", "Perlu ditinjau"}, {"perlu_data", "Perlu data"}}
	keyakinanOpsi = []Opsi{{"tinggi", "Tinggi"}, {"sedang", "Sedang"}}
	statusOpsi    = []Opsi{{"menunggu", "Menunggu"}, {"semua", "Semua status"}, {"disetujui", "Disetujui"}, {"ditolak", "Ditolak"},
		{"digantikan", "Digantikan"}}
)

func readUsulanFilter(in url.Values) (usulanFilter, map[string]string) {
	f := usulanFilter{Hasil: in.Get("hasil"), Keyakinan: in.Get("keyakinan"), Status: in.Get("status")}
	galat := map[string]string{}
	check := func(name string, v *string, list []Opsi) {
		if *v != "" && !slices.ContainsFunc(list, func(o Opsi) bool { return o.Nilai == *v }) {
			galat[name] = "Pilih salah satu pilihan yang ada."
			*v = ""
		}
	}
	check("hasil", &f.Hasil, hasilOpsi)
	check("keyakinan", &f.Keyakinan, keyakinanOpsi)
	check("status", &f.Status, statusOpsi)
	if f.Status == "menunggu" {
		f.Status = ""
	}
	return f, galat
}

// query is the filter as the queue's URL carries it.
func (f usulanFilter) query() url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"hasil": f.Hasil, "keyakinan": f.Keyakinan, "status": f.Status} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// service is the filter as koperasi.ListUsulan takes it.
func (f usulanFilter) service() koperasi.UsulanFilter {
	s := koperasi.UsulanFilter{Hasil: f.Hasil, Keyakinan: f.Keyakinan, Status: f.Status}
	switch f.Status {
	case "":
		s.Status = koperasi.UsulanMenunggu
	case "semua":
		s.Status = ""
	}
	return s
}

// usulanListView is the review queue of a campaign.
type usulanListView struct {
	Halaman
	K          koperasi.Kampanye
	F          usulanFilter
	Galat      map[string]string
	Items      []BarisUsulan
	Berikutnya string
	Pertama    string // the first page, when this is a later one
	Selesai    string // the decision just made, in words
	Pesan      string // a decision that failed for a proposal no longer listed
	Kembali    string // the queue's query, which the decision forms return to
	Skrip      bool   // the keyboard shortcuts (the queue, not a single proposal)
}

func (v *usulanListView) HasilOpsi() []Opsi     { return hasilOpsi }
func (v *usulanListView) KeyakinanOpsi() []Opsi { return keyakinanOpsi }
func (v *usulanListView) StatusOpsi() []Opsi    { return statusOpsi }

// BarisUsulan is one proposal as the queue shows it: the shares the policy
// saw as a chart and a table, the rationale in words, and, after a failed
// decision, its message and what the admin typed.
type BarisUsulan struct {
	koperasi.Usulan
	Kecamatan  string
	Grafik     template.HTML
	TabelPorsi []BarisAngka
	Penjelasan []string // the rationale, a sentence each
	Berikut    string   // the next proposal of the page (where the queue returns after deciding this one)
	Jenis      []Opsi   // the types to approve as
	Tautan     string   // the proposal's page; its decisions are below it
	Rekam      string   // the cooperative's record in the register; "" when the caller may not open it
	Kembali    string   // where the decision forms return: the queue's query, or "rekam" for the proposal's page
	// BisaSetujui, BisaTolak: the caller may decide (approve-, reject-reklasifikasi-usulan).
	BisaSetujui, BisaTolak bool

	aksi  string // setujui or tolak: the form that failed
	Pesan string
	galat map[string]string
	isi   url.Values
}

// Versi is the version the decision forms send back (the API's If-Match).
func (b BarisUsulan) Versi() string { return strconv.FormatInt(b.Version, 10) }

// Gagal reports whether the decision aksi failed.
func (b BarisUsulan) Gagal(aksi string) bool { return b.aksi == aksi }

// Isian is the field nama of the form aksi: its id and its message.
func (b BarisUsulan) Isian(aksi, nama string) Isian {
	i := Isian{Nama: nama + "-" + aksi + "-" + b.ID.String()}
	if b.aksi == aksi {
		i.Pesan = b.galat[nama]
	}
	return i
}

// Nilai is what the field nama of the form aksi holds: what was typed
// when that decision failed; the proposed type otherwise.
func (b BarisUsulan) Nilai(aksi, nama string) string {
	if b.aksi == aksi {
		return b.isi.Get(nama)
	}
	if aksi == "setujui" && nama == "jenis" && b.JenisUsulan != nil {
		return string(*b.JenisUsulan)
	}
	return ""
}

// JenisUsulanKode is the proposed type's code; "" for none.
func (b BarisUsulan) JenisUsulanKode() string { return jenisOf(b.JenisUsulan) }

// Label words of a proposal.
func (b BarisUsulan) HasilLabel() string  { return label(labelHasilUsulan, string(b.Hasil)) }
func (b BarisUsulan) StatusLabel() string { return label(labelStatusUsulan, b.Status) }
func (b BarisUsulan) KeyakinanLabel() string {
	if b.Keyakinan == nil {
		return ""
	}
	return label(labelKeyakinan, string(*b.Keyakinan))
}
func (b BarisUsulan) JenisLabel(j *koperasi.Jenis) string {
	if j == nil {
		return ""
	}
	return label(labelJenisKop, string(*j))
}
func (b BarisUsulan) KelompokLabel() string {
	if b.Kelompok == nil {
		return ""
	}
	return label(labelKelompok, *b.Kelompok)
}

// putusan is a decision that failed, to show beside its proposal.
type putusan struct {
	id   uuid.UUID
	aksi string
	err  *apperr.Error
	isi  url.Values
}

func (a *App) usulanList(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return apperr.NotFound()
	}
	in := r.URL.Query()
	v := &usulanListView{}
	if d, err := uuid.Parse(in.Get("diputuskan")); err == nil {
		if u, err := a.Koperasi.GetUsulan(q.ctx, q.T, id, d); err == nil {
			switch u.Status {
			case koperasi.UsulanDisetujui:
				v.Selesai = u.KoperasiNama + " disetujui sebagai koperasi " + lower(label(labelJenisKop, jenisOf(u.JenisDisetujui))) + "."
			case koperasi.UsulanDitolak:
				v.Selesai = "Usulan untuk " + u.KoperasiNama + " ditolak; kampanye berikutnya menampilkan alasannya."
			}
		}
	}
	return a.showUsulan(w, r, q, id, v, in, nil)
}

func jenisOf(j *koperasi.Jenis) string {
	if j == nil {
		return ""
	}
	return string(*j)
}

// showUsulan renders the queue of campaign id with the filters and cursor
// of in; p, if any, is a decision that failed.
func (a *App) showUsulan(w http.ResponseWriter, r *http.Request, q *Permintaan, id uuid.UUID, v *usulanListView, in url.Values, p *putusan) error {
	k, err := a.Koperasi.GetKampanye(q.ctx, q.T, id)
	if err != nil {
		return err
	}
	v.Halaman, v.K, v.Skrip = q.Halaman("Tinjauan usulan reklasifikasi", "reklasifikasi"), k, true
	v.F, v.Galat = readUsulanFilter(in)
	base := kampanyeURL(q.T.Slug, id) + "/usulan"
	query := v.F.query()
	cursor := in.Get("cursor")
	if cursor != "" {
		query.Set("cursor", cursor)
		v.Pertama = base + "?" + v.F.query().Encode()
	}
	v.Kembali = query.Encode()
	status := http.StatusOK
	if len(v.Galat) > 0 {
		status = http.StatusUnprocessableEntity
	} else {
		f := v.F.service()
		f.Cursor, f.Limit = cursor, usulanPageSize
		page, err := a.Koperasi.ListUsulan(q.ctx, q.T, id, f)
		if err != nil {
			return err
		}
		if page.Next != "" {
			next := v.F.query()
			next.Set("cursor", page.Next)
			v.Berikutnya = base + "?" + next.Encode()
		}
		items := page.Items
		if p != nil && !slices.ContainsFunc(items, func(u koperasi.Usulan) bool { return u.ID == p.id }) {
			// Decided or replaced meanwhile, so no longer listed: shown
			// first as it is now, with the message.
			if u, err := a.Koperasi.GetUsulan(q.ctx, q.T, id, p.id); err == nil {
				items = append([]koperasi.Usulan{u}, items...)
			}
		}
		if v.Items, err = a.barisUsulan(q, k, items, v.Kembali, p); err != nil {
			return err
		}
	}
	if p != nil {
		status = httpStatus(p.err.Kind)
	}
	a.render(w, r, status, v)
	return nil
}

// barisUsulan lays out proposals of campaign k; p is a failed decision.
func (a *App) barisUsulan(q *Permintaan, k koperasi.Kampanye, items []koperasi.Usulan, kembali string, p *putusan) ([]BarisUsulan, error) {
	reg, err := a.wilayah(q)
	if err != nil {
		return nil, err
	}
	setujui, tolak, rekam := q.Can("approve-reklasifikasi-usulan"), q.Can("reject-reklasifikasi-usulan"), q.Can("get-koperasi")
	jenis := opsi(jenisCodes(), labelJenisKop)
	out := make([]BarisUsulan, len(items))
	for i, u := range items {
		b := BarisUsulan{Usulan: u, Kecamatan: reg.nama[u.KecamatanKode], Jenis: jenis, Kembali: kembali,
			Tautan: kampanyeURL(q.T.Slug, k.ID) + "/usulan/" + u.ID.String(), BisaSetujui: setujui, BisaTolak: tolak}
		if rekam {
			b.Rekam = "/t/" + q.T.Slug + "/koperasi/" + u.KoperasiID.String()
		}
		b.Grafik, b.TabelPorsi = porsiGrafik(u)
		b.Penjelasan = rationale(u, k.Kebijakan)
		if i+1 < len(items) {
			b.Berikut = items[i+1].ID.String()
		}
		if p != nil && p.id == u.ID {
			b.aksi, b.Pesan, b.galat, b.isi = p.aksi, p.err.Message.ID, fieldErrors(p.err, nil), p.isi
			if len(b.galat) > 0 && p.err.Kind == apperr.KindInvalid {
				b.Pesan = "" // the messages stand beside their fields
			}
		}
		out[i] = b
	}
	return out, nil
}

func jenisCodes() []string {
	out := make([]string, len(koperasi.AllJenis))
	for i, j := range koperasi.AllJenis {
		out[i] = string(j)
	}
	return out
}

// porsiGrafik is the shares the policy saw: a bar per type by volume (in
// juta rupiah; percent when the year had only a composition), 'lainnya'
// last, and the same as table rows with the exact figures.
func porsiGrafik(u koperasi.Usulan) (template.HTML, []BarisAngka) {
	type bar struct {
		label string
		p     koperasi.PorsiJenis
	}
	var bars []bar
	for _, j := range koperasi.AllJenis {
		if p, ok := u.Porsi.Jenis[j]; ok {
			bars = append(bars, bar{labelJenisKop[string(j)], p})
		}
	}
	slices.SortStableFunc(bars, func(x, y bar) int { return cmp.Compare(y.p.Persen, x.p.Persen) })
	if l := u.Porsi.Lainnya; l != nil {
		bars = append(bars, bar{"Lainnya (tanpa jenis)", *l})
	}
	if len(bars) == 0 {
		return "", nil
	}
	komposisi := u.Porsi.Sumber == koperasi.SumberKomposisi
	judul := "Volume usaha " + strconv.Itoa(u.Porsi.Tahun) + " per jenis (juta rupiah): " + u.KoperasiNama
	if komposisi {
		judul = "Komposisi usaha " + strconv.Itoa(u.Porsi.Tahun) + " per jenis (persen): " + u.KoperasiNama
	}
	data := make([]grafik.Batang, len(bars))
	rows := make([]BarisAngka, len(bars))
	for i, b := range bars {
		n := int(math.Round(float64(b.p.Volume) / 1e6))
		vol := format.Rupiah(b.p.Volume)
		if komposisi {
			n, vol = int(math.Round(b.p.Persen)), "—"
		}
		data[i] = grafik.Batang{Label: b.label, Nilai: n}
		rows[i] = BarisAngka{Label: b.label, Nilai: []string{vol, persenTeks(b.p.Persen)}}
	}
	return template.HTML(grafik.Mendatar(judul, data)), rows // #nosec G203 -- grafik escapes every text
}

// persenTeks is a share as offices write it: 62%, 49,99%.
func persenTeks(p float64) string { return grafik.Desimal(p, 2) + "%" }

// rationale is why the policy answered as it did, in words: the leading
// type's share against the office's thresholds, the savings-and-loan flag,
// and the service's own note where there is no proposal.
func rationale(u koperasi.Usulan, kb koperasi.Kebijakan) []string {
	var out []string
	type share struct {
		jenis string
		p     float64
	}
	var shares []share
	for _, j := range koperasi.AllJenis {
		if p, ok := u.Porsi.Jenis[j]; ok {
			shares = append(shares, share{lower(labelJenisKop[string(j)]), p.Persen})
		}
	}
	slices.SortStableFunc(shares, func(x, y share) int { return cmp.Compare(y.p, x.p) })
	apa := "volume"
	if u.Porsi.Sumber == koperasi.SumberKomposisi {
		apa = "komposisi usaha"
	}
	tahun := ""
	if u.Porsi.Tahun > 0 {
		tahun = " tahun " + strconv.Itoa(u.Porsi.Tahun)
	}
	if len(shares) > 0 {
		top := shares[0]
		s := persenTeks(top.p) + " " + apa + " dari unit " + top.jenis + tahun
		switch {
		case u.Keyakinan != nil && *u.Keyakinan == koperasi.KeyakinanTinggi:
			s += ": mencapai ambang " + strconv.Itoa(kb.AmbangTinggiPersen) + "% untuk keyakinan tinggi."
		case u.Keyakinan != nil && *u.Keyakinan == koperasi.KeyakinanSedang:
			if len(shares) > 1 {
				s += ", unggul " + grafik.Desimal(top.p-shares[1].p, 2) + " poin atas " + shares[1].jenis + " (" + persenTeks(shares[1].p) + ")"
			} else {
				s += ", tanpa jenis lain"
			}
			s += "; di bawah ambang " + strconv.Itoa(kb.AmbangTinggiPersen) + "%, unggul sedikitnya " +
				strconv.Itoa(kb.SelisihSedangPoin) + " poin: keyakinan sedang."
		default:
			if len(shares) > 1 {
				s += "; " + shares[1].jenis + " " + persenTeks(shares[1].p)
			}
			s += "."
		}
		out = append(out, s)
	}
	if l := u.Porsi.Lainnya; l != nil {
		out = append(out, persenTeks(l.Persen)+" "+apa+" dari unit lainnya, yang tidak menunjuk jenis apa pun.")
	}
	if u.Porsi.Catatan != "" {
		out = append(out, u.Porsi.Catatan)
	}
	if u.FlagSimpanPinjam {
		s := "Ada unit simpan pinjam"
		if len(u.Porsi.Pola) > 0 {
			s += " (" + strings.ReplaceAll(strings.Join(u.Porsi.Pola, ", "), "_", " ") + ")"
		}
		out = append(out, s+": unit simpan pinjamnya wajib berpembukuan terpisah dan close loop.")
	}
	return out
}

// usulanRekamView is one proposal on its own page.
type usulanRekamView struct {
	Halaman
	K koperasi.Kampanye
	U BarisUsulan
}

func (a *App) usulanPage(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.showUsulanRekam(w, r, q, nil)
}

func (a *App) showUsulanRekam(w http.ResponseWriter, r *http.Request, q *Permintaan, p *putusan) error {
	kid, err1 := uuid.Parse(r.PathValue("id"))
	uid, err2 := uuid.Parse(r.PathValue("usulan_id"))
	if err1 != nil || err2 != nil {
		return apperr.NotFound()
	}
	u, err := a.Koperasi.GetUsulan(q.ctx, q.T, kid, uid)
	if err != nil {
		return err
	}
	k, err := a.Koperasi.GetKampanye(q.ctx, q.T, kid)
	if err != nil {
		return err
	}
	list, err := a.barisUsulan(q, k, []koperasi.Usulan{u}, "rekam", p)
	if err != nil {
		return err
	}
	v := &usulanRekamView{Halaman: q.Halaman("Usulan reklasifikasi: "+u.KoperasiNama, "reklasifikasi"), K: k, U: list[0]}
	status := http.StatusOK
	if p != nil {
		status = httpStatus(p.err.Kind)
	}
	a.render(w, r, status, v)
	return nil
}

func (a *App) setujuiUsulan(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.putuskanUsulan(w, r, q, "setujui")
}

func (a *App) tolakUsulan(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.putuskanUsulan(w, r, q, "tolak")
}

// putuskanUsulan decides a proposal at the version the admin saw. On
// success, back to the queue as it was filtered, at the next proposal
// (POST, redirect, GET); on a refusal the queue again with the message
// beside the proposal and everything typed kept.
func (a *App) putuskanUsulan(w http.ResponseWriter, r *http.Request, q *Permintaan, aksi string) error {
	kid, err1 := uuid.Parse(r.PathValue("id"))
	uid, err2 := uuid.Parse(r.PathValue("usulan_id"))
	if err1 != nil || err2 != nil {
		return apperr.NotFound()
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return apperr.Invalid(textBadForm)
	}
	f := r.PostForm
	version, err := strconv.ParseInt(f.Get("versi"), 10, 64)
	if err != nil {
		return apperr.PreconditionFailed()
	}
	if aksi == "setujui" {
		_, err = a.Koperasi.ApproveUsulan(q.ctx, q.T, kid, uid, version, koperasi.Persetujuan{Jenis: f.Get("jenis"), Alasan: f.Get("alasan"),
			DasarHukum: f.Get("dasar_hukum"), TanggalDasarHukum: f.Get("tanggal_dasar_hukum")}, q.P.UserID)
	} else {
		_, err = a.Koperasi.RejectUsulan(q.ctx, q.T, kid, uid, version, f.Get("alasan"), q.P.UserID)
	}
	rekam := f.Get("kembali") == "rekam"
	if err != nil {
		ae, ok := apperr.As(err)
		if !ok || ae.Kind == apperr.KindNotFound || ae.Kind == apperr.KindForbidden || ae.Kind == apperr.KindInternal {
			return err
		}
		if ae.Kind == apperr.KindPreconditionFailed {
			ae = &apperr.Error{Kind: ae.Kind, Message: apperr.T(textDiubahOrang+
				" Usulan ini ditampilkan sebagaimana tersimpan sekarang; isian Anda masih di formulir.", ae.Message.EN)}
		}
		p := &putusan{id: uid, aksi: aksi, err: ae, isi: f}
		if rekam {
			return a.showUsulanRekam(w, r, q, p)
		}
		back, _ := url.ParseQuery(f.Get("kembali"))
		return a.showUsulan(w, r, q, kid, &usulanListView{}, back, p)
	}
	if rekam {
		http.Redirect(w, r, kampanyeURL(q.T.Slug, kid)+"/usulan/"+uid.String(), http.StatusSeeOther)
		return nil
	}
	back, _ := url.ParseQuery(f.Get("kembali"))
	fl, _ := readUsulanFilter(back)
	next := fl.query()
	if c := back.Get("cursor"); c != "" {
		next.Set("cursor", c)
	}
	next.Set("diputuskan", uid.String())
	to := kampanyeURL(q.T.Slug, kid) + "/usulan?" + next.Encode()
	if b, err := uuid.Parse(f.Get("berikut")); err == nil {
		to += "#u-" + b.String()
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// tinggiView asks before approving every waiting high-confidence proposal.
type tinggiView struct {
	Halaman
	K      koperasi.Kampanye
	Jumlah int
	Pesan  string
}

func (a *App) tinggiForm(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.showTinggi(w, r, q, "", http.StatusOK)
}

func (a *App) showTinggi(w http.ResponseWriter, r *http.Request, q *Permintaan, pesan string, status int) error {
	k, err := a.kampanyeOf(r, q)
	if err != nil {
		return err
	}
	n, err := a.Koperasi.MenungguTinggi(q.ctx, q.T, k.ID)
	if err != nil {
		return err
	}
	a.render(w, r, status, &tinggiView{Halaman: q.Halaman("Setujui semua usulan berkeyakinan tinggi", "reklasifikasi"), K: k, Jumlah: n, Pesan: pesan})
	return nil
}

// setujuiTinggi approves them all, as many as the confirmation said: when
// the number changed meanwhile (the campaign still ran, someone decided
// some), the confirmation is asked again with the new number.
func (a *App) setujuiTinggi(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return apperr.NotFound()
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return apperr.Invalid(textBadForm)
	}
	n, err := a.Koperasi.MenungguTinggi(q.ctx, q.T, id)
	if err != nil {
		return err
	}
	if confirmed, err := strconv.Atoi(r.PostForm.Get("jumlah")); err != nil || confirmed != n {
		return a.showTinggi(w, r, q, "Jumlah usulan yang menunggu sudah berubah sejak halaman ini dibuka. Periksa jumlahnya lalu setujui lagi.",
			http.StatusConflict)
	}
	res, err := a.Koperasi.ApproveTinggi(q.ctx, q.T, id, q.P.UserID)
	if err != nil {
		return err
	}
	http.Redirect(w, r, kampanyeURL(q.T.Slug, id)+"?"+url.Values{"disetujui": {strconv.Itoa(res.Disetujui)},
		"dilewati": {strconv.Itoa(res.Dilewati)}}.Encode(), http.StatusSeeOther)
	return nil
}

// laporanKampanye queues the campaign's XLSX report, as the API's
// export-reklasifikasi, and shows its job (which offers the file when done).
func (a *App) laporanKampanye(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return apperr.NotFound()
	}
	job, err := pekerjaan.Start(q.ctx, a.DB, a.Queue, q.T.ID, func(tx pgx.Tx) (pekerjaan.Job, river.JobArgs, error) {
		return a.Koperasi.QueueLaporan(q.ctx, tx, q.T, id, q.P.UserID)
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, jobURL(q, job.ID), http.StatusSeeOther)
	return nil
}
