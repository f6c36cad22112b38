package dev.mailpulse.cli.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.jooq.DSLContext;

import com.sun.net.httpserver.HttpServer;

import dev.mailpulse.alerting.AlertPreset;
import dev.mailpulse.alerting.AlertRules;
import dev.mailpulse.alerting.WebhookSignature;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.storage.workspace.Workspaces;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * {@code mailpulse bench-alerts}: the alert evaluator under load. 1,000 rules across 100 workspaces (each workspace
 * every preset: ten rules, told by signed webhook to a receiver in this process); the pipeline's sustained maximum
 * measured in a closed loop on 90 workspaces of its own; then the generator's traffic at 0.6 of it on 90 of the
 * workspaces with rules while, in the 10 others, a
 * complaint spike at Yahoo is posted to the collector every few seconds. Measured: the latency from the collector's
 * acknowledgement of a spike to the critical rule's signed webhook, the evaluator's CPU and memory, the pipeline's
 * acknowledgement-to-read-model latency at that load, and what was told. Writes the alerts section of BENCHMARKS.md.
 */
public final class AlertsBenchmark {

    private static final int WORKSPACES = 100;
    private static final int PLANTED = 10;
    private static final String SECRET = "the-benchmark-receivers-secret";
    private static final int SPIKE_COMPLAINTS = 10;
    /** The closed loop's length, and the most events a second it is given (generated beforehand, so kept to what 2 cores take). */
    private static final Duration CLOSED_LOOP = Duration.ofSeconds(30);
    private static final int MOST_PER_SECOND = 20_000;

    /** What to run. {@code processes}: name to pid, of the pipeline's processes (sink-alerts among them) and the services. */
    public record Settings(URI collector, Duration phase, int connections, Map<String, List<Long>> processes, String about) {
    }

    /** A signed webhook as the receiver took it. */
    private record Told(String workspace, String severity, String state, long atNanos) {
    }

    private final DSLContext db;
    private final String redisUrl;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Told> told = Collections.synchronizedList(new ArrayList<>());

    public AlertsBenchmark(DSLContext db, String redisUrl, PrintStream out) {
        this.db = db;
        this.redisUrl = redisUrl;
        this.out = out;
    }

    /** Runs the benchmark; its section of BENCHMARKS.md, in Markdown. */
    public String run(Settings settings) throws Exception {
        HttpServer receiver = receiver();
        try {
            return measure(settings, receiver.getAddress().getPort());
        } finally {
            receiver.stop(0);
        }
    }

    private String measure(Settings settings, int receiverPort) throws Exception {
        Workspaces tenants = new Workspaces(db);
        // an earlier run's rules would be judged too, and told to a receiver long gone
        db.execute("DELETE FROM alert_rules WHERE workspace_id IN (SELECT workspace_id FROM workspaces WHERE name LIKE 'alerts-bench-%')");
        String run = Long.toString(System.nanoTime() & 0xffffffffL, 36);
        ArrayNode channels = WireJson.MAPPER.createArrayNode();
        channels.addObject().put("type", "webhook").put("url", "http://127.0.0.1:" + receiverPort + "/hook").put("secret", SECRET);
        List<UUID> busy = new ArrayList<>();
        List<String> busyKeys = new ArrayList<>();
        List<String> plantedNames = new ArrayList<>();
        List<String> plantedKeys = new ArrayList<>();
        int rules = 0;
        for (int w = 0; w < WORKSPACES; w++) {
            Workspaces.Created created = tenants.create("alerts-bench-" + run + "-" + w, "UTC", false);
            tenants.setEventsPerSecond(created.workspace().name(), 1_000_000);
            AlertRules workspaceRules = new AlertRules(db, created.workspace().id());
            for (AlertPreset preset : AlertPreset.values()) {
                for (var rule : preset.rules(channels)) {
                    workspaceRules.create(rule);
                    rules++;
                }
            }
            if (w < WORKSPACES - PLANTED) {
                busy.add(created.workspace().id());
                busyKeys.add(created.key().key());
            } else {
                plantedNames.add(created.workspace().name());
                plantedKeys.add(created.key().key());
            }
        }
        out.printf("%,d rules across %d workspaces%n", rules, WORKSPACES);
        for (String key : plantedKeys) {
            post(settings.collector(), key, emails("email.deliver", 300)); // the basis the spikes stand on
        }

        LoadPhase load = new LoadPhase(settings.collector());
        out.println("The pipeline's sustained maximum, closed loop for " + CLOSED_LOOP.toSeconds() + " s ...");
        long seed = 41;
        LoadPhase.Outcome closed;
        double sustained;
        // on workspaces of their own, without rules: the traffic at 0.6 of it then starts from empty windows and counts
        List<UUID> measured = new ArrayList<>();
        List<String> measuredKeys = new ArrayList<>();
        for (int w = 0; w < WORKSPACES - PLANTED; w++) {
            Workspaces.Created created = tenants.create("alerts-bench-" + run + "-max-" + w, "UTC", false);
            tenants.setEventsPerSecond(created.workspace().name(), 1_000_000);
            measured.add(created.workspace().id());
            measuredKeys.add(created.key().key());
        }
        try (StoreWatcher watcher = new StoreWatcher(db, redisUrl, "mp:", measured, watchedFrom(), Duration.ofMillis(200))) {
            closed = load.closedLoop(PipelineBenchmark.requests(measuredKeys, MOST_PER_SECOND * (int) CLOSED_LOOP.toSeconds(), seed, 0),
                    settings.connections(), CLOSED_LOOP);
            long[] expected = expected(measured.size(), closed.acks());
            watcher.awaitAll(expected, Duration.ofMinutes(5));
            long stored = watcher.readModelCompleteAt(expected);
            sustained = stored < 0 ? closed.eventsPerSecond() : closed.acknowledgedEvents() / ((stored - closed.startNanos()) / 1e9);
        }
        int rate = (int) (0.6 * sustained);
        out.printf("  sustained %,.0f events/s; now %,d events/s (0.6 of it) for %d s, a complaint spike every %d s ...%n", sustained, rate,
                settings.phase().toSeconds(), settings.phase().toSeconds() / (PLANTED + 1));

        told.clear();
        Map<String, ProcessUsage> before = ProcessUsage.of(settings.processes());
        ExecutorService background = Executors.newSingleThreadExecutor();
        List<Long> latencies = new ArrayList<>();
        LoadPhase.Outcome open;
        StoreWatcher.Latency toReadModel;
        try (StoreWatcher watcher = new StoreWatcher(db, redisUrl, "mp:", busy, watchedFrom(), Duration.ofMillis(50))) {
            Future<LoadPhase.Outcome> traffic = background.submit(() -> load.openLoop(
                    PipelineBenchmark.requests(busyKeys, (int) (rate * settings.phase().toSeconds()), seed + 1, 0), rate, settings.connections()));
            Map<String, Long> acknowledged = new ConcurrentHashMap<>();
            for (int p = 0; p < PLANTED; p++) {
                Thread.sleep(settings.phase().toMillis() / (PLANTED + 1));
                post(settings.collector(), plantedKeys.get(p), emails("email.complaint", SPIKE_COMPLAINTS));
                acknowledged.put(plantedNames.get(p), System.nanoTime());
            }
            open = traffic.get();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (criticalFirings(plantedNames) < PLANTED && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            for (String workspace : plantedNames) {
                told.stream().filter(t -> t.workspace().equals(workspace) && t.severity().equals("critical") && t.state().equals("firing"))
                        .mapToLong(Told::atNanos).min().ifPresent(at -> latencies.add((at - acknowledged.get(workspace)) / 1_000_000));
            }
            watcher.awaitAll(expected(busy.size(), open.acks()), Duration.ofMinutes(5));
            toReadModel = watcher.readModelLatency(open.acks());
        }
        background.shutdown();
        Map<String, ProcessUsage> after = ProcessUsage.of(settings.processes());
        double seconds = open.seconds();
        String report = report(settings, rules, closed, sustained, rate, open, latencies, toReadModel, before, after, seconds);
        out.print(report);
        return report;
    }

    private String report(Settings settings, int rules, LoadPhase.Outcome closed, double sustained, int rate, LoadPhase.Outcome open, List<Long> latencies,
                          StoreWatcher.Latency toReadModel, Map<String, ProcessUsage> before, Map<String, ProcessUsage> after, double seconds) {
        StringBuilder md = new StringBuilder("## The alert evaluator under load (`bin/mailpulse bench-alerts`)\n\n");
        md.append(String.format(Locale.ROOT, "Measured %s. %s.%n%n", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                settings.about()));
        md.append(String.format(Locale.ROOT, "%,d rules across %d workspaces (every preset in each, told by signed webhook to a receiver in the "
                + "benchmark). The pipeline's sustained maximum, closed loop for %d s over %d other workspaces: %,.0f events/s accepted, %,.0f events/s queryable. "
                + "Then %,d events/s offered (0.6 of it) for %d s, %,.0f accepted, while the %d other workspaces each received a complaint "
                + "spike at Yahoo (%d complaints on 300 deliveries) through the collector.%n%n", rules, WORKSPACES, CLOSED_LOOP.toSeconds(), WORKSPACES - PLANTED,
                closed.eventsPerSecond(), sustained, rate, settings.phase().toSeconds(), open.eventsPerSecond(), PLANTED, SPIKE_COMPLAINTS));
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        md.append("| measure | value |\n|---|---|\n");
        md.append(String.format(Locale.ROOT, "| spikes told (critical rule, signed webhook) | %d of %d |%n", sorted.length, PLANTED));
        if (sorted.length > 0) {
            md.append(String.format(Locale.ROOT, "| collector's acknowledgement → webhook received, p50 / max | %,d ms / %,d ms |%n",
                    sorted[sorted.length / 2], sorted[sorted.length - 1]));
        }
        md.append(String.format(Locale.ROOT, "| acknowledgement → read model at this load, p50 / p99 | %,.0f ms / %,.0f ms |%n", toReadModel.p50(),
                toReadModel.p99()));
        md.append(String.format(Locale.ROOT, "| webhooks told in the phase (the spikes' and the traffic's own) | %,d |%n", told.size()));
        after.forEach((process, end) -> md.append(String.format(Locale.ROOT, "| %s: CPU (cores) / resident memory | %.2f / %,.0f MB |%n", process,
                (end.cpuSeconds() - before.getOrDefault(process, ProcessUsage.NONE).cpuSeconds()) / seconds, end.rssMegabytes())));
        md.append("\nThe evaluator judges a workspace within half a second of its events and every workspace with rules every 5 s, "
                + "each evaluation one transaction under the workspace's lock; the latency includes the pipeline's own to the read model.\n");
        return md.toString();
    }

    private long criticalFirings(List<String> planted) {
        return planted.stream().filter(w -> told.stream().anyMatch(t -> t.workspace().equals(w) && t.severity().equals("critical")
                && t.state().equals("firing"))).count();
    }

    private HttpServer receiver() throws IOException {
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newFixedThreadPool(4));
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            long at = System.nanoTime();
            boolean signed = WebhookSignature.verify(SECRET, exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER), body, Instant.now(),
                    Duration.ofMinutes(5));
            if (signed) {
                JsonNode json = WireJson.MAPPER.readTree(body);
                told.add(new Told(json.get("workspace").asString(), json.get("severity").asString(), json.get("state").asString(), at));
            }
            exchange.sendResponseHeaders(signed ? 204 : 401, -1);
            exchange.close();
        });
        receiver.start();
        return receiver;
    }

    /** {@code count} e-mail events of a type to Yahoo's recipients, each a message of its own. */
    private static ArrayNode emails(String type, int count) {
        ArrayNode events = WireJson.MAPPER.createArrayNode();
        for (int i = 0; i < count; i++) {
            String id = UUID.randomUUID().toString();
            events.addObject().put("event_id", id).put("type", type).put("schema_version", 1).put("occurred_at", Instant.now().toString())
                    .put("campaign_id", "spike").put("message_id", "<" + id + "@bench.example.com>")
                    .put("recipient", "reader-" + id.substring(0, 13) + "@yahoo.com").putObject("attributes");
        }
        return events;
    }

    private void post(URI collector, String key, ArrayNode events) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(collector.resolve("/v1/events")).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(events.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 202) {
            throw new IllegalStateException("the collector answered " + answer.statusCode() + ": " + answer.body());
        }
    }

    private static long[] expected(int workspaces, List<LoadPhase.Ack> acks) {
        long[] expected = new long[workspaces];
        acks.forEach(ack -> expected[ack.workspace()] += ack.events());
        return expected;
    }

    /** The first minute the store's watcher counts: before any of the phase's events. */
    private static long watchedFrom() {
        return Instant.now().minus(Duration.ofMinutes(10)).getEpochSecond() / 60 * 60;
    }
}
