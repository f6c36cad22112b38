package dev.mailpulse.console.campaigns;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import dev.mailpulse.console.api.Analytics;

/**
 * A campaign's funnel and rates beside the same figures of something to compare it with: the period before, of the
 * same length, or another campaign over the same range. Counts change in percent; rates in percentage points, since
 * a complaint rate going from 0.1% to 0.2% is "+0.1 pp", not "+100%".
 */
record CampaignComparison(String against, List<Line> lines) {

    /** What a campaign page compares with when nothing else is asked for. */
    static final String PREVIOUS_PERIOD = "previous";

    /** One figure: this campaign's value and the other's; a rate is null where there was nothing to divide by. */
    record Line(String key, String label, boolean rate, Double value, Double other) {

        /** The change in words: "+12.5%" or "+0.12 pp", "no change", "from none" (a count up from zero) or "not comparable" (a rate missing on either side). */
        public String change() {
            if (value == null || other == null) {
                return "not comparable";
            }
            if (value.equals(other)) {
                return "no change";
            }
            if (rate) {
                return String.format(Locale.ROOT, "%+.2f pp", 100 * (value - other));
            }
            return other == 0 ? "from none" : String.format(Locale.ROOT, "%+.1f%%", 100 * (value - other) / other);
        }
    }

    private record Figure(String key, String label, boolean rate, Function<Analytics.Summary, Number> read) {
    }

    private static final List<Figure> FIGURES = List.of(
            new Figure("sent", "Sent", false, s -> s.funnel().sent()),
            new Figure("delivered", "Delivered", false, s -> s.funnel().delivered()),
            new Figure("human_opened", "Opened by people", false, s -> s.funnel().humanOpened()),
            new Figure("human_clicked", "Clicked by people", false, s -> s.funnel().humanClicked()),
            new Figure("converted", "Converted", false, s -> s.funnel().converted()),
            new Figure("delivery_rate", "Delivery rate", true, s -> s.rates().delivery()),
            new Figure("human_open_rate", "Human open rate", true, s -> s.rates().humanOpen()),
            new Figure("human_click_rate", "Human click rate", true, s -> s.rates().humanClick()),
            new Figure("bounce_rate", "Bounce rate", true, s -> s.rates().bounce()),
            new Figure("complaint_rate", "Complaint rate", true, s -> s.rates().complaint()),
            new Figure("unsubscribe_rate", "Unsubscribe rate", true, s -> s.rates().unsubscribe()));

    /**
     * @param against what {@code other} is, in words ("the period before", "campaign spring-2")
     */
    static CampaignComparison of(Analytics.Summary summary, Analytics.Summary other, String against) {
        return new CampaignComparison(against, FIGURES.stream()
                .map(f -> new Line(f.key(), f.label(), f.rate(), value(f.read().apply(summary)), value(f.read().apply(other))))
                .toList());
    }

    /** The line of a figure, for a tile that shows its change. */
    public Line line(String key) {
        return lines.stream().filter(l -> l.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no figure " + key));
    }

    private static Double value(Number number) {
        return number == null ? null : number.doubleValue();
    }
}
