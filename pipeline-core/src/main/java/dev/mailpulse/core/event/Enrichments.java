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
    /** How the mailbox provider was known: domain or mx. */
    public static final String MAILBOX_PROVIDER_SOURCE = "mailbox_provider_source";
    /** The client that opened or clicked: name, version, os, device, device_type. */
    public static final String CLIENT = "client";
    /** Within {@link #CLIENT}: desktop, mobile, tablet or bot. */
    public static final String DEVICE_TYPE = "device_type";
    /** An open made by a machine, and why. */
    public static final String MACHINE_OPEN = "machine_open";
    public static final String MACHINE_OPEN_REASON = "machine_open_reason";
    /** A click made by a security scanner, and why. */
    public static final String BOT_CLICK = "bot_click";
    public static final String BOT_CLICK_REASON = "bot_click_reason";
    /** True for a machine open (privacy proxy, prefetch) or a bot click (security scanner). */
    public static final String AUTOMATED = "automated";
    /** The campaign as registered (name, sender, tags), and a click's link's utm_* parameters. */
    public static final String CAMPAIGN = "campaign";
    public static final String UTM = "utm";
    /** The workspace's time zone, and the event's day and hour in it. */
    public static final String TIME_ZONE = "time_zone";
    public static final String LOCAL_DATE = "local_date";
    public static final String LOCAL_HOUR = "local_hour";
    /** The country of the event's IP address. */
    public static final String COUNTRY = "country";
    /** The enrichments that failed on the event, each with its reason. */
    public static final String FAILURES = "failures";

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
