package dev.mailpulse.storage.events;

import static dev.mailpulse.storage.jooq.Tables.EVENTS;
import static dev.mailpulse.storage.jooq.Tables.FAILED_EVENTS;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.impl.DSL;

import tools.jackson.databind.JsonNode;

import dev.mailpulse.core.event.EventSource;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.core.recipient.AddressPseudonyms;
import dev.mailpulse.core.recipient.RecipientFields;
import dev.mailpulse.core.recipient.RecipientPseudonymizer;

/**
 * Withholds the recipients' addresses already stored for a workspace that does not store them (stored before the
 * collector withheld them, or while the workspace stored addresses): in each event the address column is cleared and
 * the addresses its provider payload's recipient fields name are replaced by their pseudonyms there and in the
 * provider's event id, as the collector does on arrival; in each failure every address-like part of the payload and
 * raw text is. Batch by batch, each in its own transaction, so it can be stopped and run again: a second run changes
 * nothing. Event ids, hashes and counts are untouched, so the read model and the live counters stay exact.
 */
public final class StoredAddresses {

    /** How far a run has come: rows read and rows changed, of events and of failures. */
    public record Progress(long eventsRead, long eventsChanged, long failuresRead, long failuresChanged) {
    }

    private static final int BATCH = 500;
    private static final int CONFIRMING_ROWS = 1_000;

    private final RecipientPseudonymizer pseudonymizer;
    private final AddressPseudonyms pseudonyms;

    /** @param pseudonymizer with the collector's secret: a run with another is refused before it changes anything */
    public StoredAddresses(RecipientPseudonymizer pseudonymizer) {
        this.pseudonymizer = pseudonymizer;
        this.pseudonyms = new AddressPseudonyms(pseudonymizer);
    }

    /** @param progress told after each batch */
    public Progress withhold(DSLContext db, UUID workspace, Consumer<Progress> progress) {
        Progress done = new Progress(0, 0, 0, 0);
        confirmSecret(db, workspace);
        OffsetDateTime afterTime = null;
        UUID afterId = null;
        while (true) {
            var mayHoldAddresses = EVENTS.WORKSPACE_ID.eq(workspace).and(EVENTS.PROVIDER_PAYLOAD.isNotNull().or(EVENTS.RECIPIENT_ADDRESS.isNotNull()));
            var after = afterTime == null ? DSL.noCondition() : DSL.row(EVENTS.OCCURRED_AT, EVENTS.EVENT_ID).gt(afterTime, afterId);
            List<? extends Record> rows = db.select(EVENTS.EVENT_ID, EVENTS.OCCURRED_AT, EVENTS.SOURCE, EVENTS.PROVIDER_EVENT_ID,
                            EVENTS.RECIPIENT_ADDRESS, EVENTS.PROVIDER_PAYLOAD)
                    .from(EVENTS).where(mayHoldAddresses.and(after)).orderBy(EVENTS.OCCURRED_AT, EVENTS.EVENT_ID).limit(BATCH).fetch();
            if (rows.isEmpty()) {
                break;
            }
            List<Query> updates = new ArrayList<>();
            for (Record row : rows) {
                JsonNode payload = payload(row);
                Set<String> addresses = addressesIn(row, payload);
                String providerEventId = row.get(EVENTS.PROVIDER_EVENT_ID);
                AddressPseudonyms.Replacements replacements = pseudonyms.of(workspace, addresses);
                JsonNode withheldPayload = replacements.in(payload);
                String withheldId = replacements.in(providerEventId);
                if (row.get(EVENTS.RECIPIENT_ADDRESS) != null || !Objects.equals(withheldPayload, payload) || !Objects.equals(withheldId, providerEventId)) {
                    updates.add(db.update(EVENTS).set(EVENTS.RECIPIENT_ADDRESS, (String) null)
                            .set(EVENTS.PROVIDER_PAYLOAD, withheldPayload == null ? null : JSONB.valueOf(withheldPayload.toString()))
                            .set(EVENTS.PROVIDER_EVENT_ID, withheldId)
                            .where(EVENTS.WORKSPACE_ID.eq(workspace), EVENTS.EVENT_ID.eq(row.get(EVENTS.EVENT_ID)),
                                    EVENTS.OCCURRED_AT.eq(row.get(EVENTS.OCCURRED_AT))));
                }
            }
            execute(db, updates);
            Record last = rows.get(rows.size() - 1);
            afterTime = last.get(EVENTS.OCCURRED_AT);
            afterId = last.get(EVENTS.EVENT_ID);
            done = new Progress(done.eventsRead() + rows.size(), done.eventsChanged() + updates.size(), 0, 0);
            progress.accept(done);
        }
        return withholdFromFailures(db, workspace, done, progress);
    }

    private Progress withholdFromFailures(DSLContext db, UUID workspace, Progress done, Consumer<Progress> progress) {
        UUID afterId = null;
        while (true) {
            var after = afterId == null ? DSL.noCondition() : FAILED_EVENTS.FAILURE_ID.gt(afterId);
            List<? extends Record> rows = db.select(FAILED_EVENTS.FAILURE_ID, FAILED_EVENTS.PAYLOAD, FAILED_EVENTS.RAW_PAYLOAD)
                    .from(FAILED_EVENTS).where(FAILED_EVENTS.WORKSPACE_ID.eq(workspace).and(after))
                    .orderBy(FAILED_EVENTS.FAILURE_ID).limit(BATCH).fetch();
            if (rows.isEmpty()) {
                return done;
            }
            List<Query> updates = new ArrayList<>();
            for (Record row : rows) {
                String payload = row.get(FAILED_EVENTS.PAYLOAD) == null ? null : row.get(FAILED_EVENTS.PAYLOAD).data();
                String raw = row.get(FAILED_EVENTS.RAW_PAYLOAD);
                Set<String> addresses = new LinkedHashSet<>();
                for (String text : new String[] {payload, raw}) {
                    if (text != null) {
                        RecipientFields.addressesIn(text, addresses);
                    }
                }
                addresses.removeIf(RecipientPseudonymizer::isPseudonym);
                if (addresses.isEmpty()) {
                    continue;
                }
                AddressPseudonyms.Replacements replacements = pseudonyms.of(workspace, addresses);
                JsonNode withheldPayload = payload == null ? null : replacements.in(WireJson.MAPPER.readTree(payload));
                updates.add(db.update(FAILED_EVENTS)
                        .set(FAILED_EVENTS.PAYLOAD, withheldPayload == null ? null : JSONB.valueOf(withheldPayload.toString()))
                        .set(FAILED_EVENTS.RAW_PAYLOAD, replacements.in(raw))
                        .where(FAILED_EVENTS.FAILURE_ID.eq(row.get(FAILED_EVENTS.FAILURE_ID))));
            }
            execute(db, updates);
            afterId = rows.get(rows.size() - 1).get(FAILED_EVENTS.FAILURE_ID);
            done = new Progress(done.eventsRead(), done.eventsChanged(), done.failuresRead() + rows.size(), done.failuresChanged() + updates.size());
            progress.accept(done);
        }
    }

    /**
     * Refuses a secret other than the collector's before anything is changed: among stored events that name one
     * recipient beside its stored hash, at least one hash must be that secret's. (With none to compare, there is
     * nothing the new pseudonyms could disagree with.)
     */
    private void confirmSecret(DSLContext db, UUID workspace) {
        int compared = 0;
        for (Record row : db.select(EVENTS.SOURCE, EVENTS.RECIPIENT_ADDRESS, EVENTS.RECIPIENT_HASH, EVENTS.PROVIDER_PAYLOAD).from(EVENTS)
                .where(EVENTS.WORKSPACE_ID.eq(workspace), EVENTS.RECIPIENT_HASH.isNotNull(),
                        EVENTS.PROVIDER_PAYLOAD.isNotNull().or(EVENTS.RECIPIENT_ADDRESS.isNotNull()))
                .limit(CONFIRMING_ROWS).fetch()) {
            Set<String> addresses = addressesIn(row, payload(row));
            if (addresses.size() == 1) {
                compared++;
                if (row.get(EVENTS.RECIPIENT_HASH).equals(hash(workspace, addresses.iterator().next()))) {
                    return;
                }
            }
        }
        if (compared > 0) {
            throw new IllegalStateException("the hashing secret is not the one the stored recipients were hashed with: "
                    + "no stored recipient hash matches its address; nothing was changed");
        }
    }

    /** The addresses in clear an event holds: those its provider payload's recipient fields name, and its address column. */
    private static Set<String> addressesIn(Record row, JsonNode payload) {
        Set<String> addresses = EventSource.fromWireName(row.get(EVENTS.SOURCE))
                .map(source -> RecipientFields.addresses(source, payload)).orElseGet(LinkedHashSet::new);
        if (row.get(EVENTS.RECIPIENT_ADDRESS) != null) {
            addresses.add(row.get(EVENTS.RECIPIENT_ADDRESS));
        }
        addresses.removeIf(RecipientPseudonymizer::isPseudonym);
        return addresses;
    }

    private static JsonNode payload(Record row) {
        JSONB payload = row.get(EVENTS.PROVIDER_PAYLOAD);
        return payload == null ? null : WireJson.MAPPER.readTree(payload.data());
    }

    private String hash(UUID workspace, String address) {
        try {
            return pseudonymizer.pseudonymise(workspace, address, false).hash();
        } catch (IllegalArgumentException unusable) {
            return null;
        }
    }

    private static void execute(DSLContext db, List<Query> updates) {
        if (!updates.isEmpty()) {
            db.transaction(tx -> tx.dsl().batch(updates).execute());
        }
    }
}
