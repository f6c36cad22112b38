package dev.mailpulse.enrich.enrichments;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;

import dev.mailpulse.core.event.Enrichments;
import dev.mailpulse.core.event.Event;
import dev.mailpulse.enrich.Enrichment;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The campaign's name, sender and tags from the campaigns dimension (looked up through a bounded cache by the
 * caller), and the UTM parameters of a clicked link.
 */
public final class CampaignContextEnrichment implements Enrichment {

    /** What the campaigns dimension knows of a campaign. */
    public record Campaign(String name, String sender, List<String> tags) {
    }

    private static final Set<String> UTM = Set.of("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content");

    private final BiFunction<UUID, String, Optional<Campaign>> campaigns;

    public CampaignContextEnrichment(BiFunction<UUID, String, Optional<Campaign>> campaigns) {
        this.campaigns = campaigns;
    }

    @Override
    public String name() {
        return "campaign_context";
    }

    @Override
    public Outcome apply(Event event, ObjectNode enrichment) {
        boolean applied = false;
        if (event.campaignId() != null) {
            Optional<Campaign> campaign = campaigns.apply(event.workspaceId(), event.campaignId());
            if (campaign.isPresent()) {
                ObjectNode written = enrichment.putObject(Enrichments.CAMPAIGN);
                if (campaign.get().name() != null) {
                    written.put("name", campaign.get().name());
                }
                if (campaign.get().sender() != null) {
                    written.put("sender", campaign.get().sender());
                }
                ArrayNode tags = written.putArray("tags");
                campaign.get().tags().forEach(tags::add);
                applied = true;
            }
        }
        if (event.linkUrl() != null) {
            try {
                String query = URI.create(event.linkUrl().strip()).getRawQuery();
                if (query != null) {
                    ObjectNode utm = null;
                    for (String pair : query.split("&")) {
                        int equals = pair.indexOf('=');
                        String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT);
                        if (UTM.contains(key) && equals >= 0) {
                            utm = utm == null ? enrichment.putObject(Enrichments.UTM) : utm;
                            utm.put(key.substring(4), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                        }
                    }
                    applied |= utm != null;
                }
            } catch (IllegalArgumentException e) {
                return new Outcome.Failed("link_url is not a URI: " + e.getMessage());
            }
        }
        return applied ? Outcome.APPLIED : Outcome.NOT_APPLICABLE;
    }
}
