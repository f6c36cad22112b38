package dev.mailpulse.traffic;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;

import dev.mailpulse.storage.workspace.KeyScope;
import dev.mailpulse.storage.workspace.WebhookCredential;
import dev.mailpulse.storage.workspace.Workspaces;

/**
 * A run of the traffic generator against a collector: a simulated sending business's events through the API and, for
 * a share of them, the providers' signed webhooks, and the ground truth of what was sent and what the read model must
 * therefore hold.
 *
 * <p>The run sends to the workspaces {@code traffic-1..N}, made by the first run and reused by the next ones so that
 * their history accumulates as a real business's does: each run sends campaigns of its own ({@code campaign-RUN-W-C}),
 * and the events of no campaign (user and infrastructure events) add to what the read model held before the run, which
 * the truth includes. A run with {@code newWorkspaces} sends to workspaces of its own instead ({@code traffic-RUN-1..N}).
 *
 * <p>With a {@link History}, the run first back-fills that many days through the history import at full speed, the
 * same campaigns' earlier days, before its live part. The workspaces the run makes have different time zones
 * ({@link #ZONES}, in turn), whose local days the truth of the daily ETL counts in.
 *
 * @param webhookPercent the share (0 to 100) of deliveries, opens and clicks sent through the Mailgun and SendGrid webhooks
 * @param complaintBurst  a mailbox provider at which {@link #BURST_SHARE} of the deliveries of the live part's first
 *                        {@link #BURST} are complained about (the complaint-burst scenario, for alerts)
 */
public record TrafficRun(URI collector, int eventsPerSecond, Duration duration, long seed, int workspaceCount, int webhookPercent,
                         int connections, boolean newWorkspaces, Optional<History> history, Optional<String> complaintBurst) {

    /** How long a complaint burst lasts, from the live part's start, and the share of deliveries complained about. */
    public static final Duration BURST = Duration.ofMinutes(1);
    public static final double BURST_SHARE = 0.05;

    /** How long each of a workspace's campaigns sends before the next one takes its slot. */
    public static final Duration CAMPAIGN_LIFE = Duration.ofDays(1);

    /** The names of the generator's workspaces start with this. */
    public static final String WORKSPACE_PREFIX = "traffic-";

    /** The time zones of the workspaces a run makes, in turn: summer time north and south, and a zone of +05:45. */
    public static final List<String> ZONES = List.of("Europe/Paris", "America/New_York", "Asia/Kathmandu", "Australia/Sydney", "UTC");

    /**
     * Days of history to back-fill before the live part.
     *
     * @param days         how many days
     * @param start        the first day (UTC); empty for the {@code days} days before now, today's part up to now
     * @param eventsPerDay events each day, every workspace together
     */
    public record History(int days, Optional<LocalDate> start, int eventsPerDay) {

        public History {
            if (days < 1 || eventsPerDay < 1) {
                throw new IllegalArgumentException("history: at least one day and one event a day");
            }
        }

        /** The range back-filled, ending at {@code now} at the latest. */
        Instant from(Instant now) {
            return start.map(day -> day.atStartOfDay(ZoneOffset.UTC).toInstant())
                    .orElse(now.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(days)));
        }

        Instant to(Instant now) {
            Instant end = start.map(day -> day.plusDays(days).atStartOfDay(ZoneOffset.UTC).toInstant()).orElse(now);
            return (end.isAfter(now) ? now : end).truncatedTo(ChronoUnit.MINUTES);
        }
    }

    public GroundTruth run(Workspaces workspaces, DSLContext db, PrintStream progress) throws InterruptedException {
        String run = Long.toString(Instant.now().getEpochSecond(), 36);
        List<String> keys = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        List<ProviderWebhooks.Credentials> credentials = new ArrayList<>();
        List<GroundTruth.Workspace> names = new ArrayList<>();
        List<ZoneId> zones = new ArrayList<>();
        for (int i = 1; i <= workspaceCount; i++) {
            String name = WORKSPACE_PREFIX + (newWorkspaces ? run + "-" : "") + i;
            Optional<Workspaces.Workspace> existing = workspaces.find(name);
            Workspaces.Workspace workspace;
            if (existing.isPresent()) {
                workspace = existing.get();
                keys.add(workspaces.issueKey(name, "traffic generator run " + run, KeyScope.INGEST).key());
            } else {
                Workspaces.Created created = workspaces.create(name, ZONES.get((i - 1) % ZONES.size()), false);
                workspace = created.workspace();
                keys.add(created.key().key());
            }
            ProviderWebhooks.Credentials signing = ProviderWebhooks.Credentials.generate();
            for (WebhookCredential credential : signing.toStore()) {
                workspaces.setWebhookCredential(name, credential);
            }
            ids.add(workspace.id());
            zones.add(ZoneId.of(workspace.timeZone()));
            credentials.add(signing);
            names.add(new GroundTruth.Workspace(name, workspace.id()));
        }
        // What the events of no campaign add to: the read model's counts of the hours this run's events may fall in.
        Instant started = Instant.now();
        Instant earliest = history.map(h -> h.from(started)).orElse(started).minus(Simulation.LATEST);
        Map<GroundTruth.Key, Long> before = GroundTruthCheck.countsOfNoCampaign(db, ids, earliest, started.plus(duration).plus(Duration.ofHours(1)));
        String campaigns = "campaign-" + run;
        List<Simulation> simulations = new ArrayList<>();
        Structure structure = new Structure(seed);
        long historySent = 0;
        if (history.isPresent()) {
            Simulation past = new Simulation(seed ^ HISTORY_SEED, zones, 4, campaigns).with(structure).rotating(CAMPAIGN_LIFE);
            historySent = backFill(history.get(), past, workspaces, names, started, progress);
            simulations.add(past);
        }
        progress.printf("Sending about %,d events/s for %d s to %s (seed %d, %d workspaces) ...%n", eventsPerSecond, duration.toSeconds(),
                collector, seed, workspaceCount);
        Simulation simulation = new Simulation(seed, zones, 4, campaigns).with(structure).rotating(CAMPAIGN_LIFE);
        if (complaintBurst.isPresent()) {
            Instant live = Instant.now();
            simulation.with(new Simulation.ComplaintBurst(complaintBurst.get(), live, live.plus(BURST), BURST_SHARE));
            progress.printf("A complaint burst at %s: %.0f%% of its deliveries complained about until %s, then the usual share%n",
                    complaintBurst.get(), BURST_SHARE * 100, live.plus(BURST).truncatedTo(ChronoUnit.SECONDS));
        }
        simulations.add(simulation);
        Optional<ProviderWebhooks> webhooks = webhookPercent == 0 ? Optional.empty()
                : Optional.of(new ProviderWebhooks(collector, ids, credentials, webhookPercent));
        TrafficGenerator.Sent sent = new TrafficGenerator(collector, keys, webhooks, connections, Duration.ofMinutes(5), progress)
                .run(simulation, eventsPerSecond, duration);
        GroundTruth truth = GroundTruth.of(seed, names, simulations, historySent + sent.events(), sent.throughWebhooks(), before, Instant.now());
        progress.printf("Sent %,d events (%,d through the providers' webhooks, %,d invalid, %,d duplicates); the collector accepted %,d. "
                + "%,d distinct valid events expected%n", sent.events(), sent.throughWebhooks(), simulation.invalid(), simulation.duplicates(),
                sent.accepted(), truth.expectedEvents());
        return truth;
    }

    /** Mixed into the seed of the history's simulation, so that it is not the live part's over again. */
    private static final long HISTORY_SEED = 0x5eed_4157_0e1dL;

    /**
     * The history through the import, minute by simulated minute, each workspace with an admin key of its own made
     * for the back-fill and revoked after it.
     *
     * @return the events sent
     */
    private long backFill(History history, Simulation past, Workspaces workspaces, List<GroundTruth.Workspace> names, Instant now,
                          PrintStream progress) throws InterruptedException {
        Instant from = history.from(now);
        Instant to = history.to(now);
        progress.printf("Back-filling %s to %s through the history import, %,d events a day ...%n", from, to, history.eventsPerDay());
        List<Workspaces.IssuedKey> keys = new ArrayList<>();
        List<HistoryImport> imports = new ArrayList<>();
        for (GroundTruth.Workspace workspace : names) {
            Workspaces.IssuedKey key = workspaces.issueKey(workspace.name(), "traffic generator history", KeyScope.ADMIN);
            keys.add(key);
            imports.add(new HistoryImport(collector, key.key(), Math.max(1, connections / names.size()), Duration.ofMinutes(5)));
        }
        long sent = 0;
        try {
            long minutes = Duration.between(from, to).toMinutes();
            for (long minute = 0; minute < minutes; minute++) {
                int due = (int) (history.eventsPerDay() * (minute + 1) / 1440 - history.eventsPerDay() * minute / 1440);
                if (due > 0) {
                    for (Simulation.Outgoing outgoing : past.next(due, from.plus(Duration.ofMinutes(minute)))) {
                        imports.get(outgoing.workspace()).add(outgoing.event().toString());
                        sent++;
                    }
                }
                if ((minute + 1) % 1440 == 0) {
                    progress.printf("  history: %s done, %,d events sent%n", from.plus(Duration.ofMinutes(minute + 1)), sent);
                }
            }
            for (Simulation.Outgoing outgoing : past.drain(Instant.now())) {
                imports.get(outgoing.workspace()).add(outgoing.event().toString());
                sent++;
            }
            long accepted = 0;
            for (HistoryImport running : imports) {
                accepted += running.finish().accepted();
            }
            progress.printf("History: sent %,d events (%,d invalid, %,d duplicates); the collector accepted %,d%n", sent, past.invalid(),
                    past.duplicates(), accepted);
            return sent;
        } finally {
            for (int i = 0; i < names.size(); i++) {
                workspaces.revokeKey(names.get(i).name(), keys.get(i).displayPrefix());
            }
        }
    }
}
