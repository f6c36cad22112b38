package dev.mailpulse.core.validation;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.failure.FailedEvent;

/** The outcome of validating one event: the event, ready for enrichment, or why it failed. */
public sealed interface Validation {

    record Valid(Event event) implements Validation {
    }

    record Invalid(FailedEvent failure) implements Validation {
    }
}
