-- The nightly model training's outputs (ml-train): the model registry, each recipient's engagement scores and the
-- forecasts of running campaigns. Documented in the README ("Machine learning").

-- Every model trained, per workspace: the data it learnt from and was tested on (later in time), its parameters, its
-- metrics and its baselines' metrics on the same test rows. A version that beats its best baseline is promoted (the one
-- the console and the API use, at most one per workspace and name); one that does not is kept here, not promoted.
CREATE TABLE ml_models (
    workspace_id     uuid        NOT NULL REFERENCES workspaces (workspace_id),
    name             varchar     NOT NULL,
    version          integer     NOT NULL CHECK (version > 0),
    algorithm        varchar     NOT NULL,
    trained_at       timestamptz NOT NULL,
    data_from        timestamptz NOT NULL, -- the training rows' range
    split_at         timestamptz NOT NULL, -- the test rows' start: every test row is later than every training row
    data_to          timestamptz NOT NULL, -- the test rows' end
    training_rows    bigint      NOT NULL,
    test_rows        bigint      NOT NULL,
    parameters       jsonb       NOT NULL,
    metrics          jsonb       NOT NULL, -- {"roc_auc": x, "pr_auc": y} or {"mae": x}
    baseline_metrics jsonb       NOT NULL, -- {"global_rate": {...}, "recipient_history": {...}} or {"workspace_average": {...}}
    promoted         boolean     NOT NULL,
    verdict          varchar     NOT NULL, -- why it was promoted or not
    model_path       varchar     NOT NULL, -- where Spark ML persistence saved it
    PRIMARY KEY (workspace_id, name, version)
);
CREATE UNIQUE INDEX ml_models_promoted ON ml_models (workspace_id, name) WHERE promoted;

-- Each recipient's probabilities of a human open and of a human click within the engagement window of a send, by
-- the promoted models, from the recipient's history up to the scoring, for a send at the workspace's usual hour of
-- week. Replaced whole for a workspace at each scoring.
CREATE TABLE engagement_scores (
    workspace_id        uuid             NOT NULL,
    recipient_hash      varchar          NOT NULL,
    click_probability   double precision NOT NULL,
    open_probability    double precision NOT NULL,
    prior_sends         bigint           NOT NULL,
    prior_human_clicks  bigint           NOT NULL,
    prior_human_opens   bigint           NOT NULL,
    PRIMARY KEY (workspace_id, recipient_hash)
);
CREATE INDEX engagement_scores_click ON engagement_scores (workspace_id, click_probability DESC, recipient_hash);

-- How and when a workspace's recipients were last scored: the models' versions (null where none beat the baselines:
-- the recipient's smoothed history then) and the send they were scored for.
CREATE TABLE engagement_scorings (
    workspace_id        uuid        NOT NULL PRIMARY KEY REFERENCES workspaces (workspace_id),
    scored_at           timestamptz NOT NULL,
    click_model_version integer,
    open_model_version  integer,
    hour_of_week        integer     NOT NULL CHECK (hour_of_week BETWEEN 0 AND 167), -- Monday 00:00 local is 0
    recipients          bigint      NOT NULL
);

-- The final human click rate and revenue forecast for each running campaign from its first hours, by the promoted
-- campaign models, beside the naive forecast (the workspace's average). Replaced whole for a workspace at each run.
CREATE TABLE campaign_forecasts (
    workspace_id             uuid             NOT NULL,
    campaign_id              varchar          NOT NULL,
    forecast_at              timestamptz      NOT NULL,
    started_at               timestamptz      NOT NULL,
    first_hours              integer          NOT NULL,
    first_hours_sent         bigint           NOT NULL,
    first_hours_click_rate   double precision,
    human_click_rate         double precision,
    human_click_rate_average double precision NOT NULL,
    click_model_version      integer,
    currency                 varchar,
    revenue                  numeric(30, 10),
    revenue_average          numeric(30, 10),
    revenue_model_version    integer,
    PRIMARY KEY (workspace_id, campaign_id)
);
