package dev.mailpulse.etl.job;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import dev.mailpulse.storage.facts.Attribution;

/**
 * After the days: the revenue attribution of every processed day that needs it (of the run's workspace, when it
 * names one), whichever run processed it: late clicks and changed windows are caught up however the run was asked.
 */
final class AttributionTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(AttributionTasklet.class);

    private final Attribution attribution;

    AttributionTasklet(Attribution attribution) {
        this.attribution = attribution;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) {
        EtlRequest request = EtlRequest.of(chunk.getStepContext().getStepExecution().getJobParameters());
        List<Attribution.Due> due = attribution.due(request.workspace());
        int rows = 0;
        for (Attribution.Due day : due) {
            rows += attribution.attribute(day);
        }
        contribution.incrementWriteCount(rows);
        log.info("revenue attributed for {} days: {} rows", due.size(), rows);
        return RepeatStatus.FINISHED;
    }
}
