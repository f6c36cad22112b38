package dev.mailpulse.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** BENCHMARKS.md, made of marked sections: each benchmark replaces its own section and leaves the others as they are. */
final class BenchmarksFile {

    private BenchmarksFile() {
    }

    /** Replaces the section marked {@code name} (or appends it) with {@code body}. */
    static void replaceSection(Path file, String name, String body) throws IOException {
        String start = "<!-- " + name + ":start -->\n";
        String end = "<!-- " + name + ":end -->\n";
        String section = start + body + (body.endsWith("\n") ? "" : "\n") + end;
        String current = Files.exists(file) ? Files.readString(file)
                : "# Benchmarks\n\nFigures measured on this project's machine; each section says how to reproduce it.\n\n";
        int from = current.indexOf(start);
        int to = current.indexOf(end);
        String updated = from >= 0 && to > from
                ? current.substring(0, from) + section + current.substring(to + end.length())
                : current + (current.endsWith("\n\n") ? "" : "\n") + section;
        Files.writeString(file, updated);
    }
}
