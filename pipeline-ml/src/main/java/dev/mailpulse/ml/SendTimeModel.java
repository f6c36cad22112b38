package dev.mailpulse.ml;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import dev.mailpulse.storage.ml.SendTimes;

/**
 * When sends get the most human clicks: for the workspace, each mailbox provider and each recipient domain with
 * enough sends, a click rate and its lifts by local hour of day and by weekday, each shrunk toward the level above it
 * (a segment's rate toward the workspace's, its hour's and weekday's lifts toward the workspace's own), so that a thin
 * segment follows the workspace until its own sends say otherwise. A send's expected click rate is its segment's
 * rate times both lifts; the best hours of the week are where that is highest.
 *
 * <p>Measured on later sends by log loss and Brier score against the baselines that ignore the time of sending: the
 * segment's rate, and the workspace's.
 */
final class SendTimeModel {

    static final String ALGORITHM = "shrunk_hour_and_weekday_lifts";
    /** Pseudo-sends pulling a segment's click rate toward the workspace's. */
    private static final double SEGMENT_PRIOR = 200;
    /** Pseudo-sends pulling an hour's or a weekday's lift toward the level above. */
    private static final double CELL_PRIOR = 100;
    /** Pseudo-sends pulling a recipient's hours toward its segment's. */
    private static final double RECIPIENT_PRIOR = 10;
    private static final double Z95 = 1.959964;
    private static final double CLIP = 1e-6;

    /** One level's profile: the workspace, a provider or a domain. */
    record Profile(String kind, String segment, long sends, long clicks, double rate, double[] hourLift, double[] weekdayLift, long[] hourSends,
                   long[] weekdaySends, double[] hourLogVariance, double[] weekdayLogVariance) {

        double expected(int weekday, int hour) {
            return Math.min(1, rate * hourLift[hour] * weekdayLift[weekday]);
        }

        /** The hours of week with sends in both their hour and their weekday, the best first. */
        List<Integer> bestHoursOfWeek(int limit) {
            return IntStream.range(0, 168).filter(h -> hourSends[h % 24] > 0 && weekdaySends[h / 24] > 0).boxed()
                    .sorted(Comparator.comparingDouble((Integer h) -> -expected(h / 24, h % 24)).thenComparing(h -> h)).limit(limit).toList();
        }

        SendTimes.Segment toSegment(int version) {
            int best = bestHoursOfWeek(1).get(0);
            double lift = expected(best / 24, best % 24) / rate;
            double spread = Z95 * Math.sqrt(hourLogVariance[best % 24] + weekdayLogVariance[best / 24]);
            return new SendTimes.Segment(kind, segment, version, sends, clicks, rate, boxed(hourLift), boxed(weekdayLift), bestHoursOfWeek(3),
                    expected(best / 24, best % 24), lift - 1, lift * Math.exp(-spread) - 1, lift * Math.exp(spread) - 1);
        }
    }

    /** The fitted model: the workspace's profile and its segments', by kind and segment. */
    record Fitted(Profile workspace, Map<String, Map<String, Profile>> segments) {

        /** The profile a send follows: its domain's, else its provider's, else the workspace's. */
        Profile of(String provider, String domain) {
            Profile byDomain = segments.getOrDefault("domain", Map.of()).get(domain);
            if (byDomain != null) {
                return byDomain;
            }
            return segments.getOrDefault("provider", Map.of()).getOrDefault(provider, workspace);
        }

        List<Profile> all() {
            List<Profile> all = new ArrayList<>();
            segments.values().forEach(bySegment -> all.addAll(bySegment.values()));
            return all;
        }
    }

    private SendTimeModel() {
    }

    /** Fits on the labelled rows (with {@code mailbox_provider}, {@code recipient_domain}, {@code hour}, {@code weekday}, {@code label_click}). */
    static Fitted fit(Dataset<Row> rows, int minSegmentSends) {
        Dataset<Row> hours = rows.groupBy("mailbox_provider", "recipient_domain", "hour", "weekday")
                .agg(count(lit(1)).as("sends"), sum("label_click").as("clicks"));
        List<Row> cells = hours.collectAsList();
        Counts workspaceCounts = new Counts();
        Map<String, Map<String, Counts>> counts = new LinkedHashMap<>();
        for (Row cell : cells) {
            String provider = cell.isNullAt(0) ? "other" : cell.getString(0);
            int hour = (int) cell.getDouble(2);
            int weekday = (int) cell.getDouble(3);
            long sends = cell.getLong(4);
            long clicks = Math.round(cell.getDouble(5));
            workspaceCounts.add(hour, weekday, sends, clicks);
            counts.computeIfAbsent("provider", k -> new HashMap<>()).computeIfAbsent(provider, k -> new Counts()).add(hour, weekday, sends, clicks);
            counts.computeIfAbsent("domain", k -> new HashMap<>()).computeIfAbsent(cell.getString(1), k -> new Counts())
                    .add(hour, weekday, sends, clicks);
        }
        Profile workspace = workspaceCounts.profile("workspace", "", null);
        Map<String, Map<String, Profile>> segments = new LinkedHashMap<>();
        for (String kind : SendTimes.SEGMENT_KINDS) {
            Map<String, Profile> profiles = new LinkedHashMap<>();
            counts.getOrDefault(kind, Map.of()).entrySet().stream().filter(e -> e.getValue().sends >= minSegmentSends && !e.getKey().isEmpty())
                    .sorted(Map.Entry.comparingByKey()).forEach(e -> profiles.put(e.getKey(), e.getValue().profile(kind, e.getKey(), workspace)));
            segments.put(kind, profiles);
        }
        return new Fitted(workspace, segments);
    }

    /** The model's and the baselines' log loss and Brier score on the test rows. */
    static Candidate evaluate(Fitted fitted, Dataset<Row> test, Map<String, Object> parameters) {
        List<Row> cells = test.groupBy("mailbox_provider", "recipient_domain", "hour", "weekday")
                .agg(count(lit(1)).as("sends"), sum("label_click").as("clicks")).collectAsList();
        Loss model = new Loss();
        Loss segment = new Loss();
        Loss global = new Loss();
        for (Row cell : cells) {
            Profile profile = fitted.of(cell.isNullAt(0) ? "other" : cell.getString(0), cell.getString(1));
            long sends = cell.getLong(4);
            double clicks = cell.getDouble(5);
            model.add(profile.expected((int) cell.getDouble(3), (int) cell.getDouble(2)), sends, clicks);
            segment.add(profile.rate(), sends, clicks);
            global.add(fitted.workspace().rate(), sends, clicks);
        }
        Map<String, Map<String, Double>> baselines = new LinkedHashMap<>();
        baselines.put("segment_rate", segment.metrics());
        baselines.put("global_rate", global.metrics());
        List<Profile> profiles = new ArrayList<>(List.of(fitted.workspace()));
        profiles.addAll(fitted.all());
        return new Candidate(ALGORITHM, Candidate.json(profiles), parameters, model.metrics(), baselines);
    }

    /**
     * Every recipient in the rows, with its best hour of week: its own where it has {@code minRecipientSends} sends (its
     * hours shrunk toward its segment's; its segment's best weekday), else its segment's best.
     */
    static Iterator<SendTimes.RecipientTime> recipients(SparkSession spark, Fitted fitted, Dataset<Row> rows, int minRecipientSends) {
        List<Row> segmentHours = new ArrayList<>();
        for (Row pair : rows.select("mailbox_provider", "recipient_domain").distinct().collectAsList()) {
            String provider = pair.isNullAt(0) ? "other" : pair.getString(0);
            Profile profile = fitted.of(provider, pair.getString(1));
            int best = profile.bestHoursOfWeek(1).get(0);
            int weekday = best / 24;
            for (int hour = 0; hour < 24; hour++) {
                segmentHours.add(RowFactory.create(pair.isNullAt(0) ? null : provider, pair.getString(1), (double) hour,
                        profile.rate() * profile.hourLift()[hour], profile.weekdayLift()[weekday], weekday, best, profile.expected(weekday, best % 24)));
            }
        }
        StructType schema = new StructType().add("mailbox_provider", DataTypes.StringType).add("recipient_domain", DataTypes.StringType)
                .add("hour", DataTypes.DoubleType).add("segment_hour_rate", DataTypes.DoubleType).add("best_weekday_lift", DataTypes.DoubleType)
                .add("best_weekday", DataTypes.IntegerType).add("segment_best_hour_of_week", DataTypes.IntegerType)
                .add("segment_best_rate", DataTypes.DoubleType);
        Dataset<Row> bySegment = spark.createDataFrame(segmentHours, schema);
        Dataset<Row> recipientHours = rows.groupBy("recipient_hash", "mailbox_provider", "recipient_domain", "hour")
                .agg(count(lit(1)).as("sends"), sum("label_click").as("clicks"));
        // every hour of the day for each recipient, its own sends where it had any: its best hour may be one it was never sent at
        Dataset<Row> recipientsOf = recipientHours.groupBy("recipient_hash", "mailbox_provider", "recipient_domain").agg(sum("sends").as("total"));
        Dataset<Row> candidates = recipientsOf.join(bySegment, joinOnSegment(recipientsOf, bySegment))
                .drop(bySegment.col("mailbox_provider")).drop(bySegment.col("recipient_domain"))
                .join(recipientHours.select("recipient_hash", "hour", "sends", "clicks"), new String[] {"recipient_hash", "hour"}, "left")
                .na().fill(0L, new String[] {"sends"}).na().fill(0.0, new String[] {"clicks"})
                .withColumn("own_rate", col("clicks").plus(col("segment_hour_rate").multiply(RECIPIENT_PRIOR)).divide(col("sends").plus(RECIPIENT_PRIOR)));
        Dataset<Row> best = candidates
                .withColumn("rank", row_number().over(Window.partitionBy("recipient_hash").orderBy(desc("own_rate"), col("hour"))))
                .where(col("rank").equalTo(1))
                .withColumn("own", col("total").geq(minRecipientSends))
                .select(col("recipient_hash"), col("recipient_domain"), col("total"),
                        when(col("own"), lit("recipient")).otherwise(lit("domain")).as("basis"),
                        when(col("own"), col("best_weekday").multiply(24).plus(col("hour").cast("int"))).otherwise(col("segment_best_hour_of_week"))
                                .as("hour_of_week"),
                        when(col("own"), least(lit(1.0), col("own_rate").multiply(col("best_weekday_lift")))).otherwise(col("segment_best_rate"))
                                .as("click_rate"));
        return LocalRows.of(best, row -> new SendTimes.RecipientTime(row.getString(0), row.getString(1), row.getString(3), row.getLong(2),
                row.getInt(4), row.getDouble(5)));
    }

    private static Column joinOnSegment(Dataset<Row> left, Dataset<Row> right) {
        return left.col("recipient_domain").equalTo(right.col("recipient_domain"))
                .and(left.col("mailbox_provider").eqNullSafe(right.col("mailbox_provider")));
    }

    private static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    /** Sends and human clicks by local hour of day and by weekday. */
    private static final class Counts {
        final long[] hourSends = new long[24];
        final long[] hourClicks = new long[24];
        final long[] weekdaySends = new long[7];
        final long[] weekdayClicks = new long[7];
        long sends;
        long clicks;

        void add(int hour, int weekday, long sends, long clicks) {
            hourSends[hour] += sends;
            hourClicks[hour] += clicks;
            weekdaySends[weekday] += sends;
            weekdayClicks[weekday] += clicks;
            this.sends += sends;
            this.clicks += clicks;
        }

        /** The profile, shrunk toward {@code parent}'s (none: the workspace's own, its lifts toward 1). */
        Profile profile(String kind, String segment, Profile parent) {
            double parentRate = parent == null ? (double) clicks / Math.max(1, sends) : parent.rate();
            double rate = (clicks + SEGMENT_PRIOR * parentRate) / (sends + SEGMENT_PRIOR);
            double[] hourLift = new double[24];
            double[] hourVariance = new double[24];
            for (int h = 0; h < 24; h++) {
                double prior = parent == null ? 1 : parent.hourLift()[h];
                double cellRate = (hourClicks[h] + CELL_PRIOR * rate * prior) / (hourSends[h] + CELL_PRIOR);
                hourLift[h] = cellRate / rate;
                hourVariance[h] = logVariance(cellRate, hourSends[h] + CELL_PRIOR);
            }
            double[] weekdayLift = new double[7];
            double[] weekdayVariance = new double[7];
            for (int d = 0; d < 7; d++) {
                double prior = parent == null ? 1 : parent.weekdayLift()[d];
                double cellRate = (weekdayClicks[d] + CELL_PRIOR * rate * prior) / (weekdaySends[d] + CELL_PRIOR);
                weekdayLift[d] = cellRate / rate;
                weekdayVariance[d] = logVariance(cellRate, weekdaySends[d] + CELL_PRIOR);
            }
            return new Profile(kind, segment, sends, clicks, rate, hourLift, weekdayLift, hourSends, weekdaySends, hourVariance, weekdayVariance);
        }

        /** The variance of a rate's logarithm, by the delta method: (1 - p) / (n p). */
        private static double logVariance(double rate, double sends) {
            return rate <= 0 ? 0 : (1 - rate) / (sends * rate);
        }
    }

    /** Log loss and Brier score summed over cells of sends with a predicted click rate. */
    private static final class Loss {
        double logLoss;
        double squares;
        long sends;

        void add(double predicted, long cellSends, double cellClicks) {
            double p = Math.min(1 - CLIP, Math.max(CLIP, predicted));
            logLoss -= cellClicks * Math.log(p) + (cellSends - cellClicks) * Math.log(1 - p);
            squares += cellClicks * (1 - predicted) * (1 - predicted) + (cellSends - cellClicks) * predicted * predicted;
            sends += cellSends;
        }

        Map<String, Double> metrics() {
            return Map.of("log_loss", logLoss / sends, "brier", squares / sends);
        }
    }
}
