package dev.mailpulse.ml.job;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;

/** Runs the model training once, for the task app, the CLI and the scheduler alike: every workspace, or one. */
public final class MlTrain {

    /** The training's job, as the job repository, Data Flow and the console name it. */
    public static final String JOB_NAME = "mlTrain";

    private static final Logger log = LoggerFactory.getLogger(MlTrain.class);

    /** What a run is asked: one workspace by name, or every one (empty). */
    public record Request(Optional<String> workspace) {

        static final String WORKSPACE = "workspace";
        static final String LAUNCHED_AT = "launched.at";

        /**
         * From the command line: {@code --workspace NAME} or {@code --workspace=NAME}, or nothing. Spring's options
         * ({@code --spring.*}), Data Flow's ({@code --app.*}) and the training's settings ({@code --mailpulse.*}) are
         * left to them; any other argument is refused.
         */
        public static Request parse(List<String> arguments) {
            Optional<String> workspace = Optional.empty();
            for (int i = 0; i < arguments.size(); i++) {
                String argument = arguments.get(i);
                int equals = argument.indexOf('=');
                String name = argument.startsWith("--") ? argument.substring(2, equals < 0 ? argument.length() : equals) : "";
                if (name.startsWith("spring.") || name.startsWith("app.") || name.startsWith("mailpulse.")) {
                    continue;
                }
                if (!name.equals(WORKSPACE) || workspace.isPresent()) {
                    throw new IllegalArgumentException("ml-train takes --workspace NAME (once) or nothing, not " + argument);
                }
                if (equals >= 0) {
                    workspace = Optional.of(argument.substring(equals + 1));
                } else if (i + 1 < arguments.size() && !arguments.get(i + 1).startsWith("--")) {
                    workspace = Optional.of(arguments.get(++i));
                }
                if (workspace.isEmpty() || workspace.get().isBlank()) {
                    throw new IllegalArgumentException("--workspace: a workspace's name is missing");
                }
            }
            return new Request(workspace);
        }

        static Request of(JobParameters parameters) {
            return new Request(Optional.ofNullable(parameters.getString(WORKSPACE)).filter(name -> !name.isEmpty()));
        }

        JobParameters parameters(Instant launchedAt) {
            return new JobParametersBuilder().addString(WORKSPACE, workspace.orElse("")).addString(LAUNCHED_AT, launchedAt.toString())
                    .toJobParameters();
        }

        @Override
        public String toString() {
            return workspace.map(name -> "workspace " + name).orElse("every workspace");
        }
    }

    private final Job job;
    private final JobOperator operator;

    MlTrain(Job job, JobOperator operator) {
        this.job = job;
        this.operator = operator;
    }

    public JobExecution run(Request request) throws Exception {
        log.info("model training: {}", request);
        JobExecution execution = operator.start(job, request.parameters(Instant.now()));
        log.info("model training execution {}: {}", execution.getId(), execution.getStatus());
        return execution;
    }
}
