package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/bundel"
	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/langganan"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
)

// Onboarding in the browser, for platform admins: open a kab/kota as an
// office from its Kemendagri code, then on the office's page start its
// trial, invite its first admin, suspend, reactivate or extend grace; at
// the end of its life cancel its subscription and close it (offboarding),
// following its export bundle to the download link. The same services and
// Casbin actions as the API's /v1/admin/tenants/...

func (a *App) onboardingRoutes() {
	a.platform("POST /platform/kantor", "create-tenant", a.bukaKantor)
	a.platform("GET /platform/kantor/{slug}", "get-langganan", a.kantorPlatform)
	a.platform("POST /platform/kantor/{slug}/uji-coba", "start-uji-coba", a.faktaKantor)
	a.platform("POST /platform/kantor/{slug}/tangguhkan", "suspend-tenant", a.faktaKantor)
	a.platform("POST /platform/kantor/{slug}/aktifkan", "reactivate-tenant", a.faktaKantor)
	a.platform("POST /platform/kantor/{slug}/perpanjang", "extend-grace", a.faktaKantor)
	a.platform("POST /platform/kantor/{slug}/batal", "cancel-langganan", a.faktaKantor)
	a.platform("POST /platform/kantor/{slug}/akhiri", "close-kantor", a.faktaKantor)
	a.platform("POST /platform/kantor/{slug}/undangan", "invite-admin", a.undangKantor)
	a.tagihanPlatformRoutes()
}

// BukaForm is the "open an office" form as typed.
type BukaForm struct {
	Kode, Slug, BPS string
	Galat           map[string]string
	Pesan           string
}

// bukaKantor opens the office of the code typed; on a refusal the list
// again with the form as typed and the message beside the field.
func (a *App) bukaKantor(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := BukaForm{Kode: strings.TrimSpace(r.PostForm.Get("kode")), Slug: strings.TrimSpace(r.PostForm.Get("slug")),
		BPS: strings.TrimSpace(r.PostForm.Get("bps"))}
	c, err := tenant.FromKode(f.Kode, f.Slug, f.BPS)
	var o tenant.Opened
	if err == nil {
		o, err = a.Tenants.Open(q.ctx, c)
	}
	if err == nil {
		http.Redirect(w, r, "/platform/kantor/"+o.Slug+"?pesan=dibuka", http.StatusSeeOther)
		return nil
	}
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict {
		return err
	}
	f.Pesan, f.Galat = ae.Message.ID, fieldErrors(ae, map[string]string{"bps_code": "bps"})
	return a.showPlatformKantor(w, r, q, &f, httpStatus(ae.Kind))
}

// kantorPlatformView is one office as the platform sees it: its state and
// the facts a platform admin records.
type kantorPlatformView struct {
	Halaman
	T        tenant.Tenant
	Status   langganan.Status
	Keadaan  string // the state in words
	Selesai  string // what was just done
	Pesan    string // a refusal
	Galat    map[string]string
	Tautan   string // an invitation link just made: shown once
	Undangan struct{ Email, Nama string }
	// Langganan are the contract and the invoices.
	Langganan tagihanPlatform
	// Bundel is the office's export bundle, once offboarding queued one.
	Bundel *BagianBundel
	// BisaBatal, BisaAkhiri: the subscription may be canceled, the office
	// closed (again, when its bundle failed).
	BisaBatal, BisaAkhiri bool
}

var pesanKantor = map[string]string{"dibuka": "Kantor sudah dibuka dengan seluruh kecamatan dan desa/kelurahannya. Mulai uji coba dan undang admin pertamanya.",
	"uji-coba": "Masa uji coba sudah dicatat.", "tangguhkan": "Kantor sudah ditangguhkan: kini baca saja.",
	"aktifkan": "Penangguhan sudah dicabut.", "perpanjang": "Masa tenggang sudah diperpanjang.",
	"kontrak": "Kontrak sudah dicatat: kantor aktif. Pelanggan dan langganannya dibuat di Stripe di latar belakang; tagihan muncul di bawah.",
	"bayar":   "Pembayaran sudah dicatat: tagihan itu tidak lagi tertunggak dan dikirim ke Stripe sebagai lunas di luar Stripe.",
	"batal":   "Langganan sudah dibatalkan: kantor ini kini hanya dapat dibaca dan diekspor sampai akhir masa ekspor.",
	"akhiri":  "Penutupan dimulai: ekspor lengkap kantor sedang dibuat, dan hanya admin kantor yang kini dapat masuk."}

func (a *App) kantorPlatform(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	v, err := a.kantorPlatformView(q, r.PathValue("slug"))
	if err != nil {
		return err
	}
	v.Selesai = pesanKantor[r.URL.Query().Get("pesan")]
	a.render(w, r, http.StatusOK, v)
	return nil
}

func (a *App) kantorPlatformView(q *Permintaan, slug string) (*kantorPlatformView, error) {
	t, err := a.Tenants.Resolve(q.ctx, slug)
	if err != nil {
		return nil, err
	}
	q.loc = a.location(t.Timezone)
	v := &kantorPlatformView{Halaman: q.halamanPlatform(t.Name, "/platform/kantor"), T: t, Galat: map[string]string{}}
	v.loc = q.loc
	err = a.DB.InTenantTx(q.ctx, t.ID, func(tx pgx.Tx) error {
		if v.Status, err = langganan.Get(q.ctx, tx, t.ID, time.Now()); err != nil {
			return err
		}
		if err := a.loadTagihan(q, tx, v); err != nil {
			return err
		}
		v.Bundel, err = a.bundelKantor(q.ctx, tx, t.Scope(), "/platform/kantor/"+t.Slug, q.loc)
		return err
	})
	v.Keadaan = keadaanDi(v.Status.State, v.Status.Reason, v.Status.Until, q.loc)
	switch v.Status.State {
	case langganan.Canceled, langganan.ReadOnly:
		v.BisaAkhiri = true
	case langganan.Offboarding:
		v.BisaAkhiri = v.Bundel == nil || v.Bundel.Job.Status == pekerjaan.Gagal
	}
	v.BisaBatal = v.Status.Billed && v.Status.State != langganan.Canceled && v.Status.State != langganan.Offboarding &&
		v.Status.State != langganan.Archived
	return v, err
}

// bundelKantor is the export bundle of office t in tx (a transaction of
// t), with a fresh download link once made; nil when it has none. muat is
// the page its progress is polled from.
func (a *App) bundelKantor(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, muat string, loc *time.Location) (*BagianBundel, error) {
	if a.Bundel == nil {
		return nil, nil
	}
	k, err := a.Bundel.Lihat(ctx, tx, t.ID, t.Slug)
	if apperr.KindOf(err) == apperr.KindNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &BagianBundel{Keadaan: k, Muat: muat, loc: loc}, nil
}

// BagianBundel is an office's export bundle as a part of a page: its
// progress, polled from Muat while it is made, and its link.
type BagianBundel struct {
	bundel.Keadaan
	Muat string
	loc  *time.Location
}

// Kemajuan is the bundle's progress bar.
func (b *BagianBundel) Kemajuan() Kemajuan {
	return Kemajuan{Job: b.Job, Persen: b.Persen, Muat: b.Muat}
}

// Ukuran is the made bundle's size in megabytes.
func (b *BagianBundel) Ukuran() string {
	if b.Hasil == nil {
		return ""
	}
	return format.Desimal(float64(b.Hasil.Ukuran)/(1<<20), 1) + " MB"
}

// Waktu is a time in the office's zone.
func (b *BagianBundel) Waktu(t time.Time) string { return format.Waktu(t, b.loc) }

// faktaKantor records the fact of the form posted (its path's last part)
// and shows the office again.
func (a *App) faktaKantor(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	t, err := a.Tenants.Resolve(q.ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	step := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	var fact langganan.Fact
	switch step {
	case "uji-coba":
		var until time.Time
		if until, err = langganan.EndOfDay(r.PostForm.Get("tanggal"), t.Timezone, "body.trial_until"); err == nil {
			fact = langganan.StartTrial(until)
		}
	case "tangguhkan":
		if alasan := strings.TrimSpace(r.PostForm.Get("alasan")); len(alasan) < 3 {
			err = apperr.InvalidField("body.alasan", nil, apperr.T("Tuliskan alasan penangguhan (minimal 3 karakter).", "Give the reason (at least 3 characters)."))
		} else {
			fact = langganan.Suspend(alasan)
		}
	case "aktifkan":
		fact = langganan.Reactivate()
	case "perpanjang":
		var until time.Time
		if until, err = langganan.EndOfDay(r.PostForm.Get("tanggal"), t.Timezone, "body.grace_until"); err == nil {
			fact = langganan.ExtendGrace(until)
		}
	case "batal", "akhiri":
		// Neither can be undone: the form asks to confirm, no script needed.
		if r.PostForm.Get("konfirmasi") != "ya" {
			err = apperr.InvalidField("body.konfirmasi", nil, apperr.T("Centang konfirmasi lebih dulu: langkah ini tidak dapat dibatalkan.",
				"Tick the confirmation first: this step cannot be undone."))
		} else if step == "batal" {
			fact = langganan.Cancel(r.PostForm.Get("alasan"), func(ctx context.Context, tx pgx.Tx) error {
				return a.Billing.FollowCancel(ctx, tx, a.Queue, t.ID)
			})
		} else if a.Bundel == nil {
			err = apperr.Unavailable(nil)
		} else {
			fact = langganan.Offboard(func(ctx context.Context, tx pgx.Tx) error {
				// A read-only office's contract ends with it: Stripe follows.
				if err := a.Billing.FollowCancel(ctx, tx, a.Queue, t.ID); err != nil {
					return err
				}
				return a.Bundel.Queue(ctx, tx, a.Queue, t.ID, q.P.UserID)
			})
		}
	}
	if err == nil {
		svc := &langganan.Service{DB: a.DB, Now: time.Now, Changed: a.Tenants.Forget}
		_, err = svc.Record(q.ctx, t.ID, t.Slug, fact)
	}
	if err == nil {
		http.Redirect(w, r, "/platform/kantor/"+t.Slug+"?pesan="+step, http.StatusSeeOther)
		return nil
	}
	return a.refuseOnKantor(w, r, q, t.Slug, err, step, nil, nil)
}

// undangKantor invites the office's first admin and shows the link once.
func (a *App) undangKantor(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	v, err := a.kantorPlatformView(q, r.PathValue("slug"))
	if err != nil {
		return err
	}
	v.Undangan.Email, v.Undangan.Nama = r.PostForm.Get("email"), r.PostForm.Get("nama")
	var inv account.Invitation
	err = a.DB.InTenantTx(q.ctx, v.T.ID, func(tx pgx.Tx) error {
		inv, err = account.Invite(q.ctx, tx, v.T.Scope(), v.Undangan.Email, v.Undangan.Nama, tenancy.RoleAdmin, time.Now())
		return err
	})
	status := http.StatusOK
	if err != nil {
		ae, ok := apperr.As(err)
		if !ok || ae.Kind != apperr.KindInvalid {
			return err
		}
		v.Pesan, status = ae.Message.ID, http.StatusUnprocessableEntity
		for k, msg := range fieldErrors(ae, map[string]string{"name": "nama"}) {
			v.Galat["undangan-"+k] = msg
		}
	} else {
		// Shown once, on this answer only: the page is not stored (no-store).
		v.Tautan = account.InvitationPath(v.T.Slug, inv.Token)
		if a.Accounts.MailInvitation(q.ctx, inv, v.T.Scope(), v.Undangan.Nama) {
			v.Selesai = "Undangan dikirim ke " + inv.Email + " dan berlaku sampai " + v.Waktu(inv.ExpiresAt) +
				". Tautannya juga ada di bawah, bila e-mail tidak sampai; tautan ini hanya tampil sekali."
		} else {
			v.Selesai = "Undangan untuk " + inv.Email + " berlaku sampai " + v.Waktu(inv.ExpiresAt) +
				". Berikan tautan di bawah kepadanya secara langsung; tautan ini hanya tampil sekali."
		}
	}
	a.render(w, r, status, v)
	return nil
}
