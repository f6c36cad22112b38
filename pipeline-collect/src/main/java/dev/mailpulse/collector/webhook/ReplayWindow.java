package dev.mailpulse.collector.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.mailpulse.collector.ingest.Answer;
import dev.mailpulse.core.json.EventJson;

/**
 * How far a provider's signed timestamp may be from now, either way: a signed call is proof of origin, not of
 * freshness, and without this check it could be replayed forever.
 */
final class ReplayWindow {

    private ReplayWindow() {
    }

    /** A Unix-seconds timestamp (SendGrid's header): the refusal, with the field, if it is outside the window. */
    static Optional<Answer.Refused> check(String epochSeconds, Duration maxAge, Clock clock, String field) {
        Instant signedAt;
        try {
            signedAt = Instant.ofEpochSecond(Long.parseLong(epochSeconds.strip()));
        } catch (RuntimeException e) {
            return Optional.of(Answer.Refused.of(401, "the signed timestamp is not a time in seconds: " + CanonicalEvents.diagnostic(epochSeconds), field));
        }
        return outside(signedAt, maxAge, clock).map(reason -> Answer.Refused.of(401, reason, field));
    }

    /** An RFC 3339 timestamp (SNS's {@code Timestamp}): why it is refused, if it is. */
    static Optional<String> timestamp(String rfc3339, Duration maxAge, Clock clock) {
        if (rfc3339 == null) {
            return Optional.of("the message has no Timestamp");
        }
        try {
            return outside(EventJson.parseTimestamp(rfc3339), maxAge, clock);
        } catch (IllegalArgumentException e) {
            return Optional.of("the message's Timestamp is not a time: " + CanonicalEvents.diagnostic(rfc3339));
        }
    }

    private static Optional<String> outside(Instant signedAt, Duration maxAge, Clock clock) {
        Duration off = Duration.between(signedAt, clock.instant()).abs();
        return off.compareTo(maxAge) > 0
                ? Optional.of("signed at " + signedAt + ", outside the replay window of " + maxAge + " around now: refused as a replay")
                : Optional.empty();
    }
}
