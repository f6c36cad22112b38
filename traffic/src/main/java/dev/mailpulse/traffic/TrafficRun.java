package dev.mailpulse.traffic;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.mailpulse.storage.workspace.WebhookCredential;
import dev.mailpulse.storage.workspace.Workspaces;

/**
 * A run of the traffic generator against a collector: workspaces of the run's own (so the ground truth is all they
 * hold), a simulated sending business's events through the API and, for a share of them, the providers' signed
 * webhooks, and the ground truth of what was sent.
 *
 * @param webhookPercent the share (0 to 100) of deliveries, opens and clicks sent through the Mailgun and SendGrid webhooks
 */
public record TrafficRun(URI collector, int eventsPerSecond, Duration duration, long seed, int workspaceCount, int webhookPercent,
                         int connections) {

    /** The names of the workspaces a run creates start with this. */
    public static final String WORKSPACE_PREFIX = "traffic-";

    public GroundTruth run(Workspaces workspaces, PrintStream progress) throws InterruptedException {
        String run = Long.toString(Instant.now().getEpochSecond(), 36);
        List<String> keys = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        List<ProviderWebhooks.Credentials> credentials = new ArrayList<>();
        List<GroundTruth.Workspace> names = new ArrayList<>();
        for (int i = 1; i <= workspaceCount; i++) {
            Workspaces.Created created = workspaces.create(WORKSPACE_PREFIX + run + "-" + i, "UTC", false);
            ProviderWebhooks.Credentials signing = ProviderWebhooks.Credentials.generate();
            for (WebhookCredential credential : signing.toStore()) {
                workspaces.setWebhookCredential(created.workspace().name(), credential);
            }
            keys.add(created.key().key());
            ids.add(created.workspace().id());
            credentials.add(signing);
            names.add(new GroundTruth.Workspace(created.workspace().name(), created.workspace().id()));
        }
        progress.printf("Sending about %,d events/s for %d s to %s (seed %d, %d workspaces) ...%n", eventsPerSecond, duration.toSeconds(),
                collector, seed, workspaceCount);
        Simulation simulation = new Simulation(seed, workspaceCount, 4);
        Optional<ProviderWebhooks> webhooks = webhookPercent == 0 ? Optional.empty()
                : Optional.of(new ProviderWebhooks(collector, ids, credentials, webhookPercent));
        TrafficGenerator.Sent sent = new TrafficGenerator(collector, keys, webhooks, connections, Duration.ofMinutes(5), progress)
                .run(simulation, eventsPerSecond, duration);
        GroundTruth truth = GroundTruth.of(seed, names, simulation, sent);
        progress.printf("Sent %,d events (%,d through the providers' webhooks, %,d invalid, %,d duplicates); the collector accepted %,d. "
                + "%,d distinct valid events expected%n", sent.events(), sent.throughWebhooks(), simulation.invalid(), simulation.duplicates(),
                sent.accepted(), truth.expectedEvents());
        return truth;
    }
}
