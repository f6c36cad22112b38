package dev.mailpulse.alerting;

import static dev.mailpulse.storage.jooq.Tables.ALERT_SILENCES;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jooq.DSLContext;
import org.jooq.JSON;
import org.jooq.Record;

import dev.mailpulse.core.json.WireJson;

/**
 * One workspace's silences: while one lasts, the notifications of the alerts whose labels match all its matchers are
 * kept as silenced instead of sent. An alert's labels are its split's value ({@code mailbox_provider: yahoo}), its
 * rule's labels, the rule's name as {@code rule} and its severity as {@code severity}. Every query is filtered by the
 * workspace fixed when the object is made.
 */
public final class AlertSilences {

    /** The longest a silence may last: longer is a rule to switch off. */
    public static final Duration LONGEST = Duration.ofDays(30);
    private static final Pattern LABEL = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final int MOST_MATCHERS = 20;
    private static final int LONGEST_TEXT = 1_000;

    /** A silence: what it matches, from when to when, why and by whom. */
    public record Silence(UUID id, Map<String, String> matchers, Instant startsAt, Instant endsAt, String comment, String createdBy) {

        public boolean activeAt(Instant at) {
            return !at.isBefore(startsAt) && at.isBefore(endsAt);
        }

        /** Whether every matcher is among the labels, with the same value. */
        public boolean matches(Map<String, String> labels) {
            return matchers.entrySet().stream().allMatch(m -> m.getValue().equals(labels.get(m.getKey())));
        }
    }

    private final DSLContext db;
    private final UUID workspaceId;

    public AlertSilences(DSLContext db, UUID workspaceId) {
        this.db = Objects.requireNonNull(db, "db");
        this.workspaceId = Objects.requireNonNull(workspaceId, "workspaceId");
    }

    /** Saves a silence, its matchers, range and comment checked first: a refusal names the field. */
    public Silence create(Map<String, String> matchers, Instant startsAt, Instant endsAt, String comment, String createdBy) {
        if (matchers.isEmpty() || matchers.size() > MOST_MATCHERS) {
            throw new InvalidRule("matchers", "from 1 to " + MOST_MATCHERS + " labels and the values they must have");
        }
        matchers.forEach((name, value) -> {
            if (!LABEL.matcher(name).matches() || value == null || value.isEmpty() || value.length() > LONGEST_TEXT) {
                throw new InvalidRule("matchers." + name, "a label (lower case, digits, _) and a value of 1 to " + LONGEST_TEXT + " characters");
            }
        });
        if (!endsAt.isAfter(startsAt)) {
            throw new InvalidRule("ends_at", "after starts_at");
        }
        if (Duration.between(startsAt, endsAt).compareTo(LONGEST) > 0) {
            throw new InvalidRule("ends_at", "at most " + LONGEST.toDays() + " days after starts_at: switch the rule off instead");
        }
        if (comment == null || comment.isBlank() || comment.length() > LONGEST_TEXT) {
            throw new InvalidRule("comment", "required, why the alerts are silenced, at most " + LONGEST_TEXT + " characters");
        }
        Silence silence = new Silence(UUID.randomUUID(), new TreeMap<>(matchers), startsAt, endsAt, comment.strip(), createdBy);
        db.insertInto(ALERT_SILENCES).set(ALERT_SILENCES.SILENCE_ID, silence.id()).set(ALERT_SILENCES.WORKSPACE_ID, workspaceId)
                .set(ALERT_SILENCES.MATCHERS, JSON.valueOf(WireJson.MAPPER.writeValueAsString(silence.matchers())))
                .set(ALERT_SILENCES.STARTS_AT, startsAt.atOffset(ZoneOffset.UTC)).set(ALERT_SILENCES.ENDS_AT, endsAt.atOffset(ZoneOffset.UTC))
                .set(ALERT_SILENCES.COMMENT, silence.comment()).set(ALERT_SILENCES.CREATED_BY, createdBy)
                .execute();
        return silence;
    }

    /** The silences that have not ended at {@code now}, the soonest to end first. */
    public List<Silence> current(Instant now) {
        return db.selectFrom(ALERT_SILENCES)
                .where(ALERT_SILENCES.WORKSPACE_ID.eq(workspaceId), ALERT_SILENCES.ENDS_AT.gt(now.atOffset(ZoneOffset.UTC)))
                .orderBy(ALERT_SILENCES.ENDS_AT, ALERT_SILENCES.SILENCE_ID)
                .fetch(AlertSilences::silence);
    }

    /** Ends a silence now; false when the workspace has no such silence still going. */
    public boolean expire(UUID id, Instant now) {
        return db.update(ALERT_SILENCES).set(ALERT_SILENCES.ENDS_AT, now.atOffset(ZoneOffset.UTC))
                .where(ALERT_SILENCES.WORKSPACE_ID.eq(workspaceId), ALERT_SILENCES.SILENCE_ID.eq(id),
                        ALERT_SILENCES.ENDS_AT.gt(now.atOffset(ZoneOffset.UTC)), ALERT_SILENCES.STARTS_AT.lt(now.atOffset(ZoneOffset.UTC)))
                .execute() == 1
                || db.deleteFrom(ALERT_SILENCES).where(ALERT_SILENCES.WORKSPACE_ID.eq(workspaceId), ALERT_SILENCES.SILENCE_ID.eq(id),
                        ALERT_SILENCES.STARTS_AT.ge(now.atOffset(ZoneOffset.UTC))).execute() == 1; // one yet to start is removed
    }

    /** An alert's labels as silences match them: its split's value, its rule's labels, {@code rule} and {@code severity}. */
    public static Map<String, String> labelsOf(AlertRule rule, Map<String, String> instance) {
        Map<String, String> labels = new TreeMap<>(rule.labels());
        labels.putAll(instance);
        labels.put("rule", rule.name());
        labels.put("severity", rule.severity().wireName());
        return labels;
    }

    private static Silence silence(Record r) {
        Map<String, String> matchers = AlertRules.labels(r.get(ALERT_SILENCES.MATCHERS));
        return new Silence(r.get(ALERT_SILENCES.SILENCE_ID), matchers, r.get(ALERT_SILENCES.STARTS_AT).toInstant(),
                r.get(ALERT_SILENCES.ENDS_AT).toInstant(), r.get(ALERT_SILENCES.COMMENT), r.get(ALERT_SILENCES.CREATED_BY));
    }
}
