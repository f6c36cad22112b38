package dev.mailpulse.etl.job;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import dev.mailpulse.storage.facts.DailyFacts;
import dev.mailpulse.storage.facts.DueDays;
import dev.mailpulse.storage.facts.LocalDay;

/**
 * One partition per (workspace, local day) the request names, each named by its key ({@code traffic-1/2026-03-29}).
 * A restarted run keeps the partitions it had and runs again only those that did not complete.
 */
final class DayPartitioner implements Partitioner {

    private static final Logger log = LoggerFactory.getLogger(DayPartitioner.class);

    private static final String WORKSPACE_ID = "workspace_id";
    private static final String WORKSPACE_NAME = "workspace_name";
    private static final String DAY = "day";
    private static final String ZONE = "zone";
    private static final String REASON = "reason";

    private final EtlRequest request;
    private final DueDays dueDays;
    private final EtlProperties properties;
    private final Clock clock;

    DayPartitioner(EtlRequest request, DueDays dueDays, EtlProperties properties, Clock clock) {
        this.request = request;
        this.dueDays = dueDays;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public Map<String, ExecutionContext> partition(int gridSize) {
        List<DueDays.Due> due = request.isDue()
                ? dueDays.changed(clock.instant(), properties.grace(), properties.maxEventAge(), request.workspace())
                : dueDays.asked(request.from().get(), request.to().get(), request.workspace());
        log.info("{}: {} to process", request, due.isEmpty() ? "no day" : due.size() == 1 ? "1 day" : due.size() + " days");
        Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
        for (DueDays.Due d : due) {
            ExecutionContext context = new ExecutionContext();
            context.putString(WORKSPACE_ID, d.day().workspaceId().toString());
            context.putString(WORKSPACE_NAME, d.day().workspaceName());
            context.putString(DAY, d.day().day().toString());
            context.putString(ZONE, d.day().zone().getId());
            context.putString(REASON, d.reason().name());
            partitions.put(d.day().key(), context);
        }
        return partitions;
    }

    static LocalDay day(ExecutionContext context) {
        return new LocalDay(UUID.fromString(context.getString(WORKSPACE_ID)), context.getString(WORKSPACE_NAME),
                LocalDate.parse(context.getString(DAY)), ZoneId.of(context.getString(ZONE)));
    }

    static DailyFacts.Reason reason(ExecutionContext context) {
        return DailyFacts.Reason.valueOf(context.getString(REASON));
    }
}
