package dev.mailpulse.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** CPU seconds used so far and resident memory of a group of processes, from /proc (Linux). */
record ProcessUsage(double cpuSeconds, double rssMegabytes) {

    static final ProcessUsage NONE = new ProcessUsage(0, 0);
    /** Linux's USER_HZ: /proc/PID/stat counts CPU time in these ticks. */
    private static final double TICKS_PER_SECOND = 100.0;

    /** Each named group's usage: the sum over its live processes. */
    static Map<String, ProcessUsage> of(Map<String, List<Long>> groups) {
        Map<String, ProcessUsage> usage = new LinkedHashMap<>();
        groups.forEach((name, pids) -> {
            double cpu = 0;
            double rss = 0;
            for (long pid : pids) {
                try {
                    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                    // fields after the command name (which may hold spaces), from field 3 on
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    cpu += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
                    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                        if (line.startsWith("VmRSS:")) {
                            rss += Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                        }
                    }
                } catch (IOException | RuntimeException gone) {
                    // the process ended; it counts for nothing
                }
            }
            usage.put(name, new ProcessUsage(cpu, rss));
        });
        return usage;
    }
}
