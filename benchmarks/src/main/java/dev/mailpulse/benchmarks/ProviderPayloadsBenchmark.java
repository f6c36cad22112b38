package dev.mailpulse.benchmarks;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import dev.mailpulse.collector.webhook.MailgunAdapter;
import dev.mailpulse.collector.webhook.PostmarkAdapter;
import dev.mailpulse.collector.webhook.ProviderAdapter;
import dev.mailpulse.collector.webhook.SendGridAdapter;
import dev.mailpulse.collector.webhook.SesAdapter;
import dev.mailpulse.collector.webhook.SnsCertificates;
import dev.mailpulse.collector.webhook.SnsMessages;
import dev.mailpulse.collector.webhook.WebhookRequest;
import dev.mailpulse.core.cache.TtlCache;
import dev.mailpulse.core.json.WireJson;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reading and mapping each provider's documented webhook payloads (the fixtures of the collector's tests, under
 * pipeline-collect/src/test/resources/webhooks: run from the repository's root) into canonical events;
 * the time is per payload (one call; SendGrid's carries a batch of 12 events).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProviderPayloadsBenchmark {

    private static final Path FIXTURES = Path.of("pipeline-collect/src/test/resources/webhooks");
    private static final JsonMapper JSON = WireJson.MAPPER;

    @Param({"mailgun", "sendgrid", "postmark", "ses"})
    public String provider;

    private ProviderAdapter adapter;
    private final List<WebhookRequest> calls = new ArrayList<>();
    private final UUID workspace = UUID.randomUUID();
    private int next;

    @Setup
    public void setUp() throws IOException {
        if (!Files.isDirectory(FIXTURES)) {
            throw new IllegalStateException("run from the repository's root: " + FIXTURES + " holds the providers' payloads");
        }
        adapter = switch (provider) {
            case "mailgun" -> new MailgunAdapter(Duration.ofMinutes(15), Clock.systemUTC(), new TtlCache<>(Duration.ofMinutes(15), 1000, System::nanoTime));
            case "sendgrid" -> new SendGridAdapter(Duration.ofMinutes(10), Clock.systemUTC());
            case "postmark" -> new PostmarkAdapter(new TtlCache<>(Duration.ofSeconds(30), 100, System::nanoTime));
            default -> new SesAdapter(new SnsMessages(Pattern.compile("^$"), HttpClient.newHttpClient(),
                    new SnsCertificates(Pattern.compile("^$"), Set.of(), HttpClient.newHttpClient(),
                            new TtlCache<>(Duration.ofHours(1), 10, System::nanoTime), Clock.systemUTC()),
                    Duration.ofHours(1), Clock.systemUTC()));
        };
        try (Stream<Path> files = Files.list(FIXTURES.resolve(provider))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json") && !f.getFileName().toString().startsWith("sns-")).sorted().toList()) {
                String body = Files.readString(file);
                if (provider.equals("ses")) {
                    // SES posts through SNS: the notification's Message is the SES event, as a string
                    body = JSON.writeValueAsString(Map.of("Type", "Notification", "MessageId", UUID.randomUUID().toString(),
                            "TopicArn", "arn:aws:sns:eu-west-1:123456789012:ses-events", "Message", body));
                }
                calls.add(new WebhookRequest(Map.of("content-type", "application/json"), body.getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    @Benchmark
    public void readAndMap(Blackhole blackhole) {
        blackhole.consume(adapter.read(calls.get(next), workspace));
        next = (next + 1) % calls.size();
    }
}
