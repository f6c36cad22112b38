package dev.mailpulse.storage;

import static dev.mailpulse.storage.jooq.Tables.EVENTS;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.InsertValuesStep11;
import org.jooq.Record;
import org.jooq.Table;

import dev.mailpulse.storage.jooq.tables.records.EventsRecord;

/**
 * Generated events with a known ground truth: what the read model must say once they are stored, whatever the
 * duplicates, lateness and order of their arrival.
 */
final class KnownEvents {

    static final List<String> TYPES = List.of("email.send", "email.deliver", "email.open", "email.open", "email.click",
            "email.bounce", "campaign.start", "infrastructure.vps_health");
    private static final List<String> PROVIDERS = List.of("gmail", "outlook", "yahoo", "apple", "other");
    private static final Set<String> UNIQUE_TYPES = Set.of("email.open", "email.click");

    record Row(UUID eventId, Instant occurredAt, UUID workspaceId, String campaignId, String type, String provider,
               boolean automated, String recipientHash) {
    }

    record Key(String granularity, Instant bucket, UUID workspaceId, String campaignId, String type, String provider) {
    }

    record Counts(long events, long automated, long uniqueRecipients, long uniqueHumanRecipients) {
    }

    private final Random random;
    private final List<UUID> workspaces;
    private final Instant start;
    private final Duration span;

    KnownEvents(long seed, Instant start, Duration span) {
        this.random = new Random(seed);
        this.workspaces = List.of(new UUID(seed, 1), new UUID(seed, 2));
        this.start = start;
        this.span = span;
    }

    List<UUID> workspaces() {
        return workspaces;
    }

    /** {@code count} fresh events at random times in {@code [from, from + within)}. */
    List<Row> fresh(int count, Instant from, Duration within) {
        List<Row> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String type = TYPES.get(random.nextInt(TYPES.size()));
            boolean email = type.startsWith("email.");
            String campaign = type.startsWith("infrastructure.") ? null
                    : random.nextInt(5) == 0 ? null : "campaign-" + random.nextInt(3);
            Instant occurredAt = from.plusMillis((long) (random.nextDouble() * within.toMillis()));
            rows.add(new Row(new UUID(random.nextLong(), random.nextLong()), occurredAt,
                    workspaces.get(random.nextInt(workspaces.size())), campaign, type,
                    email ? PROVIDERS.get(random.nextInt(PROVIDERS.size())) : "unknown",
                    UNIQUE_TYPES.contains(type) && random.nextInt(3) == 0,
                    email ? "recipient-" + random.nextInt(40) : null));
        }
        return rows;
    }

    List<Row> fresh(int count) {
        return fresh(count, start, span);
    }

    /** Some of {@code rows} again, exactly as before: a redelivery. */
    List<Row> redeliveriesOf(List<Row> rows, int count) {
        List<Row> again = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            again.add(rows.get(random.nextInt(rows.size())));
        }
        return again;
    }

    List<Row> shuffled(List<Row> rows) {
        List<Row> copy = new ArrayList<>(rows);
        java.util.Collections.shuffle(copy, random);
        return copy;
    }

    /**
     * Inserts as the sink does: in batches, one statement each, sorted by key (so concurrent writers take row locks
     * in one order), duplicates ignored.
     */
    static void insert(DSLContext db, List<Row> rows, int batchSize) {
        for (int from = 0; from < rows.size(); from += batchSize) {
            List<Row> batch = new ArrayList<>(rows.subList(from, Math.min(rows.size(), from + batchSize)));
            batch.sort(Comparator.comparing(Row::eventId).thenComparing(Row::occurredAt));
            InsertValuesStep11<EventsRecord, UUID, OffsetDateTime, OffsetDateTime, UUID, String, Short, String, String, String, String, Boolean> insert =
                    db.insertInto(EVENTS, EVENTS.EVENT_ID, EVENTS.OCCURRED_AT, EVENTS.RECEIVED_AT, EVENTS.WORKSPACE_ID,
                            EVENTS.EVENT_TYPE, EVENTS.SCHEMA_VERSION, EVENTS.SOURCE, EVENTS.CAMPAIGN_ID,
                            EVENTS.RECIPIENT_HASH, EVENTS.MAILBOX_PROVIDER, EVENTS.AUTOMATED);
            for (Row row : batch) {
                OffsetDateTime occurred = row.occurredAt().atOffset(ZoneOffset.UTC);
                insert = insert.values(row.eventId(), occurred, occurred.plusSeconds(1), row.workspaceId(), row.type(),
                        (short) 1, "api", row.campaignId(), row.recipientHash(), row.provider(), row.automated());
            }
            insert.onConflictDoNothing().execute();
        }
    }

    /** What every bucket of every granularity must hold for these rows, each distinct event counted once. */
    static Map<Key, Counts> groundTruth(List<Row> rows) {
        Map<List<Object>, Row> distinct = new LinkedHashMap<>();
        for (Row row : rows) {
            distinct.putIfAbsent(List.of(row.eventId(), row.occurredAt()), row);
        }
        Map<Key, long[]> counts = new HashMap<>();
        Map<Key, Set<String>> anyRecipients = new HashMap<>();
        Map<Key, Set<String>> humanRecipients = new HashMap<>();
        for (Row row : distinct.values()) {
            for (Map.Entry<String, Duration> granularity : granularities().entrySet()) {
                long width = granularity.getValue().toMillis();
                Instant bucket = Instant.ofEpochMilli(Math.floorDiv(row.occurredAt().toEpochMilli(), width) * width);
                Key key = new Key(granularity.getKey(), bucket, row.workspaceId(), row.campaignId(), row.type(), row.provider());
                long[] c = counts.computeIfAbsent(key, k -> new long[2]);
                c[0]++;
                if (row.automated()) {
                    c[1]++;
                }
                anyRecipients.computeIfAbsent(key, k -> new HashSet<>());
                humanRecipients.computeIfAbsent(key, k -> new HashSet<>());
                if (row.recipientHash() != null && UNIQUE_TYPES.contains(row.type())) {
                    anyRecipients.get(key).add(row.recipientHash());
                    if (!row.automated()) {
                        humanRecipients.get(key).add(row.recipientHash());
                    }
                }
            }
        }
        Map<Key, Counts> truth = new HashMap<>();
        counts.forEach((key, c) -> truth.put(key, new Counts(c[0], c[1], anyRecipients.get(key).size(), humanRecipients.get(key).size())));
        return truth;
    }

    /** What the read model holds, in the same shape as {@link #groundTruth}. */
    static Map<Key, Counts> readModel(DSLContext db) {
        Map<Key, Counts> found = new HashMap<>();
        read(db, "1m", dev.mailpulse.storage.jooq.Tables.EVENT_COUNTS_1M, found);
        read(db, "1h", dev.mailpulse.storage.jooq.Tables.EVENT_COUNTS_1H, found);
        read(db, "1d", dev.mailpulse.storage.jooq.Tables.EVENT_COUNTS_1D, found);
        return found;
    }

    private static void read(DSLContext db, String granularity, Table<?> relation, Map<Key, Counts> into) {
        for (Record r : db.selectFrom(relation).fetch()) {
            Key key = new Key(granularity, r.get("bucket", OffsetDateTime.class).toInstant(), r.get("workspace_id", UUID.class),
                    r.get("campaign_id", String.class), r.get("event_type", String.class), r.get("mailbox_provider", String.class));
            Counts counts = new Counts(r.get("event_count", Long.class), r.get("automated_count", Long.class),
                    r.get("unique_recipients", Long.class), r.get("unique_human_recipients", Long.class));
            if (into.put(key, counts) != null) {
                throw new AssertionError("two rows for one bucket and key: " + key);
            }
        }
    }

    static Map<String, Duration> granularities() {
        Map<String, Duration> granularities = new LinkedHashMap<>();
        granularities.put("1m", Duration.ofMinutes(1));
        granularities.put("1h", Duration.ofHours(1));
        granularities.put("1d", Duration.ofDays(1));
        return granularities;
    }
}
