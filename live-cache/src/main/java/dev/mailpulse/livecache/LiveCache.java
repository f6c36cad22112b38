package dev.mailpulse.livecache;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.mailpulse.core.event.Enrichments;
import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.json.EventJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The live view of the pipeline in Redis, per workspace and campaign: event counts by type in one-minute buckets
 * (with how many were automated: machine opens, bot clicks), unique openers and clickers (HyperLogLog, all and human
 * only), the latest events, and a stream the console's live view reads. Events are applied by a Lua script that
 * remembers each event id, so a redelivered event is not counted twice. Where each of these is: {@link LiveCacheKeys}.
 */
public final class LiveCache {

    /** What {@link #apply} returns when the cache has no mark of a rebuild: nothing was applied. */
    public static final long NOT_RECONCILED = -1;

    private static final int EVENTS_PER_CALL = 500;

    private final StringRedisTemplate redis;
    private final LiveCacheProperties properties;
    private final LiveCacheKeys keys;
    private final Clock clock;
    private final RedisScript<Long> applyEvents = RedisScript.of(new ClassPathResource("apply-events.lua", LiveCache.class), Long.class);

    public LiveCache(StringRedisTemplate redis, LiveCacheProperties properties, Clock clock) {
        this.redis = redis;
        this.properties = properties;
        this.keys = new LiveCacheKeys(properties.keyPrefix());
        this.clock = clock;
    }

    /** Where everything is. */
    public LiveCacheKeys keys() {
        return keys;
    }

    /**
     * Applies events not applied before; returns how many were new, or {@link #NOT_RECONCILED} (and applies none of
     * a call's events) if the cache has lost its mark of a rebuild. Callers go through {@link CacheReconciler#apply}.
     */
    long apply(List<Event> events) {
        long applied = 0;
        for (int from = 0; from < events.size(); from += EVENTS_PER_CALL) {
            ArrayNode batch = JsonNodeFactory.instance.arrayNode();
            for (Event event : events.subList(from, Math.min(events.size(), from + EVENTS_PER_CALL))) {
                ObjectNode compact = batch.addObject();
                compact.put("id", event.eventId().toString());
                compact.put("w", event.workspaceId().toString());
                compact.put("c", LiveCacheKeys.campaign(event.campaignId()));
                compact.put("t", event.type().wireName());
                compact.put("m", LiveCacheKeys.minuteOf(event.occurredAt()));
                compact.put("a", Enrichments.automated(event));
                if (event.recipient() != null) {
                    compact.put("r", event.recipient().hash()); // absent, not null: Lua's cjson.null would be true
                }
                compact.put("j", feedEntry(event));
            }
            long call = redis.execute(applyEvents, List.of(), properties.keyPrefix(), Long.toString(properties.seenFor().toSeconds()),
                    Long.toString(properties.minutesKept().toSeconds()), Integer.toString(properties.feedLength()),
                    Integer.toString(properties.streamLength()), Long.toString(clock.instant().getEpochSecond()), batch.toString(),
                    keys.reconciled());
            if (call == NOT_RECONCILED) {
                return NOT_RECONCILED;
            }
            applied += call;
        }
        return applied;
    }

    /**
     * Counts by type in one minute ({@code type} and {@code type:automated} fields).
     *
     * @param campaign a campaign id, null for events of none, or {@link LiveCacheKeys#ALL_CAMPAIGNS}
     */
    public Map<String, Long> minute(UUID workspace, String campaign, Instant minute) {
        Map<String, Long> counts = new HashMap<>();
        redis.<String, String>opsForHash().entries(keys.minute(workspace, campaign, LiveCacheKeys.minuteOf(minute)))
                .forEach((field, value) -> counts.put(field, Long.parseLong(value)));
        return counts;
    }

    /**
     * Counts by type in each of the {@code count} minutes up to and including {@code last}, oldest first, in one round
     * trip; a minute the cache no longer keeps (or never had events) is empty.
     */
    public List<Map<String, Long>> minutes(UUID workspace, String campaign, Instant last, int count) {
        long lastMinute = LiveCacheKeys.minuteOf(last);
        List<Object> hashes = redis.executePipelined((RedisCallback<Object>) connection -> {
            for (int i = count - 1; i >= 0; i--) {
                connection.hashCommands().hGetAll(keys.minute(workspace, campaign, lastMinute - i * 60L).getBytes(StandardCharsets.UTF_8));
            }
            return null;
        });
        List<Map<String, Long>> minutes = new ArrayList<>(count);
        for (Object hash : hashes) {
            Map<String, Long> counts = new HashMap<>();
            ((Map<?, ?>) hash).forEach((field, value) -> counts.put(field.toString(), Long.parseLong(value.toString())));
            minutes.add(counts);
        }
        return minutes;
    }

    /** Events of a type per minute over the last {@code minutes} complete minutes (the rolling 5/15/60-minute rates). */
    public double ratePerMinute(UUID workspace, String campaign, String type, int minutes) {
        long current = LiveCacheKeys.minuteOf(clock.instant());
        List<String> minuteKeys = new ArrayList<>(minutes);
        for (int i = 1; i <= minutes; i++) {
            minuteKeys.add(keys.minute(workspace, campaign, current - i * 60L));
        }
        List<Object> counts = redis.executePipelined((RedisCallback<Object>) connection -> {
            for (String key : minuteKeys) {
                connection.hashCommands().hGet(key.getBytes(StandardCharsets.UTF_8), type.getBytes(StandardCharsets.UTF_8));
            }
            return null;
        });
        return counts.stream().mapToLong(c -> c == null ? 0 : Long.parseLong(c.toString())).sum() / (double) minutes;
    }

    /** Unique recipients of a type (opens or clicks) for a campaign; HyperLogLog, within about 1%. */
    public long uniques(UUID workspace, String campaign, String type, boolean humanOnly) {
        return redis.opsForHyperLogLog().size(keys.uniques(workspace, campaign, type, humanOnly));
    }

    /** The latest events of a workspace, newest first. */
    public List<String> feed(UUID workspace, int count) {
        return redis.opsForList().range(keys.feed(workspace), 0, count - 1L);
    }

    /** An entry of a workspace's live stream: its id, which a client resumes after, and the event as the feed shows it. */
    public record LiveEntry(String id, String event) {
    }

    /** The workspace's live events after the entry {@code afterId}, oldest first, at most {@code count}. */
    public List<LiveEntry> liveAfter(UUID workspace, String afterId, int count) {
        // inclusive, then without that entry: the one way every Redis version reads a range from an id on
        return redis.<String, String>opsForStream().range(keys.liveStream(workspace), Range.rightUnbounded(Range.Bound.inclusive(afterId)),
                        Limit.limit().count(count + 1)).stream()
                .filter(record -> !record.getId().getValue().equals(afterId)).limit(count)
                .map(record -> new LiveEntry(record.getId().getValue(), record.getValue().get("event"))).toList();
    }

    /** The id of the workspace's newest live entry ({@code 0-0} if none): where a reader of what comes next starts. */
    public String newestLiveId(UUID workspace) {
        return newestLive(workspace).map(LiveEntry::id).orElse("0-0");
    }

    /** The workspace's newest live entry, if the cache holds any. */
    public Optional<LiveEntry> newestLive(UUID workspace) {
        return redis.<String, String>opsForStream().reverseRange(keys.liveStream(workspace), Range.unbounded(), Limit.limit().count(1)).stream()
                .map(record -> new LiveEntry(record.getId().getValue(), record.getValue().get("event"))).findFirst();
    }

    /** When an entry was added to the live stream: the milliseconds its id starts with. */
    public static Instant addedAt(LiveEntry entry) {
        return Instant.ofEpochMilli(Long.parseLong(entry.id().substring(0, entry.id().indexOf('-'))));
    }

    /** What the feed and the live stream show of an event: its envelope without the provider's raw payload. */
    private static String feedEntry(Event event) {
        ObjectNode json = EventJson.toJson(event);
        json.remove("provider_payload");
        return json.toString();
    }
}
