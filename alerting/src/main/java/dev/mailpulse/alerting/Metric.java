package dev.mailpulse.alerting;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a rule may watch: the rates and counts the Analytics API serves, the pipeline's own health and the
 * infrastructure's. A rate is a share of its basis (complaints of deliveries, as Gmail and Yahoo count them); its
 * rule's minimum volume is a minimum of that basis. Each metric says which splits make sense for it.
 */
public enum Metric {

    COMPLAINT_RATE(Kind.RATE, "complaints ÷ deliveries", Split.EMAIL, Set.of("email.complaint"), Set.of("email.deliver")),
    HARD_BOUNCE_RATE(Kind.RATE, "hard bounces ÷ sends", Split.EMAIL),
    BOUNCE_RATE(Kind.RATE, "bounces ÷ sends", Split.EMAIL, Set.of("email.bounce"), Set.of("email.send")),
    DEFERRAL_RATE(Kind.RATE, "messages deferred ÷ sends", Split.EMAIL),
    DELIVERY_RATE(Kind.RATE, "deliveries ÷ sends", Split.EMAIL, Set.of("email.deliver"), Set.of("email.send")),
    HUMAN_OPEN_RATE(Kind.RATE, "unique human openers ÷ deliveries (machine opens left out)", Split.EMAIL),
    HUMAN_CLICK_RATE(Kind.RATE, "unique human clickers ÷ deliveries (bot clicks left out)", Split.EMAIL),
    UNSUBSCRIBE_RATE(Kind.RATE, "unsubscribes ÷ deliveries", Split.EMAIL, Set.of("email.unsubscribe"), Set.of("email.deliver")),
    SENT(Kind.COUNT, "messages sent", Split.EMAIL, Set.of("email.send"), Set.of()),
    DELIVERED(Kind.COUNT, "messages delivered", Split.EMAIL, Set.of("email.deliver"), Set.of()),
    BOUNCED(Kind.COUNT, "bounces", Split.EMAIL, Set.of("email.bounce"), Set.of()),
    COMPLAINTS(Kind.COUNT, "complaints", Split.EMAIL, Set.of("email.complaint"), Set.of()),
    EVENTS(Kind.COUNT, "events stored, of every type", Set.of(Split.CAMPAIGN), Set.of(), Set.of()),
    FAILED_EVENT_RATE(Kind.RATE, "events failed ÷ events received (stored or failed)", Set.of()),
    PIPELINE_LAG(Kind.SECONDS, "seconds from an event's acknowledgement to its being queryable", Set.of()),
    SMTP_FAILURES(Kind.COUNT, "SMTP status checks that failed", Set.of()),
    DNS_CHANGES(Kind.COUNT, "changes to SPF, DKIM or DMARC records", Set.of()),
    VPS_UNHEALTHY(Kind.COUNT, "VPS health checks that were not healthy", Set.of());

    /** How a metric's values read: a share from 0 to 1, a count, or seconds. */
    public enum Kind {
        RATE, COUNT, SECONDS
    }

    /** What one rule's instances may be split by: one instance, and one alert, per value. */
    public enum Split {
        MAILBOX_PROVIDER, RECIPIENT_DOMAIN, CAMPAIGN;

        static final Set<Split> EMAIL = EnumSet.allOf(Split.class);

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Split> of(String wireName) {
            return Arrays.stream(values()).filter(s -> s.wireName().equals(wireName)).findFirst();
        }
    }

    private final Kind kind;
    private final String basis;
    private final Set<Split> splits;
    private final Optional<ReadModelCounts> counts;

    /** A metric the read model's counts by event type cannot give (unique recipients, bounce kinds, the pipeline's own). */
    Metric(Kind kind, String basis, Set<Split> splits) {
        this.kind = kind;
        this.basis = basis;
        this.splits = splits;
        this.counts = Optional.empty();
    }

    /**
     * A metric counted from the read model's counts by event type: the events of {@code counted} (every type when
     * empty), as a share of those of {@code of} for a rate.
     */
    Metric(Kind kind, String basis, Set<Split> splits, Set<String> counted, Set<String> of) {
        this.kind = kind;
        this.basis = basis;
        this.splits = splits;
        this.counts = Optional.of(new ReadModelCounts(counted, of));
    }

    /** The event types a metric counts, and those it is a share of (none for a count). */
    public record ReadModelCounts(Set<String> counted, Set<String> of) {
    }

    public Kind kind() {
        return kind;
    }

    /** What the value is made of, as the console says it. */
    public String basis() {
        return basis;
    }

    /** How the read model's counts give the metric, where they can. */
    public Optional<ReadModelCounts> readModelCounts() {
        return counts;
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
