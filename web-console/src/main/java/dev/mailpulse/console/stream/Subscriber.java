package dev.mailpulse.console.stream;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.web.socket.WebSocketSession;

/** One stream client: its workspace, its (thread-safe) session, and what it follows. */
final class Subscriber {

    /** The feed a client follows: of one campaign or all, of some types or all, after the entry it saw last. */
    record Feed(String campaign, Set<String> types, String after) {
    }

    private final UUID workspace;
    private final WebSocketSession session;
    private final AtomicBoolean pushing = new AtomicBoolean();
    private volatile Feed feed;
    private volatile String countersOf;
    private volatile Long alertsAfter;
    private Instant countedMinute;
    private Map<String, Long> counted;

    Subscriber(UUID workspace, WebSocketSession session) {
        this.workspace = workspace;
        this.session = session;
    }

    UUID workspace() {
        return workspace;
    }

    WebSocketSession session() {
        return session;
    }

    /** Claims the client's one push in flight; false while one is. */
    boolean startPush() {
        return pushing.compareAndSet(false, true);
    }

    void endPush() {
        pushing.set(false);
    }

    Feed feed() {
        return feed;
    }

    void feed(Feed feed) {
        this.feed = feed;
    }

    /** Moves the feed past what was read, unless the client changed its subscription meanwhile. */
    synchronized void advance(Feed read, String last) {
        if (feed == read) {
            feed = new Feed(read.campaign(), read.types(), last);
        }
    }

    /** The id of the last alert transition sent; null when the client does not follow alerts. */
    Long alertsAfter() {
        return alertsAfter;
    }

    synchronized void alertsAfter(long id) {
        alertsAfter = id;
    }

    /** Moves the alerts past {@code id}, unless the client subscribed again meanwhile. */
    synchronized void alertsAfter(long read, long id) {
        if (alertsAfter != null && alertsAfter == read) {
            alertsAfter = id;
        }
    }

    String countersOf() {
        return countersOf;
    }

    synchronized void counters(String campaign) {
        countersOf = campaign;
        counted = null;
    }

    /** Whether these counts differ from the last sent, remembering them if so. */
    synchronized boolean countersChanged(Instant minute, Map<String, Long> counts) {
        if (minute.equals(countedMinute) && counts.equals(counted)) {
            return false;
        }
        countedMinute = minute;
        counted = Map.copyOf(counts);
        return true;
    }
}
