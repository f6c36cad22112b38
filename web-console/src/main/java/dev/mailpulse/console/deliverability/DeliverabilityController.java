package dev.mailpulse.console.deliverability;

import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

import dev.mailpulse.console.pages.ConsolePage;
import dev.mailpulse.console.api.Analytics;
import dev.mailpulse.console.api.Table;
import dev.mailpulse.console.pages.PageRange;
import dev.mailpulse.console.pages.WorkspacePages;
import dev.mailpulse.console.security.ConsoleUser;
import dev.mailpulse.storage.facts.BulkSenderRules;

/**
 * Deliverability by mailbox provider or recipient domain: delivery, deferral, bounce (by kind), complaint and
 * unsubscribe rates over the last days, the complaint rates drawn against the Gmail and Yahoo bulk-sender thresholds.
 */
@ConsolePage
@RequestMapping("/w/{workspace}/deliverability")
class DeliverabilityController {

    /** The ranges offered, in whole local days: a month at most (counted from the raw store). */
    static final Set<Integer> DAYS = Set.of(1, 7, 30);

    private final WorkspacePages pages;
    private final Analytics analytics;
    private final Clock clock = Clock.systemUTC();

    DeliverabilityController(WorkspacePages pages, Analytics analytics) {
        this.pages = pages;
        this.analytics = analytics;
    }

    /** What the page shows: by what, over which days. */
    record View(String by, PageRange range) {
    }

    @GetMapping
    String deliverability(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, @RequestParam(required = false) String by,
                          @RequestParam(required = false) Integer days,
                          @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate until, Model model) {
        WorkspacePages.Page page = pages.open(user, workspace);
        View view = view(page, by, days, until);
        model.addAttribute("page", page);
        model.addAttribute("view", view);
        model.addAttribute("rows", rows(page, view));
        model.addAttribute("target", BulkSenderRules.COMPLAINT_TARGET);
        model.addAttribute("limit", BulkSenderRules.COMPLAINT_LIMIT);
        return "deliverability/deliverability";
    }

    /** The same rows for the page's chart. */
    @GetMapping("/rows.json")
    @ResponseBody
    Table<Analytics.DeliverabilityRow> json(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace,
                                           @RequestParam(required = false) String by, @RequestParam(required = false) Integer days,
                                           @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate until) {
        WorkspacePages.Page page = pages.open(user, workspace);
        return rows(page, view(page, by, days, until));
    }

    private Table<Analytics.DeliverabilityRow> rows(WorkspacePages.Page page, View view) {
        return analytics.deliverability(page.workspace().id(), Optional.empty(), view.by(), view.range().from(), view.range().to());
    }

    private View view(WorkspacePages.Page page, String by, Integer days, LocalDate until) {
        return new View("recipient-domain".equals(by) ? "recipient-domain" : "mailbox-provider",
                PageRange.of(page.zone(), days, DAYS, 7, Optional.ofNullable(until), clock.instant(), ChronoUnit.MINUTES));
    }
}
