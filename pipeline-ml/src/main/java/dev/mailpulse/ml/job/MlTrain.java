package dev.mailpulse.ml.job;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;

import dev.mailpulse.storage.workspace.Workspaces;

/** Runs the model training once, for the task app, the CLI and the scheduler alike: every workspace, a time zone's, or one. */
public final class MlTrain {

    private static final Logger log = LoggerFactory.getLogger(MlTrain.class);

    /** What a run is asked: one workspace by name, the workspaces of one time zone (the scheduler's), or every one. */
    public record Request(Optional<String> workspace, Optional<ZoneId> zone) {

        static final String WORKSPACE = "workspace";
        static final String ZONE = "zone";
        static final String LAUNCHED_AT = "launched.at";

        public Request {
            if (workspace.isPresent() && zone.isPresent()) {
                throw new IllegalArgumentException("--workspace or --zone, not both");
            }
        }

        /**
         * From the command line: {@code --workspace NAME} or {@code --zone ZONE} (either with {@code =}), or nothing.
         * Spring's options ({@code --spring.*}), Data Flow's ({@code --app.*}) and the training's settings
         * ({@code --mailpulse.*}) are left to them; any other argument is refused.
         */
        public static Request parse(List<String> arguments) {
            Map<String, String> options = new HashMap<>();
            for (int i = 0; i < arguments.size(); i++) {
                String argument = arguments.get(i);
                int equals = argument.indexOf('=');
                String name = argument.startsWith("--") ? argument.substring(2, equals < 0 ? argument.length() : equals) : "";
                if (name.startsWith("spring.") || name.startsWith("app.") || name.startsWith("mailpulse.")) {
                    continue;
                }
                if (!(name.equals(WORKSPACE) || name.equals(ZONE)) || options.containsKey(name)) {
                    throw new IllegalArgumentException("ml-train takes --workspace NAME or --zone ZONE (once), or nothing, not " + argument);
                }
                String value = equals >= 0 ? argument.substring(equals + 1)
                        : i + 1 < arguments.size() && !arguments.get(i + 1).startsWith("--") ? arguments.get(++i) : "";
                if (value.isBlank()) {
                    throw new IllegalArgumentException("--" + name + ": its value is missing");
                }
                options.put(name, value);
            }
            Optional<ZoneId> zone;
            try {
                zone = Optional.ofNullable(options.get(ZONE)).map(ZoneId::of);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("--zone: not a time zone: " + options.get(ZONE));
            }
            return new Request(Optional.ofNullable(options.get(WORKSPACE)), zone);
        }

        static Request of(JobParameters parameters) {
            return new Request(Optional.ofNullable(parameters.getString(WORKSPACE)).filter(name -> !name.isEmpty()),
                    Optional.ofNullable(parameters.getString(ZONE)).filter(zone -> !zone.isEmpty()).map(ZoneId::of));
        }

        JobParameters parameters(Instant launchedAt) {
            return new JobParametersBuilder().addString(WORKSPACE, workspace.orElse("")).addString(ZONE, zone.map(ZoneId::getId).orElse(""))
                    .addString(LAUNCHED_AT, launchedAt.toString()).toJobParameters();
        }

        /** Whether the run trains this workspace. */
        boolean includes(Workspaces.Workspace candidate) {
            return workspace.map(candidate.name()::equals).orElse(true) && zone.map(z -> z.getId().equals(candidate.timeZone())).orElse(true);
        }

        @Override
        public String toString() {
            return workspace.map(name -> "workspace " + name).orElse(zone.map(z -> "the workspaces of " + z.getId()).orElse("every workspace"));
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
