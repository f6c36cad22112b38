package dev.mailpulse.core.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mailpulse.core.failure.FailedEvent;
import dev.mailpulse.core.failure.FailureReason;
import dev.mailpulse.core.failure.Items;
import dev.mailpulse.core.failure.Stage;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pipeline's JSON codec: the one mapper every stage reads and writes events with, and the one way a broker
 * message becomes items.
 *
 * <p>Numbers are kept as the client sent them: a float is read as a {@link java.math.BigDecimal} with its trailing
 * zeros, so {@code 1.50} stays {@code 1.50} and {@code 1e999} does not become {@code Infinity} on its way through.
 */
public final class WireJson {

    /**
     * The broker header each message of the pipeline names its (one) workspace in: the key a partitioned deployment
     * routes by ({@code producer.partition-key-expression=headers['mailpulse_workspace']}).
     */
    public static final String WORKSPACE_HEADER = "mailpulse_workspace";

    public static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    /** The JSON Pointer a reader's message starts with, before its colon. */
    private static final Pattern POINTER = Pattern.compile("(/[^:\\s]*|):");

    /** Writes every non-ASCII character as an escape, so even a lone surrogate survives as text. */
    private static final JsonMapper ASCII = MAPPER.rebuild().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private WireJson() {
    }

    /** A message's items: the elements of a JSON array, or the one JSON value; never throws on content. */
    public static Items<JsonNode> items(byte[] payload, Stage stage) {
        try {
            JsonNode body = MAPPER.readTree(payload);
            List<JsonNode> items = new ArrayList<>();
            if (body != null && body.isArray()) {
                body.forEach(items::add);
            } else if (body != null && !body.isMissingNode()) {
                items.add(body);
            }
            return new Items<>(items, List.of());
        } catch (JacksonException e) {
            return new Items<>(List.of(), List.of(new FailedEvent(null, null, stage, FailureReason.UNREADABLE, null,
                    "the message is not JSON: " + e.getOriginalMessage(), null, new String(payload, StandardCharsets.UTF_8))));
        }
    }

    /**
     * A message's items, each read by {@code reader}: an item it refuses becomes an {@code unreadable} failure of
     * {@code stage}, in its workspace's list where the item names one readably, with the field the reader names
     * (its message starting with the field's JSON Pointer); the others are unaffected.
     */
    public static <T> Items<T> decode(byte[] payload, Stage stage, Function<JsonNode, T> reader) {
        Items<JsonNode> json = items(payload, stage);
        List<T> items = new ArrayList<>(json.items().size());
        List<FailedEvent> failures = new ArrayList<>(json.failures());
        for (JsonNode item : json.items()) {
            try {
                items.add(reader.apply(item));
            } catch (RuntimeException e) {
                String message = String.valueOf(e.getMessage());
                Matcher pointer = POINTER.matcher(message);
                failures.add(new FailedEvent(uuid(item.get("workspace_id")), uuid(item.get("event_id")), stage, FailureReason.UNREADABLE,
                        pointer.lookingAt() && !pointer.group(1).isEmpty() ? pointer.group(1) : null, message, item, null));
            }
        }
        return new Items<>(items, failures);
    }

    /** A scalar's text (strings as they are, numbers and booleans as written); null for null, missing and containers. */
    public static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode() || value.isContainer()) {
            return null;
        }
        return value.asString();
    }

    /** A UUID field's value, or null when it is missing or not a UUID (a failure keeps what it can read). */
    public static UUID uuid(JsonNode value) {
        String text = text(value);
        if (text == null) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException notAnId) {
            return null;
        }
    }

    /** JSON text in plain ASCII: what a text column can keep of any value, lone surrogates and NUL included. */
    public static String asciiText(JsonNode value) {
        return ASCII.writeValueAsString(value);
    }
}
