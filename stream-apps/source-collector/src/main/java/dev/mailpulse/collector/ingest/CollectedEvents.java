package dev.mailpulse.collector.ingest;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.mailpulse.core.event.EventSource;
import dev.mailpulse.core.event.Recipient;
import dev.mailpulse.core.recipient.RecipientPseudonymizer;
import dev.mailpulse.storage.workspace.Workspaces.Workspace;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Completes an event as the collector received it: the workspace from the credential (never from the body), the
 * source, the time of receipt, an id where the sender gave none, and the recipient pseudonymised unless the workspace
 * stores addresses. Everything else is passed on as sent, for the validator to judge.
 */
public final class CollectedEvents {

    /** Sources a client of our own API may claim; webhooks set theirs. */
    private static final Set<String> API_SOURCES = Set.of(EventSource.API.wireName(), EventSource.INTERNAL.wireName());

    private final RecipientPseudonymizer pseudonymizer;

    public CollectedEvents(RecipientPseudonymizer pseudonymizer) {
        this.pseudonymizer = pseudonymizer;
    }

    /**
     * Completes {@code event} in place.
     *
     * @return why the event cannot be taken, if it cannot
     */
    public Optional<String> complete(ObjectNode event, Workspace workspace, EventSource source, Instant receivedAt) {
        JsonNode claimedWorkspace = event.get("workspace_id");
        if (claimedWorkspace != null && !claimedWorkspace.isNull() && !workspace.id().toString().equalsIgnoreCase(claimedWorkspace.asString())) {
            return Optional.of("workspace_id names another workspace than the credential's");
        }
        event.put("workspace_id", workspace.id().toString());
        if (source == EventSource.API) {
            JsonNode claimedSource = event.get("source");
            event.put("source", claimedSource != null && API_SOURCES.contains(claimedSource.asString(""))
                    ? claimedSource.asString() : EventSource.API.wireName());
        } else {
            event.put("source", source.wireName());
        }
        event.put("received_at", receivedAt.toString());
        if (!event.hasNonNull("event_id")) {
            // Without an id of the sender's, a retried request cannot be recognised: documented for API clients.
            event.put("event_id", UUID.randomUUID().toString());
        }
        event.remove("enrichment"); // written by processor-enrich only
        return pseudonymiseRecipient(event, workspace);
    }

    private Optional<String> pseudonymiseRecipient(ObjectNode event, Workspace workspace) {
        JsonNode recipient = event.get("recipient");
        String address;
        if (recipient == null || recipient.isNull()) {
            return Optional.empty();
        } else if (recipient.isString()) {
            address = recipient.asString();
        } else if (recipient.isObject() && recipient.hasNonNull("address")) {
            address = recipient.get("address").asString();
        } else {
            return Optional.empty(); // already pseudonymous (hash and domain), or malformed: the validator says which
        }
        try {
            Recipient pseudonymous = pseudonymizer.pseudonymise(workspace.id(), address, workspace.storeRecipientAddress());
            ObjectNode written = event.putObject("recipient");
            written.put("hash", pseudonymous.hash());
            written.put("domain", pseudonymous.domain());
            if (pseudonymous.address() != null) {
                written.put("address", pseudonymous.address());
            }
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            event.remove("recipient"); // an unusable address is not passed on in clear
            return Optional.of("recipient: " + e.getMessage().replace(address, "(address withheld)"));
        }
    }
}
