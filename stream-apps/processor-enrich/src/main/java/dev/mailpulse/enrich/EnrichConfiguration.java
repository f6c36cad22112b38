package dev.mailpulse.enrich;

import static dev.mailpulse.storage.jooq.Tables.CAMPAIGNS;

import java.io.File;
import java.io.IOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jooq.DSLContext;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import com.maxmind.geoip2.DatabaseReader;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.enrich.enrichments.BotClickEnrichment;
import dev.mailpulse.enrich.enrichments.CampaignContextEnrichment;
import dev.mailpulse.enrich.enrichments.ClientEnrichment;
import dev.mailpulse.enrich.enrichments.CountryEnrichment;
import dev.mailpulse.enrich.enrichments.MachineOpenEnrichment;
import dev.mailpulse.enrich.enrichments.MailboxProviderEnrichment;
import dev.mailpulse.enrich.enrichments.MxLookup;
import dev.mailpulse.enrich.enrichments.TimeZoneEnrichment;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.stream.BrokerUnavailableException;
import dev.mailpulse.stream.ConfirmedPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import ua_parser.CachingParser;

/** The enrichments in their order, and the app's one function, {@code enrichEvents} (bound to {@code input}). */
@Configuration(proxyBeanMethods = false)
class EnrichConfiguration {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Bean
    Workspaces workspaces(DSLContext db) {
        return new Workspaces(db);
    }

    @Bean
    Enricher enricher(EnrichProperties properties, DSLContext db, Workspaces workspaces) throws IOException {
        Function<String, Optional<List<String>>> mx = properties.mailboxProvider().mxLookup()
                ? new MxLookup(properties.mailboxProvider().mxTimeout(), properties.mailboxProvider().remembered())
                : domain -> Optional.empty();
        LookupCache<UUID, Optional<ZoneId>> zones = new LookupCache<>(properties.timeZone(),
                id -> workspaces.find(id).map(w -> ZoneId.of(w.timeZone())));
        LookupCache<String, Optional<CampaignContextEnrichment.Campaign>> campaigns = new LookupCache<>(properties.campaignContext(), key -> {
            String[] parts = key.split("/", 2);
            return db.select(CAMPAIGNS.NAME, CAMPAIGNS.SENDER, CAMPAIGNS.TAGS).from(CAMPAIGNS)
                    .where(CAMPAIGNS.WORKSPACE_ID.eq(UUID.fromString(parts[0])), CAMPAIGNS.CAMPAIGN_ID.eq(parts[1]))
                    .fetchOptional(r -> new CampaignContextEnrichment.Campaign(r.value1(), r.value2(),
                            r.value3() == null ? List.of() : Arrays.asList(r.value3())));
        });
        String database = properties.country().database();
        Optional<DatabaseReader> countries = database.isBlank() ? Optional.empty()
                : Optional.of(new DatabaseReader.Builder(new File(database)).build());
        EnrichProperties.BotClick bot = properties.botClick();
        return new Enricher(List.of(
                new MailboxProviderEnrichment(mx),
                new ClientEnrichment(new CachingParser()),
                new MachineOpenEnrichment(new MachineOpenEnrichment.Settings(properties.machineOpen().userAgents(),
                        properties.machineOpen().addressRanges())),
                new BotClickEnrichment(new BotClickEnrichment.Settings(bot.userAgents(),
                        bot.addressRanges().stream().filter(range -> !range.isBlank()).toList(), bot.afterDelivery(), bot.burstLinks(),
                        bot.burstWindow(), bot.remembered())),
                new CampaignContextEnrichment((workspace, campaign) -> campaigns.get(workspace + "/" + campaign)),
                new TimeZoneEnrichment(zones::get),
                new CountryEnrichment(countries)));
    }

    @Bean
    Consumer<Message<byte[]>> enrichEvents(Enricher enricher, StreamBridge bridge, EnrichProperties properties, MeterRegistry metrics) {
        ConfirmedPublisher output = new ConfirmedPublisher(bridge, "output", properties.eventsPerMessage(), properties.confirmTimeout());
        return message -> {
            JsonNode body = JSON.readTree(message.getPayload());
            List<tools.jackson.databind.node.ObjectNode> enriched = new ArrayList<>();
            for (JsonNode item : body.isArray() ? body : List.of(body)) {
                // The validator passes only readable, valid events; anything else here is a bug upstream, and the
                // message is retried, then dead-lettered for operators, rather than silently dropped.
                Event event = enricher.enrich(EventJson.fromJson(item));
                enriched.add(EventJson.toJson(event));
                if (event.enrichment().has("failures")) {
                    metrics.counter("mailpulse.enrich.events", "outcome", "marked").increment();
                }
            }
            try {
                output.publish(enriched);
            } catch (BrokerUnavailableException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            metrics.counter("mailpulse.enrich.events", "outcome", "enriched").increment(enriched.size());
        };
    }
}
