package dev.mailpulse.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With the database out of reach, the API asks its clients to come back (503, Retry-After) instead of failing. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StoreOutageTest {

    @DynamicPropertySource
    static void unreachableStores(DynamicPropertyRegistry registry) {
        // port 1: nothing listens there
        registry.add("spring.datasource.url", () -> "jdbc:postgresql://127.0.0.1:1/mailpulse?connectTimeout=1");
        registry.add("spring.datasource.hikari.connection-timeout", () -> "1000");
        registry.add("spring.data.redis.url", () -> "redis://127.0.0.1:1");
    }

    @LocalServerPort
    int port;

    @Test
    void aKeyThatCannotBeCheckedIsAskedToComeBack() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/campaigns"))
                .header("Authorization", "Bearer mp_" + "x".repeat(43)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    }
}
