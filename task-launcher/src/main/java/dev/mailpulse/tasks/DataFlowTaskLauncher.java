package dev.mailpulse.tasks;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import dev.mailpulse.core.json.WireJson;
import tools.jackson.databind.JsonNode;

/**
 * A task launched by a Spring Cloud Data Flow server (2.11) through its REST API, on whatever platform it deploys to:
 * {@code POST /tasks/executions/launch} with the task's definition name and arguments, then its execution polled
 * until it has ended. The task must be defined there ({@code scdf/deploy.sh} defines {@code daily-etl} and
 * {@code ml-train}).
 */
public final class DataFlowTaskLauncher implements TaskLauncher {

    private static final Duration POLL = Duration.ofSeconds(2);

    private final URI server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public DataFlowTaskLauncher(URI server) {
        this.server = URI.create(server.toString().replaceAll("/+$", "") + "/");
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
        while (true) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(execution).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200) {
                JsonNode state = WireJson.MAPPER.readTree(answer.body());
                String status = state.path("taskExecutionStatus").asString("UNKNOWN");
                if (!status.equals(last)) {
                    progress.accept(task + " (execution " + id + "): " + status);
                    last = status;
                }
                if (!state.path("endTime").isNull() && !state.path("endTime").isMissingNode()) {
                    return new Outcome(task, state.path("exitCode").asInt(1), "Data Flow task execution " + id);
                }
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
