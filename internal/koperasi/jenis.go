// Package koperasi keeps the cooperatives of an office: the registry, their
// business units, RAT and health, their UMKM members, and the campaign that
// moves legacy KSU cooperatives to one of the five legal types.
package koperasi

// Jenis is the legal type of a cooperative (Permenkop 9/2018 Pasal 67).
type Jenis string

const (
	JenisKonsumen     Jenis = "konsumen"
	JenisProdusen     Jenis = "produsen"
	JenisPemasaran    Jenis = "pemasaran"
	JenisJasa         Jenis = "jasa"
	JenisSimpanPinjam Jenis = "simpan_pinjam"
)

// AllJenis lists the five types in the order reports show them.
var AllJenis = []Jenis{JenisKonsumen, JenisProdusen, JenisPemasaran, JenisJasa, JenisSimpanPinjam}

// Kelompok is a grouping kept beside the type (KSU is one: a legacy
// grouping, not a legal type).
type Kelompok string

const (
	KelompokKSU       Kelompok = "ksu"
	KelompokKUD       Kelompok = "kud"
	KelompokKPRI      Kelompok = "kpri"
	KelompokKopwan    Kelompok = "kopwan"
	KelompokKDMP      Kelompok = "kdmp"
	KelompokKopontren Kelompok = "kopontren"
	KelompokKopkar    Kelompok = "kopkar"
	KelompokLainnya   Kelompok = "lainnya"
)

// AllKelompok lists the groupings the registry accepts.
var AllKelompok = []Kelompok{KelompokKSU, KelompokKUD, KelompokKPRI, KelompokKopwan, KelompokKDMP, KelompokKopontren, KelompokKopkar, KelompokLainnya}

// UnitKind is the kind of a business unit (unit usaha).
type UnitKind string

// UnitJenis maps each business unit kind to the type its activity belongs
// to (DOMAIN.md, reclassification step 1). A kind missing here ("lainnya")
// counts toward no type.
var UnitJenis = map[UnitKind]Jenis{
	"toko":            JenisKonsumen,
	"waserda":         JenisKonsumen,
	"sembako":         JenisKonsumen,
	"simpan_pinjam":   JenisSimpanPinjam,
	"produksi":        JenisProdusen,
	"kerajinan":       JenisProdusen,
	"pengolahan":      JenisProdusen,
	"pertanian":       JenisProdusen,
	"peternakan":      JenisProdusen,
	"perikanan":       JenisProdusen,
	"pemasaran_hasil": JenisPemasaran,
	"transportasi":    JenisJasa,
	"travel_umroh":    JenisJasa,
	"klinik":          JenisJasa,
	"apotek":          JenisJasa,
	"listrik":         JenisJasa,
	"wisata":          JenisJasa,
	"rental":          JenisJasa,
	"logistik":        JenisJasa,
	"jasa_lain":       JenisJasa,
}

// AllUnitKinds lists the kinds the registry accepts, "lainnya" last.
var AllUnitKinds = []UnitKind{
	"toko", "waserda", "sembako", "simpan_pinjam",
	"produksi", "kerajinan", "pengolahan", "pertanian", "peternakan", "perikanan",
	"pemasaran_hasil",
	"transportasi", "travel_umroh", "klinik", "apotek", "listrik", "wisata", "rental", "logistik", "jasa_lain",
	"lainnya",
}
