package web

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/langganan"
	"github.com/sentra-id/sentra/internal/tenancy"
)

//go:embed templates
var templateFS embed.FS

// Halaman is what every page shows around its content: the title, who is
// signed in, the office and its menu. Every view model embeds it; handlers
// get one filled in from the request with Permintaan.Halaman.
type Halaman struct {
	Judul    string          // the page's title, also the <h1>
	Pengguna string          // name of who is signed in; "" on public pages
	Kantor   *tenancy.Tenant // the office of an office page; nil elsewhere
	Menu     []Menu
	// BisaKeluar: a session exists to end (the logout button).
	BisaKeluar bool

	can func(action string) bool
	loc *time.Location
}

func (h *Halaman) halaman() *Halaman { return h }

// Spanduk is the banner of the office's subscription state (BILLING.md):
// the state in words (keadaan) and what still works. "" when there is
// nothing to say.
func (h *Halaman) Spanduk() string {
	if h.Kantor == nil {
		return ""
	}
	s := langganan.State(h.Kantor.State)
	saran, ok := saranSpanduk[s]
	if !ok {
		return ""
	}
	return keadaanDi(s, langganan.Reason(h.Kantor.StateReason), h.Kantor.StateUntil, h.location()) + "." + saran
}

// Can reports whether the caller may do action (a Casbin action, e.g.
// "update-umkm") in the page's office, decided as the API decides it:
// {{if .Can "update-umkm"}}<a ...>Ubah</a>{{end}}.
func (h *Halaman) Can(action string) bool { return h.can != nil && h.can(action) }

// Tanggal is a date in the office's time zone: 6 Desember 2026.
func (h *Halaman) Tanggal(t time.Time) string { return format.Tanggal(t, h.location()) }

// Jam is a time of day in the office's time zone: 14.05 WIB.
func (h *Halaman) Jam(t time.Time) string { return format.Jam(t, h.location()) }

// Waktu is a date and time in the office's time zone.
func (h *Halaman) Waktu(t time.Time) string { return format.Waktu(t, h.location()) }

func (h *Halaman) location() *time.Location {
	if h.loc == nil {
		return wib
	}
	return h.loc
}

// Menu is an entry of the office menu.
type Menu struct {
	Label, Tautan string
	Aktif         bool
}

// viewModel is a page's typed data: a struct embedding Halaman.
type viewModel interface{ halaman() *Halaman }

// views are the pages: each template templates/views/<name>.html and the
// one view-model type it is rendered with. Add a page here; New fails when
// a view file has no entry, an entry has no file, or a view does not parse.
var views = map[string]viewModel{
	"galat":          &galatView{},
	"masuk":          &masukView{},
	"beranda":        &berandaView{},
	"dasbor":         &dasborView{},
	"peta":           &petaView{},
	"dasbor-wilayah": &wilayahView{},
	"umkm":           &umkmListView{},
	// Register UMKM (umkm*.go)
	"umkm-rekam":    &umkmRekamView{},
	"umkm-form":     &umkmFormView{},
	"umkm-arsip":    &arsipView{},
	"umkm-duplikat": &duplikatView{},
	"umkm-banding":  &bandingView{},
	// Register koperasi (koperasi*.go)
	"koperasi":        &koperasiListView{},
	"koperasi-rekam":  &koperasiRekamView{},
	"koperasi-form":   &koperasiFormView{},
	"koperasi-arsip":  &koperasiArsipView{},
	"koperasi-bagian": &bagianView{},

	// Marketing points, products and curation (pemasaran*.go)
	"pemasaran":             &titikListView{},
	"pemasaran-titik":       &titikRekamView{},
	"pemasaran-titik-form":  &titikFormView{},
	"pemasaran-produk-umkm": &produkUMKMView{},
	"pemasaran-produk":      &produkView{},
	// Partnerships (kemitraan*.go)
	"kemitraan":                 &mitraListView{},
	"kemitraan-mitra-form":      &mitraFormView{},
	"kemitraan-mitra":           &mitraRekamView{},
	"kemitraan-perjanjian-form": &perjanjianFormView{},
	"kemitraan-perjanjian":      &perjanjianRekamView{},
	"kemitraan-pengingat":       &pengingatKemitraanView{},
	"kemitraan-kalender":        &kalenderKemitraanView{},
	// Consignment (konsinyasi*.go)
	"konsinyasi-titik":     &konsinyasiTitikView{},
	"konsinyasi":           &konsinyasiView{},
	"konsinyasi-form":      &konsinyasiFormView{},
	"konsinyasi-terlambat": &konsinyasiTerlambatView{},
	// Programmes and participants (program*.go)
	"program":         &programListView{},
	"program-form":    &programFormView{},
	"program-rekam":   &programRekamView{},
	"program-belum":   &belumView{},
	"program-tumpang": &tumpangLaporanView{},
	// The programme report (laporan_program.go)
	"laporan-program": &laporanProgramView{},
	// Other agencies' lists (luar.go)
	"program-luar":       &luarView{},
	"program-luar-baris": &luarBarisView{},
	// The consultation clinic (klinik*.go)
	"klinik":           &klinikMingguView{},
	"klinik-tiket":     &klinikTiketListView{},
	"klinik-rekam":     &klinikRekamView{},
	"klinik-konsultan": &klinikKonsultanView{},
	"klinik-layanan":   &klinikLayananView{},
	"klinik-skm":       &klinikSKMView{},
	"klinik-publik":    &klinikPublikView{},
	"klinik-lacak":     &klinikLacakView{},
	// Pasar & belanja (pasar*.go)
	"pasar":         &pasarRingkasanView{},
	"pasar-belanja": &pasarBelanjaView{},
	"pasar-toko":    &pasarTokoView{},

	"impor":          &imporView{},
	"pekerjaan":      &pekerjaanView{},
	"pekerjaan-saya": &pekerjaanListView{},

	"daftar":     &daftarView{},
	"lacak":      &lacakView{},
	"registrasi": &registrasiView{},

	"pengguna":       &penggunaView{},
	"pengguna-rekam": &penggunaRekamView{},
	"audit":          &auditView{},
	"undangan":       &undanganView{},
	// Onboarding (platform_kantor.go)
	"platform-kantor-rekam": &kantorPlatformView{},
	"tagihan":               &tagihanView{}, // the office's billing (tagihan.go)

	// Reklasifikasi KSU (reklasifikasi.go)
	"reklasifikasi":          &kampanyeListView{},
	"reklasifikasi-kampanye": &kampanyeView{},
	"reklasifikasi-usulan":   &usulanListView{},
	"reklasifikasi-rekam":    &usulanRekamView{},
	"reklasifikasi-tinggi":   &tinggiView{},
	// Pendanaan (pendanaan.go)
	"pendanaan-papan":    &papanView{},
	"pendanaan-rekam":    &pengajuanView{},
	"pendanaan-kelompok": &kelompokView{},
	"pendanaan-baru":     &baruView{},
	"pendanaan-skema":    &skemaView{},
	"pendanaan-subsidi":  &bukuView{},
	// Province viewers and platform admins (provinsi.go, platform.go)
	"provinsi":          &provinsiView{},
	"provinsi-kantor":   &provinsiKantorView{},
	"platform-kantor":   &platformKantorView{},
	"platform-pengguna": &platformPenggunaView{},
}

// pages are the parsed views, each with the layout and partials.
type pages struct {
	byType map[reflect.Type]*template.Template
	names  map[reflect.Type]string
}

func (a *App) parseViews() error {
	files, err := fs.Glob(templateFS, "templates/views/*.html")
	if err != nil {
		return err
	}
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimSuffix(path.Base(f), ".html"))
	}
	for name := range views {
		if !slices.Contains(names, name) {
			return fmt.Errorf("view %s is registered but templates/views/%s.html does not exist", name, name)
		}
	}
	base, err := template.New("layout").Funcs(a.funcs()).ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return fmt.Errorf("parse layout: %w", err)
	}
	a.pages = pages{byType: map[reflect.Type]*template.Template{}, names: map[reflect.Type]string{}}
	for _, name := range names {
		model, ok := views[name]
		if !ok {
			return fmt.Errorf("templates/views/%s.html has no view model in views", name)
		}
		tpl, err := template.Must(base.Clone()).ParseFS(templateFS, "templates/views/"+name+".html")
		if err != nil {
			return fmt.Errorf("parse view %s: %w", name, err)
		}
		if tpl.Lookup("content") == nil {
			return fmt.Errorf("view %s defines no \"content\"", name)
		}
		typ := reflect.TypeOf(model)
		if _, dup := a.pages.byType[typ]; dup {
			return fmt.Errorf("view %s: type %s serves two views", name, typ)
		}
		a.pages.byType[typ], a.pages.names[typ] = tpl, name
	}
	return nil
}

func (a *App) funcs() template.FuncMap {
	return template.FuncMap{
		"angka":  func(n int) string { return format.Angka(n) },
		"rupiah": func(n int64) string { return format.Rupiah(n) },
		"persen": format.Persen,
		"bulan":  format.Bulan,
		"statis": a.assets.url,
		"isian":  isian,
		"lower":  strings.ToLower,
		// Programmes (program*.go)
		"hariKata": hari,
		// Cooperatives (koperasi*.go)
		"label_predikat": func(p string) string { return label(labelPredikat, p) },
		"desimal":        func(f float64) string { return desimal(f, 2) },
		"tugasIsian": func(t wilayahTugas, galat map[string]string) tugasIsian {
			return tugasIsian{Tugas: t, Pesan: galat["wilayah"]}
		},
	}
}

// Isian is what the galat-isian partial needs of a form field.
type Isian struct{ Nama, Pesan string }

// tugasIsian is what the wilayah-tugas partial needs: the choice and its
// message.
type tugasIsian struct {
	Tugas wilayahTugas
	Pesan string
}

// isian is the field nama with its message from galat, if any.
func isian(galat map[string]string, nama string) Isian { return Isian{Nama: nama, Pesan: galat[nama]} }

// render writes a page with status. The view is the one registered for v's
// type.
func (a *App) render(w http.ResponseWriter, r *http.Request, status int, v viewModel) {
	if err := a.write(w, status, v); err != nil {
		a.internal(w, r, err)
	}
}

// write renders into a buffer first, so a template error becomes a clean
// error page instead of half a page.
func (a *App) write(w http.ResponseWriter, status int, v viewModel) error {
	typ := reflect.TypeOf(v)
	tpl, ok := a.pages.byType[typ]
	if !ok {
		return fmt.Errorf("render: %T is not a registered view", v)
	}
	var buf bytes.Buffer
	if err := tpl.ExecuteTemplate(&buf, "layout", v); err != nil {
		return fmt.Errorf("render %s: %w", a.pages.names[typ], err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// Pages hold personal data and depend on the session: never stored,
	// so the back button after logging out shows nothing.
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// internal answers a fault of ours: logged once with the request id and
// tenant, never shown; the words are the API's.
func (a *App) internal(w http.ResponseWriter, r *http.Request, err error) {
	ctx := r.Context()
	if ctx.Err() != nil {
		a.Logger.InfoContext(ctx, "request canceled", "error", err)
	} else {
		a.Logger.ErrorContext(ctx, "internal error", "error", err)
	}
	v := &galatView{Halaman: a.ctxHalaman(ctx, "Terjadi kesalahan"), Pesan: textInternal.ID}
	if err := a.write(w, http.StatusInternalServerError, v); err != nil {
		a.Logger.ErrorContext(ctx, "render error page", "error", err)
		http.Error(w, textInternal.ID, http.StatusInternalServerError)
	}
}

// ctxHalaman builds the frame of a page outside an office.
func (a *App) ctxHalaman(ctx context.Context, judul string) Halaman {
	h := Halaman{Judul: judul}
	if p, ok := tenancy.PrincipalFrom(ctx); ok {
		h.Pengguna, h.BisaKeluar = p.Name, true
	}
	return h
}
