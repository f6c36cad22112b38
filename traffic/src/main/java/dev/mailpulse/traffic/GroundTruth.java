package dev.mailpulse.traffic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
 * hour) bucket the run sent to (its distinct valid events, plus what the bucket held before the run), and how many
 * invalid events and duplicates were sent besides.
 *
 * @param workspaces the run's workspaces, by name and id
 */
public record GroundTruth(long seed, List<Workspace> workspaces, long eventsSent, long invalidSent, long duplicatesSent,
                          long sentThroughWebhooks, List<Bucket> expected) {

    public record Workspace(String name, UUID id) {
    }

    /** One bucket's count of distinct valid events; {@code campaign} is "" for events of no campaign. */
    public record Bucket(UUID workspace, String campaign, String type, Instant hour, long count) {
    }

    /** A bucket's key. */
    public record Key(UUID workspace, String campaign, String type, Instant hour) {
    }

    public GroundTruth {
        workspaces = List.copyOf(workspaces);
        expected = List.copyOf(expected);
    }

    /**
     * The truth of a simulation that ran for the given workspaces (in the simulation's order), over what the buckets
     * held {@code before} it.
     */
    static GroundTruth of(long seed, List<Workspace> workspaces, Simulation simulation, TrafficGenerator.Sent sent, Map<Key, Long> before) {
        Map<Key, Long> counts = new TreeMap<>(Comparator.comparing(Key::workspace).thenComparing(Key::campaign).thenComparing(Key::type)
                .thenComparing(Key::hour));
        counts.putAll(before);
        for (Map.Entry<Simulation.TruthKey, Long> entry : simulation.truth().entrySet()) {
            Simulation.TruthKey key = entry.getKey();
            counts.merge(new Key(workspaces.get(key.workspace()).id(), key.campaign(), key.type(), key.hour()), entry.getValue(), Long::sum);
        }
        List<Bucket> buckets = new ArrayList<>();
        counts.forEach((key, count) -> buckets.add(new Bucket(key.workspace(), key.campaign(), key.type(), key.hour(), count)));
        return new GroundTruth(seed, workspaces, sent.events(), simulation.invalid(), simulation.duplicates(), sent.throughWebhooks(), buckets);
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
        return new GroundTruth(truth.path("seed").asLong(), workspaces, truth.path("events_sent").asLong(), truth.path("invalid_sent").asLong(),
                truth.path("duplicates_sent").asLong(), truth.path("sent_through_webhooks").asLong(), buckets);
    }
}
