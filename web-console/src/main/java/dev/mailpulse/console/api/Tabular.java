package dev.mailpulse.console.api;

import java.util.List;

/** An answer made of rows, which {@link CsvConverter} writes as CSV: its items, and how fresh they are. */
public interface Tabular {

    List<? extends Record> items();

    Freshness freshness();
}
