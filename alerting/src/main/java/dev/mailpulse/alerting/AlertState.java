package dev.mailpulse.alerting;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * An alert instance's states, Grafana's: normal; pending (breaching, its pending period not yet over); firing;
 * resolved (recovered after firing, normal again at the next evaluation that does not breach); no data (nothing to
 * judge in the window); error (the evaluation failed).
 */
public enum AlertState {
    NORMAL, PENDING, FIRING, RESOLVED, NODATA, ERROR;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<AlertState> of(String wireName) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(wireName)).findFirst();
    }

    /** Whether entering this state is told to the rule's channels: firing, and resolved after it. */
    public boolean notified() {
        return this == FIRING || this == RESOLVED;
    }
}
