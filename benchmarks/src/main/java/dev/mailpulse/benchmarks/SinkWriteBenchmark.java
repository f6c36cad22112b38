package dev.mailpulse.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.postgresql.ds.PGSimpleDataSource;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.write.BatchWriter;
import dev.mailpulse.storage.SchemaMigrator;

/**
 * sink-timescale's write path: a batch of 500 new enriched events in one transaction (multi-row insert, ON CONFLICT
 * DO NOTHING, and on plain PostgreSQL the read model's trigger), against a real PostgreSQL: the database
 * MAILPULSE_BENCH_DB_URL, default jdbc:postgresql://127.0.0.1:5432/mailpulse_jmh (created and migrated if needed).
 * Time per event.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SinkWriteBenchmark {

    private BatchWriter writer;
    private List<Event> template;
    private List<Event> batch;

    @Setup
    public void setUp() throws Exception {
        String url = System.getenv().getOrDefault("MAILPULSE_BENCH_DB_URL", "jdbc:postgresql://127.0.0.1:5432/mailpulse_jmh");
        String user = System.getenv().getOrDefault("MAILPULSE_DB_USER", "postgres");
        String password = System.getenv().getOrDefault("MAILPULSE_DB_PASSWORD", "");
        SchemaMigrator.migrate(url, user, password);
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        writer = new BatchWriter(DSL.using(dataSource, SQLDialect.POSTGRES));
        PipelineFunctionsBenchmark functions = new PipelineFunctionsBenchmark();
        functions.setUp();
        template = functions.enriched;
    }

    /** New ids for every batch, so each is really inserted (a redelivered batch would insert nothing). */
    @Setup(Level.Invocation)
    public void freshBatch() {
        batch = new ArrayList<>(template.size());
        for (Event event : template) {
            batch.add(new Event(UUID.randomUUID(), event.workspaceId(), event.type(), event.schemaVersion(), event.occurredAt(),
                    event.receivedAt(), event.source(), event.providerEventId(), event.campaignId(), event.messageId(), event.recipient(),
                    event.linkUrl(), event.userAgent(), event.ip(), event.attributes(), event.enrichment(), event.providerPayload()));
        }
    }

    @Benchmark
    @OperationsPerInvocation(PipelineFunctionsBenchmark.BATCH)
    public BatchWriter.Written writeBatch() {
        return writer.write(batch, List.of());
    }
}
