package dev.mailpulse.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.core.schema.EventSchemas;
import dev.mailpulse.core.validation.EventValidator;
import dev.mailpulse.enrich.Enricher;
import dev.mailpulse.enrich.enrichments.BotClickEnrichment;
import dev.mailpulse.enrich.enrichments.CampaignContextEnrichment;
import dev.mailpulse.enrich.enrichments.ClientEnrichment;
import dev.mailpulse.enrich.enrichments.CountryEnrichment;
import dev.mailpulse.enrich.enrichments.MachineOpenEnrichment;
import dev.mailpulse.enrich.enrichments.MailboxProviderEnrichment;
import dev.mailpulse.enrich.enrichments.TimeZoneEnrichment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import ua_parser.CachingParser;

/**
 * The per-event cost of processor-validate's and processor-enrich's functions on a realistic batch (500 events of
 * mixed types, real user agents), reported per event. Run: {@code java -jar benchmarks/target/benchmarks.jar}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PipelineFunctionsBenchmark {

    static final int BATCH = 500;
    private static final String[] USER_AGENTS = {
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
            "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)",
            "Mozilla/5.0",
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko)"};
    private static final String[] TYPES = {"email.send", "email.deliver", "email.deliver", "email.open", "email.open", "email.click", "email.bounce"};
    private static final String[] DOMAINS = {"gmail.com", "outlook.com", "yahoo.com", "icloud.com", "acme-corp.com"};

    List<JsonNode> collected;
    List<Event> validated;
    EventSchemas schemas;
    EventValidator validator;
    List<dev.mailpulse.enrich.Enrichment> enrichments;
    Enricher enricher;
    List<Event> enriched;
    List<String> serialised;
    private static final tools.jackson.databind.json.JsonMapper JSON = WireJson.MAPPER;

    @Setup
    public void setUp() {
        UUID workspace = UUID.randomUUID();
        Instant now = Instant.now();
        Random random = new Random(1);
        collected = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            String type = TYPES[random.nextInt(TYPES.length)];
            ObjectNode e = JsonNodeFactory.instance.objectNode();
            e.put("event_id", UUID.randomUUID().toString());
            e.put("workspace_id", workspace.toString());
            e.put("type", type);
            e.put("schema_version", 1);
            e.put("occurred_at", now.minusSeconds(random.nextInt(3_600)).toString());
            e.put("received_at", now.toString());
            e.put("source", "api");
            e.put("campaign_id", "campaign-" + random.nextInt(20));
            e.put("message_id", "<" + UUID.randomUUID() + "@mail.example.com>");
            e.putObject("recipient").put("hash", String.format("%032x", random.nextInt(100_000))).put("domain", DOMAINS[random.nextInt(DOMAINS.length)]);
            ObjectNode attributes = e.putObject("attributes");
            if (type.equals("email.open") || type.equals("email.click")) {
                e.put("user_agent", USER_AGENTS[random.nextInt(USER_AGENTS.length)]);
                e.put("ip", "203.0.113." + random.nextInt(255));
            }
            if (type.equals("email.click")) {
                e.put("link_url", "https://shop.example.com/p/" + random.nextInt(50) + "?utm_source=newsletter&utm_campaign=spring");
            }
            if (type.equals("email.bounce")) {
                attributes.put("bounce_kind", "hard").put("smtp_code", 550).put("diagnostic", "550 5.1.1 user unknown");
            }
            collected.add(e);
        }
        schemas = new EventSchemas();
        validator = new EventValidator(schemas, Set.of(workspace)::contains,
                new EventValidator.TimeLimits(Duration.ofMinutes(5), Duration.ofDays(30), Duration.ofDays(400)), Clock.systemUTC());
        enrichments = List.of(
                new MailboxProviderEnrichment(domain -> Optional.empty()),
                new ClientEnrichment(new CachingParser()),
                new MachineOpenEnrichment(new MachineOpenEnrichment.Settings(List.of("Mozilla/5\\.0"), List.of("17.0.0.0/8"))),
                new BotClickEnrichment(new BotClickEnrichment.Settings(List.of("barracuda", "mimecast", "proofpoint", "python-requests"), List.of(),
                        Duration.ofSeconds(10), 3, Duration.ofSeconds(1), 200_000)),
                new CampaignContextEnrichment((w, c) -> Optional.empty()),
                new TimeZoneEnrichment(w -> Optional.of(ZoneId.of("Europe/Paris"))),
                new CountryEnrichment(Optional.empty()));
        enricher = new Enricher(enrichments);
        validated = collected.stream().map(EventJson::fromJson).toList();
        enriched = validated.stream().map(enricher::enrich).toList();
        serialised = enriched.stream().map(event -> EventJson.toJson(event).toString()).toList();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void validate(Blackhole blackhole) {
        for (JsonNode event : collected) {
            blackhole.consume(validator.validate(event));
        }
    }

    /** The JSON Schema check alone, the larger part of validation. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void schemaOnly(Blackhole blackhole) {
        for (JsonNode event : collected) {
            blackhole.consume(schemas.validate(event));
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void enrich(Blackhole blackhole) {
        for (Event event : validated) {
            blackhole.consume(enricher.enrich(event));
        }
    }

    /** Serialising an enriched event to the JSON a message carries, as each hop does. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void serialise(Blackhole blackhole) {
        for (Event event : enriched) {
            blackhole.consume(EventJson.toJson(event).toString());
        }
    }

    /** Reading a message's JSON back into events, as each hop does. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void parse(Blackhole blackhole) {
        for (String json : serialised) {
            blackhole.consume(EventJson.fromJson(JSON.readTree(json)));
        }
    }

    /** What the two processors do to an event between them, serialisation included. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void validateEnrichAndSerialise(Blackhole blackhole) {
        for (JsonNode event : collected) {
            if (validator.validate(event) instanceof dev.mailpulse.core.validation.Validation.Valid valid) {
                blackhole.consume(EventJson.toJson(enricher.enrich(valid.event())).toString());
            }
        }
    }
}
