package dev.mailpulse.cli;

import static dev.mailpulse.storage.jooq.Tables.EVENTS;
import static dev.mailpulse.storage.jooq.Tables.FAILED_EVENTS;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import dev.mailpulse.core.event.EventSource;
import dev.mailpulse.storage.workspace.KeyScope;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.traffic.HistoryImport;

/**
 * {@code mailpulse import FILE --workspace NAME}: a history of NDJSON events through the collector's history import,
 * with an admin key made for the import and revoked after it; then, unless told not to, waits for the pipeline to
 * store what the collector took, and says how much was stored and what failed validation, and why.
 */
final class ImportCommand {

    static final String USAGE = """
              import FILE --workspace NAME [--collector URL] [--connections N] [--no-wait]
                                     the history import: FILE's events, one JSON object a line (- for standard input,
                                     *.gz read as gzip), through the collector's POST /v1/import with an admin key made
                                     for it and revoked after; validated, enriched and stored like live events but
                                     accepted up to 400 days old; progress each second, the lines refused and why; then
                                     waits until the pipeline has stored them (unless --no-wait) and says how many were
                                     stored and which failed validation; the next etl processes the days they fall on
            """;

    /** How long the stored count may stand still before the wait ends. */
    private static final Duration QUIET = Duration.ofSeconds(20);

    private final Workspaces workspaces;
    private final DSLContext db;
    private final PrintStream out;

    ImportCommand(Workspaces workspaces, DSLContext db, PrintStream out) {
        this.workspaces = workspaces;
        this.db = db;
        this.out = out;
    }

    int run(List<String> args) throws Exception {
        Options options = Options.parse(args, Set.of("--workspace", "--collector", "--connections"), Set.of("--no-wait"));
        options.expectPositionals(1);
        String file = options.positional(0, "FILE");
        String name = options.required("--workspace");
        Workspaces.Workspace workspace = workspaces.find(name).orElseThrow(() -> new IllegalArgumentException("no workspace " + name));
        Workspaces.IssuedKey key = workspaces.issueKey(name, "history import", KeyScope.ADMIN);
        Instant started = Instant.now();
        HistoryImport.Summary summary;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8))) {
            HistoryImport history = new HistoryImport(URI.create(options.value("--collector", "http://127.0.0.1:8081")), key.key(),
                    options.positive("--connections", 4), Duration.ofMinutes(5));
            long nextReport = System.nanoTime() + 1_000_000_000L;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                history.add(line);
                if (System.nanoTime() > nextReport) {
                    out.println("  " + history.progress());
                    nextReport += 1_000_000_000L;
                }
            }
            summary = history.finish();
        } finally {
            workspaces.revokeKey(name, key.displayPrefix());
        }
        out.printf("Read %,d lines: the collector took %,d events and refused %,d%n", summary.lines(), summary.accepted(), summary.refused());
        summary.firstRefusals().stream().sorted((a, b) -> Long.compare(a.line(), b.line())).forEach(refusal ->
                out.printf("  line %d refused: %s%s%n", refusal.line(), refusal.reason(), refusal.field() == null ? "" : " (" + refusal.field() + ")"));
        if (summary.refused() > summary.firstRefusals().size()) {
            out.printf("  and %,d more lines refused%n", summary.refused() - summary.firstRefusals().size());
        }
        if (summary.accepted() == 0 || summary.earliest().isEmpty() || options.flag("--no-wait")) {
            return summary.refused() == 0 ? 0 : 1;
        }
        out.printf("Events from %s to %s; waiting for the pipeline to store them ...%n", summary.earliest().get(), summary.latest().get());
        waitForTheStore(workspace, started, summary);
        return summary.refused() == 0 ? 0 : 1;
    }

    /** Counts the import's events stored and failed since it started until they add up, or stand still. */
    private void waitForTheStore(Workspaces.Workspace workspace, Instant started, HistoryImport.Summary summary) throws InterruptedException {
        OffsetDateTime since = started.atOffset(ZoneOffset.UTC);
        Condition stored = EVENTS.WORKSPACE_ID.eq(workspace.id()).and(EVENTS.SOURCE.eq(EventSource.IMPORT.wireName()))
                .and(EVENTS.RECEIVED_AT.ge(since))
                .and(EVENTS.OCCURRED_AT.between(summary.earliest().get().atOffset(ZoneOffset.UTC), summary.latest().get().atOffset(ZoneOffset.UTC)));
        Condition failed = FAILED_EVENTS.WORKSPACE_ID.eq(workspace.id()).and(FAILED_EVENTS.FAILED_AT.ge(since))
                .and(DSL.field("{0} ->> 'source'", String.class, FAILED_EVENTS.PAYLOAD).eq(EventSource.IMPORT.wireName()));
        long lastTotal = -1;
        long quietSince = System.nanoTime();
        long storedCount;
        long failedCount;
        while (true) {
            storedCount = db.fetchCount(EVENTS, stored);
            failedCount = db.fetchCount(FAILED_EVENTS, failed);
            long total = storedCount + failedCount;
            out.printf("  stored %,d, failed %,d of %,d%n", storedCount, failedCount, summary.accepted());
            if (total >= summary.accepted()) {
                break;
            }
            if (total != lastTotal) {
                lastTotal = total;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > QUIET.toNanos()) {
                out.printf("Nothing more for %d s: %,d events are duplicates of events stored before, or still on their way (they are safe in "
                        + "the broker; is the pipeline running? bin/mailpulse status)%n", QUIET.toSeconds(), summary.accepted() - total);
                break;
            }
            Thread.sleep(2_000);
        }
        out.printf("Stored %,d events; %,d failed validation or enrichment%n", storedCount, failedCount);
        db.select(FAILED_EVENTS.REASON, DSL.count()).from(FAILED_EVENTS).where(failed).groupBy(FAILED_EVENTS.REASON).orderBy(DSL.count().desc())
                .forEach(row -> out.printf("  %,d failed: %s (bin/mailpulse failed list --workspace %s --reason %s)%n", row.value2(), row.value1(),
                        workspace.name(), row.value1()));
    }

    private static InputStream open(String file) throws Exception {
        if (file.equals("-")) {
            return System.in;
        }
        InputStream in = Files.newInputStream(Path.of(file));
        return file.endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }
}
