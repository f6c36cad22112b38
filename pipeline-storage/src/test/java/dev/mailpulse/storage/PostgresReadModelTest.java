package dev.mailpulse.storage;

import org.jooq.DSLContext;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.mailpulse.storage.jooq.Tables;
import dev.mailpulse.testing.TestDatabase;

/** The read model on plain PostgreSQL, kept by the roll-up trigger. */
class PostgresReadModelTest extends ReadModelContract {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres();

    @Override
    TestDatabase database() {
        return DB;
    }

    @Override
    StorageEngine expectedEngine() {
        return StorageEngine.POSTGRESQL;
    }

    @Override
    void settle(DSLContext db) {
        // The trigger updates the read model in the writer's own transaction: nothing is ever pending.
    }

    @Override
    void truncateAggregates(DSLContext db) {
        db.truncate(Tables.EVENT_ROLLUPS).execute();
        db.truncate(Tables.EVENT_ROLLUP_RECIPIENTS).execute();
    }
}
