package dev.mailpulse.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.mailpulse.storage.workspace.Workspaces.Workspace;

class WorkspaceRateLimiterTest {

    private final AtomicLong now = new AtomicLong();
    private final WorkspaceRateLimiter limiter = new WorkspaceRateLimiter(1_000, 100, now::get);

    @Test
    void letsAWorkspaceSpendItsRateAndSaysHowLongToWaitBeyondIt() {
        Workspace slow = workspace(10);
        assertThat(limiter.acquire(slow, 100)).isZero(); // the bucket holds one largest request
        assertThat(limiter.acquire(slow, 5)).isEqualTo(Duration.ofMillis(500));
        now.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(limiter.acquire(slow, 5)).isZero();
    }

    @Test
    void workspacesDoNotShareABucketAndUseTheDefaultRateUnlessTheyHaveTheirOwn() {
        Workspace first = workspace(null);
        Workspace second = workspace(null);
        assertThat(limiter.acquire(first, 1_000)).isZero();
        assertThat(limiter.acquire(first, 1)).isPositive();
        assertThat(limiter.acquire(second, 1_000)).isZero();
    }

    private static Workspace workspace(Integer eventsPerSecond) {
        return new Workspace(UUID.randomUUID(), "w", "UTC", false, eventsPerSecond, Instant.EPOCH);
    }
}
