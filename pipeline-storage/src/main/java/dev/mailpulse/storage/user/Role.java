package dev.mailpulse.storage.user;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A console user's role in one workspace: viewers read, analysts also build dashboards and reports, admins manage everything. */
public enum Role {
    ADMIN, ANALYST, VIEWER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromWireName(String name) {
        return Arrays.stream(values()).filter(role -> role.wireName().equals(name)).findFirst();
    }
}
