-- Alert rules of a workspace: what the alert evaluator judges, as the API and the console defined it (its JSON
-- definition, validated by the alerting library, is kept whole so that a rule reads back as it was written).
CREATE TABLE alert_rules (
    rule_id      uuid        NOT NULL PRIMARY KEY,
    workspace_id uuid        NOT NULL REFERENCES workspaces (workspace_id),
    name         varchar     NOT NULL,
    definition   jsonb       NOT NULL,
    enabled      boolean     NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, name)
);

-- One instance of a rule per value of its split ('{}' labels when it has none): its state, since when, how many
-- consecutive evaluations breached (the pending period), the value last judged, when its channels were last told (a
-- firing instance is told again after its rule's repeat interval), and its acknowledgement while it fires (which
-- stops the repeats, not the resolution; cleared when the state changes).
CREATE TABLE alert_instances (
    rule_id           uuid        NOT NULL REFERENCES alert_rules (rule_id) ON DELETE CASCADE,
    labels            jsonb       NOT NULL,
    workspace_id      uuid        NOT NULL,
    state             varchar     NOT NULL CHECK (state IN ('normal', 'pending', 'firing', 'resolved', 'nodata', 'error')),
    since             timestamptz NOT NULL,
    breaches          integer     NOT NULL DEFAULT 0,
    last_value        double precision,
    last_volume       bigint,
    last_evaluated_at timestamptz NOT NULL,
    last_notified_at  timestamptz,
    repeats           integer     NOT NULL DEFAULT 0,
    acknowledged_at   timestamptz,
    acknowledged_by   varchar,
    acknowledgement   varchar,
    PRIMARY KEY (rule_id, labels)
);
CREATE INDEX alert_instances_workspace_state ON alert_instances (workspace_id, state);

-- Every change of an instance's state, with the value and volume that caused it.
CREATE TABLE alert_transitions (
    transition_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rule_id       uuid        NOT NULL REFERENCES alert_rules (rule_id) ON DELETE CASCADE,
    labels        jsonb       NOT NULL,
    workspace_id  uuid        NOT NULL,
    from_state    varchar     NOT NULL,
    to_state      varchar     NOT NULL,
    value         double precision,
    volume        bigint,
    at            timestamptz NOT NULL
);
CREATE INDEX alert_transitions_rule ON alert_transitions (rule_id, at DESC);
CREATE INDEX alert_transitions_workspace ON alert_transitions (workspace_id, at DESC);

-- What each notified transition (to firing, to resolved) owes each of its rule's channels, written in the
-- evaluation's transaction (an outbox): so a transition is told once, whichever evaluator judged it and whatever
-- restarts, and a receiver that is down is retried until it answers or the notification is given up. A firing that
-- lasts is told again (round 1, 2, ...) after each repeat interval; a silence that matches makes it 'silenced'.
CREATE TABLE alert_notifications (
    notification_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transition_id   bigint      NOT NULL REFERENCES alert_transitions (transition_id) ON DELETE CASCADE,
    workspace_id    uuid        NOT NULL,
    channel         integer     NOT NULL, -- the channel's place in its rule's list
    round           integer     NOT NULL DEFAULT 0,
    state           varchar     NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed', 'silenced')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error      varchar,
    sent_at         timestamptz,
    UNIQUE (transition_id, channel, round)
);
CREATE INDEX alert_notifications_due ON alert_notifications (next_attempt_at) WHERE state = 'pending';

-- Silences: the notifications of a workspace's alerts whose labels match every matcher (the labels being the
-- instance's split value, the rule's labels, its name as "rule" and its severity as "severity") are not sent while
-- the silence lasts; they are kept as 'silenced'.
CREATE TABLE alert_silences (
    silence_id   uuid        NOT NULL PRIMARY KEY,
    workspace_id uuid        NOT NULL REFERENCES workspaces (workspace_id),
    matchers     jsonb       NOT NULL,
    starts_at    timestamptz NOT NULL,
    ends_at      timestamptz NOT NULL,
    comment      varchar     NOT NULL,
    created_by   varchar     NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);
CREATE INDEX alert_silences_workspace ON alert_silences (workspace_id, ends_at);
