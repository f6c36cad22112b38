package dev.mailpulse.livecache;

import java.time.Clock;
import java.util.function.Consumer;

import org.jooq.DSLContext;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jooq.autoconfigure.JooqAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.messaging.Message;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.mailpulse.core.failure.Stage;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.stream.UntilAvailable;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The live cache for any app with Redis and the store: {@link LiveCache} to read it. A stream app (one with
 * stream-support) writes it too: the cache stage, its function {@code cacheEvents} (bound to {@code input}), and the
 * {@link ReconciliationWatch} that rebuilds a lost cache when no message comes to do it.
 */
@AutoConfiguration(after = {DataRedisAutoConfiguration.class, JooqAutoConfiguration.class})
@ConditionalOnBean({StringRedisTemplate.class, DSLContext.class})
@EnableConfigurationProperties(LiveCacheProperties.class)
public class LiveCacheAutoConfiguration {

    @Bean
    LiveCache liveCache(StringRedisTemplate redis, LiveCacheProperties properties) {
        return new LiveCache(redis, properties, Clock.systemUTC());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(UntilAvailable.class)
    @EnableScheduling
    static class Writing {

        @Bean
        CacheReconciler cacheReconciler(DSLContext db, StringRedisTemplate redis, LiveCache cache, LiveCacheProperties properties) {
            return new CacheReconciler(db, redis, cache, properties, Clock.systemUTC());
        }

        @Bean
        CacheStage cacheStage(CacheReconciler reconciler, UntilAvailable untilAvailable, MeterRegistry metrics) {
            return new CacheStage(reconciler, untilAvailable, metrics);
        }

        @Bean
        Consumer<Message<byte[]>> cacheEvents(CacheStage stage) {
            return message -> stage.apply(WireJson.decode(message.getPayload(), Stage.CACHE, EventJson::fromJson));
        }

        @Bean
        ReconciliationWatch reconciliationWatch(CacheReconciler reconciler) {
            return new ReconciliationWatch(reconciler);
        }
    }
}
