package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/sentra-id/sentra/internal/web/webtest"
)

var tindakLanjutForm = regexp.MustCompile(`action="(/t/depok/program/[0-9a-f-]{36}/peserta/([0-9a-f-]{36}))/tindak-lanjut"[^>]*>\s*<input type="hidden" name="versi" value="(\d+)"`)

// TestProgramBASTPages: after the selection, a participant's follow-up
// notes and, in an aid programme, the hand-overs (BAST) with the
// recipient's acknowledgement. A refused form comes back with the message
// beside the line it was typed in and writes nothing; a viewer reads the
// signer's name masked and has no forms.
func TestProgramBASTPages(t *testing.T) {
	srv := webtest.New(t)
	in1, _, _ := inKecamatan(t, srv)
	staf, viewer := srv.Client(t), srv.Client(t)
	staf.Login(webtest.StafDepok)
	viewer.Login(webtest.ViewerDepok)
	depok := srv.Tenants["depok"].ID
	p := newProgram(t, staf, "depok", url.Values{"nama": {"Bantuan Etalase"}, "jenis": {"bantuan_barang"}, "tahun": {"2026"},
		"sumber_dana": {"apbd"}, "satuan": {"usaha"}, "kuota": {"5"}, "target": {"5"}, "status": {"dibuka"}})
	if r := staf.Post(p+"/peserta", url.Values{"umkm_id": {in1.ID.String()}, "pemohon": {"umkm"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("apply: status %d:\n%s", r.Status, r.Body)
	}
	page := staf.Get(p).Body
	if strings.Contains(page, "/tindak-lanjut\"") {
		t.Error("an applicant not yet selected is offered a follow-up note")
	}
	if r := step(t, staf, pesertaRow(t, page, in1.NamaUsaha), "pilih", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("select: status %d:\n%s", r.Status, r.Body)
	}

	page = staf.Get(p).Body
	m := tindakLanjutForm.FindStringSubmatch(page)
	if m == nil || !strings.Contains(page, "Belum ada BAST.") {
		t.Fatalf("no follow-up form or BAST section for the selected participant:\n%s", page)
	}
	one, pid := m[1], m[2]

	t.Run("follow-up notes", func(t *testing.T) {
		r := staf.Post(one+"/tindak-lanjut", url.Values{"versi": {m[3]}, "tanggal": {"2026-07-01"}, "catatan": {"  "}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="tl-catatan-`+pid+`-galat"`) {
			t.Fatalf("an empty note: status %d, want 422 beside the field:\n%s", r.Status, r.Body)
		}
		if strings.Contains(r.Body, `id="selesai-tanggal-`+pid+`" name="tanggal" type="date" value="2026-07-01"`) {
			t.Error("the note's day was typed into the completion form too")
		}
		if n := srv.Count(t, "select count(*) from peserta where tenant_id = $1 and tindak_lanjut <> '[]'::jsonb", depok); n != 0 {
			t.Fatalf("a refused note was written")
		}
		if r := staf.Post(one+"/tindak-lanjut", url.Values{"versi": {m[3]}, "tanggal": {"2026-07-01"}, "catatan": {"Etalase dipakai di pasar"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("note: status %d:\n%s", r.Status, r.Body)
		}
		if r := staf.Post(one+"/tindak-lanjut", url.Values{"versi": {m[3]}, "tanggal": {"2026-07-02"}, "catatan": {"Terlambat"}}); r.Status != http.StatusPreconditionFailed {
			t.Errorf("a note at a stale version: status %d", r.Status)
		}
		page := staf.Get(p).Body
		if !strings.Contains(page, "<strong>1 Juli 2026</strong>: Etalase dipakai di pasar") {
			t.Errorf("the note is not listed:\n%s", page)
		}
	})

	t.Run("a hand-over, refused then recorded, then acknowledged", func(t *testing.T) {
		form := url.Values{"nomor_bast": {"027/BAST/DKUM/2026"}, "tanggal": {"2026-06-02"},
			"barang[0].nama_barang": {"Etalase kaca"}, "barang[0].jumlah": {"2"}, "barang[0].satuan": {"unit"}, "barang[0].harga_satuan": {"1.500.000"},
			"barang[2].nama_barang": {"Timbangan"}, "barang[2].jumlah": {"1"}, "barang[2].satuan": {"unit"}, "barang[2].harga_satuan": {"sejuta"}}
		r := staf.Post(one+"/bast", form)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="bast-`+pid+`-2-harga_satuan-galat"`) ||
			!strings.Contains(r.Body, `value="sejuta"`) || !strings.Contains(r.Body, `value="Etalase kaca"`) {
			t.Fatalf("a price in words: status %d, want 422 beside line 3, everything typed kept:\n%s", r.Status, r.Body)
		}
		// The service's own refusal of its second line lands on form line 3.
		form.Set("barang[2].harga_satuan", "250000")
		form.Set("barang[2].jumlah", "0")
		r = staf.Post(one+"/bast", form)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="bast-`+pid+`-2-jumlah-galat"`) {
			t.Fatalf("a quantity of zero: status %d, want 422 beside line 3:\n%s", r.Status, r.Body)
		}
		if r := staf.Post(one+"/bast", url.Values{"nomor_bast": {"028"}, "tanggal": {"2026-06-02"}}); r.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.Body, `id="bast-barang-`+pid+`-galat"`) {
			t.Errorf("a hand-over without items: status %d:\n%s", r.Status, r.Body)
		}
		if n := srv.Count(t, "select count(*) from bast_barang where tenant_id = $1", depok); n != 0 {
			t.Fatalf("%d lines written by refused forms", n)
		}
		form.Set("barang[2].jumlah", "1")
		if r := staf.Post(one+"/bast", form); r.Status != http.StatusSeeOther {
			t.Fatalf("hand-over: status %d:\n%s", r.Status, r.Body)
		}
		if r := staf.Post(one+"/bast", form); r.Status != http.StatusConflict || !strings.Contains(r.Body, "Nomor BAST ini sudah dipakai") {
			t.Errorf("the same BAST number twice: status %d", r.Status)
		}
		if n := srv.Count(t, "select count(*) from bast_barang where tenant_id = $1", depok); n != 2 {
			t.Fatalf("%d lines, want 2", n)
		}
		page := staf.Get(p).Body
		for _, want := range []string{"BAST 027/BAST/DKUM/2026, 2 Juni 2026", "Etalase kaca", "Rp 1.500.000", "Rp 3.000.000", "Rp 3.250.000", "Belum ada tanda terima."} {
			if !strings.Contains(page, want) {
				t.Errorf("the hand-over lacks %q", want)
			}
		}

		r = staf.Post(one+"/bast/terima", url.Values{"nomor_bast": {"027/BAST/DKUM/2026"}, "nama": {""}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="terima-`+pid+`-0-galat"`) {
			t.Fatalf("an acknowledgement without a name: status %d, want 422 beside the field:\n%s", r.Status, r.Body)
		}
		if r := staf.Post(one+"/bast/terima", url.Values{"nomor_bast": {"999"}, "nama": {"Siti Aminah"}}); r.Status != http.StatusNotFound {
			t.Errorf("an unknown BAST number: status %d", r.Status)
		}
		if r := staf.Post(one+"/bast/terima", url.Values{"nomor_bast": {"027/BAST/DKUM/2026"}, "nama": {"Siti Aminah"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("acknowledge: status %d:\n%s", r.Status, r.Body)
		}
		if r := staf.Post(one+"/bast/terima", url.Values{"nomor_bast": {"027/BAST/DKUM/2026"}, "nama": {"Siti Aminah"}}); r.Status != http.StatusConflict {
			t.Errorf("acknowledged twice: status %d", r.Status)
		}
		if page := staf.Get(p).Body; !strings.Contains(page, "Diterima oleh Siti Aminah,") || strings.Contains(page, "Catat diterima") {
			t.Errorf("the acknowledgement is not shown:\n%s", page)
		}
	})

	t.Run("a viewer reads, masked, without forms", func(t *testing.T) {
		page := viewer.Get(p).Body
		if !strings.Contains(page, "Etalase kaca") || !strings.Contains(page, "Etalase dipakai di pasar") {
			t.Errorf("the viewer does not see the hand-over or the note")
		}
		if strings.Contains(page, "Siti Aminah") || strings.Contains(page, "Catat BAST") || strings.Contains(page, "Simpan catatan") {
			t.Errorf("the viewer sees the signer's name or a form:\n%s", page)
		}
		if r := viewer.Post(one+"/bast", url.Values{"nomor_bast": {"029"}}); r.Status != http.StatusForbidden {
			t.Errorf("viewer recording a hand-over: status %d", r.Status)
		}
		if r := viewer.Post(one+"/tindak-lanjut", url.Values{"versi": {"1"}, "catatan": {"x"}}); r.Status != http.StatusForbidden {
			t.Errorf("viewer adding a note: status %d", r.Status)
		}
	})
}

// TestProgramKoperasiApplicant: the search of the programme page offers
// the register's cooperatives beside its businesses, and a cooperative is
// applied as one (its eligibility decided, its row marked); a choice that
// is not one of the search's comes back beside its field.
func TestProgramKoperasiApplicant(t *testing.T) {
	srv := webtest.New(t)
	in1, _, _ := inKecamatan(t, srv)
	staf := srv.Client(t)
	staf.Login(webtest.StafDepok)
	k := newKoperasi(t, staf, "depok", url.Values{"nama": {"Koperasi Sejahtera Bersama"}, "kecamatan_kode": {in1.KecamatanKode},
		"kelurahan_kode": {in1.KelurahanKode}, "aktif": {"true"}})
	kid := k[strings.LastIndex(k, "/")+1:]
	p := newProgram(t, staf, "depok", url.Values{"nama": {"Pelatihan Tata Kelola"}, "jenis": {"pelatihan"}, "tahun": {"2026"},
		"sumber_dana": {"apbd"}, "satuan": {"koperasi"}, "kuota": {"5"}, "target": {"5"}, "status": {"dibuka"}})

	page := staf.Get(p + "?cari=" + url.QueryEscape("Sejahtera Bersama")).Body
	if !strings.Contains(page, `name="koperasi_id" value="`+kid+`"`) || !strings.Contains(page, `name="pemohon" value="koperasi"`) {
		t.Fatalf("the search does not offer the cooperative:\n%s", page)
	}
	r := staf.Post(p+"/peserta", url.Values{"pemohon": {"koperasi"}, "koperasi_id": {"bukan-id"}, "cari": {"Sejahtera Bersama"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="koperasi_id-galat"`) {
		t.Errorf("a made-up cooperative: status %d, want 422 beside the field:\n%s", r.Status, r.Body)
	}
	if r := staf.Post(p+"/peserta", url.Values{"pemohon": {"koperasi"}, "koperasi_id": {kid}}); r.Status != http.StatusSeeOther {
		t.Fatalf("apply the cooperative: status %d:\n%s", r.Status, r.Body)
	}
	row := pesertaRow(t, staf.Get(p).Body, "Koperasi Sejahtera Bersama")
	if !strings.Contains(row, `<span class="lencana">koperasi</span>`) || !strings.Contains(row, "<strong>Layak</strong>") {
		t.Errorf("the cooperative's row:\n%s", row)
	}
	if n := srv.Count(t, "select count(*) from peserta where jenis_pemohon = 'koperasi' and koperasi_id = $1", kid); n != 1 {
		t.Errorf("%d cooperative applications, want 1", n)
	}
}
