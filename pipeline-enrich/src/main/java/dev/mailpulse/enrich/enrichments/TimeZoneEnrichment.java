package dev.mailpulse.enrich.enrichments;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import dev.mailpulse.core.event.Enrichments;
import dev.mailpulse.core.event.Event;
import dev.mailpulse.enrich.Enrichment;
import tools.jackson.databind.node.ObjectNode;

/** The workspace's time zone and the event's local date and hour in it, so days and reports follow the customer's day. */
public final class TimeZoneEnrichment implements Enrichment {

    private final Function<UUID, Optional<ZoneId>> zones;

    public TimeZoneEnrichment(Function<UUID, Optional<ZoneId>> zones) {
        this.zones = zones;
    }

    @Override
    public String name() {
        return "time_zone";
    }

    @Override
    public Outcome apply(Event event, ObjectNode enrichment) {
        Optional<ZoneId> zone = zones.apply(event.workspaceId());
        if (zone.isEmpty()) {
            return new Outcome.Failed("the workspace's time zone is unknown");
        }
        ZonedDateTime local = event.occurredAt().atZone(zone.get());
        enrichment.put(Enrichments.TIME_ZONE, zone.get().getId());
        enrichment.put(Enrichments.LOCAL_DATE, local.toLocalDate().toString());
        enrichment.put(Enrichments.LOCAL_HOUR, local.getHour());
        return Outcome.APPLIED;
    }
}
