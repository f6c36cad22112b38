package dev.mailpulse.storage.ml;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jooq.DSLContext;
import org.jooq.Record;

import dev.mailpulse.storage.facts.EtlRuns;

/**
 * The model training's runs as one workspace sees them, read from Spring Batch's job repository (the one the daily
 * ETL's runs are in, {@link EtlRuns}): those for every workspace, for the workspace's time zone and for it alone,
 * newest first, each with this workspace's step ({@code workspace:NAME}) and what it did.
 */
public final class TrainingRuns {

    /** The training's job, as the job repository, Data Flow and the console name it. */
    public static final String JOB_NAME = "mlTrain";
    /** Its worker step: one execution per workspace, named {@code workspace:} and the workspace's name. */
    public static final String WORKSPACE_STEP = "workspace";

    /**
     * A run: its Batch status, when, what it was asked (a workspace, a zone, or every workspace), and this workspace's
     * step: its status and what it did (each model's verdict, the scores, the forecasts), or why it failed.
     */
    public record Run(long executionId, String status, Instant created, Optional<Instant> started, Optional<Instant> ended, String asked,
                      Optional<String> workspaceStatus, Optional<String> outcome) {

        public boolean running() {
            return status.equals("STARTING") || status.equals("STARTED") || status.equals("STOPPING");
        }

        public Optional<Duration> duration() {
            return started.map(start -> Duration.between(start, ended.orElse(Instant.now())));
        }
    }

    private final DSLContext db;
    private final EtlRuns.Repository repository;

    public TrainingRuns(DSLContext db, String tablePrefix) {
        this.db = db;
        this.repository = new EtlRuns.Repository(db, tablePrefix);
    }

    /** The newest {@code limit} runs that trained (or were to train) this workspace. */
    public List<Run> recent(String workspaceName, String timeZone, int limit) {
        if (!repository.exists()) {
            return List.of();
        }
        return db.resultQuery("""
                SELECT e.job_execution_id, e.status, e.create_time, e.start_time, e.end_time,
                       coalesce(max(p.parameter_value) FILTER (WHERE p.parameter_name = 'workspace'), '') AS workspace,
                       coalesce(max(p.parameter_value) FILTER (WHERE p.parameter_name = 'zone'), '') AS zone,
                       max(s.status) AS step_status, max(s.exit_message) AS step_message
                FROM %1$sjob_execution e
                JOIN %1$sjob_instance i ON i.job_instance_id = e.job_instance_id
                LEFT JOIN %1$sjob_execution_params p ON p.job_execution_id = e.job_execution_id
                LEFT JOIN %1$sstep_execution s ON s.job_execution_id = e.job_execution_id AND s.step_name = ?
                WHERE i.job_name = ?
                GROUP BY e.job_execution_id
                HAVING coalesce(max(p.parameter_value) FILTER (WHERE p.parameter_name = 'workspace'), '') IN ('', ?)
                   AND coalesce(max(p.parameter_value) FILTER (WHERE p.parameter_name = 'zone'), '') IN ('', ?)
                ORDER BY e.job_execution_id DESC
                LIMIT ?""".formatted(repository.prefix()), WORKSPACE_STEP + ":" + workspaceName, JOB_NAME, workspaceName, timeZone, limit)
                .fetch(TrainingRuns::run);
    }

    private static Run run(Record row) {
        String workspace = row.get(5, String.class);
        String zone = row.get(6, String.class);
        String asked = !workspace.isEmpty() ? "this workspace" : !zone.isEmpty() ? "the workspaces of " + zone : "every workspace";
        return new Run(row.get(0, Long.class), row.get(1, String.class), EtlRuns.Repository.instant(row, 2).orElseThrow(),
                EtlRuns.Repository.instant(row, 3), EtlRuns.Repository.instant(row, 4), asked, Optional.ofNullable(row.get(7, String.class)),
                Optional.ofNullable(row.get(8, String.class)).filter(message -> !message.isBlank()));
    }
}
