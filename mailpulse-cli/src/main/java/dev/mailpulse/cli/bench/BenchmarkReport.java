package dev.mailpulse.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.mailpulse.core.json.WireJson;

/** Turns the results of {@code bench-pipeline} runs into the end-to-end section of BENCHMARKS.md. */
public final class BenchmarkReport {

    private static final JsonMapper JSON = WireJson.MAPPER;

    private BenchmarkReport() {
    }

    /** The section's markdown; {@code environment}: what was measured on (machine, versions, settings). */
    public static String render(Path results, Map<String, String> environment) throws IOException {
        JsonNode all = JSON.readTree(Files.readString(results));
        JsonNode raw = all.get("raw");
        StringBuilder md = new StringBuilder();
        md.append("## The pipeline end to end (`bin/mailpulse bench`)\n\n");
        md.append("Measured ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(" in one run on this machine. ");
        environment.forEach((key, value) -> md.append(key).append(": ").append(value).append(". "));
        md.append("\n\nEvery phase uses fresh workspaces and the traffic generator's events (mixed types, real user agents; "
                + "without its invalid, duplicate and late ones, so each acknowledged event is stored once), ")
                .append(raw.get("events_per_message").asInt()).append(" events per request. Latency runs from the collector's "
                + "acknowledgement (HTTP 202, after the broker confirmed) to the event being counted in the read model "
                + "(`event_counts_1m`) and in the live counters (Redis), sampled every 20 ms. Reproduce: `bin/mailpulse bench`.\n\n");

        double copy = raw.get("postgres_copy_rows_per_second").asDouble();
        JsonNode small = raw.get("rabbitmq_500");
        JsonNode ours = raw.get("rabbitmq_" + raw.get("pipeline_message_bytes").asInt());
        double brokerEvents = ours.get("messages_per_second").asDouble() * raw.get("events_per_message").asInt();
        md.append("### Raw limits of the machine, same run\n\n| limit | measured |\n|---|---:|\n");
        md.append(String.format("| RabbitMQ PerfTest, persistent 500-byte messages, publisher confirms, one queue | %,.0f msg/s |%n",
                small.get("messages_per_second").asDouble()));
        md.append(String.format("| RabbitMQ PerfTest, persistent %,d-byte messages (one of the pipeline's, %d events) | %,.0f msg/s = %,.0f events/s per hop |%n",
                ours.get("message_bytes").asInt(), raw.get("events_per_message").asInt(), ours.get("messages_per_second").asDouble(), brokerEvents));
        md.append(String.format("| PostgreSQL COPY of event rows into a table shaped like `events` (its keys and indexes) | %,.0f rows/s |%n%n", copy));

        for (JsonNode topology : all.get("topologies")) {
            md.append("### ").append(topology.get("topology").asString()).append("\n\n");
            md.append("| phase | accepted events/s (collector) | sustained events/s (to queryable) | ÷ COPY limit | ÷ broker limit (per hop) "
                    + "| to read model p50 / p95 / p99 / max ms | to live counters p50 / p95 / p99 / max ms |\n|---|---:|---:|---:|---:|---|---|\n");
            List<String> processes = new ArrayList<>();
            for (JsonNode phase : topology.get("phases")) {
                double accepted = phase.get("accepted_per_second").asDouble();
                double sustained = phase.get("queryable_per_second").asDouble();
                md.append(String.format("| %s | %,.0f | %,.0f | %.2f | %.2f | %s | %s |%n", phase.get("name").asString(), accepted, sustained,
                        sustained / copy, sustained / brokerEvents, latency(phase.get("to_read_model_ms"), phase.get("all_queryable").asBoolean()),
                        latency(phase.get("to_live_counters_ms"), phase.get("all_queryable").asBoolean())));
                phase.get("processes").propertyNames().forEach(name -> {
                    if (!processes.contains(name)) {
                        processes.add(name);
                    }
                });
            }
            hostileRatio(topology.get("phases")).ifPresent(md::append);
            md.append("\nCPU seconds used during each phase, and resident memory at its end (MB):\n\n| phase |");
            processes.forEach(p -> md.append(' ').append(p).append(" |"));
            md.append("\n|---|").append("---:|".repeat(processes.size())).append('\n');
            for (JsonNode phase : topology.get("phases")) {
                md.append("| ").append(phase.get("name").asString()).append(" |");
                for (String p : processes) {
                    JsonNode usage = phase.get("processes").get(p);
                    md.append(usage == null ? " – |" : String.format(" %.1f s, %.0f MB |", usage.get("cpu_seconds").asDouble(), usage.get("rss_mb").asDouble()));
                }
                md.append('\n');
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** How the closed loop with hostile items compares with the clean one: good events stored per second. */
    private static java.util.Optional<String> hostileRatio(JsonNode phases) {
        JsonNode clean = null;
        JsonNode hostile = null;
        for (JsonNode phase : phases) {
            if (phase.get("offered").asInt() == 0) {
                if (phase.get("name").asString().endsWith(PipelineBenchmark.HOSTILE_SUFFIX)) {
                    hostile = phase;
                } else {
                    clean = phase;
                }
            }
        }
        if (clean == null || hostile == null || clean.get("queryable_per_second").asDouble() == 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(String.format("%nWith one hostile item in 10%% of the requests, good events were stored at %,.0f events/s, "
                + "%.0f%% of the clean closed loop's %,.0f (each hostile item ends as a failed event; the target is at least 90%%).%n",
                hostile.get("queryable_per_second").asDouble(), 100 * hostile.get("queryable_per_second").asDouble() / clean.get("queryable_per_second").asDouble(),
                clean.get("queryable_per_second").asDouble()));
    }

    private static String latency(JsonNode ms, boolean complete) {
        if (!complete || !ms.has("p50")) {
            return "not all queryable within 3 min";
        }
        return String.format("%,.0f / %,.0f / %,.0f / %,.0f", ms.get("p50").asDouble(), ms.get("p95").asDouble(),
                ms.get("p99").asDouble(), ms.get("max").asDouble());
    }
}
