package dev.mailpulse.alerting;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the alert evaluator and of its notifications.
 *
 * @param afterEvents   how soon after its events come a workspace is judged (the events of that time judged together)
 * @param evaluateEvery how often every workspace with rules is judged, events or not (so that an instance resolves,
 *                      and a pending period passes, when no event comes)
 * @param notifyEvery   how often the notifications due are sent
 * @param firstRetry    the wait before a failed notification's second attempt, doubling after each failure
 * @param longestRetry  the longest wait between two attempts
 * @param giveUpAfter   how long after its transition a notification is still tried; then it is failed
 * @param timeout       how long a webhook's receiver may take to connect and to answer
 * @param mailFrom      the sender of the alerts' e-mails
 * @param batchTablePrefix where the daily ETL's job repository is in the database (its runs feed the nightly job's metrics):
 *                      {@code batch_} as the task app keeps it, {@code boot3_batch_} where Data Flow 2.11 launches it
 */
@ConfigurationProperties("mailpulse.alerting")
public record AlertingProperties(
        @DefaultValue("500ms") Duration afterEvents,
        @DefaultValue("5s") Duration evaluateEvery,
        @DefaultValue("1s") Duration notifyEvery,
        @DefaultValue("10s") Duration firstRetry,
        @DefaultValue("5m") Duration longestRetry,
        @DefaultValue("1h") Duration giveUpAfter,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("alerts@mailpulse.localhost") String mailFrom,
        @DefaultValue("batch_") String batchTablePrefix) {

    AlertNotifier.Settings notifierSettings() {
        return new AlertNotifier.Settings(firstRetry, longestRetry, giveUpAfter, timeout, mailFrom);
    }
}
