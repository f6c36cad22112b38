package dev.mailpulse.etl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.events.EventStore;
import dev.mailpulse.testing.TestDatabase;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The task app as its own process, as SCDF and the task launcher run it: killed with {@code kill -9} in the middle
 * of a day, its execution left STARTED; a run while it lives refuses to start; the next launch marks the dead
 * execution FAILED, restarts it, and ends with what an uninterrupted run writes.
 */
class DailyEtlTaskTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres()
            .preparedWith(database -> SchemaMigrator.migrate(database.jdbcUrl(), database.user(), database.password()));

    private static final LocalDate FIRST = LocalDate.parse("2026-10-24");
    private static final LocalDate LAST = LocalDate.parse("2026-10-26"); // Europe/Paris goes back to winter time on the 25th: 25 hours

    @TempDir
    Path logs;

    @Test
    void aRunKilledWithKill9IsRecognisedAsDeadAndTheNextLaunchFinishesItWithTheSameResult() throws Exception {
        DSLContext db = DSL.using(DB.dataSource(), SQLDialect.POSTGRES);
        UUID workspace = UUID.randomUUID();
        db.execute("INSERT INTO workspaces (workspace_id, name, time_zone) VALUES (?, 'paris', 'Europe/Paris')", workspace);
        List<Event> events = new ArrayList<>();
        Instant start = FIRST.atStartOfDay(ZoneId.of("Europe/Paris")).toInstant();
        for (int i = 0; i < 3 * 25 * 60; i++) {
            events.add(event(workspace, i % 3 == 0 ? "email.send" : i % 3 == 1 ? "email.deliver" : "email.open", start.plusSeconds(60L * i), "r" + i % 97));
        }
        db.transaction(tx -> new EventStore().store(tx.dsl(), events));

        Process stuck;
        try (Connection blocker = DB.connect(); Statement statement = blocker.createStatement()) {
            // a writer still storing into the 25th holds its marks: the run waits on them in the middle of that day
            blocker.setAutoCommit(false);
            statement.execute("UPDATE etl_changes SET changed_at = now() WHERE quarter >= '2026-10-25T00:00:00+02' AND quarter < '2026-10-25T06:00:00+01'");
            stuck = launch("stuck");
            waitFor(() -> count("SELECT count(*) FROM batch_step_execution WHERE step_name LIKE 'day:%' AND status = 'STARTED'") > 0
                    && count("SELECT count(*) FROM batch_step_execution WHERE step_name LIKE 'day:%' AND status = 'COMPLETED'") == 2, stuck, "stuck");

            Process second = launch("second");
            assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).as("a run while another lives: " + log("second")).isEqualTo(3);
            assertThat(log("second")).contains("another daily ETL run is in progress");

            stuck.destroyForcibly(); // SIGKILL
            assertThat(stuck.waitFor(60, TimeUnit.SECONDS)).isTrue();
            blocker.rollback();
        }
        assertThat(count("SELECT count(*) FROM batch_job_execution WHERE status = 'STARTED'")).as("left STARTED by the dead run").isEqualTo(1);

        Process next = launch("next");
        assertThat(next.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(next.exitValue()).as(log("next")).isZero();
        assertThat(log("next")).contains("was left STARTED by a run that is gone: marked FAILED").contains("restarting execution")
                .contains("paris/2026-10-25 (Europe/Paris, 25 h)").doesNotContain("paris/2026-10-24 (");
        String restarted = facts();
        assertThat(restarted).contains("2026-10-24", "2026-10-25", "2026-10-26");

        Process uninterrupted = launch("uninterrupted");
        assertThat(uninterrupted.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(uninterrupted.exitValue()).as(log("uninterrupted")).isZero();
        assertThat(facts()).as("what an uninterrupted run writes").isEqualTo(restarted);
        assertThat(count("SELECT count(*) FROM etl_days WHERE workspace_id = '" + workspace + "'")).isEqualTo(3);
    }

    private Process launch(String name) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), DailyEtlApplication.class.getName(), "--from", FIRST.toString(), "--to", LAST.toString(),
                "--spring.datasource.url=" + DB.jdbcUrl(), "--spring.datasource.username=" + DB.user(),
                "--spring.datasource.password=" + DB.password());
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logs.resolve(name + ".log").toFile()).start();
    }

    private String log(String name) throws IOException {
        return Files.readString(logs.resolve(name + ".log"), StandardCharsets.UTF_8);
    }

    private String facts() throws Exception {
        return DB.dump().lines().filter(l -> l.startsWith("public.daily_") || l.startsWith("public.campaign_")).sorted().toList().toString();
    }

    private long count(String sql) {
        try (Connection connection = DB.connect(); Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        } catch (Exception e) {
            return -1; // the job repository's tables are created by the first run
        }
    }

    private void waitFor(java.util.function.BooleanSupplier condition, Process process, String name) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (!condition.getAsBoolean()) {
            assertThat(process.isAlive()).as("the run still going: " + log(name)).isTrue();
            assertThat(Instant.now()).as("waiting for the run: " + log(name)).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private static Event event(UUID workspace, String type, Instant at, String recipient) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("event_id", UUID.randomUUID().toString());
        json.put("workspace_id", workspace.toString());
        json.put("type", type);
        json.put("schema_version", 1);
        json.put("occurred_at", at.toString());
        json.put("received_at", at.toString());
        json.put("source", "api");
        json.put("campaign_id", "autumn");
        json.put("message_id", "<" + recipient + "@example.com>");
        json.putObject("recipient").put("hash", recipient).put("domain", "example.com");
        json.putObject("attributes");
        json.putObject("enrichment").put("mailbox_provider", "gmail").put("automated", false);
        return EventJson.fromJson(json);
    }
}
