package dev.mailpulse.alerting;

import static dev.mailpulse.storage.jooq.Tables.ALERT_RULES;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The evaluator's rounds (for an app with scheduling enabled): the workspaces whose events just came are marked, and
 * judged within {@code after-events} (so that the tap's consumer never waits on a judgement, and a burst of messages
 * makes one judgement); every workspace with rules is judged again every {@code evaluate-every}, events or not; the
 * notifications due are sent every {@code notify-every}. A round that fails (the database away) is logged and the next one tries again:
 * what the last committed evaluation left is where it starts.
 */
public final class AlertRounds {

    private static final Logger log = LoggerFactory.getLogger(AlertRounds.class);
    /** Messages sent in one go before the outcome is looked at. */
    private static final int MESSAGES_PER_ROUND = 100;

    private final DSLContext db;
    private final AlertEvaluator evaluator;
    private final AlertNotifier notifier;
    private final Clock clock;
    private final Set<UUID> marked = ConcurrentHashMap.newKeySet();

    public AlertRounds(DSLContext db, AlertEvaluator evaluator, AlertNotifier notifier, Clock clock) {
        this.db = db;
        this.evaluator = evaluator;
        this.notifier = notifier;
        this.clock = clock;
    }

    /** Has the workspaces judged within {@code after-events}: their events just came. */
    public void mark(Collection<UUID> workspaces) {
        marked.addAll(workspaces);
    }

    @Scheduled(initialDelay = 0, fixedDelayString = "${mailpulse.alerting.after-events:500ms}")
    void evaluateMarked() {
        List<UUID> due = new ArrayList<>(marked);
        marked.removeAll(due);
        try {
            evaluate(due);
        } catch (RuntimeException e) {
            log.warn("The alert rules of {} workspaces could not be judged now; the next round will: {}", due.size(), e.getMessage());
        }
    }

    /** Judges the workspaces now, each in its own transaction. */
    void evaluate(Collection<UUID> workspaces) {
        for (UUID workspace : workspaces) {
            AlertEvaluator.Outcome outcome = evaluator.evaluate(workspace, clock.instant());
            outcome.transitions().forEach(t -> log.info("Alert '{}' in workspace {}: {} {} -> {} on {} (volume {})", t.rule(), workspace, t.labels(), t.from().wireName(),
                    t.to().wireName(), t.value().map(String::valueOf).orElse("no data"), t.volume()));
        }
    }

    @Scheduled(initialDelay = 0, fixedDelayString = "${mailpulse.alerting.evaluate-every:5s}")
    void evaluateAll() {
        try {
            evaluate(db.selectDistinct(ALERT_RULES.WORKSPACE_ID).from(ALERT_RULES).where(ALERT_RULES.ENABLED.isTrue()).fetch(ALERT_RULES.WORKSPACE_ID));
        } catch (RuntimeException e) {
            log.warn("The alert rules could not be judged now: {}", e.getMessage());
        }
    }

    @Scheduled(initialDelay = 0, fixedDelayString = "${mailpulse.alerting.notify-every:1s}")
    void notifyDue() {
        try {
            AlertNotifier.Outcome outcome;
            do {
                outcome = notifier.sendDue(MESSAGES_PER_ROUND);
                if (outcome.retrying() + outcome.failed() > 0) {
                    log.warn("Alert notifications: {} sent, {} to be tried again, {} failed", outcome.sent(), outcome.retrying(), outcome.failed());
                }
            } while (outcome.handled() >= MESSAGES_PER_ROUND);
        } catch (RuntimeException e) {
            log.warn("The alert notifications could not be sent now: {}", e.getMessage());
        }
    }
}
