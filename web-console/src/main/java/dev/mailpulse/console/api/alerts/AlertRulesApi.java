package dev.mailpulse.console.api.alerts;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.mailpulse.alerting.AlertRule;
import dev.mailpulse.alerting.AlertRuleJson;
import dev.mailpulse.alerting.AlertRules;
import dev.mailpulse.alerting.AlertState;
import dev.mailpulse.alerting.MetricStore;
import dev.mailpulse.alerting.RulePreview;
import dev.mailpulse.console.api.NotInWorkspace;
import dev.mailpulse.console.api.RequestJson;
import dev.mailpulse.console.security.ApiCaller;
import dev.mailpulse.core.json.WireJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The workspace's alert rules (written with an admin key, read with a read key) and its alert instances. A rule is
 * checked field by field before it is saved: a refusal is a 400 naming the field.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "alerts", description = "alert rules and the alerts they raise")
class AlertRulesApi {

    /** A list of the workspace's rules or alerts. */
    record Items<T>(List<T> items) {
    }

    /** An alert instance as the API shows it. */
    record AlertItem(UUID ruleId, String ruleName, String state, Map<String, String> labels, Instant since, Double value, Long volume,
                     Instant evaluatedAt, Acknowledged acknowledged) {
    }

    /** Who acknowledged a firing alert, when, and what they said. */
    record Acknowledged(String by, Instant at, String comment) {
    }



    /** A preview as the API shows it: its range, step and evaluations of each instance, its transitions in order, what fires at its end. */
    record PreviewAnswer(Instant from, Instant to, String step, int evaluations, List<PreviewTransition> transitions,
                         List<Map<String, String>> firingAtTheEnd) {
    }

    /** One transition of a preview: when, which instance, from and to which state, on what value and volume. */
    record PreviewTransition(Instant at, Map<String, String> labels, String from, String to, Double value, long volume) {
    }

    private final DSLContext db;
    private final MetricStore store;
    private final Clock clock = Clock.systemUTC();

    AlertRulesApi(DSLContext db, MetricStore store) {
        this.store = store;
        this.db = db;
    }

    @PostMapping("/alert-rules")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create an alert rule (admin key): metric, optional campaign_id and split_by, window, one of above, below, "
            + "change or anomaly, min_volume, pending_evaluations, no_data, repeat_interval, severity, labels, message, channels")
    ResponseEntity<ObjectNode> create(@AuthenticationPrincipal ApiCaller caller, InputStream body) throws IOException {
        AlertRules.Stored stored = new AlertRules(db, caller.workspaceId()).create(rule(body));
        return ResponseEntity.created(URI.create("/api/v1/alert-rules/" + stored.id())).body(shown(stored));
    }

    @PostMapping("/alert-rules/preview")
    @Operation(summary = "When a rule (the body, as for creating one; nothing is saved) would have fired and resolved over the last days of "
            + "the read model, judged at every step as the evaluator judges; for the metrics the read model counts")
    PreviewAnswer preview(@AuthenticationPrincipal ApiCaller caller, InputStream body,
                                @Parameter(description = "the days back from now, 1 to 30") @RequestParam(defaultValue = "30") int days) throws IOException {
        if (days < 1 || days > 30) {
            throw new IllegalArgumentException("days: from 1 to 30, not " + days);
        }
        Instant now = clock.instant();
        RulePreview.Preview preview = RulePreview.of(store, caller.workspaceId(), rule(body), now.minus(Duration.ofDays(days)), now);
        return new PreviewAnswer(preview.from(), preview.to(), preview.step().toString(), preview.evaluations(), preview.transitions().stream()
                .map(t -> new PreviewTransition(t.at(), t.labels(), t.from().wireName(), t.to().wireName(), t.value().orElse(null), t.volume()))
                .toList(), preview.firingAtTheEnd());
    }

    private static AlertRule rule(InputStream request) throws IOException {
        return AlertRuleJson.read(RequestJson.read(request));
    }

    @GetMapping("/alert-rules")
    @Operation(summary = "The workspace's alert rules, by name; webhooks' secrets shown only as set")
    Items<ObjectNode> rules(@AuthenticationPrincipal ApiCaller caller) {
        return new Items<>(new AlertRules(db, caller.workspaceId()).list().stream().map(AlertRulesApi::shown).toList());
    }

    @GetMapping("/alert-rules/{id}")
    @Operation(summary = "One alert rule of the workspace")
    ObjectNode rule(@AuthenticationPrincipal ApiCaller caller, @PathVariable UUID id) {
        return shown(new AlertRules(db, caller.workspaceId()).find(id).orElseThrow(() -> new NotInWorkspace("alert rule " + id)));
    }

    @DeleteMapping("/alert-rules/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove an alert rule with its alerts and their history (admin key)")
    void delete(@AuthenticationPrincipal ApiCaller caller, @PathVariable UUID id) {
        if (!new AlertRules(db, caller.workspaceId()).delete(id)) {
            throw new NotInWorkspace("alert rule " + id);
        }
    }

    @GetMapping("/alerts")
    @Operation(summary = "The workspace's alerts, one per rule and value of its split: firing first, then the latest changes")
    Items<AlertItem> alerts(@AuthenticationPrincipal ApiCaller caller,
                            @Parameter(description = "normal, pending, firing, resolved, nodata or error; every state when absent")
                            @RequestParam Optional<String> state) {
        Optional<AlertState> asked = state.map(s -> AlertState.of(s)
                .orElseThrow(() -> new IllegalArgumentException("state: normal, pending, firing, resolved, nodata or error, not " + s)));
        return new Items<>(new AlertRules(db, caller.workspaceId()).alerts(asked).stream()
                .map(a -> new AlertItem(a.ruleId(), a.ruleName(), a.state().wireName(), a.labels(), a.since(), a.value().orElse(null),
                        a.volume().orElse(null), a.evaluatedAt(),
                        a.acknowledgement().map(ack -> new Acknowledged(ack.by(), ack.at(), ack.comment())).orElse(null)))
                .toList());
    }

    @PostMapping("/alerts/acknowledge")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Acknowledge a firing alert with a comment (admin key): its repeats stop until its state changes; its resolution is "
            + "still told")
    void acknowledge(@AuthenticationPrincipal ApiCaller caller, InputStream body) throws IOException {
        JsonNode asked = RequestJson.read(body);
        UUID rule = RequestJson.id(asked, "rule_id");
        Map<String, String> labels = RequestJson.strings(asked, "labels");
        if (!new AlertRules(db, caller.workspaceId()).acknowledge(rule, labels, "an admin API key", RequestJson.text(asked, "comment").orElse(null),
                clock.instant())) {
            throw new NotInWorkspace("a firing alert of rule " + rule + " with labels " + labels);
        }
    }

    private static ObjectNode shown(AlertRules.Stored stored) {
        ObjectNode json = WireJson.MAPPER.createObjectNode().put("id", stored.id().toString());
        json.setAll(AlertRuleJson.forApi(stored.rule()));
        json.put("enabled", stored.enabled());
        json.put("created_at", stored.createdAt().toString());
        return json;
    }
}
