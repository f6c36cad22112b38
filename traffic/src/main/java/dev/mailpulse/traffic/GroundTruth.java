package dev.mailpulse.traffic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.mailpulse.core.json.WireJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a generator run sent and what the pipeline must therefore hold: the count of every (workspace, campaign, type,
 * hour) bucket the run sent to (its distinct valid events, plus what the bucket held before the run), how many
 * invalid events and duplicates were sent besides, and what the daily ETL must count for the run's campaigns on each
 * day of their workspace's time zone.
 *
 * @param workspaces   the run's workspaces, by name and id
 * @param expectedDays the run's campaigns' counts by local day (events of no campaign add to earlier runs' and are
 *                     checked by the hour only)
 */
public record GroundTruth(long seed, List<Workspace> workspaces, long eventsSent, long invalidSent, long duplicatesSent,
                          long sentThroughWebhooks, List<Bucket> expected, List<DayBucket> expectedDays) {

    public record Workspace(String name, UUID id) {
    }

    /** One bucket's count of distinct valid events; {@code campaign} is "" for events of no campaign. */
    public record Bucket(UUID workspace, String campaign, String type, Instant hour, long count) {
    }

    /** One campaign's count of distinct valid events of one type on one day of its workspace's time zone. */
    public record DayBucket(UUID workspace, String campaign, String type, LocalDate day, long count) {
    }

    /** A bucket's key. */
    public record Key(UUID workspace, String campaign, String type, Instant hour) {
    }

    public GroundTruth {
        workspaces = List.copyOf(workspaces);
        expected = List.copyOf(expected);
        expectedDays = List.copyOf(expectedDays);
    }

    /**
     * The truth of the simulations that ran for the given workspaces (in the simulations' order), over what the
     * buckets held {@code before} them.
     */
    static GroundTruth of(long seed, List<Workspace> workspaces, List<Simulation> simulations, long eventsSent, long sentThroughWebhooks,
                          Map<Key, Long> before) {
        Map<Key, Long> counts = new TreeMap<>(Comparator.comparing(Key::workspace).thenComparing(Key::campaign).thenComparing(Key::type)
                .thenComparing(Key::hour));
        counts.putAll(before);
        Map<Simulation.DayKey, Long> days = new TreeMap<>();
        for (Simulation simulation : simulations) {
            for (Map.Entry<Simulation.TruthKey, Long> entry : simulation.truth().entrySet()) {
                Simulation.TruthKey key = entry.getKey();
                counts.merge(new Key(workspaces.get(key.workspace()).id(), key.campaign(), key.type(), key.hour()), entry.getValue(), Long::sum);
            }
            simulation.dayTruth().forEach((key, count) -> days.merge(key, count, Long::sum));
        }
        List<Bucket> buckets = new ArrayList<>();
        counts.forEach((key, count) -> buckets.add(new Bucket(key.workspace(), key.campaign(), key.type(), key.hour(), count)));
        List<DayBucket> dayBuckets = new ArrayList<>();
        days.forEach((key, count) -> {
            if (!key.campaign().isEmpty()) {
                dayBuckets.add(new DayBucket(workspaces.get(key.workspace()).id(), key.campaign(), key.type(), key.day(), count));
            }
        });
        return new GroundTruth(seed, workspaces, eventsSent, simulations.stream().mapToLong(Simulation::invalid).sum(),
                simulations.stream().mapToLong(Simulation::duplicates).sum(), sentThroughWebhooks, buckets, dayBuckets);
    }

    public long expectedEvents() {
        return expected.stream().mapToLong(Bucket::count).sum();
    }

    public void write(Path file) throws IOException {
        ObjectNode truth = WireJson.MAPPER.createObjectNode();
        truth.put("seed", seed);
        ArrayNode names = truth.putArray("workspaces");
        workspaces.forEach(w -> names.addObject().put("name", w.name()).put("id", w.id().toString()));
        truth.put("events_sent", eventsSent);
        truth.put("invalid_sent", invalidSent);
        truth.put("duplicates_sent", duplicatesSent);
        truth.put("sent_through_webhooks", sentThroughWebhooks);
        ArrayNode buckets = truth.putArray("expected");
        for (Bucket bucket : expected) {
            buckets.addObject().put("workspace", bucket.workspace().toString()).put("campaign", bucket.campaign())
                    .put("type", bucket.type()).put("hour", bucket.hour().toString()).put("count", bucket.count());
        }
        truth.put("expected_events", expectedEvents());
        ArrayNode days = truth.putArray("expected_days");
        for (DayBucket day : expectedDays) {
            days.addObject().put("workspace", day.workspace().toString()).put("campaign", day.campaign()).put("type", day.type())
                    .put("day", day.day().toString()).put("count", day.count());
        }
        Files.writeString(file, truth.toPrettyString());
    }

    public static GroundTruth read(Path file) throws IOException {
        JsonNode truth = WireJson.MAPPER.readTree(Files.readString(file));
        List<Workspace> workspaces = new ArrayList<>();
        truth.path("workspaces").forEach(w -> workspaces.add(new Workspace(w.get("name").asString(), UUID.fromString(w.get("id").asString()))));
        List<Bucket> buckets = new ArrayList<>();
        for (JsonNode bucket : truth.get("expected")) {
            buckets.add(new Bucket(UUID.fromString(bucket.get("workspace").asString()), bucket.get("campaign").asString(),
                    bucket.get("type").asString(), Instant.parse(bucket.get("hour").asString()), bucket.get("count").asLong()));
        }
        List<DayBucket> days = new ArrayList<>();
        for (JsonNode day : truth.path("expected_days")) {
            days.add(new DayBucket(UUID.fromString(day.get("workspace").asString()), day.get("campaign").asString(), day.get("type").asString(),
                    LocalDate.parse(day.get("day").asString()), day.get("count").asLong()));
        }
        return new GroundTruth(truth.path("seed").asLong(), workspaces, truth.path("events_sent").asLong(), truth.path("invalid_sent").asLong(),
                truth.path("duplicates_sent").asLong(), truth.path("sent_through_webhooks").asLong(), buckets, days);
    }
}
