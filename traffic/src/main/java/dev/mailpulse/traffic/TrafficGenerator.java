package dev.mailpulse.traffic;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.mailpulse.core.json.WireJson;

/**
 * Sends a {@link Simulation}'s events to the collector at a fixed rate (open loop, in ticks of 100 ms): each workspace
 * with its own API key as NDJSON, and a share through the providers' webhooks. Calls go out on several connections
 * at once; a call refused for now (429, 503) or cut off (the collector restarting) is sent again until it is taken or
 * {@code giveUpAfter} has passed, so that every event is acknowledged once the pipeline is back. Prints progress every
 * second.
 */
public final class TrafficGenerator {

    private static final JsonMapper JSON = WireJson.MAPPER;
    private static final int EVENTS_PER_WEBHOOK_BATCH = 200;

    /** What a run did. */
    public record Sent(long events, long accepted, long rejected, long retries, long throughWebhooks) {
    }

    /** Told when a call is acknowledged: how many events it carried, and when it was answered. */
    public interface Acknowledgements {
        void acknowledged(int workspace, long events, long answeredAtNanos);
    }

    /** One call to the collector; its request is built anew for each attempt (a webhook signature is good once). */
    private record Call(int workspace, int events, Supplier<HttpRequest> request) {
    }

    private final URI collector;
    private final List<String> apiKeys;
    private final Optional<ProviderWebhooks> webhooks;
    private final int connections;
    private final Duration giveUpAfter;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private Acknowledgements acknowledgements = (workspace, events, at) -> { };
    private long webhookEvents;

    public TrafficGenerator(URI collector, List<String> apiKeys, Optional<ProviderWebhooks> webhooks, int connections,
                            Duration giveUpAfter, PrintStream out) {
        this.collector = collector;
        this.apiKeys = apiKeys;
        this.webhooks = webhooks;
        this.connections = connections;
        this.giveUpAfter = giveUpAfter;
        this.out = out;
    }

    public TrafficGenerator onAcknowledged(Acknowledgements listener) {
        this.acknowledgements = listener;
        return this;
    }

    /**
     * Sends about {@code eventsPerSecond} for {@code duration}, then waits for every call to be answered. When the
     * collector cannot keep up, calls queue up to a bound and then the generator falls behind its rate (reported).
     */
    public Sent run(Simulation simulation, int eventsPerSecond, Duration duration) throws InterruptedException {
        ThreadPoolExecutor senders = new ThreadPoolExecutor(connections, connections, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(connections * 4), new ThreadPoolExecutor.CallerRunsPolicy());
        long events = 0;
        Instant start = Instant.now();
        Instant end = start.plus(duration);
        long nextReport = 1;
        try {
            for (long tick = 0; start.plusMillis(tick * 100).isBefore(end) && failure.get() == null; tick++) {
                int due = (int) (eventsPerSecond * (tick + 1) / 10 - eventsPerSecond * tick / 10);
                if (due > 0) {
                    List<Call> calls = calls(simulation.next(due, Instant.now()));
                    for (Call call : calls) {
                        senders.execute(() -> send(call));
                    }
                    events += due;
                }
                long sleep = Duration.between(Instant.now(), start.plusMillis((tick + 1) * 100)).toMillis();
                if (sleep > 0) {
                    Thread.sleep(sleep);
                }
                if (Duration.between(start, Instant.now()).toSeconds() >= nextReport) {
                    out.printf("  %3ds  sent %,d events  accepted %,d  refused at the door %,d  retried calls %,d%s%n", nextReport,
                            events, accepted.get(), rejected.get(), retries.get(), sleep < 0 ? "  (behind the rate)" : "");
                    nextReport++;
                }
            }
        } finally {
            senders.shutdown();
            senders.awaitTermination(giveUpAfter.toSeconds() + 60, TimeUnit.SECONDS);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return new Sent(events, accepted.get(), rejected.get(), retries.get(), webhookEvents);
    }

    private List<Call> calls(List<Simulation.Outgoing> batch) {
        List<StringBuilder> bodies = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        List<List<JsonNode>> sendGrid = new ArrayList<>();
        for (int w = 0; w < apiKeys.size(); w++) {
            bodies.add(new StringBuilder());
            counts.add(0);
            sendGrid.add(new ArrayList<>());
        }
        List<Call> calls = new ArrayList<>();
        for (Simulation.Outgoing outgoing : batch) {
            int w = outgoing.workspace();
            Optional<String> provider = webhooks.flatMap(hooks -> hooks.providerFor(outgoing.event()));
            if (provider.isEmpty()) {
                bodies.get(w).append(outgoing.event()).append('\n');
                counts.set(w, counts.get(w) + 1);
            } else if (provider.get().equals("mailgun")) {
                calls.add(new Call(w, 1, () -> webhooks.get().mailgun(w, outgoing.event())));
                webhookEvents++;
            } else {
                sendGrid.get(w).add(outgoing.event());
                webhookEvents++;
            }
        }
        for (int w = 0; w < apiKeys.size(); w++) {
            int workspace = w;
            for (List<JsonNode> chunk : chunks(sendGrid.get(w), EVENTS_PER_WEBHOOK_BATCH)) {
                calls.add(new Call(w, chunk.size(), () -> webhooks.get().sendGrid(workspace, chunk)));
            }
            if (counts.get(w) > 0) {
                String body = bodies.get(w).toString();
                calls.add(new Call(w, counts.get(w), () -> HttpRequest.newBuilder(collector.resolve("/v1/events"))
                        .header("Authorization", "Bearer " + apiKeys.get(workspace))
                        .header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build()));
            }
        }
        return calls;
    }

    private static List<List<JsonNode>> chunks(List<JsonNode> events, int size) {
        List<List<JsonNode>> chunks = new ArrayList<>();
        for (int from = 0; from < events.size(); from += size) {
            chunks.add(events.subList(from, Math.min(events.size(), from + size)));
        }
        return chunks;
    }

    /** Sends a call until it is answered for good; what is answered for now, or not at all, is sent again. */
    private void send(Call call) {
        long deadline = System.nanoTime() + giveUpAfter.toNanos();
        long backoffMillis = 100;
        while (failure.get() == null) {
            String problem;
            Duration wait = Duration.ofMillis(backoffMillis);
            try {
                HttpResponse<String> response = http.send(call.request().get(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 200 || status == 202) {
                    JsonNode answer = JSON.readTree(response.body());
                    accepted.addAndGet(answer.path("accepted").asLong());
                    rejected.addAndGet(answer.path("rejected").size());
                    acknowledgements.acknowledged(call.workspace(), answer.path("accepted").asLong(), System.nanoTime());
                    return;
                }
                if (status != 429 && status != 503) {
                    failure.compareAndSet(null, new IllegalStateException("the collector answered " + status + ": " + response.body()));
                    return;
                }
                problem = status + " " + response.body();
                wait = response.headers().firstValue("Retry-After").map(s -> Duration.ofSeconds(Long.parseLong(s.strip()))).orElse(wait);
            } catch (IOException e) {
                problem = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (System.nanoTime() > deadline) {
                failure.compareAndSet(null, new IllegalStateException("a call was not taken within " + giveUpAfter + "; last: " + problem));
                return;
            }
            retries.incrementAndGet();
            try {
                Thread.sleep(Math.min(wait.toMillis(), 5_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoffMillis = Math.min(backoffMillis * 2, 2_000);
        }
    }
}
