package dev.mailpulse.console.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.mailpulse.console.api.Analytics;

class CampaignComparisonTest {

    @Test
    void countsChangeInPercentAndRatesInPercentagePoints() {
        CampaignComparison comparison = CampaignComparison.of(summary(150, 120, 0.8, 0.002), summary(100, 100, 1.0, 0.001), "campaign b");
        assertThat(comparison.against()).isEqualTo("campaign b");
        assertThat(comparison.line("sent").change()).isEqualTo("+50.0%");
        assertThat(comparison.line("delivered").change()).isEqualTo("+20.0%");
        assertThat(comparison.line("delivery_rate").change()).isEqualTo("-20.00 pp");
        assertThat(comparison.line("complaint_rate").change()).isEqualTo("+0.10 pp");
        assertThat(comparison.line("converted").change()).isEqualTo("no change");
    }

    @Test
    void nothingToCompareWithIsSaidSo() {
        CampaignComparison comparison = CampaignComparison.of(summary(5, 5, 1.0, 0.0), summary(0, 0, null, null), "the period before");
        assertThat(comparison.line("sent").change()).isEqualTo("from none");
        assertThat(comparison.line("delivery_rate").change()).isEqualTo("not comparable");
        assertThat(CampaignComparison.of(summary(0, 0, null, null), summary(0, 0, null, null), "x").line("sent").change()).isEqualTo("no change");
    }

    private static Analytics.Summary summary(long sent, long delivered, Double deliveryRate, Double complaintRate) {
        return new Analytics.Summary("c", Instant.EPOCH, Instant.EPOCH.plusSeconds(60), new Analytics.Funnel(sent, delivered, 0, 0, 3), Map.of(), 0, 0,
                0, 0, 0, 0, Map.of(), Map.of(),
                new Analytics.Rates(deliveryRate, null, null, null, null, null, null, complaintRate, null), null);
    }
}
