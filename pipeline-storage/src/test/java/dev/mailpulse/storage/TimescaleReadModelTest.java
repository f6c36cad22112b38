package dev.mailpulse.storage;

import org.jooq.DSLContext;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.mailpulse.testing.TestDatabase;

/**
 * The read model on TimescaleDB: continuous aggregates. Skipped, with the reason, where TimescaleDB is not available.
 */
class TimescaleReadModelTest extends ReadModelContract {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.timescale();

    @Override
    TestDatabase database() {
        return DB;
    }

    @Override
    StorageEngine expectedEngine() {
        return StorageEngine.TIMESCALEDB;
    }

    /** What the refresh policies do on their schedule, done now over everything up to the current bucket. */
    @Override
    void settle(DSLContext db) {
        for (String aggregate : new String[] {"event_counts_1m", "event_counts_1h", "event_counts_1d"}) {
            db.execute("CALL refresh_continuous_aggregate('" + aggregate + "', NULL, date_trunc('minute', now()))");
        }
    }

    @Override
    void truncateAggregates(DSLContext db) {
        // A truncated hypertable invalidates its aggregates; settle() then recomputes them empty.
    }
}
