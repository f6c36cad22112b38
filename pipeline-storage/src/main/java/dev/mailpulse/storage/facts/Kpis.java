package dev.mailpulse.storage.facts;

/**
 * The campaign KPIs' rates, defined once for the daily and the lifetime rows (and as the read model's rates are):
 * shares of delivered messages, delivery and bounces of sent ones, click-to-open of human openers; null where there
 * is nothing to divide by.
 */
final class Kpis {

    /** The rates, in the order of the KPI tables' rate columns, from columns named as theirs. */
    static final String RATES = """
            delivered::float8 / nullif(sent, 0), unique_human_openers::float8 / nullif(delivered, 0),
            unique_clickers::float8 / nullif(delivered, 0), unique_human_clickers::float8 / nullif(delivered, 0),
            unique_human_clickers::float8 / nullif(unique_human_openers, 0), bounced::float8 / nullif(sent, 0),
            complaints::float8 / nullif(delivered, 0), unsubscribes::float8 / nullif(delivered, 0), replies::float8 / nullif(delivered, 0)""";

    /** The rate columns, named as the KPI tables name them, in the order of {@link #RATES}. */
    static final String RATE_COLUMNS = "delivery_rate, human_open_rate, click_rate, human_click_rate, click_to_open_rate, bounce_rate, "
            + "complaint_rate, unsubscribe_rate, reply_rate";

    private Kpis() {
    }
}
