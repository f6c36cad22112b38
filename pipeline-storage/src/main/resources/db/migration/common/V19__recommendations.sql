-- Optimisation suggestions made by ml-train from its models (send hours, unengaged recipients, rising complaints, the
-- best campaign cluster), each with its evidence and expected effect, accepted or dismissed by a user. A suggestion is
-- known by its fingerprint (its kind, subject and what it advises): made again unchanged, it keeps its decision and
-- only its evidence is refreshed; one no longer made is removed while undecided, kept once decided. Documented in the
-- README ("Machine learning").
CREATE TABLE recommendations (
    workspace_id    uuid        NOT NULL REFERENCES workspaces (workspace_id),
    id              uuid        NOT NULL,
    kind            varchar     NOT NULL,
    subject         varchar     NOT NULL, -- a provider, a cluster, or '' for the whole workspace
    fingerprint     varchar     NOT NULL,
    title           varchar     NOT NULL,
    evidence        varchar     NOT NULL,
    expected_effect varchar     NOT NULL,
    status          varchar     NOT NULL CHECK (status IN ('open', 'accepted', 'dismissed')),
    made_at         timestamptz NOT NULL, -- first made
    updated_at      timestamptz NOT NULL, -- its evidence last refreshed
    decided_at      timestamptz,
    decided_by      varchar,
    PRIMARY KEY (workspace_id, id),
    UNIQUE (workspace_id, fingerprint)
);
