package dev.mailpulse.tasks;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Launches one of MailPulse's tasks ({@code daily-etl}, {@code ml-train}) with its arguments and waits for it to
 * end, for the command line, the console and the scheduler alike: where it runs is this object's business, a child
 * process here or a Data Flow server's platform ({@link #fromEnvironment}).
 */
public interface TaskLauncher {

    /** The exit code of a task that did nothing because another run of it is in progress (try again later). */
    int ANOTHER_RUN_IN_PROGRESS = 3;

    /** How a task ended: its exit code (0 when it completed), and where it ran (a pid, or Data Flow's execution id). */
    record Outcome(String task, int exitCode, String ranAs) {

        public boolean completed() {
            return exitCode == 0;
        }
    }

    /**
     * @param progress each line the task reports while it runs, as it comes
     */
    Outcome run(String task, List<String> arguments, Consumer<String> progress) throws Exception;

    /**
     * Data Flow's REST API when {@code MAILPULSE_DATAFLOW_URL} is set, else child processes of the jars that
     * {@code MAILPULSE_TASK_JARS} names ({@code daily-etl=/path/daily-etl.jar,ml-train=/path/ml-train.jar}).
     */
    static TaskLauncher fromEnvironment(Map<String, String> env) {
        String dataflow = env.getOrDefault("MAILPULSE_DATAFLOW_URL", "");
        if (!dataflow.isBlank()) {
            return new DataFlowTaskLauncher(java.net.URI.create(dataflow.strip()));
        }
        return LocalTaskLauncher.of(env.getOrDefault("MAILPULSE_TASK_JARS", ""));
    }
}
