-- What a key may do: ingest (the collector; every key issued before scopes), read (the Analytics API and the live
-- stream) or admin (every write: rules, dashboards, reports, settings, replays).
ALTER TABLE api_keys ADD COLUMN scope varchar NOT NULL DEFAULT 'ingest';
ALTER TABLE api_keys ADD CONSTRAINT api_keys_scope CHECK (scope IN ('ingest', 'read', 'admin'));

-- The console's users: an address (kept in lower case), a password hash (Spring Security's delegating format, so the
-- algorithm can change), and the back-off after failed sign-ins.
CREATE TABLE users (
    user_id         uuid        NOT NULL PRIMARY KEY,
    email           varchar     NOT NULL UNIQUE,
    password_hash   varchar     NOT NULL,
    failed_sign_ins integer     NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- A user belongs to one or more workspaces, with a role in each.
CREATE TABLE workspace_members (
    user_id      uuid        NOT NULL REFERENCES users (user_id),
    workspace_id uuid        NOT NULL REFERENCES workspaces (workspace_id),
    role         varchar     NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, workspace_id)
);
CREATE INDEX workspace_members_workspace ON workspace_members (workspace_id);
