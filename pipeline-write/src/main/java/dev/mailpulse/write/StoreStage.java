package dev.mailpulse.write;

import java.util.ArrayList;
import java.util.List;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.failure.FailedEvent;
import dev.mailpulse.core.failure.Items;
import dev.mailpulse.stream.UntilAvailable;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The store stage: a message's events and failures into the raw store and the failed-events store in one
 * transaction ({@link BatchWriter}), waiting out an outage of the database while holding the message. sink-timescale's
 * functions and the composed pipeline both apply it.
 */
public final class StoreStage {

    private final BatchWriter writer;
    private final UntilAvailable untilAvailable;
    private final MeterRegistry metrics;

    public StoreStage(BatchWriter writer, UntilAvailable untilAvailable, MeterRegistry metrics) {
        this.writer = writer;
        this.untilAvailable = untilAvailable;
        this.metrics = metrics;
    }

    /** Events, and the failures of the stages before (and of reading them). */
    public BatchWriter.Written storeEvents(Items<Event> events) {
        return count("events", untilAvailable.get("storing events", () -> writer.write(events.items(), events.failures())));
    }

    /** Failed events the stages before published, and the failures of reading them. */
    public BatchWriter.Written storeFailures(Items<FailedEvent> failed) {
        List<FailedEvent> all = new ArrayList<>(failed.items());
        all.addAll(failed.failures());
        return count("failures", untilAvailable.get("storing failures", () -> writer.writeFailures(all)));
    }

    private BatchWriter.Written count(String input, BatchWriter.Written written) {
        metrics.counter("mailpulse.sink.events", "input", input, "outcome", "stored").increment(written.stored());
        metrics.counter("mailpulse.sink.events", "input", input, "outcome", "duplicate").increment(written.duplicates());
        metrics.counter("mailpulse.sink.events", "input", input, "outcome", "failed").increment(written.failed());
        return written;
    }
}
