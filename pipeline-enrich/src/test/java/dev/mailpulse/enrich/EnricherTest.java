package dev.mailpulse.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.core.schema.EventSchemas;
import dev.mailpulse.enrich.enrichments.BotClickEnrichment;
import dev.mailpulse.enrich.enrichments.CampaignContextEnrichment;
import dev.mailpulse.enrich.enrichments.ClientEnrichment;
import dev.mailpulse.enrich.enrichments.CountryEnrichment;
import dev.mailpulse.enrich.enrichments.MachineOpenEnrichment;
import dev.mailpulse.enrich.enrichments.MailboxProviderEnrichment;
import dev.mailpulse.enrich.enrichments.TimeZoneEnrichment;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import ua_parser.CachingParser;

class EnricherTest {

    private static final EventSchemas SCHEMAS = new EventSchemas();
    private static final UUID PARIS = UUID.randomUUID();
    private static final String IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148";
    private static final String OUTLOOK = "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)";
    private static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    private static final Map<String, List<String>> MX = Map.of(
            "acme-corp.com", List.of("aspmx.l.google.com.", "alt1.aspmx.l.google.com."),
            "contoso.com", List.of("contoso-com.mail.protection.outlook.com."),
            "selfhosted.org", List.of("mx1.selfhosted.org."));

    private final Enricher enricher = new Enricher(List.of(
            new MailboxProviderEnrichment(domain -> Optional.ofNullable(MX.get(domain))),
            new ClientEnrichment(new CachingParser()),
            new MachineOpenEnrichment(new MachineOpenEnrichment.Settings(List.of("Mozilla/5\\.0"), List.of("17.0.0.0/8"))),
            new BotClickEnrichment(new BotClickEnrichment.Settings(List.of("barracuda", "mimecast", "python-requests"), List.of("198.51.100.0/24"),
                    Duration.ofSeconds(10), 3, Duration.ofSeconds(1), 1_000)),
            new CampaignContextEnrichment((workspace, campaign) -> campaign.equals("spring")
                    ? Optional.of(new CampaignContextEnrichment.Campaign("Spring sale", "news@shop.example", List.of("sale"))) : Optional.empty()),
            new TimeZoneEnrichment(workspace -> workspace.equals(PARIS) ? Optional.of(ZoneId.of("Europe/Paris")) : Optional.empty()),
            new CountryEnrichment(Optional.empty())));

    @Test
    void theContractRefusesWhatNoEnrichmentWrites() {
        ObjectNode unknown = JsonNodeFactory.instance.objectNode().put("automated", false).put("sentiment", "happy");
        assertThat(SCHEMAS.validateEnrichment(unknown)).singleElement().satisfies(v -> assertThat(v.message()).contains("sentiment"));
        ObjectNode wrongKind = JsonNodeFactory.instance.objectNode().put("automated", false).put("local_hour", 24).put("mailbox_provider", "aol");
        assertThat(SCHEMAS.validateEnrichment(wrongKind)).hasSize(2);
    }

    @Test
    void theMailboxProviderComesFromTheDomainTableThenFromMxHosts() {
        assertThat(provider("jane@gmail.com")).isEqualTo("gmail");
        assertThat(provider("jane@hotmail.co.uk")).isEqualTo("microsoft");
        assertThat(provider("jane@icloud.com")).isEqualTo("apple");
        assertThat(provider("jane@aol.com")).isEqualTo("yahoo");
        assertThat(provider("jane@acme-corp.com")).isEqualTo("gmail"); // Google Workspace
        assertThat(provider("jane@contoso.com")).isEqualTo("microsoft"); // Microsoft 365
        assertThat(provider("jane@selfhosted.org")).isEqualTo("corporate");
        assertThat(provider("jane@unknown.example")).isEqualTo("other");
    }

    @Test
    void theClientAndDeviceComeFromTheUserAgent() {
        ObjectNode phone = enrich(open(IPHONE, "203.0.113.7")).enrichment();
        assertThat(phone.get("client").get("os").asString()).isEqualTo("iOS");
        assertThat(phone.get("client").get("device_type").asString()).isEqualTo("mobile");
        ObjectNode desktop = enrich(open(OUTLOOK, "203.0.113.7")).enrichment();
        assertThat(desktop.get("client").get("name").asString()).containsIgnoringCase("outlook");
        assertThat(desktop.get("client").get("device_type").asString()).isEqualTo("desktop");
    }

    @Test
    void machineOpensAreToldApartFromPeoplesOpens() {
        ObjectNode mpp = enrich(open("Mozilla/5.0", "17.58.61.2")).enrichment();
        assertThat(mpp.get("machine_open").asBoolean()).isTrue();
        assertThat(mpp.get("machine_open_reason").asString()).isEqualTo("user_agent");
        assertThat(mpp.get("automated").asBoolean()).isTrue();

        ObjectNode flagged = open(IPHONE, "203.0.113.7");
        ((ObjectNode) flagged.get("attributes")).put("machine_open", true);
        assertThat(enrich(flagged).enrichment().get("machine_open_reason").asString()).isEqualTo("provider_flag");
        assertThat(enrich(open(CHROME, "17.1.2.3")).enrichment().get("machine_open_reason").asString()).isEqualTo("proxy_address");

        ObjectNode human = enrich(open(IPHONE, "203.0.113.7")).enrichment();
        assertThat(human.get("machine_open").asBoolean()).isFalse();
        assertThat(human.get("automated").asBoolean()).isFalse();
    }

    @Test
    void botClicksAreFlaggedWithTheirReason() {
        Instant delivered = Instant.parse("2026-11-20T09:00:00Z");
        assertThat(botReason(click("Mozilla/5.0 (compatible; Barracuda Sentinel)", "203.0.113.9", "m1", "r1", delivered.plusSeconds(600), "https://a.example/1")))
                .isEqualTo("scanner_user_agent");
        assertThat(botReason(click(CHROME, "198.51.100.20", "m2", "r2", delivered.plusSeconds(600), "https://a.example/1"))).isEqualTo("scanner_address");

        enrich(event("email.deliver", "r3@gmail.com", delivered, "m3", null, null, null));
        assertThat(botReason(click(CHROME, "203.0.113.9", "m3", "r3", delivered.plusSeconds(2), "https://a.example/1"))).isEqualTo("too_soon_after_delivery");

        Instant at = delivered.plusSeconds(3_600);
        assertThat(botReason(click(CHROME, "203.0.113.9", "m4", "r4", at, "https://a.example/1"))).isNull();
        assertThat(botReason(click(CHROME, "203.0.113.9", "m4", "r4", at.plusMillis(200), "https://a.example/2"))).isNull();
        assertThat(botReason(click(CHROME, "203.0.113.9", "m4", "r4", at.plusMillis(400), "https://a.example/3"))).isEqualTo("many_links_at_once");

        ObjectNode human = enrich(click(IPHONE, "203.0.113.9", "m5", "r5", at, "https://a.example/1")).enrichment();
        assertThat(human.get("bot_click").asBoolean()).isFalse();
    }

    @Test
    void campaignContextTimeZoneAndNoGuessedCountry() {
        ObjectNode enrichment = enrich(click(IPHONE, "203.0.113.9", "m6", "r6", Instant.parse("2026-11-20T23:30:00Z"),
                "https://shop.example/sale?utm_source=newsletter&utm_medium=email&utm_campaign=spring%20sale&x=1")).enrichment();
        assertThat(enrichment.get("campaign").get("name").asString()).isEqualTo("Spring sale");
        assertThat(enrichment.get("utm").get("campaign").asString()).isEqualTo("spring sale");
        assertThat(enrichment.get("utm").get("source").asString()).isEqualTo("newsletter");
        assertThat(enrichment.get("time_zone").asString()).isEqualTo("Europe/Paris");
        assertThat(enrichment.get("local_date").asString()).isEqualTo("2026-11-21"); // past midnight in Paris
        assertThat(enrichment.has("country")).isFalse();
    }

    @Test
    void aFailedEnrichmentMarksTheEventAndKeepsIt() {
        ObjectNode json = open(IPHONE, "203.0.113.7");
        json.put("workspace_id", UUID.randomUUID().toString()); // a workspace whose time zone is unknown
        Event enriched = new Enricher(List.of(new TimeZoneEnrichment(w -> Optional.empty()), new Enrichment() {
            @Override
            public String name() {
                return "exploding";
            }

            @Override
            public Outcome apply(Event event, ObjectNode enrichment) {
                throw new IllegalStateException("boom");
            }
        })).enrich(EventJson.fromJson(json));
        assertThat(enriched.enrichment().get("failures")).hasSize(2);
        assertThat(enriched.enrichment().get("failures").get(1).get("reason").asString()).contains("boom");
        assertThat(enriched.eventId()).isEqualTo(UUID.fromString(json.get("event_id").asString()));
    }

    private String provider(String address) {
        String domain = address.substring(address.indexOf('@') + 1);
        ObjectNode json = event("email.deliver", address, Instant.parse("2026-11-20T09:00:00Z"), "m", null, null, null);
        ((ObjectNode) json.get("recipient")).put("domain", domain);
        return enrich(json).enrichment().get("mailbox_provider").asString();
    }

    private String botReason(ObjectNode click) {
        ObjectNode enrichment = enrich(click).enrichment();
        return enrichment.has("bot_click_reason") ? enrichment.get("bot_click_reason").asString() : null;
    }

    /** Every event enriched here is checked against the enrichment contract too. */
    private Event enrich(ObjectNode json) {
        Event enriched = enricher.enrich(EventJson.fromJson(json));
        assertThat(SCHEMAS.validateEnrichment(enriched.enrichment())).as("the enrichment contract, for " + enriched.enrichment()).isEmpty();
        return enriched;
    }

    private static ObjectNode open(String userAgent, String ip) {
        return event("email.open", "jane@gmail.com", Instant.parse("2026-11-20T09:15:00Z"), "m0", userAgent, ip, null);
    }

    private static ObjectNode click(String userAgent, String ip, String message, String recipient, Instant at, String link) {
        return event("email.click", recipient + "@gmail.com", at, message, userAgent, ip, link);
    }

    private static ObjectNode event(String type, String address, Instant at, String message, String userAgent, String ip, String link) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("event_id", UUID.randomUUID().toString());
        json.put("workspace_id", PARIS.toString());
        json.put("type", type);
        json.put("schema_version", 1);
        json.put("occurred_at", at.toString());
        json.put("received_at", at.toString());
        json.put("source", "api");
        json.put("campaign_id", "spring");
        json.put("message_id", message);
        json.putObject("recipient").put("hash", Integer.toHexString(address.hashCode())).put("domain", "gmail.com");
        if (userAgent != null) {
            json.put("user_agent", userAgent);
        }
        if (ip != null) {
            json.put("ip", ip);
        }
        if (link != null) {
            json.put("link_url", link);
        }
        json.putObject("attributes");
        return json;
    }
}
