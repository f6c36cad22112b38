package dev.mailpulse.cli.bench;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.postgresql.PGConnection;

import dev.mailpulse.storage.DatabaseSettings;

/**
 * The limits the pipeline is bounded by, measured on this machine in the same run: RabbitMQ's own PerfTest with
 * persistent messages and publisher confirms, and PostgreSQL's COPY of event-shaped rows into a table shaped like
 * the raw event table (its columns, primary key and indexes, without the read model's trigger).
 */
final class RawLimits {

    /** PerfTest's rate for one message size. */
    record Broker(int messageBytes, double messagesPerSecond) {
    }

    private static final Pattern SENDING_RATE = Pattern.compile("sending rate avg: (\\d+) msg/s");

    private final PrintStream out;

    RawLimits(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs RabbitMQ PerfTest (com.rabbitmq:perf-test, from Maven Central, inside this command's jar): one producer and
     * one consumer on a durable queue, persistent messages, up to 200 unconfirmed, for {@code seconds}.
     */
    Broker rabbitMq(String amqpUri, int messageBytes, int seconds) throws IOException, InterruptedException {
        String jar = System.getProperty("java.class.path"); // this command's own jar (java -jar), PerfTest inside
        String queue = "mailpulse-bench-perftest-" + UUID.randomUUID();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", jar, "-Dloader.main=com.rabbitmq.perf.PerfTest", "org.springframework.boot.loader.launch.PropertiesLauncher",
                "--uri", amqpUri, "--producers", "1", "--consumers", "1", "--flag", "persistent", "--confirm", "200",
                "--size", Integer.toString(messageBytes), "--time", Integer.toString(seconds), "--queue", queue,
                "--auto-delete", "true", "--interval", Integer.toString(seconds)));
        File log = File.createTempFile("perftest", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        if (!process.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("PerfTest did not finish; see " + log);
        }
        String output = Files.readString(log.toPath());
        Matcher rate = SENDING_RATE.matcher(output);
        if (!rate.find()) {
            throw new IllegalStateException("PerfTest printed no sending rate:\n" + output);
        }
        Files.delete(log.toPath());
        return new Broker(messageBytes, Double.parseDouble(rate.group(1)));
    }

    /** COPY of {@code rows} event-shaped rows; rows per second. */
    double postgresCopy(DatabaseSettings database, int rows) throws SQLException, IOException {
        String table = "bench_copy_events";
        try (Connection connection = DriverManager.getConnection(database.url(), database.user(), database.password())) {
            try (var statement = connection.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS " + table);
                statement.execute("CREATE TABLE " + table + " (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)");
            }
            StringBuilder data = new StringBuilder(rows * 300);
            Random random = new Random(5);
            UUID workspace = UUID.randomUUID();
            String[] types = {"email.send", "email.deliver", "email.open", "email.click", "email.bounce"};
            Instant now = Instant.now();
            for (int i = 0; i < rows; i++) {
                String type = types[random.nextInt(types.length)];
                data.append(new UUID(random.nextLong(), random.nextLong())).append('\t')
                        .append(now.minusMillis(random.nextInt(3_600_000))).append('\t').append(now).append('\t')
                        .append(workspace).append('\t').append(type).append("\t1\tapi\tcampaign-").append(random.nextInt(20)).append('\t')
                        .append("<m").append(i).append("@mail.example>\t").append(String.format("%064x", random.nextLong()))
                        .append("\tgmail.com\tgmail\t").append(type.equals("email.open") && random.nextInt(4) == 0 ? 't' : 'f')
                        .append("\t{\"smtp_code\":250}\t{\"mailbox_provider\":\"gmail\",\"automated\":false}\n");
            }
            long start = System.nanoTime();
            long copied = connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table
                    + " (event_id, occurred_at, received_at, workspace_id, event_type, schema_version, source, campaign_id, message_id,"
                    + " recipient_hash, recipient_domain, mailbox_provider, automated, attributes, enrichment) FROM STDIN",
                    new StringReader(data.toString()));
            double seconds = (System.nanoTime() - start) / 1e9;
            try (var statement = connection.createStatement()) {
                statement.execute("DROP TABLE " + table);
            }
            out.printf("  COPY of %,d event rows: %.1f s%n", copied, seconds);
            return copied / seconds;
        }
    }
}
