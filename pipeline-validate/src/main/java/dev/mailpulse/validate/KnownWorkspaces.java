package dev.mailpulse.validate;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import dev.mailpulse.core.cache.TtlCache;
import dev.mailpulse.storage.workspace.Workspaces;

/**
 * Which workspaces exist, asked of the database at most once an interval per workspace (the least recently asked
 * forgotten first). A failure to reach the database is thrown (for the caller to wait out), never taken for an answer.
 */
final class KnownWorkspaces implements Predicate<UUID> {

    /** Made-up workspace ids must not grow memory without bound, nor evict the workspaces in use. */
    private static final int REMEMBERED = 100_000;

    private final Workspaces workspaces;
    private final TtlCache<UUID, Boolean> answers;

    KnownWorkspaces(Workspaces workspaces, Duration ttl) {
        this.workspaces = workspaces;
        this.answers = new TtlCache<>(ttl, REMEMBERED, System::nanoTime);
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
        return answers.get(workspaceId, id -> workspaces.find(id).isPresent());
    }
}
