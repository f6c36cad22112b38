package dev.mailpulse.collector.ingest;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import dev.mailpulse.core.limit.TokenBucket;
import dev.mailpulse.storage.workspace.Workspaces.Workspace;

/**
 * A token bucket per workspace, refilled at the workspace's events-per-second rate. The bucket holds at least one
 * largest request, so a workspace can always send a full request at its own pace.
 */
public final class WorkspaceRateLimiter {

    private final int defaultEventsPerSecond;
    private final int largestRequest;
    private final LongSupplier nanoClock;
    private final Map<UUID, TokenBucket> buckets = new ConcurrentHashMap<>();

    public WorkspaceRateLimiter(int defaultEventsPerSecond, int largestRequest, LongSupplier nanoClock) {
        this.defaultEventsPerSecond = defaultEventsPerSecond;
        this.largestRequest = largestRequest;
        this.nanoClock = nanoClock;
    }

    /** @return zero if the events may pass now, else how long until they could */
    public Duration acquire(Workspace workspace, int events) {
        int rate = workspace.eventsPerSecond() != null ? workspace.eventsPerSecond() : defaultEventsPerSecond;
        return buckets.computeIfAbsent(workspace.id(), id -> new TokenBucket()).acquire(rate, Math.max(rate, largestRequest), events,
                nanoClock.getAsLong());
    }
}
