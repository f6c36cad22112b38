package dev.mailpulse.alerting;

import static dev.mailpulse.storage.jooq.Tables.ALERT_INSTANCES;
import static dev.mailpulse.storage.jooq.Tables.ALERT_NOTIFICATIONS;
import static dev.mailpulse.storage.jooq.Tables.ALERT_RULES;
import static dev.mailpulse.storage.jooq.Tables.ALERT_TRANSITIONS;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.JSON;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mailpulse.alerting.AlertRule.Change;
import dev.mailpulse.alerting.Judgement.Instance;
import dev.mailpulse.alerting.Judgement.Observation;
import dev.mailpulse.core.json.WireJson;

/**
 * Judges a workspace's rules at an instant, from the read model, and keeps what it judged: each instance's state,
 * every transition with the value that caused it, and for each transition to firing or resolved one notification owed
 * to each of the rule's channels (again after each repeat interval while a firing lasts, unless it was acknowledged;
 * kept as silenced, not sent, while a silence matches), all in one transaction. A transaction-scoped advisory lock on the workspace makes
 * evaluators take turns (one that finds it taken skips the workspace, whose turn another is having), and the states
 * it starts from are those the last evaluation committed: so every transition is judged, and told, once, whatever
 * evaluators run and restart. A window ends with the minute that holds the instant, whose bucket is still filling.
 */
public final class AlertEvaluator {

    /** The advisory locks' first key: the evaluation of one workspace, the second being the workspace's hash. */
    private static final int LOCK = 0x4d50_4131;
    private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluator.class);

    /** One evaluation's outcome: whether the workspace was this evaluator's turn, the rules judged, the transitions made. */
    public record Outcome(boolean judged, int rules, List<AlertTransition> transitions) {
    }

    private final MetricStore store;
    private final DSLContext db;

    public AlertEvaluator(MetricStore store) {
        this.store = Objects.requireNonNull(store, "store");
        this.db = store.db();
    }

    public Outcome evaluate(UUID workspaceId, Instant now) {
        return db.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            Boolean mine = tx.fetchValue(DSL.field("pg_try_advisory_xact_lock({0}, hashtext({1}))", Boolean.class, DSL.val(LOCK),
                    DSL.val(workspaceId.toString())));
            if (!Boolean.TRUE.equals(mine)) {
                return new Outcome(false, 0, List.of());
            }
            List<AlertTransition> transitions = new ArrayList<>();
            List<AlertSilences.Silence> silences = new AlertSilences(tx, workspaceId).current(now);
            int judged = 0;
            for (var stored : tx.selectFrom(ALERT_RULES).where(ALERT_RULES.WORKSPACE_ID.eq(workspaceId), ALERT_RULES.ENABLED.isTrue())
                    .orderBy(ALERT_RULES.RULE_ID).fetch()) {
                AlertRule rule = AlertRuleJson.read(WireJson.MAPPER.readTree(stored.getDefinition().data()));
                try {
                    // a savepoint: a rule whose evaluation fails costs only itself, its instances shown in error
                    transitions.addAll(tx.transactionResult(nested -> judge(new MetricStore(nested.dsl(), store.batchTablePrefix()), workspaceId,
                            stored.getRuleId(), rule, silences, now)));
                } catch (DataAccessException e) {
                    LOG.warn("Rule '{}' ({}) of workspace {} could not be evaluated: {}", rule.name(), stored.getRuleId(), workspaceId, e.getMessage());
                    transitions.addAll(fail(tx, workspaceId, stored.getRuleId(), rule, now));
                }
                judged++;
            }
            return new Outcome(true, judged, transitions);
        });
    }

    /** What the last evaluation left of an instance: its state, since when it was judged, told, acknowledged. */
    private record Kept(Instance instance, Instant judgedAt, Optional<Instant> notifiedAt, int repeats, boolean acknowledged) {
    }

    private static List<AlertTransition> judge(MetricStore in, UUID workspaceId, UUID ruleId, AlertRule rule, List<AlertSilences.Silence> silences,
                                               Instant now) {
        DSLContext tx = in.db();
        Instant end = now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        // the window judged is the last of a series: a change's base one step (a window or a week) before, an anomaly's baseline windows
        Duration step = rule.condition() instanceof Change change ? MetricWindows.back(change, rule.window()) : rule.window();
        int judgedWindow = MetricWindows.lookback(rule, step);
        Map<Map<String, String>, long[][]> totals = MetricWindows.totals(in, workspaceId, rule, step, end.minus(step.multipliedBy(judgedWindow)),
                judgedWindow + 1);
        Map<Map<String, String>, Kept> kept = kept(tx, ruleId);
        totals.keySet().forEach(labels -> kept.putIfAbsent(labels, new Kept(Instance.NEW, Instant.EPOCH, Optional.empty(), 0, false)));

        List<AlertTransition> transitions = new ArrayList<>();
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        for (Map.Entry<Map<String, String>, Kept> entry : kept.entrySet()) {
            Map<String, String> labels = entry.getKey();
            Kept before = entry.getValue();
            long[][] windows = totals.get(labels);
            Observation observed = windows == null ? MetricWindows.value(rule, new long[2][1], 0)
                    : MetricWindows.observe(rule, windows, judgedWindow, step);
            boolean again = before.judgedAt().truncatedTo(ChronoUnit.MINUTES).equals(now.truncatedTo(ChronoUnit.MINUTES));
            Instance next = Judgement.next(before.instance(), observed, rule.condition().threshold(), rule.minVolume(), rule.pendingEvaluations(),
                    rule.noData(), again);
            JSON key = JSON.valueOf(WireJson.MAPPER.writeValueAsString(new TreeMap<>(labels)));
            boolean changed = next.state() != before.instance().state();
            boolean silenced = silences.stream().anyMatch(silence -> silence.activeAt(now)
                    && silence.matches(AlertSilences.labelsOf(rule, labels)));
            // a firing that lasts, unacknowledged, is told again after each repeat interval
            boolean repeat = !changed && next.state() == AlertState.FIRING && !before.acknowledged()
                    && before.notifiedAt().filter(told -> !now.isBefore(told.plus(rule.repeatInterval()))).isPresent();
            boolean told = (changed && next.state().notified()) || repeat;
            int repeats = repeat ? before.repeats() + 1 : changed ? 0 : before.repeats();
            if (!changed && !told && again && next.breaches() == before.instance().breaches()) {
                continue; // nothing to keep: the instance's value is written again at most once a minute
            }
            tx.insertInto(ALERT_INSTANCES).set(ALERT_INSTANCES.RULE_ID, ruleId).set(ALERT_INSTANCES.LABELS, key)
                    .set(ALERT_INSTANCES.WORKSPACE_ID, workspaceId).set(ALERT_INSTANCES.STATE, next.state().wireName())
                    .set(ALERT_INSTANCES.SINCE, at).set(ALERT_INSTANCES.BREACHES, next.breaches())
                    .set(ALERT_INSTANCES.LAST_VALUE, observed.value().orElse(null)).set(ALERT_INSTANCES.LAST_VOLUME, observed.volume())
                    .set(ALERT_INSTANCES.LAST_EVALUATED_AT, at).set(ALERT_INSTANCES.LAST_NOTIFIED_AT, told ? at : null)
                    .onConflict(ALERT_INSTANCES.RULE_ID, ALERT_INSTANCES.LABELS).doUpdate()
                    .set(ALERT_INSTANCES.STATE, next.state().wireName())
                    .set(ALERT_INSTANCES.SINCE, changed ? DSL.val(at) : ALERT_INSTANCES.SINCE)
                    .set(ALERT_INSTANCES.BREACHES, next.breaches())
                    .set(ALERT_INSTANCES.LAST_VALUE, observed.value().orElse(null)).set(ALERT_INSTANCES.LAST_VOLUME, observed.volume())
                    .set(ALERT_INSTANCES.LAST_EVALUATED_AT, at)
                    .set(ALERT_INSTANCES.LAST_NOTIFIED_AT, told ? DSL.val(at) : ALERT_INSTANCES.LAST_NOTIFIED_AT)
                    .set(ALERT_INSTANCES.REPEATS, repeats)
                    // an acknowledgement holds while the instance fires; any change of state ends it
                    .set(ALERT_INSTANCES.ACKNOWLEDGED_AT, changed ? DSL.val((OffsetDateTime) null) : ALERT_INSTANCES.ACKNOWLEDGED_AT)
                    .set(ALERT_INSTANCES.ACKNOWLEDGED_BY, changed ? DSL.val((String) null) : ALERT_INSTANCES.ACKNOWLEDGED_BY)
                    .set(ALERT_INSTANCES.ACKNOWLEDGEMENT, changed ? DSL.val((String) null) : ALERT_INSTANCES.ACKNOWLEDGEMENT)
                    .execute();
            Long transition = null;
            if (changed) {
                transition = tx.insertInto(ALERT_TRANSITIONS).set(ALERT_TRANSITIONS.RULE_ID, ruleId).set(ALERT_TRANSITIONS.LABELS, key)
                        .set(ALERT_TRANSITIONS.WORKSPACE_ID, workspaceId).set(ALERT_TRANSITIONS.FROM_STATE, before.instance().state().wireName())
                        .set(ALERT_TRANSITIONS.TO_STATE, next.state().wireName()).set(ALERT_TRANSITIONS.VALUE, observed.value().orElse(null))
                        .set(ALERT_TRANSITIONS.VOLUME, observed.volume()).set(ALERT_TRANSITIONS.AT, at)
                        .returning(ALERT_TRANSITIONS.TRANSITION_ID).fetchOne().getTransitionId();
                transitions.add(new AlertTransition(now, rule.name(), labels, before.instance().state(), next.state(), observed.value(), observed.volume()));
            } else if (repeat) {
                transition = tx.select(ALERT_TRANSITIONS.TRANSITION_ID).from(ALERT_TRANSITIONS)
                        .where(ALERT_TRANSITIONS.RULE_ID.eq(ruleId), AlertRules.labelsAre(ALERT_TRANSITIONS.LABELS, labels),
                                ALERT_TRANSITIONS.TO_STATE.eq(AlertState.FIRING.wireName()))
                        .orderBy(ALERT_TRANSITIONS.AT.desc(), ALERT_TRANSITIONS.TRANSITION_ID.desc()).limit(1)
                        .fetchOne(ALERT_TRANSITIONS.TRANSITION_ID);
            }
            if (told && transition != null) {
                for (int channel = 0; channel < rule.channels().size(); channel++) {
                    tx.insertInto(ALERT_NOTIFICATIONS).set(ALERT_NOTIFICATIONS.TRANSITION_ID, transition)
                            .set(ALERT_NOTIFICATIONS.WORKSPACE_ID, workspaceId).set(ALERT_NOTIFICATIONS.CHANNEL, channel)
                            .set(ALERT_NOTIFICATIONS.ROUND, repeats).set(ALERT_NOTIFICATIONS.STATE, silenced ? "silenced" : "pending")
                            .set(ALERT_NOTIFICATIONS.NEXT_ATTEMPT_AT, at)
                            .onConflictDoNothing().execute();
                }
            }
        }
        return transitions;
    }

    private static Map<Map<String, String>, Kept> kept(DSLContext tx, UUID ruleId) {
        Map<Map<String, String>, Kept> kept = new TreeMap<>(Comparator.comparing(Map::toString));
        tx.selectFrom(ALERT_INSTANCES).where(ALERT_INSTANCES.RULE_ID.eq(ruleId)).forEach(r -> kept.put(AlertRules.labels(r.getLabels()),
                new Kept(new Instance(AlertState.of(r.getState()).orElseThrow(), r.getBreaches()), r.getLastEvaluatedAt().toInstant(),
                        Optional.ofNullable(r.getLastNotifiedAt()).map(OffsetDateTime::toInstant), r.getRepeats(), r.getAcknowledgedAt() != null)));
        return kept;
    }

    /**
     * A rule that could not be evaluated: each of its instances not in error already goes to error, its transition kept
     * (not told: an error says nothing of the metric, and is shown in the console and the API).
     */
    private static List<AlertTransition> fail(DSLContext tx, UUID workspaceId, UUID ruleId, AlertRule rule, Instant now) {
        List<AlertTransition> transitions = new ArrayList<>();
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        kept(tx, ruleId).forEach((labels, before) -> {
            if (before.instance().state() == AlertState.ERROR) {
                return;
            }
            JSON key = JSON.valueOf(WireJson.MAPPER.writeValueAsString(new TreeMap<>(labels)));
            tx.update(ALERT_INSTANCES).set(ALERT_INSTANCES.STATE, AlertState.ERROR.wireName()).set(ALERT_INSTANCES.SINCE, at)
                    .set(ALERT_INSTANCES.BREACHES, 0).set(ALERT_INSTANCES.LAST_EVALUATED_AT, at)
                    .where(ALERT_INSTANCES.RULE_ID.eq(ruleId), AlertRules.labelsAre(ALERT_INSTANCES.LABELS, labels)).execute();
            tx.insertInto(ALERT_TRANSITIONS).set(ALERT_TRANSITIONS.RULE_ID, ruleId).set(ALERT_TRANSITIONS.LABELS, key)
                    .set(ALERT_TRANSITIONS.WORKSPACE_ID, workspaceId).set(ALERT_TRANSITIONS.FROM_STATE, before.instance().state().wireName())
                    .set(ALERT_TRANSITIONS.TO_STATE, AlertState.ERROR.wireName()).set(ALERT_TRANSITIONS.VOLUME, 0L).set(ALERT_TRANSITIONS.AT, at)
                    .execute();
            transitions.add(new AlertTransition(now, rule.name(), labels, before.instance().state(), AlertState.ERROR, Optional.empty(), 0));
        });
        return transitions;
    }
}
