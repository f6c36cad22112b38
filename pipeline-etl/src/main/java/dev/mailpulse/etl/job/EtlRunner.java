package dev.mailpulse.etl.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeEvent;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;

import dev.mailpulse.tasks.TaskLauncher;

/**
 * The task app's one run: the request from its command line ({@code --date}, {@code --from}, {@code --to},
 * {@code --workspace}), the days it processed and why, and an exit code: 0 when it completed, 1 when it failed, 2 for
 * a request it cannot read, 3 when another run is in progress.
 */
final class EtlRunner implements ApplicationRunner, ExitCodeGenerator, ApplicationEventPublisherAware {

    private static final Logger log = LoggerFactory.getLogger(EtlRunner.class);

    private final DailyEtl etl;
    private int exitCode;
    private ApplicationEventPublisher events;

    @Override
    public void setApplicationEventPublisher(ApplicationEventPublisher events) {
        this.events = events;
    }

    EtlRunner(DailyEtl etl) {
        this.etl = etl;
    }

    @Override
    public void run(ApplicationArguments arguments) throws Exception {
        try {
            runOnce(arguments);
        } finally {
            // Spring Cloud Task records the end at ApplicationReadyEvent, before main's SpringApplication.exit: tell it now
            events.publishEvent(new ExitCodeEvent(this, exitCode));
        }
    }

    private void runOnce(ApplicationArguments arguments) throws Exception {
        EtlRequest request;
        try {
            request = EtlRequest.parse(java.util.List.of(arguments.getSourceArgs()));
        } catch (IllegalArgumentException e) {
            log.error("{}", e.getMessage());
            exitCode = 2;
            return;
        }
        try {
            JobExecution execution = etl.run(request);
            for (StepExecution step : execution.getStepExecutions()) {
                if (step.getExecutionContext().containsKey("summary") || step.getStatus() != BatchStatus.COMPLETED) {
                    log.info("  {}: {}", step.getStatus(), step.getExecutionContext().getString("summary", step.getStepName()
                            + step.getFailureExceptions().stream().map(e -> " " + e.getMessage()).reduce("", String::concat)));
                }
            }
            exitCode = execution.getStatus() == BatchStatus.COMPLETED ? 0 : 1;
        } catch (DailyEtl.AlreadyRunning e) {
            log.error("{}", e.getMessage());
            exitCode = TaskLauncher.ANOTHER_RUN_IN_PROGRESS;
        }
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }
}
