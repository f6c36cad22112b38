package dev.mailpulse.enrich;

import java.util.List;

import dev.mailpulse.core.event.Enrichments;
import dev.mailpulse.core.event.Event;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies the enrichments in their fixed order. An enrichment that fails marks the event ({@code enrichment.failures})
 * instead of dropping it; the summary flag {@code automated} (a machine open or a bot click) is set last, from what
 * the enrichments found.
 */
public final class Enricher {

    private final List<Enrichment> enrichments;

    public Enricher(List<Enrichment> enrichments) {
        this.enrichments = List.copyOf(enrichments);
    }

    public Event enrich(Event event) {
        ObjectNode enrichment = JsonNodeFactory.instance.objectNode();
        ArrayNode failures = null;
        for (Enrichment step : enrichments) {
            Enrichment.Outcome outcome;
            try {
                outcome = step.apply(event, enrichment);
            } catch (RuntimeException e) {
                outcome = new Enrichment.Outcome.Failed(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            if (outcome instanceof Enrichment.Outcome.Failed failed) {
                if (failures == null) {
                    failures = enrichment.putArray(Enrichments.FAILURES);
                }
                failures.addObject().put("enrichment", step.name()).put("reason", failed.reason());
            }
        }
        enrichment.put(Enrichments.AUTOMATED, enrichment.path(Enrichments.MACHINE_OPEN).asBoolean(false) || enrichment.path(Enrichments.BOT_CLICK).asBoolean(false));
        return event.withEnrichment(enrichment);
    }
}
