package dev.mailpulse.alerting;

import java.util.Objects;

import org.jooq.DSLContext;

/**
 * Where rules' metrics are read: the MailPulse database, and in it the daily ETL's job repository under its tables'
 * prefix ({@code batch_}; under Data Flow 2.11, {@code boot3_batch_}), for the nightly job's metrics.
 */
public record MetricStore(DSLContext db, String batchTablePrefix) {

    public MetricStore {
        Objects.requireNonNull(db, "db");
        Objects.requireNonNull(batchTablePrefix, "batchTablePrefix");
    }
}
