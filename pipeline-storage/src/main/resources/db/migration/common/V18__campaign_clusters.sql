-- The campaign clusters of ml-train (model "campaign_clusters"): campaigns grouped by their KPI profiles, each group
-- described by what sets it apart. Written from the promoted version only, replaced whole per workspace. Documented in
-- the README ("Machine learning").
CREATE TABLE campaign_clusters (
    workspace_id  uuid    NOT NULL REFERENCES workspaces (workspace_id),
    cluster       integer NOT NULL,
    model_version integer NOT NULL,
    campaigns     integer NOT NULL,
    description   varchar NOT NULL,
    centre        jsonb   NOT NULL, -- {kpi: the members' mean}
    deviations    jsonb   NOT NULL, -- {kpi: (centre - every campaign's mean) / their standard deviation}
    PRIMARY KEY (workspace_id, cluster)
);

CREATE TABLE campaign_cluster_members (
    workspace_id uuid    NOT NULL,
    campaign_id  varchar NOT NULL,
    cluster      integer NOT NULL,
    PRIMARY KEY (workspace_id, campaign_id)
);
