package dev.mailpulse.traffic;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.mailpulse.livecache.LiveCacheKeys;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * Reads the live cache's per-minute counters (where {@link LiveCacheKeys} says they are) back into hourly sums, to
 * compare them with a ground truth; many minutes in one round trip.
 */
public final class LiveCounters implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final LiveCacheKeys keys;

    public LiveCounters(String redisUrl, String prefix) {
        this.client = RedisClient.create(redisUrl);
        this.connection = client.connect();
        this.keys = new LiveCacheKeys(prefix);
    }

    /** The live count of one type, for one campaign ("" for none) of one workspace, over the hour starting at {@code hour}. */
    public long hourly(UUID workspace, String campaign, String type, Instant hour) throws Exception {
        RedisAsyncCommands<String, String> redis = connection.async();
        List<RedisFuture<String>> minutes = new ArrayList<>(60);
        connection.setAutoFlushCommands(false);
        try {
            for (int minute = 0; minute < 60; minute++) {
                long at = hour.getEpochSecond() + minute * 60L;
                minutes.add(redis.hget(keys.minute(workspace, campaign.isEmpty() ? null : campaign, at), type));
            }
            connection.flushCommands();
        } finally {
            connection.setAutoFlushCommands(true);
        }
        long sum = 0;
        for (RedisFuture<String> count : minutes) {
            String value = count.get(10, TimeUnit.SECONDS);
            sum += value == null ? 0 : Long.parseLong(value);
        }
        return sum;
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
