package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/konsinyasi"
	"github.com/sentra-id/sentra/internal/pemasaran"
)

// Consignment pages: a point's stock and sales at a glance, a listing's
// ledger, one form per movement (each the API's operation and fields, so
// the service's field errors land beside their field) and the office's
// late-report dashboard.

// BarisStok is a ledger's totals in words.
type BarisStok struct {
	konsinyasi.Konsinyasi
	Syarat                                                          string
	DiterimaKata, TerjualKata, ReturKata, KedaluwarsaKata           string
	SelisihKata, DiTanganKata, BrutoKata, TerutangKata, DibayarKata string
	KomisiKata, KompensasiKata, LaporKata, OpnameKata               string
}

func barisStok(k konsinyasi.Konsinyasi) BarisStok {
	b := BarisStok{Konsinyasi: k, DiterimaKata: format.Angka(k.Diterima), TerjualKata: format.Angka(k.Terjual), ReturKata: format.Angka(k.Dikembalikan),
		KedaluwarsaKata: format.Angka(k.Kedaluwarsa), SelisihKata: format.Angka(k.Selisih), DiTanganKata: format.Angka(k.DiTangan),
		BrutoKata: format.Rupiah(k.Bruto), TerutangKata: format.Rupiah(k.Terutang), DibayarKata: format.Rupiah(k.Dibayar),
		KomisiKata: format.Rupiah(k.Komisi), KompensasiKata: format.Rupiah(k.Kompensasi), LaporKata: hariKata(k.LaporSampai), OpnameKata: hariKata(k.OpnameTerakhir)}
	if k.KomisiBP != nil {
		b.Syarat = "Komisi " + format.Desimal(float64(*k.KomisiBP)/100, 2) + "% dari penjualan"
	} else if k.BiayaBulanan != nil {
		b.Syarat = "Biaya tetap " + format.Rupiah(*k.BiayaBulanan) + " per bulan"
	}
	return b
}

func hariKata(s *string) string {
	if s == nil {
		return ""
	}
	d, err := parseDay(*s)
	if err != nil {
		return ""
	}
	return format.Tanggal(d, wib)
}

// konsinyasiTitikView is a point's ledgers and the form that opens one.
type konsinyasiTitikView struct {
	Halaman
	isianForm
	T          BarisTitik
	Items      []BarisStok
	KurasiOpsi []Opsi
	Pesan      string
}

func (a *App) konsinyasiTitik(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	v, err := a.konsinyasiTitikView(r, q, url.Values{})
	if err != nil {
		return err
	}
	if r.URL.Query().Get("pesan") == "buka" {
		v.Pesan = "Buku konsinyasi dibuka."
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

func (a *App) konsinyasiTitikView(r *http.Request, q *Permintaan, isi url.Values) (*konsinyasiTitikView, error) {
	id, view, err := a.pemasaranPath(r, q)
	if err != nil {
		return nil, err
	}
	p, err := a.Pemasaran.GetTitik(q.ctx, q.T, id, view)
	if err != nil {
		return nil, err
	}
	stok, err := a.Konsinyasi.Stok(q.ctx, q.T, id)
	if err != nil {
		return nil, err
	}
	list, err := a.Pemasaran.ListKurasi(q.ctx, q.T, id, "", view)
	if err != nil {
		return nil, err
	}
	v := &konsinyasiTitikView{Halaman: q.Halaman("Stok dan penjualan "+p.Nama, "pemasaran"), isianForm: isianForm{Isi: isi, Galat: map[string]string{}}, T: barisTitik(p)}
	open := map[uuid.UUID]bool{}
	for _, k := range stok {
		v.Items = append(v.Items, barisStok(k))
		open[k.KurasiID] = true
	}
	for _, k := range list {
		if !open[k.ID] && (k.Status == pemasaran.StatusDiterima || k.Status == pemasaran.StatusTampil) {
			v.KurasiOpsi = append(v.KurasiOpsi, Opsi{Nilai: k.ID.String(), Label: k.ProdukNama + " — " + k.NamaUsaha})
		}
	}
	return v, nil
}

// bukaKonsinyasi opens a listing's ledger with its terms.
func (a *App) bukaKonsinyasi(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	id, err1 := uuid.Parse(r.PathValue("id"))
	kid, err2 := uuid.Parse(r.PostForm.Get("kurasi_id"))
	g := map[string]string{}
	var in konsinyasi.KonsinyasiBuka
	if s := strings.TrimSpace(r.PostForm.Get("komisi_persen")); s != "" {
		f, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
		if err != nil || f < 0 || f > 100 {
			g["komisi_persen"] = "Isi persen 0–100, mis. 10 atau 12,5."
		}
		bp := int(f*100 + 0.5)
		in.KomisiBP = &bp
	}
	if s := strings.TrimSpace(r.PostForm.Get("biaya_bulanan")); s != "" {
		n, ok := angkaForm(s)
		if !ok {
			g["biaya_bulanan"] = "Isi rupiah dengan angka saja."
		}
		in.BiayaBulanan = &n
	}
	if err1 != nil {
		return apperr.NotFound()
	}
	if err2 != nil {
		g["kurasi_id"] = "Pilih produk."
	}
	var err error
	if len(g) == 0 {
		err = a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
			_, err := a.Konsinyasi.BukaTx(q.ctx, tx, q.T, id, kid, in)
			return err
		})
		if err == nil {
			http.Redirect(w, r, "/t/"+q.T.Slug+"/pemasaran/titik/"+id.String()+"/konsinyasi?pesan=buka", http.StatusSeeOther)
			return nil
		}
		ae, ok := apperr.As(err)
		if !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict) {
			return err
		}
		g = fieldMessages(ae)
		if m, ok := g["komisi_bp"]; ok {
			g["komisi_persen"] = m
		}
		if len(g) == 0 {
			g["kurasi_id"] = ae.Message.ID
		}
	}
	v, verr := a.konsinyasiTitikView(r, q, r.PostForm)
	if verr != nil {
		return verr
	}
	v.Galat = g
	a.render(w, r, http.StatusUnprocessableEntity, v)
	return nil
}

// angkaForm reads a whole number as typed in Indonesia (1.500.000).
func angkaForm(s string) (int64, bool) {
	n, err := strconv.ParseInt(strings.NewReplacer(".", "", " ", "", "Rp", "").Replace(strings.TrimSpace(s)), 10, 64)
	return n, err == nil
}

// BarisGerak is a movement in words.
type BarisGerak struct {
	konsinyasi.KonsinyasiGerak
	JenisKata, TanggalKata, JumlahKata, Rincian string
}

var labelGerak = map[string]string{"terima": "Barang diterima", "jual": "Laporan penjualan", "retur": "Retur ke UMKM",
	"kedaluwarsa": "Kedaluwarsa", "opname": "Stok opname", "setor": "Setoran ke UMKM"}

func barisGerak(g konsinyasi.KonsinyasiGerak) BarisGerak {
	b := BarisGerak{KonsinyasiGerak: g, JenisKata: label(labelGerak, g.Jenis), TanggalKata: hariKata(&g.Tanggal), JumlahKata: format.Angka(g.Jumlah)}
	var r []string
	switch g.Jenis {
	case "terima":
		if g.Batch != nil {
			r = append(r, "Batch "+*g.Batch)
		}
		if g.TanggalKedaluwarsa != nil {
			r = append(r, "kedaluwarsa "+hariKata(g.TanggalKedaluwarsa))
		}
	case "jual":
		r = append(r, "Periode "+hariKata(g.PeriodeMulai)+" – "+hariKata(g.PeriodeSelesai), "bruto "+format.Rupiah(*g.Bruto), "komisi "+format.Rupiah(*g.Komisi))
		if *g.Sumber == "verifikasi" {
			r = append(r, "diverifikasi staf")
		} else {
			r = append(r, "dilaporkan pengelola")
		}
	case "kedaluwarsa":
		r = append(r, "kompensasi "+format.Rupiah(*g.Kompensasi))
	case "opname":
		r = append(r, "dihitung "+format.Angka(*g.Dihitung))
	}
	if g.Keterangan != nil {
		r = append(r, *g.Keterangan)
	}
	b.Rincian = strings.Join(r, "; ")
	return b
}

// BarisSetor is a settlement in words.
type BarisSetor struct {
	konsinyasi.KonsinyasiBayar
	TanggalKata, JumlahKata string
}

// konsinyasiView is one listing's ledger.
type konsinyasiView struct {
	Halaman
	TitikID string
	K       BarisStok
	Gerak   []BarisGerak
	Setor   []BarisSetor
	Pesan   string
}

func (a *App) rekamKonsinyasi(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err1 := uuid.Parse(r.PathValue("id"))
	kid, err2 := uuid.Parse(r.PathValue("kurasi"))
	if err1 != nil || err2 != nil {
		return apperr.NotFound()
	}
	k, err := a.Konsinyasi.Get(q.ctx, q.T, id, kid)
	if err != nil {
		return err
	}
	v := &konsinyasiView{Halaman: q.Halaman("Konsinyasi "+k.ProdukNama, "pemasaran"), TitikID: id.String(), K: barisStok(k.Konsinyasi)}
	if j := r.URL.Query().Get("pesan"); labelGerak[j] != "" {
		v.Pesan = label(labelGerak, j) + " dicatat."
	}
	for _, g := range k.Gerak {
		v.Gerak = append(v.Gerak, barisGerak(g))
	}
	for _, s := range k.Bayar {
		v.Setor = append(v.Setor, BarisSetor{KonsinyasiBayar: s, TanggalKata: hariKata(&s.Tanggal), JumlahKata: format.Rupiah(s.Jumlah)})
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}
