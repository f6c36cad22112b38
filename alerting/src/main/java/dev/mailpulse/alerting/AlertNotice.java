package dev.mailpulse.alerting;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mailpulse.alerting.AlertRule.Change;
import dev.mailpulse.core.json.WireJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What one notification says, the same on every channel: the webhook's JSON body (its schema is in the README) and the
 * e-mail's subject and text. It tells one transition, or a storm of them: every instance of one rule that made the
 * same transition in the same evaluation is one notice, whose {@code alerts} list them all (the first's labels,
 * value and volume are also the notice's own). A firing told again after the rule's repeat interval is repeat 1, 2,
 * ... The rule's message is a template whose {@code {{name}}} places take the rule's name, the state, the value, the
 * volume, the metric, the severity, the workspace or a label's value (the first alert's).
 */
public record AlertNotice(int repeat, UUID workspaceId, String workspace, UUID ruleId, AlertRule rule, AlertState to, Instant at,
                          List<Alert> alerts) {

    /** One instance's transition in the notice: its notification, its labels, the state it left, its value and volume. */
    public record Alert(long notificationId, Map<String, String> labels, AlertState from, Optional<Double> value, long volume) {

        public Alert {
            labels = Map.copyOf(labels);
        }
    }

    private static final String DEFAULT_MESSAGE = "{{rule}}: {{metric}} {{value}} ({{state}})";
    private static final Pattern PLACE = Pattern.compile("\\{\\{\\s*([a-z][a-z0-9_]*)\\s*}}");

    public AlertNotice {
        if (alerts.isEmpty()) {
            throw new IllegalArgumentException("a notice tells at least one alert");
        }
        alerts = List.copyOf(alerts);
    }

    /** The first alert's notification: the notice's id, by which receivers deduplicate. */
    public long notificationId() {
        return alerts.get(0).notificationId();
    }

    public Map<String, String> labels() {
        return alerts.get(0).labels();
    }

    public Optional<Double> value() {
        return alerts.get(0).value();
    }

    public long volume() {
        return alerts.get(0).volume();
    }

    /** The webhook's body: every field a receiver needs to route, show or deduplicate (by {@code notification_id}). */
    public ObjectNode json() {
        ObjectNode json = WireJson.MAPPER.createObjectNode();
        json.put("notification_id", notificationId());
        json.put("workspace_id", workspaceId.toString());
        json.put("workspace", workspace);
        json.put("rule_id", ruleId.toString());
        json.put("rule_name", rule.name());
        json.put("metric", rule.metric().wireName());
        json.put("basis", rule.metric().basis());
        json.put("window", rule.window().toString());
        json.put("severity", rule.severity().wireName());
        json.put("state", to.wireName());
        json.put("previous_state", alerts.get(0).from().wireName());
        json.put("repeat", repeat);
        ObjectNode split = json.putObject("labels");
        new TreeMap<>(labels()).forEach(split::put);
        ObjectNode ruleLabels = json.putObject("rule_labels");
        new TreeMap<>(rule.labels()).forEach(ruleLabels::put);
        value().ifPresentOrElse(v -> json.put("value", v), () -> json.putNull("value"));
        json.put("volume", volume());
        json.put("threshold", rule.condition().threshold().value());
        json.put("at", at.toString());
        json.put("message", message());
        ArrayNode all = json.putArray("alerts");
        for (Alert alert : alerts) {
            ObjectNode one = all.addObject().put("notification_id", alert.notificationId()).put("previous_state", alert.from().wireName());
            ObjectNode labels = one.putObject("labels");
            new TreeMap<>(alert.labels()).forEach(labels::put);
            alert.value().ifPresentOrElse(v -> one.put("value", v), () -> one.putNull("value"));
            one.put("volume", alert.volume());
        }
        return json;
    }

    public String subject() {
        String which = alerts.size() > 1 ? " " + alerts.size() + " instances" : labels().isEmpty() ? "" : " " + new TreeMap<>(labels());
        return "[MailPulse] " + to.wireName().toUpperCase(Locale.ROOT) + (repeat > 0 ? " (still, reminder " + repeat + ")" : "") + " "
                + rule.severity().wireName() + ": " + rule.name() + which + " (" + workspace + ")";
    }

    public String text() {
        StringBuilder text = new StringBuilder(message()).append("\n\n")
                .append("Workspace: ").append(workspace).append('\n')
                .append("Rule: ").append(rule.name()).append(" (").append(rule.metric().wireName()).append(": ").append(rule.metric().basis())
                .append(", over ").append(rule.window()).append(", threshold ").append(formatted(rule.condition().threshold().value())).append(")\n")
                .append("State: ").append(to.wireName()).append(" at ").append(at).append('\n');
        for (Alert alert : alerts) {
            text.append(alert.labels().isEmpty() ? "The workspace" : "Instance " + new TreeMap<>(alert.labels())).append(": ")
                    .append(alert.from().wireName()).append(" -> ").append(to.wireName()).append(", value ").append(formatted(rule, alert.value()))
                    .append(", volume ").append(alert.volume()).append('\n');
        }
        return text.toString();
    }

    /** The rule's message with its places filled; an unknown place is left as written. */
    public String message() {
        Matcher place = PLACE.matcher(rule.message().isEmpty() ? DEFAULT_MESSAGE : rule.message());
        StringBuilder filled = new StringBuilder();
        while (place.find()) {
            place.appendReplacement(filled, Matcher.quoteReplacement(fill(place.group(1)).orElse(place.group())));
        }
        return place.appendTail(filled).toString();
    }

    private Optional<String> fill(String name) {
        return switch (name) {
            case "rule" -> Optional.of(rule.name());
            case "state" -> Optional.of(to.wireName());
            case "value" -> Optional.of(formatted(rule, value()));
            case "volume" -> Optional.of(Long.toString(volume()));
            case "metric" -> Optional.of(rule.metric().wireName());
            case "severity" -> Optional.of(rule.severity().wireName());
            case "workspace" -> Optional.of(workspace);
            default -> Optional.ofNullable(labels().getOrDefault(name, rule.labels().get(name)));
        };
    }

    private String formatted(double number) {
        return formatted(rule, Optional.of(number));
    }

    /**
     * A value of the rule's metric as people read it: a rate as a percentage, a change signed against its base, an
     * anomaly in deviations from its baseline, a count whole.
     */
    public static String formatted(AlertRule rule, Optional<Double> value) {
        if (value.isEmpty()) {
            return "no data";
        }
        double number = value.get();
        if (rule.condition() instanceof Change change) {
            return String.format(Locale.ROOT, "%+.1f%% against %s", number * 100, change.against().wireName().replace('_', ' '));
        }
        if (rule.condition() instanceof AlertRule.Anomaly) {
            return String.format(Locale.ROOT, "%+.1f deviations from the baseline", number);
        }
        return switch (rule.metric().kind()) {
            case RATE -> String.format(Locale.ROOT, "%.3f%%", number * 100);
            case COUNT -> String.format(Locale.ROOT, "%.0f", number);
            case SECONDS -> String.format(Locale.ROOT, "%.1f s", number);
            case HOURS -> String.format(Locale.ROOT, "%.1f h", number);
        };
    }
}
