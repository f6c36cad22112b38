package dev.mailpulse.enrich;

import dev.mailpulse.core.event.Event;
import tools.jackson.databind.node.ObjectNode;

/**
 * One enrichment: reads the event (and what earlier enrichments wrote) and writes its fields into the event's
 * enrichment object. It says how it went as a value; it does not throw for an event it cannot enrich.
 */
public interface Enrichment {

    /** The name under which a failure of this enrichment is recorded. */
    String name();

    Outcome apply(Event event, ObjectNode enrichment);

    /** How an enrichment went for one event. */
    sealed interface Outcome {
        Outcome APPLIED = new Applied();
        Outcome NOT_APPLICABLE = new NotApplicable();

        record Applied() implements Outcome {
        }

        record NotApplicable() implements Outcome {
        }

        /** The enrichment could not be made; the event goes on, marked with why. */
        record Failed(String reason) implements Outcome {
        }
    }
}
