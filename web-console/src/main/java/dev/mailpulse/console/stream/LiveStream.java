package dev.mailpulse.console.stream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import dev.mailpulse.alerting.AlertRules;
import dev.mailpulse.alerting.AlertTransition;
import dev.mailpulse.console.security.ApiCaller;
import dev.mailpulse.console.security.ConsoleUser;
import dev.mailpulse.storage.user.Users;
import dev.mailpulse.livecache.LiveCache;
import dev.mailpulse.livecache.LiveCacheKeys;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /api/v1/stream}: a WebSocket over which a read key's holder follows its workspace live (or a signed-in user
 * the workspace {@code ?workspace=NAME} they belong to, from the console's pages). The client subscribes
 * with {@code {"subscribe": "feed", "campaign_id"?, "types"?: [...], "after"?: ID}} (each event as {@code {"type":
 * "event", "id", "event"}}; {@code after}: resume after the last id seen) and {@code {"subscribe": "counters",
 * "campaign_id"?}} (the current minute's counts by type, {@code {"type": "counters", "minute", "counts"}}, every second
 * they change) and {@code {"subscribe": "alerts", "after"?: ID}} (each alert's transition as the evaluator makes it,
 * {@code {"type": "alert", "id", "rule_id", "rule_name", "labels", "from", "to", "value", "volume", "at"}});
 * mistakes are answered {@code {"type": "error", "reason"}}.
 *
 * <p>Each client is pushed to by a sender of its own, one push at a time, so a slow client delays no other; what it has
 * not been sent yet stays in Redis, not here. A client whose socket takes no more for 5 s is disconnected.
 */
final class LiveStream extends TextWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(LiveStream.class);
    static final int SEND_TIME_LIMIT_MS = 5_000;
    static final int BUFFER_LIMIT_BYTES = 1 << 20;
    private static final int EVENTS_PER_POLL = 500;
    /** Tomcat's limit on one blocking send: a client that reads nothing for this long is dropped. */
    private static final String BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

    private static final int ALERTS_PER_POLL = 100;

    private final LiveCache cache;
    private final DSLContext db;
    private final JsonMapper json;
    private final Clock clock;
    private final Map<String, Subscriber> subscribers = new ConcurrentHashMap<>();
    private final ExecutorService senders = Executors.newCachedThreadPool(task -> {
        Thread sender = new Thread(task, "stream-sender");
        sender.setDaemon(true);
        return sender;
    });

    LiveStream(LiveCache cache, DSLContext db, JsonMapper json, Clock clock) {
        this.cache = cache;
        this.db = db;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws IOException {
        Optional<UUID> workspace = ApiCaller.of(session.getPrincipal()).map(ApiCaller::workspaceId)
                .or(() -> ConsoleUser.of(session.getPrincipal()).flatMap(user -> user.membership(workspaceAsked(session)))
                        .map(Users.Membership::workspaceId));
        if (workspace.isEmpty()) {
            session.close(CloseStatus.POLICY_VIOLATION.withReason("a read key, or a session of a member of ?workspace=NAME"));
            return;
        }
        if (session instanceof NativeWebSocketSession wrapper && wrapper.getNativeSession() instanceof jakarta.websocket.Session socket) {
            socket.getUserProperties().put(BLOCKING_SEND_TIMEOUT, (long) SEND_TIME_LIMIT_MS);
        }
        subscribers.put(session.getId(), new Subscriber(workspace.get(),
                new ConcurrentWebSocketSessionDecorator(session, SEND_TIME_LIMIT_MS, BUFFER_LIMIT_BYTES,
                        ConcurrentWebSocketSessionDecorator.OverflowStrategy.TERMINATE)));
    }

    /** The workspace a signed-in user's page follows: {@code ?workspace=NAME} on the handshake. */
    private static String workspaceAsked(WebSocketSession session) {
        String name = session.getUri() == null ? null
                : UriComponentsBuilder.fromUri(session.getUri()).build().getQueryParams().getFirst("workspace");
        return name == null ? "" : UriUtils.decode(name, StandardCharsets.UTF_8);
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
        Subscriber subscriber = subscribers.get(session.getId());
        if (subscriber == null) {
            return;
        }
        JsonNode request;
        try {
            request = json.readTree(message.getPayload());
        } catch (JacksonException e) {
            send(subscriber, error("not JSON: " + e.getOriginalMessage()));
            return;
        }
        String campaign = request.path("campaign_id").isString() ? request.get("campaign_id").asString() : null;
        switch (request.path("subscribe").asString("")) {
            case "feed" -> {
                Set<String> types = new HashSet<>();
                request.path("types").forEach(type -> types.add(type.asString()));
                String after = request.path("after").isString() ? request.get("after").asString() : cache.newestLiveId(subscriber.workspace());
                if (!after.matches("\\d+-\\d+")) {
                    send(subscriber, error("after: a stream id as the events carry them (such as 1733130000000-0)"));
                    return;
                }
                subscriber.feed(new Subscriber.Feed(campaign, Set.copyOf(types), after));
            }
            case "counters" -> subscriber.counters(LiveCacheKeys.campaign(campaign == null ? LiveCacheKeys.ALL_CAMPAIGNS : campaign));
            case "alerts" -> {
                if (!request.path("after").isMissingNode() && !request.path("after").canConvertToLong()) {
                    send(subscriber, error("after: the id of an alert's transition, as the alerts carry them"));
                    return;
                }
                subscriber.alertsAfter(request.path("after").isMissingNode() ? new AlertRules(db, subscriber.workspace()).newestTransitionId()
                        : request.get("after").asLong());
            }
            default -> send(subscriber, error("subscribe: feed, counters or alerts"));
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        subscribers.remove(session.getId());
    }

    /** How many clients are connected. */
    int clients() {
        return subscribers.size();
    }

    /** New events for every feed, and changed counters, a few times a second; a client still being sent to waits its turn. */
    @Scheduled(fixedDelay = 250)
    void push() {
        for (Subscriber subscriber : subscribers.values()) {
            if (subscriber.startPush()) {
                senders.execute(() -> {
                    try {
                        pushFeed(subscriber);
                        pushCounters(subscriber);
                        pushAlerts(subscriber);
                    } catch (RuntimeException e) {
                        log.warn("Could not push to a stream client: {}", e.getMessage());
                    } finally {
                        subscriber.endPush();
                    }
                });
            }
        }
    }

    private void pushFeed(Subscriber subscriber) {
        Subscriber.Feed feed = subscriber.feed();
        if (feed == null) {
            return;
        }
        String last = feed.after();
        for (LiveCache.LiveEntry entry : cache.liveAfter(subscriber.workspace(), last, EVENTS_PER_POLL)) {
            last = entry.id();
            JsonNode event = json.readTree(entry.event());
            if ((feed.campaign() == null || feed.campaign().equals(event.path("campaign_id").asString(null)))
                    && (feed.types().isEmpty() || feed.types().contains(event.path("type").asString()))) {
                ObjectNode message = json.createObjectNode().put("type", "event").put("id", entry.id());
                message.set("event", event);
                if (!send(subscriber, message)) {
                    return;
                }
            }
        }
        subscriber.advance(feed, last);
    }

    private void pushCounters(Subscriber subscriber) {
        String campaign = subscriber.countersOf();
        if (campaign == null) {
            return;
        }
        Instant minute = Instant.ofEpochSecond(LiveCacheKeys.minuteOf(clock.instant()));
        Map<String, Long> counts = cache.minute(subscriber.workspace(), campaign, minute);
        if (subscriber.countersChanged(minute, counts)) {
            ObjectNode message = json.createObjectNode().put("type", "counters").put("minute", minute.toString());
            ObjectNode byType = message.putObject("counts");
            new TreeMap<>(counts).forEach(byType::put);
            send(subscriber, message);
        }
    }

    private void pushAlerts(Subscriber subscriber) {
        Long after = subscriber.alertsAfter();
        if (after == null) {
            return;
        }
        for (AlertRules.History transition : new AlertRules(db, subscriber.workspace()).transitionsAfter(after, ALERTS_PER_POLL)) {
            AlertTransition t = transition.transition();
            ObjectNode message = json.createObjectNode().put("type", "alert").put("id", transition.id())
                    .put("rule_id", transition.ruleId().toString()).put("rule_name", transition.transition().rule());
            ObjectNode labels = message.putObject("labels");
            new TreeMap<>(t.labels()).forEach(labels::put);
            message.put("from", t.from().wireName()).put("to", t.to().wireName());
            t.value().ifPresentOrElse(v -> message.put("value", v), () -> message.putNull("value"));
            message.put("volume", t.volume()).put("at", t.at().toString());
            if (!send(subscriber, message)) {
                return;
            }
            subscriber.alertsAfter(after, transition.id());
            after = transition.id();
        }
    }

    private ObjectNode error(String reason) {
        return json.createObjectNode().put("type", "error").put("reason", reason);
    }

    /** False once the client is gone or dropped for not keeping up. */
    private boolean send(Subscriber subscriber, ObjectNode message) {
        try {
            subscriber.session().sendMessage(new TextMessage(message.toString()));
            return true;
        } catch (IOException | RuntimeException e) {
            subscribers.remove(subscriber.session().getId());
            log.info("A stream client was disconnected: {}", e.getMessage());
            return false;
        }
    }
}
