package dev.mailpulse.enrich.enrichments;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.mailpulse.core.event.Enrichments;
import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.event.EventType;
import dev.mailpulse.enrich.Enrichment;
import tools.jackson.databind.node.ObjectNode;

/**
 * Flags clicks made by security scanners and link checkers rather than people: by their user agent or address
 * range, by coming within a few seconds of the message's delivery, or by one recipient following many links within a
 * second. The last two need what was seen recently; it is kept in memory, bounded, per instance: processor-enrich is
 * deployed partitioned by workspace (scdf/mailpulse.deployment.properties), so one instance sees all of a workspace's
 * events. (A restarted instance starts with an empty memory: for a burst window that is seconds long, a handful of
 * clicks at most.)
 */
public final class BotClickEnrichment implements Enrichment {

    /**
     * @param userAgents          patterns found in scanners' user agents (case-insensitive)
     * @param addressRanges       CIDR ranges of known scanners
     * @param afterDelivery       a click sooner than this after delivery is a scanner's
     * @param burstLinks          this many different links clicked by one recipient within {@code burstWindow} is a scanner
     * @param burstWindow         see {@code burstLinks}
     * @param remembered          how many messages' delivery times and recipients' recent clicks are kept
     */
    public record Settings(List<String> userAgents, List<String> addressRanges, Duration afterDelivery, int burstLinks,
                           Duration burstWindow, int remembered) {
    }

    private record Click(Instant at, String link) {
    }

    private final Settings settings;
    private final List<Pattern> userAgents;
    private final AddressRanges scanners;
    private final Map<String, Instant> deliveries;
    private final Map<String, Deque<Click>> recentClicks;

    public BotClickEnrichment(Settings settings) {
        this.settings = settings;
        this.userAgents = settings.userAgents().stream().map(p -> Pattern.compile(p, Pattern.CASE_INSENSITIVE)).toList();
        this.scanners = new AddressRanges(settings.addressRanges());
        this.deliveries = bounded(settings.remembered());
        this.recentClicks = bounded(settings.remembered());
    }

    @Override
    public String name() {
        return "bot_click";
    }

    @Override
    public synchronized Outcome apply(Event event, ObjectNode enrichment) {
        if (event.type() == EventType.EMAIL_DELIVER && event.messageId() != null && event.recipient() != null) {
            deliveries.put(messageKey(event), event.occurredAt());
            return Outcome.NOT_APPLICABLE;
        }
        if (event.type() != EventType.EMAIL_CLICK) {
            return Outcome.NOT_APPLICABLE;
        }
        String reason = null;
        if (event.userAgent() != null && userAgents.stream().anyMatch(p -> p.matcher(event.userAgent()).find())) {
            reason = "scanner_user_agent";
        } else if ("bot".equals(enrichment.path(Enrichments.CLIENT).path(Enrichments.DEVICE_TYPE).asString(""))) {
            reason = "scanner_user_agent";
        } else if (scanners.contains(event.ip())) {
            reason = "scanner_address";
        } else if (event.messageId() != null && event.recipient() != null && deliveries.containsKey(messageKey(event))
                && Duration.between(deliveries.get(messageKey(event)), event.occurredAt()).compareTo(settings.afterDelivery()) < 0) {
            reason = "too_soon_after_delivery";
        } else if (burst(event)) {
            reason = "many_links_at_once";
        }
        enrichment.put(Enrichments.BOT_CLICK, reason != null);
        if (reason != null) {
            enrichment.put(Enrichments.BOT_CLICK_REASON, reason);
        }
        return Outcome.APPLIED;
    }

    private boolean burst(Event event) {
        if (event.recipient() == null) {
            return false;
        }
        Deque<Click> clicks = recentClicks.computeIfAbsent(event.workspaceId() + "/" + event.recipient().hash(), k -> new ArrayDeque<>());
        clicks.addLast(new Click(event.occurredAt(), event.linkUrl()));
        while (clicks.size() > 64) {
            clicks.removeFirst();
        }
        Set<String> links = new HashSet<>();
        for (Click click : clicks) {
            if (Duration.between(click.at(), event.occurredAt()).abs().compareTo(settings.burstWindow()) <= 0) {
                links.add(click.link());
            }
        }
        return links.size() >= settings.burstLinks();
    }

    private static String messageKey(Event event) {
        return event.workspaceId() + "/" + event.messageId() + "/" + event.recipient().hash();
    }

    private static <V> Map<String, V> bounded(int size) {
        return new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > size;
            }
        };
    }
}
