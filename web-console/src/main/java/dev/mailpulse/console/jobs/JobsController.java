package dev.mailpulse.console.jobs;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.mailpulse.console.pages.ConsolePage;
import dev.mailpulse.console.pages.NoSuchPage;
import dev.mailpulse.console.pages.WorkspacePages;
import dev.mailpulse.console.security.ConsoleUser;
import dev.mailpulse.schedule.NightlySchedules;
import dev.mailpulse.schedule.TaskSchedules;
import dev.mailpulse.storage.facts.EtlRuns;
import dev.mailpulse.storage.ml.TrainingRuns;

/**
 * The nightly jobs of a workspace: when they run next, the daily ETL's runs with this workspace's days and the model
 * training's with what it did for this workspace (a running one's progress refreshed in place), and for admins, the
 * daily ETL or the training run now for this workspace, or a failed ETL run restarted. A launch goes through the
 * scheduler, so that whichever console instance takes it, it runs once.
 */
@ConsolePage
@RequestMapping("/w/{workspace}/jobs")
class JobsController {

    /** The runs listed: the newest. */
    static final int RUNS = 20;
    /** The longest range of days one run may be asked for (the ETL's own limit). */
    static final int MOST_DAYS = 400;
    /** How long after a launch the page looks for its run every 2 s (the task's process takes seconds to start). */
    static final Duration JUST_LAUNCHED = Duration.ofMinutes(1);

    private final WorkspacePages pages;
    private final EtlRuns runs;
    private final TrainingRuns trainings;
    private final ObjectProvider<TaskSchedules> schedules;
    private final ObjectProvider<NightlySchedules> nightly;

    JobsController(WorkspacePages pages, EtlRuns runs, TrainingRuns trainings, ObjectProvider<TaskSchedules> schedules,
                   ObjectProvider<NightlySchedules> nightly) {
        this.pages = pages;
        this.runs = runs;
        this.trainings = trainings;
        this.schedules = schedules;
        this.nightly = nightly;
    }

    @GetMapping
    String jobs(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, Model model) throws Exception {
        WorkspacePages.Page page = pages.open(user, workspace);
        model.addAttribute("page", page);
        model.addAttribute("planned", planned(page));
        model.addAttribute("scheduling", schedules.getIfAvailable() != null);
        Long launchedAt = (Long) model.getAttribute("launchedAt");
        runs(page, Optional.ofNullable(launchedAt), model);
        return "jobs/jobs";
    }

    /**
     * The runs alone, which the page fetches again: every 2 s while one is running or one was just launched from it
     * ({@code launched}, the moment in epoch milliseconds), else every 30 s.
     */
    @GetMapping("/runs")
    String runs(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, @RequestParam(required = false) Long launched,
                Model model) {
        WorkspacePages.Page page = pages.open(user, workspace);
        model.addAttribute("page", page);
        runs(page, Optional.ofNullable(launched), model);
        return "jobs/jobs :: runs";
    }

    @PostMapping("/etl")
    String runNow(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace,
                  @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                  @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
                  RedirectAttributes redirect) throws Exception {
        WorkspacePages.Page page = pages.open(user, workspace).requireAdmin("running the daily ETL");
        List<String> arguments = new ArrayList<>();
        if (from != null || to != null) {
            LocalDate first = from != null ? from : to;
            LocalDate last = to != null ? to : from;
            if (last.isBefore(first)) {
                throw new IllegalArgumentException("to: " + last + " is before from " + first);
            }
            if (first.plusDays(MOST_DAYS).isBefore(last)) {
                throw new IllegalArgumentException("from, to: at most " + MOST_DAYS + " days a run");
            }
            arguments.addAll(List.of("--from", first.toString(), "--to", last.toString()));
        }
        arguments.addAll(List.of("--workspace", page.workspace().name()));
        return launch(page, NightlySchedules.DAILY_ETL, arguments, "run by " + user.email(), redirect);
    }

    @PostMapping("/ml-train")
    String trainNow(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, RedirectAttributes redirect) throws Exception {
        WorkspacePages.Page page = pages.open(user, workspace).requireAdmin("running the model training");
        return launch(page, NightlySchedules.ML_TRAIN, List.of("--workspace", page.workspace().name()), "run by " + user.email(), redirect);
    }

    @PostMapping("/etl/{executionId}/restart")
    String restart(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, @PathVariable long executionId,
                   RedirectAttributes redirect) throws Exception {
        WorkspacePages.Page page = pages.open(user, workspace).requireAdmin("restarting the daily ETL");
        EtlRuns.Run run = runs.find(page.workspace().id(), page.workspace().name(), executionId)
                .filter(found -> found.workspace().isPresent() && found.status().equals("FAILED"))
                .orElseThrow(() -> new NoSuchPage("no failed run " + executionId + " of workspace " + workspace));
        return launch(page, NightlySchedules.DAILY_ETL, run.arguments(), "run " + executionId + " restarted by " + user.email(), redirect);
    }

    private String launch(WorkspacePages.Page page, String task, List<String> arguments, String why, RedirectAttributes redirect) throws Exception {
        TaskSchedules scheduler = schedules.getIfAvailable();
        if (scheduler == null) {
            throw new NoSuchPage("this console does not launch tasks (mailpulse.schedule.enabled is false)");
        }
        Instant now = Instant.now();
        scheduler.once(task, arguments, now, why);
        redirect.addFlashAttribute("launched", (task.equals(NightlySchedules.DAILY_ETL) ? "The daily ETL" : "The model training") + " ("
                + String.join(" ", arguments) + ") is on its way: its run appears below.");
        redirect.addFlashAttribute("launchedAt", now.toEpochMilli());
        return "redirect:/w/" + page.workspace().name() + "/jobs";
    }

    private void runs(WorkspacePages.Page page, Optional<Long> launchedAt, Model model) {
        List<EtlRuns.Run> recent = runs.recent(page.workspace().id(), page.workspace().name(), RUNS);
        List<TrainingRuns.Run> trained = trainings.recent(page.workspace().name(), page.workspace().timeZone(), RUNS);
        boolean justLaunched = launchedAt.filter(at -> System.currentTimeMillis() - at < JUST_LAUNCHED.toMillis()).isPresent();
        boolean running = recent.stream().anyMatch(EtlRuns.Run::running) || trained.stream().anyMatch(TrainingRuns.Run::running);
        model.addAttribute("runs", recent);
        model.addAttribute("trainings", trained);
        model.addAttribute("running", running);
        model.addAttribute("poll", running || justLaunched ? "every 2s" : "every 30s");
        model.addAttribute("launchedAt", justLaunched ? launchedAt.get() : null);
    }

    /**
     * The nightly schedule of this workspace's zone (launches asked by other workspaces' users are theirs); a zone
     * new since the schedules were last brought up to date is scheduled now.
     */
    private List<TaskSchedules.Planned> planned(WorkspacePages.Page page) throws Exception {
        TaskSchedules scheduler = schedules.getIfAvailable();
        if (scheduler == null) {
            return List.of();
        }
        List<TaskSchedules.Planned> planned = nightlyOf(scheduler, page);
        if (planned.isEmpty()) {
            nightly.ifAvailable(NightlySchedules::sync);
            planned = nightlyOf(scheduler, page);
        }
        return planned;
    }

    private static List<TaskSchedules.Planned> nightlyOf(TaskSchedules scheduler, WorkspacePages.Page page) throws Exception {
        return scheduler.planned().stream().filter(p -> p.trigger().contains(" nightly at ") && p.trigger().endsWith(" " + page.zone().getId()))
                .toList();
    }
}
