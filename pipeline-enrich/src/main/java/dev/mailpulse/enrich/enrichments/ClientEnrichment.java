package dev.mailpulse.enrich.enrichments;

import dev.mailpulse.core.event.Enrichments;
import dev.mailpulse.core.event.Event;
import dev.mailpulse.enrich.Enrichment;
import tools.jackson.databind.node.ObjectNode;
import ua_parser.Client;
import ua_parser.Parser;

/**
 * The client, operating system and device of an open or click, from its user agent with ua-parser (the maintained
 * uap-core regexes); the device is also classed as desktop, mobile, tablet or bot.
 */
public final class ClientEnrichment implements Enrichment {

    private final Parser parser;

    public ClientEnrichment(Parser parser) {
        this.parser = parser;
    }

    @Override
    public String name() {
        return "client";
    }

    @Override
    public Outcome apply(Event event, ObjectNode enrichment) {
        if (event.userAgent() == null || event.userAgent().isBlank()) {
            return Outcome.NOT_APPLICABLE;
        }
        Client client = parser.parse(event.userAgent());
        ObjectNode written = enrichment.putObject(Enrichments.CLIENT);
        written.put("name", client.userAgent.family);
        if (client.userAgent.major != null) {
            written.put("version", client.userAgent.major + (client.userAgent.minor != null ? "." + client.userAgent.minor : ""));
        }
        written.put("os", client.os.family);
        written.put("device", client.device.family);
        written.put(Enrichments.DEVICE_TYPE, deviceType(client, event.userAgent()));
        return Outcome.APPLIED;
    }

    static String deviceType(Client client, String userAgent) {
        if ("Spider".equals(client.device.family)) {
            return "bot";
        }
        String device = client.device.family.toLowerCase(java.util.Locale.ROOT);
        String agent = userAgent.toLowerCase(java.util.Locale.ROOT);
        if (device.contains("ipad") || device.contains("tablet") || agent.contains("tablet")) {
            return "tablet";
        }
        String os = client.os.family;
        if ("iOS".equals(os) || "Android".equals(os) || agent.contains("mobile")) {
            return "mobile";
        }
        return "desktop";
    }
}
