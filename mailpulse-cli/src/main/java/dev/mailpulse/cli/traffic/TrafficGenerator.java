package dev.mailpulse.cli.traffic;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends a {@link Simulation}'s events to the collector at a fixed rate (open loop, in ticks of 100 ms), each
 * workspace with its own API key, as NDJSON; requests refused for now (429, 503) are sent again. Prints progress
 * every second.
 */
public final class TrafficGenerator {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What a run did. */
    public record Sent(long events, long accepted, long rejected, long retries) {
    }

    private record Request(int workspace, String body) {
    }

    private final URI collector;
    private final List<String> apiKeys;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public TrafficGenerator(URI collector, List<String> apiKeys, PrintStream out) {
        this.collector = collector;
        this.apiKeys = apiKeys;
        this.out = out;
    }

    public Sent run(Simulation simulation, int eventsPerSecond, Duration duration) throws IOException, InterruptedException {
        long events = 0;
        long accepted = 0;
        long rejected = 0;
        long retries = 0;
        Deque<Request> waiting = new ArrayDeque<>();
        Instant start = Instant.now();
        Instant end = start.plus(duration);
        long nextReport = 1;
        for (long tick = 0; ; tick++) {
            Instant tickAt = start.plusMillis(tick * 100);
            if (!tickAt.isBefore(end) && waiting.isEmpty()) {
                break;
            }
            if (tickAt.isBefore(end)) {
                int due = (int) (eventsPerSecond * (tick + 1) / 10 - eventsPerSecond * tick / 10);
                if (due > 0) {
                    waiting.addAll(requests(simulation.next(due, Instant.now())));
                    events += due;
                }
            }
            List<Request> again = new ArrayList<>();
            while (!waiting.isEmpty()) {
                Request request = waiting.poll();
                HttpResponse<String> response = post(request);
                if (response.statusCode() == 202) {
                    JsonNode answer = JSON.readTree(response.body());
                    accepted += answer.get("accepted").asLong();
                    rejected += answer.get("rejected").size();
                } else if (response.statusCode() == 429 || response.statusCode() == 503) {
                    again.add(request);
                    retries++;
                } else {
                    throw new IllegalStateException("the collector answered " + response.statusCode() + ": " + response.body());
                }
            }
            waiting.addAll(again);
            long sleep = Duration.between(Instant.now(), start.plusMillis((tick + 1) * 100)).toMillis();
            if (sleep > 0) {
                Thread.sleep(sleep);
            }
            if (Duration.between(start, Instant.now()).toSeconds() >= nextReport) {
                out.printf("  %3ds  sent %,d events  accepted %,d  refused at the door %,d  retried requests %,d%n",
                        nextReport, events, accepted, rejected, retries);
                nextReport++;
            }
        }
        return new Sent(events, accepted, rejected, retries);
    }

    private List<Request> requests(List<Simulation.Outgoing> batch) {
        List<StringBuilder> bodies = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (int w = 0; w < apiKeys.size(); w++) {
            bodies.add(new StringBuilder());
            counts.add(0);
        }
        for (Simulation.Outgoing outgoing : batch) {
            bodies.get(outgoing.workspace()).append(outgoing.event()).append('\n');
            counts.set(outgoing.workspace(), counts.get(outgoing.workspace()) + 1);
        }
        List<Request> requests = new ArrayList<>();
        for (int w = 0; w < apiKeys.size(); w++) {
            if (counts.get(w) > 0) {
                requests.add(new Request(w, bodies.get(w).toString()));
            }
        }
        return requests;
    }

    private HttpResponse<String> post(Request request) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(collector.resolve("/v1/events"))
                .header("Authorization", "Bearer " + apiKeys.get(request.workspace()))
                .header("Content-Type", "application/x-ndjson")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(request.body(), StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
