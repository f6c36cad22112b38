package dev.mailpulse.collector.ingest;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.mailpulse.core.event.EventSource;
import dev.mailpulse.core.event.Recipient;
import dev.mailpulse.core.failure.FailureReason;
import dev.mailpulse.core.json.StorableValues;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.core.recipient.AddressPseudonyms;
import dev.mailpulse.core.recipient.RecipientFields;
import dev.mailpulse.core.recipient.RecipientPseudonymizer;
import dev.mailpulse.storage.workspace.Workspaces.Workspace;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Completes an event as the collector received it: the workspace from the credential (never from the body), the
 * source, the time of receipt, an id where the sender gave none, and the recipient pseudonymised unless the workspace
 * stores addresses. It refuses what no store could keep (NUL, lone surrogates, numbers out of range, deep nesting)
 * and fields of the envelope that are not even of the right kind; everything else is passed on as sent, for the
 * validator to judge.
 */
public final class CollectedEvents {

    /** Why an event is not taken: a typed reason, the field (a JSON Pointer) and a message without any address. */
    public record Refusal(FailureReason reason, String field, String message) {
    }

    /** Sources a client of our own API may claim; webhooks set theirs. */
    private static final Set<String> API_SOURCES = Set.of(EventSource.API.wireName(), EventSource.INTERNAL.wireName());

    private final RecipientPseudonymizer pseudonymizer;
    private final AddressPseudonyms addressPseudonyms;

    public CollectedEvents(RecipientPseudonymizer pseudonymizer) {
        this.pseudonymizer = pseudonymizer;
        this.addressPseudonyms = new AddressPseudonyms(pseudonymizer);
    }

    /**
     * Completes {@code event} in place. A refused event keeps no recipient address in clear either.
     *
     * @return why the event cannot be taken, if it cannot
     */
    public Optional<Refusal> complete(ObjectNode event, Workspace workspace, EventSource source, Instant receivedAt) {
        Optional<Refusal> refusal = refusal(event, workspace);
        if (refusal.isPresent()) {
            withholdRecipient(event, workspace, source);
            return refusal;
        }
        withholdProviderAddresses(event, workspace, source);
        event.put("workspace_id", workspace.id().toString());
        if (source == EventSource.API) {
            String claimedSource = WireJson.text(event.get("source"));
            event.put("source", claimedSource != null && API_SOURCES.contains(claimedSource) ? claimedSource : EventSource.API.wireName());
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

    /** Replaces a recipient in clear by its pseudonym, or removes it when it cannot be read (for kept failures). */
    public void withholdRecipient(ObjectNode event, Workspace workspace, EventSource source) {
        withholdProviderAddresses(event, workspace, source);
        if (pseudonymiseRecipient(event, workspace).isPresent()) {
            event.remove("recipient");
        }
    }

    /**
     * A provider's item as it may be kept (as a failure the adapter could not map): every recipient address it names
     * replaced by its pseudonym, unless the workspace stores addresses.
     */
    public JsonNode withheld(JsonNode providerItem, Workspace workspace, EventSource source) {
        if (providerItem == null || workspace.storeRecipientAddress()) {
            return providerItem;
        }
        return addressPseudonyms.of(workspace.id(), RecipientFields.addresses(source, providerItem)).in(providerItem);
    }

    /** A text kept as it came (a line that is not JSON): every address-like part of it replaced by its pseudonym. */
    public String withheld(String text, Workspace workspace) {
        if (text == null || workspace.storeRecipientAddress()) {
            return text;
        }
        Set<String> addresses = new LinkedHashSet<>();
        RecipientFields.addressesIn(text, addresses);
        return addressPseudonyms.of(workspace.id(), addresses).in(text);
    }

    /**
     * Every occurrence, anywhere in the provider's payload and in its event id, of the addresses of the event's
     * recipient and of those the payload's recipient fields name, replaced by their pseudonyms ({@code hash@domain}).
     */
    private void withholdProviderAddresses(ObjectNode event, Workspace workspace, EventSource source) {
        JsonNode payload = event.get("provider_payload");
        if (workspace.storeRecipientAddress() || payload == null && !event.has("provider_event_id")) {
            return;
        }
        Set<String> addresses = RecipientFields.addresses(source, payload);
        JsonNode recipient = event.get("recipient");
        String own = recipient == null ? null : recipient.isString() ? recipient.asString() : WireJson.text(recipient.get("address"));
        if (own != null) {
            RecipientFields.addressesIn(own, addresses);
        }
        AddressPseudonyms.Replacements pseudonyms = addressPseudonyms.of(workspace.id(), addresses);
        if (payload != null) {
            event.set("provider_payload", pseudonyms.in(payload));
        }
        String providerEventId = WireJson.text(event.get("provider_event_id"));
        if (providerEventId != null) {
            event.put("provider_event_id", pseudonyms.in(providerEventId));
        }
    }

    private static Optional<Refusal> refusal(ObjectNode event, Workspace workspace) {
        Optional<StorableValues.Problem> unstorable = StorableValues.check(event);
        if (unstorable.isPresent()) {
            return Optional.of(new Refusal(FailureReason.UNSTORABLE_VALUE, unstorable.get().field(),
                    (unstorable.get().field().isEmpty() ? "the event" : unstorable.get().field()) + ": " + unstorable.get().reason()));
        }
        JsonNode claimedWorkspace = event.get("workspace_id");
        if (claimedWorkspace != null && !claimedWorkspace.isNull()) {
            if (!claimedWorkspace.isString()) {
                return Optional.of(new Refusal(FailureReason.SCHEMA_VIOLATION, "/workspace_id", "/workspace_id: must be a string"));
            }
            if (!workspace.id().toString().equalsIgnoreCase(claimedWorkspace.asString())) {
                return Optional.of(new Refusal(FailureReason.UNKNOWN_WORKSPACE, "/workspace_id",
                        "workspace_id names another workspace than the credential's"));
            }
        }
        return Optional.empty();
    }

    private Optional<Refusal> pseudonymiseRecipient(ObjectNode event, Workspace workspace) {
        JsonNode recipient = event.get("recipient");
        JsonNode address;
        if (recipient == null || recipient.isNull()) {
            return Optional.empty();
        } else if (recipient.isString()) {
            address = recipient;
        } else if (recipient.isObject() && recipient.hasNonNull("address")) {
            address = recipient.get("address");
        } else {
            return Optional.empty(); // already pseudonymous (hash and domain), or malformed: the validator says which
        }
        if (!address.isString()) {
            return Optional.of(new Refusal(FailureReason.SCHEMA_VIOLATION, recipient.isString() ? "/recipient" : "/recipient/address",
                    "the recipient's address must be a string"));
        }
        try {
            Recipient pseudonymous = pseudonymizer.pseudonymise(workspace.id(), address.asString(), workspace.storeRecipientAddress());
            ObjectNode written = event.putObject("recipient");
            written.put("hash", pseudonymous.hash());
            written.put("domain", pseudonymous.domain());
            if (pseudonymous.address() != null) {
                written.put("address", pseudonymous.address());
            }
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            event.remove("recipient"); // an unusable address is not passed on in clear
            return Optional.of(new Refusal(FailureReason.SCHEMA_VIOLATION, "/recipient",
                    "recipient: " + String.valueOf(e.getMessage()).replace(address.asString(), "(address withheld)")));
        }
    }
}
