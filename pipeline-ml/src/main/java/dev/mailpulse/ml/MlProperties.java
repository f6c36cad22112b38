package dev.mailpulse.ml;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The model training's settings ({@code mailpulse.ml.*}).
 *
 * @param modelDirectory    where Spark ML persistence saves each model ({@code WORKSPACE/NAME/vVERSION} under it); on a
 *                          cluster, a directory every node reaches
 * @param spark             Spark's own settings, passed as they are ({@code spark.master} and the rest): {@code local[*]}
 *                          unless set; see the README for what a standalone cluster needs
 * @param historyDays       how many days of sends before the run the training reads (and of the recipients' daily facts
 *                          as many days again before them, for the first sends' history)
 * @param engagementWindow  how long after a send an open or a click counts as its engagement (the label)
 * @param firstHours        the hours of a campaign's start its forecast is made from
 * @param daysPerPartition  the days of raw events one partition of a JDBC read holds (the reads are split by date)
 * @param minTrainingRows   the fewest sends an engagement model is trained on (and a tenth of it to test on)
 * @param minCampaigns      the fewest completed campaigns a campaign model is trained on (and a quarter of it to test on)
 * @param sendTimeMinSegmentSends   the fewest sends a mailbox provider or recipient domain needs for its own send-time
 *                                  profile (else its recipients follow their provider's, or the workspace's)
 * @param sendTimeMinRecipientSends the fewest sends a recipient needs for its own best hour (else its domain's)
 * @param forecastDays      how many days after the last processed one the daily forecasts cover
 * @param forecastMinDays   the fewest processed days a daily forecast is backtested on before its first origin
 * @param minCampaignSends  the fewest sends a completed campaign needs to be clustered on its KPIs
 * @param runOnStart        whether the application trains with its command-line arguments and exits (the task app)
 */
@ConfigurationProperties("mailpulse.ml")
public record MlProperties(@DefaultValue("models") Path modelDirectory, @DefaultValue Map<String, String> spark,
                           @DefaultValue("90") int historyDays, @DefaultValue("3d") Duration engagementWindow,
                           @DefaultValue("6") int firstHours, @DefaultValue("7") int daysPerPartition,
                           @DefaultValue("2000") int minTrainingRows, @DefaultValue("12") int minCampaigns,
                           @DefaultValue("500") int sendTimeMinSegmentSends, @DefaultValue("30") int sendTimeMinRecipientSends,
                           @DefaultValue("14") int forecastDays, @DefaultValue("28") int forecastMinDays,
                           @DefaultValue("500") int minCampaignSends,
                           @DefaultValue("false") boolean runOnStart) {

    public MlProperties {
        if (historyDays < 2 || firstHours < 1 || daysPerPartition < 1 || minTrainingRows < 10 || minCampaigns < 4 || sendTimeMinSegmentSends < 1
                || sendTimeMinRecipientSends < 1 || forecastDays < 1 || forecastMinDays < 14
                || minCampaignSends < 1) {
            throw new IllegalArgumentException("mailpulse.ml: history-days ≥ 2, first-hours ≥ 1, days-per-partition ≥ 1, "
                    + "min-training-rows ≥ 10, min-campaigns ≥ 4, send-time-min-segment-sends ≥ 1, send-time-min-recipient-sends ≥ 1, "
                    + "forecast-days ≥ 1, forecast-min-days ≥ 14, min-campaign-sends ≥ 1");
        }
        if (engagementWindow.isNegative() || engagementWindow.isZero()) {
            throw new IllegalArgumentException("mailpulse.ml.engagement-window: a duration after zero");
        }
        spark = Map.copyOf(spark);
    }
}
