-- Tenants, their credentials, the campaigns dimension, the raw event store and the failed-event store.
-- Shared by plain PostgreSQL and TimescaleDB; the engine-specific read model follows in V2.

CREATE TABLE workspaces (
    workspace_id            uuid        NOT NULL PRIMARY KEY,
    name                    varchar        NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$'),
    time_zone               varchar        NOT NULL DEFAULT 'UTC',
    -- An explicit choice: by default only a keyed hash of each recipient's address is stored.
    store_recipient_address boolean     NOT NULL DEFAULT false,
    created_at              timestamptz NOT NULL DEFAULT now()
);

-- API keys are shown once; only a SHA-256 of the key is kept. Keys are 256-bit random strings, so a fast hash is
-- enough (no dictionary to attack) and lets the collector check a key in one index look-up.
CREATE TABLE api_keys (
    key_id       uuid        NOT NULL PRIMARY KEY,
    workspace_id uuid        NOT NULL REFERENCES workspaces (workspace_id),
    key_hash     varchar     NOT NULL UNIQUE, -- hex SHA-256 of the key
    key_prefix   varchar        NOT NULL,
    label        varchar,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz
);
CREATE INDEX api_keys_workspace ON api_keys (workspace_id);

-- One row per workspace and provider: SendGrid's public key, Mailgun's signing key, Postmark's basic credentials
-- (password hashed), SES's topic ARN. The shape of each is owned by the collector's provider adapter.
CREATE TABLE webhook_credentials (
    workspace_id uuid        NOT NULL REFERENCES workspaces (workspace_id),
    provider     varchar        NOT NULL CHECK (provider IN ('sendgrid', 'mailgun', 'postmark', 'ses')),
    credentials  jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    rotated_at   timestamptz,
    revoked_at   timestamptz,
    PRIMARY KEY (workspace_id, provider)
);

CREATE TABLE campaigns (
    workspace_id uuid        NOT NULL REFERENCES workspaces (workspace_id),
    campaign_id  varchar        NOT NULL,
    name         varchar,
    sender       varchar,
    subject      varchar,
    tags         varchar[]      NOT NULL DEFAULT '{}',
    status       varchar        NOT NULL DEFAULT 'draft'
                             CHECK (status IN ('draft', 'running', 'paused', 'stopped', 'completed')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, campaign_id)
);

-- The raw store, for audit and replay. Writes are idempotent: (event_id, occurred_at) is unique and writers insert
-- with ON CONFLICT DO NOTHING, so a redelivered event changes nothing, here or in the read model.
-- occurred_at is part of the key because TimescaleDB partitions by it.
CREATE TABLE events (
    event_id          uuid        NOT NULL,
    occurred_at       timestamptz NOT NULL,
    received_at       timestamptz NOT NULL,
    stored_at         timestamptz NOT NULL DEFAULT now(),
    workspace_id      uuid        NOT NULL,
    event_type        varchar        NOT NULL,
    schema_version    smallint    NOT NULL,
    source            varchar        NOT NULL,
    provider_event_id varchar,
    campaign_id       varchar,
    message_id        varchar,
    recipient_hash    varchar,
    recipient_domain  varchar,
    recipient_address varchar,
    link_url          varchar,
    user_agent        varchar,
    ip                varchar,
    -- Set by processor-enrich; grouped on by the read model.
    mailbox_provider  varchar        NOT NULL DEFAULT 'unknown',
    -- A machine open (privacy proxy, prefetch) or a bot click (security scanner).
    automated         boolean     NOT NULL DEFAULT false,
    attributes        jsonb       NOT NULL DEFAULT '{}',
    enrichment        jsonb       NOT NULL DEFAULT '{}',
    CONSTRAINT events_pkey PRIMARY KEY (event_id, occurred_at)
);
CREATE INDEX events_workspace_time ON events (workspace_id, occurred_at DESC);
CREATE INDEX events_workspace_campaign_time ON events (workspace_id, campaign_id, occurred_at DESC);
CREATE INDEX events_workspace_message ON events (workspace_id, message_id);

-- Events that failed a stage, kept whole with a typed reason so they can be listed, fixed and replayed.
CREATE TABLE failed_events (
    failure_id     uuid        NOT NULL PRIMARY KEY,
    -- Null when the payload could not even be read far enough to know its workspace.
    workspace_id   uuid,
    event_id       uuid,
    stage          varchar        NOT NULL CHECK (stage IN ('collect', 'validate', 'enrich', 'store')),
    reason         varchar        NOT NULL,
    field          varchar,
    message        varchar        NOT NULL,
    payload        jsonb,
    raw_payload    varchar,
    failed_at      timestamptz NOT NULL DEFAULT now(),
    replay_count   integer     NOT NULL DEFAULT 0,
    replayed_at    timestamptz,
    CHECK (payload IS NOT NULL OR raw_payload IS NOT NULL)
);
CREATE INDEX failed_events_workspace_time ON failed_events (workspace_id, failed_at DESC);
CREATE INDEX failed_events_reason ON failed_events (workspace_id, reason, failed_at DESC);
