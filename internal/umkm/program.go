package umkm

// ProgramSelesai is a programme the business, or its owner as a person,
// completed (tables of migration 029, written by internal/program): the
// record shows it, and later eligibility counts it as evidence.
type ProgramSelesai struct {
	Nama       string  `json:"nama"`
	Jenis      string  `json:"jenis"`
	Agensi     string  `json:"agensi"`
	Tahun      int16   `json:"tahun"`
	Sertifikat *string `json:"sertifikat_nomor,omitempty"`
}

// programSelesaiSQL reads them for record $1 through the participants'
// umkm index; a participation as a person carries the record's id too.
const programSelesaiSQL = `select p.nama, p.jenis, a.nama, p.tahun, x.sertifikat_nomor
	from peserta x join program p on p.id = x.program_id join agensi a on a.id = p.agensi_id
	where x.umkm_id = $1 and x.status = 'selesai' order by x.selesai_tanggal desc, x.id desc`
