package dev.mailpulse.collector.webhook;

import java.util.Optional;
import java.util.UUID;

import dev.mailpulse.collector.ingest.Answer;
import dev.mailpulse.core.event.EventSource;
import tools.jackson.databind.node.ObjectNode;

/**
 * One email provider's webhooks: how their authenticity is proved, and how their payloads map to canonical events.
 * Adapters are registered in {@link ProviderAdapters} under the provider's name in the webhook URL.
 */
public interface ProviderAdapter {

    EventSource source();

    /**
     * Proves the call comes from the provider, with the workspace's stored credential for it.
     *
     * @return the refusal (401 or 403, with why) if it does not
     */
    Optional<Answer.Refused> verify(WebhookRequest request, ObjectNode credential);

    /** Maps an authentic call to canonical events (recipients as plain addresses: the collector pseudonymises them). */
    WebhookOutcome read(WebhookRequest request, UUID workspaceId);

    /** Called once the call's events are safely taken (so a retry after a failure is not mistaken for a replay). */
    default void accepted(WebhookRequest request) {
    }
}
