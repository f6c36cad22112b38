package dev.mailpulse.testing;

import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.containers.GenericContainer;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * Redis for one test class: a server (Testcontainers when Docker answers, else {@code MAILPULSE_TEST_REDIS_URL},
 * default {@code redis://127.0.0.1:6379}) and a key prefix of the class's own; every key under it is deleted after.
 */
public final class TestRedis implements BeforeAllCallback, AfterAllCallback {

    private static final String IMAGE = "redis:7-alpine";
    private static String serverUri;

    private String prefix;

    public static TestRedis server() {
        return new TestRedis();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        open(context.getRequiredTestClass().getSimpleName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    public void open(String owner) {
        uri();
        prefix = "mp-t:" + owner.toLowerCase(Locale.ROOT) + ":" + Docker.uniqueSuffix() + ":";
    }

    /** Deletes every key under this class's prefix. */
    public void close() {
        withEachPageOfKeys((redis, keys) -> redis.del(keys.toArray(String[]::new)));
    }

    /** Every key under this class's prefix with its value, whatever its type, as text: what a dump would show. */
    public String dump() {
        StringBuilder dump = new StringBuilder();
        withEachPageOfKeys((redis, keys) -> {
            for (String key : keys) {
                Object value = switch (redis.type(key)) {
                    case "string" -> redis.get(key);
                    case "hash" -> redis.hgetall(key);
                    case "list" -> redis.lrange(key, 0, -1);
                    case "set" -> redis.smembers(key);
                    case "zset" -> redis.zrange(key, 0, -1);
                    case "stream" -> redis.xrange(key, Range.create("-", "+"));
                    default -> "";
                };
                dump.append(key).append(' ').append(value).append('\n');
            }
        });
        return dump.toString();
    }

    private void withEachPageOfKeys(BiConsumer<RedisCommands<String, String>, List<String>> work) {
        RedisClient client = RedisClient.create(uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
                if (!page.getKeys().isEmpty()) {
                    work.accept(redis, page.getKeys());
                }
                cursor = page;
            } while (!cursor.isFinished());
        } finally {
            client.shutdown();
        }
    }

    /** Every key a test writes starts with this. */
    public String prefix() {
        return prefix;
    }

    public static synchronized String uri() {
        if (serverUri == null) {
            serverUri = Docker.available() ? container() : Docker.env("MAILPULSE_TEST_REDIS_URL", "redis://127.0.0.1:6379");
        }
        return serverUri;
    }

    @SuppressWarnings("resource") // lives as long as the test JVM
    private static String container() {
        GenericContainer<?> container = new GenericContainer<>(IMAGE).withExposedPorts(6379);
        container.start();
        return "redis://" + container.getHost() + ":" + container.getMappedPort(6379);
    }
}
