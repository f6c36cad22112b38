package dev.mailpulse.sink.timescale;

import java.util.function.Consumer;

import org.jooq.DSLContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import dev.mailpulse.stream.UntilAvailable;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The sink's two functions: {@code storeEvents} (bound to {@code input}) and {@code storeFailures} (bound to
 * {@code failed}). While the database is away each waits, holding its message, until it is back.
 */
@Configuration(proxyBeanMethods = false)
class SinkConfiguration {

    @Bean
    BatchWriter batchWriter(DSLContext db) {
        return new BatchWriter(db);
    }

    @Bean
    Consumer<Message<byte[]>> storeEvents(BatchWriter writer, UntilAvailable untilAvailable, MeterRegistry metrics) {
        return message -> count(metrics, "events", untilAvailable.get("storing events", () -> writer.writeEvents(message.getPayload())));
    }

    @Bean
    Consumer<Message<byte[]>> storeFailures(BatchWriter writer, UntilAvailable untilAvailable, MeterRegistry metrics) {
        return message -> count(metrics, "failures", untilAvailable.get("storing failures", () -> writer.writeFailures(message.getPayload())));
    }

    private static void count(MeterRegistry metrics, String input, BatchWriter.Written written) {
        metrics.counter("mailpulse.sink.events", "input", input, "outcome", "stored").increment(written.stored());
        metrics.counter("mailpulse.sink.events", "input", input, "outcome", "duplicate").increment(written.duplicates());
        metrics.counter("mailpulse.sink.events", "input", input, "outcome", "failed").increment(written.failed());
    }
}
