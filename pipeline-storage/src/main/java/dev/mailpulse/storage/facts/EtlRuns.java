package dev.mailpulse.storage.facts;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * The daily ETL's runs as one workspace sees them, read from Spring Batch's job repository (in the MailPulse database,
 * under {@code tablePrefix}): the runs for every workspace and those for this one, newest first, each with this
 * workspace's days in it (one partition step each, {@code day:NAME/DATE}), how far it got, and why each day ran.
 */
public final class EtlRuns {

    /** The daily ETL's job, as the job repository, Data Flow and the console name it. */
    public static final String JOB_NAME = "dailyEtl";
    /** Its worker step: one execution per (workspace, day), named {@code day:} and the day's {@link LocalDay#key()}. */
    public static final String DAY_STEP = "day";

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_]{1,30}");

    /** One day of a run: its Batch status, the fact rows it wrote, and why it ran (while it is the day's last run). */
    public record RunDay(LocalDate day, String status, long factRows, Optional<String> reason, Optional<String> failure) {
    }

    /**
     * A run: its Batch status and exit, when, what it was asked ({@code workspace} empty for every workspace;
     * {@code from} and {@code to} empty for every day due or changed), and this workspace's days in it.
     */
    public record Run(long executionId, String status, String exitCode, Optional<String> exitMessage, Instant created, Optional<Instant> started,
                      Optional<Instant> ended, Optional<String> from, Optional<String> to, Optional<String> workspace, List<RunDay> days) {

        public boolean running() {
            return status.equals("STARTING") || status.equals("STARTED") || status.equals("STOPPING");
        }

        public long daysDone() {
            return days.stream().filter(d -> d.status().equals("COMPLETED")).count();
        }

        public long daysFailed() {
            return days.stream().filter(d -> d.status().equals("FAILED")).count();
        }

        public long factRows() {
            return days.stream().mapToLong(RunDay::factRows).sum();
        }

        /** Days processed again because events arrived after they were processed. */
        public long daysReprocessed() {
            return days.stream().filter(d -> d.reason().filter("late"::equals).isPresent()).count();
        }

        public Optional<Duration> duration() {
            return started.map(start -> Duration.between(start, ended.orElse(Instant.now())));
        }

        /** The arguments of {@code bin/mailpulse etl} that ask the same. */
        public List<String> arguments() {
            List<String> arguments = new ArrayList<>();
            from.ifPresent(day -> arguments.addAll(List.of("--from", day, "--to", to.orElse(day))));
            workspace.ifPresent(name -> arguments.addAll(List.of("--workspace", name)));
            return arguments;
        }
    }

    /**
     * Spring Batch's job repository in the MailPulse database, which the daily ETL and the model training share: its
     * tables' prefix, and how its times read.
     */
    public record Repository(DSLContext db, String prefix) {

        /** @param prefix the job repository's table prefix ({@code batch_}; under Data Flow 2.11, {@code boot3_batch_}) */
        public Repository {
            if (!PREFIX.matcher(prefix).matches()) {
                throw new IllegalArgumentException("a Batch table prefix of letters, digits and underscores, not " + prefix);
            }
            prefix = prefix.toLowerCase(Locale.ROOT);
        }

        /** Whether the job repository is in this database: it is made by a job's first run. */
        public boolean exists() {
            return db.fetchValue("SELECT to_regclass(?)", prefix + "job_execution_params") != null;
        }

        /** Spring Batch writes its times without a zone, in the local time of the task's machine (this one's, here, and in {@link #runsOf}). */
        public static Optional<Instant> instant(Record row, int field) {
            return Optional.ofNullable(row.get(field, LocalDateTime.class)).map(time -> time.atZone(ZoneId.systemDefault()).toInstant());
        }
    }

    private final DSLContext db;
    private final Repository repository;
    private final String prefix;

    /** @param tablePrefix the job repository's table prefix ({@code batch_}; under Data Flow 2.11, {@code boot3_batch_}) */
    public EtlRuns(DSLContext db, String tablePrefix) {
        this.db = db;
        this.repository = new Repository(db, tablePrefix);
        this.prefix = repository.prefix();
    }

    /** The newest {@code limit} runs for every workspace or for this one, with this workspace's days. */
    public List<Run> recent(UUID workspaceId, String workspaceName, int limit) {
        return runs(workspaceId, workspaceName, Optional.empty(), limit);
    }

    /** One run, if it was for every workspace or for this one. */
    public Optional<Run> find(UUID workspaceId, String workspaceName, long executionId) {
        return runs(workspaceId, workspaceName, Optional.of(executionId), 1).stream().findFirst();
    }

    /** Whether the job repository is in this database: it is made by the ETL's first run. */
    public boolean repositoryExists() {
        return repository.exists();
    }

    /**
     * The runs that a workspace is in (those for every workspace and those for it) as a relation for other queries:
     * {@code job_execution_id}, {@code status} (Batch's: COMPLETED, FAILED, ...) and {@code ended_at} (a timestamptz;
     * null while running). {@code workspaceName}: an SQL expression of the workspace's name.
     */
    public String runsOf(String workspaceName) {
        return """
                (SELECT e.job_execution_id, e.status, e.end_time AT TIME ZONE '%2$s' AS ended_at
                 FROM %1$sjob_execution e JOIN %1$sjob_instance i ON i.job_instance_id = e.job_instance_id
                 WHERE i.job_name = '%3$s' AND coalesce((SELECT max(p.parameter_value) FROM %1$sjob_execution_params p
                       WHERE p.job_execution_id = e.job_execution_id AND p.parameter_name = 'workspace'), '') IN ('', %4$s))"""
                .formatted(prefix, ZoneId.systemDefault().getId(), JOB_NAME, workspaceName);
    }

    private List<Run> runs(UUID workspaceId, String workspaceName, Optional<Long> executionId, int limit) {
        if (!repositoryExists()) {
            return List.of(); // the ETL has never run against this database
        }
        Map<Long, Record> found = new LinkedHashMap<>();
        db.resultQuery("""
                SELECT e.job_execution_id, e.status, e.exit_code, e.exit_message, e.create_time, e.start_time, e.end_time,
                       max(p.parameter_value) FILTER (WHERE p.parameter_name = 'from') AS from_day,
                       max(p.parameter_value) FILTER (WHERE p.parameter_name = 'to') AS to_day,
                       coalesce(max(p.parameter_value) FILTER (WHERE p.parameter_name = 'workspace'), '') AS workspace
                FROM %1$sjob_execution e
                JOIN %1$sjob_instance i ON i.job_instance_id = e.job_instance_id
                LEFT JOIN %1$sjob_execution_params p ON p.job_execution_id = e.job_execution_id
                WHERE i.job_name = ? AND (?::bigint IS NULL OR e.job_execution_id = ?::bigint)
                GROUP BY e.job_execution_id
                HAVING coalesce(max(p.parameter_value) FILTER (WHERE p.parameter_name = 'workspace'), '') IN ('', ?)
                ORDER BY e.job_execution_id DESC
                LIMIT ?""".formatted(prefix), JOB_NAME, executionId.orElse(null), executionId.orElse(null), workspaceName, limit)
                .forEach(row -> found.put(row.get(0, Long.class), row));
        if (found.isEmpty()) {
            return List.of();
        }
        String stepPrefix = DAY_STEP + ":" + workspaceName + "/";
        Map<Long, List<RunDay>> days = new LinkedHashMap<>();
        db.resultQuery("""
                SELECT s.job_execution_id, substr(s.step_name, length(?) + 1)::date AS day, s.status, s.write_count, s.exit_message, d.reason
                FROM %1$sstep_execution s
                LEFT JOIN etl_days d ON d.workspace_id = ? AND d.day = substr(s.step_name, length(?) + 1)::date
                                     AND d.job_execution_id = s.job_execution_id
                WHERE s.job_execution_id = ANY(?) AND left(s.step_name, length(?)) = ?
                ORDER BY day""".formatted(prefix), stepPrefix, workspaceId, stepPrefix, found.keySet().toArray(Long[]::new), stepPrefix,
                stepPrefix)
                .forEach(row -> days.computeIfAbsent(row.get(0, Long.class), id -> new ArrayList<>()).add(new RunDay(row.get(1, LocalDate.class),
                        row.get(2, String.class), row.get(3, Long.class), Optional.ofNullable(row.get(5, String.class)),
                        Optional.ofNullable(row.get(4, String.class)).filter(message -> !message.isBlank()))));
        List<Run> runs = new ArrayList<>();
        found.forEach((id, row) -> runs.add(new Run(id, row.get(1, String.class), row.get(2, String.class),
                Optional.ofNullable(row.get(3, String.class)).filter(message -> !message.isBlank()), Repository.instant(row, 4).orElseThrow(), Repository.instant(row, 5),
                Repository.instant(row, 6), blank(row.get(7, String.class)), blank(row.get(8, String.class)), blank(row.get(9, String.class)),
                days.getOrDefault(id, List.of()))));
        return runs;
    }

    private static Optional<String> blank(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isEmpty());
    }
}
