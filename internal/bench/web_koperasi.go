package bench

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// webKoperasi adds the register of cooperatives to the pages `bench web`
// measures: the bench's cooperatives (DefaultKoperasi, a mixed population)
// are seeded into the office beside its businesses, the dashboard is
// computed again with them, and the list, a filtered list, a search and a
// record are measured.
func webKoperasi(ctx context.Context, e *Env, svc *koperasi.Service, t *tenancy.Tenant, prefix string,
	measured []struct{ name, path string }) ([]struct{ name, path string }, error) {
	t0 := time.Now()
	if err := svc.Seed(ctx, t, DefaultKoperasi.Koperasi, 42, koperasi.GenOptions{}); err != nil {
		return nil, fmt.Errorf("seed koperasi: %w", err)
	}
	e.Logger.Info("seeded", "koperasi", DefaultKoperasi.Koperasi, "took", time.Since(t0).Round(time.Millisecond).String())
	if err := adminExec(ctx, e.AdminURL, "vacuum analyze koperasi, koperasi_unit, koperasi_unit_volume, koperasi_pengurus"); err != nil {
		return nil, err
	}
	// The workers run by now and refresh the office after the seeding too:
	// wait for theirs rather than fail beside it.
	for {
		err := e.App.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
			_, err := dasbor.Refresh(ctx, tx, t.ID)
			return err
		})
		if !errors.Is(err, dasbor.ErrBusy) {
			if err != nil {
				return nil, err
			}
			break
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	e.Metric("web_koperasi_rows", float64(DefaultKoperasi.Koperasi))
	page, err := svc.List(ctx, t, koperasi.Filter{Limit: 1}, koperasi.View{PII: true})
	if err != nil || len(page.Items) == 0 {
		return nil, fmt.Errorf("a cooperative to open: %v", err)
	}
	rec := page.Items[0]
	words := strings.Fields(rec.Nama)
	search := []rune(words[len(words)-1])
	search = search[:min(len(search), 5)]
	list := prefix + "/koperasi"
	return append(measured,
		struct{ name, path string }{"koperasi_list", list},
		struct{ name, path string }{"koperasi_filter", list + "?" + url.Values{"kecamatan": {rec.KecamatanKode}, "jenis": {koperasi.JenisBelum}}.Encode()},
		struct{ name, path string }{"koperasi_search", list + "?" + url.Values{"q": {string(search)}}.Encode()},
		struct{ name, path string }{"koperasi_record", list + "/" + rec.ID.String()},
	), nil
}
