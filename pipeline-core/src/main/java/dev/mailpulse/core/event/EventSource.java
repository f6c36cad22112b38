package dev.mailpulse.core.event;

import java.util.Arrays;
import java.util.Optional;

/**
 * Where an event entered MailPulse: our own API, a provider's webhook, MailPulse itself, or the history import (events
 * from before MailPulse, accepted older than live ones).
 */
public enum EventSource {
    API("api"),
    SENDGRID("sendgrid"),
    MAILGUN("mailgun"),
    POSTMARK("postmark"),
    SES("ses"),
    INTERNAL("internal"),
    IMPORT("import");

    private final String wireName;

    EventSource(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<EventSource> fromWireName(String wireName) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(wireName)).findFirst();
    }
}
