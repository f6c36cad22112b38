package dev.mailpulse.core.event;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Stable event ids for events whose source gives its own id (a provider's event id): the same provider event,
 * redelivered any number of times, always gets the same {@code event_id}, so it is stored and counted once.
 *
 * <p>The id is a name-based UUID, version 5 (RFC 9562), in a namespace of MailPulse's own, over the source, the
 * workspace and the provider's id: ids cannot collide across providers or workspaces.
 */
public final class EventIds {

    /** MailPulse's namespace for name-based event ids. Never change it: stored ids depend on it. */
    static final UUID NAMESPACE = UUID.fromString("6f1c3a5e-2d4b-4e8f-9a7c-1b2d3e4f5a6b");

    private EventIds() {
    }

    public static UUID fromProviderEvent(EventSource source, UUID workspaceId, String providerEventId) {
        if (providerEventId == null || providerEventId.isBlank()) {
            throw new IllegalArgumentException("a provider event id is required to derive a stable event id");
        }
        return nameBased(NAMESPACE, source.wireName() + "\u0000" + workspaceId + "\u0000" + providerEventId);
    }

    static UUID nameBased(UUID namespace, String name) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(ByteBuffer.allocate(16).putLong(namespace.getMostSignificantBits())
                    .putLong(namespace.getLeastSignificantBits()).array());
            byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
            hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
            hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
            ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
            return new UUID(bytes.getLong(), bytes.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
        }
    }
}
