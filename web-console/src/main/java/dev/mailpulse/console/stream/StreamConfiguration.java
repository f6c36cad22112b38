package dev.mailpulse.console.stream;

import java.time.Clock;

import org.jooq.DSLContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

import dev.mailpulse.livecache.LiveCache;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live stream at {@code /api/v1/stream}, behind the API's key check (a read key, as for any GET). Browsers are
 * held to the console's own origin; clients that send no Origin (scripts, servers) are not browsers.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
@EnableScheduling
class StreamConfiguration implements WebSocketConfigurer {

    private final LiveStream stream;

    StreamConfiguration(LiveCache cache, DSLContext db, JsonMapper json) {
        this.stream = new LiveStream(cache, db, json, Clock.systemUTC());
    }

    @Bean
    LiveStream liveStream() {
        return stream;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(stream, "/api/v1/stream");
    }
}
