package dev.mailpulse.cli.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import dev.mailpulse.livecache.LiveCacheKeys;
import dev.mailpulse.storage.jooq.Tables;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * Watches how many of a phase's events are queryable, in the read model and in Redis's live counters, every few
 * milliseconds while the phase runs; from that and the acknowledgements, each event's latency from acknowledgement to
 * queryable: the k-th acknowledged event of a workspace counts as queryable at the first sample that holds k events
 * of it (counts only grow, and each event is counted once).
 */
final class StoreWatcher implements AutoCloseable {

    /** Latency percentiles in milliseconds. */
    record Latency(double p50, double p95, double p99, double max) {
        static final Latency NONE = new Latency(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    private record Sample(long atNanos, long[] readModel, long[] live) {
    }

    private final DSLContext db;
    private final RedisClient redisClient;
    private final StatefulRedisConnection<String, String> redis;
    private final LiveCacheKeys keys;
    private final List<UUID> workspaces;
    private final long fromMinute;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final Thread poller;
    private volatile boolean running = true;

    /** {@code fromMinute}: the first minute (epoch seconds) the phase's events can fall in. */
    StoreWatcher(DSLContext db, String redisUrl, String redisPrefix, List<UUID> workspaces, long fromMinute, Duration every) {
        this.db = db;
        this.fromMinute = fromMinute;
        this.redisClient = RedisClient.create(redisUrl);
        this.redis = redisClient.connect();
        this.keys = new LiveCacheKeys(redisPrefix);
        this.workspaces = workspaces;
        this.poller = new Thread(() -> {
            while (running) {
                samples.add(sample());
                try {
                    Thread.sleep(every.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "store-watcher");
        poller.setDaemon(true);
        poller.start();
    }

    /** Waits until both stores hold {@code expected[w]} events of each workspace, or {@code patience} passes. */
    boolean awaitAll(long[] expected, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            Sample last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
            if (last != null && Arrays.equals(last.readModel(), expected) && Arrays.equals(last.live(), expected)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** When the read model first held all of {@code expected} (System.nanoTime), or -1. */
    long readModelCompleteAt(long[] expected) {
        for (Sample sample : samples) {
            if (Arrays.equals(sample.readModel(), expected)) {
                return sample.atNanos();
            }
        }
        return -1;
    }

    Latency readModelLatency(List<LoadPhase.Ack> acks) {
        return latency(acks, Sample::readModel);
    }

    Latency liveLatency(List<LoadPhase.Ack> acks) {
        return latency(acks, Sample::live);
    }

    private Latency latency(List<LoadPhase.Ack> acks, java.util.function.Function<Sample, long[]> store) {
        List<LoadPhase.Ack> ordered = new ArrayList<>(acks);
        ordered.sort(Comparator.comparingLong(LoadPhase.Ack::atNanos));
        long[] acknowledged = new long[workspaces.size()];
        int[] cursor = new int[workspaces.size()];
        List<Double> latencies = new ArrayList<>();
        for (LoadPhase.Ack ack : ordered) {
            int w = ack.workspace();
            for (int e = 0; e < ack.events(); e++) {
                long k = ++acknowledged[w];
                // samples are in time order and counts only grow: the cursor of each workspace moves forward only
                while (cursor[w] < samples.size() && store.apply(samples.get(cursor[w]))[w] < k) {
                    cursor[w]++;
                }
                if (cursor[w] == samples.size()) {
                    return Latency.NONE; // not all became queryable while watched
                }
                latencies.add(Math.max(0, samples.get(cursor[w]).atNanos() - ack.atNanos()) / 1e6);
            }
        }
        double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length == 0 ? Latency.NONE
                : new Latency(percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99), sorted[sorted.length - 1]);
    }

    private Sample sample() {
        long at = System.nanoTime();
        long[] readModel = new long[workspaces.size()];
        var counts = Tables.EVENT_COUNTS_1M;
        for (var row : db.select(counts.WORKSPACE_ID, DSL.sum(counts.EVENT_COUNT)).from(counts)
                .where(counts.WORKSPACE_ID.in(workspaces)).groupBy(counts.WORKSPACE_ID).fetch()) {
            readModel[workspaces.indexOf(row.value1())] = row.value2().longValue();
        }
        long[] live = new long[workspaces.size()];
        // The whole workspace's ("*") minute counters of the phase's minutes, in one round trip.
        long toMinute = (System.currentTimeMillis() / 60_000 + 1) * 60;
        List<List<RedisFuture<Map<String, String>>>> minutes = new ArrayList<>();
        redis.setAutoFlushCommands(false);
        try {
            for (UUID workspace : workspaces) {
                List<RedisFuture<Map<String, String>>> own = new ArrayList<>();
                for (long minute = fromMinute; minute <= toMinute; minute += 60) {
                    own.add(redis.async().hgetall(keys.minute(workspace, LiveCacheKeys.ALL_CAMPAIGNS, minute)));
                }
                minutes.add(own);
            }
            redis.flushCommands();
        } finally {
            redis.setAutoFlushCommands(true);
        }
        try {
            for (int w = 0; w < workspaces.size(); w++) {
                for (RedisFuture<Map<String, String>> minute : minutes.get(w)) {
                    for (var field : minute.get(10, TimeUnit.SECONDS).entrySet()) {
                        if (!field.getKey().endsWith(":automated")) { // a subset of the type's count, not more events
                            live[w] += Long.parseLong(field.getValue());
                        }
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("Redis did not answer: " + e.getMessage(), e);
        }
        return new Sample(at, readModel, live);
    }

    private static double percentile(double[] sorted, int percent) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        poller.join(5_000);
        redis.close();
        redisClient.shutdown();
    }
}
