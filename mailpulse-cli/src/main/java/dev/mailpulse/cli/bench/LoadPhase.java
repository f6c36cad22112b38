package dev.mailpulse.cli.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives the collector over HTTP with prepared NDJSON requests: open loop (each request sent at its planned time,
 * whatever the answers; the rate is the offered one) or closed loop (each connection sends its next request as soon
 * as the last is answered). Records when each request was acknowledged, for the latency to the stores.
 */
final class LoadPhase {

    /** A prepared request: the workspace's key, the body, how many events it carries. */
    record Request(int workspace, String apiKey, String body, int events) {
    }

    /** One acknowledged request: when, for which workspace, how many events. */
    record Ack(long atNanos, int workspace, int events) {
    }

    /** What a phase did. */
    record Outcome(long startNanos, long acknowledgedEvents, long refusedRequests, double seconds, List<Ack> acks) {
        double eventsPerSecond() {
            return acknowledgedEvents / seconds;
        }
    }

    private final URI collector;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    LoadPhase(URI collector) {
        this.collector = collector;
    }

    /** Sends {@code requests} in order at {@code eventsPerSecond}, on up to {@code connections} at once. */
    Outcome openLoop(List<Request> requests, int eventsPerSecond, int connections) throws InterruptedException {
        ExecutorService senders = Executors.newFixedThreadPool(connections);
        Recorder recorder = new Recorder();
        long start = System.nanoTime();
        long eventsPlanned = 0;
        for (Request request : requests) {
            long due = start + eventsPlanned * 1_000_000_000L / eventsPerSecond;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            senders.execute(() -> recorder.send(request));
            eventsPlanned += request.events();
        }
        senders.shutdown();
        senders.awaitTermination(5, TimeUnit.MINUTES);
        return recorder.outcome(start);
    }

    /** Sends as fast as the collector answers, on {@code connections} connections, for {@code duration}. */
    Outcome closedLoop(List<Request> requests, int connections, Duration duration) throws InterruptedException {
        ExecutorService senders = Executors.newFixedThreadPool(connections);
        Recorder recorder = new Recorder();
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        for (int c = 0; c < connections; c++) {
            senders.execute(() -> {
                for (int i = next.getAndIncrement(); i < requests.size() && System.nanoTime() < end; i = next.getAndIncrement()) {
                    recorder.send(requests.get(i));
                }
            });
        }
        senders.shutdown();
        senders.awaitTermination(5, TimeUnit.MINUTES);
        return recorder.outcome(start);
    }

    private final class Recorder {
        private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
        private final AtomicLong acknowledged = new AtomicLong();
        private final AtomicLong refused = new AtomicLong();
        private final java.util.concurrent.atomic.AtomicReference<String> failure = new java.util.concurrent.atomic.AtomicReference<>();
        private volatile long lastAck;

        /** Sends until acknowledged: a request refused for now (429, 503) or cut off is sent again. */
        void send(Request request) {
            for (int attempt = 0; attempt < 100 && failure.get() == null; attempt++) {
                try {
                    HttpResponse<Void> response = http.send(HttpRequest.newBuilder(collector.resolve("/v1/events"))
                                    .header("Authorization", "Bearer " + request.apiKey())
                                    .header("Content-Type", "application/x-ndjson")
                                    .POST(HttpRequest.BodyPublishers.ofString(request.body(), StandardCharsets.UTF_8)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() == 202) {
                        long now = System.nanoTime();
                        acks.add(new Ack(now, request.workspace(), request.events()));
                        acknowledged.addAndGet(request.events());
                        lastAck = now;
                        return;
                    }
                    refused.incrementAndGet();
                    if (response.statusCode() != 429 && response.statusCode() != 503) {
                        failure.compareAndSet(null, "the collector answered " + response.statusCode());
                        return;
                    }
                } catch (java.io.IOException e) {
                    refused.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            failure.compareAndSet(null, "a request was refused 100 times");
        }

        /** The phase's figures; a phase in which a request was refused for good measured nothing worth reporting. */
        Outcome outcome(long start) {
            if (failure.get() != null) {
                throw new IllegalStateException(failure.get());
            }
            return new Outcome(start, acknowledged.get(), refused.get(), Math.max(1, lastAck - start) / 1e9, List.copyOf(acks));
        }
    }
}
