package dev.mailpulse.cli.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import org.jooq.DSLContext;

import dev.mailpulse.traffic.Simulation;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.hostile.HostileJson;
import dev.mailpulse.storage.DatabaseSettings;
import dev.mailpulse.storage.workspace.Workspaces;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code mailpulse bench-pipeline}: measures the running pipeline end to end. Optionally first the raw limits of the
 * machine (RabbitMQ PerfTest, PostgreSQL COPY); then, for one topology, open-loop phases at fixed rates and a
 * closed-loop phase at the maximum, each with fresh workspaces: accepted events/s, latency from acknowledgement to
 * queryable in the read model and in the live counters, and CPU seconds and memory of each process. Appends the
 * figures to a results file that {@link BenchmarkReport} turns into BENCHMARKS.md.
 */
public final class PipelineBenchmark {

    private static final JsonMapper JSON = WireJson.MAPPER;
    private static final int EVENTS_PER_REQUEST = 200;
    private static final int WORKSPACES_PER_PHASE = 3;
    /** The closed loop again, with one hostile item in a tenth of the requests. */
    private static final int HOSTILE_CLOSED_LOOP = -1;
    static final String HOSTILE_SUFFIX = ", 10% of requests with a hostile item";

    /** What to run. {@code processes}: name to pid, of the pipeline's processes and the services. */
    public record Settings(URI collector, String topology, List<Integer> rates, Duration phase, int connections,
                           Map<String, List<Long>> processes, boolean rawLimits, Path results) {
    }

    private final DSLContext db;
    private final DatabaseSettings database;
    private final String rabbitUri;
    private final String redisUrl;
    private final PrintStream out;

    public PipelineBenchmark(DSLContext db, DatabaseSettings database, String rabbitUri, String redisUrl, PrintStream out) {
        this.db = db;
        this.database = database;
        this.rabbitUri = rabbitUri;
        this.redisUrl = redisUrl;
        this.out = out;
    }

    public void run(Settings settings) throws Exception {
        ObjectNode results = Files.exists(settings.results())
                ? (ObjectNode) JSON.readTree(Files.readString(settings.results())) : JsonNodeFactory.instance.objectNode();
        LoadPhase load = new LoadPhase(settings.collector());
        int messageBytes = averageMessageBytes();
        if (settings.rawLimits()) {
            out.println("Raw limits of this machine:");
            RawLimits limits = new RawLimits(out);
            ObjectNode raw = results.putObject("raw");
            for (int size : new int[] {500, messageBytes}) {
                RawLimits.Broker broker = limits.rabbitMq(rabbitUri, size, 20);
                out.printf("  RabbitMQ PerfTest, persistent %,d-byte messages with confirms: %,.0f msg/s%n", size, broker.messagesPerSecond());
                raw.putObject("rabbitmq_" + size).put("message_bytes", size).put("messages_per_second", broker.messagesPerSecond());
            }
            raw.put("events_per_message", EVENTS_PER_REQUEST);
            raw.put("pipeline_message_bytes", messageBytes);
            double copy = limits.postgresCopy(database, 1_000_000);
            out.printf("  PostgreSQL COPY into a table shaped like the raw event table: %,.0f rows/s%n", copy);
            raw.put("postgres_copy_rows_per_second", copy);
            raw.put("measured_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        }

        ArrayNode phases = results.withArray("topologies").addObject().put("topology", settings.topology()).putArray("phases");
        // A warm-up, not reported: freshly started JVMs compile their hot code in the first seconds.
        out.println(settings.topology() + ": warming up at 2,000 events/s for " + settings.phase().toSeconds() + " s ...");
        List<String> warmUpKeys = workspaces(new ArrayList<>());
        load.openLoop(requests(warmUpKeys, (int) (2_000 * settings.phase().toSeconds()), 7, 0), 2_000, settings.connections());
        List<Integer> rates = new ArrayList<>(settings.rates());
        rates.add(0); // the closed loop
        rates.add(HOSTILE_CLOSED_LOOP);
        for (int phaseRate : rates) {
            boolean hostile = phaseRate == HOSTILE_CLOSED_LOOP;
            int rate = hostile ? 0 : phaseRate;
            String name = rate == 0 ? "closed loop, " + settings.connections() + " connections" + (hostile ? HOSTILE_SUFFIX : "")
                    : String.format("%,d events/s offered", rate);
            out.println(settings.topology() + ": " + name + " for " + settings.phase().toSeconds() + " s ...");
            List<UUID> workspaces = new ArrayList<>();
            List<String> keys = workspaces(workspaces);
            int events = (int) ((rate == 0 ? 40_000 : rate) * settings.phase().toSeconds());
            List<LoadPhase.Request> requests = requests(keys, events, phaseRate + settings.phase().toSeconds(), hostile ? 0.1 : 0);
            Map<String, ProcessUsage> before = ProcessUsage.of(settings.processes());
            long fromMinute = Instant.now().minus(Duration.ofMinutes(10)).getEpochSecond() / 60 * 60;
            LoadPhase.Outcome outcome;
            StoreWatcher.Latency toReadModel;
            StoreWatcher.Latency toLive;
            boolean complete;
            double queryablePerSecond;
            try (StoreWatcher watcher = new StoreWatcher(db, redisUrl, "mp:", workspaces, fromMinute, Duration.ofMillis(20))) {
                outcome = rate == 0 ? load.closedLoop(requests, settings.connections(), settings.phase())
                        : load.openLoop(requests, rate, settings.connections());
                long[] expected = new long[workspaces.size()];
                outcome.acks().forEach(ack -> expected[ack.workspace()] += ack.events());
                complete = watcher.awaitAll(expected, Duration.ofMinutes(3));
                long stored = watcher.readModelCompleteAt(expected);
                // sustained end to end: the phase's events over the time until the last of them was queryable
                queryablePerSecond = stored < 0 ? 0 : outcome.acknowledgedEvents() / ((stored - outcome.startNanos()) / 1e9);
                toReadModel = watcher.readModelLatency(outcome.acks());
                toLive = watcher.liveLatency(outcome.acks());
            }
            Map<String, ProcessUsage> after = ProcessUsage.of(settings.processes());
            ObjectNode phase = phases.addObject().put("name", name).put("offered", rate)
                    .put("accepted_per_second", outcome.eventsPerSecond()).put("queryable_per_second", queryablePerSecond).put("acknowledged", outcome.acknowledgedEvents())
                    .put("refused_calls", outcome.refusedRequests()).put("all_queryable", complete);
            latency(phase.putObject("to_read_model_ms"), toReadModel);
            latency(phase.putObject("to_live_counters_ms"), toLive);
            ObjectNode usage = phase.putObject("processes");
            after.forEach((process, end) -> usage.putObject(process)
                    .put("cpu_seconds", end.cpuSeconds() - before.getOrDefault(process, ProcessUsage.NONE).cpuSeconds())
                    .put("rss_mb", end.rssMegabytes()));
            out.printf("  accepted %,.0f events/s, queryable %,.0f events/s end to end; acknowledgement to read model p50 %.0f ms, p99 %.0f ms; to live counters p99 %.0f ms%s%n",
                    outcome.eventsPerSecond(), queryablePerSecond, toReadModel.p50(), toReadModel.p99(), toLive.p99(), complete ? "" : " (not all became queryable)");
        }
        Files.writeString(settings.results(), results.toPrettyString());
    }

    /** Fresh workspaces of the benchmark's own, without a rate limit; their ids into {@code ids}, their keys returned. */
    private List<String> workspaces(List<UUID> ids) {
        Workspaces tenants = new Workspaces(db);
        String run = Long.toString(System.nanoTime() & 0xffffffffL, 36);
        List<String> keys = new ArrayList<>();
        for (int w = 0; w < WORKSPACES_PER_PHASE; w++) {
            Workspaces.Created created = tenants.create("bench-" + run + "-" + w, "UTC", false);
            tenants.setEventsPerSecond(created.workspace().name(), 1_000_000);
            ids.add(created.workspace().id());
            keys.add(created.key().key());
        }
        return keys;
    }

    private static void latency(ObjectNode node, StoreWatcher.Latency latency) {
        if (latency != StoreWatcher.Latency.NONE) {
            node.put("p50", latency.p50()).put("p95", latency.p95()).put("p99", latency.p99()).put("max", latency.max());
        }
    }

    /**
     * The generator's events, without the invalid, duplicate and late ones (each acknowledged event is stored once);
     * {@code hostileShare} of the requests also carry one hostile item (of a class that must end as a failure), which
     * costs only itself: the request's good events are still the ones counted.
     */
    static List<LoadPhase.Request> requests(List<String> keys, int events, long seed, double hostileShare) {
        Simulation simulation = new Simulation(seed, keys.size(), 4);
        Random random = new Random(seed);
        HostileJson hostile = new HostileJson(seed, new UUID(0, 0));
        Set<String> seen = new HashSet<>();
        Instant oldest = Instant.now().minus(Duration.ofMinutes(5));
        Map<Integer, StringBuilder> bodies = new LinkedHashMap<>();
        Map<Integer, Integer> counts = new LinkedHashMap<>();
        List<LoadPhase.Request> requests = new ArrayList<>();
        int kept = 0;
        while (kept < events) {
            for (Simulation.Outgoing outgoing : simulation.next(1_000, Instant.now())) {
                JsonNode event = outgoing.event();
                if (event.get("schema_version").asInt() != 1 || !seen.add(event.get("event_id").asString())
                        || Instant.parse(event.get("occurred_at").asString()).isBefore(oldest)) {
                    continue;
                }
                int w = outgoing.workspace();
                bodies.computeIfAbsent(w, k -> new StringBuilder()).append(event).append('\n');
                if (counts.merge(w, 1, Integer::sum) == EVENTS_PER_REQUEST) {
                    if (random.nextDouble() < hostileShare) {
                        bodies.get(w).append(hostile.invalid(false).json().replace('\n', ' ')).append('\n');
                    }
                    requests.add(new LoadPhase.Request(w, keys.get(w), bodies.remove(w).toString(), EVENTS_PER_REQUEST));
                    counts.remove(w);
                }
                kept++;
            }
        }
        return requests;
    }

    private int averageMessageBytes() {
        Simulation simulation = new Simulation(1, 1, 4);
        long bytes = 0;
        int count = 0;
        for (Simulation.Outgoing outgoing : simulation.next(2_000, Instant.now())) {
            bytes += outgoing.event().toString().length() + 350; // what the collector and enricher add, about
            count++;
        }
        return (int) (bytes / count * EVENTS_PER_REQUEST);
    }
}
