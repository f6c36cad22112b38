package dev.mailpulse.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.mailpulse.hostile.HostileJson;
import dev.mailpulse.livecache.LiveCacheKeys;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRabbit;
import dev.mailpulse.testing.TestRedis;
import dev.mailpulse.traffic.Simulation;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The separate apps (each its own process) and pipeline-composed, wired from the same stage beans, given the same
 * requests (the generator's events with its invalid ones and duplicates, and hostile items) must leave the same stored
 * events, failures, read model and live counters. Each topology has a database, a broker prefix and a Redis prefix of
 * its own, the same workspace and key in both; messages are taken one at a time in both, so that the enrichments that
 * remember what came before (bot clicks) see the same order.
 */
class TopologyEquivalenceTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @RegisterExtension
    static final TestDatabase SEPARATE_DB = TestDatabase.postgres().preparedWith(db -> SchemaMigrator.migrate(db.jdbcUrl(), db.user(), db.password()));
    @RegisterExtension
    static final TestDatabase COMPOSED_DB = TestDatabase.postgres().preparedWith(db -> SchemaMigrator.migrate(db.jdbcUrl(), db.user(), db.password()));
    @RegisterExtension
    static final TestRabbit SEPARATE_RABBIT = TestRabbit.broker();
    @RegisterExtension
    static final TestRabbit COMPOSED_RABBIT = TestRabbit.broker();
    @RegisterExtension
    static final TestRedis SEPARATE_REDIS = TestRedis.server();
    @RegisterExtension
    static final TestRedis COMPOSED_REDIS = TestRedis.server();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @Test
    void theSameEventsGiveTheSameRowsFailuresReadModelAndLiveCountersInBothTopologies() throws Exception {
        Workspaces.Created shop = new Workspaces(DSL.using(SEPARATE_DB.dataSource(), SQLDialect.POSTGRES)).create("equivalence", "Europe/Berlin", false);
        for (String table : List.of("workspaces", "api_keys")) {
            copy(table, SEPARATE_DB, COMPOSED_DB);
        }
        Simulation simulation = new Simulation(23, 1, 3);
        List<String> requests = requests(simulation, shop.workspace().id());
        long expectedEvents = simulation.truth().values().stream().mapToLong(Long::longValue).sum();

        try (Pipeline separate = new Pipeline("equivalence-separate", SEPARATE_DB, SEPARATE_RABBIT, SEPARATE_REDIS, 1);
             Pipeline composed = Pipeline.composed("equivalence-composed", COMPOSED_DB, COMPOSED_RABBIT, COMPOSED_REDIS)) {
            separate.configure("processor-enrich", "--spring.cloud.stream.bindings.input.consumer.concurrency=1");
            composed.configure(Pipeline.COMPOSED, "--spring.cloud.stream.bindings.input.consumer.concurrency=1");
            separate.start();
            composed.start();
            for (Pipeline pipeline : List.of(separate, composed)) {
                for (String body : requests) {
                    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(pipeline.collectorUrl() + "/v1/events"))
                            .header("Authorization", "Bearer " + shop.key().key()).header("Content-Type", "application/x-ndjson")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
                }
            }

            State separateState = settled(SEPARATE_DB, SEPARATE_REDIS, expectedEvents);
            State composedState = settled(COMPOSED_DB, COMPOSED_REDIS, expectedEvents);
            System.out.printf("Both topologies: %,d events, %,d failures, %,d read-model rows, %,d live-cache keys%n",
                    separateState.events().size(), separateState.failures().size(), separateState.readModel().size(), separateState.liveCache().size());
            assertThat(separateState.events()).as("the generator's distinct valid events, stored").hasSize((int) expectedEvents);
            assertThat(separateState.failures()).as("the invalid and hostile items, kept as failures").hasSizeGreaterThan(10);
            assertThat(separateState.liveCache()).as("live counters written").isNotEmpty();
            assertThat(composedState.events()).as("stored events").containsExactlyElementsOf(separateState.events());
            assertThat(composedState.failures()).as("failures").containsExactlyElementsOf(separateState.failures());
            assertThat(composedState.readModel()).as("read model").containsExactlyElementsOf(separateState.readModel());
            assertThat(composedState.liveCache()).as("live counters").containsExactlyEntriesOf(separateState.liveCache());
        }
    }

    /**
     * What a topology left, as comparable text: rows without the times (and transaction) of arrival and storage (and
     * so without the failures' ids, derived from their payload, which holds its time of arrival), the cache without
     * its prefix.
     */
    private record State(List<String> events, List<String> failures, List<String> readModel, Map<String, String> liveCache) {
    }

    /** The state once the events are all stored and nothing has changed for a few seconds. */
    private static State settled(TestDatabase db, TestRedis redis, long expectedEvents) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        State last = state(db, redis);
        while (System.nanoTime() < deadline) {
            Thread.sleep(3_000);
            State now = state(db, redis);
            if (now.events().size() >= expectedEvents && now.equals(last)) {
                return now;
            }
            last = now;
        }
        return last;
    }

    private static State state(TestDatabase db, TestRedis redis) throws Exception {
        return new State(
                rows(db, "SELECT (to_jsonb(e) - 'received_at' - 'stored_at' - 'stored_xid')::text FROM events e ORDER BY event_id"),
                rows(db, "SELECT (to_jsonb(f) - 'failed_at' - 'failure_id' || jsonb_build_object('payload', f.payload - 'received_at'))::text"
                        + " FROM failed_events f ORDER BY 1"),
                rows(db, "SELECT 'minute ' || t::text FROM event_counts_1m t UNION ALL SELECT 'hour ' || t::text FROM event_counts_1h t"
                        + " UNION ALL SELECT 'day ' || t::text FROM event_counts_1d t ORDER BY 1"),
                liveCache(redis));
    }

    private static List<String> rows(TestDatabase db, String query) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = db.connect(); var statement = connection.createStatement(); ResultSet result = statement.executeQuery(query)) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }

    /**
     * The cache's counters (hashes) as they are, its unique counts (HyperLogLogs) by their estimate, and its feed and
     * live stream by their length (their entries carry the times of arrival).
     */
    private static Map<String, String> liveCache(TestRedis redis) {
        Map<String, String> cache = new TreeMap<>();
        LiveCacheKeys cacheKeys = new LiveCacheKeys(redis.prefix());
        RedisClient client = RedisClient.create(TestRedis.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> commands = connection.sync();
            ScanIterator<String> keys = ScanIterator.scan(commands, ScanArgs.Builder.matches(redis.prefix() + "*").limit(500));
            while (keys.hasNext()) {
                String key = keys.next();
                String name = key.substring(redis.prefix().length());
                if (name.startsWith("dedup:") || key.equals(cacheKeys.reconciled()) || key.equals(cacheKeys.reconciling())) {
                    continue; // validation's memory, and the mark of the cache's rebuild (a time)
                }
                String value = switch (commands.type(key)) {
                    case "hash" -> new TreeMap<>(commands.hgetall(key)).toString();
                    // a HyperLogLog is a string that starts with Redis's magic "HYLL"
                    case "string" -> commands.get(key).startsWith("HYLL") ? "~" + commands.pfcount(key) : commands.get(key);
                    case "list" -> "length " + commands.llen(key);
                    case "stream" -> "length " + commands.xlen(key);
                    default -> commands.type(key);
                };
                cache.put(name, value);
            }
        } finally {
            client.shutdown();
        }
        return cache;
    }

    /**
     * Requests of 200 items each: the simulation's events over the last two hours (invalid ones and duplicates among
     * them), and in every fifth request a few hostile items.
     */
    private static List<String> requests(Simulation simulation, UUID workspace) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        HostileJson hostile = new HostileJson(23, workspace);
        List<String> requests = new ArrayList<>();
        for (int r = 0; r < 15; r++) {
            StringBuilder body = new StringBuilder();
            for (Simulation.Outgoing outgoing : simulation.next(200, now.minus(Duration.ofMinutes(120 - r * 8L)))) {
                body.append(outgoing.event()).append('\n');
            }
            if (r % 5 == 0) {
                for (int i = 0; i < 5; i++) {
                    body.append(hostile.invalid(false).json().replace('\n', ' ')).append('\n');
                }
            }
            requests.add(body.toString());
        }
        return requests;
    }

    /** A table's rows from one database into another, as they are. */
    private static void copy(String table, TestDatabase from, TestDatabase to) throws Exception {
        String rows;
        try (Connection connection = from.connect(); var statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT coalesce(json_agg(t), '[]')::text FROM " + table + " t")) {
            result.next();
            rows = result.getString(1);
        }
        try (Connection connection = to.connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + table + " SELECT * FROM json_populate_recordset(null::" + table + ", ?::json)")) {
            insert.setString(1, rows);
            insert.executeUpdate();
        }
    }
}
