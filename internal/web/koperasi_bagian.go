package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/umkm"
)

// The parts of a cooperative, each written by its own form page: business
// units with their volumes, the composition of a year, pengurus and
// pengawas, RAT, health assessments and UMKM members. Every write moves the
// cooperative's version; changes and deletes carry the version the page
// was opened at (the API's If-Match), and when someone saved in between the
// form comes back as typed with the saved version beside it.

// bagianView is the form of one part of a cooperative.
type bagianView struct {
	Halaman
	isianForm
	K      koperasi.Koperasi
	Bagian string // unit, komposisi, pengurus, rat, kesehatan, anggota
	Aksi   string // where the form posts
	Baru   bool   // a new part (else a change of one)
	Versi  int64  // the cooperative's version the form was opened at
	Pesan  string
	Lain   []Beda // the saved version where it differs, after a conflict
	Ada    string // the part already recorded, after a conflict on it
	// Bentrok: someone saved the cooperative since the form was opened.
	Bentrok bool

	UnitOpsi, PolaOpsi, JabatanOpsi []Opsi
	Volume                          []int // the rows of the volume table
	Porsi                           []Opsi
	Regime                          []koperasi.Regime
	RegimeOpsi                      []Opsi
	Dipilih                         *koperasi.Regime // the regime whose aspects the form shows
	Cari                            string           // the search of an UMKM to add
	Calon                           []BarisUMKM
	NamaUMKM                        string // the member changed
}

// Aspek is the aspects of the chosen regime with their field names.
func (v *bagianView) Aspek() []BarisAspekIsian {
	if v.Dipilih == nil {
		return nil
	}
	var out []BarisAspekIsian
	for _, as := range v.Dipilih.Aspek {
		n := "skor_" + as.Kode
		out = append(out, BarisAspekIsian{BarisAspek: barisAspek(as, ""), Nama: n, Nilai: v.Isi.Get(n), Pesan: v.Galat[n],
			Min: strconv.FormatFloat(as.SkorMin, 'f', -1, 64), Maks: strconv.FormatFloat(as.SkorMaks, 'f', -1, 64)})
	}
	return out
}

// BarisAspekIsian is an aspect's score field.
type BarisAspekIsian struct {
	BarisAspek
	Nama, Nilai, Pesan, Min, Maks string
}

func (a *App) koperasiBagianRoutes() {
	one := "/t/{tenant}/koperasi/{id}/"
	a.bagian(one+"unit/baru", "create-koperasi-unit", a.unitForm, a.simpanUnit)
	a.bagian(one+"unit/{bagian}", "update-koperasi-unit", a.unitForm, a.simpanUnit)
	a.kantor("POST "+one+"unit/{bagian}/hapus", "delete-koperasi-unit", a.hapusBagian)
	a.bagian(one+"komposisi", "update-koperasi-komposisi", a.komposisiForm, a.simpanKomposisi)
	a.kantor("POST "+one+"komposisi/{bagian}/hapus", "delete-koperasi-komposisi", a.hapusBagian)
	a.bagian(one+"pengurus/baru", "create-koperasi-pengurus", a.pengurusForm, a.simpanPengurus)
	a.bagian(one+"pengurus/{bagian}", "update-koperasi-pengurus", a.pengurusForm, a.simpanPengurus)
	a.kantor("POST "+one+"pengurus/{bagian}/hapus", "delete-koperasi-pengurus", a.hapusBagian)
	a.bagian(one+"rat/baru", "create-koperasi-rat", a.ratForm, a.simpanRAT)
	a.kantor("POST "+one+"rat/{bagian}/hapus", "delete-koperasi-rat", a.hapusBagian)
	a.bagian(one+"kesehatan/baru", "create-koperasi-kesehatan", a.kesehatanForm, a.simpanKesehatan)
	a.kantor("POST "+one+"kesehatan/{bagian}/hapus", "delete-koperasi-kesehatan", a.hapusBagian)
	a.bagian(one+"anggota/baru", "create-koperasi-anggota", a.anggotaForm, a.simpanAnggota)
	a.bagian(one+"anggota/{bagian}", "update-koperasi-anggota", a.anggotaForm, a.simpanAnggota)
	a.kantor("POST "+one+"anggota/{bagian}/hapus", "delete-koperasi-anggota", a.hapusBagian)
}

// bagianHandler fills the form of a part: isi is nil when opened (it reads
// the part), the form as typed after a refused write.
type bagianHandler func(r *http.Request, q *Permintaan, v *bagianView) error

// bagian registers the form page of a part (GET) and its write (POST).
func (a *App) bagian(path, action string, form bagianHandler, save handler) {
	a.kantor("GET "+path, action, func(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
		v, err := a.bagianView(r, q, nil)
		if err != nil {
			return err
		}
		if err := form(r, q, v); err != nil {
			return err
		}
		a.render(w, r, http.StatusOK, v)
		return nil
	})
	a.kantor("POST "+path, action, func(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
		if err := parseForm(w, r); err != nil {
			return err
		}
		return save(w, r, q)
	})
}

// bagianView reads the live cooperative of the path; isi is the form as
// typed (nil: not yet).
func (a *App) bagianView(r *http.Request, q *Permintaan, isi url.Values) (*bagianView, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	d, view, err := a.bacaKoperasi(q, id)
	if err != nil {
		return nil, err
	}
	if d.ArchivedAt != nil {
		return nil, errKoperasiArsip
	}
	seg := strings.Split(strings.TrimPrefix(r.URL.Path, koperasiPath(q.T, id.String())+"/"), "/")
	v := &bagianView{K: d.Koperasi, Bagian: seg[0], Aksi: r.URL.Path, Baru: len(seg) > 1 && seg[1] == "baru", Versi: d.Version,
		isianForm: isianForm{Isi: isi, Galat: map[string]string{}}}
	if v.Isi == nil {
		v.Isi = url.Values{}
	} else if n, err := strconv.ParseInt(isi.Get("versi"), 10, 64); err == nil {
		v.Versi = n // the version the form was opened at, until a conflict shows the new one
	}
	judul := map[string]string{"unit": "Unit usaha", "komposisi": "Komposisi usaha", "pengurus": "Pengurus atau pengawas",
		"rat": "RAT", "kesehatan": "Penilaian kesehatan", "anggota": "Anggota UMKM"}[v.Bagian]
	v.Halaman = q.Halaman(judul+" — "+d.Nama, "koperasi")
	if v.Bagian == "pengurus" && !view.Sees(&d.Koperasi) {
		return nil, apperr.Forbidden() // the form would hold masked names
	}
	return v, nil
}

// bagianID is the part of the path ({bagian}) as a uuid.
func bagianID(r *http.Request) (uuid.UUID, error) { return pathID(r, "bagian") }

// again shows the part's form as typed after the service refused err (a
// fault of ours is returned): the messages beside their fields, the
// service's words above them.
func (a *App) again(w http.ResponseWriter, r *http.Request, q *Permintaan, form bagianHandler, err error, fields func(string) string) error {
	ae, ok := apperr.As(err)
	if !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict && ae.Kind != apperr.KindPreconditionFailed) {
		return err
	}
	v, verr := a.bagianView(r, q, r.PostForm)
	if verr != nil {
		return verr
	}
	status := http.StatusUnprocessableEntity
	switch ae.Kind {
	case apperr.KindConflict:
		status = http.StatusConflict
	case apperr.KindPreconditionFailed:
		status = http.StatusPreconditionFailed
	}
	for k, m := range fieldMessages(ae) {
		if fields != nil {
			k = fields(k)
		}
		if _, dup := v.Galat[k]; !dup {
			v.Galat[k] = m
		}
	}
	v.Pesan = ae.Message.ID
	if ae.Kind == apperr.KindPreconditionFailed {
		v.Versi, v.Bentrok = v.K.Version, true // saving again overwrites theirs, deliberately
		v.Pesan = textDiubahOrang + " Isian Anda masih di formulir; periksa versi tersimpan di bawah, lalu simpan lagi untuk menimpanya."
	}
	if ae.Kind == apperr.KindConflict && ae.Existing != "" {
		v.Ada = koperasiPath(q.T, v.K.ID.String())
	}
	if err := form(r, q, v); err != nil {
		return err
	}
	a.render(w, r, status, v)
	return nil
}

// selesai goes back to the record page at the part written.
func selesai(w http.ResponseWriter, r *http.Request, q *Permintaan, pesan, anchor string) {
	http.Redirect(w, r, koperasiPath(q.T, r.PathValue("id"))+"?pesan="+pesan+"#"+anchor, http.StatusSeeOther)
}

// formVersi is the cooperative's version the form was opened at (0 on a
// create, which the API does not version).
func formVersi(r *http.Request, baru bool) (int64, error) {
	if baru {
		return 0, nil
	}
	return versi(r)
}

// isNew reports whether the path creates a part.
func isNew(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/baru") }

// ---- units ----

var volumeField = regexp.MustCompile(`^volume\[(\d+)\]\.(tahun|volume)$`)

func (a *App) unitForm(r *http.Request, q *Permintaan, v *bagianView) error {
	v.UnitOpsi, v.PolaOpsi = opsi(unitKode, labelUnit), opsi([]string{"close_loop", "open_loop"}, labelPola)
	if len(v.Isi) == 0 {
		v.Isi.Set("aktif", "true")
		if !v.Baru {
			u, err := a.unitOf(r, q)
			if err != nil {
				return err
			}
			v.Isi = fromUnit(u)
		}
	}
	rows := 0
	for rows < 100 && (v.Isi.Has(fmt.Sprintf("volume_tahun_%d", rows)) || v.Isi.Has(fmt.Sprintf("volume_%d", rows))) {
		rows++
	}
	for i := range rows + 3 {
		v.Volume = append(v.Volume, i)
	}
	if v.Bentrok && !v.Baru {
		u, err := a.unitOf(r, q)
		if err != nil {
			return err
		}
		v.Lain = bedaIsian(v.Isi, fromUnit(u), unitFields, []string{"aktif"})
	}
	return nil
}

var unitFields = []struct{ nama, label string }{{"jenis_unit", "Jenis unit"}, {"nama", "Nama unit"},
	{"pola_simpan_pinjam", "Pola simpan pinjam"}, {"pola_sejak", "Pola sejak"}, {"aktif", "Aktif"}, {"volume_tahun_0", "Tahun volume terakhir"},
	{"volume_0", "Volume terakhir"}}

func (a *App) unitOf(r *http.Request, q *Permintaan) (koperasi.Unit, error) {
	d, part, err := a.detailOf(r, q)
	if err != nil {
		return koperasi.Unit{}, err
	}
	return find(d.Unit, func(u koperasi.Unit) bool { return u.ID == part })
}

// detailOf reads the cooperative of the path and names its part ({bagian}).
func (a *App) detailOf(r *http.Request, q *Permintaan) (koperasi.Detail, uuid.UUID, error) {
	part, err := bagianID(r)
	if err != nil {
		return koperasi.Detail{}, part, err
	}
	id, _ := pathID(r, "id")
	d, err := a.Koperasi.Get(q.ctx, q.T, id)
	return d, part, err
}

// find is the item that matches; none is not found.
func find[T any](items []T, match func(T) bool) (T, error) {
	if i := slices.IndexFunc(items, match); i >= 0 {
		return items[i], nil
	}
	var none T
	return none, apperr.NotFound()
}

func fromUnit(u koperasi.Unit) url.Values {
	v := url.Values{"jenis_unit": {u.JenisUnit}}
	if u.Nama != nil {
		v.Set("nama", *u.Nama)
	}
	if u.PolaSimpanPinjam != nil {
		v.Set("pola_simpan_pinjam", *u.PolaSimpanPinjam)
	}
	if u.PolaSejak != nil {
		v.Set("pola_sejak", *u.PolaSejak)
	}
	if u.Aktif {
		v.Set("aktif", "true")
	}
	for i, vol := range u.Volume {
		v.Set(fmt.Sprintf("volume_tahun_%d", i), strconv.Itoa(vol.Tahun))
		v.Set(fmt.Sprintf("volume_%d", i), strconv.FormatInt(vol.Volume, 10))
	}
	return v
}

func (a *App) simpanUnit(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	baru := isNew(r)
	version, err := formVersi(r, baru)
	if err != nil {
		return err
	}
	f := r.PostForm
	aktif := f.Get("aktif") == "true"
	in := koperasi.UnitInput{JenisUnit: f.Get("jenis_unit"), Nama: opt(f, "nama"), PolaSimpanPinjam: opt(f, "pola_simpan_pinjam"),
		PolaSejak: opt(f, "pola_sejak"), Aktif: &aktif, Volume: []koperasi.Volume{}}
	g := map[string]string{}
	var rows []int // rows[i]: the form's row of in.Volume[i]
	for i := 0; i < 100; i++ {
		ty, tv := fmt.Sprintf("volume_tahun_%d", i), fmt.Sprintf("volume_%d", i)
		if !f.Has(ty) && !f.Has(tv) {
			break
		}
		ys, vs := strings.TrimSpace(f.Get(ty)), strings.TrimSpace(f.Get(tv))
		if ys == "" && vs == "" {
			continue
		}
		y, err := strconv.Atoi(ys)
		if err != nil {
			g[ty] = "Isi tahun, mis. 2025."
		}
		n, ok := bacaRupiah(vs)
		if !ok {
			g[tv] = textRupiah
		}
		in.Volume = append(in.Volume, koperasi.Volume{Tahun: y, Volume: n})
		rows = append(rows, i)
	}
	if len(g) > 0 {
		return a.againTyped(w, r, q, a.unitForm, g)
	}
	if baru {
		err = a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
			_, _, err := a.Koperasi.CreateUnitTx(q.ctx, tx, q.T, id, in)
			return err
		})
	} else {
		uid, uerr := bagianID(r)
		if uerr != nil {
			return uerr
		}
		_, _, err = a.Koperasi.UpdateUnit(q.ctx, q.T, id, uid, version, in)
	}
	if err != nil {
		return a.again(w, r, q, a.unitForm, err, func(k string) string {
			if m := volumeField.FindStringSubmatch(k); m != nil {
				i, _ := strconv.Atoi(m[1])
				if i < len(rows) {
					if m[2] == "tahun" {
						return fmt.Sprintf("volume_tahun_%d", rows[i])
					}
					return fmt.Sprintf("volume_%d", rows[i])
				}
			}
			return k
		})
	}
	selesai(w, r, q, "unit", "unit")
	return nil
}

// againTyped shows the form as typed with the messages of parsing it.
func (a *App) againTyped(w http.ResponseWriter, r *http.Request, q *Permintaan, form bagianHandler, g map[string]string) error {
	v, err := a.bagianView(r, q, r.PostForm)
	if err != nil {
		return err
	}
	v.Galat, v.Pesan = g, "Periksa isian yang disebutkan."
	if err := form(r, q, v); err != nil {
		return err
	}
	a.render(w, r, http.StatusUnprocessableEntity, v)
	return nil
}

// ---- composition ----

var porsiField = regexp.MustCompile(`^porsi\[(\d+)\]\.(unit_id|persen)$`)

func (a *App) komposisiForm(r *http.Request, q *Permintaan, v *bagianView) error {
	id, _ := pathID(r, "id")
	d, err := a.Koperasi.Get(q.ctx, q.T, id)
	if err != nil {
		return err
	}
	for _, u := range d.Unit {
		if u.Aktif {
			l := label(labelUnit, u.JenisUnit)
			if u.Nama != nil {
				l += " (" + *u.Nama + ")"
			}
			v.Porsi = append(v.Porsi, Opsi{Nilai: u.ID.String(), Label: l})
		}
	}
	if len(v.Isi) == 0 {
		if tahun := r.URL.Query().Get("tahun"); tahun != "" {
			v.Isi.Set("tahun", tahun)
			for _, k := range d.Komposisi {
				if strconv.Itoa(k.Tahun) == tahun {
					for _, p := range k.Porsi {
						v.Isi.Set("porsi_"+p.UnitID.String(), desimal(p.Persen, 2))
					}
				}
			}
		}
	}
	return nil
}

func (a *App) simpanKomposisi(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, err := versi(r)
	if err != nil {
		return err
	}
	f := r.PostForm
	g := map[string]string{}
	in := koperasi.KomposisiInput{Porsi: []koperasi.PorsiUnit{}}
	if in.Tahun, err = strconv.Atoi(strings.TrimSpace(f.Get("tahun"))); err != nil {
		g["tahun"] = "Isi tahun, mis. 2025."
	}
	var names []string
	for k := range f {
		if strings.HasPrefix(k, "porsi_") && strings.TrimSpace(f.Get(k)) != "" {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	for _, k := range names {
		uid, err := uuid.Parse(strings.TrimPrefix(k, "porsi_"))
		if err != nil {
			continue
		}
		p, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSuffix(strings.TrimSpace(f.Get(k)), "%"), ",", "."), 64)
		if err != nil {
			g[k] = "Isi persen, mis. 62,5."
		}
		in.Porsi = append(in.Porsi, koperasi.PorsiUnit{UnitID: uid, Persen: p})
	}
	if len(g) > 0 {
		return a.againTyped(w, r, q, a.komposisiForm, g)
	}
	if _, _, err = a.Koperasi.PutKomposisi(q.ctx, q.T, id, version, in); err != nil {
		return a.again(w, r, q, a.komposisiForm, err, func(k string) string {
			if m := porsiField.FindStringSubmatch(k); m != nil {
				if i, _ := strconv.Atoi(m[1]); i < len(names) {
					return names[i]
				}
			}
			return k
		})
	}
	selesai(w, r, q, "komposisi", "komposisi")
	return nil
}

// ---- pengurus and pengawas ----

var pengurusFields = []struct{ nama, label string }{{"nama", "Nama"}, {"jabatan", "Jabatan"}, {"mulai", "Mulai menjabat"},
	{"selesai", "Selesai menjabat"}}

func fromPengurus(p koperasi.Pengurus) url.Values {
	v := url.Values{"nama": {p.Nama}, "jabatan": {p.Jabatan}}
	if p.Mulai != nil {
		v.Set("mulai", *p.Mulai)
	}
	if p.Selesai != nil {
		v.Set("selesai", *p.Selesai)
	}
	return v
}

func (a *App) pengurusOf(r *http.Request, q *Permintaan) (koperasi.Pengurus, error) {
	d, part, err := a.detailOf(r, q)
	if err != nil {
		return koperasi.Pengurus{}, err
	}
	return find(d.Pengurus, func(p koperasi.Pengurus) bool { return p.ID == part })
}

func (a *App) pengurusForm(r *http.Request, q *Permintaan, v *bagianView) error {
	v.JabatanOpsi = opsi(koperasi.Jabatan, labelJabatan)
	if v.Baru {
		return nil
	}
	p, err := a.pengurusOf(r, q)
	if err != nil {
		return err
	}
	if len(v.Isi) == 0 {
		v.Isi = fromPengurus(p)
	} else if v.Bentrok {
		v.Lain = bedaIsian(v.Isi, fromPengurus(p), pengurusFields, nil)
	}
	return nil
}

func (a *App) simpanPengurus(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	baru := isNew(r)
	version, err := formVersi(r, baru)
	if err != nil {
		return err
	}
	f := r.PostForm
	in := koperasi.PengurusInput{Nama: f.Get("nama"), Jabatan: f.Get("jabatan"), Mulai: opt(f, "mulai"), Selesai: opt(f, "selesai")}
	if baru {
		err = a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
			_, _, err := a.Koperasi.CreatePengurusTx(q.ctx, tx, q.T, id, in)
			return err
		})
	} else {
		pid, perr := bagianID(r)
		if perr != nil {
			return perr
		}
		_, _, err = a.Koperasi.UpdatePengurus(q.ctx, q.T, id, pid, version, in)
	}
	if err != nil {
		return a.again(w, r, q, a.pengurusForm, err, nil)
	}
	selesai(w, r, q, "pengurus", "pengurus")
	return nil
}

// ---- RAT ----

func (a *App) ratForm(r *http.Request, q *Permintaan, v *bagianView) error { return nil }

func (a *App) simpanRAT(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f := r.PostForm
	in := koperasi.RATInput{Tanggal: strings.TrimSpace(f.Get("tanggal")), Catatan: opt(f, "catatan")}
	if in.Tahun, err = strconv.Atoi(strings.TrimSpace(f.Get("tahun"))); err != nil {
		return a.againTyped(w, r, q, a.ratForm, map[string]string{"tahun": "Isi tahun buku, mis. 2025."})
	}
	err = a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
		_, _, err := a.Koperasi.CreateRATTx(q.ctx, tx, q.T, id, in)
		return err
	})
	if err != nil {
		return a.again(w, r, q, a.ratForm, err, nil)
	}
	selesai(w, r, q, "rat", "rat")
	return nil
}

// ---- health assessments ----

// kesehatanForm shows the chosen regime's aspects with their ranges and
// weights (list-kesehatan-regime); the total and predicate are the
// service's, shown on the record once saved.
func (a *App) kesehatanForm(r *http.Request, q *Permintaan, v *bagianView) error {
	regimes, err := a.Koperasi.Regimes(q.ctx)
	if err != nil {
		return err
	}
	v.Regime = regimes
	for _, g := range regimes {
		v.RegimeOpsi = append(v.RegimeOpsi, Opsi{Nilai: g.Kode, Label: g.Nama})
	}
	kode := v.Isi.Get("regime")
	if kode == "" {
		kode = r.URL.Query().Get("regime")
	}
	for i := range regimes {
		if regimes[i].Kode == kode || (kode == "" && i == 0) {
			v.Dipilih = &regimes[i]
		}
	}
	if v.Dipilih != nil {
		v.Isi.Set("regime", v.Dipilih.Kode)
	}
	return nil
}

func (a *App) simpanKesehatan(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f := r.PostForm
	g := map[string]string{}
	in := koperasi.PenilaianInput{Regime: f.Get("regime"), Skor: map[string]float64{}}
	if in.Tahun, err = strconv.Atoi(strings.TrimSpace(f.Get("tahun"))); err != nil {
		g["tahun"] = "Isi tahun yang dinilai, mis. 2025."
	}
	for k := range f {
		kode, ok := strings.CutPrefix(k, "skor_")
		s := strings.TrimSpace(f.Get(k))
		if !ok || s == "" {
			continue
		}
		n, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
		if err != nil {
			g[k] = "Isi angka, mis. 80 atau 75,5."
			continue
		}
		in.Skor[kode] = n
	}
	if len(g) > 0 {
		return a.againTyped(w, r, q, a.kesehatanForm, g)
	}
	err = a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
		_, _, err := a.Koperasi.CreatePenilaianTx(q.ctx, tx, q.T, id, in)
		return err
	})
	if err != nil {
		return a.again(w, r, q, a.kesehatanForm, err, func(k string) string {
			if kode, ok := strings.CutPrefix(k, "skor."); ok {
				return "skor_" + kode
			}
			return k
		})
	}
	selesai(w, r, q, "kesehatan", "kesehatan")
	return nil
}

// ---- UMKM members ----

// calonShown bounds the businesses a search offers to add.
const calonShown = 10

func (a *App) anggotaForm(r *http.Request, q *Permintaan, v *bagianView) error {
	sc, view, err := umkm.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return err
	}
	if !v.Baru {
		uid, err := bagianID(r)
		if err != nil {
			return err
		}
		items, err := a.Koperasi.ListAnggota(q.ctx, q.T, v.K.ID, sc.Wilayah, uuid.Nil, 1000)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(items, func(m koperasi.Anggota) bool { return m.UMKMID == uid })
		if i < 0 {
			return apperr.NotFound()
		}
		v.NamaUMKM = items[i].NamaUsaha
		saved := url.Values{}
		if items[i].Sejak != nil {
			saved.Set("sejak", *items[i].Sejak)
		}
		if items[i].Difasilitasi {
			saved.Set("difasilitasi", "true")
		}
		if len(v.Isi) == 0 {
			v.Isi = saved
		} else if v.Bentrok {
			v.Lain = bedaIsian(v.Isi, saved, []struct{ nama, label string }{{"sejak", "Anggota sejak"}, {"difasilitasi", "Difasilitasi"}},
				[]string{"difasilitasi"})
		}
		return nil
	}
	v.Cari = strings.TrimSpace(r.FormValue("cari"))
	if v.Cari == "" {
		return nil
	}
	v.Calon, err = a.calonUMKM(q, v.Cari, sc, view, v.Galat)
	return err
}

// calonUMKM are the businesses of the register matching cari that a form
// offers to pick, within the caller's area and as they may see them; a
// search the register refuses has its message in galat["cari"].
func (a *App) calonUMKM(q *Permintaan, cari string, sc umkm.Scope, view umkm.View, galat map[string]string) ([]BarisUMKM, error) {
	if g := checkFilter(umkmFilter{Q: cari}, &wilayah{}); g != nil {
		galat["cari"] = g["q"]
		return nil, nil
	}
	page, err := a.UMKM.List(q.ctx, q.T, umkm.Filter{Q: cari, Limit: calonShown}, sc, view)
	if err != nil {
		return nil, err
	}
	var out []BarisUMKM
	for _, rec := range page.Items {
		out = append(out, BarisUMKM{Record: rec, Sektor: label(labelSektor, rec.Sektor)})
	}
	return out, nil
}

func (a *App) simpanAnggota(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	baru := isNew(r)
	version, err := formVersi(r, baru)
	if err != nil {
		return err
	}
	f := r.PostForm
	ubah := koperasi.AnggotaUbah{Sejak: opt(f, "sejak"), Difasilitasi: f.Get("difasilitasi") == "true"}
	if baru {
		uid, perr := uuid.Parse(f.Get("umkm_id"))
		if perr != nil {
			return a.againTyped(w, r, q, a.anggotaForm, map[string]string{"umkm_id": "Pilih usaha dari hasil pencarian."})
		}
		sc, _, serr := umkm.Access(q.ctx, a.Authz, q.P, q.T)
		if serr != nil {
			return serr
		}
		// A petugas adds only businesses of their regions, as they see them.
		if _, gerr := a.UMKM.Get(q.ctx, q.T, uid, sc, umkm.View{}); gerr != nil {
			return gerr
		}
		err = a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
			_, _, err := a.Koperasi.AddAnggotaTx(q.ctx, tx, q.T, id, koperasi.AnggotaInput{UMKMID: uid, AnggotaUbah: ubah})
			return err
		})
	} else {
		uid, perr := bagianID(r)
		if perr != nil {
			return perr
		}
		_, _, err = a.Koperasi.UpdateAnggota(q.ctx, q.T, id, uid, version, ubah)
	}
	if err != nil {
		return a.again(w, r, q, a.anggotaForm, err, nil)
	}
	selesai(w, r, q, "anggota", "anggota")
	return nil
}

// ---- deletes ----

// hapusBagian removes a part at the version the record page showed; when
// the cooperative changed since, the record page comes back as it is now,
// with nothing removed.
func (a *App) hapusBagian(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
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
	kind := strings.Split(strings.TrimPrefix(r.URL.Path, koperasiPath(q.T, id.String())+"/"), "/")[0]
	var tahun int
	var part uuid.UUID
	if kind == "rat" || kind == "komposisi" {
		if tahun, err = strconv.Atoi(r.PathValue("bagian")); err != nil {
			return apperr.NotFound()
		}
	} else if part, err = bagianID(r); err != nil {
		return err
	}
	switch kind {
	case "unit":
		_, err = a.Koperasi.DeleteUnit(q.ctx, q.T, id, part, version)
	case "komposisi":
		_, err = a.Koperasi.DeleteKomposisi(q.ctx, q.T, id, tahun, version)
	case "pengurus":
		_, err = a.Koperasi.DeletePengurus(q.ctx, q.T, id, part, version)
	case "rat":
		_, err = a.Koperasi.DeleteRAT(q.ctx, q.T, id, tahun, version)
	case "kesehatan":
		_, err = a.Koperasi.DeletePenilaian(q.ctx, q.T, id, part, version)
	case "anggota":
		_, err = a.Koperasi.RemoveAnggota(q.ctx, q.T, id, part, version)
	default:
		return apperr.NotFound()
	}
	if apperr.KindOf(err) == apperr.KindPreconditionFailed {
		v, verr := a.koperasiRekam(r, q, id)
		if verr != nil {
			return verr
		}
		v.Galat = textDiubahOrang + " Tidak ada yang dihapus; periksa datanya sekali lagi."
		a.render(w, r, http.StatusPreconditionFailed, v)
		return nil
	} else if err != nil {
		return err
	}
	selesai(w, r, q, "dihapus", kind)
	return nil
}
