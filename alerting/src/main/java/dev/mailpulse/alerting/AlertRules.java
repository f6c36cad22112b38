package dev.mailpulse.alerting;

import static dev.mailpulse.storage.jooq.Tables.ALERT_INSTANCES;
import static dev.mailpulse.storage.jooq.Tables.ALERT_NOTIFICATIONS;
import static dev.mailpulse.storage.jooq.Tables.ALERT_RULES;
import static dev.mailpulse.storage.jooq.Tables.ALERT_TRANSITIONS;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSON;
import org.jooq.Record;
import org.jooq.impl.DSL;

import dev.mailpulse.core.json.WireJson;
import tools.jackson.databind.JsonNode;

/**
 * One workspace's alert rules and their instances in the MailPulse database: every query is filtered by the
 * workspace fixed when the object is made, so a rule of another workspace is never found, changed or removed.
 */
public final class AlertRules {

    /** A stored rule: its id, its definition, whether it is judged, when it was created. */
    public record Stored(UUID id, AlertRule rule, boolean enabled, Instant createdAt) {
    }

    /**
     * An alert instance: its rule, the labels of its split's value (empty without a split), its state since when, the
     * value last judged, and who acknowledged it while it fires, with what comment.
     */
    public record Alert(UUID ruleId, String ruleName, Map<String, String> labels, AlertState state, Instant since, Optional<Double> value,
                        Optional<Long> volume, Instant evaluatedAt, Optional<Acknowledgement> acknowledgement) {
    }

    /** Who acknowledged a firing alert, when, and what they said: its repeats stop, its resolution is still told. */
    public record Acknowledgement(String by, Instant at, String comment) {
    }

    /** A transition kept in the history, with what became of the notifications it owed. */
    public record History(long id, UUID ruleId, AlertTransition transition, List<Notification> notifications) {
    }

    /** A notification owed to a channel (its place in the rule's list): pending, sent or failed, after how many attempts, why. */
    public record Notification(int channel, String state, int attempts, Optional<String> lastError, Optional<Instant> sentAt) {
    }

    private final DSLContext db;
    private final UUID workspaceId;

    public AlertRules(DSLContext db, UUID workspaceId) {
        this.db = Objects.requireNonNull(db, "db");
        this.workspaceId = Objects.requireNonNull(workspaceId, "workspaceId");
    }

    /** Saves a new rule; a name the workspace already gave another rule is refused. */
    public Stored create(AlertRule rule) {
        UUID id = UUID.randomUUID();
        Record row = db.insertInto(ALERT_RULES).set(ALERT_RULES.RULE_ID, id).set(ALERT_RULES.WORKSPACE_ID, workspaceId)
                .set(ALERT_RULES.NAME, rule.name()).set(ALERT_RULES.DEFINITION, JSON.valueOf(AlertRuleJson.forStore(rule).toString()))
                .onConflict(ALERT_RULES.WORKSPACE_ID, ALERT_RULES.NAME).doNothing()
                .returning(ALERT_RULES.CREATED_AT).fetchOne();
        if (row == null) {
            throw new InvalidRule("name", "the workspace has a rule named '" + rule.name() + "' already");
        }
        return new Stored(id, rule, true, row.get(ALERT_RULES.CREATED_AT).toInstant());
    }

    public List<Stored> list() {
        return db.selectFrom(ALERT_RULES).where(ALERT_RULES.WORKSPACE_ID.eq(workspaceId)).orderBy(ALERT_RULES.NAME, ALERT_RULES.RULE_ID)
                .fetch(r -> new Stored(r.getRuleId(), read(r.getDefinition()), r.getEnabled(), r.getCreatedAt().toInstant()));
    }

    public Optional<Stored> find(UUID id) {
        return db.selectFrom(ALERT_RULES).where(ALERT_RULES.WORKSPACE_ID.eq(workspaceId), ALERT_RULES.RULE_ID.eq(id))
                .fetchOptional(r -> new Stored(r.getRuleId(), read(r.getDefinition()), r.getEnabled(), r.getCreatedAt().toInstant()));
    }

    /** Removes a rule with its instances and their history; false when the workspace has no such rule. */
    public boolean delete(UUID id) {
        return db.deleteFrom(ALERT_RULES).where(ALERT_RULES.WORKSPACE_ID.eq(workspaceId), ALERT_RULES.RULE_ID.eq(id)).execute() == 1;
    }

    /** The workspace's alert instances in a state (every state when empty), firing first, then the most recent changes. */
    public List<Alert> alerts(Optional<AlertState> state) {
        return db.select(ALERT_INSTANCES.asterisk(), ALERT_RULES.NAME).from(ALERT_INSTANCES).join(ALERT_RULES).on(ALERT_RULES.RULE_ID.eq(ALERT_INSTANCES.RULE_ID))
                .where(ALERT_INSTANCES.WORKSPACE_ID.eq(workspaceId), ALERT_RULES.WORKSPACE_ID.eq(workspaceId))
                .and(state.map(s -> ALERT_INSTANCES.STATE.eq(s.wireName())).orElse(DSL.noCondition()))
                .orderBy(ALERT_INSTANCES.STATE.eq(AlertState.FIRING.wireName()).desc(), ALERT_INSTANCES.SINCE.desc(), ALERT_INSTANCES.RULE_ID)
                .fetch(r -> new Alert(r.get(ALERT_INSTANCES.RULE_ID), r.get(ALERT_RULES.NAME), labels(r.get(ALERT_INSTANCES.LABELS)),
                        AlertState.of(r.get(ALERT_INSTANCES.STATE)).orElseThrow(), r.get(ALERT_INSTANCES.SINCE).toInstant(),
                        Optional.ofNullable(r.get(ALERT_INSTANCES.LAST_VALUE)), Optional.ofNullable(r.get(ALERT_INSTANCES.LAST_VOLUME)),
                        r.get(ALERT_INSTANCES.LAST_EVALUATED_AT).toInstant(),
                        Optional.ofNullable(r.get(ALERT_INSTANCES.ACKNOWLEDGED_AT)).map(ackedAt -> new Acknowledgement(
                                r.get(ALERT_INSTANCES.ACKNOWLEDGED_BY), ackedAt.toInstant(), r.get(ALERT_INSTANCES.ACKNOWLEDGEMENT)))));
    }

    /**
     * Acknowledges a firing alert (the rule's instance of these labels) with a comment: false when the workspace has no
     * such alert firing. The acknowledgement ends when the alert's state changes.
     */
    public boolean acknowledge(UUID ruleId, Map<String, String> labels, String by, String comment, Instant at) {
        if (comment == null || comment.isBlank() || comment.length() > 1_000) {
            throw new InvalidRule("comment", "required, what is being done about it, at most 1000 characters");
        }
        return db.update(ALERT_INSTANCES).set(ALERT_INSTANCES.ACKNOWLEDGED_AT, at.atOffset(java.time.ZoneOffset.UTC))
                .set(ALERT_INSTANCES.ACKNOWLEDGED_BY, by).set(ALERT_INSTANCES.ACKNOWLEDGEMENT, comment.strip())
                .where(ALERT_INSTANCES.WORKSPACE_ID.eq(workspaceId), ALERT_INSTANCES.RULE_ID.eq(ruleId),
                        labelsAre(ALERT_INSTANCES.LABELS, labels),
                        ALERT_INSTANCES.STATE.eq(AlertState.FIRING.wireName()))
                .execute() == 1;
    }

    /** The workspace's transitions after the one of id {@code after}, oldest first, at most {@code most} (without their notifications). */
    public List<History> transitionsAfter(long after, int most) {
        return db.select(ALERT_TRANSITIONS.asterisk(), ALERT_RULES.NAME).from(ALERT_TRANSITIONS).join(ALERT_RULES)
                .on(ALERT_RULES.RULE_ID.eq(ALERT_TRANSITIONS.RULE_ID))
                .where(ALERT_TRANSITIONS.WORKSPACE_ID.eq(workspaceId), ALERT_RULES.WORKSPACE_ID.eq(workspaceId), ALERT_TRANSITIONS.TRANSITION_ID.gt(after))
                .orderBy(ALERT_TRANSITIONS.TRANSITION_ID).limit(most)
                .fetch(AlertRules::historyOf);
    }

    /** The id of the workspace's latest transition (0 when none): where a follower of the transitions from now starts. */
    public long newestTransitionId() {
        Long newest = db.select(DSL.max(ALERT_TRANSITIONS.TRANSITION_ID)).from(ALERT_TRANSITIONS).where(ALERT_TRANSITIONS.WORKSPACE_ID.eq(workspaceId))
                .fetchOne(0, Long.class);
        return newest == null ? 0 : newest;
    }

    /** The workspace's latest transitions, newest first, each with its notifications. */
    public List<History> history(int most) {
        Map<Long, List<Notification>> notifications = new TreeMap<>();
        List<History> history = db.select(ALERT_TRANSITIONS.asterisk(), ALERT_RULES.NAME).from(ALERT_TRANSITIONS).join(ALERT_RULES)
                .on(ALERT_RULES.RULE_ID.eq(ALERT_TRANSITIONS.RULE_ID))
                .where(ALERT_TRANSITIONS.WORKSPACE_ID.eq(workspaceId), ALERT_RULES.WORKSPACE_ID.eq(workspaceId))
                .orderBy(ALERT_TRANSITIONS.AT.desc(), ALERT_TRANSITIONS.TRANSITION_ID.desc()).limit(most)
                .fetch(AlertRules::historyOf);
        history.forEach(h -> notifications.put(h.id(), h.notifications()));
        db.selectFrom(ALERT_NOTIFICATIONS)
                .where(ALERT_NOTIFICATIONS.WORKSPACE_ID.eq(workspaceId), ALERT_NOTIFICATIONS.TRANSITION_ID.in(notifications.keySet()))
                .orderBy(ALERT_NOTIFICATIONS.CHANNEL)
                .forEach(n -> notifications.get(n.getTransitionId()).add(new Notification(n.getChannel(), n.getState(), n.getAttempts(),
                        Optional.ofNullable(n.getLastError()), Optional.ofNullable(n.getSentAt()).map(java.time.OffsetDateTime::toInstant))));
        return history;
    }

    /** A transition row (with its rule's name) as history, its notifications still to be added. */
    private static History historyOf(Record r) {
        return new History(r.get(ALERT_TRANSITIONS.TRANSITION_ID), r.get(ALERT_TRANSITIONS.RULE_ID),
                new AlertTransition(r.get(ALERT_TRANSITIONS.AT).toInstant(), r.get(ALERT_RULES.NAME), labels(r.get(ALERT_TRANSITIONS.LABELS)),
                        AlertState.of(r.get(ALERT_TRANSITIONS.FROM_STATE)).orElseThrow(), AlertState.of(r.get(ALERT_TRANSITIONS.TO_STATE)).orElseThrow(),
                        Optional.ofNullable(r.get(ALERT_TRANSITIONS.VALUE)), Optional.ofNullable(r.get(ALERT_TRANSITIONS.VOLUME)).orElse(0L)),
                new ArrayList<>());
    }

    private static AlertRule read(JSON definition) {
        return AlertRuleJson.read(WireJson.MAPPER.readTree(definition.data()));
    }

    /** A condition on a jsonb column of labels: these labels, whatever their order. */
    static Condition labelsAre(Field<JSON> column, Map<String, String> labels) {
        return DSL.condition("{0} = cast({1} as jsonb)", column, DSL.val(WireJson.MAPPER.writeValueAsString(new TreeMap<>(labels))));
    }

    /** An instance's labels as stored (a JSON object of texts). */
    static Map<String, String> labels(JSON labels) {
        Map<String, String> read = new TreeMap<>();
        JsonNode json = WireJson.MAPPER.readTree(labels.data());
        json.propertyNames().forEach(name -> read.put(name, json.get(name).stringValue()));
        return read;
    }
}
