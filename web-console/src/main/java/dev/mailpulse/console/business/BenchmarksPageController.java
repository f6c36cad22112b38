package dev.mailpulse.console.business;

import java.time.Clock;
import java.time.LocalDate;

import org.jooq.DSLContext;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

import dev.mailpulse.console.pages.ConsolePage;
import dev.mailpulse.console.pages.WorkspacePages;
import dev.mailpulse.console.security.ConsoleUser;
import dev.mailpulse.storage.facts.Benchmarks;
import dev.mailpulse.storage.workspace.Workspaces;

/** The workspace's KPIs against its industry's, and its trends: what the nightly ETL benchmarks, as the API serves it. */
@ConsolePage
class BenchmarksPageController {

    private final WorkspacePages pages;
    private final DSLContext db;
    private final Clock clock = Clock.systemUTC();

    BenchmarksPageController(WorkspacePages pages, DSLContext db) {
        this.pages = pages;
        this.db = db;
    }

    @GetMapping("/w/{workspace}/benchmarks")
    String benchmarks(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, @RequestParam(required = false) String trend,
                      Model model) {
        WorkspacePages.Page page = pages.open(user, workspace);
        model.addAttribute("page", page);
        model.addAttribute("settings", new Workspaces(db).businessSettings(page.workspace().id()));
        model.addAttribute("minimumWorkspaces", Benchmarks.MIN_WORKSPACES);
        model.addAttribute("business", BusinessView.ofWorkspace(db, page.workspace().id(), BusinessView.trendKpi(trend),
                LocalDate.ofInstant(clock.instant(), page.zone())));
        return "business/benchmarks";
    }
}
