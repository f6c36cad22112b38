package dev.mailpulse.etl.job;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import dev.mailpulse.storage.facts.DailyFacts;
import dev.mailpulse.storage.facts.LocalDay;

/** One partition: one workspace-local day's facts, in the step's transaction. */
final class DayTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(DayTasklet.class);

    private final DailyFacts facts;

    DayTasklet(DailyFacts facts) {
        this.facts = facts;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) {
        StepExecution step = chunk.getStepContext().getStepExecution();
        LocalDay day = DayPartitioner.day(step.getExecutionContext());
        DailyFacts.Reason reason = DayPartitioner.reason(step.getExecutionContext());
        DailyFacts.Processed processed = facts.process(day, reason, step.getJobExecutionId());
        step.getExecutionContext().putLong("events", processed.events());
        contribution.incrementWriteCount(processed.factRows());
        String summary = String.format(Locale.ROOT, "%s (%s, %d h): %,d events, %,d fact rows, %s", day.key(), day.zone().getId(),
                day.length().toHours(), processed.events(), processed.factRows(), why(reason, processed));
        step.getExecutionContext().putString("summary", summary);
        log.info("processed {}", summary);
        return RepeatStatus.FINISHED;
    }

    private static String why(DailyFacts.Reason reason, DailyFacts.Processed processed) {
        return switch (reason) {
            case FIRST -> "first time";
            case LATE -> "again: events arrived after it was processed (" + processed.marksTaken() + " quarter hours changed)";
            case ASKED -> "asked for";
        };
    }
}
