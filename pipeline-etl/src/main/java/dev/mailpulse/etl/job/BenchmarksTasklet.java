package dev.mailpulse.etl.job;

import java.util.List;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import dev.mailpulse.storage.facts.Benchmarks;
import dev.mailpulse.storage.facts.Trends;

/**
 * After the lifetime KPIs: each workspace's campaign benchmarks and trends (the run's workspace only, when it names
 * one), then every industry's comparison, which spans workspaces.
 */
final class BenchmarksTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(BenchmarksTasklet.class);

    private final DSLContext db;

    BenchmarksTasklet(DSLContext db) {
        this.db = db;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) {
        EtlRequest request = EtlRequest.of(chunk.getStepContext().getStepExecution().getJobParameters());
        List<UUID> workspaces = db.fetch("""
                SELECT w.workspace_id FROM workspaces w
                WHERE ({0}::varchar IS NULL OR w.name = {0}) AND EXISTS (SELECT 1 FROM etl_days d WHERE d.workspace_id = w.workspace_id)
                ORDER BY w.name""", DSL.val(request.workspace().orElse(null), String.class)).getValues(0, UUID.class);
        Benchmarks benchmarks = new Benchmarks(db);
        Trends trends = new Trends(db);
        int rows = 0;
        for (UUID workspace : workspaces) {
            rows += benchmarks.rankCampaigns(workspace) + trends.recompute(workspace);
        }
        int industries = benchmarks.compareIndustries();
        contribution.incrementWriteCount(rows + industries);
        log.info("benchmarks and trends of {} workspaces ({} rows), {} industry figures published", workspaces.size(), rows, industries);
        return RepeatStatus.FINISHED;
    }
}
