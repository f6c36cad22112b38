package dev.mailpulse.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.opentest4j.TestAbortedException;

/**
 * Restarts the machine's own PostgreSQL, RabbitMQ and Redis, for fault tests: the same commands that start them on this kind
 * of machine (see README.md). Only when the tests use the local services (not Testcontainers) and the commands are
 * here; otherwise the test is reported as skipped, with the reason.
 */
public final class LocalServices {

    private LocalServices() {
    }

    /** Skips the calling test unless the local services are in use and can be restarted from here. */
    public static void assumeRestartable() {
        if (Docker.available()) {
            throw new TestAbortedException("the test services run in containers; this fault test restarts the local services");
        }
        for (String command : List.of("rabbitmqctl", "rabbitmq-server", "pg_ctlcluster", "redis-cli", "redis-server")) {
            if (!onPath(command)) {
                throw new TestAbortedException("'" + command + "' is not on this machine, so the local services cannot be restarted");
            }
        }
    }

    /** Stops the RabbitMQ node and starts it again; returns once it accepts connections. */
    public static void restartRabbitMq() throws IOException, InterruptedException {
        run(List.of("rabbitmqctl", "stop"), 120);
        run(List.of("rabbitmq-server", "-detached"), 60);
        // The detached node takes a moment to register before await_startup can find it.
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (true) {
            try {
                run(List.of("rabbitmqctl", "await_startup", "--timeout", "30"), 60);
                return;
            } catch (IllegalStateException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(1_000);
            }
        }
    }

    /**
     * Stops Redis without saving (it comes back empty, as a Redis without persistence does after a crash) and starts
     * it again as {@code .ci/run} does; returns once it answers.
     */
    public static void restartRedis() throws IOException, InterruptedException {
        run(List.of("redis-cli", "-h", "127.0.0.1", "-p", "6379", "shutdown", "nosave"), 30);
        Files.createDirectories(Path.of("/var/lib/redis"));
        Files.createDirectories(Path.of("/var/log/redis"));
        run(List.of("redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "", "--appendonly", "no",
                "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log"), 30);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                run(List.of("redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping"), 10);
                return;
            } catch (IllegalStateException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(200);
            }
        }
    }

    /** Restarts the local PostgreSQL cluster (fast shutdown: sessions are cut, as in a crash of the clients' view). */
    public static void restartPostgres() throws IOException, InterruptedException {
        String version;
        try (var versions = Files.list(Path.of("/etc/postgresql"))) {
            version = versions.map(p -> p.getFileName().toString()).sorted().reduce((a, b) -> b)
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL cluster under /etc/postgresql"));
        }
        run(List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart", "-m", "fast"), 120);
    }

    private static void run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        // Output to a file, not a pipe: a daemon started by the command would hold a pipe open.
        File output = File.createTempFile("mailpulse-service", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(output.toPath()));
            }
        } finally {
            Files.deleteIfExists(output.toPath());
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, command).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
