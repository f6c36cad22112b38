package dev.mailpulse.storage.workspace;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What an API key may do. An ingest key only sends events; a read key only reads (the Analytics API, the live
 * stream); an admin key reads and writes (rules, dashboards, reports, settings, replays) but does not send events.
 */
public enum KeyScope {
    INGEST, READ, ADMIN;

    /** The scope's name as stored and as operators type it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean canRead() {
        return this == READ || this == ADMIN;
    }

    public boolean canWrite() {
        return this == ADMIN;
    }

    public static Optional<KeyScope> fromWireName(String name) {
        return Arrays.stream(values()).filter(scope -> scope.wireName().equals(name)).findFirst();
    }
}
