package jobs_test

import (
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/riverqueue/river"

	"github.com/sentra-id/sentra/internal/metrics"
)

// importFigures are what the metrics say of UMKM imports.
type importFigures struct {
	rows              float64 // sentra_umkm_import_rows_total
	finished, timed   uint64  // samples of the duration and rows-per-second histograms
	queueWaits        uint64  // queue waits of impor_umkm jobs
	rowsPerSecondSums float64
}

func imported(t *testing.T, m *metrics.Metrics) importFigures {
	t.Helper()
	fams, err := m.Gatherer().Gather()
	if err != nil {
		t.Fatal(err)
	}
	var f importFigures
	for _, fam := range fams {
		for _, s := range fam.GetMetric() {
			switch fam.GetName() {
			case "sentra_umkm_import_rows_total":
				f.rows = s.GetCounter().GetValue()
			case "sentra_umkm_import_duration_seconds":
				f.finished = s.GetHistogram().GetSampleCount()
			case "sentra_umkm_import_rows_per_second":
				f.timed, f.rowsPerSecondSums = s.GetHistogram().GetSampleCount(), s.GetHistogram().GetSampleSum()
			case "sentra_river_queue_wait_seconds":
				if label(s, "kind") == "impor_umkm" {
					f.queueWaits = s.GetHistogram().GetSampleCount()
				}
			}
		}
	}
	return f
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

// TestImportJobIsMeasured: an import job's rows are counted once, its run
// timed, and its wait in the queue seen by the worker's middleware.
func TestImportJobIsMeasured(t *testing.T) {
	b := setupUMKM(t)
	if f := imported(t, b.metrics); f.rows != 0 || f.finished != 0 {
		t.Fatalf("before any import: %+v", f)
	}
	_, inserted := b.queueImport(t, importFile, 1)
	b.await(t, inserted[0].Job.ID, river.EventKindJobCompleted)

	f := imported(t, b.metrics)
	if f.rows != 5 || f.finished != 1 || f.timed != 1 || f.rowsPerSecondSums <= 0 {
		t.Errorf("after a 5-row import: %+v; want 5 rows, one run timed", f)
	}
	if f.queueWaits != 1 {
		t.Errorf("%d queue waits of impor_umkm, want 1", f.queueWaits)
	}
}
