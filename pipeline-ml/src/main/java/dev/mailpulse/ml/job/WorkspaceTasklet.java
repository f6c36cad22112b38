package dev.mailpulse.ml.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import dev.mailpulse.ml.MlTraining;
import dev.mailpulse.storage.workspace.Workspaces;

/** One partition: one workspace's training, each outcome logged as it comes and kept as the step's exit description. */
final class WorkspaceTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(WorkspaceTasklet.class);

    private final MlTraining training;
    private final Workspaces workspaces;

    WorkspaceTasklet(MlTraining training, Workspaces workspaces) {
        this.training = training;
        this.workspaces = workspaces;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) {
        StepExecution step = chunk.getStepContext().getStepExecution();
        String name = step.getExecutionContext().getString(WorkspacePartitioner.WORKSPACE_NAME);
        Workspaces.Workspace workspace = workspaces.find(name).orElseThrow(() -> new IllegalStateException("the workspace " + name + " is gone"));
        List<String> lines = new ArrayList<>();
        training.train(workspace, Instant.now(), line -> {
            log.info("{}: {}", name, line);
            lines.add(line);
        });
        // the step's exit description: what the console's jobs page shows of this workspace's training
        contribution.setExitStatus(ExitStatus.COMPLETED.addExitDescription(String.join("\n", lines)));
        return RepeatStatus.FINISHED;
    }
}
