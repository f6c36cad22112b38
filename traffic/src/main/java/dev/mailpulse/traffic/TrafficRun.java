package dev.mailpulse.traffic;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
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
 * @param webhookPercent the share (0 to 100) of deliveries, opens and clicks sent through the Mailgun and SendGrid webhooks
 */
public record TrafficRun(URI collector, int eventsPerSecond, Duration duration, long seed, int workspaceCount, int webhookPercent,
                         int connections, boolean newWorkspaces) {

    /** The names of the generator's workspaces start with this. */
    public static final String WORKSPACE_PREFIX = "traffic-";

    public GroundTruth run(Workspaces workspaces, DSLContext db, PrintStream progress) throws InterruptedException {
        String run = Long.toString(Instant.now().getEpochSecond(), 36);
        List<String> keys = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        List<ProviderWebhooks.Credentials> credentials = new ArrayList<>();
        List<GroundTruth.Workspace> names = new ArrayList<>();
        for (int i = 1; i <= workspaceCount; i++) {
            String name = WORKSPACE_PREFIX + (newWorkspaces ? run + "-" : "") + i;
            Optional<Workspaces.Workspace> existing = workspaces.find(name);
            Workspaces.Workspace workspace;
            if (existing.isPresent()) {
                workspace = existing.get();
                keys.add(workspaces.issueKey(name, "traffic generator run " + run, KeyScope.INGEST).key());
            } else {
                Workspaces.Created created = workspaces.create(name, "UTC", false);
                workspace = created.workspace();
                keys.add(created.key().key());
            }
            ProviderWebhooks.Credentials signing = ProviderWebhooks.Credentials.generate();
            for (WebhookCredential credential : signing.toStore()) {
                workspaces.setWebhookCredential(name, credential);
            }
            ids.add(workspace.id());
            credentials.add(signing);
            names.add(new GroundTruth.Workspace(name, workspace.id()));
        }
        // What the events of no campaign add to: the read model's counts of the hours this run's events may fall in.
        Instant started = Instant.now();
        Map<GroundTruth.Key, Long> before = GroundTruthCheck.countsOfNoCampaign(db, ids, started.minus(Simulation.LATEST),
                started.plus(duration).plus(Duration.ofHours(1)));
        progress.printf("Sending about %,d events/s for %d s to %s (seed %d, %d workspaces) ...%n", eventsPerSecond, duration.toSeconds(),
                collector, seed, workspaceCount);
        Simulation simulation = new Simulation(seed, workspaceCount, 4, "campaign-" + run);
        Optional<ProviderWebhooks> webhooks = webhookPercent == 0 ? Optional.empty()
                : Optional.of(new ProviderWebhooks(collector, ids, credentials, webhookPercent));
        TrafficGenerator.Sent sent = new TrafficGenerator(collector, keys, webhooks, connections, Duration.ofMinutes(5), progress)
                .run(simulation, eventsPerSecond, duration);
        GroundTruth truth = GroundTruth.of(seed, names, simulation, sent, before);
        progress.printf("Sent %,d events (%,d through the providers' webhooks, %,d invalid, %,d duplicates); the collector accepted %,d. "
                + "%,d distinct valid events expected%n", sent.events(), sent.throughWebhooks(), simulation.invalid(), simulation.duplicates(),
                sent.accepted(), truth.expectedEvents());
        return truth;
    }
}
