package dev.mailpulse.console;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jooq.DSLContext;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.event.EventSource;
import dev.mailpulse.core.event.Recipient;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.core.recipient.RecipientPseudonymizer;
import dev.mailpulse.core.schema.EventSchemas;
import dev.mailpulse.core.validation.EventValidator;
import dev.mailpulse.core.validation.Validation;
import dev.mailpulse.storage.events.EventStore;
import dev.mailpulse.storage.workspace.Workspaces.Workspace;
import dev.mailpulse.traffic.Simulation;
import tools.jackson.databind.node.ObjectNode;

/**
 * The traffic generator's events for one workspace, completed as the collector completes them (workspace, source,
 * time of arrival, the recipient's pseudonym) and validated as the validator does (its invalid ones dropped), stored
 * through the store's write path; and the ground truth of what was stored.
 */
final class StoredTraffic {

    private final Simulation simulation;

    private StoredTraffic(Simulation simulation) {
        this.simulation = simulation;
    }

    /** About {@code events} events over the {@code hours} hours before {@code until}. */
    static StoredTraffic store(DSLContext db, Workspace workspace, long seed, int events, int hours, Instant until) {
        Simulation simulation = new Simulation(seed, 1, 3);
        RecipientPseudonymizer pseudonyms = new RecipientPseudonymizer("a-console-test-secret".getBytes(StandardCharsets.UTF_8));
        EventValidator validator = new EventValidator(new EventSchemas(), workspace.id()::equals,
                new EventValidator.TimeLimits(Duration.ofMinutes(5), Duration.ofDays(30), Duration.ofDays(400)), Clock.systemUTC());
        EventStore store = new EventStore();
        int batches = 20;
        for (int b = 0; b < batches; b++) {
            Instant now = until.minus(Duration.ofHours(hours)).plus(Duration.ofHours(hours).multipliedBy(b + 1).dividedBy(batches));
            List<Event> valid = new ArrayList<>();
            for (Simulation.Outgoing outgoing : simulation.next(events / batches, now)) {
                ObjectNode event = outgoing.event();
                event.put("workspace_id", workspace.id().toString()).put("source", EventSource.API.wireName()).put("received_at", now.toString());
                String address = WireJson.text(event.get("recipient"));
                if (address != null) {
                    Recipient recipient = pseudonyms.pseudonymise(workspace.id(), address, false);
                    event.putObject("recipient").put("hash", recipient.hash()).put("domain", recipient.domain());
                }
                if (validator.validate(event) instanceof Validation.Valid ok) {
                    valid.add(ok.event());
                }
            }
            db.transaction(tx -> store.store(tx.dsl(), valid));
        }
        return new StoredTraffic(simulation);
    }

    /** The distinct valid events stored, per (campaign, type, hour): what every count must equal. */
    Map<Simulation.TruthKey, Long> truth() {
        return simulation.truth();
    }
}
