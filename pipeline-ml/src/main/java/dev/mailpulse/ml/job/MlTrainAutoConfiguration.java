package dev.mailpulse.ml.job;

import org.apache.spark.sql.SparkSession;
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
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

import dev.mailpulse.ml.JdbcSource;
import dev.mailpulse.ml.MlProperties;
import dev.mailpulse.ml.MlTraining;
import dev.mailpulse.ml.SparkSessions;
import dev.mailpulse.storage.ml.TrainingRuns;
import dev.mailpulse.storage.workspace.Workspaces;

/**
 * The model training job: {@code mlTrain}, one partition per workspace ({@code workspace:NAME}), one at a time (Spark
 * uses every core for each). {@link MlTrain} launches it; with {@code mailpulse.ml.run-on-start} the application runs
 * it once with its command line (the task app). Spark's session is made when the first training needs it.
 */
@AutoConfiguration(afterName = "org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcAutoConfiguration")
@EnableConfigurationProperties(MlProperties.class)
public class MlTrainAutoConfiguration {

    @Bean(destroyMethod = "stop")
    @Lazy
    SparkSession sparkSession(MlProperties properties) {
        return SparkSessions.create(properties.spark());
    }

    /** Spark reads the database the application uses, with its own connections (on a cluster, from the executors). */
    @Bean
    JdbcSource mlJdbcSource(Environment environment) {
        return new JdbcSource(environment.getRequiredProperty("spring.datasource.url"), environment.getProperty("spring.datasource.username", ""),
                environment.getProperty("spring.datasource.password", ""));
    }

    @Bean
    MlTraining mlTraining(@Lazy SparkSession spark, JdbcSource jdbc, DSLContext db, MlProperties properties) {
        return new MlTraining(spark, jdbc, db, properties);
    }

    @Bean
    Job mlTrainJob(JobRepository jobs, Step trainWorkspaces) {
        return new JobBuilder(TrainingRuns.JOB_NAME, jobs).start(trainWorkspaces).build();
    }

    @Bean
    Step trainWorkspaces(JobRepository jobs, Partitioner workspacePartitioner, Step trainWorkspace) {
        return new StepBuilder("workspaces", jobs).partitioner(TrainingRuns.WORKSPACE_STEP, workspacePartitioner).step(trainWorkspace).build();
    }

    @Bean
    @StepScope
    Partitioner workspacePartitioner(DSLContext db, @Value("#{stepExecution.jobExecution.jobParameters}") JobParameters parameters) {
        return new WorkspacePartitioner(new Workspaces(db), MlTrain.Request.of(parameters));
    }

    /** Each workspace's training writes as it goes (the registry, the scores): no transaction spans it. */
    @Bean
    Step trainWorkspace(JobRepository jobs, MlTraining training, DSLContext db) {
        return new StepBuilder(TrainingRuns.WORKSPACE_STEP, jobs).tasklet(new WorkspaceTasklet(training, new Workspaces(db)), new ResourcelessTransactionManager())
                .build();
    }

    @Bean
    MlTrain mlTrain(Job mlTrainJob, JobOperator operator) {
        return new MlTrain(mlTrainJob, operator);
    }

    @Bean
    @ConditionalOnProperty(name = "mailpulse.ml.run-on-start", havingValue = "true")
    MlTrainRunner mlTrainRunner(MlTrain mlTrain) {
        return new MlTrainRunner(mlTrain);
    }
}
