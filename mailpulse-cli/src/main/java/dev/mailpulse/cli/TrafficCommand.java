package dev.mailpulse.cli;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import dev.mailpulse.cli.traffic.ProviderWebhooks;
import dev.mailpulse.cli.traffic.Simulation;
import dev.mailpulse.cli.traffic.TrafficGenerator;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.storage.jooq.Tables;
import dev.mailpulse.storage.workspace.WebhookCredential;
import dev.mailpulse.storage.workspace.Workspaces;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** {@code mailpulse generate} (the traffic generator) and {@code mailpulse check} (the stored data against its truth). */
final class TrafficCommand {

    static final String USAGE = """
              generate [--rate EVENTS_PER_SECOND] [--duration SECONDS] [--seed N] [--workspaces N] [--truth FILE]
                       [--collector URL] [--webhook-percent P] [--connections N]
                                     send a simulated sending business's events to the collector (new workspaces
                                     traffic-<run>-1..N), P% of deliveries, opens and clicks (default 10) through the
                                     Mailgun and SendGrid webhooks, signed; write the ground truth to FILE (default
                                     ground-truth.json)
              check FILE [--redis-prefix P] [--no-redis]
                                     compare the read model and the live counters in Redis (MAILPULSE_REDIS_URL, keys
                                     under P, default mp:) with a ground-truth file, bucket by bucket
            """;

    private static final JsonMapper JSON = WireJson.MAPPER;

    private final DSLContext db;
    private final PrintStream out;

    TrafficCommand(DSLContext db, PrintStream out) {
        this.db = db;
        this.out = out;
    }

    int generate(List<String> args) throws Exception {
        Options options = Options.parse(args, Set.of("--rate", "--duration", "--seed", "--workspaces", "--truth", "--collector",
                "--webhook-percent", "--connections"), Set.of());
        options.expectPositionals(0);
        int rate = options.positive("--rate", 200);
        int seconds = options.positive("--duration", 30);
        int workspaceCount = options.positive("--workspaces", 3);
        long seed = Long.parseLong(options.value("--seed", "1"));
        Path truthFile = Path.of(options.value("--truth", "ground-truth.json"));
        URI collector = URI.create(options.value("--collector", "http://127.0.0.1:8081"));
        int webhookPercent = Integer.parseInt(options.value("--webhook-percent", "10"));
        if (webhookPercent < 0 || webhookPercent > 100) {
            throw new Options.UsageException("--webhook-percent takes a whole number from 0 to 100");
        }
        int connections = options.positive("--connections", 8);

        // Workspaces of the run's own, so that the ground truth is all they hold.
        Workspaces workspaces = new Workspaces(db);
        String run = Long.toString(Instant.now().getEpochSecond(), 36);
        List<String> keys = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        List<ProviderWebhooks.Credentials> credentials = new ArrayList<>();
        ArrayNode names = JsonNodeFactory.instance.arrayNode();
        for (int i = 1; i <= workspaceCount; i++) {
            Workspaces.Created created = workspaces.create("traffic-" + run + "-" + i, "UTC", false);
            ProviderWebhooks.Credentials signing = ProviderWebhooks.Credentials.generate();
            for (WebhookCredential credential : signing.toStore()) {
                workspaces.setWebhookCredential(created.workspace().name(), credential);
            }
            keys.add(created.key().key());
            ids.add(created.workspace().id());
            credentials.add(signing);
            names.addObject().put("name", created.workspace().name()).put("id", created.workspace().id().toString());
        }
        out.printf("Sending about %,d events/s for %d s to %s (seed %d, %d workspaces) ...%n", rate, seconds, collector, seed, workspaceCount);
        Simulation simulation = new Simulation(seed, workspaceCount, 4);
        Optional<ProviderWebhooks> webhooks = webhookPercent == 0 ? Optional.empty()
                : Optional.of(new ProviderWebhooks(collector, ids, credentials, webhookPercent));
        TrafficGenerator.Sent sent = new TrafficGenerator(collector, keys, webhooks, connections, Duration.ofMinutes(5), out)
                .run(simulation, rate, Duration.ofSeconds(seconds));

        ObjectNode truth = JsonNodeFactory.instance.objectNode();
        truth.put("seed", seed);
        truth.set("workspaces", names);
        truth.put("events_sent", sent.events());
        truth.put("invalid_sent", simulation.invalid());
        truth.put("duplicates_sent", simulation.duplicates());
        truth.put("sent_through_webhooks", sent.throughWebhooks());
        ArrayNode expected = truth.putArray("expected");
        long total = 0;
        for (Map.Entry<Simulation.TruthKey, Long> entry : simulation.truth().entrySet()) {
            Simulation.TruthKey key = entry.getKey();
            expected.addObject().put("workspace", names.get(key.workspace()).get("id").asString()).put("campaign", key.campaign())
                    .put("type", key.type()).put("hour", key.hour().toString()).put("count", entry.getValue());
            total += entry.getValue();
        }
        truth.put("expected_events", total);
        Files.writeString(truthFile, truth.toPrettyString());
        out.printf("Sent %,d events (%,d through the providers' webhooks, %,d invalid, %,d duplicates); the collector accepted %,d. "
                + "%,d distinct valid events expected; the ground truth is in %s%n", sent.events(), sent.throughWebhooks(),
                simulation.invalid(), simulation.duplicates(), sent.accepted(), total, truthFile);
        return 0;
    }

    int check(List<String> args, String redisUrl) throws Exception {
        Options options = Options.parse(args, Set.of("--redis-prefix"), Set.of("--no-redis"));
        options.expectPositionals(1);
        JsonNode truth = JSON.readTree(Files.readString(Path.of(options.positional(0, "FILE"))));
        LiveCounters live = options.flag("--no-redis") ? null : new LiveCounters(redisUrl, options.value("--redis-prefix", "mp:"));
        try {
            var counts = Tables.EVENT_COUNTS_1H;
            long buckets = 0;
            long matching = 0;
            long liveMatching = 0;
            long expectedEvents = 0;
            long storedEvents = 0;
            long liveEvents = 0;
            for (JsonNode bucket : truth.get("expected")) {
                UUID workspace = UUID.fromString(bucket.get("workspace").asString());
                String campaign = bucket.get("campaign").asString();
                String type = bucket.get("type").asString();
                Instant hour = Instant.parse(bucket.get("hour").asString());
                long expected = bucket.get("count").asLong();
                Long stored = db.select(DSL.sum(counts.EVENT_COUNT)).from(counts)
                        .where(counts.WORKSPACE_ID.eq(workspace),
                                campaign.isEmpty() ? counts.CAMPAIGN_ID.isNull() : counts.CAMPAIGN_ID.eq(campaign),
                                counts.EVENT_TYPE.eq(type), counts.BUCKET.eq(hour.atOffset(ZoneOffset.UTC)))
                        .fetchOne(0, Long.class);
                long count = stored == null ? 0 : stored;
                long liveCount = live == null ? expected : live.hourly(workspace, campaign, type, hour);
                buckets++;
                expectedEvents += expected;
                storedEvents += count;
                liveEvents += liveCount;
                matching += count == expected ? 1 : 0;
                liveMatching += liveCount == expected ? 1 : 0;
                if (count != expected || liveCount != expected) {
                    out.printf("  differs: %s %s %s %s expected %d, read model %d, live counters %s%n", workspace, campaign, type, hour,
                            expected, count, live == null ? "-" : liveCount);
                }
            }
            if (live != null) {
                out.printf("%,d of %,d buckets equal the ground truth in the live counters (Redis); %,d events expected, %,d counted%n",
                        liveMatching, buckets, expectedEvents, liveEvents);
            }
            out.printf("%,d of %,d buckets (workspace × campaign × type × hour) equal the ground truth in the read model; "
                    + "%,d events expected, %,d counted%n", matching, buckets, expectedEvents, storedEvents);
            return matching == buckets && liveMatching == buckets ? 0 : 1;
        } finally {
            if (live != null) {
                live.close();
            }
        }
    }
}
