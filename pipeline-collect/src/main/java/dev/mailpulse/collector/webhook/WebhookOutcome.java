package dev.mailpulse.collector.webhook;

import java.util.List;

import dev.mailpulse.collector.ingest.Ingestion;
import dev.mailpulse.collector.ingest.ItemFailure;
import dev.mailpulse.core.failure.FailureReason;
import tools.jackson.databind.JsonNode;

/** What a provider's adapter made of an authentic webhook call. */
public sealed interface WebhookOutcome {

    /** Canonical events to ingest, and the provider's items that could not be mapped, with why. */
    record Events(List<Ingestion.Item> events, List<ItemFailure> unmapped) implements WebhookOutcome {
    }

    /** A provider's item that could not be mapped, kept with why. */
    static ItemFailure unmapped(int index, RuntimeException why, JsonNode item) {
        FailureReason reason = why instanceof IllegalArgumentException ? FailureReason.SCHEMA_VIOLATION : FailureReason.PROCESSING_ERROR;
        return ItemFailure.of(index, reason, null, String.valueOf(why.getMessage()), item);
    }

    /** A protocol message handled in full by the adapter (such as an SNS subscription confirmation). */
    record Handled(String message) implements WebhookOutcome {
    }

    /** The call is authentic but cannot be read: the HTTP status, why, and where. */
    record Unreadable(int status, String reason, String where) implements WebhookOutcome {
    }
}
