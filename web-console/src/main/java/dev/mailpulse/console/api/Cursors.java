package dev.mailpulse.console.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Opaque page cursors: the key of the last item of a page, so that clients do not build them. */
public final class Cursors {

    private Cursors() {
    }

    public static String of(String lastKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
    }

    /** The key a cursor carries; a cursor that is not one of ours is a bad request. */
    public static Optional<String> read(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cursor: not a cursor this API gave out");
        }
    }
}
