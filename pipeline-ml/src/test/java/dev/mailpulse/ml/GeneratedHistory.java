package dev.mailpulse.ml;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jooq.DSLContext;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.event.EventSource;
import dev.mailpulse.core.event.Recipient;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.core.recipient.RecipientPseudonymizer;
import dev.mailpulse.core.schema.EventSchemas;
import dev.mailpulse.core.validation.EventValidator;
import dev.mailpulse.core.validation.Validation;
import dev.mailpulse.enrich.Enricher;
import dev.mailpulse.enrich.enrichments.BotClickEnrichment;
import dev.mailpulse.enrich.enrichments.CampaignContextEnrichment;
import dev.mailpulse.enrich.enrichments.ClientEnrichment;
import dev.mailpulse.enrich.enrichments.CountryEnrichment;
import dev.mailpulse.enrich.enrichments.MachineOpenEnrichment;
import dev.mailpulse.enrich.enrichments.MailboxProviderEnrichment;
import dev.mailpulse.enrich.enrichments.TimeZoneEnrichment;
import dev.mailpulse.storage.events.EventStore;
import dev.mailpulse.storage.workspace.Workspaces.Workspace;
import dev.mailpulse.traffic.Simulation;
import dev.mailpulse.traffic.TrafficRun;
import ua_parser.CachingParser;
import tools.jackson.databind.node.ObjectNode;

/**
 * Days of the traffic generator's history for one workspace, through what the pipeline does to each event (the
 * collector's completion and pseudonym, validation, the standard enrichments with the stage's default settings), stored
 * by the store's write path: what the daily ETL and the training then read. Keeps each recipient hash's address, so a
 * test can compare what was learnt with what was planted.
 */
final class GeneratedHistory {

    final Simulation simulation;
    final Map<String, String> addressOfHash = new HashMap<>();

    private GeneratedHistory(Simulation simulation) {
        this.simulation = simulation;
    }

    static GeneratedHistory store(DSLContext db, Workspace workspace, long seed, Instant from, Instant to, int eventsPerDay) {
        ZoneId zone = ZoneId.of(workspace.timeZone());
        GeneratedHistory history = new GeneratedHistory(new Simulation(seed, List.of(zone), 4, "campaign").rotating(TrafficRun.CAMPAIGN_LIFE));
        RecipientPseudonymizer pseudonyms = new RecipientPseudonymizer("an-ml-test-secret".getBytes(StandardCharsets.UTF_8));
        EventValidator validator = new EventValidator(new EventSchemas(), workspace.id()::equals,
                new EventValidator.TimeLimits(Duration.ofMinutes(5), Duration.ofDays(30), Duration.ofDays(400)), Clock.systemUTC());
        Enricher enricher = new Enricher(List.of(new MailboxProviderEnrichment(domain -> Optional.empty()), new ClientEnrichment(new CachingParser()),
                new MachineOpenEnrichment(new MachineOpenEnrichment.Settings(List.of("Mozilla/5\\.0"), List.of("17.0.0.0/8"))),
                new BotClickEnrichment(new BotClickEnrichment.Settings(List.of("barracuda", "mimecast", "proofpoint"), List.of(), Duration.ofSeconds(10), 3,
                        Duration.ofSeconds(1), 200_000)),
                new CampaignContextEnrichment((w, c) -> Optional.empty()), new TimeZoneEnrichment(w -> Optional.of(zone)),
                new CountryEnrichment(Optional.empty())));
        EventStore store = new EventStore();
        long minutes = Duration.between(from, to).toMinutes();
        int perMinute = Math.max(1, eventsPerDay / (24 * 60));
        List<Event> batch = new ArrayList<>();
        for (long minute = 1; minute <= minutes; minute++) {
            Instant now = from.plus(Duration.ofMinutes(minute));
            List<Simulation.Outgoing> outgoing = new ArrayList<>(history.simulation.next(perMinute, now));
            if (minute == minutes) {
                outgoing.addAll(history.simulation.drain(now));
            }
            for (Simulation.Outgoing o : outgoing) {
                ObjectNode event = o.event();
                event.put("workspace_id", workspace.id().toString()).put("source", EventSource.IMPORT.wireName()).put("received_at", now.toString());
                String address = WireJson.text(event.get("recipient"));
                if (address != null) {
                    Recipient recipient = pseudonyms.pseudonymise(workspace.id(), address, false);
                    history.addressOfHash.put(recipient.hash(), address);
                    event.putObject("recipient").put("hash", recipient.hash()).put("domain", recipient.domain());
                }
                if (validator.validate(event) instanceof Validation.Valid ok) {
                    batch.add(enricher.enrich(ok.event()));
                }
            }
            if (batch.size() >= 5_000 || minute == minutes) {
                List<Event> full = List.copyOf(batch);
                db.transaction(tx -> store.store(tx.dsl(), full));
                batch.clear();
            }
        }
        return history;
    }
}
