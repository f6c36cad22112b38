package dev.mailpulse.storage.facts;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The rates of {@link Kpi} as the KPI tables' inserts and reads write them. */
final class Kpis {

    /** The rates, in the order of the KPI tables' rate columns, from columns named as theirs. */
    static final String RATES = Arrays.stream(Kpi.values()).map(Kpi::sql).collect(Collectors.joining(", "));

    /** The rate columns, named as the KPI tables name them, in the order of {@link #RATES}. */
    static final String RATE_COLUMNS = Arrays.stream(Kpi.values()).map(Kpi::wireName).collect(Collectors.joining(", "));

    private Kpis() {
    }
}
