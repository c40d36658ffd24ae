package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// auditItem is an audit entry as the API answers it.
type auditItem struct {
	ID        uuid.UUID       `json:"id"`
	ActorID   *uuid.UUID      `json:"actor_id"`
	Action    string          `json:"action"`
	Entity    string          `json:"entity"`
	EntityID  string          `json:"entity_id"`
	Before    json.RawMessage `json:"before"`
	After     json.RawMessage `json:"after"`
	RequestID string          `json:"request_id"`
}

type auditPage struct {
	Items      []auditItem `json:"items"`
	NextCursor string      `json:"next_cursor"`
}

// TestUserWrites: creating is idempotent with a key, updating needs the
// current ETag, the last admin stays, and every write is audited with its
// request id and the e-mail masked.
func TestUserWrites(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := b.login(t, b.depokAdmin.Email)
	const users = "/v1/tenants/depok/users"
	siti := map[string]any{"email": "siti@depok.test", "name": "Siti Rahmawati", "role": "staf", "password": "kata-sandi-siti-123"}
	countSiti := func() int { return b.count(t, "", "select count(*) from users where email = 'siti@depok.test'") }

	// written records what each successful write should have audited.
	type write struct{ action, entityID, requestID string }
	var written []write

	// Create with a key.
	created := b.do(t, http.MethodPost, users, admin, siti, "Idempotency-Key", "tambah-siti-1")
	if created.status != http.StatusCreated {
		t.Fatalf("create: %d %s", created.status, created.raw)
	}
	var member struct {
		ID     uuid.UUID `json:"id"`
		Email  string    `json:"email"`
		Role   string    `json:"role"`
		Active bool      `json:"active"`
	}
	created.decode(t, &member)
	location, etag1 := created.header.Get("Location"), created.header.Get("ETag")
	if want := users + "/" + member.ID.String(); location != want {
		t.Errorf("Location %q, want %q", location, want)
	}
	if etag1 == "" {
		t.Error("no ETag on create")
	}
	if member.Email != "siti@depok.test" || member.Role != "staf" || !member.Active {
		t.Errorf("created %+v", member)
	}
	if strings.Contains(string(created.raw), "kata-sandi-siti") {
		t.Errorf("the password is in the answer: %s", created.raw)
	}
	written = append(written, write{"create", member.ID.String(), created.header.Get("X-Request-Id")})
	if got := b.do(t, http.MethodGet, location, admin, nil); got.status != http.StatusOK || got.header.Get("ETag") != etag1 {
		t.Errorf("GET Location: %d ETag %q, want 200 %q", got.status, got.header.Get("ETag"), etag1)
	}

	// The same key and body: the first answer again, nothing new.
	replay := b.do(t, http.MethodPost, users, admin, siti, "Idempotency-Key", "tambah-siti-1")
	if replay.status != http.StatusCreated || !bytes.Equal(replay.raw, created.raw) {
		t.Errorf("replay: %d %s, want 201 %s", replay.status, replay.raw, created.raw)
	}
	if replay.header.Get("Location") != location || replay.header.Get("ETag") != etag1 {
		t.Errorf("replay Location %q ETag %q, want %q %q", replay.header.Get("Location"), replay.header.Get("ETag"), location, etag1)
	}
	if replay.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("replay: Idempotent-Replayed %q, want true", replay.header.Get("Idempotent-Replayed"))
	}
	if created.header.Get("Idempotent-Replayed") == "true" {
		t.Error("the first answer claims to be a replay")
	}
	if n := countSiti(); n != 1 {
		t.Errorf("%d users with siti's e-mail, want 1", n)
	}

	// The same key with another body: refused, nothing written.
	other := map[string]any{"email": "siti2@depok.test", "name": "Siti Dua", "role": "staf", "password": "kata-sandi-siti-123"}
	r := b.do(t, http.MethodPost, users, admin, other, "Idempotency-Key", "tambah-siti-1")
	if r.status != http.StatusUnprocessableEntity {
		t.Errorf("same key, other body: %d, want 422: %s", r.status, r.raw)
	} else if _, ok := r.problem(t).field("header.Idempotency-Key"); !ok {
		t.Errorf("the error does not name the key: %s", r.raw)
	}
	if n := b.count(t, "", "select count(*) from users where email = 'siti2@depok.test'"); n != 0 {
		t.Errorf("the refused body was created")
	}

	// The same e-mail without a key: a conflict, not a second account.
	r = b.do(t, http.MethodPost, users, admin, siti)
	if r.status != http.StatusConflict {
		t.Errorf("duplicate e-mail: %d, want 409: %s", r.status, r.raw)
	} else {
		r.problem(t)
	}
	if n := countSiti(); n != 1 {
		t.Errorf("%d users with siti's e-mail, want 1", n)
	}

	// Updates need If-Match, and the current one.
	path := location
	r = b.do(t, http.MethodPatch, path, admin, map[string]any{"role": "viewer"})
	if r.status != http.StatusPreconditionRequired {
		t.Errorf("without If-Match: %d, want 428: %s", r.status, r.raw)
	} else {
		r.problem(t)
	}
	r = b.do(t, http.MethodPatch, path, admin, map[string]any{"role": "viewer"}, "If-Match", etag1)
	if r.status != http.StatusOK || r.body["role"] != "viewer" {
		t.Fatalf("change role: %d %s", r.status, r.raw)
	}
	etag2 := r.header.Get("ETag")
	if etag2 == "" || etag2 == etag1 {
		t.Errorf("ETag after a change %q (before %q)", etag2, etag1)
	}
	written = append(written, write{"change_role", member.ID.String(), r.header.Get("X-Request-Id")})
	for _, stale := range []string{etag1, `"999"`, "*", "garbage"} {
		r = b.do(t, http.MethodPatch, path, admin, map[string]any{"role": "admin"}, "If-Match", stale)
		if r.status != http.StatusPreconditionFailed {
			t.Errorf("If-Match %s: %d, want 412: %s", stale, r.status, r.raw)
		} else {
			r.problem(t)
		}
	}
	r = b.do(t, http.MethodPatch, path, admin, map[string]any{"active": false}, "If-Match", etag2)
	if r.status != http.StatusOK || r.body["active"] != false || r.body["role"] != "viewer" {
		t.Fatalf("disable: %d %s", r.status, r.raw)
	}
	written = append(written, write{"disable", member.ID.String(), r.header.Get("X-Request-Id")})

	// The last active admin cannot disable or demote themselves.
	self := "/v1/tenants/depok/users/" + b.depokAdmin.ID.String()
	for _, change := range []map[string]any{{"active": false}, {"role": "staf"}} {
		r = b.do(t, http.MethodGet, self, admin, nil)
		r = b.do(t, http.MethodPatch, self, admin, change, "If-Match", r.header.Get("ETag"))
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("last admin %v: %d, want 422: %s", change, r.status, r.raw)
		} else {
			r.problem(t)
		}
	}
	if r := b.do(t, http.MethodGet, "/v1/tenants/depok/users", admin, nil); r.status != http.StatusOK {
		t.Fatalf("the admin lost access: %d %s", r.status, r.raw)
	}

	// A second create, without a key.
	budi := map[string]any{"email": "budi@depok.test", "name": "Budi", "role": "viewer", "password": "kata-sandi-budi-123"}
	r = b.do(t, http.MethodPost, users, admin, budi)
	if r.status != http.StatusCreated {
		t.Fatalf("create budi: %d %s", r.status, r.raw)
	}
	written = append(written, write{"create", r.body["id"].(string), r.header.Get("X-Request-Id")})

	// Medan's writes are medan's.
	medan := b.login(t, b.medanAdmin.Email)
	if r := b.do(t, http.MethodPost, "/v1/tenants/medan/users", medan,
		map[string]any{"email": "ucok@medan.test", "name": "Ucok", "role": "staf", "password": "kata-sandi-ucok-123"}); r.status != http.StatusCreated {
		t.Fatalf("create in medan: %d %s", r.status, r.raw)
	}

	// The audit log: one entry per write, newest first.
	r = b.do(t, http.MethodGet, "/v1/tenants/depok/audit?limit=500", admin, nil)
	if r.status != http.StatusOK {
		t.Fatalf("audit: %d %s", r.status, r.raw)
	}
	for _, email := range []string{"siti@depok.test", "budi@depok.test", "ucok@medan.test"} {
		if strings.Contains(string(r.raw), email) {
			t.Errorf("the audit log shows %s unmasked: %s", email, r.raw)
		}
	}
	var all auditPage
	r.decode(t, &all)
	if all.NextCursor != "" {
		t.Errorf("next_cursor on the only page: %q", all.NextCursor)
	}
	if len(all.Items) != len(written) {
		t.Fatalf("%d audit entries, want %d: %s", len(all.Items), len(written), r.raw)
	}
	for i, it := range all.Items {
		w := written[len(written)-1-i]
		if it.Action != w.action || it.Entity != "user" || it.EntityID != w.entityID {
			t.Errorf("entry %d: %s %s %s, want %s user %s", i, it.Action, it.Entity, it.EntityID, w.action, w.entityID)
		}
		if it.RequestID == "" || it.RequestID != w.requestID {
			t.Errorf("entry %d (%s): request id %q, want the response's X-Request-Id %q", i, it.Action, it.RequestID, w.requestID)
		}
		if it.ActorID == nil || *it.ActorID != b.depokAdmin.ID {
			t.Errorf("entry %d (%s): actor %v, want the depok admin", i, it.Action, it.ActorID)
		}
		var after struct {
			Email string `json:"email"`
		}
		if err := json.Unmarshal(it.After, &after); err != nil || !strings.HasSuffix(after.Email, "***@depok.test") {
			t.Errorf("entry %d (%s): after.email %q, want it masked (x***@depok.test)", i, it.Action, after.Email)
		}
	}
	if last := all.Items[len(all.Items)-1]; len(last.Before) != 0 && string(last.Before) != "null" {
		t.Errorf("a create has a before: %s", last.Before)
	}
	if disable := all.Items[1]; !bytes.Contains(disable.Before, []byte(`"active":true`)) || !bytes.Contains(disable.After, []byte(`"active":false`)) {
		t.Errorf("disable entry before %s after %s", disable.Before, disable.After)
	}

	// Walking with limit=1 gives the same entries, once each.
	var walked []uuid.UUID
	cursor := ""
	for range len(written) + 2 {
		p := "/v1/tenants/depok/audit?limit=1"
		if cursor != "" {
			p += "&cursor=" + cursor
		}
		var page auditPage
		r := b.do(t, http.MethodGet, p, admin, nil)
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d %s", p, r.status, r.raw)
		}
		r.decode(t, &page)
		if len(page.Items) > 1 {
			t.Fatalf("limit=1 gave %d items", len(page.Items))
		}
		for _, it := range page.Items {
			walked = append(walked, it.ID)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	var want []uuid.UUID
	for _, it := range all.Items {
		want = append(want, it.ID)
	}
	if !slices.Equal(walked, want) {
		t.Errorf("walked %v, want %v", walked, want)
	}
	// A filter narrows to one record.
	var budiOnly auditPage
	b.do(t, http.MethodGet, "/v1/tenants/depok/audit?entity=user&entity_id="+written[len(written)-1].entityID, admin, nil).decode(t, &budiOnly)
	if len(budiOnly.Items) != 1 || budiOnly.Items[0].EntityID != written[len(written)-1].entityID {
		t.Errorf("filtered audit: %+v", budiOnly.Items)
	}

	// Medan's log is not depok's, in either direction.
	if r := b.do(t, http.MethodGet, "/v1/tenants/medan/audit", admin, nil); r.status != http.StatusNotFound {
		t.Errorf("medan's audit from depok: %d, want 404: %s", r.status, r.raw)
	}
	var medanLog auditPage
	b.do(t, http.MethodGet, "/v1/tenants/medan/audit", medan, nil).decode(t, &medanLog)
	if len(medanLog.Items) != 1 || medanLog.Items[0].Action != "create" {
		t.Errorf("medan's audit: %+v", medanLog.Items)
	}
	if n := b.count(t, "depok", "select count(*) from audit_log"); n != len(written) {
		t.Errorf("depok has %d audit rows, want %d", n, len(written))
	}
}

// TestIdempotencyKeysAreScoped: a key is the same request only for the same
// caller in the same tenant; another admin, or another tenant, using the same
// key is not given the first caller's answer.
func TestIdempotencyKeysAreScoped(t *testing.T) {
	t.Parallel()
	b := setup(t)
	depok, medan := b.login(t, b.depokAdmin.Email), b.login(t, b.medanAdmin.Email)
	body := map[string]any{"email": "satu@depok.test", "name": "Satu", "role": "staf", "password": "kata-sandi-satu-123"}
	r := b.do(t, http.MethodPost, "/v1/tenants/depok/users", depok, body, "Idempotency-Key", "kunci")
	if r.status != http.StatusCreated {
		t.Fatalf("depok: %d %s", r.status, r.raw)
	}

	// A second admin of depok.
	self := "/v1/tenants/depok/users/" + b.depokViewer.ID.String()
	r = b.do(t, http.MethodGet, self, depok, nil)
	if r = b.do(t, http.MethodPatch, self, depok, map[string]any{"role": "admin"}, "If-Match", r.header.Get("ETag")); r.status != http.StatusOK {
		t.Fatalf("promote: %d %s", r.status, r.raw)
	}
	second := b.login(t, b.depokViewer.Email)

	// Another depok admin with the same key is not handed the first answer:
	// the user is already in depok, a conflict.
	r = b.do(t, http.MethodPost, "/v1/tenants/depok/users", second, body, "Idempotency-Key", "kunci")
	if r.status != http.StatusConflict || r.header.Get("Idempotent-Replayed") != "" {
		t.Errorf("another depok admin with the same key: %d replayed=%q, want 409 and no replay: %s",
			r.status, r.header.Get("Idempotent-Replayed"), r.raw)
	}
	// Medan's admin with the same key and body adds the existing account to
	// medan (accounts are global): a new answer, not depok's replayed, and
	// the account keeps its own name and password.
	body["name"] = "Nama Lain"
	body["password"] = "kata-sandi-lain-456"
	r = b.do(t, http.MethodPost, "/v1/tenants/medan/users", medan, body, "Idempotency-Key", "kunci")
	if r.status != http.StatusCreated || r.header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("medan's admin with the same key: %d replayed=%q, want 201 and no replay: %s",
			r.status, r.header.Get("Idempotent-Replayed"), r.raw)
	}
	if r.body["name"] != "Satu" {
		t.Errorf("linking an existing account changed its name to %v", r.body["name"])
	}
	login := b.do(t, http.MethodPost, "/v1/auth/login", "", map[string]string{"email": "satu@depok.test", "password": "kata-sandi-satu-123"})
	if login.status != http.StatusOK {
		t.Errorf("the account's own password stopped working: %d", login.status)
	}
}

// TestPetugasThroughTheUsersAPI: an admin adds a petugas with their regions,
// moves them to another kecamatan, and the petugas's reads follow at once;
// a petugas without regions, or with another office's, is refused. The
// audit log filters by who made a change and by kind of change.
func TestPetugasThroughTheUsersAPI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := b.login(t, b.depokAdmin.Email)
	const users = "/v1/tenants/depok/users"
	body := func(wilayah ...string) map[string]any {
		m := map[string]any{"email": "rudi@depok.test", "name": "Rudi", "role": "petugas", "password": testPassword}
		if wilayah != nil {
			m["wilayah"] = wilayah
		}
		return m
	}
	for _, c := range []struct {
		name string
		body map[string]any
	}{
		{"no regions", body()},
		{"another office's region", body(kelKarawangKul)},
	} {
		r := b.do(t, http.MethodPost, users, admin, c.body)
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422: %s", c.name, r.status, r.raw)
		} else if _, ok := r.problem(t).field("body.wilayah"); !ok {
			t.Errorf("%s: the problem does not name body.wilayah: %s", c.name, r.raw)
		}
	}
	if n := b.count(t, "", "select count(*) from users where email = 'rudi@depok.test'"); n != 0 {
		t.Errorf("a refused petugas left %d accounts", n)
	}

	r := b.do(t, http.MethodPost, users, admin, body(kecPancoranMas))
	if r.status != http.StatusCreated {
		t.Fatalf("create petugas: %d %s", r.status, r.raw)
	}
	location, etag := r.header.Get("Location"), r.header.Get("ETag")
	if w, _ := r.body["wilayah"].([]any); len(w) != 1 || w[0] != kecPancoranMas {
		t.Errorf("created wilayah %v, want [%s]", r.body["wilayah"], kecPancoranMas)
	}
	rudi := b.login(t, "rudi@depok.test")
	inPancoranMas := b.do(t, http.MethodPost, "/v1/tenants/depok/umkm", admin, uBody("Warung Rudi", "Sri", kelDepok))
	if inPancoranMas.status != http.StatusCreated {
		t.Fatalf("create umkm: %d %s", inPancoranMas.status, inPancoranMas.raw)
	}
	record := inPancoranMas.header.Get("Location")
	if r := b.do(t, http.MethodGet, record, rudi, nil); r.status != http.StatusOK {
		t.Fatalf("petugas reads a record of their kecamatan: %d %s", r.status, r.raw)
	}

	r = b.do(t, http.MethodPatch, location, admin, map[string]any{"wilayah": []string{kecCimanggis}}, "If-Match", etag)
	if r.status != http.StatusOK {
		t.Fatalf("move petugas: %d %s", r.status, r.raw)
	}
	if r := b.do(t, http.MethodGet, record, rudi, nil); r.status != http.StatusNotFound {
		t.Errorf("after the move the petugas still reads Pancoran Mas: %d, want 404", r.status)
	}

	var changes auditPage
	b.do(t, http.MethodGet, "/v1/tenants/depok/audit?entity=user&action=update", admin, nil).decode(t, &changes)
	if len(changes.Items) != 1 || !bytes.Contains(changes.Items[0].After, []byte(kecCimanggis)) {
		t.Errorf("audit of the move: %+v", changes.Items)
	}
	var byAdmin, byNobody auditPage
	b.do(t, http.MethodGet, "/v1/tenants/depok/audit?actor_id="+b.depokAdmin.ID.String(), admin, nil).decode(t, &byAdmin)
	if len(byAdmin.Items) != 3 { // the petugas, the business, the move
		t.Errorf("the admin's changes: %d entries, want 3", len(byAdmin.Items))
	}
	b.do(t, http.MethodGet, "/v1/tenants/depok/audit?actor_id="+uuid.NewString(), admin, nil).decode(t, &byNobody)
	if len(byNobody.Items) != 0 {
		t.Errorf("an unknown actor has %d entries", len(byNobody.Items))
	}
	if r := b.do(t, http.MethodGet, "/v1/tenants/depok/audit?actor_id=siti", admin, nil); r.status != http.StatusUnprocessableEntity {
		t.Errorf("actor_id=siti: %d, want 422: %s", r.status, r.raw)
	}
}
