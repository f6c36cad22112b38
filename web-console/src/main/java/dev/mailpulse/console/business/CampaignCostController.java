package dev.mailpulse.console.business;

import java.math.BigDecimal;
import java.time.Clock;

import org.jooq.DSLContext;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

import dev.mailpulse.console.api.NotInWorkspace;
import dev.mailpulse.console.pages.ConsolePage;
import dev.mailpulse.console.pages.WorkspacePages;
import dev.mailpulse.console.security.ConsoleUser;
import dev.mailpulse.storage.facts.Revenue;
import dev.mailpulse.storage.readmodel.ReadModel;

/** An admin sets a campaign's cost on its page; its ROI follows at once (the cost wins over its campaign.create's). */
@ConsolePage
class CampaignCostController {

    private final WorkspacePages pages;
    private final DSLContext db;
    private final Clock clock = Clock.systemUTC();

    CampaignCostController(WorkspacePages pages, DSLContext db) {
        this.pages = pages;
        this.db = db;
    }

    @PostMapping("/w/{workspace}/campaigns/{campaignId}/cost")
    String setCost(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, @PathVariable String campaignId,
                   @RequestParam String amount, @RequestParam String currency, RedirectAttributes redirect) {
        WorkspacePages.Page page = pages.open(user, workspace).requireAdmin("Setting a campaign's cost");
        String back = "redirect:" + UriComponentsBuilder.fromPath("/w/{w}/campaigns/{c}").fragment("revenue")
                .buildAndExpand(page.workspace().name(), campaignId).encode().toUriString();
        if (!new ReadModel(db, page.workspace().id()).hasCampaign(campaignId)) {
            throw new NotInWorkspace("campaign " + campaignId);
        }
        try {
            BigDecimal cost = new BigDecimal(amount.strip());
            new Revenue(db, page.workspace().id()).setCost(campaignId, cost, currency.strip(), user.email(), clock.instant());
            redirect.addFlashAttribute("notice", "Cost set: " + cost.toPlainString() + " " + currency.strip() + ".");
        } catch (NumberFormatException e) {
            redirect.addFlashAttribute("problem", "Not set: amount: a number, like 1250.00");
        } catch (IllegalArgumentException e) {
            redirect.addFlashAttribute("problem", "Not set: " + e.getMessage());
        }
        return back;
    }
}
