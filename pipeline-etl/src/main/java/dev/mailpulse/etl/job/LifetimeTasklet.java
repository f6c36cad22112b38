package dev.mailpulse.etl.job;

import static dev.mailpulse.storage.jooq.Tables.CAMPAIGN_DAILY_KPIS;
import static dev.mailpulse.storage.jooq.Tables.ETL_DAYS;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import dev.mailpulse.storage.facts.LifetimeKpis;

/** After the days: the lifetime KPIs of every campaign with a day processed by this run (or the run it restarts). */
final class LifetimeTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(LifetimeTasklet.class);

    private final DSLContext db;
    private final JobRepository jobs;

    LifetimeTasklet(DSLContext db, JobRepository jobs) {
        this.db = db;
        this.jobs = jobs;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) {
        JobExecution run = chunk.getStepContext().getStepExecution().getJobExecution();
        List<Long> executions = jobs.getJobExecutions(run.getJobInstance()).stream().map(JobExecution::getId).toList();
        Map<UUID, TreeSet<String>> campaigns = db.selectDistinct(CAMPAIGN_DAILY_KPIS.WORKSPACE_ID, CAMPAIGN_DAILY_KPIS.CAMPAIGN_ID)
                .from(CAMPAIGN_DAILY_KPIS).join(ETL_DAYS)
                .on(ETL_DAYS.WORKSPACE_ID.eq(CAMPAIGN_DAILY_KPIS.WORKSPACE_ID), ETL_DAYS.DAY.eq(CAMPAIGN_DAILY_KPIS.DAY))
                .where(ETL_DAYS.JOB_EXECUTION_ID.in(executions))
                .fetchGroups(r -> r.value1(), r -> r.value2()).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> new TreeSet<>(e.getValue())));
        LifetimeKpis lifetime = new LifetimeKpis(db);
        int rows = 0;
        for (Map.Entry<UUID, TreeSet<String>> workspace : campaigns.entrySet()) {
            rows += lifetime.recompute(workspace.getKey(), workspace.getValue());
        }
        contribution.incrementWriteCount(rows);
        log.info("lifetime KPIs of {} campaigns", rows);
        return RepeatStatus.FINISHED;
    }
}
