package dev.mailpulse.storage.events;

import static dev.mailpulse.storage.jooq.Tables.EVENTS;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.impl.DSL;

import dev.mailpulse.core.json.WireJson;
import tools.jackson.databind.JsonNode;

/**
 * Reads one workspace's raw events back, newest first, a page at a time; every query is filtered by the workspace fixed
 * when the object is made. The provider's own payload stays in the store: it may hold what the workspace chose not to
 * keep elsewhere (addresses).
 */
public final class StoredEvents {

    /** The longest range one listing reads. */
    public static final Duration LONGEST = Duration.ofDays(31);

    /**
     * Which events: of one campaign, of one message, of one type ({@code email.open}) or family ({@code
     * infrastructure}); each empty for any.
     */
    public record Filter(Optional<String> campaignId, Optional<String> messageId, Optional<String> type) {
    }

    /** Where a page ended: the next one starts after this event. */
    public record Position(Instant occurredAt, UUID eventId) {
    }

    /** An event as stored, with what enrichment added; the address only where the workspace stores addresses. */
    public record StoredEvent(UUID eventId, String eventType, Instant occurredAt, Instant receivedAt, Instant storedAt, String source,
                              String providerEventId, String campaignId, String messageId, String recipientHash, String recipientDomain,
                              String recipientAddress, String linkUrl, String userAgent, String ip, String mailboxProvider, boolean automated,
                              JsonNode attributes, JsonNode enrichment) {

        public Position position() {
            return new Position(occurredAt, eventId);
        }
    }

    /** When the newest event (by its time) arrived at the collector and when it was stored. */
    public record Arrival(Instant receivedAt, Instant storedAt) {
    }

    private final DSLContext db;
    private final UUID workspaceId;

    public StoredEvents(DSLContext db, UUID workspaceId) {
        this.db = db;
        this.workspaceId = Objects.requireNonNull(workspaceId, "workspaceId");
    }

    /** At most {@code limit} events in {@code [from, to)} matching the filter, newest first, after {@code after} if given. */
    public List<StoredEvent> page(Filter filter, Instant from, Instant to, Optional<Position> after, int limit) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("to: the range ends after it starts (from " + from + ", to " + to + ")");
        }
        if (Duration.between(from, to).compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("to: a listing spans at most " + LONGEST.toDays() + " days");
        }
        Condition condition = EVENTS.WORKSPACE_ID.eq(workspaceId)
                .and(EVENTS.OCCURRED_AT.ge(utc(from))).and(EVENTS.OCCURRED_AT.lt(utc(to)))
                .and(filter.campaignId().map(EVENTS.CAMPAIGN_ID::eq).orElse(DSL.noCondition()))
                .and(filter.messageId().map(EVENTS.MESSAGE_ID::eq).orElse(DSL.noCondition()))
                .and(filter.type().map(type -> type.contains(".") ? EVENTS.EVENT_TYPE.eq(type) : EVENTS.EVENT_TYPE.startsWith(type + "."))
                        .orElse(DSL.noCondition()))
                .and(after.map(p -> DSL.row(EVENTS.OCCURRED_AT, EVENTS.EVENT_ID).lt(utc(p.occurredAt()), p.eventId())).orElse(DSL.noCondition()));
        return db.select(EVENTS.EVENT_ID, EVENTS.EVENT_TYPE, EVENTS.OCCURRED_AT, EVENTS.RECEIVED_AT, EVENTS.STORED_AT, EVENTS.SOURCE,
                        EVENTS.PROVIDER_EVENT_ID, EVENTS.CAMPAIGN_ID, EVENTS.MESSAGE_ID, EVENTS.RECIPIENT_HASH, EVENTS.RECIPIENT_DOMAIN,
                        EVENTS.RECIPIENT_ADDRESS, EVENTS.LINK_URL, EVENTS.USER_AGENT, EVENTS.IP, EVENTS.MAILBOX_PROVIDER, EVENTS.AUTOMATED,
                        EVENTS.ATTRIBUTES, EVENTS.ENRICHMENT)
                .from(EVENTS).where(condition)
                .orderBy(EVENTS.OCCURRED_AT.desc(), EVENTS.EVENT_ID.desc())
                .limit(limit)
                .fetch(r -> new StoredEvent(r.value1(), r.value2(), r.value3().toInstant(), r.value4().toInstant(), r.value5().toInstant(),
                        r.value6(), r.value7(), r.value8(), r.value9(), r.value10(), r.value11(), r.value12(), r.value13(), r.value14(),
                        r.value15(), r.value16(), r.value17(), json(r.value18()), json(r.value19())));
    }

    /** The newest event's arrival, if the workspace has any: how far behind the collector the store is. */
    public Optional<Arrival> newest() {
        return db.select(EVENTS.RECEIVED_AT, EVENTS.STORED_AT).from(EVENTS).where(EVENTS.WORKSPACE_ID.eq(workspaceId))
                .orderBy(EVENTS.OCCURRED_AT.desc()).limit(1)
                .fetchOptional(r -> new Arrival(r.value1().toInstant(), r.value2().toInstant()));
    }

    private static JsonNode json(JSONB value) {
        return WireJson.MAPPER.readTree(value.data());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
