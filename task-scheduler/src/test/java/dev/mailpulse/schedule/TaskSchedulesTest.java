package dev.mailpulse.schedule;

import static dev.mailpulse.storage.jooq.Tables.WORKSPACES;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;

import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quartz.Scheduler;
import org.springframework.scheduling.quartz.SchedulerFactoryBean;

import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.tasks.TaskLauncher;
import dev.mailpulse.testing.TestDatabase;

/**
 * Two schedulers on one database, as two console instances run them: the nightly trigger of each time zone the
 * workspaces use, set a few seconds away, fires once, in one of them, and is followed once by the training of that
 * zone's workspaces; a zone no workspace uses any more loses its trigger; a launch that finds another run in progress
 * is tried again.
 */
class TaskSchedulesTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres().preparedWith(db -> SchemaMigrator.migrate(db.jdbcUrl(), db.user(), db.password()));

    private final List<SchedulerFactoryBean> factories = new ArrayList<>();
    /** The launches, by scheduler instance, as the task launcher was asked for them. */
    private final List<String> launches = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stopSchedulers() throws Exception {
        for (SchedulerFactoryBean factory : factories) {
            factory.destroy();
        }
    }

    @Test
    void aNightlyTriggerAFewSecondsAwayFiresOnceAcrossTwoInstances() throws Exception {
        Workspaces workspaces = new Workspaces(DSL.using(DB.dataSource(), SQLDialect.POSTGRES));
        workspaces.create("kathmandu", "Asia/Kathmandu", false);
        workspaces.create("paris", "Europe/Paris", false);
        ScheduleProperties properties = new ScheduleProperties(true, LocalTime.of(1, 15), Duration.ofMinutes(10), Duration.ofMinutes(5));
        TaskSchedules first = schedules("first", properties, (task, arguments, progress) -> launched("first", task, arguments));
        TaskSchedules second = schedules("second", properties, (task, arguments, progress) -> launched("second", task, arguments));
        NightlySchedules nightly = new NightlySchedules(first, DSL.using(DB.dataSource(), SQLDialect.POSTGRES), properties);
        assertThat(nightly.zones()).extracting(ZoneId::getId).containsExactly("Asia/Kathmandu", "Europe/Paris");

        // Both instances bring the schedules in line, as each does at start; Kathmandu's night is set 4 s from now.
        LocalTime soon = LocalTime.now(ZoneId.of("Asia/Kathmandu")).plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
        first.syncNightly(NightlySchedules.DAILY_ETL, nightly.zones(), soon);
        second.syncNightly(NightlySchedules.DAILY_ETL, nightly.zones(), soon);
        assertThat(first.planned()).extracting(TaskSchedules.Planned::trigger).containsExactlyInAnyOrder(
                "daily-etl nightly at " + soon + " Asia/Kathmandu", "daily-etl nightly at " + soon + " Europe/Paris");

        waitFor(() -> launches.size() >= 2, Duration.ofSeconds(30));
        Thread.sleep(6_000); // the other instance's chance to fire it again
        assertThat(launches).as("one launch of the trigger, in one instance, then the training of the zone's workspaces once")
                .hasSize(2).satisfies(l -> assertThat(l.get(0)).endsWith("daily-etl []"), l -> assertThat(l.get(1)).endsWith("ml-train [--zone, Asia/Kathmandu]"));
        assertThat(first.planned()).filteredOn(p -> p.trigger().endsWith("Asia/Kathmandu")).singleElement()
                .satisfies(p -> assertThat(p.next().orElseThrow()).isAfter(Instant.now().plus(Duration.ofHours(23))));

        DSL.using(DB.dataSource(), SQLDialect.POSTGRES).update(WORKSPACES).set(WORKSPACES.TIME_ZONE, "Asia/Kathmandu")
                .where(WORKSPACES.NAME.eq("paris")).execute();
        nightly.sync();
        assertThat(first.planned()).extracting(TaskSchedules.Planned::trigger).containsExactly("daily-etl nightly at 01:15 Asia/Kathmandu");
    }

    @Test
    void aLaunchThatFindsAnotherRunInProgressIsTriedAgain() throws Exception {
        ScheduleProperties properties = new ScheduleProperties(true, LocalTime.of(1, 15), Duration.ofSeconds(2), Duration.ofMinutes(5));
        TaskSchedules schedules = schedules("only", properties, (task, arguments, progress) -> {
            boolean firstTime = launches.isEmpty();
            launched("only", task, arguments);
            return new TaskLauncher.Outcome(task, firstTime ? TaskLauncher.ANOTHER_RUN_IN_PROGRESS : 0, "test");
        });
        schedules.once(NightlySchedules.DAILY_ETL, List.of("--date", "2026-03-29"), Instant.now(), "asked for");
        waitFor(() -> launches.size() >= 2, Duration.ofSeconds(30));
        assertThat(launches).containsExactly("only daily-etl [--date, 2026-03-29]", "only daily-etl [--date, 2026-03-29]");
    }

    private TaskLauncher.Outcome launched(String instance, String task, List<String> arguments) {
        launches.add(instance + " " + task + " " + arguments);
        return new TaskLauncher.Outcome(task, 0, instance);
    }

    private TaskSchedules schedules(String instance, ScheduleProperties properties, TaskLauncher launcher) throws Exception {
        SchedulerFactoryBean factory = new SchedulerFactoryBean();
        ScheduleAutoConfiguration.configure(factory, DB.dataSource());
        Properties quartz = new Properties();
        quartz.putAll(ScheduleAutoConfiguration.QUARTZ);
        quartz.put("org.quartz.scheduler.instanceId", instance);
        factory.setQuartzProperties(quartz);
        factory.afterPropertiesSet();
        factories.add(factory);
        Scheduler scheduler = factory.getObject();
        TaskSchedules schedules = new TaskSchedules(scheduler, launcher, properties);
        factory.start();
        return schedules;
    }

    private static void waitFor(BooleanSupplier condition, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }
}
