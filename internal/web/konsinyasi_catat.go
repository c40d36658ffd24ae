package web

import (
	"context"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/konsinyasi"
	"github.com/sentra-id/sentra/internal/pemasaran"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// isianGerak is a field of a movement's form.
type isianGerak struct {
	Nama, Label string
	Opsi        []string // umkm-teks options
	Angka       bool     // a whole number (1.500.000 accepted)
}

type catatan struct {
	judul  string
	isian  []isianGerak
	simpan func(ctx context.Context, a *App, tx pgx.Tx, t *tenancy.Tenant, id, kid uuid.UUID, f url.Values, n map[string]int64) error
}

var (
	isianTanggal    = isianGerak{"tanggal", "Tanggal", []string{"jenis=date", "petunjuk=Kosongkan untuk hari ini."}, false}
	isianKeterangan = isianGerak{"keterangan", "Keterangan", []string{"jenis=textarea", "maks=1000"}, false}
	isianJumlah     = isianGerak{"jumlah", "Jumlah (buah)", []string{"wajib", "mode=numeric"}, true}
)

// catatanGerak are the movement forms by path name, each the operation
// create-konsinyasi-<name>.
var catatanGerak = map[string]catatan{
	"terima": {"Catat barang diterima", []isianGerak{isianJumlah, {"batch", "Batch", []string{"maks=100"}, false},
		{"tanggal_kedaluwarsa", "Tanggal kedaluwarsa", []string{"jenis=date"}, false}, isianTanggal, isianKeterangan},
		func(ctx context.Context, a *App, tx pgx.Tx, t *tenancy.Tenant, id, kid uuid.UUID, f url.Values, n map[string]int64) error {
			_, err := a.Konsinyasi.TerimaTx(ctx, tx, t, id, kid, konsinyasi.KonsinyasiTerima{Jumlah: n["jumlah"], Batch: opt(f, "batch"),
				TanggalKedaluwarsa: opt(f, "tanggal_kedaluwarsa"), Tanggal: opt(f, "tanggal"), Keterangan: opt(f, "keterangan")})
			return err
		}},
	"jual": {"Catat laporan penjualan", []isianGerak{{"periode_mulai", "Periode mulai", []string{"jenis=date", "wajib"}, false},
		{"periode_selesai", "Periode selesai", []string{"jenis=date", "wajib"}, false}, {"jumlah", "Jumlah terjual (buah)", []string{"wajib", "mode=numeric"}, true},
		{"bruto", "Penjualan bruto (rupiah)", []string{"wajib", "mode=numeric", "petunjuk=Mis. 1.500.000"}, true}, isianKeterangan},
		func(ctx context.Context, a *App, tx pgx.Tx, t *tenancy.Tenant, id, kid uuid.UUID, f url.Values, n map[string]int64) error {
			_, err := a.Konsinyasi.JualTx(ctx, tx, t, id, kid, konsinyasi.KonsinyasiJual{PeriodeMulai: f.Get("periode_mulai"), PeriodeSelesai: f.Get("periode_selesai"),
				Jumlah: n["jumlah"], Bruto: n["bruto"], Sumber: f.Get("sumber"), Keterangan: opt(f, "keterangan")})
			return err
		}},
	"retur": {"Catat retur ke UMKM", []isianGerak{isianJumlah, isianTanggal, isianKeterangan},
		func(ctx context.Context, a *App, tx pgx.Tx, t *tenancy.Tenant, id, kid uuid.UUID, f url.Values, n map[string]int64) error {
			_, err := a.Konsinyasi.ReturTx(ctx, tx, t, id, kid, konsinyasi.KonsinyasiRetur{Jumlah: n["jumlah"], Tanggal: opt(f, "tanggal"), Keterangan: opt(f, "keterangan")})
			return err
		}},
	"kedaluwarsa": {"Catat stok kedaluwarsa", []isianGerak{isianJumlah, {"kompensasi", "Kompensasi (rupiah)", []string{"wajib", "mode=numeric", "petunjuk=Sesuai perjanjian; 0 bila tidak ada."}, true},
		isianTanggal, isianKeterangan},
		func(ctx context.Context, a *App, tx pgx.Tx, t *tenancy.Tenant, id, kid uuid.UUID, f url.Values, n map[string]int64) error {
			_, err := a.Konsinyasi.KedaluwarsaTx(ctx, tx, t, id, kid, konsinyasi.KonsinyasiKedaluwarsa{Jumlah: n["jumlah"], Kompensasi: n["kompensasi"],
				Tanggal: opt(f, "tanggal"), Keterangan: opt(f, "keterangan")})
			return err
		}},
	"opname": {"Catat stok opname", []isianGerak{{"dihitung", "Jumlah dihitung di rak (buah)", []string{"wajib", "mode=numeric"}, true}, isianTanggal,
		{"keterangan", "Penjelasan selisih", []string{"jenis=textarea", "maks=1000", "petunjuk=Tanpa penjelasan, selisih tetap terbuka."}, false}},
		func(ctx context.Context, a *App, tx pgx.Tx, t *tenancy.Tenant, id, kid uuid.UUID, f url.Values, n map[string]int64) error {
			_, err := a.Konsinyasi.OpnameTx(ctx, tx, t, id, kid, konsinyasi.KonsinyasiOpname{Dihitung: n["dihitung"], Tanggal: opt(f, "tanggal"), Keterangan: opt(f, "keterangan")})
			return err
		}},
	"setor": {"Catat setoran ke UMKM", []isianGerak{{"jumlah", "Jumlah disetor (rupiah)", []string{"wajib", "mode=numeric"}, true},
		{"nomor_bukti", "Nomor bukti transfer atau kuitansi", []string{"wajib", "maks=100"}, false}, isianTanggal, isianKeterangan},
		func(ctx context.Context, a *App, tx pgx.Tx, t *tenancy.Tenant, id, kid uuid.UUID, f url.Values, n map[string]int64) error {
			_, err := a.Konsinyasi.SetorTx(ctx, tx, t, id, kid, konsinyasi.KonsinyasiSetor{Jumlah: n["jumlah"], NomorBukti: f.Get("nomor_bukti"),
				Tanggal: opt(f, "tanggal"), Keterangan: opt(f, "keterangan")})
			return err
		}},
}

// konsinyasiFormView is one movement's form for a listing.
type konsinyasiFormView struct {
	Halaman
	isianForm
	TitikID, KurasiID, Jenis string
	K                        BarisStok
	Isian                    []Teks
	Pesan                    string
}

func (a *App) konsinyasiForm(r *http.Request, q *Permintaan, isi url.Values) (*konsinyasiFormView, catatan, uuid.UUID, uuid.UUID, error) {
	// The route's last segment: each movement has its own pattern, for its
	// own permission.
	jenis := path.Base(r.URL.Path)
	c, ok := catatanGerak[jenis]
	id, err1 := uuid.Parse(r.PathValue("id"))
	kid, err2 := uuid.Parse(r.PathValue("kurasi"))
	if !ok || err1 != nil || err2 != nil {
		return nil, c, id, kid, apperr.NotFound()
	}
	k, err := a.Konsinyasi.Get(q.ctx, q.T, id, kid)
	if err != nil {
		return nil, c, id, kid, err
	}
	v := &konsinyasiFormView{Halaman: q.Halaman(c.judul+": "+k.ProdukNama, "pemasaran"), isianForm: isianForm{Isi: isi, Galat: map[string]string{}},
		TitikID: id.String(), KurasiID: kid.String(), Jenis: jenis, K: barisStok(k.Konsinyasi)}
	return v, c, id, kid, nil
}

// fill lays out the fields after Galat is known.
func (v *konsinyasiFormView) fill(c catatan) {
	for _, f := range c.isian {
		v.Isian = append(v.Isian, v.Teks(f.Nama, f.Label, f.Opsi...))
	}
}

func (a *App) konsinyasiCatatForm(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	isi := url.Values{"sumber": {"mandiri"}}
	v, c, _, _, err := a.konsinyasiForm(r, q, isi)
	if err != nil {
		return err
	}
	v.fill(c)
	a.render(w, r, http.StatusOK, v)
	return nil
}

func (a *App) catatKonsinyasi(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	v, c, id, kid, err := a.konsinyasiForm(r, q, r.PostForm)
	if err != nil {
		return err
	}
	n := map[string]int64{}
	for _, f := range c.isian {
		if !f.Angka {
			continue
		}
		s := strings.TrimSpace(r.PostForm.Get(f.Nama))
		if s == "" {
			v.Galat[f.Nama] = "Wajib diisi."
			continue
		}
		x, ok := angkaForm(s)
		if !ok {
			v.Galat[f.Nama] = "Isi dengan angka saja, mis. 1.500.000."
		}
		n[f.Nama] = x
	}
	if len(v.Galat) == 0 {
		err = a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error { return c.simpan(q.ctx, a, tx, q.T, id, kid, r.PostForm, n) })
		if err == nil {
			http.Redirect(w, r, "/t/"+q.T.Slug+"/pemasaran/titik/"+id.String()+"/konsinyasi/"+kid.String()+"?pesan="+v.Jenis, http.StatusSeeOther)
			return nil
		}
		ae, ok := apperr.As(err)
		if !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict) {
			return err
		}
		v.Galat, v.Pesan = fieldMessages(ae), ae.Message.ID
	} else {
		v.Pesan = "Periksa isian yang ditandai."
	}
	v.fill(c)
	a.render(w, r, http.StatusUnprocessableEntity, v)
	return nil
}

// konsinyasiTerlambatView is the office's late-report dashboard.
type konsinyasiTerlambatView struct {
	Halaman
	Items []BarisOperator
}

// BarisOperator is one operator's line in words.
type BarisOperator struct {
	konsinyasi.OperatorTerlambat
	OperatorKata, BelumKata string
	Terlambat               []BarisTerlambat
}

// BarisTerlambat is an overdue report in words.
type BarisTerlambat struct {
	konsinyasi.Terlambat
	Periode, Sejak string
}

func (a *App) konsinyasiTerlambat(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	list, err := a.Konsinyasi.Dasbor(q.ctx, q.T)
	if err != nil {
		return err
	}
	v := &konsinyasiTerlambatView{Halaman: q.Halaman("Laporan konsinyasi terlambat", "pemasaran")}
	for _, o := range list {
		b := BarisOperator{OperatorTerlambat: o, OperatorKata: label(pemasaran.OperatorLabel, o.OperatorJenis), BelumKata: format.Rupiah(o.BelumDisetor)}
		for _, t := range o.Terlambat {
			b.Terlambat = append(b.Terlambat, BarisTerlambat{Terlambat: t, Periode: hariKata(&t.PeriodeMulai) + " – " + hariKata(&t.PeriodeSelesai),
				Sejak: format.Tanggal(t.CreatedAt, wib)})
		}
		v.Items = append(v.Items, b)
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

func (a *App) konsinyasiRoutes() {
	a.kantor("GET /t/{tenant}/pemasaran/konsinyasi/terlambat", "get-konsinyasi-terlambat", a.konsinyasiTerlambat)
	a.kantor("GET /t/{tenant}/pemasaran/titik/{id}/konsinyasi", "list-titik-konsinyasi", a.konsinyasiTitik)
	a.kantor("POST /t/{tenant}/pemasaran/titik/{id}/konsinyasi", "create-konsinyasi", a.bukaKonsinyasi)
	a.kantor("GET /t/{tenant}/pemasaran/titik/{id}/konsinyasi/{kurasi}", "get-konsinyasi", a.rekamKonsinyasi)
	for jenis := range catatanGerak {
		a.kantor("GET /t/{tenant}/pemasaran/titik/{id}/konsinyasi/{kurasi}/"+jenis, "create-konsinyasi-"+jenis, a.konsinyasiCatatForm)
		a.kantor("POST /t/{tenant}/pemasaran/titik/{id}/konsinyasi/{kurasi}/"+jenis, "create-konsinyasi-"+jenis, a.catatKonsinyasi)
	}
}
