package dev.mailpulse.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.mailpulse.testing.TestDatabase;

/**
 * What the read model promises on every engine: exact counts in every bucket, including events that arrive late into
 * a bucket already aggregated, duplicates counted once, and the same relations and columns.
 */
abstract class ReadModelContract {

    private static final Instant DAY_ONE = Instant.parse("2026-11-20T00:00:00Z");

    abstract TestDatabase database();

    abstract StorageEngine expectedEngine();

    /** Brings aggregates up to date where the engine does it in the background (a no-op where it is synchronous). */
    abstract void settle(DSLContext db);

    private DSLContext db;

    @BeforeEach
    void migrateAndEmpty() throws SQLException {
        SchemaMigrator.Outcome outcome = new SchemaMigrator(
                new DatabaseSettings(database().jdbcUrl(), database().user(), database().password()),
                StorageSettings.defaults()).migrate();
        assertThat(outcome.engine()).isEqualTo(expectedEngine());
        db = DSL.using(database().dataSource(), SQLDialect.POSTGRES);
        db.truncate(dev.mailpulse.storage.jooq.Tables.EVENTS).execute();
        truncateAggregates(db);
        settle(db);
    }

    /** Empties what the engine derives from the raw store, so each test starts from nothing. */
    abstract void truncateAggregates(DSLContext db);

    @Test
    void theReadModelHasTheSameRelationsAndColumnsOnEveryEngine() throws SQLException {
        try (Connection connection = database().connect()) {
            assertThat(ReadModelShape.of(connection)).isEqualTo(ReadModelShape.EXPECTED);
        }
    }

    @Test
    void countsAreExactWithLateOutOfOrderAndDuplicateEvents() {
        KnownEvents known = new KnownEvents(42, DAY_ONE, Duration.ofDays(2));
        List<KnownEvents.Row> stored = new ArrayList<>(known.fresh(3_000));
        KnownEvents.insert(db, known.shuffled(stored), 250);
        settle(db);
        assertThat(KnownEvents.readModel(db)).isEqualTo(KnownEvents.groundTruth(stored));

        // Late events into buckets that were already aggregated, mixed with redeliveries of stored events.
        List<KnownEvents.Row> late = known.fresh(1_000);
        List<KnownEvents.Row> redelivered = known.redeliveriesOf(stored, 600);
        List<KnownEvents.Row> second = new ArrayList<>(late);
        second.addAll(redelivered);
        second.addAll(known.redeliveriesOf(late, 200)); // duplicates inside the same batches too
        KnownEvents.insert(db, known.shuffled(second), 300);
        stored.addAll(second);
        settle(db);
        assertThat(KnownEvents.readModel(db)).isEqualTo(KnownEvents.groundTruth(stored));
        assertThat(db.fetchCount(dev.mailpulse.storage.jooq.Tables.EVENTS)).isEqualTo(4_000);
    }

    @Test
    void aRecipientOpeningManyTimesIsOneUniqueOpenerAndHumanOnlyWhenNotAMachine() {
        KnownEvents known = new KnownEvents(7, DAY_ONE, Duration.ofMinutes(1));
        KnownEvents.Row first = known.fresh(1, DAY_ONE, Duration.ofSeconds(1)).get(0);
        KnownEvents.Row machineOpen = new KnownEvents.Row(new java.util.UUID(1, 1), DAY_ONE.plusSeconds(5), first.workspaceId(),
                "campaign-a", "email.open", "apple", true, "jane");
        KnownEvents.Row humanOpen = new KnownEvents.Row(new java.util.UUID(1, 2), DAY_ONE.plusSeconds(20), first.workspaceId(),
                "campaign-a", "email.open", "apple", false, "jane");
        KnownEvents.Row humanAgain = new KnownEvents.Row(new java.util.UUID(1, 3), DAY_ONE.plusSeconds(40), first.workspaceId(),
                "campaign-a", "email.open", "apple", false, "jane");
        KnownEvents.insert(db, List.of(machineOpen), 10);
        KnownEvents.insert(db, List.of(humanOpen, humanAgain, machineOpen), 10);
        settle(db);
        KnownEvents.Counts minute = KnownEvents.readModel(db).get(new KnownEvents.Key("1m", DAY_ONE, first.workspaceId(),
                "campaign-a", "email.open", "apple"));
        assertThat(minute).isEqualTo(new KnownEvents.Counts(3, 1, 1, 1));
    }

    @Test
    void concurrentWritersOfOverlappingBatchesStillCountEachEventOnce() throws Exception {
        KnownEvents known = new KnownEvents(99, DAY_ONE, Duration.ofHours(3));
        List<KnownEvents.Row> rows = known.fresh(2_000);
        List<List<KnownEvents.Row>> deliveries = List.of(known.shuffled(rows), known.shuffled(rows), known.shuffled(rows));
        ExecutorService writers = Executors.newFixedThreadPool(deliveries.size());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (List<KnownEvents.Row> delivery : deliveries) {
                done.add(writers.submit(() -> KnownEvents.insert(DSL.using(database().dataSource(), SQLDialect.POSTGRES), delivery, 200)));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            writers.shutdownNow();
        }
        settle(db);
        assertThat(KnownEvents.readModel(db)).isEqualTo(KnownEvents.groundTruth(rows));
    }
}
