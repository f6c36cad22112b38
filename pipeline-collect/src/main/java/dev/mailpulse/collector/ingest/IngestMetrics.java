package dev.mailpulse.collector.ingest;

import io.micrometer.core.instrument.MeterRegistry;

/** Counts events and refusals per workspace, source and outcome ({@code mailpulse.collector.events}). */
public final class IngestMetrics {

    private final MeterRegistry registry;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String workspace, String source, String outcome, int events) {
        registry.counter("mailpulse.collector.events", "workspace", workspace, "source", source, "outcome", outcome)
                .increment(events);
    }
}
