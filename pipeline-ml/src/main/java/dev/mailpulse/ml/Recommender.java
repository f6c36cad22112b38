package dev.mailpulse.ml;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.Record;

import dev.mailpulse.storage.facts.BulkSenderRules;
import dev.mailpulse.storage.facts.Trends;
import dev.mailpulse.storage.ml.CampaignClusters;
import dev.mailpulse.storage.ml.Recommendations.Advice;
import dev.mailpulse.storage.ml.SendTimes;

/**
 * Optimisation suggestions from what the training left and the daily facts, each with its evidence and expected
 * effect, and a fingerprint that changes only when the advice does (so a dismissed one comes back only changed):
 * <ul>
 * <li>the hour to send to a mailbox provider's recipients, where the send-time model's lift is above zero with 95%
 * confidence;</li>
 * <li>the recipients to suppress: sent mail in the last {@value #UNENGAGED_DAYS} days, never a human open or click, and
 * the complaints that would have been avoided;</li>
 * <li>a provider whose complaint rate is rising (its least-squares slope above zero with 95% confidence) over the last
 * {@value #TREND_DAYS} days;</li>
 * <li>what the campaign cluster with the best human click rate does differently.</li>
 * </ul>
 */
final class Recommender {

    static final int UNENGAGED_DAYS = 90;
    /** The fewest sends a recipient without engagement must have had for its silence to mean something. */
    static final int UNENGAGED_MIN_SENDS = 3;
    static final int TREND_DAYS = 28;
    /** The fewest sends a provider's send hour is suggested from. */
    static final long MIN_SEGMENT_SENDS = 1_000;
    /** The KPI the best campaign cluster is the best by. */
    private static final String CLICK_RATE = "human_click_rate";

    private final DSLContext db;

    Recommender(DSLContext db) {
        this.db = db;
    }

    /** The workspace's suggestions as of its last processed day. */
    List<Advice> advise(UUID workspace, LocalDate lastDay) {
        List<Advice> advice = new ArrayList<>();
        advice.addAll(sendHours(workspace));
        unengaged(workspace, lastDay).ifPresent(advice::add);
        advice.addAll(risingComplaints(workspace, lastDay));
        bestCluster(workspace).ifPresent(advice::add);
        return advice;
    }

    private List<Advice> sendHours(UUID workspace) {
        List<Advice> advice = new ArrayList<>();
        for (SendTimes.Segment s : new SendTimes(db).segments(workspace, "provider")) {
            if (s.sends() < MIN_SEGMENT_SENDS || s.liftLow() <= 0) {
                continue;
            }
            int best = s.bestHoursOfWeek().get(0);
            String when = DayOfWeek.of(best / 24 + 1).getDisplayName(TextStyle.FULL, Locale.ENGLISH) + String.format(Locale.ROOT, "s at %02d:00", best % 24);
            advice.add(new Advice("send_hour", s.segment(), "send_hour:" + s.segment() + ":" + best,
                    "Send to " + s.segment() + " recipients on " + when,
                    String.format(Locale.ROOT, "From %,d sends: %s recipients click %.1f%% of sends then, against %.1f%% over their sends as they were "
                            + "(send-time model v%d)", s.sends(), s.segment(), 100 * s.bestClickRate(), 100 * s.clickRate(), s.modelVersion()),
                    String.format(Locale.ROOT, "%+.0f%% human clicks on these recipients' sends (95%% interval %+.0f%% to %+.0f%%)", 100 * s.lift(),
                            100 * s.liftLow(), 100 * s.liftHigh())));
        }
        return advice;
    }

    private Optional<Advice> unengaged(UUID workspace, LocalDate lastDay) {
        Record r = db.fetchOne("""
                WITH recipients AS (
                    SELECT recipient_hash, sum(sends) AS sends, sum(human_opens) + sum(human_clicks) AS engagements
                    FROM daily_recipient_facts WHERE workspace_id = ?::uuid AND day > ? AND day <= ? GROUP BY recipient_hash),
                silent AS (SELECT recipient_hash, sends FROM recipients WHERE engagements = 0 AND sends >= ?),
                complaints AS (
                    SELECT recipient_hash, count(*) AS complaints FROM events
                    WHERE workspace_id = ?::uuid AND event_type = 'email.complaint' AND occurred_at > ?::date - 1 AND occurred_at < ?::date + 2
                    GROUP BY recipient_hash)
                SELECT (SELECT count(*) FROM silent), (SELECT coalesce(sum(sends), 0) FROM silent), (SELECT coalesce(sum(sends), 0) FROM recipients),
                       (SELECT coalesce(sum(c.complaints), 0) FROM complaints c JOIN silent USING (recipient_hash)),
                       (SELECT coalesce(sum(complaints), 0) FROM complaints)""",
                workspace.toString(), lastDay.minusDays(UNENGAGED_DAYS), lastDay, UNENGAGED_MIN_SENDS, workspace.toString(),
                lastDay.minusDays(UNENGAGED_DAYS), lastDay);
        long silent = r.get(0, Long.class);
        long silentSends = r.get(1, Long.class);
        long sends = r.get(2, Long.class);
        long silentComplaints = r.get(3, Long.class);
        long complaints = r.get(4, Long.class);
        if (silent == 0 || sends == 0) {
            return Optional.empty();
        }
        double before = (double) complaints / sends;
        double after = sends == silentSends ? 0 : (double) (complaints - silentComplaints) / (sends - silentSends);
        // the same advice until the number of recipients doubles or halves
        String size = Integer.toString(63 - Long.numberOfLeadingZeros(silent));
        return Optional.of(new Advice("suppress_unengaged", "", "suppress_unengaged:" + size,
                String.format(Locale.ROOT, "Suppress %,d recipients who never engage", silent),
                String.format(Locale.ROOT, "In the last %d days they were sent %,d of the %,d messages (%.1f%%), at least %d each, without one human "
                        + "open or click; %,d of the %,d complaints came from them", UNENGAGED_DAYS, silentSends, sends, 100.0 * silentSends / sends,
                        UNENGAGED_MIN_SENDS, silentComplaints, complaints),
                String.format(Locale.ROOT, "%.1f%% fewer sends, no human engagement lost; complaints per send %.3f%% instead of %.3f%%",
                        100.0 * silentSends / sends, 100 * after, 100 * before)));
    }

    private List<Advice> risingComplaints(UUID workspace, LocalDate lastDay) {
        Map<String, List<LocalDate>> days = new TreeMap<>();
        Map<String, List<Double>> rates = new TreeMap<>();
        db.fetch("SELECT mailbox_provider, day, sum(complaints)::float8 / sum(delivered) FROM daily_campaign_facts WHERE workspace_id = ?::uuid "
                        + "AND day > ? AND day <= ? GROUP BY mailbox_provider, day HAVING sum(delivered) > 0 ORDER BY mailbox_provider, day",
                workspace.toString(), lastDay.minusDays(TREND_DAYS), lastDay).forEach(r -> {
                    days.computeIfAbsent(r.get(0, String.class), p -> new ArrayList<>()).add(r.get(1, LocalDate.class));
                    rates.computeIfAbsent(r.get(0, String.class), p -> new ArrayList<>()).add(r.get(2, Double.class));
                });
        List<Advice> advice = new ArrayList<>();
        days.forEach((provider, providerDays) -> Trends.fit(providerDays, rates.get(provider)).filter(fit -> fit.direction().equals("rising"))
                .ifPresent(fit -> {
                    double now = fit.intercept() + fit.slopePerDay() * ChronoUnit.DAYS.between(fit.firstDay(), fit.lastDay());
                    String reach = now >= BulkSenderRules.COMPLAINT_LIMIT ? "it is at or over Gmail's and Yahoo's 0.3% limit now"
                            : String.format(Locale.ROOT, "at this pace it reaches Gmail's and Yahoo's 0.3%% limit in %.0f days",
                                    (BulkSenderRules.COMPLAINT_LIMIT - now) / fit.slopePerDay());
                    advice.add(new Advice("complaints_rising", provider, "complaints_rising:" + provider,
                            "Complaints are rising at " + provider,
                            String.format(Locale.ROOT, "Over the last %d days (%d with deliveries) the complaint rate rose by %.4f points a day (95%% "
                                    + "interval %.4f to %.4f), to %.3f%% on the fitted line", TREND_DAYS, fit.days(), 100 * fit.slopePerDay(),
                                    100 * fit.slopeLow(), 100 * fit.slopeHigh(), 100 * now),
                            "Find what these recipients are sent and stop what they complain of: " + reach));
                }));
        return advice;
    }

    private Optional<Advice> bestCluster(UUID workspace) {
        CampaignClusters store = new CampaignClusters(db);
        List<CampaignClusters.Cluster> clusters = store.clusters(workspace);
        double average = clusters.stream().mapToDouble(c -> c.centre().get(CLICK_RATE) * c.campaigns()).sum()
                / Math.max(1, clusters.stream().mapToInt(CampaignClusters.Cluster::campaigns).sum());
        return clusters.stream().filter(c -> c.campaigns() >= 3 && c.deviations().getOrDefault(CLICK_RATE, 0.0) >= 0.5)
                .max(Comparator.comparingDouble(c -> c.centre().get(CLICK_RATE))).map(best -> {
                    List<String> examples = store.members(workspace).entrySet().stream().filter(m -> m.getValue() == best.cluster())
                            .map(Map.Entry::getKey).limit(3).toList();
                    return new Advice("best_cluster", Integer.toString(best.cluster()), "best_cluster:" + best.description(),
                            "Make more campaigns like cluster " + best.cluster() + "'s",
                            String.format(Locale.ROOT, "Its %d campaigns (%s, ...): %s", best.campaigns(), String.join(", ", examples), best.description()),
                            String.format(Locale.ROOT, "A human click rate of %.2f%% against %.2f%% for the average campaign",
                                    100 * best.centre().get(CLICK_RATE), 100 * average));
                });
    }
}
