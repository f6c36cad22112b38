package dev.mailpulse.etl.job;

import java.time.Clock;

import javax.sql.DataSource;

import org.jooq.DSLContext;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

import dev.mailpulse.storage.facts.Attribution;
import dev.mailpulse.storage.facts.DailyFacts;
import dev.mailpulse.storage.facts.DueDays;
import dev.mailpulse.storage.facts.EtlRuns;

/**
 * The daily ETL job: {@code dailyFacts}, partitioned by (workspace, local day), each day a step of its own run
 * {@code concurrency} at a time; then {@code attribution},
 * {@code lifetimeKpis} and {@code benchmarks} (with the trends). {@link DailyEtl} launches it; with
 * {@code mailpulse.etl.run-on-start} the application runs it once with its command line (the task app).
 */
@AutoConfiguration(afterName = "org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcAutoConfiguration")
@EnableConfigurationProperties(EtlProperties.class)
public class DailyEtlAutoConfiguration {

    @Bean
    Job dailyEtlJob(JobRepository jobs, Step dailyFacts, Step attribution, Step lifetimeKpis, Step benchmarks) {
        return new JobBuilder(EtlRuns.JOB_NAME, jobs).start(dailyFacts).next(attribution).next(lifetimeKpis).next(benchmarks).build();
    }

    @Bean
    Step dailyFacts(JobRepository jobs, Partitioner dayPartitioner, Step day, EtlProperties properties) {
        SimpleAsyncTaskExecutor days = new SimpleAsyncTaskExecutor("daily-etl-");
        days.setConcurrencyLimit(properties.concurrency());
        return new StepBuilder("dailyFacts", jobs).partitioner(EtlRuns.DAY_STEP, dayPartitioner).step(day).taskExecutor(days)
                .gridSize(properties.concurrency()).build();
    }

    @Bean
    @StepScope
    Partitioner dayPartitioner(DSLContext db, EtlProperties properties,
                               @Value("#{stepExecution.jobExecution.jobParameters}") JobParameters parameters) {
        return new DayPartitioner(EtlRequest.of(parameters), new DueDays(db), properties, Clock.systemUTC());
    }

    @Bean
    Step day(JobRepository jobs, PlatformTransactionManager transactions, DSLContext db) {
        return new StepBuilder(EtlRuns.DAY_STEP, jobs).tasklet(new DayTasklet(new DailyFacts(db)), transactions).build();
    }

    @Bean
    Step attribution(JobRepository jobs, PlatformTransactionManager transactions, DSLContext db) {
        return new StepBuilder("attribution", jobs).tasklet(new AttributionTasklet(new Attribution(db)), transactions).build();
    }

    @Bean
    Step lifetimeKpis(JobRepository jobs, PlatformTransactionManager transactions, DSLContext db) {
        return new StepBuilder("lifetimeKpis", jobs).tasklet(new LifetimeTasklet(db, jobs), transactions).build();
    }

    @Bean
    Step benchmarks(JobRepository jobs, PlatformTransactionManager transactions, DSLContext db) {
        return new StepBuilder("benchmarks", jobs).tasklet(new BenchmarksTasklet(db), transactions).build();
    }

    @Bean
    DailyEtl dailyEtl(Job dailyEtlJob, JobOperator operator, JobRepository jobs, DataSource dataSource) {
        return new DailyEtl(dailyEtlJob, operator, jobs, dataSource, Clock.systemUTC());
    }

    @Bean
    @ConditionalOnProperty(name = "mailpulse.etl.run-on-start", havingValue = "true")
    EtlRunner etlRunner(DailyEtl dailyEtl) {
        return new EtlRunner(dailyEtl);
    }
}
