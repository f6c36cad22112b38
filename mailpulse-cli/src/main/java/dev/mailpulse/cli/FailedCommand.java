package dev.mailpulse.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jooq.DSLContext;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.storage.events.FailedEventStore;
import dev.mailpulse.storage.workspace.Workspaces;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@code mailpulse failed list|replay}: the failed events, and sending them through the pipeline again once fixed. */
final class FailedCommand {

    static final String USAGE = """
              failed list [--workspace NAME] [--reason REASON] [--limit N]
                                     list failed events, newest first, with their stage, reason and field
              failed replay --id FAILURE_ID [--set /json/pointer=JSON ...]
              failed replay --workspace NAME [--reason REASON] [--limit N]
                                     send failed events through validation again (after fixing their cause, or their
                                     payload with --set); each replay is recorded on the failure
            """;

    private static final JsonMapper JSON = WireJson.MAPPER;
    /** processor-validate's consumer group on the collector's destination. */
    private static final String VALIDATE_GROUP = "mailpulse";

    private final DSLContext db;
    private final Workspaces workspaces;
    private final String rabbitUrl;
    private final String destination;
    private final PrintStream out;
    private final FailedEventStore store = new FailedEventStore();

    FailedCommand(DSLContext db, String rabbitUrl, String destination, PrintStream out) {
        this.db = db;
        this.workspaces = new Workspaces(db);
        this.rabbitUrl = rabbitUrl;
        this.destination = destination;
        this.out = out;
    }

    int run(List<String> args) throws Exception {
        if (args.isEmpty()) {
            throw new Options.UsageException("failed needs list or replay");
        }
        Options options = Options.parse(args.subList(1, args.size()), Set.of("--workspace", "--reason", "--limit", "--id", "--set"), Set.of());
        options.expectPositionals(0);
        UUID workspace = options.value("--workspace", null) == null ? null : workspaces.find(options.value("--workspace", null))
                .orElseThrow(() -> new IllegalArgumentException("no workspace named '" + options.value("--workspace", null) + "'")).id();
        UUID id = options.value("--id", null) == null ? null : UUID.fromString(options.value("--id", null));
        int limit = options.positive("--limit", 100);
        List<FailedEventStore.Stored> failures = store.list(db, workspace, options.value("--reason", null), id, limit);
        switch (args.get(0)) {
            case "list" -> {
                out.printf("%-36s  %-20s  %-8s  %-22s  %-24s  %s%n", "failure id", "failed at", "stage", "reason", "field", "message");
                for (FailedEventStore.Stored f : failures) {
                    out.printf("%-36s  %-20s  %-8s  %-22s  %-24s  %s%s%n", f.failureId(), f.failedAt().toString().substring(0, 19), f.stage(),
                            f.reason(), f.field() == null ? "" : f.field(), abbreviate(f.message()),
                            f.replayCount() > 0 ? " (replayed " + f.replayCount() + "×)" : "");
                }
                out.println(failures.size() + " failed event(s)");
            }
            case "replay" -> {
                if (id == null && workspace == null) {
                    throw new Options.UsageException("replay takes --id, or --workspace to replay a workspace's failures");
                }
                if (failures.isEmpty()) {
                    throw new IllegalArgumentException("no failed event matches");
                }
                replay(failures, options.all("--set"));
            }
            default -> throw new Options.UsageException("failed needs list or replay");
        }
        return 0;
    }

    /**
     * Sends each failure back into validation's queue as a message of its workspace (named in the header that a
     * partitioned deployment routes by, and into that workspace's partition), once the broker confirms it.
     */
    private void replay(List<FailedEventStore.Stored> failures, List<String> patches) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(rabbitUrl);
        int sent = 0;
        try (Connection connection = factory.newConnection("mailpulse-replay"); Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            BrokerRoutes routes = new BrokerRoutes(connection);
            for (FailedEventStore.Stored failure : failures) {
                if (failure.payload() == null) {
                    out.println("skipped " + failure.failureId() + ": its payload was not JSON, so there is nothing to replay");
                    continue;
                }
                JsonNode payload = JSON.readTree(failure.payload());
                for (String patch : patches) {
                    payload = apply(payload, patch);
                }
                String workspace = failure.workspaceId() != null ? failure.workspaceId().toString() : WireJson.text(payload.get("workspace_id"));
                BrokerRoutes.publish(channel, routes.queueFor(destination + "." + VALIDATE_GROUP, workspace),
                        BrokerRoutes.json(workspace, Map.of()), ("[" + payload + "]").getBytes(StandardCharsets.UTF_8));
                store.markReplayed(db, failure.failureId(), payload.toString());
                sent++;
                out.println("replayed " + failure.failureId() + " (" + failure.reason() + ")");
            }
        }
        out.println(sent + " failed event(s) sent through validation again");
    }

    /** {@code /pointer=json}: sets the value at the pointer (the parent object must exist). */
    static JsonNode apply(JsonNode payload, String patch) {
        int equals = patch.indexOf('=');
        if (!patch.startsWith("/") || equals < 0) {
            throw new Options.UsageException("--set takes /json/pointer=JSON, for example /attributes/bounce_kind=\"hard\"");
        }
        JsonPointer pointer = JsonPointer.compile(patch.substring(0, equals));
        JsonNode value;
        try {
            value = JSON.readTree(patch.substring(equals + 1));
        } catch (JacksonException e) {
            value = JSON.getNodeFactory().stringNode(patch.substring(equals + 1)); // a bare word is taken as a string
        }
        ObjectNode copy = (ObjectNode) payload.deepCopy();
        JsonNode parent = copy.at(pointer.head());
        if (!(parent instanceof ObjectNode object)) {
            throw new IllegalArgumentException("--set " + patch + ": " + pointer.head() + " is not an object in the payload");
        }
        object.set(pointer.last().getMatchingProperty(), value);
        return copy;
    }

    private static String abbreviate(String message) {
        return message.length() <= 100 ? message : message.substring(0, 97) + "...";
    }
}
