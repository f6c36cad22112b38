package dev.mailpulse.write;

import java.util.function.Consumer;

import org.jooq.DSLContext;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.Message;

import dev.mailpulse.core.failure.Stage;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.core.json.FailedEventJson;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.stream.UntilAvailable;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The store stage and its two functions: {@code storeEvents} (bound to {@code input}) and {@code storeFailures}
 * (bound to {@code failed}). An item that cannot be read is kept as a failed event of the {@code store} stage.
 */
@AutoConfiguration
public class StoreAutoConfiguration {

    @Bean
    StoreStage storeStage(DSLContext db, UntilAvailable untilAvailable, MeterRegistry metrics) {
        return new StoreStage(new BatchWriter(db), untilAvailable, metrics);
    }

    @Bean
    Consumer<Message<byte[]>> storeEvents(StoreStage stage) {
        return message -> stage.storeEvents(WireJson.decode(message.getPayload(), Stage.STORE, EventJson::fromJson));
    }

    @Bean
    Consumer<Message<byte[]>> storeFailures(StoreStage stage) {
        return message -> stage.storeFailures(WireJson.decode(message.getPayload(), Stage.STORE, FailedEventJson::fromJson));
    }
}
