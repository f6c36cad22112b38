package dev.mailpulse.traffic;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.mailpulse.core.json.WireJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The client side of the history import ({@code POST /v1/import}, an admin key): NDJSON lines sent in calls of up to
 * {@link #LINES_PER_CALL} lines or {@link #BYTES_PER_CALL} bytes over several connections. A call the collector
 * answers "not now" (429, 503) or that cannot reach it is sent again until it is taken or {@code giveUpAfter} has
 * passed; a call refused whole (a line over the collector's size limit, say) is split until the refusal falls on the
 * lines that earn it, so that one bad line costs only itself. {@link #add} the lines, then {@link #finish}.
 */
public final class HistoryImport {

    /** Lines in one call, well under the collector's default of 10,000 events a request. */
    public static final int LINES_PER_CALL = 2_000;
    /** Bytes in one call, under the collector's default body limit of 5 MB. */
    public static final int BYTES_PER_CALL = 4 * 1024 * 1024;

    /** A line not taken: its number in the input (from 1), why, and where in it. */
    public record Refusal(long line, String reason, String field) {
    }

    /** What an import did: the lines read, accepted and refused (the first refusals kept), and the events' time range. */
    public record Summary(long lines, long accepted, long refused, List<Refusal> firstRefusals, Optional<Instant> earliest,
                          Optional<Instant> latest) {
    }

    private record Line(long number, String text) {
    }

    private static final int REFUSALS_KEPT = 20;

    private final URI endpoint;
    private final String adminKey;
    private final Duration giveUpAfter;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ThreadPoolExecutor senders;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final List<Refusal> firstRefusals = new ArrayList<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private List<Line> pending = new ArrayList<>();
    private long pendingBytes;
    private long lines;
    private Instant earliest;
    private Instant latest;

    public HistoryImport(URI collector, String adminKey, int connections, Duration giveUpAfter) {
        this.endpoint = collector.resolve("/v1/import");
        this.adminKey = adminKey;
        this.giveUpAfter = giveUpAfter;
        this.senders = new ThreadPoolExecutor(connections, connections, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(connections * 2),
                new ThreadPoolExecutor.CallerRunsPolicy());
    }

    /** The next line of the input (blank lines are skipped, but counted for the line numbers). */
    public void add(String line) {
        lines++;
        if (line.isBlank()) {
            return;
        }
        failIfFailed();
        noteTime(line);
        int bytes = line.getBytes(StandardCharsets.UTF_8).length + 1;
        if (!pending.isEmpty() && (pending.size() >= LINES_PER_CALL || pendingBytes + bytes > BYTES_PER_CALL)) {
            dispatch();
        }
        pending.add(new Line(lines, line));
        pendingBytes += bytes;
    }

    /** Sends what is left, waits for every call to be answered, and says what was done. */
    public Summary finish() throws InterruptedException {
        if (!pending.isEmpty()) {
            dispatch();
        }
        senders.shutdown();
        senders.awaitTermination(giveUpAfter.toSeconds() + 60, TimeUnit.SECONDS);
        failIfFailed();
        synchronized (firstRefusals) {
            return new Summary(lines, accepted.get(), refused.get(), List.copyOf(firstRefusals), Optional.ofNullable(earliest),
                    Optional.ofNullable(latest));
        }
    }

    /** One line of progress: lines read, accepted, refused, calls sent again. */
    public String progress() {
        return String.format("read %,d lines  accepted %,d  refused %,d  calls retried %,d", lines, accepted.get(), refused.get(), retries.get());
    }

    private void dispatch() {
        List<Line> call = pending;
        pending = new ArrayList<>();
        pendingBytes = 0;
        senders.execute(() -> send(call));
    }

    private void send(List<Line> call) {
        try {
            sendUntilAnswered(call);
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sendUntilAnswered(List<Line> call) throws InterruptedException {
        StringBuilder body = new StringBuilder();
        call.forEach(line -> body.append(line.text()).append('\n'));
        long deadline = System.nanoTime() + giveUpAfter.toNanos();
        long backoffMillis = 100;
        while (failure.get() == null) {
            String problem;
            Duration wait = Duration.ofMillis(backoffMillis);
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint).header("Authorization", "Bearer " + adminKey)
                        .header("Content-Type", "application/x-ndjson").timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 202) {
                    JsonNode answer = WireJson.MAPPER.readTree(response.body());
                    accepted.addAndGet(answer.path("accepted").asLong());
                    for (JsonNode rejection : answer.path("rejected")) {
                        refuse(call.get(rejection.path("index").asInt()).number(), rejection.path("reason").asString(""),
                                rejection.path("field").asString(null));
                    }
                    return;
                }
                if (status == 401 || status == 403) {
                    throw new IllegalStateException("the collector refused the import's key: " + status + " " + response.body());
                }
                if (status != 429 && status != 503) {
                    refusedWhole(call, response);
                    return;
                }
                problem = status + " " + response.body();
                wait = response.headers().firstValue("Retry-After").map(s -> Duration.ofSeconds(Long.parseLong(s.strip()))).orElse(wait);
            } catch (IOException e) {
                problem = e.toString();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("a call of the import was not taken within " + giveUpAfter + "; last: " + problem);
            }
            retries.incrementAndGet();
            Thread.sleep(Math.min(wait.toMillis(), 5_000));
            backoffMillis = Math.min(backoffMillis * 2, 2_000);
        }
    }

    /** A call refused whole: split it until the refusal falls on single lines. */
    private void refusedWhole(List<Line> call, HttpResponse<String> response) throws InterruptedException {
        if (call.size() > 1) {
            sendUntilAnswered(call.subList(0, call.size() / 2));
            sendUntilAnswered(call.subList(call.size() / 2, call.size()));
            return;
        }
        String reason;
        String field;
        try {
            JsonNode error = WireJson.MAPPER.readTree(response.body());
            reason = error.path("reason").asString(response.statusCode() + " " + response.body());
            field = error.path("where").asString(null);
        } catch (JacksonException e) {
            reason = response.statusCode() + " " + response.body();
            field = null;
        }
        refuse(call.get(0).number(), reason, field);
    }

    private void refuse(long line, String reason, String field) {
        refused.incrementAndGet();
        synchronized (firstRefusals) {
            if (firstRefusals.size() < REFUSALS_KEPT) {
                firstRefusals.add(new Refusal(line, reason, field));
            }
        }
    }

    private void noteTime(String line) {
        try {
            Instant at = Instant.parse(WireJson.MAPPER.readTree(line).path("occurred_at").asString(""));
            earliest = earliest == null || at.isBefore(earliest) ? at : earliest;
            latest = latest == null || at.isAfter(latest) ? at : latest;
        } catch (JacksonException | DateTimeParseException e) {
            // the collector or the validator will say what is wrong with this line
        }
    }

    private void failIfFailed() {
        if (failure.get() != null) {
            senders.shutdownNow();
            throw failure.get();
        }
    }
}
