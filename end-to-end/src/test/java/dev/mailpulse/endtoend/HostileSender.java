package dev.mailpulse.endtoend;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.mailpulse.hostile.HostileJson;

/**
 * Beside the generator, a careless client of the collector: once a second, a request of good events with one hostile
 * item among them (of a class that must end as a failure), retried as the generator retries (refused for now, or cut
 * off by a restart). It remembers what the collector acknowledged, for the test to find again.
 */
final class HostileSender implements AutoCloseable {

    private final URI collector;
    private final String apiKey;
    private final HostileJson generator;
    private final Random random;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Thread thread;
    /** The acknowledged items, good and hostile. */
    private final List<HostileJson.Item> acknowledged = new ArrayList<>();
    private final List<String> refusals = new ArrayList<>();

    HostileSender(URI collector, String apiKey, UUID workspace, long seed) {
        this.collector = collector;
        this.apiKey = apiKey;
        this.generator = new HostileJson(seed, workspace);
        this.random = new Random(seed);
        this.thread = new Thread(this::run, "hostile-sender");
    }

    HostileSender start() {
        thread.start();
        return this;
    }

    synchronized List<HostileJson.Item> acknowledged() {
        return List.copyOf(acknowledged);
    }

    synchronized List<String> refusals() {
        return List.copyOf(refusals);
    }

    @Override
    public void close() throws InterruptedException {
        stopped.set(true);
        thread.join(Duration.ofMinutes(6).toMillis());
    }

    private void run() {
        while (!stopped.get()) {
            List<HostileJson.Item> items = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                items.add(generator.good());
            }
            items.add(random.nextInt(items.size() + 1), generator.invalid(false));
            boolean ndjson = random.nextBoolean();
            String body = ndjson ? String.join("\n", items.stream().map(HostileJson.Item::json).toList()) : HostileJson.array(items);
            int status = sendUntilTaken(body, ndjson ? "application/x-ndjson" : "application/json");
            synchronized (this) {
                if (status == 202) {
                    acknowledged.addAll(items);
                } else {
                    refusals.add(status + " for " + items.stream().filter(i -> !i.good()).toList());
                }
            }
            sleep(1_000);
        }
    }

    private int sendUntilTaken(String body, String contentType) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(collector.resolve("/v1/events"))
                        .header("Authorization", "Bearer " + apiKey).header("Content-Type", contentType).timeout(Duration.ofSeconds(15))
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 429 && response.statusCode() != 503 || System.nanoTime() > deadline) {
                    return response.statusCode();
                }
            } catch (IOException cutOff) {
                if (System.nanoTime() > deadline) {
                    return -1;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
            sleep(500);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
