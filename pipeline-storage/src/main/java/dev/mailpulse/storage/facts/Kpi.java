package dev.mailpulse.storage.facts;

import java.util.Locale;

/**
 * The campaign KPIs that are rates, defined once for the daily and lifetime rows, the benchmarks and the trends (and
 * as the read model's rates are): shares of delivered messages, delivery and bounces of sent ones, click-to-open of
 * human openers. Each is its numerator over its denominator, both count columns of the KPI tables, and null where
 * there is nothing to divide by. In the order of the KPI tables' rate columns.
 */
public enum Kpi {
    DELIVERY_RATE("delivered", "sent", true),
    HUMAN_OPEN_RATE("unique_human_openers", "delivered", true),
    CLICK_RATE("unique_clickers", "delivered", true),
    HUMAN_CLICK_RATE("unique_human_clickers", "delivered", true),
    CLICK_TO_OPEN_RATE("unique_human_clickers", "unique_human_openers", true),
    BOUNCE_RATE("bounced", "sent", false),
    COMPLAINT_RATE("complaints", "delivered", false),
    UNSUBSCRIBE_RATE("unsubscribes", "delivered", false),
    REPLY_RATE("replies", "delivered", true);

    private final String numerator;
    private final String denominator;
    private final boolean higherIsBetter;

    Kpi(String numerator, String denominator, boolean higherIsBetter) {
        this.numerator = numerator;
        this.denominator = denominator;
        this.higherIsBetter = higherIsBetter;
    }

    /** Its name in the KPI tables, the API and the benchmarks: {@code human_click_rate}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String numerator() {
        return numerator;
    }

    public String denominator() {
        return denominator;
    }

    /** Whether a campaign with a higher value did better (false for bounces, complaints and unsubscribes). */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** The SQL of the rate, from columns named as the KPI tables name their counts. */
    String sql() {
        return numerator + "::float8 / nullif(" + denominator + ", 0)";
    }

    public static Kpi of(String wireName) {
        for (Kpi kpi : values()) {
            if (kpi.wireName().equals(wireName)) {
                return kpi;
            }
        }
        throw new IllegalArgumentException("no KPI " + wireName);
    }
}
