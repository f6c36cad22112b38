package dev.mailpulse.alerting;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.mailpulse.alerting.AlertRule.Against;
import dev.mailpulse.alerting.AlertRule.Anomaly;
import dev.mailpulse.alerting.AlertRule.Change;
import dev.mailpulse.alerting.AlertRule.Channel;
import dev.mailpulse.alerting.AlertRule.Condition;
import dev.mailpulse.alerting.AlertRule.Direction;
import dev.mailpulse.alerting.AlertRule.Email;
import dev.mailpulse.alerting.AlertRule.NoData;
import dev.mailpulse.alerting.AlertRule.Severity;
import dev.mailpulse.alerting.AlertRule.Threshold;
import dev.mailpulse.alerting.AlertRule.Webhook;
import dev.mailpulse.core.json.WireJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A rule's JSON, the API's and the store's: read and checked field by field (an unknown field, metric or split, a
 * window that is not whole minutes from 1 minute to 7 days, a rate's threshold outside 0 to 1, a recovery on the wrong
 * side of its threshold, a channel without its address or secret are each an {@link InvalidRule} naming the field),
 * and written back, with the webhooks' secrets or, for the API, only whether each is set.
 */
public final class AlertRuleJson {

    static final Duration SHORTEST_WINDOW = Duration.ofMinutes(1);
    static final Duration LONGEST_WINDOW = Duration.ofDays(7);
    static final int LONGEST_PENDING = 100;
    /** The most windows an anomaly's baseline spans, and the longest it reaches back: four weeks of hours. */
    static final int MOST_BASELINE_WINDOWS = 672;
    static final Duration LONGEST_BASELINE = Duration.ofDays(28);
    private static final int LONGEST_TEXT = 1_000;
    private static final int SHORTEST_SECRET = 16;
    private static final int MOST_LABELS = 20;
    private static final int MOST_CHANNELS = 10;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern LABEL = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final Set<String> FIELDS = Set.of("name", "metric", "campaign_id", "tag", "split_by", "window", "above", "below", "recover_at",
            "change", "anomaly", "min_volume", "pending_evaluations", "no_data", "repeat_interval", "severity", "labels", "message", "channels");
    /** How often a firing alert nobody acknowledged is told again, unless the rule says otherwise (Grafana's default). */
    static final Duration DEFAULT_REPEAT = Duration.ofHours(4);

    private AlertRuleJson() {
    }

    public static AlertRule read(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new InvalidRule("(body)", "a JSON object is required");
        }
        for (String field : json.propertyNames()) {
            if (!FIELDS.contains(field)) {
                throw new InvalidRule(field, "not a field of a rule (they are " + String.join(", ", FIELDS.stream().sorted().toList()) + ")");
            }
        }
        String name = text(json, "name", 100).orElseThrow(() -> new InvalidRule("name", "required"));
        String metricName = text(json, "metric", 100).orElseThrow(() -> new InvalidRule("metric", "required"));
        Metric metric = Metric.of(metricName).orElseThrow(() -> new InvalidRule("metric", "unknown metric '" + metricName + "' (one of "
                + Metric.names() + ")"));
        Optional<String> campaign = text(json, "campaign_id", 200);
        Optional<Metric.Split> split = text(json, "split_by", 100).map(s -> Metric.Split.of(s)
                .orElseThrow(() -> new InvalidRule("split_by", "one of " + Metric.Split.names() + ", not '" + s + "'")));
        if (split.isPresent() && !metric.splitsBy(split.get())) {
            throw new InvalidRule("split_by", metric.wireName() + " cannot be split by " + split.get().wireName());
        }
        if (campaign.isPresent() && !metric.splitsBy(Metric.Split.CAMPAIGN)) {
            throw new InvalidRule("campaign_id", metric.wireName() + " is not counted by campaign");
        }
        Optional<String> tag = text(json, "tag", 200);
        if (tag.isPresent() && !metric.splitsBy(Metric.Split.CAMPAIGN)) {
            throw new InvalidRule("tag", metric.wireName() + " is not counted by campaign, so not by a campaign's tag");
        }
        if (tag.isPresent() && campaign.isPresent()) {
            throw new InvalidRule("tag", "a rule is on one campaign or on the campaigns of a tag, not both");
        }
        if (split.equals(Optional.of(Metric.Split.CAMPAIGN)) && campaign.isPresent()) {
            throw new InvalidRule("split_by", "a rule on one campaign cannot be split by campaign");
        }
        Duration window = duration(json, "window", "PT15M").orElseThrow(() -> new InvalidRule("window", "required, an ISO-8601 duration such as PT15M"));
        Condition condition = condition(json, metric);
        if (condition instanceof Anomaly anomaly && window.multipliedBy(anomaly.baselineWindows()).compareTo(LONGEST_BASELINE) > 0) {
            throw new InvalidRule("anomaly.baseline_windows", "a baseline reaches back at most " + LONGEST_BASELINE.toDays() + " days: at most "
                    + LONGEST_BASELINE.dividedBy(window) + " windows of " + window);
        }
        return new AlertRule(name, metric, campaign, tag, split, window, condition,
                whole(json, "min_volume", 0, Long.MAX_VALUE).orElse(0L), whole(json, "pending_evaluations", 1, LONGEST_PENDING).orElse(1L).intValue(),
                noData(json), duration(json, "repeat_interval", "PT4H").orElse(DEFAULT_REPEAT), severity(json), labels(json),
                text(json, "message", LONGEST_TEXT).orElse(""), channels(json));
    }

    /** The rule as the API shows it: every field, each webhook's secret only as {@code "secret_set": true}. */
    public static ObjectNode forApi(AlertRule rule) {
        return write(rule, false);
    }

    /** The rule as the store keeps it: as written, secrets included (the evaluator signs with them). */
    public static ObjectNode forStore(AlertRule rule) {
        return write(rule, true);
    }

    private static ObjectNode write(AlertRule rule, boolean secrets) {
        ObjectNode json = WireJson.MAPPER.createObjectNode();
        json.put("name", rule.name());
        json.put("metric", rule.metric().wireName());
        rule.campaignId().ifPresent(c -> json.put("campaign_id", c));
        rule.tag().ifPresent(t -> json.put("tag", t));
        rule.splitBy().ifPresent(s -> json.put("split_by", s.wireName()));
        json.put("window", rule.window().toString());
        if (rule.condition() instanceof Threshold t) {
            json.put(t.direction() == Direction.ABOVE ? "above" : "below", t.value());
            json.put("recover_at", t.recoverAt());
        } else if (rule.condition() instanceof Change c) {
            json.putObject("change").put("direction", c.direction() == Direction.ABOVE ? "up" : "down").put("by", c.by())
                    .put("against", c.against().wireName());
        } else if (rule.condition() instanceof Anomaly a) {
            json.putObject("anomaly").put("direction", a.direction() == Direction.ABOVE ? "up" : "down").put("deviations", a.deviations())
                    .put("baseline_windows", a.baselineWindows());
        }
        json.put("min_volume", rule.minVolume());
        json.put("pending_evaluations", rule.pendingEvaluations());
        json.put("no_data", rule.noData().wireName());
        json.put("repeat_interval", rule.repeatInterval().toString());
        json.put("severity", rule.severity().wireName());
        ObjectNode labels = json.putObject("labels");
        rule.labels().forEach(labels::put);
        if (!rule.message().isEmpty()) {
            json.put("message", rule.message());
        }
        ArrayNode channels = json.putArray("channels");
        for (Channel channel : rule.channels()) {
            if (channel instanceof Webhook w) {
                ObjectNode webhook = channels.addObject().put("type", "webhook").put("url", w.url().toString());
                if (secrets) {
                    webhook.put("secret", w.secret());
                } else {
                    webhook.put("secret_set", true);
                }
            } else if (channel instanceof Email e) {
                channels.addObject().put("type", "email").put("to", e.to());
            }
        }
        return json;
    }

    /** A duration field in whole minutes from a minute to seven days (a window, a repeat interval), when given. */
    private static Optional<Duration> duration(JsonNode json, String field, String example) {
        Optional<String> text = text(json, field, 40);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Duration duration;
        try {
            duration = Duration.parse(text.get());
        } catch (DateTimeParseException e) {
            throw new InvalidRule(field, "an ISO-8601 duration such as " + example + ", PT1H or P1D, not '" + text.get() + "'");
        }
        if (duration.compareTo(SHORTEST_WINDOW) < 0 || duration.compareTo(LONGEST_WINDOW) > 0 || duration.toSeconds() % 60 != 0
                || duration.getNano() != 0) {
            throw new InvalidRule(field, "whole minutes from PT1M to P7D, not " + text.get());
        }
        return Optional.of(duration);
    }

    private static Condition condition(JsonNode json, Metric metric) {
        List<String> given = List.of("above", "below", "change", "anomaly").stream().filter(json::has).toList();
        if (given.size() != 1) {
            throw new InvalidRule(given.isEmpty() ? "above" : given.get(1), "exactly one of above, below, change and anomaly is required");
        }
        if (!given.get(0).equals("above") && !given.get(0).equals("below") && json.has("recover_at")) {
            throw new InvalidRule("recover_at", "only for a rule on above or below");
        }
        if (given.get(0).equals("anomaly")) {
            JsonNode anomaly = json.get("anomaly");
            if (!anomaly.isObject()) {
                throw new InvalidRule("anomaly", "an object: {\"direction\": \"up\" or \"down\", \"deviations\": 3, \"baseline_windows\": 24}");
            }
            for (String field : anomaly.propertyNames()) {
                if (!Set.of("direction", "deviations", "baseline_windows").contains(field)) {
                    throw new InvalidRule("anomaly." + field, "not a field of an anomaly (direction, deviations, baseline_windows)");
                }
            }
            double deviations = number(anomaly, "deviations", "anomaly.deviations").orElse(3.0);
            if (deviations < 1 || deviations > 20) {
                throw new InvalidRule("anomaly.deviations", "from 1 to 20 robust standard deviations, not " + deviations);
            }
            int baseline = whole(anomaly, "baseline_windows", "anomaly.baseline_windows", 6, MOST_BASELINE_WINDOWS)
                    .orElse(24L).intValue();
            return new Anomaly(direction(anomaly, "anomaly.direction"), deviations, baseline);
        }
        if (given.get(0).equals("change")) {
            JsonNode change = json.get("change");
            if (!change.isObject()) {
                throw new InvalidRule("change", "an object: {\"direction\": \"up\" or \"down\", \"by\": 0.5, \"against\": \"previous_window\" or \"week_before\"}");
            }
            Direction direction = direction(change, "change.direction");
            double by = number(change, "by", "change.by").orElseThrow(() -> new InvalidRule("change.by", "required, a share such as 0.5 for 50%"));
            if (!(by > 0) || by > 1_000) {
                throw new InvalidRule("change.by", "a share above 0 and at most 1000 (0.5 is 50%)");
            }
            String against = text(change, "against", 40, "change.against").orElse(Against.PREVIOUS_WINDOW.wireName());
            Against base = java.util.Arrays.stream(Against.values()).filter(a -> a.wireName().equals(against)).findFirst()
                    .orElseThrow(() -> new InvalidRule("change.against", "previous_window or week_before, not '" + against + "'"));
            if (direction == Direction.BELOW && by > 1) {
                throw new InvalidRule("change.by", "a fall is at most 1 (100%)");
            }
            return new Change(direction, by, base);
        }
        String field = given.get(0);
        Direction direction = field.equals("above") ? Direction.ABOVE : Direction.BELOW;
        double value = inRange(metric, field, number(json, field, field).orElseThrow(() -> new InvalidRule(field, "a number is required")));
        double recoverAt = number(json, "recover_at", "recover_at").map(r -> inRange(metric, "recover_at", r)).orElse(value);
        if (direction == Direction.ABOVE ? recoverAt > value : recoverAt < value) {
            throw new InvalidRule("recover_at", "a rule on " + field + " " + value + " recovers at or " + (direction == Direction.ABOVE ? "below" : "above")
                    + " it, not at " + recoverAt);
        }
        return new Threshold(direction, value, recoverAt);
    }

    private static Direction direction(JsonNode condition, String field) {
        String direction = text(condition, "direction", 10, field).orElse("");
        if (!direction.equals("up") && !direction.equals("down")) {
            throw new InvalidRule(field, "up or down");
        }
        return direction.equals("up") ? Direction.ABOVE : Direction.BELOW;
    }

    private static NoData noData(JsonNode json) {
        String noData = text(json, "no_data", 20).orElse(NoData.KEEP.wireName());
        return java.util.Arrays.stream(NoData.values()).filter(n -> n.wireName().equals(noData)).findFirst()
                .orElseThrow(() -> new InvalidRule("no_data", "keep, resolve or fire, not '" + noData + "'"));
    }

    private static double inRange(Metric metric, String field, double value) {
        if (metric.kind() == Metric.Kind.RATE && (value < 0 || value > 1)) {
            throw new InvalidRule(field, metric.wireName() + " is a share from 0 to 1 (0.003 is 0.3%), not " + value);
        }
        if (value < 0) {
            throw new InvalidRule(field, metric.wireName() + " is never negative, not " + value);
        }
        return value;
    }

    private static Severity severity(JsonNode json) {
        String severity = text(json, "severity", 20).orElse(Severity.WARNING.wireName());
        return java.util.Arrays.stream(Severity.values()).filter(s -> s.wireName().equals(severity)).findFirst()
                .orElseThrow(() -> new InvalidRule("severity", "info, warning or critical, not '" + severity + "'"));
    }

    private static Map<String, String> labels(JsonNode json) {
        JsonNode labels = json.get("labels");
        if (labels == null || labels.isNull()) {
            return Map.of();
        }
        if (!labels.isObject() || labels.size() > MOST_LABELS) {
            throw new InvalidRule("labels", "an object of at most " + MOST_LABELS + " names and texts");
        }
        Map<String, String> read = new LinkedHashMap<>();
        for (String label : labels.propertyNames()) {
            if (!LABEL.matcher(label).matches()) {
                throw new InvalidRule("labels." + label, "a label's name is lower case letters, digits and _, starting with a letter");
            }
            read.put(label, text(labels, label, 200, "labels." + label).orElseThrow(() -> new InvalidRule("labels." + label, "a text is required")));
        }
        return read;
    }

    private static List<Channel> channels(JsonNode json) {
        JsonNode channels = json.get("channels");
        if (channels == null || channels.isNull()) {
            return List.of();
        }
        if (!channels.isArray() || channels.size() > MOST_CHANNELS) {
            throw new InvalidRule("channels", "a list of at most " + MOST_CHANNELS + " channels");
        }
        List<Channel> read = new ArrayList<>();
        for (int i = 0; i < channels.size(); i++) {
            String at = "channels[" + i + "]";
            JsonNode channel = channels.get(i);
            if (!channel.isObject()) {
                throw new InvalidRule(at, "an object with a type, webhook or email");
            }
            String type = text(channel, "type", 20, at + ".type").orElse("");
            switch (type) {
                case "webhook" -> read.add(new Webhook(url(channel, at + ".url"), text(channel, "secret", 200, at + ".secret")
                        .filter(s -> s.length() >= SHORTEST_SECRET)
                        .orElseThrow(() -> new InvalidRule(at + ".secret", "required, at least " + SHORTEST_SECRET + " characters: each webhook "
                                + "is signed with it"))));
                case "email" -> read.add(new Email(text(channel, "to", 254, at + ".to").filter(to -> EMAIL.matcher(to).matches())
                        .orElseThrow(() -> new InvalidRule(at + ".to", "an e-mail address is required"))));
                default -> throw new InvalidRule(at + ".type", "webhook or email, not '" + type + "'");
            }
        }
        return read;
    }

    private static URI url(JsonNode channel, String field) {
        String text = text(channel, "url", 2_000, field).orElseThrow(() -> new InvalidRule(field, "required, an http or https URL"));
        try {
            URI url = new URI(text);
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null || url.getUserInfo() != null) {
                throw new InvalidRule(field, "an http or https URL with a host and no user, not '" + text + "'");
            }
            return url;
        } catch (URISyntaxException e) {
            throw new InvalidRule(field, "not a URL: " + e.getReason());
        }
    }

    private static Optional<String> text(JsonNode json, String name, int longest) {
        return text(json, name, longest, name);
    }

    /** A text field, stripped; absent or null is empty; blank, too long or not a text is refused. */
    private static Optional<String> text(JsonNode json, String name, int longest, String field) {
        JsonNode node = json.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isString()) {
            throw new InvalidRule(field, "a text is required");
        }
        String text = node.stringValue().strip();
        if (text.isEmpty() || text.length() > longest) {
            throw new InvalidRule(field, "from 1 to " + longest + " characters");
        }
        return Optional.of(text);
    }

    private static Optional<Double> number(JsonNode json, String name, String field) {
        JsonNode node = json.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isNumber() || !Double.isFinite(node.doubleValue())) {
            throw new InvalidRule(field, "a number is required");
        }
        return Optional.of(node.doubleValue());
    }

    private static Optional<Long> whole(JsonNode json, String field, long least, long most) {
        return whole(json, field, field, least, most);
    }

    private static Optional<Long> whole(JsonNode json, String name, String field, long least, long most) {
        JsonNode node = json.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < least || node.longValue() > most) {
            throw new InvalidRule(field, "a whole number from " + least + (most == Long.MAX_VALUE ? " up" : " to " + most));
        }
        return Optional.of(node.longValue());
    }
}
