package dev.mailpulse.sink.redis;

import static dev.mailpulse.storage.jooq.Tables.EVENTS;
import static dev.mailpulse.storage.jooq.Tables.EVENT_COUNTS_1M;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Rebuilds the live cache from the read model, for when Redis lost what it held (it keeps nothing on disk here):
 * the minute counters of the last window from {@code event_counts_1m}, and the unique openers and clickers of the
 * campaigns active in that window from the raw store. It runs when the cache has no mark of a past reconciliation.
 * The events received within the dedup window are marked as applied, so that their messages still queued for the
 * cache (the cache lags the store, or the other way round) are not counted a second time. The caller stops
 * consumption meanwhile.
 */
public final class CacheReconciler {

    private static final Logger log = LoggerFactory.getLogger(CacheReconciler.class);

    /** What a reconciliation rebuilt and how long it took. */
    public record Reconciled(int minuteBuckets, int campaigns, Duration took) {
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

    /** Whether the cache has no mark of a reconciliation (Redis was emptied or restarted). */
    public boolean needed() {
        return !Boolean.TRUE.equals(redis.hasKey(marker()));
    }

    /** Reconciles if {@link #needed()}; returns whether it did. */
    public boolean reconcileIfNeeded() {
        if (!needed()) {
            return false;
        }
        Reconciled done = reconcile();
        log.info("Live cache rebuilt from the read model: {} minute buckets, {} campaigns' unique recipients, in {} ms",
                done.minuteBuckets(), done.campaigns(), done.took().toMillis());
        return true;
    }

    public Reconciled reconcile() {
        long started = System.nanoTime();
        Instant now = clock.instant();
        Instant from = Instant.ofEpochSecond(LiveCache.minute(now.minus(properties.reconcileWindow())));
        long expiresAfter = properties.minutesKept().toSeconds();

        Field<String> campaign = DSL.coalesce(EVENT_COUNTS_1M.CAMPAIGN_ID, DSL.inline(LiveCache.NO_CAMPAIGN));
        Map<String, Map<String, String>> buckets = new HashMap<>();
        Map<String, Long> expiry = new HashMap<>();
        for (var row : db.select(EVENT_COUNTS_1M.WORKSPACE_ID, campaign, EVENT_COUNTS_1M.BUCKET, EVENT_COUNTS_1M.EVENT_TYPE,
                        DSL.sum(EVENT_COUNTS_1M.EVENT_COUNT), DSL.sum(EVENT_COUNTS_1M.AUTOMATED_COUNT))
                .from(EVENT_COUNTS_1M).where(EVENT_COUNTS_1M.BUCKET.ge(from.atOffset(ZoneOffset.UTC)))
                .groupBy(EVENT_COUNTS_1M.WORKSPACE_ID, campaign, EVENT_COUNTS_1M.BUCKET, EVENT_COUNTS_1M.EVENT_TYPE).fetch()) {
            long minute = row.value3().toEpochSecond();
            for (String key : List.of(cache.minuteKey(row.value1(), row.value2(), minute), cache.minuteKey(row.value1(), LiveCache.ALL_CAMPAIGNS, minute))) {
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

        var active = db.selectDistinct(EVENTS.WORKSPACE_ID, EVENTS.CAMPAIGN_ID).from(EVENTS)
                .where(EVENTS.OCCURRED_AT.ge(from.atOffset(ZoneOffset.UTC)), EVENTS.EVENT_TYPE.in("email.open", "email.click")).fetch();
        for (var pair : active) {
            rebuildUniques(pair.value1(), pair.value2());
        }
        markRecentEventsApplied(now);
        redis.opsForValue().set(marker(), now.toString());
        return new Reconciled(buckets.size(), active.size(), Duration.ofNanos(System.nanoTime() - started));
    }

    private void markRecentEventsApplied(Instant now) {
        Duration seenFor = properties.seenFor();
        try (var recent = db.select(EVENTS.WORKSPACE_ID, EVENTS.EVENT_ID).from(EVENTS)
                .where(EVENTS.RECEIVED_AT.ge(now.minus(seenFor).atOffset(ZoneOffset.UTC))).fetchSize(10_000).fetchLazy()) {
            List<org.jooq.Record2<UUID, UUID>> chunk = new java.util.ArrayList<>(10_000);
            while (recent.hasNext()) {
                chunk.add(recent.fetchNext());
                if (chunk.size() == 10_000 || !recent.hasNext()) {
                    List<org.jooq.Record2<UUID, UUID>> marked = List.copyOf(chunk);
                    pipelined(operations -> marked.forEach(event ->
                            operations.opsForValue().set(cache.seenKey(event.value1(), event.value2()), "1", seenFor)));
                    chunk.clear();
                }
            }
        }
    }

    private void rebuildUniques(UUID workspace, String campaignId) {
        String campaign = campaignId == null ? LiveCache.NO_CAMPAIGN : campaignId;
        for (String type : List.of("email.open", "email.click")) {
            for (boolean humanOnly : new boolean[] {false, true}) {
                String key = properties.keyPrefix() + workspace + (humanOnly ? ":uh:" : ":u:") + campaign + ":" + type;
                var recipients = db.selectDistinct(EVENTS.RECIPIENT_HASH).from(EVENTS)
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

    private String marker() {
        return properties.keyPrefix() + "cache:reconciled-at";
    }
}
