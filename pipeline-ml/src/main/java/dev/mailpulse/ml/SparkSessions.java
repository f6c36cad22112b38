package dev.mailpulse.ml;

import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The one Spark session of a JVM, from {@link MlProperties#spark()} over the defaults that suit one small machine. */
public final class SparkSessions {

    /** What holds unless configured: local, on loopback, no UI, few shuffle partitions, times in UTC. */
    static final Map<String, String> DEFAULTS = Map.of(
            "spark.master", "local[*]",
            "spark.app.name", "mailpulse-ml-train",
            "spark.driver.host", "127.0.0.1",
            "spark.driver.bindAddress", "127.0.0.1",
            "spark.ui.enabled", "false",
            "spark.sql.shuffle.partitions", "4",
            "spark.sql.session.timeZone", "UTC");

    private SparkSessions() {
    }

    public static SparkSession create(Map<String, String> settings) {
        Map<String, String> all = new TreeMap<>(DEFAULTS);
        all.putAll(settings);
        SparkConf conf = new SparkConf();
        all.forEach(conf::set);
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
