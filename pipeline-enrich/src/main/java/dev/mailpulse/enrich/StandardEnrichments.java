package dev.mailpulse.enrich;

import static dev.mailpulse.storage.jooq.Tables.CAMPAIGNS;

import java.io.File;
import java.io.IOException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import org.jooq.DSLContext;

import com.maxmind.geoip2.DatabaseReader;

import dev.mailpulse.core.cache.TtlCache;
import dev.mailpulse.enrich.enrichments.BotClickEnrichment;
import dev.mailpulse.enrich.enrichments.CampaignContextEnrichment;
import dev.mailpulse.enrich.enrichments.ClientEnrichment;
import dev.mailpulse.enrich.enrichments.CountryEnrichment;
import dev.mailpulse.enrich.enrichments.MachineOpenEnrichment;
import dev.mailpulse.enrich.enrichments.MailboxProviderEnrichment;
import dev.mailpulse.enrich.enrichments.MxLookup;
import dev.mailpulse.enrich.enrichments.TimeZoneEnrichment;
import dev.mailpulse.storage.workspace.Workspaces;
import ua_parser.CachingParser;

/** The standard enrichments in their order, set up from the stage's properties, with their look-ups in the store. */
public final class StandardEnrichments {

    private StandardEnrichments() {
    }

    public static Enricher enricher(EnrichProperties properties, DSLContext db, Workspaces workspaces) throws IOException {
        Function<String, Optional<List<String>>> mx = properties.mailboxProvider().mxLookup()
                ? new MxLookup(properties.mailboxProvider().mxTimeout(), properties.mailboxProvider().remembered())
                : domain -> Optional.empty();
        TtlCache<UUID, Optional<ZoneId>> zones = cache(properties.timeZone());
        Function<UUID, Optional<ZoneId>> zoneOf = id -> workspaces.find(id).map(w -> ZoneId.of(w.timeZone()));
        TtlCache<String, Optional<CampaignContextEnrichment.Campaign>> campaigns = cache(properties.campaignContext());
        Function<String, Optional<CampaignContextEnrichment.Campaign>> campaignOf = key -> {
            String[] parts = key.split("/", 2);
            return db.select(CAMPAIGNS.NAME, CAMPAIGNS.SENDER, CAMPAIGNS.TAGS).from(CAMPAIGNS)
                    .where(CAMPAIGNS.WORKSPACE_ID.eq(UUID.fromString(parts[0])), CAMPAIGNS.CAMPAIGN_ID.eq(parts[1]))
                    .fetchOptional(r -> new CampaignContextEnrichment.Campaign(r.value1(), r.value2(),
                            r.value3() == null ? List.of() : Arrays.asList(r.value3())));
        };
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
                new CampaignContextEnrichment((workspace, campaign) -> campaigns.get(workspace + "/" + campaign, campaignOf)),
                new TimeZoneEnrichment(id -> zones.get(id, zoneOf)),
                new CountryEnrichment(countries)));
    }

    /** Look-ups in the database remembered for a while, a bounded number of them. */
    private static <K, V> TtlCache<K, V> cache(EnrichProperties.Cache settings) {
        return new TtlCache<>(settings.ttl(), settings.size(), System::nanoTime);
    }
}
