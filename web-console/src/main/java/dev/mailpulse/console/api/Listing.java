package dev.mailpulse.console.api;

import java.util.List;

/**
 * A page of a list: its items, the cursor of the next page ({@code ?cursor=}, null on the last) and how fresh it is.
 * Rendered as JSON, or as CSV for {@code Accept: text/csv}.
 */
public record Listing<T extends Record>(List<T> items, String next, Freshness freshness) implements Tabular {
}
