package dev.mailpulse.console.alerts;

import java.math.BigDecimal;
import java.util.Optional;

import dev.mailpulse.alerting.AlertRule;
import dev.mailpulse.alerting.AlertRuleJson;
import dev.mailpulse.alerting.InvalidRule;
import dev.mailpulse.alerting.Metric;
import dev.mailpulse.core.json.WireJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The console's rule editor as it was filled in, every field as typed: read into the API's JSON and through the same
 * checks ({@link AlertRuleJson}), so that the console and the API accept and refuse the same rules. People write rates
 * and changes in percent (0.3 for 0.3%); the API takes shares.
 *
 * @param condition above, below, change_up, change_down, anomaly_up or anomaly_down
 * @param value     the threshold (percent for a rate), the change (percent) or the deviations of an anomaly
 */
record RuleForm(String name, String metric, String campaignId, String tag, String splitBy, String window, String condition, String value, String recoverAt,
                String against, String baselineWindows, String minVolume, String pendingEvaluations, String noData, String severity,
                String message, String email, String webhookUrl, String webhookSecret) {

    /** The editor's fields before anything is typed: the Gmail and Yahoo limit, as an example to change. */
    static RuleForm blank() {
        return new RuleForm("", "complaint_rate", "", "", "mailbox_provider", "PT15M", "above", "0.3", "", "previous_window", "24", "100", "1",
                "keep", "warning", "", "", "", "");
    }

    /** The rule, or an {@link InvalidRule} naming the field (the API's name for it) at fault. */
    AlertRule rule(String defaultEmail) {
        ObjectNode json = WireJson.MAPPER.createObjectNode();
        put(json, "name", name);
        put(json, "metric", metric);
        put(json, "campaign_id", campaignId);
        put(json, "tag", tag);
        put(json, "split_by", splitBy);
        put(json, "window", window);
        boolean rate = Metric.of(text(metric).orElse("")).map(m -> m.kind() == Metric.Kind.RATE).orElse(false);
        String kind = text(condition).orElse("");
        switch (kind) {
            case "above", "below" -> {
                json.put(kind, number(kind, value, rate));
                text(recoverAt).ifPresent(r -> json.put("recover_at", number("recover_at", r, rate)));
            }
            case "change_up", "change_down" -> json.putObject("change").put("direction", kind.endsWith("up") ? "up" : "down")
                    .put("by", number("change.by", value, true)).put("against", text(against).orElse("previous_window"));
            case "anomaly_up", "anomaly_down" -> {
                ObjectNode anomaly = json.putObject("anomaly").put("direction", kind.endsWith("up") ? "up" : "down")
                        .put("deviations", number("anomaly.deviations", value, false));
                text(baselineWindows).ifPresent(b -> anomaly.put("baseline_windows", whole("anomaly.baseline_windows", b)));
            }
            default -> throw new InvalidRule("condition", "above, below, a change or an anomaly");
        }
        text(minVolume).ifPresent(v -> json.put("min_volume", whole("min_volume", v)));
        text(pendingEvaluations).ifPresent(v -> json.put("pending_evaluations", whole("pending_evaluations", v)));
        put(json, "no_data", noData);
        put(json, "severity", severity);
        put(json, "message", message);
        ArrayNode channels = json.putArray("channels");
        channels.addObject().put("type", "email").put("to", text(email).orElse(defaultEmail));
        text(webhookUrl).ifPresent(url -> channels.addObject().put("type", "webhook").put("url", url).put("secret", webhookSecret == null ? "" : webhookSecret));
        return AlertRuleJson.read(json);
    }

    private static void put(ObjectNode json, String field, String value) {
        text(value).ifPresent(v -> json.put(field, v));
    }

    private static Optional<String> text(String value) {
        return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty());
    }

    /** A number as typed, a percentage read as a share: exactly, so that 0.3% is 0.003 and not 0.0030000000000000005. */
    private static double number(String field, String typed, boolean percent) {
        try {
            BigDecimal number = new BigDecimal(text(typed).orElseThrow(() -> new InvalidRule(field, "a number is required")));
            return (percent ? number.movePointLeft(2) : number).doubleValue();
        } catch (NumberFormatException e) {
            throw new InvalidRule(field, "a number, not '" + typed.strip() + "'");
        }
    }

    private static long whole(String field, String typed) {
        try {
            return Long.parseLong(typed.strip());
        } catch (NumberFormatException e) {
            throw new InvalidRule(field, "a whole number, not '" + typed.strip() + "'");
        }
    }
}
