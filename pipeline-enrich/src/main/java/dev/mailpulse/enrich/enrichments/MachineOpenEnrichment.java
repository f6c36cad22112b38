package dev.mailpulse.enrich.enrichments;

import java.util.List;
import java.util.regex.Pattern;

import dev.mailpulse.core.event.Enrichments;
import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.event.EventType;
import dev.mailpulse.enrich.Enrichment;
import tools.jackson.databind.node.ObjectNode;

/**
 * Flags opens made by machines rather than people: Apple Mail Privacy Protection and other proxies or prefetchers
 * load images whether or not the message is read. The provider's own flag wins (SendGrid's sg_machine_open); then
 * the user agent (Apple's proxy sends a bare "Mozilla/5.0"), then the proxies' published address ranges.
 */
public final class MachineOpenEnrichment implements Enrichment {

    /**
     * @param userAgents    patterns of machine openers' user agents (matched in full)
     * @param addressRanges CIDR ranges of image proxies that prefetch
     */
    public record Settings(List<String> userAgents, List<String> addressRanges) {
    }

    private final List<Pattern> userAgents;
    private final AddressRanges proxies;

    public MachineOpenEnrichment(Settings settings) {
        this.userAgents = settings.userAgents().stream().map(Pattern::compile).toList();
        this.proxies = new AddressRanges(settings.addressRanges());
    }

    @Override
    public String name() {
        return "machine_open";
    }

    @Override
    public Outcome apply(Event event, ObjectNode enrichment) {
        if (event.type() != EventType.EMAIL_OPEN) {
            return Outcome.NOT_APPLICABLE;
        }
        String reason = null;
        if (event.attributes().path("machine_open").asBoolean(false)) {
            reason = "provider_flag";
        } else if (event.userAgent() != null && userAgents.stream().anyMatch(p -> p.matcher(event.userAgent().strip()).matches())) {
            reason = "user_agent";
        } else if (proxies.contains(event.ip())) {
            reason = "proxy_address";
        }
        enrichment.put(Enrichments.MACHINE_OPEN, reason != null);
        if (reason != null) {
            enrichment.put(Enrichments.MACHINE_OPEN_REASON, reason);
        }
        return Outcome.APPLIED;
    }
}
