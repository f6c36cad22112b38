package dev.mailpulse.console.api.live;

import java.time.Clock;
import java.util.Optional;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.mailpulse.console.api.Analytics;
import dev.mailpulse.console.security.ApiCaller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The live counters, polled; {@code /api/v1/stream} pushes the current minute's as they change. */
@RestController
@Tag(name = "live", description = "the live cache's per-minute counters, seconds behind the collector")
class LiveCountersApi {

    private final Analytics analytics;
    private final Clock clock = Clock.systemUTC();

    LiveCountersApi(Analytics analytics) {
        this.analytics = analytics;
    }

    @GetMapping("/api/v1/live")
    @Operation(summary = "Counts by type in each of the last minutes, the current one last, of the workspace or one campaign")
    Analytics.LiveCounters live(@AuthenticationPrincipal ApiCaller caller,
                                @Parameter(description = "one campaign's counters") @RequestParam(name = "campaign_id") Optional<String> campaignId,
                                @Parameter(description = "how many minutes, 1 to 60") @RequestParam(defaultValue = "60") int minutes) {
        return analytics.live(caller.workspaceId(), campaignId, minutes, clock.instant());
    }
}
