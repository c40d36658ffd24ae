-- The life of an office as a customer (BILLING.md), replacing the active
-- flag: the state and its reason on the tenant (read on every request, so
-- beside the slug), the facts it is decided from in tenant_billing.
--
-- An office without a tenant_billing row is not billed (the YAML offices
-- of `tenants sync`, a self-hosted install): it stays active. Only
-- langganan.Evaluate, from the facts, moves a billed office's state.
ALTER TABLE tenants
    ADD COLUMN state text NOT NULL DEFAULT 'active' CHECK (state IN
        ('provisioning', 'trialing', 'active', 'grace', 'read_only', 'canceled', 'offboarding', 'archived')),
    ADD COLUMN state_reason text NOT NULL DEFAULT 'paid',
    ADD COLUMN state_until timestamptz,
    ADD COLUMN state_changed_at timestamptz NOT NULL DEFAULT now();
UPDATE tenants SET state = 'archived', state_reason = 'archived' WHERE NOT active;
ALTER TABLE tenants DROP COLUMN active;

-- The plans: a flat yearly price per tier, limits as data (null: none).
-- Prices are in whole rupiah; ×100 only at the Stripe boundary.
CREATE TABLE plans (
    code              text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,30}$'),
    name              text NOT NULL CHECK (btrim(name) <> ''),
    stripe_lookup_key text NOT NULL UNIQUE,
    yearly_price_idr  bigint NOT NULL CHECK (yearly_price_idr > 0),
    max_staff         integer CHECK (max_staff > 0),
    max_records       integer CHECK (max_records > 0),
    active            boolean NOT NULL DEFAULT true
);
-- The launch price list (a business decision, changed here or by a later
-- migration, never in code).
INSERT INTO plans (code, name, stripe_lookup_key, yearly_price_idr, max_staff, max_records) VALUES
    ('dasar', 'Dasar', 'sentra_dasar_tahunan', 36000000, 10, 25000),
    ('menengah', 'Menengah', 'sentra_menengah_tahunan', 72000000, 30, 100000),
    ('penuh', 'Penuh', 'sentra_penuh_tahunan', 120000000, NULL, NULL);

-- The facts of a billed office and its policy (BILLING.md's defaults).
-- Its Stripe ids come with the Stripe sync, in a platform table that maps
-- them to the office (a webhook does not know the office).
CREATE TABLE tenant_billing (
    tenant_id              uuid PRIMARY KEY REFERENCES tenants (id),
    -- A plan of plans (checked by the service: a tenant table's keys all
    -- start with tenant_id, and plans is the platform's).
    plan_code              text,
    trial_until            timestamptz,
    contract_at            timestamptz,
    contract_number        text,
    suspended_at           timestamptz,
    suspended_reason       text,
    grace_until            timestamptz,
    canceled_at            timestamptz,
    offboarding_at         timestamptz,
    archived_at            timestamptz,
    days_until_due         integer NOT NULL DEFAULT 30 CHECK (days_until_due BETWEEN 1 AND 365),
    read_only_after_days   integer NOT NULL DEFAULT 60 CHECK (read_only_after_days BETWEEN 1 AND 365),
    restrict_after_days    integer NOT NULL DEFAULT 0 CHECK (restrict_after_days BETWEEN 0 AND 365),
    export_window_days     integer NOT NULL DEFAULT 90 CHECK (export_window_days BETWEEN 1 AND 3650),
    version                bigint NOT NULL DEFAULT 1,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);

-- Mirrors of the office's Stripe invoices, amounts in whole rupiah.
CREATE TABLE invoices (
    tenant_id         uuid NOT NULL REFERENCES tenants (id),
    id                uuid NOT NULL,
    stripe_invoice_id text NOT NULL,
    number            text,
    status            text NOT NULL CHECK (status IN ('draft', 'open', 'paid', 'void', 'uncollectible')),
    amount_due_idr    bigint NOT NULL CHECK (amount_due_idr >= 0),
    tax_idr           bigint NOT NULL DEFAULT 0 CHECK (tax_idr >= 0),
    due_at            timestamptz,
    hosted_url        text,
    pdf_url           text,
    -- The payment as the office made it: SP2D and what was received (the
    -- treasurer may withhold PPh, so received can be less than due).
    sp2d_number       text,
    paid_at           timestamptz,
    received_idr      bigint CHECK (received_idr >= 0),
    tax_documents     jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(tax_documents) = 'array'),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, stripe_invoice_id)
);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['tenant_billing', 'invoices'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;

GRANT SELECT ON plans TO sentra_app;
GRANT SELECT, INSERT, UPDATE ON tenant_billing, invoices TO sentra_app;
