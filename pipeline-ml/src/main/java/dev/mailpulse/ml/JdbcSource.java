package dev.mailpulse.ml;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The MailPulse database as Spark reads it: a query split into partitions by a time column, each partition a range of
 * that column (so each is one index range scan, read by one task, in parallel on a cluster's executors).
 */
public record JdbcSource(String url, String user, String password) {

    /**
     * @param query  a SELECT (without the time bounds) whose {@code column} is a timestamp or a date
     * @param from   the first instant (or day) read
     * @param to     the end, excluded
     * @param step   the range of one partition
     */
    public Dataset<Row> read(SparkSession spark, String query, String column, Instant from, Instant to, Duration step) {
        List<String> ranges = new ArrayList<>();
        for (Instant start = from; start.isBefore(to); start = start.plus(step)) {
            Instant end = start.plus(step).isBefore(to) ? start.plus(step) : to;
            ranges.add(column + " >= timestamptz '" + start + "' AND " + column + " < timestamptz '" + end + "'");
        }
        if (ranges.isEmpty()) {
            ranges.add("false");
        }
        return spark.read().jdbc(url, "(" + query + ") AS source", ranges.toArray(String[]::new), properties());
    }

    /** A small query read whole, in one partition. */
    public Dataset<Row> readAll(SparkSession spark, String query) {
        return spark.read().jdbc(url, "(" + query + ") AS source", properties());
    }

    private Properties properties() {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password == null ? "" : password);
        properties.setProperty("driver", "org.postgresql.Driver");
        properties.setProperty("fetchsize", "10000");
        return properties;
    }
}
