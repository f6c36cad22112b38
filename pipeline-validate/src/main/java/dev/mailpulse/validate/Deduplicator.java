package dev.mailpulse.validate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.data.redis.connection.RedisStringCommands;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.types.Expiration;

import dev.mailpulse.core.event.Event;

/**
 * Remembers which events (by workspace and event id) have been passed on, in Redis so that it survives a restart.
 * Events are looked up before they are passed on and remembered only after: a crash in between lets an event
 * through twice (the store is idempotent), never drops one.
 */
final class Deduplicator {

    private final StringRedisTemplate redis;
    private final String prefix;
    private final Duration window;

    Deduplicator(StringRedisTemplate redis, String prefix, Duration window) {
        this.redis = redis;
        this.prefix = prefix;
        this.window = window;
    }

    /** The positions in {@code events} of those already passed on. */
    Set<Integer> alreadyPassed(List<Event> events) {
        List<Object> found = redis.executePipelined((RedisCallback<Object>) connection -> {
            for (Event event : events) {
                connection.keyCommands().exists(key(event));
            }
            return null;
        });
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < found.size(); i++) {
            if (Boolean.TRUE.equals(found.get(i)) || Long.valueOf(1).equals(found.get(i))) {
                seen.add(i);
            }
        }
        return seen;
    }

    void remember(List<Event> events) {
        redis.executePipelined((RedisCallback<Object>) connection -> {
            for (Event event : events) {
                connection.stringCommands().set(key(event), new byte[] {1}, Expiration.from(window), RedisStringCommands.SetOption.upsert());
            }
            return null;
        });
    }

    private byte[] key(Event event) {
        return (prefix + event.workspaceId() + ":" + event.eventId()).getBytes(StandardCharsets.UTF_8);
    }
}
