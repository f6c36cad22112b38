package dev.mailpulse.alerting;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a rule may watch: the rates and counts the Analytics API serves, the pipeline's own health and the
 * infrastructure's. A rate is a share of its basis (complaints of deliveries, as Gmail and Yahoo count them); its
 * rule's minimum volume is a minimum of that basis. Each metric says how it is counted ({@link Count}) and which
 * splits make sense for it.
 */
public enum Metric {

    COMPLAINT_RATE(Kind.RATE, "complaints ÷ deliveries", Split.EMAIL, Count.events("email.complaint"), Count.events("email.deliver")),
    HARD_BOUNCE_RATE(Kind.RATE, "hard bounces ÷ sends", Split.EMAIL,
            new Raw(Set.of("email.bounce"), "count(*)", "e.attributes ->> 'bounce_kind' = 'hard'"), Count.events("email.send")),
    BOUNCE_RATE(Kind.RATE, "bounces ÷ sends", Split.EMAIL, Count.events("email.bounce"), Count.events("email.send")),
    DEFERRAL_RATE(Kind.RATE, "messages deferred ÷ sends", Split.EMAIL,
            new Raw(Set.of("email.defer"), "count(DISTINCT e.message_id)", ""), Count.events("email.send")),
    DELIVERY_RATE(Kind.RATE, "deliveries ÷ sends", Split.EMAIL, Count.events("email.deliver"), Count.events("email.send")),
    HUMAN_OPEN_RATE(Kind.RATE, "unique human openers ÷ deliveries (machine opens left out)", Split.EMAIL,
            new Raw(Set.of("email.open"), "count(DISTINCT e.recipient_hash)", "NOT e.automated"), Count.events("email.deliver")),
    HUMAN_CLICK_RATE(Kind.RATE, "unique human clickers ÷ deliveries (bot clicks left out)", Split.EMAIL,
            new Raw(Set.of("email.click"), "count(DISTINCT e.recipient_hash)", "NOT e.automated"), Count.events("email.deliver")),
    UNSUBSCRIBE_RATE(Kind.RATE, "unsubscribes ÷ deliveries", Split.EMAIL, Count.events("email.unsubscribe"), Count.events("email.deliver")),
    SENT(Kind.COUNT, "messages sent", Split.EMAIL, Count.events("email.send")),
    DELIVERED(Kind.COUNT, "messages delivered", Split.EMAIL, Count.events("email.deliver")),
    BOUNCED(Kind.COUNT, "bounces", Split.EMAIL, Count.events("email.bounce")),
    COMPLAINTS(Kind.COUNT, "complaints", Split.EMAIL, Count.events("email.complaint")),
    EVENTS(Kind.COUNT, "events stored, of every type", Set.of(Split.CAMPAIGN), new Events(Set.of())),
    FAILED_EVENT_RATE(Kind.RATE, "events failed ÷ events received (stored or failed)", Set.of(), new Failed(),
            new Sum(List.of(new Events(Set.of()), new Failed()))),
    PIPELINE_LAG(Kind.SECONDS, "seconds from an event's acknowledgement to its storing, 95th percentile of the window's latest "
            + Lag.SAMPLE + " events", Set.of(), new Lag()),
    SMTP_FAILURES(Kind.COUNT, "SMTP status checks not up (degraded or down)", Set.of(Split.HOST),
            new Raw(Set.of("infrastructure.smtp_status"), "count(*)", "e.attributes ->> 'status' <> 'up'")),
    DNS_CHANGES(Kind.COUNT, "changes to SPF, DKIM or DMARC records", Set.of(),
            new Raw(Set.of("infrastructure.dns_change"), "count(*)", "(e.attributes ->> 'record_type' IN ('SPF', 'DKIM', 'DMARC')"
                    + " OR (e.attributes ->> 'record_type' = 'TXT' AND (e.attributes ->> 'domain' ILIKE '_dmarc.%'"
                    + " OR e.attributes ->> 'domain' ILIKE '%._domainkey.%'"
                    + " OR concat(e.attributes ->> 'old_value', ' ', e.attributes ->> 'new_value') ~* 'v=(spf1|DKIM1|DMARC1)')))")),
    VPS_UNHEALTHY(Kind.COUNT, "VPS health checks not healthy (degraded or unhealthy)", Set.of(Split.HOST),
            new Raw(Set.of("infrastructure.vps_health"), "count(*)", "e.attributes ->> 'status' <> 'healthy'")),
    NIGHTLY_JOB_FAILURES(Kind.COUNT, "runs of the daily ETL (for every workspace or this one) that failed", Set.of(),
            new NightlyRuns(NightlyRuns.Measure.FAILED)),
    HOURS_SINCE_NIGHTLY_JOB(Kind.HOURS, "hours since a run of the daily ETL (for every workspace or this one) last completed", Set.of(),
            new NightlyRuns(NightlyRuns.Measure.SECONDS_SINCE_COMPLETED), new NightlyRuns(NightlyRuns.Measure.COMPLETED));

    /** How a metric's values read: a share from 0 to 1, a count, seconds or hours. */
    public enum Kind {
        RATE, COUNT, SECONDS, HOURS
    }

    /** What one rule's instances may be split by: one instance, and one alert, per value. */
    public enum Split {
        MAILBOX_PROVIDER("e.mailbox_provider"), RECIPIENT_DOMAIN("e.recipient_domain"), CAMPAIGN("e.campaign_id"),
        HOST("e.attributes ->> 'host'");

        static final Set<Split> EMAIL = EnumSet.of(MAILBOX_PROVIDER, RECIPIENT_DOMAIN, CAMPAIGN);

        /** The split's value in a row {@code e} of the raw store, and of the read model's counts where they keep it. */
        final String column;

        Split(String column) {
            this.column = column;
        }

        /** Whether the read model's counts by type keep the split (the rest are counted from the raw store). */
        boolean inReadModel() {
            return this == MAILBOX_PROVIDER || this == CAMPAIGN;
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Split> of(String wireName) {
            return Arrays.stream(values()).filter(s -> s.wireName().equals(wireName)).findFirst();
        }

        static String names() {
            return Arrays.stream(values()).map(Split::wireName).collect(Collectors.joining(", "));
        }
    }

    /** How a metric's value or its basis is counted over a window. */
    sealed interface Count permits Events, Raw, Failed, Lag, NightlyRuns, Sum {

        static Count events(String type) {
            return new Events(Set.of(type));
        }
    }

    /** The events of these types (every type when empty): the read model's counts, or the raw store's where a split needs it. */
    record Events(Set<String> types) implements Count {
    }

    /**
     * An aggregate over the raw store's events {@code e} of these types that pass the condition (SQL, none when empty;
     * never a user's text), which a partial index of the raw store may match.
     */
    record Raw(Set<String> types, String aggregate, String condition) implements Count {
    }

    /** The events that failed a stage, by the time they failed. */
    record Failed() implements Count {
    }

    /**
     * The 95th percentile of the pipeline's lag, in milliseconds, over the window's latest events: a busy window's
     * hundreds of thousands of events would make every evaluation read them all, and the latest are the news.
     */
    record Lag() implements Count {
        static final int SAMPLE = 10_000;
    }

    /**
     * The daily ETL's runs that the workspace is in, from its job repository: those that failed in the window, those
     * completed by its end, or the seconds from the last completed to its end.
     */
    record NightlyRuns(Measure measure) implements Count {

        enum Measure {
            FAILED, COMPLETED, SECONDS_SINCE_COMPLETED
        }
    }

    /** The sum of counts. */
    record Sum(List<Count> counts) implements Count {
    }

    private final Kind kind;
    private final String basis;
    private final Set<Split> splits;
    private final Count counted;
    private final Optional<Count> of;

    Metric(Kind kind, String basis, Set<Split> splits, Count counted) {
        this(kind, basis, splits, counted, Optional.empty());
    }

    Metric(Kind kind, String basis, Set<Split> splits, Count counted, Count of) {
        this(kind, basis, splits, counted, Optional.of(of));
    }

    Metric(Kind kind, String basis, Set<Split> splits, Count counted, Optional<Count> of) {
        this.kind = kind;
        this.basis = basis;
        this.splits = splits;
        this.counted = counted;
        this.of = of;
    }

    public Kind kind() {
        return kind;
    }

    /** What the value is made of, as the console says it. */
    public String basis() {
        return basis;
    }

    /** What the value counts: a rate's numerator, a count, the lag in milliseconds. */
    Count counted() {
        return counted;
    }

    /** What a rate is a share of; for a count, what it counts; for the lag, the events it stands on. */
    Count volume() {
        return of.orElse(kind == Kind.SECONDS ? new Events(Set.of()) : counted);
    }

    public boolean splitsBy(Split split) {
        return splits.contains(split);
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Metric> of(String wireName) {
        return Arrays.stream(values()).filter(m -> m.wireName().equals(wireName)).findFirst();
    }

    /** Every metric's name, for the refusal of an unknown one. */
    static String names() {
        return Arrays.stream(values()).map(Metric::wireName).collect(Collectors.joining(", "));
    }
}
