package dev.mailpulse.schedule;

import java.util.Map;
import java.util.Properties;

import javax.sql.DataSource;

import org.jooq.DSLContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.quartz.autoconfigure.SchedulerFactoryBeanCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.quartz.SchedulerFactoryBean;

import dev.mailpulse.tasks.TaskLauncher;

/**
 * The task scheduler in an application that has Quartz (the console): Quartz's store set to the application's
 * database, clustered ({@link #QUARTZ}), the task launcher of the environment, the schedules and their nightly sync.
 * Off with {@code mailpulse.schedule.enabled=false}.
 */
@AutoConfiguration(afterName = {"org.springframework.boot.quartz.autoconfigure.QuartzAutoConfiguration",
        "org.springframework.boot.jooq.autoconfigure.JooqAutoConfiguration"})
@ConditionalOnProperty(name = "mailpulse.schedule.enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(ScheduleProperties.class)
public class ScheduleAutoConfiguration {

    /**
     * Quartz's settings for MailPulse: one scheduler name for every instance, each with an id of its own, the JDBC
     * store clustered (each firing taken by one instance, under the store's lock), two threads (the jobs only wait for
     * a task's process).
     */
    public static final Map<String, String> QUARTZ = Map.of(
            "org.quartz.scheduler.instanceName", "mailpulse",
            "org.quartz.scheduler.instanceId", "AUTO",
            "org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate",
            "org.quartz.jobStore.isClustered", "true",
            "org.quartz.jobStore.clusterCheckinInterval", "5000",
            "org.quartz.jobStore.acquireTriggersWithinLock", "true",
            "org.quartz.threadPool.threadCount", "2");

    /**
     * The scheduler of MailPulse's schedules on {@code dataSource} (Flyway creates its tables), without a transaction
     * manager: Quartz's store then takes its connections as it needs them, so that the application starts while the
     * database is out of reach and the scheduler catches up once it is back (Boot's {@code job-store-type: jdbc}
     * would open a transaction at start).
     */
    public static void configure(SchedulerFactoryBean factory, DataSource dataSource) {
        Properties properties = new Properties();
        properties.putAll(QUARTZ);
        factory.setQuartzProperties(properties);
        factory.setDataSource(dataSource);
        factory.setOverwriteExistingJobs(false);
        factory.setWaitForJobsToCompleteOnShutdown(false);
    }

    @Bean
    SchedulerFactoryBeanCustomizer mailpulseQuartz(DataSource dataSource) {
        return factory -> configure(factory, dataSource);
    }

    @Bean
    @ConditionalOnMissingBean
    TaskLauncher taskLauncher() {
        return TaskLauncher.fromEnvironment(System.getenv());
    }

    @Bean
    @ConditionalOnBean(Scheduler.class)
    TaskSchedules taskSchedules(Scheduler scheduler, TaskLauncher launcher, ScheduleProperties properties) throws SchedulerException {
        return new TaskSchedules(scheduler, launcher, properties);
    }

    @Bean
    @ConditionalOnBean(Scheduler.class)
    NightlySchedules nightlySchedules(TaskSchedules schedules, DSLContext db, ScheduleProperties properties) {
        return new NightlySchedules(schedules, db, properties);
    }
}
