package dev.mailpulse.etl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.etl.job.DailyEtl;
import dev.mailpulse.etl.job.EtlRequest;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.events.EventStore;
import dev.mailpulse.testing.TestDatabase;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The daily ETL against an oracle that counts the same events in Java: days in Europe/Paris across the change to
 * summer time (a 23-hour day) and in Asia/Kathmandu (+05:45), events at the very instants of local midnight; run
 * twice it writes the same rows; a late event is folded in by the next run, which says why; a day that fails
 * restarts alone.
 */
@SpringBootTest(classes = DailyEtlTest.Etl.class, properties = {"spring.batch.job.enabled=false", "spring.batch.jdbc.initialize-schema=always",
        "spring.jooq.sql-dialect=postgres", "mailpulse.etl.max-event-age=3650d"})
class DailyEtlTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres()
            .preparedWith(database -> SchemaMigrator.migrate(database.jdbcUrl(), database.user(), database.password()));

    @SpringBootApplication
    static class Etl {
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        DB.registerDataSource(registry);
    }

    private static final LocalDate DST_DAY = LocalDate.parse("2026-03-29");
    private static final List<String> TYPES = List.of("email.send", "email.deliver", "email.defer", "email.bounce", "email.open", "email.click",
            "email.reply", "email.complaint", "email.unsubscribe", "email.conversion");

    @Autowired
    DailyEtl etl;
    @Autowired
    DSLContext db;

    private final Map<String, ZoneId> zones = Map.of("paris", ZoneId.of("Europe/Paris"), "kathmandu", ZoneId.of("Asia/Kathmandu"));
    private final Map<String, UUID> workspaces = new HashMap<>();
    private final List<Event> events = new ArrayList<>();

    @BeforeEach
    void workspacesAndTheirEvents() {
        db.execute("TRUNCATE events, etl_changes, etl_days, daily_campaign_facts, daily_domain_facts, daily_recipient_facts, "
                + "campaign_daily_kpis, campaign_lifetime_kpis, daily_attribution, campaign_costs");
        db.execute("DELETE FROM workspaces");
        zones.forEach((name, zone) -> {
            UUID id = UUID.randomUUID();
            db.execute("INSERT INTO workspaces (workspace_id, name, time_zone) VALUES (?, ?, ?)", id, name, zone.getId());
            workspaces.put(name, id);
        });
        Random random = new Random(20260329);
        for (String name : zones.keySet()) {
            ZoneId zone = zones.get(name);
            Instant from = DST_DAY.minusDays(1).atStartOfDay(zone).toInstant();
            Instant to = DST_DAY.plusDays(2).atStartOfDay(zone).toInstant();
            for (int i = 0; i < 1_500; i++) {
                Instant at = from.plusSeconds((long) (random.nextDouble() * (to.getEpochSecond() - from.getEpochSecond())));
                events.add(event(name, TYPES.get(random.nextInt(TYPES.size())), at, "r" + random.nextInt(60), random));
            }
            for (LocalDate day = DST_DAY.minusDays(1); day.isBefore(DST_DAY.plusDays(1)); day = day.plusDays(1)) {
                Instant midnight = day.plusDays(1).atStartOfDay(zone).toInstant();
                events.add(event(name, "email.open", midnight, "midnight", random)); // belongs to the new day
                events.add(event(name, "email.open", midnight.minusMillis(1), "before-midnight", random));
            }
        }
        store(events);
    }

    @Test
    void factsEqualTheOracleOnBothSidesOfADaylightSavingChangeAndAtOffsetsOfAQuarterHour() throws Exception {
        JobExecution run = etl.run(asked(DST_DAY.minusDays(1), DST_DAY.plusDays(1)));
        assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(db.fetchValue("SELECT extract(epoch FROM day_end - day_start)::int FROM etl_days WHERE day = ? AND workspace_id = ?", DST_DAY,
                workspaces.get("paris"))).as("a day of 23 hours").isEqualTo(23 * 3600);
        assertThat(facts()).isEqualTo(oracle(events));
        assertThat(db.fetchValue("SELECT unique_human_openers FROM campaign_lifetime_kpis WHERE workspace_id = ? AND campaign_id = 'spring'",
                workspaces.get("kathmandu"))).as("openers over the three days, each once")
                .isEqualTo((long) uniqueHumanOpeners(events, "kathmandu"));
        assertThat(db.fetchValue("SELECT count(*) FROM etl_changes")).as("every change taken").isEqualTo(0L);

        String once = DB.dump().lines().filter(l -> l.startsWith("public.daily_") || l.startsWith("public.campaign_")).sorted().toList().toString();
        assertThat(etl.run(asked(DST_DAY.minusDays(1), DST_DAY.plusDays(1))).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(DB.dump().lines().filter(l -> l.startsWith("public.daily_") || l.startsWith("public.campaign_")).sorted().toList().toString())
                .as("a day run twice gives the same rows").isEqualTo(once);
    }

    @Test
    void aLateEventIsFoldedInByTheNextRunWhichSaysWhy() throws Exception {
        assertThat(etl.run(EtlRequest.due()).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(db.fetchValue("SELECT count(*) FROM etl_days WHERE reason = 'first'")).as("three days of two workspaces").isEqualTo(6L);
        assertThat(facts()).isEqualTo(oracle(events));

        Event late = event("paris", "email.complaint", DST_DAY.atStartOfDay(zones.get("paris")).toInstant().plusSeconds(3600), "r1", new Random(1));
        store(List.of(late));
        events.add(late);
        JobExecution next = etl.run(EtlRequest.due());
        assertThat(next.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(summaries(next)).singleElement().asString().startsWith("paris/" + DST_DAY).contains("again: events arrived after it was processed");
        assertThat(db.fetchValue("SELECT reason FROM etl_days WHERE workspace_id = ? AND day = ?", workspaces.get("paris"), DST_DAY)).isEqualTo("late");
        assertThat(facts()).isEqualTo(oracle(events));
        assertThat(summaries(etl.run(EtlRequest.due()))).as("nothing changed since").isEmpty();
    }

    @Test
    void aDayThatFailedRestartsAloneAndTheResultIsAnUninterruptedRunsOne() throws Exception {
        db.execute("""
                CREATE FUNCTION refuse_a_day() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'the disk is full (a test)'; END $$""");
        db.execute("CREATE TRIGGER refuse_a_day BEFORE INSERT ON daily_recipient_facts FOR EACH ROW WHEN (NEW.day = DATE '" + DST_DAY
                + "' AND NEW.workspace_id = '" + workspaces.get("paris") + "') EXECUTE FUNCTION refuse_a_day()");
        EtlRequest request = asked(DST_DAY.minusDays(1), DST_DAY.plusDays(1));
        JobExecution failed = etl.run(request);
        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(db.fetchValue("SELECT count(*) FROM etl_days")).as("every other day done").isEqualTo(5L);
        db.execute("DROP TRIGGER refuse_a_day ON daily_recipient_facts");

        JobExecution restarted = etl.run(request);
        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(restarted.getJobInstance().getInstanceId()).as("the same run, restarted").isEqualTo(failed.getJobInstance().getInstanceId());
        assertThat(summaries(restarted)).singleElement().asString().startsWith("paris/" + DST_DAY);
        assertThat(facts()).isEqualTo(oracle(events));
    }

    private static EtlRequest asked(LocalDate from, LocalDate to) {
        return new EtlRequest(Optional.of(from), Optional.of(to), Optional.empty());
    }

    private static List<String> summaries(JobExecution run) {
        return run.getStepExecutions().stream().filter(s -> s.getExecutionContext().containsKey("summary"))
                .map(s -> s.getExecutionContext().getString("summary")).sorted().toList();
    }

    /** The facts' rows as the oracle writes them: "workspace day campaign provider type=count ... uniques". */
    private Map<String, String> facts() {
        Map<String, String> facts = new TreeMap<>();
        Map<UUID, String> names = new HashMap<>();
        workspaces.forEach((name, id) -> names.put(id, name));
        for (Record row : db.fetch("SELECT * FROM daily_campaign_facts")) {
            Map<String, Long> counts = new TreeMap<>();
            tools.jackson.databind.JsonNode json = tools.jackson.databind.json.JsonMapper.builder().build()
                    .readTree(row.get("counts").toString());
            json.properties().forEach(e -> counts.put(e.getKey(), e.getValue().asLong()));
            facts.put(names.get(row.get("workspace_id", UUID.class)) + " " + row.get("day") + " " + row.get("campaign_id") + " "
                    + row.get("mailbox_provider"), counts + " human openers " + row.get("unique_human_openers") + " clickers "
                    + row.get("unique_clickers") + " deferred " + row.get("deferred_messages") + " machine opens " + row.get("machine_opens"));
        }
        return facts;
    }

    private Map<String, String> oracle(List<Event> all) {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        Map<String, Set<String>> humanOpeners = new HashMap<>();
        Map<String, Set<String>> clickers = new HashMap<>();
        Map<String, Set<String>> deferred = new HashMap<>();
        Map<String, Long> machineOpens = new HashMap<>();
        for (Event e : all) {
            String name = nameOf(e.workspaceId());
            LocalDate day = e.occurredAt().atZone(zones.get(name)).toLocalDate();
            String key = name + " " + day + " " + e.campaignId() + " " + e.enrichment().get("mailbox_provider").asString();
            counts.computeIfAbsent(key, k -> new TreeMap<>()).merge(e.type().wireName(), 1L, Long::sum);
            boolean automated = e.enrichment().get("automated").asBoolean();
            if (e.type().wireName().equals("email.open") && !automated) {
                humanOpeners.computeIfAbsent(key, k -> new HashSet<>()).add(e.recipient().hash());
            }
            if (e.type().wireName().equals("email.open") && automated) {
                machineOpens.merge(key, 1L, Long::sum);
            }
            if (e.type().wireName().equals("email.click")) {
                clickers.computeIfAbsent(key, k -> new HashSet<>()).add(e.recipient().hash());
            }
            if (e.type().wireName().equals("email.defer")) {
                deferred.computeIfAbsent(key, k -> new HashSet<>()).add(e.messageId());
            }
        }
        Map<String, String> expected = new TreeMap<>();
        counts.forEach((key, byType) -> expected.put(key, byType + " human openers " + humanOpeners.getOrDefault(key, Set.of()).size()
                + " clickers " + clickers.getOrDefault(key, Set.of()).size() + " deferred " + deferred.getOrDefault(key, Set.of()).size()
                + " machine opens " + machineOpens.getOrDefault(key, 0L)));
        return expected;
    }

    private int uniqueHumanOpeners(List<Event> all, String workspace) {
        Set<String> openers = new HashSet<>();
        all.stream().filter(e -> nameOf(e.workspaceId()).equals(workspace) && e.campaignId().equals("spring") && e.type().wireName().equals("email.open")
                        && !e.enrichment().get("automated").asBoolean())
                .forEach(e -> openers.add(e.recipient().hash()));
        return openers.size();
    }

    private String nameOf(UUID workspace) {
        return workspaces.entrySet().stream().filter(e -> e.getValue().equals(workspace)).findFirst().orElseThrow().getKey();
    }

    private void store(List<Event> batch) {
        db.transaction(tx -> new EventStore().store(tx.dsl(), batch));
    }

    private Event event(String workspace, String type, Instant at, String recipient, Random random) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("event_id", UUID.randomUUID().toString());
        json.put("workspace_id", workspaces.get(workspace).toString());
        json.put("type", type);
        json.put("schema_version", 1);
        json.put("occurred_at", at.toString());
        json.put("received_at", at.toString());
        json.put("source", "api");
        json.put("campaign_id", random.nextBoolean() ? "spring" : "autumn");
        json.put("message_id", "<" + recipient + "." + random.nextInt(3) + "@example.com>");
        json.putObject("recipient").put("hash", recipient).put("domain", recipient.hashCode() % 2 == 0 ? "gmail.com" : "yahoo.com");
        ObjectNode attributes = json.putObject("attributes");
        if (type.equals("email.bounce")) {
            attributes.put("bounce_kind", random.nextBoolean() ? "hard" : "soft");
        }
        if (type.equals("email.conversion")) {
            attributes.put("amount", "12.50").put("currency", "EUR");
        }
        json.putObject("enrichment").put("mailbox_provider", recipient.hashCode() % 2 == 0 ? "gmail" : "yahoo")
                .put("automated", (type.equals("email.open") || type.equals("email.click")) && random.nextInt(4) == 0);
        return EventJson.fromJson(json);
    }
}
