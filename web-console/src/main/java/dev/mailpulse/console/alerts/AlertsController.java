package dev.mailpulse.console.alerts;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jooq.DSLContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.mailpulse.alerting.AlertNotice;
import dev.mailpulse.alerting.AlertPreset;
import dev.mailpulse.alerting.AlertRule;
import dev.mailpulse.alerting.AlertRules;
import dev.mailpulse.alerting.AlertSilences;
import dev.mailpulse.alerting.AlertState;
import dev.mailpulse.alerting.InvalidRule;
import dev.mailpulse.console.api.RequestJson;
import dev.mailpulse.console.pages.ConsolePage;
import dev.mailpulse.console.pages.NoSuchPage;
import dev.mailpulse.console.pages.WorkspacePages;
import dev.mailpulse.console.security.ConsoleUser;
import dev.mailpulse.core.json.WireJson;
import tools.jackson.databind.node.ArrayNode;

/**
 * A workspace's alerts: its instances that are not normal (firing first), the latest transitions with what became of
 * their notifications (a failed one with its reason), the e-mails the local SMTP sink caught, the presets an admin
 * switches on in one click; and the badge of firing alerts that every page's header fetches again every few seconds.
 */
@ConsolePage
@RequestMapping("/w/{workspace}/alerts")
class AlertsController {

    /** The transitions listed: the newest. */
    static final int HISTORY = 50;
    static final int MAILS = 20;

    private final WorkspacePages pages;
    private final DSLContext db;
    private final ObjectProvider<LocalSmtpSink> sink;

    AlertsController(WorkspacePages pages, DSLContext db, ObjectProvider<LocalSmtpSink> sink) {
        this.pages = pages;
        this.db = db;
        this.sink = sink;
    }

    @GetMapping
    String alerts(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, Model model) {
        WorkspacePages.Page page = pages.open(user, workspace);
        AlertRules rules = new AlertRules(db, page.workspace().id());
        model.addAttribute("page", page);
        List<AlertRules.Stored> stored = rules.list();
        Map<UUID, AlertRule> byId = stored.stream().collect(Collectors.toMap(AlertRules.Stored::id, AlertRules.Stored::rule));
        // a rule removed meanwhile takes its alerts and history with it
        model.addAttribute("alerts", rules.alerts(Optional.empty()).stream().filter(a -> a.state() != AlertState.NORMAL && byId.containsKey(a.ruleId()))
                .map(a -> new AlertRow(a, AlertNotice.formatted(byId.get(a.ruleId()), a.value()))).toList());
        model.addAttribute("history", rules.history(HISTORY).stream().filter(h -> byId.containsKey(h.ruleId())).map(h -> new HistoryRow(h,
                AlertNotice.formatted(byId.get(h.ruleId()), h.transition().value()), notifications(byId.get(h.ruleId()), h))).toList());
        Set<String> names = byId.values().stream().map(AlertRule::name).collect(Collectors.toSet());
        model.addAttribute("presets", Arrays.stream(AlertPreset.values()).map(p -> new Preset(p, names.containsAll(p.ruleNames()))).toList());
        model.addAttribute("silences", new AlertSilences(db, page.workspace().id()).current(Instant.now()));
        model.addAttribute("acts", page.acts());
        LocalSmtpSink mails = sink.getIfAvailable();
        model.addAttribute("sink", mails != null);
        model.addAttribute("mails", mails == null ? List.of() : mails.caught(page.workspace().id(), MAILS));
        return "alerts/alerts";
    }

    /** An alert as the page shows it: its value as people read it, its labels as its acknowledgement's form sends them back. */
    record AlertRow(AlertRules.Alert alert, String value) {

        public String labelsJson() {
            return WireJson.MAPPER.writeValueAsString(new java.util.TreeMap<>(alert.labels()));
        }
    }

    /** A transition as the page shows it: its value as people read it, and each notification's channel and fate. */
    record HistoryRow(AlertRules.History history, String value, List<String> notifications) {
    }

    /** A preset as the page offers it: switched on when the workspace has its rules. */
    record Preset(AlertPreset preset, boolean on) {
    }

    /**
     * Switches a preset on (admins): its rules, told by e-mail to the address given (by default the admin's own) and,
     * if a URL is given, by signed webhook; a rule of the preset the workspace has already is kept as it is.
     */
    @PostMapping("/presets/{preset}")
    String switchOn(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, @PathVariable String preset,
                    @RequestParam(required = false) String email, @RequestParam(required = false) String webhookUrl,
                    @RequestParam(required = false) String webhookSecret, RedirectAttributes redirect) {
        WorkspacePages.Page page = pages.open(user, workspace).requireAdmin("Switching a preset on");
        AlertPreset chosen = AlertPreset.of(preset).orElseThrow(() -> new NoSuchPage("no preset " + preset));
        ArrayNode channels = WireJson.MAPPER.createArrayNode();
        channels.addObject().put("type", "email").put("to", email == null || email.isBlank() ? user.email() : email.strip());
        if (webhookUrl != null && !webhookUrl.isBlank()) {
            channels.addObject().put("type", "webhook").put("url", webhookUrl.strip()).put("secret", webhookSecret == null ? "" : webhookSecret);
        }
        AlertRules rules = new AlertRules(db, page.workspace().id());
        Set<String> existing = rules.list().stream().map(r -> r.rule().name()).collect(Collectors.toSet());
        try {
            chosen.rules(channels).stream().filter(rule -> !existing.contains(rule.name())).forEach(rules::create);
            redirect.addFlashAttribute("notice", chosen.title() + " is on.");
        } catch (InvalidRule invalid) {
            redirect.addFlashAttribute("problem", chosen.title() + " was not switched on: " + invalid.getMessage());
        }
        return "redirect:/w/" + page.workspace().name() + "/alerts";
    }

    /** Acknowledges a firing alert with a comment (admins and analysts): its repeats stop until its state changes. */
    @PostMapping("/acknowledge")
    String acknowledge(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, @RequestParam UUID rule,
                       @RequestParam String labels, @RequestParam(required = false) String comment, RedirectAttributes redirect) {
        WorkspacePages.Page page = pages.open(user, workspace).requireActing("Acknowledging an alert");
        Map<String, String> instance = RequestJson.strings(labels, "labels");
        try {
            boolean done = new AlertRules(db, page.workspace().id()).acknowledge(rule, instance, user.email(), comment, Instant.now());
            redirect.addFlashAttribute(done ? "notice" : "problem", done ? "Acknowledged: it is not told again until its state changes."
                    : "That alert is no longer firing.");
        } catch (InvalidRule invalid) {
            redirect.addFlashAttribute("problem", "Not acknowledged: " + invalid.getMessage());
        }
        return "redirect:/w/" + page.workspace().name() + "/alerts";
    }

    /**
     * Silences the alerts whose labels match (admins and analysts) for some hours: matchers written
     * {@code label=value, label=value}.
     */
    @PostMapping("/silences")
    String silence(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, @RequestParam String matchers,
                   @RequestParam int hours, @RequestParam(required = false) String comment, RedirectAttributes redirect) {
        WorkspacePages.Page page = pages.open(user, workspace).requireActing("Silencing alerts");
        Map<String, String> matching = new java.util.TreeMap<>();
        for (String matcher : matchers.split(",")) {
            String[] pair = matcher.split("=", 2);
            if (pair.length != 2) {
                redirect.addFlashAttribute("problem", "Not silenced: matchers are written label=value, label=value");
                return "redirect:/w/" + page.workspace().name() + "/alerts";
            }
            matching.put(pair[0].strip(), pair[1].strip());
        }
        try {
            Instant now = Instant.now();
            new AlertSilences(db, page.workspace().id()).create(matching, now, now.plus(java.time.Duration.ofHours(Math.max(hours, 0))), comment,
                    user.email());
            redirect.addFlashAttribute("notice", "Silenced for " + (hours == 1 ? "an hour" : hours + " hours") + ": " + matching);
        } catch (InvalidRule invalid) {
            redirect.addFlashAttribute("problem", "Not silenced: " + invalid.getMessage());
        }
        return "redirect:/w/" + page.workspace().name() + "/alerts";
    }

    /** Ends a silence now (admins and analysts). */
    @PostMapping("/silences/{id}/end")
    String endSilence(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, @PathVariable UUID id, RedirectAttributes redirect) {
        WorkspacePages.Page page = pages.open(user, workspace).requireActing("Ending a silence");
        new AlertSilences(db, page.workspace().id()).expire(id, Instant.now());
        redirect.addFlashAttribute("notice", "The silence has ended.");
        return "redirect:/w/" + page.workspace().name() + "/alerts";
    }

    /** Switches a preset off (admins): its rules removed, with their alerts and history. */
    @PostMapping("/presets/{preset}/off")
    String switchOff(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, @PathVariable String preset,
                     RedirectAttributes redirect) {
        WorkspacePages.Page page = pages.open(user, workspace).requireAdmin("Switching a preset off");
        AlertPreset chosen = AlertPreset.of(preset).orElseThrow(() -> new NoSuchPage("no preset " + preset));
        AlertRules rules = new AlertRules(db, page.workspace().id());
        rules.list().stream().filter(r -> chosen.ruleNames().contains(r.rule().name())).forEach(r -> rules.delete(r.id()));
        redirect.addFlashAttribute("notice", chosen.title() + " is off.");
        return "redirect:/w/" + page.workspace().name() + "/alerts";
    }

    /** Each notification of a transition: where it went (a webhook by its host: its path may hold a token), its state, why it failed. */
    private static List<String> notifications(AlertRule rule, AlertRules.History history) {
        return history.notifications().stream().map(n -> {
            String channel = n.channel() >= rule.channels().size() ? "a removed channel"
                    : rule.channels().get(n.channel()) instanceof AlertRule.Webhook webhook ? "webhook to " + webhook.url().getHost()
                    : "e-mail to " + ((AlertRule.Email) rule.channels().get(n.channel())).to();
            return channel + ": " + n.state() + (n.attempts() > 1 ? " after " + n.attempts() + " attempts" : "")
                    + n.lastError().map(e -> " (" + e + ")").orElse("");
        }).toList();
    }

    @GetMapping("/badge")
    String badge(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, Model model) {
        WorkspacePages.Page page = pages.open(user, workspace);
        model.addAttribute("page", page);
        model.addAttribute("firing", new AlertRules(db, page.workspace().id()).alerts(Optional.of(AlertState.FIRING)).size());
        return "alerts/alerts :: badge";
    }
}
