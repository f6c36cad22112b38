package dev.mailpulse.core.event;

/** The four families of events MailPulse ingests; the family is the first part of a type's wire name. */
public enum EventFamily {
    EMAIL("email"),
    CAMPAIGN("campaign"),
    USER("user"),
    INFRASTRUCTURE("infrastructure");

    private final String wireName;

    EventFamily(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
