package dev.mailpulse.ml.job;

import java.util.List;

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

/**
 * The task app's one run: the request from its command line ({@code --workspace NAME}, {@code --zone ZONE}), what each
 * workspace's training did, and an exit code: 0 when it completed, 1 when it failed, 2 for a request it cannot read.
 */
final class MlTrainRunner implements ApplicationRunner, ExitCodeGenerator, ApplicationEventPublisherAware {

    private static final Logger log = LoggerFactory.getLogger(MlTrainRunner.class);

    private final MlTrain mlTrain;
    private int exitCode;
    private ApplicationEventPublisher events;

    MlTrainRunner(MlTrain mlTrain) {
        this.mlTrain = mlTrain;
    }

    @Override
    public void setApplicationEventPublisher(ApplicationEventPublisher events) {
        this.events = events;
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
        MlTrain.Request request;
        try {
            request = MlTrain.Request.parse(List.of(arguments.getSourceArgs()));
        } catch (IllegalArgumentException e) {
            log.error("{}", e.getMessage());
            exitCode = 2;
            return;
        }
        JobExecution execution = mlTrain.run(request);
        for (StepExecution step : execution.getStepExecutions()) {
            if (step.getStatus() != BatchStatus.COMPLETED) {
                log.error("  {} {}: {}", step.getStepName(), step.getStatus(),
                        step.getFailureExceptions().stream().map(Throwable::getMessage).reduce("", (a, b) -> a + " " + b).strip());
            }
        }
        exitCode = execution.getStatus() == BatchStatus.COMPLETED ? 0 : 1;
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }
}
