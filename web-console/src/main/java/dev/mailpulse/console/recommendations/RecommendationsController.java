package dev.mailpulse.console.recommendations;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.mailpulse.console.pages.ConsolePage;
import dev.mailpulse.console.pages.NoSuchPage;
import dev.mailpulse.console.pages.WorkspacePages;
import dev.mailpulse.console.security.ConsoleUser;
import dev.mailpulse.storage.ml.Recommendations;

/** The training's suggestions with their evidence; admins and analysts accept or dismiss the open ones. */
@ConsolePage
@RequestMapping("/w/{workspace}/recommendations")
class RecommendationsController {

    private final WorkspacePages pages;
    private final DSLContext db;

    RecommendationsController(WorkspacePages pages, DSLContext db) {
        this.pages = pages;
        this.db = db;
    }

    @GetMapping
    String list(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, Model model) {
        WorkspacePages.Page page = pages.open(user, workspace);
        model.addAttribute("page", page);
        model.addAttribute("recommendations", new Recommendations(db).list(page.workspace().id(), Optional.empty()));
        return "recommendations/recommendations";
    }

    @PostMapping("/{id}/accept")
    String accept(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, @PathVariable UUID id, RedirectAttributes redirect) {
        return decide(user, workspace, id, Recommendations.Status.ACCEPTED, redirect);
    }

    @PostMapping("/{id}/dismiss")
    String dismiss(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, @PathVariable UUID id, RedirectAttributes redirect) {
        return decide(user, workspace, id, Recommendations.Status.DISMISSED, redirect);
    }

    private String decide(ConsoleUser user, String workspace, UUID id, Recommendations.Status decision, RedirectAttributes redirect) {
        WorkspacePages.Page page = pages.open(user, workspace).requireActing("deciding on a recommendation");
        Recommendations recommendations = new Recommendations(db);
        Recommendations.Recommendation found = recommendations.find(page.workspace().id(), id)
                .orElseThrow(() -> new NoSuchPage("no recommendation " + id + " in workspace " + workspace));
        boolean decided = recommendations.decide(page.workspace().id(), id, decision, user.email(), Instant.now());
        redirect.addFlashAttribute("notice", decided ? "\u201c" + found.advice().title() + "\u201d " + decision.wireName() + "."
                : "\u201c" + found.advice().title() + "\u201d was " + found.status().wireName() + " already.");
        return "redirect:/w/" + page.workspace().name() + "/recommendations";
    }
}
