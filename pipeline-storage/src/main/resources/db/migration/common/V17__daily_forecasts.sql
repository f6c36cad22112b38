-- The daily forecasts of each workspace's sends and human clicks (ml-train, models "daily_sent" and
-- "daily_human_clicks"). Written from the promoted versions only, replaced whole per workspace and series. Documented
-- in the README ("Machine learning").

-- The next days' forecast of a workspace's daily series (sent, human_clicks) by local day, with 80% and 95% intervals
-- from the backtest's errors.
CREATE TABLE daily_forecasts (
    workspace_id        uuid             NOT NULL REFERENCES workspaces (workspace_id),
    series              varchar          NOT NULL CHECK (series IN ('sent', 'human_clicks')),
    day                 date             NOT NULL,
    model_version       integer          NOT NULL,
    made_at             timestamptz      NOT NULL,
    forecast            double precision NOT NULL,
    low_80              double precision NOT NULL,
    high_80             double precision NOT NULL,
    low_95              double precision NOT NULL,
    high_95             double precision NOT NULL,
    PRIMARY KEY (workspace_id, series, day)
);
