package dev.mailpulse.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.enrich.Enrichment;
import tools.jackson.databind.node.JsonNodeFactory;

/** Each enrichment alone, on the same realistic batch as {@link PipelineFunctionsBenchmark}; time per event. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EnrichmentsBenchmark {

    @Param({"mailbox_provider", "client", "machine_open", "bot_click", "campaign_context", "time_zone", "country"})
    public String enrichment;

    private Enrichment subject;
    private List<Event> events;

    @Setup
    public void setUp() {
        PipelineFunctionsBenchmark batch = new PipelineFunctionsBenchmark();
        batch.setUp();
        events = batch.validated;
        subject = batch.enrichments.stream().filter(e -> e.name().equals(enrichment)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no enrichment named " + enrichment + "; known: "
                        + batch.enrichments.stream().map(Enrichment::name).toList()));
    }

    @Benchmark
    @OperationsPerInvocation(PipelineFunctionsBenchmark.BATCH)
    public void apply(Blackhole blackhole) {
        for (Event event : events) {
            blackhole.consume(subject.apply(event, JsonNodeFactory.instance.objectNode()));
        }
    }
}
