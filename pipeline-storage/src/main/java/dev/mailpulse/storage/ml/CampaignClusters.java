package dev.mailpulse.storage.ml;

import static dev.mailpulse.storage.jooq.Tables.CAMPAIGN_CLUSTERS;
import static dev.mailpulse.storage.jooq.Tables.CAMPAIGN_CLUSTER_MEMBERS;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.JSON;

import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.storage.jooq.tables.records.CampaignClustersRecord;
import tools.jackson.core.type.TypeReference;

/**
 * The promoted campaign-clusters model's outputs, as ml-train writes them and the console and the API read them: the
 * workspace's campaigns grouped by their KPI profiles, each group with its centre and what sets it apart. Replaced
 * whole per workspace.
 */
public final class CampaignClusters {

    /**
     * One group of campaigns.
     *
     * @param centre     by KPI, its members' mean
     * @param deviations by KPI, how far the centre is from every campaign's mean, in their standard deviations
     */
    public record Cluster(int cluster, int modelVersion, int campaigns, String description, Map<String, Double> centre,
                          Map<String, Double> deviations) {

        public Cluster {
            centre = Collections.unmodifiableMap(new LinkedHashMap<>(centre));
            deviations = Collections.unmodifiableMap(new LinkedHashMap<>(deviations));
        }
    }

    private static final TypeReference<LinkedHashMap<String, Double>> BY_KPI = new TypeReference<>() {
    };

    private final DSLContext db;

    public CampaignClusters(DSLContext db) {
        this.db = db;
    }

    /** Replaces the workspace's clusters and their members (campaign to cluster), in one transaction. */
    public void replace(UUID workspace, List<Cluster> clusters, Map<String, Integer> members) {
        db.transaction(tx -> {
            DSLContext t = tx.dsl();
            t.deleteFrom(CAMPAIGN_CLUSTERS).where(CAMPAIGN_CLUSTERS.WORKSPACE_ID.eq(workspace)).execute();
            t.deleteFrom(CAMPAIGN_CLUSTER_MEMBERS).where(CAMPAIGN_CLUSTER_MEMBERS.WORKSPACE_ID.eq(workspace)).execute();
            for (Cluster c : clusters) {
                t.insertInto(CAMPAIGN_CLUSTERS).set(CAMPAIGN_CLUSTERS.WORKSPACE_ID, workspace).set(CAMPAIGN_CLUSTERS.CLUSTER, c.cluster())
                        .set(CAMPAIGN_CLUSTERS.MODEL_VERSION, c.modelVersion()).set(CAMPAIGN_CLUSTERS.CAMPAIGNS, c.campaigns())
                        .set(CAMPAIGN_CLUSTERS.DESCRIPTION, c.description()).set(CAMPAIGN_CLUSTERS.CENTRE, json(c.centre()))
                        .set(CAMPAIGN_CLUSTERS.DEVIATIONS, json(c.deviations())).execute();
            }
            if (!members.isEmpty()) {
                var insert = t.insertInto(CAMPAIGN_CLUSTER_MEMBERS, CAMPAIGN_CLUSTER_MEMBERS.WORKSPACE_ID, CAMPAIGN_CLUSTER_MEMBERS.CAMPAIGN_ID,
                        CAMPAIGN_CLUSTER_MEMBERS.CLUSTER);
                for (Map.Entry<String, Integer> member : members.entrySet()) {
                    insert = insert.values(workspace, member.getKey(), member.getValue());
                }
                insert.execute();
            }
        });
    }

    /** The workspace's clusters, the largest first. */
    public List<Cluster> clusters(UUID workspace) {
        return db.selectFrom(CAMPAIGN_CLUSTERS).where(CAMPAIGN_CLUSTERS.WORKSPACE_ID.eq(workspace))
                .orderBy(CAMPAIGN_CLUSTERS.CAMPAIGNS.desc(), CAMPAIGN_CLUSTERS.CLUSTER).fetch(CampaignClusters::cluster);
    }

    /** Each clustered campaign's cluster. */
    public Map<String, Integer> members(UUID workspace) {
        Map<String, Integer> members = new LinkedHashMap<>();
        db.selectFrom(CAMPAIGN_CLUSTER_MEMBERS).where(CAMPAIGN_CLUSTER_MEMBERS.WORKSPACE_ID.eq(workspace)).orderBy(CAMPAIGN_CLUSTER_MEMBERS.CAMPAIGN_ID)
                .forEach(r -> members.put(r.getCampaignId(), r.getCluster()));
        return members;
    }

    private static Cluster cluster(CampaignClustersRecord r) {
        return new Cluster(r.getCluster(), r.getModelVersion(), r.getCampaigns(), r.getDescription(), WireJson.MAPPER.readValue(r.getCentre().data(), BY_KPI),
                WireJson.MAPPER.readValue(r.getDeviations().data(), BY_KPI));
    }

    private static JSON json(Object value) {
        return JSON.valueOf(WireJson.MAPPER.writeValueAsString(value));
    }
}
