package dev.mailpulse.schedule;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mailpulse.tasks.TaskLauncher;

/**
 * One firing of a task's trigger: the task launched through the task launcher with the trigger's arguments, waited
 * for, its output logged. Never two at once for the same task, in any instance of the cluster. A launch that found
 * another run of the task in progress is tried again after {@code mailpulse.schedule.retry-after}; a nightly one that
 * completed is followed by the task that follows it ({@link TaskSchedules#followNightly}).
 */
@DisallowConcurrentExecution
public final class LaunchTaskJob implements Job {

    static final String TASK = "task";
    static final String ARGUMENTS = "arguments";

    private static final Logger log = LoggerFactory.getLogger(LaunchTaskJob.class);

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        String task = context.getMergedJobDataMap().getString(TASK);
        String joined = context.getMergedJobDataMap().getString(ARGUMENTS);
        List<String> arguments = joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split("\n"));
        try {
            TaskLauncher launcher = (TaskLauncher) context.getScheduler().getContext().get(TaskSchedules.LAUNCHER);
            log.info("{} launched by {} ({})", task, context.getTrigger().getDescription(), context.getScheduler().getSchedulerInstanceId());
            TaskLauncher.Outcome outcome = launcher.run(task, arguments, line -> log.info("{}: {}", task, line));
            TaskSchedules schedules = (TaskSchedules) context.getScheduler().getContext().get(TaskSchedules.SCHEDULES);
            if (outcome.exitCode() == TaskLauncher.ANOTHER_RUN_IN_PROGRESS) {
                Instant retry = Instant.now().plus(schedules.properties().retryAfter());
                schedules.once(task, arguments, retry, task + " again: another run was in progress at " + context.getFireTime().toInstant());
                log.info("{}: another run was in progress; tried again at {}", task, retry);
            } else {
                log.info("{} {} ({})", task, outcome.completed() ? "completed" : "failed with exit code " + outcome.exitCode(), outcome.ranAs());
                if (outcome.completed()) {
                    schedules.followNightly(task, context.getTrigger().getKey());
                }
            }
        } catch (SchedulerException e) {
            throw new JobExecutionException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobExecutionException(e);
        } catch (Exception e) {
            log.error("{} could not be launched: {}", task, e.getMessage());
            throw new JobExecutionException(e);
        }
    }
}
