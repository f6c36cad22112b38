package dev.mailpulse.console.models;

import org.jooq.DSLContext;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

import dev.mailpulse.console.pages.ConsolePage;
import dev.mailpulse.console.pages.WorkspacePages;
import dev.mailpulse.console.security.ConsoleUser;

/** The nightly training's models against their baselines, the recipients' scores and the running campaigns' forecasts. */
@ConsolePage
class ModelsPageController {

    private final WorkspacePages pages;
    private final DSLContext db;

    ModelsPageController(WorkspacePages pages, DSLContext db) {
        this.pages = pages;
        this.db = db;
    }

    @GetMapping("/w/{workspace}/models")
    String models(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, Model model) {
        WorkspacePages.Page page = pages.open(user, workspace);
        model.addAttribute("page", page);
        model.addAttribute("models", ModelsView.of(db, page.workspace().id()));
        return "models/models";
    }
}
