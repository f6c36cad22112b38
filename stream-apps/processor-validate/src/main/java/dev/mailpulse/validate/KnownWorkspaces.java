package dev.mailpulse.validate;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import dev.mailpulse.storage.workspace.Workspaces;

/**
 * Which workspaces exist, asked of the database at most once an interval per workspace. A failure to reach the
 * database is thrown (for the caller to wait out), never taken for an answer.
 */
final class KnownWorkspaces implements Predicate<UUID> {

    private record Answer(boolean exists, long until) {
    }

    private final Workspaces workspaces;
    private final long ttlNanos;
    private final Map<UUID, Answer> answers = new ConcurrentHashMap<>();

    KnownWorkspaces(Workspaces workspaces, Duration ttl) {
        this.workspaces = workspaces;
        this.ttlNanos = ttl.toNanos();
    }

    /** Those of {@code ids} that exist. */
    Set<UUID> existing(Set<UUID> ids) {
        Set<UUID> existing = new HashSet<>();
        for (UUID id : ids) {
            if (test(id)) {
                existing.add(id);
            }
        }
        return existing;
    }

    @Override
    public boolean test(UUID workspaceId) {
        long now = System.nanoTime();
        Answer answer = answers.get(workspaceId);
        if (answer == null || answer.until() - now <= 0) {
            if (answers.size() > 100_000) {
                answers.clear(); // made-up workspace ids must not grow memory without bound
            }
            answer = new Answer(workspaces.find(workspaceId).isPresent(), now + ttlNanos);
            answers.put(workspaceId, answer);
        }
        return answer.exists();
    }
}
