package dev.mailpulse.tasks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A task as a child process of its jar ({@code java -jar}), with this process's environment (the database, the
 * secrets), its output passed on line by line; killed with this process if this one is stopped first.
 */
public final class LocalTaskLauncher implements TaskLauncher {

    /** Each task's heap: Spark's training holds its data in memory, the ETL streams through the database. */
    private static final Map<String, String> HEAP = Map.of("ml-train", "-Xmx3g");
    private static final String DEFAULT_HEAP = "-Xmx1g";

    private final Map<String, Path> jars;
    private final List<String> jvmOptions;

    /** @param jvmOptions given to every task; a heap ({@code -Xmx}) among them replaces the task's own */
    public LocalTaskLauncher(Map<String, Path> jars, List<String> jvmOptions) {
        this.jars = Map.copyOf(jars);
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** From {@code name=path,name=path}. */
    static LocalTaskLauncher of(String jars) {
        Map<String, Path> byName = new TreeMap<>();
        for (String entry : jars.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("MAILPULSE_TASK_JARS: name=path,name=path, not " + entry);
            }
            byName.put(entry.substring(0, equals).strip(), Path.of(entry.substring(equals + 1).strip()));
        }
        return new LocalTaskLauncher(byName, List.of());
    }

    @Override
    public Outcome run(String task, List<String> arguments, Consumer<String> progress) throws Exception {
        Path jar = jars.get(task);
        if (jar == null) {
            throw new IllegalArgumentException("no jar for the task " + task + " (MAILPULSE_TASK_JARS names " + jars.keySet() + ")");
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the task " + task + "'s jar is not there: " + jar);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (jvmOptions.stream().noneMatch(option -> option.startsWith("-Xmx"))) {
            command.add(HEAP.getOrDefault(task, DEFAULT_HEAP));
        }
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread stop = new Thread(process::destroy, "stop-" + task);
        Runtime.getRuntime().addShutdownHook(stop);
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                progress.accept(line);
            }
            return new Outcome(task, process.waitFor(), "pid " + process.pid());
        } finally {
            Runtime.getRuntime().removeShutdownHook(stop);
        }
    }
}
