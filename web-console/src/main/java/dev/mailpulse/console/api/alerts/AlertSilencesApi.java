package dev.mailpulse.console.api.alerts;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
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
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.mailpulse.alerting.AlertSilences;
import dev.mailpulse.console.api.NotInWorkspace;
import dev.mailpulse.console.api.RequestJson;
import dev.mailpulse.console.security.ApiCaller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import tools.jackson.databind.JsonNode;

/**
 * The workspace's silences (written with an admin key): while one lasts, the notifications of the alerts whose labels
 * match all its matchers are kept, not sent.
 */
@RestController
@RequestMapping("/api/v1/alert-silences")
@Tag(name = "alerts", description = "alert rules and the alerts they raise")
class AlertSilencesApi {

    /** The silences as the API lists them. */
    record Items(List<SilenceItem> items) {
    }

    record SilenceItem(UUID id, Map<String, String> matchers, Instant startsAt, Instant endsAt, String comment, String createdBy) {

        static SilenceItem of(AlertSilences.Silence silence) {
            return new SilenceItem(silence.id(), silence.matchers(), silence.startsAt(), silence.endsAt(), silence.comment(), silence.createdBy());
        }
    }

    private final DSLContext db;
    private final Clock clock = Clock.systemUTC();

    AlertSilencesApi(DSLContext db) {
        this.db = db;
    }

    @PostMapping
    @Operation(summary = "Silence the alerts whose labels match (admin key): {\"matchers\": {\"mailbox_provider\": \"yahoo\", \"rule\": ...}, "
            + "\"starts_at\"? (default now), \"ends_at\" or \"duration\" (ISO-8601, at most 30 days), \"comment\"}; an alert's labels are its "
            + "split's value, its rule's labels, the rule's name as rule and its severity as severity")
    ResponseEntity<SilenceItem> create(@AuthenticationPrincipal ApiCaller caller, InputStream body) throws IOException {
        JsonNode asked = RequestJson.read(body);
        Instant now = clock.instant();
        Instant startsAt = RequestJson.text(asked, "starts_at").map(t -> instant("starts_at", t)).orElse(now);
        Instant endsAt = RequestJson.text(asked, "ends_at").map(t -> instant("ends_at", t))
                .or(() -> RequestJson.text(asked, "duration").map(d -> startsAt.plus(duration(d))))
                .orElseThrow(() -> new IllegalArgumentException("ends_at: required, or a duration"));
        AlertSilences.Silence silence = new AlertSilences(db, caller.workspaceId()).create(RequestJson.strings(asked, "matchers"), startsAt, endsAt,
                RequestJson.text(asked, "comment").orElse(null), "an admin API key");
        return ResponseEntity.created(URI.create("/api/v1/alert-silences/" + silence.id())).body(SilenceItem.of(silence));
    }

    @GetMapping
    @Operation(summary = "The workspace's silences that have not ended, the soonest to end first")
    Items silences(@AuthenticationPrincipal ApiCaller caller) {
        return new Items(new AlertSilences(db, caller.workspaceId()).current(clock.instant()).stream().map(SilenceItem::of).toList());
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "End a silence now (admin key); one yet to start is removed")
    void expire(@AuthenticationPrincipal ApiCaller caller, @PathVariable UUID id) {
        if (!new AlertSilences(db, caller.workspaceId()).expire(id, clock.instant())) {
            throw new NotInWorkspace("silence " + id + ", still going,");
        }
    }

    private static Instant instant(String field, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + ": an instant such as 2026-12-04T10:00:00Z, not '" + text + "'");
        }
    }

    private static Duration duration(String text) {
        Duration duration;
        try {
            duration = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("duration: an ISO-8601 duration such as PT2H, not '" + text + "'");
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(AlertSilences.LONGEST) > 0) {
            throw new IllegalArgumentException("duration: more than nothing, at most " + AlertSilences.LONGEST.toDays() + " days, not " + text);
        }
        return duration;
    }
}
