package dev.mailpulse.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.mailpulse.core.json.WireJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class AlertRuleJsonTest {

    /** The contract's example (../shared/DESIGN.md): no pending period unless one is given. */
    private static final String CONTRACT = """
            {"name": "Gmail complaints", "metric": "complaint_rate", "split_by": "mailbox_provider", "window": "PT15M", "above": 0.003,
             "min_volume": 20, "channels": [{"type": "webhook", "url": "https://hooks.example.com/mailpulse", "secret": "0123456789abcdef"}]}""";

    @Test
    void readsTheContractsExampleWithItsDefaults() {
        AlertRule rule = AlertRuleJson.read(json(CONTRACT));
        assertThat(rule.metric()).isEqualTo(Metric.COMPLAINT_RATE);
        assertThat(rule.splitBy()).contains(Metric.Split.MAILBOX_PROVIDER);
        assertThat(rule.window()).isEqualTo(Duration.ofMinutes(15));
        assertThat(rule.condition()).isEqualTo(new AlertRule.Threshold(AlertRule.Direction.ABOVE, 0.003, 0.003));
        assertThat(rule.minVolume()).isEqualTo(20);
        assertThat(rule.pendingEvaluations()).isEqualTo(1);
        assertThat(rule.severity()).isEqualTo(AlertRule.Severity.WARNING);
        assertThat(rule.campaignId()).isEmpty();
        assertThat(rule.channels()).hasSize(1);
        assertThat(rule.channels().get(0).toString()).doesNotContain("0123456789abcdef");
    }

    @Test
    void writesBackWhatItRead() {
        ObjectNode full = (ObjectNode) json("""
                {"name": "Fewer human clicks", "metric": "human_click_rate", "campaign_id": "spring-sale", "split_by": "recipient_domain",
                 "window": "PT1H", "change": {"direction": "down", "by": 0.5, "against": "week_before"}, "min_volume": 500,
                 "pending_evaluations": 3, "severity": "critical", "labels": {"team": "growth"}, "message": "Clicks fell: {{value}}",
                 "channels": [{"type": "email", "to": "ops@example.com"}]}""");
        AlertRule rule = AlertRuleJson.read(full);
        assertThat(AlertRuleJson.read(AlertRuleJson.forStore(rule))).isEqualTo(rule);
        AlertRule anomaly = AlertRuleJson.read(json("""
                {"name": "Unusual lag", "metric": "pipeline_lag", "window": "PT5M", "anomaly": {"direction": "up", "deviations": 5,
                 "baseline_windows": 288}, "no_data": "fire"}"""));
        assertThat(anomaly.condition()).isEqualTo(new AlertRule.Anomaly(AlertRule.Direction.ABOVE, 5, 288));
        assertThat(anomaly.noData()).isEqualTo(AlertRule.NoData.FIRE);
        assertThat(AlertRuleJson.read(AlertRuleJson.forStore(anomaly))).isEqualTo(anomaly);
        AlertRule contract = AlertRuleJson.read(json(CONTRACT));
        assertThat(AlertRuleJson.read(AlertRuleJson.forStore(contract))).isEqualTo(contract);
        JsonNode shown = AlertRuleJson.forApi(contract);
        assertThat(shown.get("channels").get(0).has("secret")).as("a secret is never shown").isFalse();
        assertThat(shown.get("channels").get(0).get("secret_set").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(AlertPreset.class)
    void everyPresetIsAValidRuleSetWithItsOwnNames(AlertPreset preset) {
        List<AlertRule> rules = preset.rules(WireJson.MAPPER.createArrayNode());
        assertThat(rules).isNotEmpty().allSatisfy(rule -> assertThat(rule.labels()).containsEntry("preset", preset.wireName()));
        assertThat(rules).extracting(AlertRule::name).containsExactlyElementsOf(preset.ruleNames()).doesNotHaveDuplicates();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"metric\": \"complaint_rate\", \"window\": \"PT15M\", \"above\": 0.1}|name",
            "{\"name\": \"x\", \"metric\": \"happiness\", \"window\": \"PT15M\", \"above\": 0.1}|metric",
            "{\"name\": \"x\", \"metric\": \"complaint_rate\", \"window\": \"PT30S\", \"above\": 0.1}|window",
            "{\"name\": \"x\", \"metric\": \"complaint_rate\", \"window\": \"P30D\", \"above\": 0.1}|window",
            "{\"name\": \"x\", \"metric\": \"complaint_rate\", \"window\": \"PT90S\", \"above\": 0.1}|window",
            "{\"name\": \"x\", \"metric\": \"complaint_rate\", \"window\": \"fifteen minutes\", \"above\": 0.1}|window",
            "{\"name\": \"x\", \"metric\": \"complaint_rate\", \"window\": \"PT15M\", \"above\": 1.5}|above",
            "{\"name\": \"x\", \"metric\": \"complaint_rate\", \"window\": \"PT15M\", \"above\": -0.1}|above",
            "{\"name\": \"x\", \"metric\": \"complaint_rate\", \"window\": \"PT15M\", \"above\": \"high\"}|above",
            "{\"name\": \"x\", \"metric\": \"complaint_rate\", \"window\": \"PT15M\"}|above",
            "{\"name\": \"x\", \"metric\": \"complaint_rate\", \"window\": \"PT15M\", \"above\": 0.1, \"below\": 0.01}|below",
            "{\"name\": \"x\", \"metric\": \"complaint_rate\", \"window\": \"PT15M\", \"above\": 0.1, \"recover_at\": 0.2}|recover_at",
            "{\"name\": \"x\", \"metric\": \"delivery_rate\", \"window\": \"PT15M\", \"below\": 0.9, \"recover_at\": 0.8}|recover_at",
            "{\"name\": \"x\", \"metric\": \"complaint_rate\", \"window\": \"PT15M\", \"above\": 0.1, \"min_volume\": -1}|min_volume",
            "{\"name\": \"x\", \"metric\": \"complaint_rate\", \"window\": \"PT15M\", \"above\": 0.1, \"pending_evaluations\": 0}|pending_evaluations",
            "{\"name\": \"x\", \"metric\": \"complaint_rate\", \"window\": \"PT15M\", \"above\": 0.1, \"split_by\": \"planet\"}|split_by",
            "{\"name\": \"x\", \"metric\": \"pipeline_lag\", \"window\": \"PT15M\", \"above\": 10, \"split_by\": \"mailbox_provider\"}|split_by",
            "{\"name\": \"x\", \"metric\": \"sent\", \"window\": \"PT15M\", \"above\": 1, \"campaign_id\": \"c\", \"split_by\": \"campaign\"}|split_by",
            "{\"name\": \"x\", \"metric\": \"sent\", \"window\": \"PT15M\", \"change\": {\"direction\": \"sideways\", \"by\": 0.5}}|change.direction",
            "{\"name\": \"x\", \"metric\": \"sent\", \"window\": \"PT15M\", \"change\": {\"direction\": \"down\", \"by\": 2}}|change.by",
            "{\"name\": \"x\", \"metric\": \"sent\", \"window\": \"PT15M\", \"change\": {\"direction\": \"up\", \"by\": 0.5, \"against\": \"yesterday\"}}|change.against",
            "{\"name\": \"x\", \"metric\": \"sent\", \"window\": \"PT15M\", \"anomaly\": {\"direction\": \"up\", \"deviations\": 0.5}}|anomaly.deviations",
            "{\"name\": \"x\", \"metric\": \"sent\", \"window\": \"PT15M\", \"anomaly\": {\"direction\": \"both\"}}|anomaly.direction",
            "{\"name\": \"x\", \"metric\": \"sent\", \"window\": \"PT15M\", \"anomaly\": {\"direction\": \"up\", \"season\": \"week\"}}|anomaly.season",
            "{\"name\": \"x\", \"metric\": \"sent\", \"window\": \"P1D\", \"anomaly\": {\"direction\": \"up\", \"baseline_windows\": 60}}|anomaly.baseline_windows",
            "{\"name\": \"x\", \"metric\": \"sent\", \"window\": \"PT15M\", \"anomaly\": {\"direction\": \"up\"}, \"recover_at\": 1}|recover_at",
            "{\"name\": \"x\", \"metric\": \"sent\", \"window\": \"PT15M\", \"above\": 1, \"no_data\": \"panic\"}|no_data",
            "{\"name\": \"x\", \"metric\": \"smtp_failures\", \"window\": \"PT15M\", \"above\": 1, \"campaign_id\": \"c\"}|campaign_id",
            "{\"name\": \"x\", \"metric\": \"smtp_failures\", \"window\": \"PT15M\", \"above\": 1, \"tag\": \"sale\"}|tag",
            "{\"name\": \"x\", \"metric\": \"sent\", \"window\": \"PT15M\", \"above\": 1, \"tag\": \"sale\", \"campaign_id\": \"c\"}|tag",
            "{\"name\": \"x\", \"metric\": \"complaint_rate\", \"window\": \"PT15M\", \"above\": 0.1, \"split_by\": \"host\"}|split_by",
            "{\"name\": \"x\", \"metric\": \"sent\", \"window\": \"PT15M\", \"above\": 1, \"severity\": \"apocalyptic\"}|severity",
            "{\"name\": \"x\", \"metric\": \"sent\", \"window\": \"PT15M\", \"above\": 1, \"labels\": {\"Team!\": \"a\"}}|labels.Team!",
            "{\"name\": \"x\", \"metric\": \"sent\", \"window\": \"PT15M\", \"above\": 1, \"channels\": [{\"type\": \"pigeon\"}]}|channels[0].type",
            "{\"name\": \"x\", \"metric\": \"sent\", \"window\": \"PT15M\", \"above\": 1, \"channels\": [{\"type\": \"webhook\", \"url\": \"ftp://h/x\", \"secret\": \"0123456789abcdef\"}]}|channels[0].url",
            "{\"name\": \"x\", \"metric\": \"sent\", \"window\": \"PT15M\", \"above\": 1, \"channels\": [{\"type\": \"webhook\", \"url\": \"https://u:p@h/x\", \"secret\": \"0123456789abcdef\"}]}|channels[0].url",
            "{\"name\": \"x\", \"metric\": \"sent\", \"window\": \"PT15M\", \"above\": 1, \"channels\": [{\"type\": \"webhook\", \"url\": \"https://h/x\", \"secret\": \"short\"}]}|channels[0].secret",
            "{\"name\": \"x\", \"metric\": \"sent\", \"window\": \"PT15M\", \"above\": 1, \"channels\": [{\"type\": \"email\", \"to\": \"nobody\"}]}|channels[0].to",
            "{\"name\": \"x\", \"metric\": \"sent\", \"window\": \"PT15M\", \"above\": 1, \"colour\": \"red\"}|colour",
            "[1, 2]|(body)"})
    void refusesWithTheField(String body, String field) {
        assertThatThrownBy(() -> AlertRuleJson.read(json(body))).isInstanceOfSatisfying(InvalidRule.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).startsWith(field + ": ");
        });
    }

    @Test
    void aRateRecoversBelowItsThresholdWhenAsked() {
        AlertRule rule = AlertRuleJson.read(json("""
                {"name": "x", "metric": "complaint_rate", "window": "PT15M", "above": 0.003, "recover_at": 0.001}"""));
        AlertRule.Threshold threshold = (AlertRule.Threshold) rule.condition();
        assertThat(threshold.breaches(0.0031)).isTrue();
        assertThat(threshold.breaches(0.003)).isFalse();
        assertThat(threshold.recovered(0.002)).isFalse();
        assertThat(threshold.recovered(0.001)).isTrue();
        assertThat(Optional.of(rule.metric().basis())).contains("complaints ÷ deliveries");
    }

    private static JsonNode json(String text) {
        return WireJson.MAPPER.readTree(text);
    }
}
