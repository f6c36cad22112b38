package dev.mailpulse.alerting;

import static dev.mailpulse.storage.jooq.Tables.ALERT_NOTIFICATIONS;
import static dev.mailpulse.storage.jooq.Tables.ALERT_RULES;
import static dev.mailpulse.storage.jooq.Tables.ALERT_TRANSITIONS;
import static dev.mailpulse.storage.jooq.Tables.WORKSPACES;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

import dev.mailpulse.alerting.AlertRule.Channel;
import dev.mailpulse.alerting.AlertRule.Email;
import dev.mailpulse.alerting.AlertRule.Webhook;
import dev.mailpulse.core.json.WireJson;

/**
 * Sends the notifications the evaluator owes (its outbox, {@code alert_notifications}), a message at a time, each
 * claimed with {@code FOR UPDATE SKIP LOCKED} so that two notifiers never send the same one. A storm (every instance
 * of one rule that made the same transition in the same evaluation) is one message per channel. A webhook is POSTed as JSON
 * signed by {@link WebhookSignature}; an e-mail goes through Spring's {@link JavaMailSender}. A receiver that cannot
 * be reached, times out or answers 408, 429 or 5xx is tried again after a back-off that doubles from
 * {@code firstRetry} up to {@code longestRetry}, until {@code giveUpAfter} has passed since the transition; then, or
 * at once when it refuses (another answer that is not 2xx), the notification is failed, with the reason, for the
 * console. A notifier stopped between a receiver's answer and its commit sends that one again: receivers deduplicate
 * by {@code notification_id}, which the body carries.
 */
public final class AlertNotifier {

    /** How notifications are sent: retries, patience, and who an e-mail is from. */
    public record Settings(Duration firstRetry, Duration longestRetry, Duration giveUpAfter, Duration timeout, String mailFrom) {

        public Settings {
            Objects.requireNonNull(firstRetry, "firstRetry");
            Objects.requireNonNull(longestRetry, "longestRetry");
            Objects.requireNonNull(giveUpAfter, "giveUpAfter");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(mailFrom, "mailFrom");
        }
    }

    /** One round's outcome: notifications sent, to be tried again, failed. */
    public record Outcome(int sent, int retrying, int failed) {

        public int handled() {
            return sent + retrying + failed;
        }
    }

    /** One attempt's result: sent, or not with a reason, and whether another attempt may succeed. */
    private record Attempt(boolean sent, boolean retry, String reason) {

        static final Attempt SENT = new Attempt(true, false, null);

        static Attempt retry(String reason) {
            return new Attempt(false, true, reason);
        }

        static Attempt refused(String reason) {
            return new Attempt(false, false, reason);
        }
    }

    /** The headers of an alert's e-mail that say whose it is and which notification, for filters and deduplication. */
    public static final String WORKSPACE_HEADER = "X-MailPulse-Workspace";
    public static final String NOTIFICATION_HEADER = "X-MailPulse-Notification";

    private static final String STATE_PENDING = "pending";
    private static final String STATE_SENT = "sent";
    private static final String STATE_FAILED = "failed";
    private static final int LONGEST_REASON = 500;
    /** The most alerts one message tells: a storm larger than this is told in several. */
    private static final int LARGEST_STORM = 500;

    private final DSLContext db;
    private final HttpClient http;
    private final JavaMailSender mail;
    private final Settings settings;
    private final Clock clock;

    public AlertNotifier(DSLContext db, JavaMailSender mail, Settings settings, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.mail = Objects.requireNonNull(mail, "mail");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        // never follows a redirect: a signed alert goes to the address its rule names, nowhere else
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Sends the notifications due now, in at most {@code most} messages. */
    public Outcome sendDue(int most) {
        int sent = 0;
        int retrying = 0;
        int failed = 0;
        for (int message = 0; message < most; message++) {
            Optional<Sent> attempt = sendOne();
            if (attempt.isEmpty()) {
                break;
            }
            int notifications = attempt.get().notifications();
            if (attempt.get().attempt().sent()) {
                sent += notifications;
            } else if (attempt.get().attempt().retry()) {
                retrying += notifications;
            } else {
                failed += notifications;
            }
        }
        return new Outcome(sent, retrying, failed);
    }

    /** One message's attempt and the notifications it told. */
    private record Sent(Attempt attempt, int notifications) {
    }

    /**
     * Claims the notification due first and the rest of its storm (the other instances of its rule that made the same
     * transition in the same evaluation, owed to the same channel), tries them as one message and keeps the result,
     * in one transaction; empty when none is due.
     */
    private Optional<Sent> sendOne() {
        return db.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            Instant now = clock.instant();
            OffsetDateTime dueBy = now.atOffset(ZoneOffset.UTC);
            Record due = tx.select(ALERT_NOTIFICATIONS.NOTIFICATION_ID, ALERT_NOTIFICATIONS.CHANNEL, ALERT_NOTIFICATIONS.ATTEMPTS, ALERT_NOTIFICATIONS.ROUND,
                            ALERT_TRANSITIONS.asterisk(), ALERT_RULES.DEFINITION, WORKSPACES.NAME)
                    .from(ALERT_NOTIFICATIONS)
                    .join(ALERT_TRANSITIONS).on(ALERT_TRANSITIONS.TRANSITION_ID.eq(ALERT_NOTIFICATIONS.TRANSITION_ID))
                    .join(ALERT_RULES).on(ALERT_RULES.RULE_ID.eq(ALERT_TRANSITIONS.RULE_ID))
                    .join(WORKSPACES).on(WORKSPACES.WORKSPACE_ID.eq(ALERT_TRANSITIONS.WORKSPACE_ID))
                    .where(ALERT_NOTIFICATIONS.STATE.eq(STATE_PENDING), ALERT_NOTIFICATIONS.NEXT_ATTEMPT_AT.le(dueBy))
                    .orderBy(ALERT_NOTIFICATIONS.NEXT_ATTEMPT_AT, ALERT_NOTIFICATIONS.NOTIFICATION_ID)
                    .limit(1)
                    .forUpdate().of(ALERT_NOTIFICATIONS).skipLocked()
                    .fetchOne();
            if (due == null) {
                return Optional.empty();
            }
            int channel = due.get(ALERT_NOTIFICATIONS.CHANNEL);
            int attempts = due.get(ALERT_NOTIFICATIONS.ATTEMPTS) + 1;
            List<AlertNotice.Alert> alerts = new ArrayList<>(List.of(alert(due)));
            tx.select(ALERT_NOTIFICATIONS.NOTIFICATION_ID, ALERT_TRANSITIONS.asterisk())
                    .from(ALERT_NOTIFICATIONS)
                    .join(ALERT_TRANSITIONS).on(ALERT_TRANSITIONS.TRANSITION_ID.eq(ALERT_NOTIFICATIONS.TRANSITION_ID))
                    .where(ALERT_NOTIFICATIONS.STATE.eq(STATE_PENDING), ALERT_NOTIFICATIONS.NEXT_ATTEMPT_AT.le(dueBy),
                            ALERT_NOTIFICATIONS.CHANNEL.eq(channel), ALERT_NOTIFICATIONS.ROUND.eq(due.get(ALERT_NOTIFICATIONS.ROUND)),
                            ALERT_NOTIFICATIONS.ATTEMPTS.eq(due.get(ALERT_NOTIFICATIONS.ATTEMPTS)),
                            ALERT_NOTIFICATIONS.NOTIFICATION_ID.ne(due.get(ALERT_NOTIFICATIONS.NOTIFICATION_ID)),
                            ALERT_TRANSITIONS.RULE_ID.eq(due.get(ALERT_TRANSITIONS.RULE_ID)), ALERT_TRANSITIONS.TO_STATE.eq(due.get(ALERT_TRANSITIONS.TO_STATE)),
                            ALERT_TRANSITIONS.AT.eq(due.get(ALERT_TRANSITIONS.AT)))
                    .orderBy(ALERT_NOTIFICATIONS.NOTIFICATION_ID)
                    .limit(LARGEST_STORM - 1)
                    .forUpdate().of(ALERT_NOTIFICATIONS).skipLocked()
                    .forEach(other -> alerts.add(alert(other)));
            AlertRule rule = AlertRuleJson.read(WireJson.MAPPER.readTree(due.get(ALERT_RULES.DEFINITION).data()));
            AlertNotice notice = new AlertNotice(due.get(ALERT_NOTIFICATIONS.ROUND), due.get(ALERT_TRANSITIONS.WORKSPACE_ID), due.get(WORKSPACES.NAME),
                    due.get(ALERT_TRANSITIONS.RULE_ID), rule, AlertState.of(due.get(ALERT_TRANSITIONS.TO_STATE)).orElseThrow(),
                    due.get(ALERT_TRANSITIONS.AT).toInstant(), alerts);
            Attempt attempt = channel < rule.channels().size() ? send(rule.channels().get(channel), notice, now)
                    : Attempt.refused("the rule no longer has this channel");
            boolean givenUp = !attempt.sent() && (!attempt.retry() || !now.isBefore(notice.at().plus(settings.giveUpAfter())));
            tx.update(ALERT_NOTIFICATIONS)
                    .set(ALERT_NOTIFICATIONS.STATE, attempt.sent() ? STATE_SENT : givenUp ? STATE_FAILED : STATE_PENDING)
                    .set(ALERT_NOTIFICATIONS.ATTEMPTS, attempts)
                    .set(ALERT_NOTIFICATIONS.NEXT_ATTEMPT_AT, now.plus(backOff(attempts)).atOffset(ZoneOffset.UTC))
                    .set(ALERT_NOTIFICATIONS.LAST_ERROR, attempt.reason())
                    .set(ALERT_NOTIFICATIONS.SENT_AT, attempt.sent() ? now.atOffset(ZoneOffset.UTC) : null)
                    .where(ALERT_NOTIFICATIONS.NOTIFICATION_ID.in(alerts.stream().map(AlertNotice.Alert::notificationId).toList()))
                    .execute();
            return Optional.of(new Sent(givenUp && attempt.retry() ? Attempt.refused("given up: " + attempt.reason()) : attempt, alerts.size()));
        });
    }

    /** A notification's alert: its transition's labels, the state it left, its value and volume. */
    private static AlertNotice.Alert alert(Record row) {
        return new AlertNotice.Alert(row.get(ALERT_NOTIFICATIONS.NOTIFICATION_ID), AlertRules.labels(row.get(ALERT_TRANSITIONS.LABELS)),
                AlertState.of(row.get(ALERT_TRANSITIONS.FROM_STATE)).orElseThrow(), Optional.ofNullable(row.get(ALERT_TRANSITIONS.VALUE)),
                Objects.requireNonNullElse(row.get(ALERT_TRANSITIONS.VOLUME), 0L));
    }

    /** The wait before the attempt after {@code attempts}: doubling from the first retry, at most the longest. */
    Duration backOff(int attempts) {
        Duration wait = settings.firstRetry().multipliedBy(1L << Math.min(attempts - 1, 30));
        return wait.compareTo(settings.longestRetry()) > 0 || wait.isNegative() ? settings.longestRetry() : wait;
    }

    private Attempt send(Channel channel, AlertNotice notice, Instant now) {
        if (channel instanceof Webhook webhook) {
            return post(webhook, notice, now);
        }
        return email((Email) channel, notice);
    }

    private Attempt post(Webhook webhook, AlertNotice notice, Instant now) {
        byte[] body = WireJson.MAPPER.writeValueAsBytes(notice.json());
        HttpRequest request = HttpRequest.newBuilder(webhook.url()).timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "MailPulse-Alerts")
                .header(WebhookSignature.HEADER, WebhookSignature.sign(webhook.secret(), now, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 200 && status < 300) {
                return Attempt.SENT;
            }
            String reason = "the receiver answered " + status;
            return status == 408 || status == 429 || status >= 500 ? Attempt.retry(reason) : Attempt.refused(reason);
        } catch (IOException unreachable) {
            return Attempt.retry(reason("the receiver could not be reached", unreachable));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return Attempt.retry("interrupted while sending");
        }
    }

    private Attempt email(Email email, AlertNotice notice) {
        try {
            mail.send(mime -> {
                MimeMessageHelper message = new MimeMessageHelper(mime, StandardCharsets.UTF_8.name());
                message.setFrom(settings.mailFrom());
                message.setTo(email.to());
                message.setSubject(notice.subject());
                message.setText(notice.text());
                mime.setHeader(WORKSPACE_HEADER, notice.workspaceId().toString());
                mime.setHeader(NOTIFICATION_HEADER, Long.toString(notice.notificationId()));
            });
            return Attempt.SENT;
        } catch (MailException failed) {
            return Attempt.retry(reason("the SMTP server did not take it", failed));
        }
    }

    private static String reason(String what, Exception cause) {
        String reason = what + ": " + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage());
        return reason.length() > LONGEST_REASON ? reason.substring(0, LONGEST_REASON) : reason;
    }
}
