package dev.mailpulse.livecache;

import java.time.Clock;

import org.jooq.DSLContext;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jooq.autoconfigure.JooqAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The live cache for any app with Redis and the store: {@link LiveCache} to read it, {@link CacheReconciler} to
 * apply events to it (rebuilding it first when Redis lost it). An app that writes the cache also registers the
 * {@link ReconciliationWatch}.
 */
@AutoConfiguration(after = {DataRedisAutoConfiguration.class, JooqAutoConfiguration.class})
@ConditionalOnBean({StringRedisTemplate.class, DSLContext.class})
@EnableConfigurationProperties(LiveCacheProperties.class)
public class LiveCacheAutoConfiguration {

    @Bean
    LiveCache liveCache(StringRedisTemplate redis, LiveCacheProperties properties) {
        return new LiveCache(redis, properties, Clock.systemUTC());
    }

    @Bean
    CacheReconciler cacheReconciler(DSLContext db, StringRedisTemplate redis, LiveCache cache, LiveCacheProperties properties) {
        return new CacheReconciler(db, redis, cache, properties, Clock.systemUTC());
    }
}
