-- Stripe, the invoice ledger (BILLING.md). A webhook names a Stripe
-- customer, never an office, so the map from customer to office is a
-- platform table (no RLS): a tenant table's keys all start with tenant_id,
-- and the lookup must work before any tenant is known. Its column is named
-- "tenant", not tenant_id: every table with a tenant_id column is a tenant
-- table (the isolation tests read the catalogue that way).
CREATE TABLE stripe_customers (
    customer_id     text PRIMARY KEY CHECK (customer_id ~ '^cus_[A-Za-z0-9]+$'),
    tenant          uuid NOT NULL UNIQUE REFERENCES tenants (id),
    subscription_id text UNIQUE CHECK (subscription_id ~ '^sub_[A-Za-z0-9]+$'),
    price_id        text,
    tax_rate_id     text,
    livemode        boolean NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Every Stripe event received, once (its id is the key: a redelivery or a
-- replay inserts nothing and queues nothing). outcome says what the
-- webhook did with it; the payload is not kept, the sync never trusts it.
CREATE TABLE stripe_events (
    id          text PRIMARY KEY CHECK (id ~ '^evt_[A-Za-z0-9_]+$'),
    type        text NOT NULL,
    livemode    boolean NOT NULL,
    api_version text NOT NULL,
    customer_id text,
    tenant      uuid REFERENCES tenants (id),
    outcome     text NOT NULL CHECK (outcome IN
        ('queued', 'ignored_type', 'livemode_mismatch', 'api_version_mismatch', 'unknown_customer')),
    created_at  timestamptz NOT NULL, -- Stripe's
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stripe_events_customer_idx ON stripe_events (customer_id, received_at) WHERE customer_id IS NOT NULL;

-- The contract's facts Stripe needs: the office's NPWP (its tax id on the
-- customer) and the treasurer's address for invoices.
ALTER TABLE tenant_billing
    ADD COLUMN npwp text CHECK (npwp ~ '^[0-9]{15,16}$'),
    ADD COLUMN billing_email text CHECK (billing_email = lower(billing_email) AND billing_email LIKE '%_@_%');

GRANT SELECT, INSERT, UPDATE ON stripe_customers TO sentra_app;
GRANT SELECT, INSERT ON stripe_events TO sentra_app;
