package dev.mailpulse.schedule;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeMap;

import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mailpulse.tasks.TaskLauncher;

/**
 * MailPulse's schedules of tasks in one Quartz scheduler: a job per task ({@link LaunchTaskJob}, never two of its
 * launches at once, in any instance), fired by a nightly trigger per time zone, and by one-off triggers (a launch that
 * found another run in progress, tried again later). The scheduler's store is the MailPulse database, clustered: each
 * firing is taken by one instance only.
 */
public final class TaskSchedules {

    /** The Quartz group of MailPulse's jobs and triggers. */
    static final String GROUP = "mailpulse";
    /** Where the jobs find the task launcher: the scheduler's context. */
    static final String LAUNCHER = "mailpulse.taskLauncher";
    /** Where they find these schedules (to plan a retry). */
    static final String SCHEDULES = "mailpulse.taskSchedules";

    private static final Logger log = LoggerFactory.getLogger(TaskSchedules.class);
    private static final String NIGHTLY = "nightly ";

    /** A trigger as the console lists it: the task, what fires it, and when next. */
    public record Planned(String task, String trigger, Optional<Instant> next) {
    }

    private final Scheduler scheduler;
    private final ScheduleProperties properties;

    public TaskSchedules(Scheduler scheduler, TaskLauncher launcher, ScheduleProperties properties) throws SchedulerException {
        this.scheduler = scheduler;
        this.properties = properties;
        scheduler.getContext().put(LAUNCHER, launcher);
        scheduler.getContext().put(SCHEDULES, this);
    }

    /**
     * Brings the task's nightly triggers in line with the zones: one firing at {@code at} local time in each zone (a
     * trigger missed while no instance ran fires once when one is back), none for a zone no longer used. Safe to call
     * from every instance at once.
     */
    public void syncNightly(String task, Set<ZoneId> zones, LocalTime at) throws SchedulerException {
        JobKey job = ensureJob(task);
        String cron = at.getSecond() + " " + at.getMinute() + " " + at.getHour() + " * * ?";
        Set<TriggerKey> wanted = new HashSet<>();
        for (ZoneId zone : zones) {
            TriggerKey key = TriggerKey.triggerKey(NIGHTLY + zone.getId(), task);
            wanted.add(key);
            Trigger existing = scheduler.getTrigger(key);
            if (existing instanceof CronTrigger cronTrigger && cronTrigger.getCronExpression().equals(cron)
                    && cronTrigger.getTimeZone().getID().equals(zone.getId())) {
                continue;
            }
            CronTrigger trigger = TriggerBuilder.newTrigger().withIdentity(key).forJob(job)
                    .withDescription(task + " nightly at " + at + " " + zone.getId())
                    .withSchedule(CronScheduleBuilder.cronSchedule(cron).inTimeZone(TimeZone.getTimeZone(zone))
                            .withMisfireHandlingInstructionFireAndProceed())
                    .build();
            try {
                if (existing == null) {
                    scheduler.scheduleJob(trigger);
                } else {
                    scheduler.rescheduleJob(key, trigger);
                }
                log.info("{} scheduled nightly at {} {}", task, at, zone.getId());
            } catch (ObjectAlreadyExistsException anotherInstanceWasFirst) {
                // the same trigger, written by another instance in the meantime
            }
        }
        for (Trigger trigger : scheduler.getTriggersOfJob(job)) {
            if (trigger.getKey().getName().startsWith(NIGHTLY) && !wanted.contains(trigger.getKey())) {
                scheduler.unscheduleJob(trigger.getKey());
                log.info("{}: no workspace left in {}, its nightly trigger removed", task, trigger.getKey().getName().substring(NIGHTLY.length()));
            }
        }
    }

    /** Launches the task once at {@code at} with these arguments. */
    public void once(String task, List<String> arguments, Instant at, String why) throws SchedulerException {
        JobKey job = ensureJob(task);
        scheduler.scheduleJob(TriggerBuilder.newTrigger().forJob(job).withDescription(why).startAt(Date.from(at))
                .usingJobData(LaunchTaskJob.ARGUMENTS, String.join("\n", arguments))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow()).build());
    }

    /**
     * After a task's nightly firing for a zone completed: the task that follows it ({@link NightlySchedules#FOLLOWED_BY}),
     * now, for that zone's workspaces ({@code --zone ZONE}).
     */
    void followNightly(String task, TriggerKey fired) throws SchedulerException {
        String next = NightlySchedules.FOLLOWED_BY.get(task);
        if (next != null && fired.getName().startsWith(NIGHTLY)) {
            String zone = fired.getName().substring(NIGHTLY.length());
            once(next, List.of("--zone", zone), Instant.now(), next + " after the nightly " + task + " of " + zone);
        }
    }

    /** Every trigger of every task, soonest first. */
    public List<Planned> planned() throws SchedulerException {
        Map<String, Planned> byTrigger = new TreeMap<>();
        for (String task : taskNames()) {
            for (Trigger trigger : scheduler.getTriggersOfJob(JobKey.jobKey(task, GROUP))) {
                byTrigger.put(trigger.getKey().toString(), new Planned(task, trigger.getDescription(),
                        Optional.ofNullable(trigger.getNextFireTime()).map(Date::toInstant)));
            }
        }
        List<Planned> planned = new ArrayList<>(byTrigger.values());
        planned.sort(Comparator.comparing(p -> p.next().orElse(Instant.MAX)));
        return planned;
    }

    ScheduleProperties properties() {
        return properties;
    }

    private List<String> taskNames() throws SchedulerException {
        return scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP)).stream().map(JobKey::getName).sorted().toList();
    }

    private JobKey ensureJob(String task) throws SchedulerException {
        JobKey key = JobKey.jobKey(task, GROUP);
        if (!scheduler.checkExists(key)) {
            JobDetail job = JobBuilder.newJob(LaunchTaskJob.class).withIdentity(key).withDescription("launch " + task)
                    .usingJobData(LaunchTaskJob.TASK, task).storeDurably().requestRecovery().build();
            try {
                scheduler.addJob(job, false);
            } catch (ObjectAlreadyExistsException anotherInstanceWasFirst) {
                // added by another instance in the meantime
            }
        }
        return key;
    }
}
