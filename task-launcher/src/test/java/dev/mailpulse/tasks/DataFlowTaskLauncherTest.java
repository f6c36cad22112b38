package dev.mailpulse.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The launcher against an HTTP server that answers as Data Flow 2.11's REST API does: the launch's form, an
 * execution polled until it ends, a server that stops telling the execution's state.
 */
class DataFlowTaskLauncherTest {

    private HttpServer server;
    private final List<String> launches = new CopyOnWriteArrayList<>();
    private final AtomicInteger polls = new AtomicInteger();
    private volatile boolean executionKnown = true;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/tasks/executions/launch", exchange -> {
            launches.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(exchange, 201, "{\"executionId\": 7, \"schemaTarget\": \"boot3\"}");
        });
        server.createContext("/tasks/executions/7", exchange -> {
            if (!executionKnown) {
                answer(exchange, 404, "{\"message\": \"no such execution\"}");
            } else if (polls.incrementAndGet() < 2) {
                answer(exchange, 200, "{\"taskExecutionStatus\": \"RUNNING\", \"endTime\": null}");
            } else {
                answer(exchange, 200, "{\"taskExecutionStatus\": \"COMPLETE\", \"endTime\": \"2026-12-04T05:00:00Z\", \"exitCode\": 0}");
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void launchesAndWaitsForTheEnd() throws Exception {
        List<String> progress = new CopyOnWriteArrayList<>();
        TaskLauncher.Outcome outcome = new DataFlowTaskLauncher(url(), Duration.ofSeconds(30)).run("daily-etl", List.of("--date=2026-03-29"),
                progress::add);
        assertThat(outcome.exitCode()).isZero();
        assertThat(launches).containsExactly("name=daily-etl&arguments=--date%3D2026-03-29");
        assertThat(progress).containsExactly("Data Flow launched daily-etl as task execution 7 (boot3)", "daily-etl (execution 7): RUNNING",
                "daily-etl (execution 7): COMPLETE");
    }

    @Test
    void givesUpOnAServerThatNoLongerTellsTheState() {
        executionKnown = false;
        assertThatThrownBy(() -> new DataFlowTaskLauncher(url(), Duration.ofSeconds(3)).run("daily-etl", List.of(), line -> { }))
                .hasMessageContaining("has not told the state of daily-etl (task execution 7) for 3 s (last: HTTP 404)");
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
