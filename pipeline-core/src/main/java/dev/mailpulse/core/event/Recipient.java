package dev.mailpulse.core.event;

import java.util.Objects;

/**
 * The recipient of an email event. By default only a keyed hash of the normalised address and its domain
 * are kept; {@code address} is present only for workspaces that chose to store addresses in clear.
 */
public record Recipient(String hash, String domain, String address) {

    public Recipient {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(domain, "domain");
    }
}
