package dev.mailpulse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

class TestRedisTest {

    @Test
    void keysUnderTheClassPrefixAreDeletedAfterItAndNoOthers() {
        TestRedis mine = TestRedis.server();
        TestRedis other = TestRedis.server();
        mine.open("TestRedisTest");
        other.open("TestRedisTest");
        RedisClient client = RedisClient.create(TestRedis.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            for (int i = 0; i < 1200; i++) {
                connection.sync().set(mine.prefix() + "k" + i, "v");
            }
            connection.sync().set(other.prefix() + "k", "v");
            mine.close();
            assertThat(connection.sync().keys(mine.prefix() + "*")).isEmpty();
            assertThat(connection.sync().get(other.prefix() + "k")).isEqualTo("v");
            other.close();
        } finally {
            client.shutdown();
        }
    }
}
