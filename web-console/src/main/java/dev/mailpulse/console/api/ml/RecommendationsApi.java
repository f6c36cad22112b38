package dev.mailpulse.console.api.ml;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.mailpulse.console.api.Conflict;
import dev.mailpulse.console.api.NotInWorkspace;
import dev.mailpulse.console.security.ApiCaller;
import dev.mailpulse.storage.ml.Recommendations;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The nightly training's optimisation suggestions, each with its evidence and expected effect, and their decisions. */
@RestController
@RequestMapping("/api/v1/ml/recommendations")
@Tag(name = "ml")
class RecommendationsApi {

    /** A suggestion as the API shows it. */
    record Item(UUID id, String kind, String subject, String title, String evidence, String expectedEffect, String status, Instant madeAt,
                Instant updatedAt, Instant decidedAt, String decidedBy) {

        static Item of(Recommendations.Recommendation r) {
            return new Item(r.id(), r.advice().kind(), r.advice().subject(), r.advice().title(), r.advice().evidence(), r.advice().expectedEffect(),
                    r.status().wireName(), r.madeAt(), r.updatedAt(), r.decidedAt().orElse(null), r.decidedBy().orElse(null));
        }
    }

    record Items(List<Item> items) {
    }

    private final DSLContext db;
    private final Clock clock = Clock.systemUTC();

    RecommendationsApi(DSLContext db) {
        this.db = db;
    }

    @GetMapping
    @Operation(summary = "The suggestions made from the nightly training (the send hour for a provider's recipients, recipients to suppress, "
            + "a provider whose complaints are rising, what the best campaign cluster does differently), each with its evidence and expected "
            + "effect: the open ones first, then the decided ones, newest decision first; a dismissed one does not come back unless its advice changes")
    Items list(@AuthenticationPrincipal ApiCaller caller,
               @Parameter(description = "open, accepted or dismissed; all if left out") @RequestParam(required = false) String status) {
        return new Items(new Recommendations(db).list(caller.workspaceId(), Optional.ofNullable(status).map(Recommendations.Status::of)).stream()
                .map(Item::of).toList());
    }

    @PostMapping("/{id}/accept")
    @Operation(summary = "Accept an open suggestion (admin key); 409 if it was decided already")
    Item accept(@AuthenticationPrincipal ApiCaller caller, @PathVariable UUID id) {
        return decide(caller, id, Recommendations.Status.ACCEPTED);
    }

    @PostMapping("/{id}/dismiss")
    @Operation(summary = "Dismiss an open suggestion (admin key): it does not come back unless its advice changes; 409 if it was decided already")
    Item dismiss(@AuthenticationPrincipal ApiCaller caller, @PathVariable UUID id) {
        return decide(caller, id, Recommendations.Status.DISMISSED);
    }

    private Item decide(ApiCaller caller, UUID id, Recommendations.Status decision) {
        Recommendations recommendations = new Recommendations(db);
        Recommendations.Recommendation found = recommendations.find(caller.workspaceId(), id)
                .orElseThrow(() -> new NotInWorkspace("recommendation " + id));
        if (!recommendations.decide(caller.workspaceId(), id, decision, "an admin API key", clock.instant())) {
            throw new Conflict("recommendation " + id + " was " + found.status().wireName() + " already");
        }
        return Item.of(recommendations.find(caller.workspaceId(), id).orElseThrow());
    }
}
