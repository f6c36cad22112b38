package dev.mailpulse.storage.readmodel;

import static dev.mailpulse.storage.jooq.Tables.EVENTS;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * What events can be broken down by, each a column or an enrichment of the raw store, and the event types it means
 * something for (a link for clicks, a bounce kind for bounces); {@link #pathName} is how the API names it.
 */
public enum Dimension {
    MAILBOX_PROVIDER("mailbox-provider", EVENTS.MAILBOX_PROVIDER, Set.of()),
    RECIPIENT_DOMAIN("recipient-domain", EVENTS.RECIPIENT_DOMAIN, Set.of()),
    BOUNCE_KIND("bounce-kind", DSL.field("{0}->>'bounce_kind'", String.class, EVENTS.ATTRIBUTES), Set.of("email.bounce")),
    LINK("link", EVENTS.LINK_URL, Set.of("email.click")),
    CLIENT("client", DSL.field("{0}->'client'->>'name'", String.class, EVENTS.ENRICHMENT), Set.of("email.open", "email.click")),
    DEVICE("device", DSL.field("{0}->'client'->>'device_type'", String.class, EVENTS.ENRICHMENT), Set.of("email.open", "email.click")),
    COUNTRY("country", DSL.field("{0}->>'country'", String.class, EVENTS.ENRICHMENT), Set.of("email.open", "email.click"));

    private final String pathName;
    private final Field<String> column;
    private final Set<String> eventTypes;

    Dimension(String pathName, Field<String> column, Set<String> eventTypes) {
        this.pathName = pathName;
        this.column = column;
        this.eventTypes = eventTypes;
    }

    public String pathName() {
        return pathName;
    }

    /** The event types broken down; empty for every type. */
    public Set<String> eventTypes() {
        return eventTypes;
    }

    Field<String> column() {
        return column;
    }

    public static Dimension of(String pathName) {
        return Arrays.stream(values()).filter(d -> d.pathName.equals(pathName.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("dimension: one of " + names() + ", not " + pathName));
    }

    public static String names() {
        return Arrays.stream(values()).map(Dimension::pathName).collect(Collectors.joining(", "));
    }
}
