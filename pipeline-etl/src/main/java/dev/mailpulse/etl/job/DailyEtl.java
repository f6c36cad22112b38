package dev.mailpulse.etl.job;

import java.time.Clock;
import java.util.Optional;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;

/**
 * Runs the daily ETL once, for the CLI, the task app, the console and the scheduler alike. Refuses while another run
 * is alive; marks FAILED the executions a dead run left STARTED (recognised by the lock it no longer holds); restarts
 * the last run when it failed and was asked the same thing, so that only its unfinished days run again; else starts
 * a new run.
 */
public final class DailyEtl {

    private static final Logger log = LoggerFactory.getLogger(DailyEtl.class);

    /** Another run holds the lock: nothing was done. */
    public static final class AlreadyRunning extends RuntimeException {
        AlreadyRunning() {
            super("another daily ETL run is in progress; this one did nothing");
        }
    }

    private final Job job;
    private final JobOperator operator;
    private final JobRepository repository;
    private final DataSource dataSource;
    private final Clock clock;

    DailyEtl(Job job, JobOperator operator, JobRepository repository, DataSource dataSource, Clock clock) {
        this.job = job;
        this.operator = operator;
        this.repository = repository;
        this.dataSource = dataSource;
        this.clock = clock;
    }

    public JobExecution run(EtlRequest request) throws Exception {
        Optional<EtlLock> lock = EtlLock.tryAcquire(dataSource);
        if (lock.isEmpty()) {
            throw new AlreadyRunning();
        }
        try (EtlLock held = lock.get()) {
            for (JobExecution dead : repository.findRunningJobExecutions(job.getName())) {
                log.warn("execution {} (started {}) was left {} by a run that is gone: marked FAILED", dead.getId(), dead.getStartTime(),
                        dead.getStatus());
                operator.recover(dead);
            }
            Optional<JobExecution> last = Optional.ofNullable(repository.getLastJobInstance(job.getName()))
                    .map((JobInstance instance) -> repository.getLastJobExecution(instance));
            JobExecution execution;
            if (last.isPresent() && last.get().getStatus() == BatchStatus.FAILED && EtlRequest.of(last.get().getJobParameters()).equals(request)) {
                log.info("restarting execution {} ({}): only its unfinished days run again", last.get().getId(), request);
                execution = operator.restart(last.get());
            } else {
                log.info("daily ETL: {}", request);
                execution = operator.start(job, request.parameters(clock.instant()));
            }
            log.info("daily ETL execution {}: {}", execution.getId(), execution.getStatus());
            return execution;
        }
    }
}
