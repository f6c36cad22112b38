package dev.mailpulse.core.event;

import tools.jackson.databind.JsonNode;

/**
 * The enrichment fields that other stages rely on. processor-enrich writes them into {@link Event#enrichment()};
 * the sink keeps them as columns because the read model groups by them. Every field of the enrichment object, with
 * its meaning, is in its contract, {@code schemas/enrichment/v1.json} ({@code EventSchemas#validateEnrichment}).
 */
public final class Enrichments {

    /** The recipient's mailbox provider (gmail, microsoft, yahoo, apple, corporate, other). */
    public static final String MAILBOX_PROVIDER = "mailbox_provider";
    /** True for a machine open (privacy proxy, prefetch) or a bot click (security scanner). */
    public static final String AUTOMATED = "automated";

    private Enrichments() {
    }

    public static String mailboxProvider(Event event) {
        JsonNode provider = event.enrichment().get(MAILBOX_PROVIDER);
        return provider != null && provider.isString() && !provider.asString().isBlank() ? provider.asString() : "unknown";
    }

    public static boolean automated(Event event) {
        JsonNode automated = event.enrichment().get(AUTOMATED);
        return automated != null && automated.asBoolean(false);
    }
}
