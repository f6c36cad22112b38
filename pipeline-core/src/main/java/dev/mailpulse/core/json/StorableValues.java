package dev.mailpulse.core.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the stores can keep. PostgreSQL's text and jsonb refuse NUL and lone surrogates (and Jackson writes a lone
 * surrogate as {@code ?}), and jsonb's numeric holds at most 131,072 digits before the point and 16,383 after. An
 * event holding any of these is refused at the front door, naming the field; a failure holding them is kept in a
 * storable form ({@link #storable}) beside its exact text.
 */
public final class StorableValues {

    /** How deep an event may nest; deeper is refused, so no stage recurses without bound. */
    public static final int MAX_DEPTH = 32;

    private static final int MAX_INTEGER_DIGITS = 131_072;
    private static final int MAX_FRACTION_DIGITS = 16_383;
    private static final String REPLACEMENT = "\uFFFD";

    /** Why a value cannot be stored, and where (a JSON Pointer). */
    public record Problem(String field, String reason) {
    }

    private record Visit(JsonNode node, String pointer, int depth) {
    }

    private StorableValues() {
    }

    /** The first value of {@code item} the stores cannot keep, if any. */
    public static Optional<Problem> check(JsonNode item) {
        Deque<Visit> pending = new ArrayDeque<>();
        pending.push(new Visit(item, "", 0));
        while (!pending.isEmpty()) {
            Visit visit = pending.pop();
            JsonNode node = visit.node();
            if (visit.depth() > MAX_DEPTH) {
                return Optional.of(new Problem(visit.pointer(), "nested deeper than " + MAX_DEPTH + " levels"));
            }
            if (node.isString() && !isStorable(node.asString())) {
                return Optional.of(new Problem(visit.pointer(), "holds a NUL character or a lone surrogate, which cannot be stored"));
            }
            if (node.isNumber() && !isStorable(node)) {
                return Optional.of(new Problem(visit.pointer(), "the number " + abbreviate(node.asString()) + " is beyond the range the store keeps"));
            }
            if (node.isObject()) {
                for (Map.Entry<String, JsonNode> property : node.properties()) {
                    String pointer = visit.pointer() + "/" + escape(property.getKey());
                    if (!isStorable(property.getKey())) {
                        return Optional.of(new Problem(pointer, "the property name holds a NUL character or a lone surrogate"));
                    }
                    pending.push(new Visit(property.getValue(), pointer, visit.depth() + 1));
                }
            } else if (node.isArray()) {
                for (int i = node.size() - 1; i >= 0; i--) {
                    pending.push(new Visit(node.get(i), visit.pointer() + "/" + i, visit.depth() + 1));
                }
            }
        }
        return Optional.empty();
    }

    /** A copy the stores can keep: NUL and lone surrogates become U+FFFD, numbers out of range become their text. */
    public static JsonNode storable(JsonNode value) {
        if (value.isString()) {
            return isStorable(value.asString()) ? value : JsonNodeFactory.instance.stringNode(text(value.asString()));
        }
        if (value.isNumber()) {
            return isStorable(value) ? value : JsonNodeFactory.instance.stringNode(value.asString());
        }
        if (value.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> property : value.properties()) {
                copy.set(text(property.getKey()), storable(property.getValue()));
            }
            return copy;
        }
        if (value.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode(value.size());
            value.forEach(element -> copy.add(storable(element)));
            return copy;
        }
        return value;
    }

    /** A text the stores can keep: NUL and lone surrogates replaced by U+FFFD. */
    public static String text(String text) {
        if (text == null || isStorable(text)) {
            return text;
        }
        StringBuilder clean = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                clean.append(c).append(text.charAt(++i));
            } else if (c == '\u0000' || Character.isSurrogate(c)) {
                clean.append(REPLACEMENT);
            } else {
                clean.append(c);
            }
        }
        return clean.toString();
    }

    public static boolean isStorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isStorable(JsonNode number) {
        if (number.isBigDecimal()) {
            BigDecimal decimal = number.decimalValue();
            return Math.max(0, decimal.scale()) <= MAX_FRACTION_DIGITS && decimal.precision() - decimal.scale() <= MAX_INTEGER_DIGITS;
        }
        if (number.isBigInteger()) {
            BigInteger integer = number.bigIntegerValue();
            return integer.abs().toString().length() <= MAX_INTEGER_DIGITS;
        }
        return !number.isDouble() && !number.isFloat() || Double.isFinite(number.doubleValue());
    }

    /** A property name as a JSON Pointer token (RFC 6901). */
    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
