package dev.mailpulse.console.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.mailpulse.alerting.AlertNotice;
import dev.mailpulse.alerting.AlertRule;
import dev.mailpulse.alerting.AlertRules;
import dev.mailpulse.alerting.InvalidRule;
import dev.mailpulse.alerting.Metric;
import dev.mailpulse.alerting.MetricStore;
import dev.mailpulse.alerting.RulePreview;
import dev.mailpulse.console.pages.ConsolePage;
import dev.mailpulse.console.pages.WorkspacePages;
import dev.mailpulse.console.security.ConsoleUser;

/**
 * A workspace's alert rules: listed with what each watches, removed, and written in an editor that previews, before
 * saving, when the rule would have fired and resolved over the last days of the read model (admins and analysts write
 * and remove; viewers look).
 */
@ConsolePage
@RequestMapping("/w/{workspace}/alerts/rules")
class RulesController {

    private final WorkspacePages pages;
    private final DSLContext db;
    private final MetricStore store;

    RulesController(WorkspacePages pages, DSLContext db, MetricStore store) {
        this.pages = pages;
        this.db = db;
        this.store = store;
    }

    @GetMapping
    String rules(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, Model model) {
        model.addAttribute("days", 30);
        return page(pages.open(user, workspace), RuleForm.blank(), model);
    }

    /** Previews the rule as filled in over the last days, saving nothing. */
    @PostMapping("/preview")
    String preview(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, @ModelAttribute RuleForm form,
                   @RequestParam(defaultValue = "30") int days, Model model) {
        WorkspacePages.Page page = pages.open(user, workspace).requireActing("Previewing a rule");
        model.addAttribute("days", days);
        try {
            AlertRule rule = form.rule(user.email());
            Instant now = Instant.now();
            RulePreview.Preview preview = RulePreview.of(store, page.workspace().id(), rule,
                    now.minus(Duration.ofDays(Math.min(Math.max(days, 1), RulePreview.LONGEST.toDays() - 1))), now);
            model.addAttribute("preview", preview);
            model.addAttribute("timeline", PreviewTimeline.of(preview));
            model.addAttribute("values", preview.transitions().stream().map(t -> AlertNotice.formatted(rule, t.value())).toList());
        } catch (InvalidRule invalid) {
            model.addAttribute("problem", "Not previewed: " + invalid.getMessage());
        }
        return page(page, form, model);
    }

    @PostMapping
    String save(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, @ModelAttribute RuleForm form, Model model,
                RedirectAttributes redirect) {
        WorkspacePages.Page page = pages.open(user, workspace).requireActing("Writing a rule");
        model.addAttribute("days", 30);
        try {
            AlertRule rule = new AlertRules(db, page.workspace().id()).create(form.rule(user.email())).rule();
            redirect.addFlashAttribute("notice", "Saved: " + rule.name() + ". The evaluator judges it from now on.");
            return "redirect:/w/" + page.workspace().name() + "/alerts/rules";
        } catch (InvalidRule invalid) {
            model.addAttribute("problem", "Not saved: " + invalid.getMessage());
            return page(page, form, model);
        }
    }

    @PostMapping("/{id}/delete")
    String delete(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, @PathVariable UUID id, RedirectAttributes redirect) {
        WorkspacePages.Page page = pages.open(user, workspace).requireActing("Removing a rule");
        boolean removed = new AlertRules(db, page.workspace().id()).delete(id);
        redirect.addFlashAttribute(removed ? "notice" : "problem", removed ? "The rule is removed, with its alerts and history." : "No such rule.");
        return "redirect:/w/" + page.workspace().name() + "/alerts/rules";
    }

    private String page(WorkspacePages.Page page, RuleForm form, Model model) {
        model.addAttribute("page", page);
        model.addAttribute("form", form);
        model.addAttribute("rules", new AlertRules(db, page.workspace().id()).list().stream().map(r -> new RuleRow(r, condition(r.rule()))).toList());
        model.addAttribute("metrics", Arrays.asList(Metric.values()));
        model.addAttribute("splits", Arrays.asList(Metric.Split.values()));
        model.addAttribute("acts", page.acts());
        return "alerts/rules";
    }

    /** A rule as the list shows it, its condition as people read it. */
    record RuleRow(AlertRules.Stored stored, String condition) {
    }

    private static String condition(AlertRule rule) {
        if (rule.condition() instanceof AlertRule.Threshold t) {
            return (t.direction() == AlertRule.Direction.ABOVE ? "above " : "below ") + AlertNotice.formatted(rule, Optional.of(t.value()))
                    + (t.recoverAt() == t.value() ? "" : ", recovers at " + AlertNotice.formatted(rule, Optional.of(t.recoverAt())));
        }
        if (rule.condition() instanceof AlertRule.Change c) {
            return String.format(java.util.Locale.ROOT, "a %s of %s%% against the %s", c.direction() == AlertRule.Direction.ABOVE ? "rise" : "fall",
                    java.math.BigDecimal.valueOf(c.by() * 100).stripTrailingZeros().toPlainString(), c.against().wireName().replace('_', ' '));
        }
        AlertRule.Anomaly a = (AlertRule.Anomaly) rule.condition();
        return "an anomaly " + (a.direction() == AlertRule.Direction.ABOVE ? "above" : "below") + " " + a.deviations()
                + " robust deviations of the " + a.baselineWindows() + " windows before";
    }
}
