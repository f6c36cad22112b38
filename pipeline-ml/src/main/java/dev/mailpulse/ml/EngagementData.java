package dev.mailpulse.ml;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * One row per send of a workspace, with what was known before it and what followed: the features of the engagement
 * models and their labels. Every feature is as of the send: the recipient's history is the daily facts of the days
 * before the send's local day; the campaign's so far is its sends and its messages' first human opens and clicks that
 * happened before the send (running sums over time, not the campaign's final numbers).
 *
 * <p>Labels: a human click ({@code label_click}) and a human open ({@code label_open}) of the message within the
 * engagement window. Only sends whose window has ended by {@code to} are rows.
 */
public final class EngagementData {

    /** The numeric features, in the order the models take them. */
    public static final List<String> NUMERIC = List.of("prior_sends_log", "prior_click_rate", "prior_open_rate", "has_history",
            "days_since_engaged", "campaign_click_rate", "campaign_open_rate", "campaign_sends_log");
    /** The categorical ones: mailbox provider, recipient domain, local hour and weekday of the send. */
    public static final List<String> CATEGORICAL = List.of("mailbox_provider", "recipient_domain", "hour", "weekday");

    /** Days since the recipient's last human engagement when it has none, and the cap of the feature. */
    static final int NEVER_ENGAGED_DAYS = 120;

    private EngagementData() {
    }

    /** The workspace's raw events and daily facts Spark reads for a training: sends, first human engagements, recipient days. */
    record Inputs(Dataset<Row> sends, Dataset<Row> firstEngagements, Dataset<Row> recipientDays) {
    }

    static Inputs read(SparkSession spark, JdbcSource jdbc, UUID workspace, Instant from, Instant to, MlProperties properties) {
        Duration step = Duration.ofDays(properties.daysPerPartition());
        Dataset<Row> sends = jdbc.read(spark, "SELECT message_id, recipient_hash, coalesce(recipient_domain, '') AS recipient_domain, "
                + "mailbox_provider, coalesce(campaign_id, '') AS campaign_id, occurred_at FROM events WHERE workspace_id = '"
                + workspace + "' AND event_type = 'email.send' AND message_id IS NOT NULL AND recipient_hash IS NOT NULL", "occurred_at", from, to, step)
                .withColumnRenamed("occurred_at", "send_at")
                // a message sent twice (a resend under the same id) is one row: its first send
                .withColumn("nth_send", row_number().over(Window.partitionBy("message_id").orderBy("send_at"))).where(col("nth_send").equalTo(1))
                .drop("nth_send");
        Dataset<Row> engagements = jdbc.read(spark, "SELECT message_id, event_type, occurred_at FROM events WHERE workspace_id = '" + workspace
                + "' AND event_type IN ('email.open', 'email.click') AND NOT automated AND message_id IS NOT NULL", "occurred_at", from, to, step);
        Dataset<Row> firsts = engagements.groupBy("message_id").agg(
                min(when(col("event_type").equalTo("email.click"), col("occurred_at"))).as("first_click_at"),
                min(when(col("event_type").equalTo("email.open"), col("occurred_at"))).as("first_open_at"));
        // the recipients' days reach as far again before the sends, so that the first sends read have a history too
        Dataset<Row> days = jdbc.read(spark, "SELECT recipient_hash, day, sends, human_opens, human_clicks, last_engaged_at "
                + "FROM daily_recipient_facts WHERE workspace_id = '" + workspace + "'", "day",
                from.minus(Duration.ofDays(properties.historyDays())), to, step.multipliedBy(4));
        return new Inputs(sends, firsts, days);
    }

    /**
     * The labelled rows: sends from {@code from} whose engagement window ends by {@code to}, with their features.
     */
    static Dataset<Row> rows(Inputs inputs, ZoneId zone, Instant to, Duration window) {
        Dataset<Row> sends = inputs.sends().withColumn("local_at", from_utc_timestamp(col("send_at"), zone.getId()))
                .withColumn("day", to_date(col("local_at")))
                .withColumn("hour", hour(col("local_at")).cast("double"))
                // Monday 0 to Sunday 6 (Spark's dayofweek is 1 for Sunday)
                .withColumn("weekday", expr("(dayofweek(local_at) + 5) % 7").cast("double"));
        Dataset<Row> labelled = sends.join(inputs.firstEngagements(), "message_id", "left")
                .withColumn("label_click", label("first_click_at", window))
                .withColumn("label_open", label("first_open_at", window));
        Dataset<Row> withRecipient = recipientHistory(labelled, inputs.recipientDays());
        Dataset<Row> withCampaign = campaignSoFar(withRecipient, labelled);
        return campaignFeatures(recipientFeatures(withCampaign)).where(expr("unix_seconds(send_at)").lt(lit(to.minus(window).getEpochSecond())));
    }

    /** A recipient's days before the send's local day: running sums over its days, each send ordered before its day's facts. */
    private static Dataset<Row> recipientHistory(Dataset<Row> sends, Dataset<Row> recipientDays) {
        Dataset<Row> facts = recipientDays.select(col("recipient_hash"), col("day"), lit(1).as("kind"), col("sends").as("f_sends"),
                col("human_opens").as("f_opens"), col("human_clicks").as("f_clicks"), col("last_engaged_at").as("f_engaged"));
        WindowSpec before = Window.partitionBy("recipient_hash").orderBy("day", "kind").rowsBetween(Window.unboundedPreceding(), -1);
        return sends.withColumn("kind", lit(0)).unionByName(facts, true)
                .withColumn("prior_sends", sum("f_sends").over(before))
                .withColumn("prior_opens", sum("f_opens").over(before))
                .withColumn("prior_clicks", sum("f_clicks").over(before))
                .withColumn("last_engaged_at", max("f_engaged").over(before))
                .where(col("kind").equalTo(0))
                .drop("kind", "f_sends", "f_opens", "f_clicks", "f_engaged")
                .na().fill(0L, new String[] {"prior_sends", "prior_opens", "prior_clicks"});
    }

    /** The campaign's sends and its messages' first human opens and clicks before the send, over the rows read. */
    private static Dataset<Row> campaignSoFar(Dataset<Row> sends, Dataset<Row> labelled) {
        // a message's own engagement is never before its send: one stamped earlier counts neither here nor as its label
        Dataset<Row> clicks = labelled.where(col("first_click_at").geq(col("send_at")))
                .select(col("campaign_id"), col("first_click_at").as("at"), lit(1).as("c_click"), lit(0).as("c_open"));
        Dataset<Row> opens = labelled.where(col("first_open_at").geq(col("send_at")))
                .select(col("campaign_id"), col("first_open_at").as("at"), lit(0).as("c_click"), lit(1).as("c_open"));
        // a send comes before an engagement of the same instant: only what happened strictly before a send is counted in it
        WindowSpec before = Window.partitionBy("campaign_id").orderBy("at", "kind").rowsBetween(Window.unboundedPreceding(), -1);
        return sends.withColumn("at", col("send_at")).withColumn("kind", lit(0)).withColumn("c_send", lit(1))
                .unionByName(clicks.withColumn("kind", lit(1)), true).unionByName(opens.withColumn("kind", lit(1)), true)
                .withColumn("campaign_sends", sum("c_send").over(before))
                .withColumn("campaign_clicks", sum("c_click").over(before))
                .withColumn("campaign_opens", sum("c_open").over(before))
                .where(col("kind").equalTo(0))
                .drop("at", "kind", "c_send", "c_click", "c_open")
                .na().fill(0L, new String[] {"campaign_sends", "campaign_clicks", "campaign_opens"});
    }

    /** The recipient's features from its prior counts and last engagement, as of {@code send_at}. */
    static Dataset<Row> recipientFeatures(Dataset<Row> rows) {
        return rows.withColumn("prior_sends_log", log1p(col("prior_sends")))
                .withColumn("prior_click_rate", rate("prior_clicks", "prior_sends"))
                .withColumn("prior_open_rate", rate("prior_opens", "prior_sends"))
                .withColumn("has_history", when(col("prior_sends").gt(0), 1.0).otherwise(0.0))
                .withColumn("days_since_engaged", when(col("last_engaged_at").isNull(), (double) NEVER_ENGAGED_DAYS)
                        .otherwise(least(lit((double) NEVER_ENGAGED_DAYS),
                                greatest(lit(0.0), expr("(unix_seconds(send_at) - unix_seconds(last_engaged_at)) / 86400.0")))));
    }

    private static Dataset<Row> campaignFeatures(Dataset<Row> rows) {
        return rows.withColumn("campaign_click_rate", rate("campaign_clicks", "campaign_sends"))
                .withColumn("campaign_open_rate", rate("campaign_opens", "campaign_sends"))
                .withColumn("campaign_sends_log", log1p(col("campaign_sends")));
    }

    /** A share, at most 1: the daily facts count a recipient's opens and clicks as events, and one message may have several. */
    private static Column rate(String part, String whole) {
        return when(col(whole).gt(0), least(lit(1.0), col(part).cast("double").divide(col(whole)))).otherwise(0.0);
    }

    private static Column label(String firstAt, Duration window) {
        Column after = expr("unix_seconds(" + firstAt + ") - unix_seconds(send_at)");
        return when(col(firstAt).isNotNull().and(after.geq(0)).and(after.lt(window.toSeconds())), 1.0).otherwise(0.0);
    }
}
