package dev.mailpulse.livecache;

import static dev.mailpulse.storage.jooq.Tables.EVENTS;
import static dev.mailpulse.storage.jooq.Tables.EVENT_COUNTS_1M;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record2;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.mailpulse.core.event.Event;

/**
 * Rebuilds the live cache from the store, for when Redis lost what it held (it keeps nothing on disk here), and
 * keeps the rebuild exact while messages of the events it counted are still queued for the cache.
 *
 * <p>A rebuild reads everything from one snapshot of the database (a repeatable-read transaction): the minute
 * counters of the last window from {@code event_counts_1m}, and the unique openers and clickers of the campaigns
 * active in that window from the raw store. It then records that snapshot in Redis, last, as the mark that the cache
 * is whole. An event that reaches the cache afterwards is counted only if that snapshot does not hold it: each row
 * names the transaction that stored it ({@code stored_xid}), and {@code pg_visible_in_snapshot} says whether the
 * snapshot saw that transaction. Only events received before the snapshot (plus a margin for clock skew) can be in
 * it, so once the backlog of the rebuild's time is applied, no event is looked up any more.
 *
 * <p>The cache refuses events while it has no mark (apply-events.lua checks it), and one rebuild runs at a time
 * across every instance (a lock in Redis); the others wait for its mark.
 */
public final class CacheReconciler {

    private static final Logger log = LoggerFactory.getLogger(CacheReconciler.class);

    /** How far the collector's clock may be ahead of the database's. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final Duration LOCK_FOR = Duration.ofMinutes(5);
    /** Deletes the lock only if it is still the holder's. */
    private static final RedisScript<Long> RELEASE = RedisScript.of(
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end", Long.class);
    private static final Field<Object> STORED_XID = DSL.field(DSL.name("stored_xid"));

    /** What a reconciliation rebuilt and how long it took. */
    public record Reconciled(int minuteBuckets, int campaigns, Duration took) {
    }

    /** The snapshot a rebuild read, as {@code pg_current_snapshot()} wrote it, and the database's time then. */
    public record RebuildPoint(Instant at, String snapshot) {

        static RebuildPoint parse(String mark) {
            String[] parts = mark.split("\\|", 2);
            return new RebuildPoint(Instant.parse(parts[0]), parts[1]);
        }

        String mark() {
            return at + "|" + snapshot;
        }
    }

    private final DSLContext db;
    private final StringRedisTemplate redis;
    private final LiveCache cache;
    private final LiveCacheProperties properties;
    private final Clock clock;

    public CacheReconciler(DSLContext db, StringRedisTemplate redis, LiveCache cache, LiveCacheProperties properties, Clock clock) {
        this.db = db;
        this.redis = redis;
        this.cache = cache;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Applies events to the cache, each once: rebuilds the cache first if it has no mark, and leaves out the events
     * the rebuild counted. Returns how many were newly applied.
     */
    public long apply(List<Event> events) {
        while (true) {
            RebuildPoint point = ensureReconciled();
            long applied = cache.apply(notCountedBy(point, events));
            if (applied != LiveCache.NOT_RECONCILED) {
                return applied;
            }
        }
    }

    /** The cache's mark, after rebuilding it (or waiting for another instance to) if there was none. */
    public RebuildPoint ensureReconciled() {
        while (true) {
            String mark = redis.opsForValue().get(cache.keys().reconciled());
            if (mark != null) {
                return RebuildPoint.parse(mark);
            }
            String holder = UUID.randomUUID().toString();
            if (Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(cache.keys().reconciling(), holder, LOCK_FOR))) {
                try {
                    // another instance may have rebuilt and let go of the lock since the mark was read: rebuilding again
                    // would wipe the counts that the events applied against its mark have added since
                    if (redis.opsForValue().get(cache.keys().reconciled()) == null) {
                        Reconciled done = reconcile();
                        log.info("Live cache rebuilt from the store: {} minute buckets, {} campaigns' unique recipients, in {} ms",
                                done.minuteBuckets(), done.campaigns(), done.took().toMillis());
                    }
                } finally {
                    // only this rebuild's own lock: one that outlived it may be another instance's by now
                    redis.execute(RELEASE, List.of(cache.keys().reconciling()), holder);
                }
            } else {
                sleep(Duration.ofMillis(200));
            }
        }
    }

    /** Rebuilds the cache's counters and uniques from one snapshot of the store, and marks it with that snapshot (under the lock). */
    private Reconciled reconcile() {
        long started = System.nanoTime();
        Instant from = Instant.ofEpochSecond(LiveCacheKeys.minuteOf(clock.instant().minus(properties.reconcileWindow())));
        return db.transactionResult(tx -> {
            DSLContext snapshot = tx.dsl();
            snapshot.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            Record2<String, OffsetDateTime> point = snapshot.select(DSL.field("pg_current_snapshot()::text", String.class),
                    DSL.currentOffsetDateTime()).fetchOne();
            int buckets = rebuildCounters(snapshot, from);
            var active = snapshot.selectDistinct(EVENTS.WORKSPACE_ID, EVENTS.CAMPAIGN_ID).from(EVENTS)
                    .where(EVENTS.OCCURRED_AT.ge(from.atOffset(ZoneOffset.UTC)), EVENTS.EVENT_TYPE.in("email.open", "email.click")).fetch();
            for (var pair : active) {
                rebuildUniques(snapshot, pair.value1(), pair.value2());
            }
            redis.opsForValue().set(cache.keys().reconciled(), new RebuildPoint(point.value2().toInstant(), point.value1()).mark());
            return new Reconciled(buckets, active.size(), Duration.ofNanos(System.nanoTime() - started));
        });
    }

    /**
     * {@code events} without those the rebuild at {@code point} counted. Only events received before the rebuild
     * could be in its snapshot; they are looked up by workspace, with their ids and the range of their times, so that
     * the store's key (workspace, event id, time) answers without scanning.
     */
    List<Event> notCountedBy(RebuildPoint point, List<Event> events) {
        Instant couldBeInSnapshot = point.at().plus(CLOCK_SKEW);
        Map<UUID, List<Event>> candidates = new HashMap<>();
        for (Event event : events) {
            if (!event.receivedAt().isAfter(couldBeInSnapshot)) {
                candidates.computeIfAbsent(event.workspaceId(), w -> new ArrayList<>()).add(event);
            }
        }
        if (candidates.isEmpty()) {
            return events;
        }
        Set<String> counted = new HashSet<>();
        candidates.forEach((workspace, candidatesOfWorkspace) -> {
            List<UUID> ids = candidatesOfWorkspace.stream().map(Event::eventId).toList();
            Instant earliest = candidatesOfWorkspace.stream().map(Event::occurredAt).min(Instant::compareTo).orElseThrow();
            Instant latest = candidatesOfWorkspace.stream().map(Event::occurredAt).max(Instant::compareTo).orElseThrow();
            db.select(EVENTS.EVENT_ID).from(EVENTS)
                    .where(EVENTS.WORKSPACE_ID.eq(workspace), EVENTS.EVENT_ID.in(ids),
                            EVENTS.OCCURRED_AT.between(earliest.atOffset(ZoneOffset.UTC), latest.atOffset(ZoneOffset.UTC)))
                    .and(STORED_XID.isNull().or(DSL.condition("pg_visible_in_snapshot({0}, {1}::pg_snapshot)", STORED_XID, DSL.val(point.snapshot()))))
                    .forEach(row -> counted.add(workspace + "/" + row.value1()));
        });
        return events.stream().filter(event -> !counted.contains(event.workspaceId() + "/" + event.eventId())).toList();
    }

    private int rebuildCounters(DSLContext snapshot, Instant from) {
        long expiresAfter = properties.minutesKept().toSeconds();
        Field<String> campaign = DSL.coalesce(EVENT_COUNTS_1M.CAMPAIGN_ID, DSL.inline(LiveCacheKeys.NO_CAMPAIGN));
        Map<String, Map<String, String>> buckets = new HashMap<>();
        Map<String, Long> expiry = new HashMap<>();
        for (var row : snapshot.select(EVENT_COUNTS_1M.WORKSPACE_ID, campaign, EVENT_COUNTS_1M.BUCKET, EVENT_COUNTS_1M.EVENT_TYPE,
                        DSL.sum(EVENT_COUNTS_1M.EVENT_COUNT), DSL.sum(EVENT_COUNTS_1M.AUTOMATED_COUNT))
                .from(EVENT_COUNTS_1M).where(EVENT_COUNTS_1M.BUCKET.ge(from.atOffset(ZoneOffset.UTC)))
                .groupBy(EVENT_COUNTS_1M.WORKSPACE_ID, campaign, EVENT_COUNTS_1M.BUCKET, EVENT_COUNTS_1M.EVENT_TYPE).fetch()) {
            long minute = row.value3().toEpochSecond();
            for (String key : List.of(cache.keys().minute(row.value1(), row.value2(), minute), cache.keys().minute(row.value1(), LiveCacheKeys.ALL_CAMPAIGNS, minute))) {
                Map<String, String> fields = buckets.computeIfAbsent(key, k -> new HashMap<>());
                fields.merge(row.value4(), row.value5().toString(), (a, b) -> Long.toString(Long.parseLong(a) + Long.parseLong(b)));
                if (row.value6().longValue() > 0) {
                    fields.merge(row.value4() + ":automated", row.value6().toString(), (a, b) -> Long.toString(Long.parseLong(a) + Long.parseLong(b)));
                }
                expiry.put(key, minute + expiresAfter);
            }
        }
        pipelined(operations -> buckets.forEach((key, fields) -> {
            operations.delete(key);
            operations.opsForHash().putAll(key, fields);
            operations.expireAt(key, Instant.ofEpochSecond(expiry.get(key)));
        }));
        return buckets.size();
    }

    private void rebuildUniques(DSLContext snapshot, UUID workspace, String campaignId) {
        for (String type : List.of("email.open", "email.click")) {
            for (boolean humanOnly : new boolean[] {false, true}) {
                String key = cache.keys().uniques(workspace, campaignId, type, humanOnly);
                var recipients = snapshot.selectDistinct(EVENTS.RECIPIENT_HASH).from(EVENTS)
                        .where(EVENTS.WORKSPACE_ID.eq(workspace), campaignId == null ? EVENTS.CAMPAIGN_ID.isNull() : EVENTS.CAMPAIGN_ID.eq(campaignId),
                                EVENTS.EVENT_TYPE.eq(type), EVENTS.RECIPIENT_HASH.isNotNull(), humanOnly ? EVENTS.AUTOMATED.isFalse() : DSL.noCondition())
                        .fetch(EVENTS.RECIPIENT_HASH);
                redis.delete(key);
                for (int from = 0; from < recipients.size(); from += 1_000) {
                    redis.opsForHyperLogLog().add(key, recipients.subList(from, Math.min(recipients.size(), from + 1_000)).toArray(String[]::new));
                }
            }
        }
    }

    private void pipelined(java.util.function.Consumer<RedisOperations<String, String>> work) {
        redis.executePipelined(new SessionCallback<Object>() {
            @Override
            @SuppressWarnings("unchecked")
            public <K, V> Object execute(RedisOperations<K, V> operations) throws DataAccessException {
                work.accept((RedisOperations<String, String>) operations);
                return null;
            }
        });
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the live cache's rebuild", e);
        }
    }
}
