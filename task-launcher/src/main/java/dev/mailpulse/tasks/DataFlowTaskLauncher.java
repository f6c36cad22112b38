package dev.mailpulse.tasks;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import dev.mailpulse.core.json.WireJson;
import tools.jackson.databind.JsonNode;

/**
 * A task launched by a Spring Cloud Data Flow server (2.11) through its REST API, on whatever platform it deploys to:
 * {@code POST /tasks/executions/launch} with the task's definition name and arguments, then its execution polled
 * until it has ended, however long it runs. The task must be defined there ({@code scdf/deploy.sh} defines
 * {@code daily-etl} and {@code ml-train}). A server that restarts while the task runs is waited for; one that has not
 * told the execution's state for {@code patience} (unreachable, or the execution unknown to it) ends the wait with an
 * error rather than polling forever.
 */
public final class DataFlowTaskLauncher implements TaskLauncher {

    private static final Duration POLL = Duration.ofSeconds(2);
    /** How long a server may leave the execution's state untold before the wait is given up. */
    static final Duration PATIENCE = Duration.ofMinutes(5);

    private final URI server;
    private final Duration patience;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public DataFlowTaskLauncher(URI server) {
        this(server, PATIENCE);
    }

    DataFlowTaskLauncher(URI server, Duration patience) {
        this.server = URI.create(server.toString().replaceAll("/+$", "") + "/");
        this.patience = patience;
    }

    @Override
    public Outcome run(String task, List<String> arguments, Consumer<String> progress) throws Exception {
        String form = "name=" + encode(task) + "&arguments=" + encode(String.join(" ", arguments));
        HttpResponse<String> launched = http.send(HttpRequest.newBuilder(server.resolve("tasks/executions/launch"))
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (launched.statusCode() / 100 != 2) {
            throw new IllegalStateException("Data Flow at " + server + " refused to launch " + task + ": " + launched.statusCode() + " " + launched.body());
        }
        JsonNode launch = WireJson.MAPPER.readTree(launched.body());
        long id = launch.isNumber() ? launch.asLong() : launch.get("executionId").asLong();
        String schemaTarget = launch.path("schemaTarget").asString("");
        progress.accept("Data Flow launched " + task + " as task execution " + id + (schemaTarget.isEmpty() ? "" : " (" + schemaTarget + ")"));
        URI execution = server.resolve("tasks/executions/" + id + (schemaTarget.isEmpty() ? "" : "?schemaTarget=" + encode(schemaTarget)));
        String last = "";
        Instant told = Instant.now();
        String untold = "";
        while (true) {
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(execution).timeout(Duration.ofSeconds(30)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    told = Instant.now();
                    JsonNode state = WireJson.MAPPER.readTree(answer.body());
                    String status = state.path("taskExecutionStatus").asString("UNKNOWN");
                    if (!status.equals(last)) {
                        progress.accept(task + " (execution " + id + "): " + status);
                        last = status;
                    }
                    if (!state.path("endTime").isNull() && !state.path("endTime").isMissingNode()) {
                        return new Outcome(task, state.path("exitCode").asInt(1), "Data Flow task execution " + id);
                    }
                } else {
                    untold = "HTTP " + answer.statusCode();
                }
            } catch (IOException e) {
                untold = e.toString();
            }
            if (Duration.between(told, Instant.now()).compareTo(patience) > 0) {
                throw new IllegalStateException("Data Flow at " + server + " has not told the state of " + task + " (task execution " + id
                        + ") for " + patience.toSeconds() + " s (last: " + untold + "); it may still be running there");
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
