package umkm

import (
	"encoding/binary"
	"math"
)

// copyBinary builds a COPY ... (FORMAT binary) stream. The stage takes
// 35 values per row; pgx's CopyFrom encodes each through its type map (an
// interface value and a plan lookup apiece), which cost ~0,7 CPU-seconds of
// a 150.000-row import. Here each column's wire form is written directly.
type copyBinary struct{ b []byte }

func newCopyBinary(size int) *copyBinary {
	w := &copyBinary{b: make([]byte, 0, size)}
	w.b = append(w.b, "PGCOPY\n\xff\r\n\x00"...)
	w.b = binary.BigEndian.AppendUint32(w.b, 0) // flags
	w.b = binary.BigEndian.AppendUint32(w.b, 0) // header extension length
	return w
}

// tuple starts a row of n fields.
func (w *copyBinary) tuple(n int) { w.b = binary.BigEndian.AppendUint16(w.b, uint16(n)) }

func (w *copyBinary) null() { w.b = binary.BigEndian.AppendUint32(w.b, math.MaxUint32) } // length -1

func (w *copyBinary) field(n int) { w.b = binary.BigEndian.AppendUint32(w.b, uint32(n)) }

func (w *copyBinary) text(s string) {
	w.field(len(s))
	w.b = append(w.b, s...)
}

func (w *copyBinary) optText(s *string) {
	if s == nil {
		w.null()
		return
	}
	w.text(*s)
}

func (w *copyBinary) bytea(v []byte) {
	if v == nil {
		w.null()
		return
	}
	w.field(len(v))
	w.b = append(w.b, v...)
}

func (w *copyBinary) uuid(id [16]byte) {
	w.field(16)
	w.b = append(w.b, id[:]...)
}

func (w *copyBinary) int8(v *int64) {
	if v == nil {
		w.null()
		return
	}
	w.field(8)
	w.b = binary.BigEndian.AppendUint64(w.b, uint64(*v))
}

func (w *copyBinary) int4(v *int) {
	if v == nil {
		w.null()
		return
	}
	w.field(4)
	w.b = binary.BigEndian.AppendUint32(w.b, uint32(int32(*v)))
}

func (w *copyBinary) int2(v *int) {
	if v == nil {
		w.null()
		return
	}
	w.field(2)
	w.b = binary.BigEndian.AppendUint16(w.b, uint16(int16(*v)))
}

func (w *copyBinary) float8(v *float64) {
	if v == nil {
		w.null()
		return
	}
	w.field(8)
	w.b = binary.BigEndian.AppendUint64(w.b, math.Float64bits(*v))
}

func (w *copyBinary) bool(v bool) {
	w.field(1)
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

// textArray writes a one-dimensional text[] (an empty one has no dimension).
func (w *copyBinary) textArray(ss []string) {
	const textOID = 25
	size := 12
	if len(ss) > 0 {
		size += 8
		for _, s := range ss {
			size += 4 + len(s)
		}
	}
	w.field(size)
	ndim := uint32(0)
	if len(ss) > 0 {
		ndim = 1
	}
	w.b = binary.BigEndian.AppendUint32(w.b, ndim)
	w.b = binary.BigEndian.AppendUint32(w.b, 0) // no NULL elements
	w.b = binary.BigEndian.AppendUint32(w.b, textOID)
	if len(ss) > 0 {
		w.b = binary.BigEndian.AppendUint32(w.b, uint32(len(ss)))
		w.b = binary.BigEndian.AppendUint32(w.b, 1) // lower bound
		for _, s := range ss {
			w.text(s)
		}
	}
}

// jsonb writes a jsonb value: a version byte (1), then the JSON text.
func (w *copyBinary) jsonb(v []byte) {
	w.field(1 + len(v))
	w.b = append(w.b, 1)
	w.b = append(w.b, v...)
}

// bytes ends the stream.
func (w *copyBinary) bytes() []byte {
	return binary.BigEndian.AppendUint16(w.b, math.MaxUint16) // trailer: -1
}
