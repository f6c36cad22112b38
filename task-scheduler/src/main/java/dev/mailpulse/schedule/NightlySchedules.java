package dev.mailpulse.schedule;

import static dev.mailpulse.storage.jooq.Tables.WORKSPACES;

import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps the nightly ETL's triggers in line with the workspaces: at start and every {@code sync-every}, one trigger a
 * time zone in use, at {@code nightly-at} local time. The ETL then processes every day that is due or changed, of
 * every workspace: a zone's trigger finds the day its workspaces just ended. Once it completed, the model training
 * follows for that zone's workspaces ({@link #FOLLOWED_BY}).
 */
public final class NightlySchedules implements SmartLifecycle {

    /** The nightly task: the daily ETL, as the task launcher names it. */
    public static final String DAILY_ETL = "daily-etl";
    /** The model training, which follows a zone's nightly ETL for that zone's workspaces once the ETL completed. */
    public static final String ML_TRAIN = "ml-train";
    static final Map<String, String> FOLLOWED_BY = Map.of(DAILY_ETL, ML_TRAIN);

    private static final Logger log = LoggerFactory.getLogger(NightlySchedules.class);

    private final TaskSchedules schedules;
    private final DSLContext db;
    private final ScheduleProperties properties;
    private ScheduledExecutorService timer;

    public NightlySchedules(TaskSchedules schedules, DSLContext db, ScheduleProperties properties) {
        this.schedules = schedules;
        this.db = db;
        this.properties = properties;
    }

    /** The time zones the workspaces use. */
    public Set<ZoneId> zones() {
        Set<ZoneId> zones = new TreeSet<>((a, b) -> a.getId().compareTo(b.getId()));
        db.selectDistinct(WORKSPACES.TIME_ZONE).from(WORKSPACES).fetch(WORKSPACES.TIME_ZONE).forEach(zone -> zones.add(ZoneId.of(zone)));
        return zones;
    }

    public void sync() {
        try {
            schedules.syncNightly(DAILY_ETL, zones(), properties.nightlyAt());
        } catch (Exception e) {
            log.warn("the nightly schedules could not be brought up to date now ({}); tried again in {}", e.getMessage(), properties.syncEvery());
        }
    }

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "nightly-schedules");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::sync, 0, properties.syncEvery().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        timer.shutdownNow();
        timer = null;
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }
}
