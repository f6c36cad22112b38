package dev.mailpulse.hostile;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Seeded generator of what careless clients and attackers send, as JSON text: good events (valid {@code email.send}
 * of a workspace, with the fields the collector adds when {@code complete}), and hostile items built from them
 * (wrong types at every field, deep nesting, huge strings, NUL and lone surrogates, numbers beyond any store's
 * range, dates no calendar has). The same seed gives the same items.
 */
public final class HostileJson {

    /** An item as JSON text; {@code good} when it is a valid event that must be stored exactly once. */
    public record Item(String json, boolean good, String eventId, String kind) {
    }

    private static final String[] FIELDS = {"event_id", "workspace_id", "type", "schema_version", "occurred_at", "received_at",
            "source", "campaign_id", "message_id", "recipient", "link_url", "user_agent", "ip", "attributes", "provider_payload"};
    private static final String[] WRONG_VALUES = {"{}", "[]", "[1,2]", "{\"a\":{}}", "true", "false", "0", "-1", "1e999", "null",
            "\"\"", "\"x\"", "{\"address\":{}}", "{\"hash\":[],\"domain\":1}", "12345678901234567890123456789"};
    private static final String[] ODD_STRINGS = {"\\u0000", "a\\u0000b", "\\ud800", "\\udfff", "x\\udc00\\ud800y", "\\uFFFE", "\\uDBFF\\uDFFF",
            "\\u202Eevil", "e\\u0301\\u0301\\u0301", "😀", "\\\\", "\\\"", "\\u2028\\u2029", "\\u0007\\u001b[31m"};
    private static final String[] ODD_NUMBERS = {"1e999", "-1e-999", "1e400000", "-1E+400000", "1.0e-20000", "123456789012345678901234567890",
            "0.1000000000000000055511151231257827", "-0", "-0.0", "1E+2", "4.9e-324", "1.7976931348623157e309"};
    private static final String[] ODD_DATES = {"2016-12-31T23:59:60Z", "2026-12-01t10:00:00z", "2026-02-30T10:00:00Z", "2026-12-01T10:00:00+25:00",
            "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-12-01T10:00:00.1234567891234Z", "2026-12-01 10:00:00Z", "2026-13-01T00:00:00Z",
            "2026-12-01T24:00:00Z", "20261201T100000Z", "1e999", "", "2016-12-31T18:59:60-05:00"};

    private final Random random;
    private final UUID workspace;
    private final Instant now;

    public HostileJson(long seed, UUID workspace) {
        this.random = new Random(seed);
        this.workspace = workspace;
        this.now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    /** A valid event as a client sends it (the collector completes it). */
    public Item good() {
        String id = new UUID(random.nextLong(), random.nextLong()).toString();
        return new Item(goodEvent(id, false), true, id, "good");
    }

    /** A valid event as the collector publishes it: with workspace, source and time of receipt. */
    public Item goodCollected() {
        String id = new UUID(random.nextLong(), random.nextLong()).toString();
        return new Item(goodEvent(id, true), true, id, "good");
    }

    /** A hostile item of a random class; it may still be a valid event (a leap second is one) but never counts as good. */
    public Item hostile(boolean collected) {
        String id = new UUID(random.nextLong(), random.nextLong()).toString();
        String base = goodEvent(id, collected);
        return switch (random.nextInt(7)) {
            case 0 -> {
                String field = FIELDS[random.nextInt(FIELDS.length)];
                yield new Item(withField(base, field, pick(WRONG_VALUES)), false, id, "wrong type at " + field);
            }
            case 1 -> {
                int depth = 20 + random.nextInt(400);
                yield new Item(withField(base, "attributes", "{\"custom\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "}"), false, id,
                        "nested " + depth + " deep");
            }
            case 2 -> new Item(withField(base, pick("message_id", "user_agent", "campaign_id"), "\"" + "x".repeat(20_000 + random.nextInt(30_000)) + "\""),
                    false, id, "huge string");
            case 3 -> {
                String odd = pick(ODD_STRINGS);
                yield random.nextBoolean()
                        ? new Item(withField(base, pick("message_id", "user_agent", "campaign_id", "link_url"), "\"" + odd + "\""), false, id, "odd text " + odd)
                        // Jackson refuses a lone surrogate in a property name as unreadable JSON: the whole body, not an item.
                        : new Item(withField(base, "attributes", "{\"custom\":{\"" + odd.replaceAll("\\\\u[dD][89a-fA-F][0-9a-fA-F]{2}", "") + "\":1}}"),
                                false, id, "odd key " + odd);
            }
            case 4 -> {
                String number = pick(ODD_NUMBERS);
                yield new Item(withField(base, "attributes", "{\"custom\":{\"n\":" + number + "}}"), false, id, "odd number " + number);
            }
            case 5 -> {
                String date = pick(ODD_DATES);
                yield new Item(withField(base, "occurred_at", "\"" + date + "\""), false, id, "odd date " + date);
            }
            default -> new Item(pick("42", "\"text\"", "[]", "[{}]", "null", "{}", "{\"type\":{\"$gt\":\"\"}}"), false, null, "not an event");
        };
    }

    /**
     * A hostile item of one of the classes that must end as a failure whatever stage meets it first: wrong types in the
     * envelope, NUL and lone surrogates, numbers beyond the store's range, nesting too deep, impossible dates.
     */
    public Item invalid(boolean collected) {
        String id = new UUID(random.nextLong(), random.nextLong()).toString();
        String base = goodEvent(id, collected);
        return switch (random.nextInt(10)) {
            case 0 -> new Item(withField(base, "event_id", pick("{}", "[]", "1", "{\"a\":[]}")), false, null, "event_id of another type");
            case 1 -> new Item(withField(base, "occurred_at", pick("\"2026-02-30T10:00:00Z\"", "\"2026-12-01T10:00:00+25:00\"", "{}", "1e999")),
                    false, id, "impossible occurred_at");
            case 2 -> new Item(withField(base, "message_id", "\"<a\\u0000b@example.com>\""), false, id, "NUL");
            case 3 -> new Item(withField(base, "campaign_id", "\"x\\ud800y\""), false, id, "lone surrogate");
            case 4 -> new Item(withField(base, "attributes", "{\"custom\":{\"n\":1e400000}}"), false, id, "number out of range");
            case 5 -> new Item(withField(base, "attributes", "{\"custom\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(40) + "}"), false, id, "too deep");
            case 6 -> new Item(withField(base, "recipient", collected ? "{\"hash\":{},\"domain\":[]}" : "{\"address\":{}}"), false, id, "recipient of another type");
            case 7 -> new Item(withField(base, "workspace_id", "{}"), false, id, "workspace_id of another type");
            case 8 -> new Item(withField(base, "type", "{\"$gt\":\"\"}"), false, id, "type of another type");
            default -> new Item(pick("42", "\"text\"", "[]", "null"), false, null, "not an event");
        };
    }

    /** A JSON array of {@code count} items, a share of them hostile. */
    public List<Item> items(int count, double hostileShare, boolean collected) {
        List<Item> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(random.nextDouble() < hostileShare ? hostile(collected) : collected ? goodCollected() : good());
        }
        return items;
    }

    public static String array(List<Item> items) {
        return "[" + String.join(",", items.stream().map(Item::json).toList()) + "]";
    }

    private String goodEvent(String id, boolean collected) {
        String occurred = now.minusSeconds(random.nextInt(3_600)).toString();
        String envelope = "\"event_id\":\"" + id + "\",\"type\":\"email.send\",\"schema_version\":1,\"occurred_at\":\"" + occurred
                + "\",\"campaign_id\":\"hostile\",\"message_id\":\"<" + id + "@example.com>\"";
        if (collected) {
            return "{" + envelope + ",\"workspace_id\":\"" + workspace + "\",\"source\":\"api\",\"received_at\":\"" + now
                    + "\",\"recipient\":{\"hash\":\"" + id.replace("-", "") + "\",\"domain\":\"example.com\"}}";
        }
        return "{" + envelope + ",\"recipient\":\"user-" + id.substring(0, 8) + "@example.com\"}";
    }

    /** The event with one field set (or added) to {@code value}, as raw JSON text. */
    private static String withField(String event, String field, String value) {
        String key = "\"" + field + "\":";
        int at = event.indexOf(key);
        if (at < 0) {
            return event.substring(0, event.length() - 1) + "," + key + value + "}";
        }
        int start = at + key.length();
        int end = endOfValue(event, start);
        return event.substring(0, start) + value + event.substring(end);
    }

    private static int endOfValue(String json, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                    if (depth == 0) {
                        return i + 1;
                    }
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    return i;
                }
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            } else if (c == ',' && depth == 0) {
                return i;
            }
        }
        return json.length();
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }
}
