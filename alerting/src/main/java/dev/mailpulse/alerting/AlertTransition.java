package dev.mailpulse.alerting;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** One change of an alert instance's state: when, which instance (its rule's name, its split's value), from and to, on what value and volume. */
public record AlertTransition(Instant at, String rule, Map<String, String> labels, AlertState from, AlertState to, Optional<Double> value, long volume) {
}
