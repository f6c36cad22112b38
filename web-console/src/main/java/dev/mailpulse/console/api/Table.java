package dev.mailpulse.console.api;

import java.util.List;

/** A series or a table, whole: its items and how fresh they are. Rendered as JSON, or as CSV for {@code Accept: text/csv}. */
public record Table<T extends Record>(List<T> items, Freshness freshness) implements Tabular {
}
