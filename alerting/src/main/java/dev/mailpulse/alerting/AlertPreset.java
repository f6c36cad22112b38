package dev.mailpulse.alerting;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.mailpulse.core.json.WireJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Rules a workspace switches on in one click, each preset one or more rules written as the API takes them, told to
 * the channels the user gives.
 */
public enum AlertPreset {

    /**
     * Gmail's and Yahoo's bulk-sender requirement: complaints ÷ deliveries kept under 0.1% and never reaching 0.3%,
     * per mailbox provider. Gmail tells senders its rate only in aggregate (Postmaster Tools), so the rate here is
     * that of the complaints the providers' feedback loops report, a floor of the rate Gmail sees.
     */
    BULK_SENDER_COMPLAINTS("bulk-sender-complaints", "Gmail and Yahoo bulk-sender complaint rate",
            "Complaints ÷ deliveries per mailbox provider over the last 15 minutes: a warning above 0.1%, critical above 0.3% "
                    + "(from at least 100 deliveries), each resolved once the rate is a fifth below its threshold, not to flap around it. "
                    + "Gmail reports complaints to senders only in aggregate: this is the rate of "
                    + "the complaints the feedback loops report, at most the rate Gmail sees.",
            """
            [{"name": "Bulk-sender complaint rate (warning, 0.1%)", "metric": "complaint_rate", "split_by": "mailbox_provider",
              "window": "PT15M", "above": 0.001, "recover_at": 0.0008, "min_volume": 100, "severity": "warning", "labels": {"preset": "bulk-sender-complaints"},
              "message": "Complaints at {{mailbox_provider}} are {{value}} of {{volume}} deliveries in the last 15 minutes: keep them under 0.1%"},
             {"name": "Bulk-sender complaint rate (critical, 0.3%)", "metric": "complaint_rate", "split_by": "mailbox_provider",
              "window": "PT15M", "above": 0.003, "recover_at": 0.0024, "min_volume": 100, "severity": "critical", "labels": {"preset": "bulk-sender-complaints"},
              "message": "Complaints at {{mailbox_provider}} are {{value}} of {{volume}} deliveries in the last 15 minutes: past Gmail's and Yahoo's 0.3% limit"}]
            """),

    DELIVERY_RATE_DROP("delivery-rate-drop", "Delivery rate drop",
            "Deliveries ÷ sends per mailbox provider over the last hour, 20% or more below the hour before (from at least 200 sends).",
            """
            [{"name": "Delivery rate drop", "metric": "delivery_rate", "split_by": "mailbox_provider", "window": "PT1H",
              "change": {"direction": "down", "by": 0.2, "against": "previous_window"}, "min_volume": 200, "pending_evaluations": 2,
              "severity": "warning", "labels": {"preset": "delivery-rate-drop"},
              "message": "Deliveries at {{mailbox_provider}}: {{value}}"}]
            """),

    BOUNCE_RATE("bounce-rate", "Bounce rate",
            "Bounces ÷ sends per mailbox provider over the last hour above 5% (from at least 200 sends).",
            """
            [{"name": "Bounce rate above 5%", "metric": "bounce_rate", "split_by": "mailbox_provider", "window": "PT1H", "above": 0.05,
              "min_volume": 200, "pending_evaluations": 2, "severity": "warning", "labels": {"preset": "bounce-rate"},
              "message": "Bounces at {{mailbox_provider}} are {{value}} of {{volume}} sends in the last hour"}]
            """),

    HARD_BOUNCE_RATE("hard-bounce-rate", "Hard-bounce rate",
            "Hard bounces (the address does not exist) ÷ sends per mailbox provider over the last hour above 2% (from at least 200 sends): "
                    + "a list that needs cleaning before the providers judge it.",
            """
            [{"name": "Hard-bounce rate above 2%", "metric": "hard_bounce_rate", "split_by": "mailbox_provider", "window": "PT1H", "above": 0.02,
              "recover_at": 0.015, "min_volume": 200, "pending_evaluations": 2, "severity": "warning", "labels": {"preset": "hard-bounce-rate"},
              "message": "Hard bounces at {{mailbox_provider}} are {{value}} of {{volume}} sends in the last hour"}]
            """),

    SMTP_FAILURES("smtp-failures", "SMTP status failures",
            "Any SMTP status check of a host that is not up (degraded or down) in two consecutive minutes over the last 5 minutes, per host.",
            """
            [{"name": "SMTP host not up", "metric": "smtp_failures", "split_by": "host", "window": "PT5M", "above": 0, "pending_evaluations": 2,
              "no_data": "resolve", "severity": "critical", "labels": {"preset": "smtp-failures"},
              "message": "SMTP host {{host}}: {{value}} checks not up in the last 5 minutes"}]
            """),

    DNS_AUTHENTICATION_CHANGES("dns-authentication-changes", "DNS changes to SPF, DKIM or DMARC",
            "Any change to an SPF, DKIM or DMARC record (their record types, or TXT records at _dmarc and _domainkey names or holding "
                    + "v=spf1, v=DKIM1, v=DMARC1) in the last 15 minutes: a mistake there sends the mail to spam within hours.",
            """
            [{"name": "SPF, DKIM or DMARC record changed", "metric": "dns_changes", "window": "PT15M", "above": 0, "no_data": "resolve",
              "severity": "warning", "labels": {"preset": "dns-authentication-changes"},
              "message": "{{value}} changes to SPF, DKIM or DMARC records in the last 15 minutes: check that they were meant"}]
            """),

    VPS_HEALTH("vps-health", "VPS health",
            "Any health check of a VPS that is not healthy (degraded or unhealthy) in two consecutive minutes over the last 5 minutes, per host.",
            """
            [{"name": "VPS not healthy", "metric": "vps_unhealthy", "split_by": "host", "window": "PT5M", "above": 0, "pending_evaluations": 2,
              "no_data": "resolve", "severity": "critical", "labels": {"preset": "vps-health"},
              "message": "VPS {{host}}: {{value}} health checks not healthy in the last 5 minutes"}]
            """),

    NIGHTLY_JOB("nightly-job", "The nightly ETL failed or did not run",
            "A run of the daily ETL (for every workspace or this one) that failed in the last day; and no run completed for 26 hours "
                    + "(a nightly schedule and two hours to spare), or none ever: the daily facts, reports and models are then behind.",
            """
            [{"name": "Nightly ETL failed", "metric": "nightly_job_failures", "window": "P1D", "above": 0, "no_data": "resolve",
              "severity": "critical", "labels": {"preset": "nightly-job"},
              "message": "{{value}} runs of the daily ETL failed in the last day: see the jobs page"},
             {"name": "Nightly ETL not completed for 26 hours", "metric": "hours_since_nightly_job", "window": "PT5M", "above": 26,
              "no_data": "fire", "severity": "critical", "labels": {"preset": "nightly-job"},
              "message": "The daily ETL last completed {{value}} ago"}]
            """),

    FAILED_EVENT_RATE("failed-event-rate", "Rising failed-event rate",
            "Events failed ÷ events received over the last 15 minutes, 4 robust standard deviations above the last 6 hours' "
                    + "(from at least 100 events), or above 5% whatever the history.",
            """
            [{"name": "Failed events rising", "metric": "failed_event_rate", "window": "PT15M",
              "anomaly": {"direction": "up", "deviations": 4, "baseline_windows": 24}, "min_volume": 100, "pending_evaluations": 2,
              "severity": "warning", "labels": {"preset": "failed-event-rate"},
              "message": "Failed events are {{value}}, of {{volume}} events received in 15 minutes"},
             {"name": "Failed events above 5%", "metric": "failed_event_rate", "window": "PT15M", "above": 0.05, "recover_at": 0.04,
              "min_volume": 100, "severity": "critical", "labels": {"preset": "failed-event-rate"},
              "message": "{{value}} of {{volume}} events received in 15 minutes failed"}]
            """);

    private final String wireName;
    private final String title;
    private final String description;
    private final String rules;

    AlertPreset(String wireName, String title, String description, String rules) {
        this.wireName = wireName;
        this.title = title;
        this.description = description;
        this.rules = rules;
    }

    public String wireName() {
        return wireName;
    }

    public String title() {
        return title;
    }

    public String description() {
        return description;
    }

    /** The preset's rules, each told to the channels given (the API's {@code channels}: webhooks, e-mails). */
    public List<AlertRule> rules(ArrayNode channels) {
        return WireJson.MAPPER.readTree(rules).valueStream().map(rule -> {
            ObjectNode withChannels = ((ObjectNode) rule).deepCopy();
            withChannels.set("channels", channels.deepCopy());
            return AlertRuleJson.read(withChannels);
        }).toList();
    }

    /** The names of the preset's rules: the preset is on when the workspace has them. */
    public List<String> ruleNames() {
        return WireJson.MAPPER.readTree(rules).valueStream().map(rule -> rule.get("name").asString()).toList();
    }

    public static Optional<AlertPreset> of(String wireName) {
        return Arrays.stream(values()).filter(p -> p.wireName.equals(wireName)).findFirst();
    }
}
