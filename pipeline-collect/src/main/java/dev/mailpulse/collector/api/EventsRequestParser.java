package dev.mailpulse.collector.api;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import dev.mailpulse.collector.ingest.Ingestion.Item;
import dev.mailpulse.collector.ingest.ItemFailure;
import dev.mailpulse.core.failure.FailureReason;
import dev.mailpulse.core.json.WireJson;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the body of {@code POST /v1/events}: one event (a JSON object), a JSON array of events, or NDJSON (one event
 * a line), optionally gzip-compressed, within the configured limits.
 *
 * <p>Like a collector should, it judges form only: whether each item is a readable JSON object. Content is checked
 * downstream, where failures are kept and replayable. A body that cannot be read at all is refused whole, with the
 * HTTP status and where the problem is; an item that cannot be read is reported by its index while the others go on.
 */
public final class EventsRequestParser {

    /** Bounds on one request; the defaults are those of the API documentation. */
    public record Limits(int maxBodyBytes, int maxEvents, int maxEventBytes) {
        public static final Limits DEFAULTS = new Limits(5 * 1024 * 1024, 10_000, 64 * 1024);
    }

    public sealed interface Result {
    }

    /** The readable events and why each unreadable item was not, each by its 0-based index in the request. */
    public record Parsed(List<Item> events, List<ItemFailure> errors) implements Result {
    }

    /** The whole request is refused: {@code status} is the HTTP status, {@code where} locates the problem. */
    public record Refused(int status, String reason, String where) implements Result {
    }

    private static final JsonMapper JSON = WireJson.MAPPER;

    private final Limits limits;

    public EventsRequestParser(Limits limits) {
        this.limits = limits;
    }

    public Result parse(byte[] body, String contentType, String contentEncoding) {
        Format format = Format.of(contentType);
        if (format == null) {
            return new Refused(415, "Content-Type must be application/json or application/x-ndjson, was "
                    + (contentType == null ? "missing" : contentType), "Content-Type");
        }
        byte[] content;
        try {
            content = decode(body, contentEncoding);
        } catch (RefusedException e) {
            return e.refused;
        }
        if (isBlank(content)) {
            return new Refused(400, "the body holds no event", "body");
        }
        try {
            return format == Format.NDJSON ? parseLines(content) : parseJson(content);
        } catch (RefusedException e) {
            return e.refused;
        }
    }

    private enum Format {
        JSON, NDJSON;

        static Format of(String contentType) {
            if (contentType == null) {
                return null;
            }
            String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
            return switch (mediaType) {
                case "application/json" -> JSON;
                case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines" -> NDJSON;
                default -> null;
            };
        }
    }

    private byte[] decode(byte[] body, String contentEncoding) {
        if (body.length > limits.maxBodyBytes()) {
            throw refused(413, "the body is " + body.length + " bytes, over the limit of " + limits.maxBodyBytes(), "body");
        }
        String encoding = contentEncoding == null ? "identity" : contentEncoding.strip().toLowerCase(Locale.ROOT);
        return switch (encoding) {
            case "identity", "" -> body;
            case "gzip", "x-gzip" -> gunzip(body);
            default -> throw refused(415, "Content-Encoding must be gzip or absent, was " + contentEncoding, "Content-Encoding");
        };
    }

    /** Inflates at most the body limit, so a small compressed body cannot expand into an unbounded one. */
    private byte[] gunzip(byte[] body) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limits.maxBodyBytes(), body.length * 4 + 64));
            byte[] buffer = new byte[16 * 1024];
            for (int read; (read = in.read(buffer)) != -1; ) {
                if (out.size() + read > limits.maxBodyBytes()) {
                    throw refused(413, "the decompressed body is over the limit of " + limits.maxBodyBytes() + " bytes", "body");
                }
                out.write(buffer, 0, read);
            }
            return out.toByteArray();
        } catch (ZipException | java.io.EOFException e) {
            throw refused(400, "the body is not valid gzip: " + e.getMessage(), "body");
        } catch (IOException e) {
            throw refused(400, "the body could not be decompressed: " + e.getMessage(), "body");
        }
    }

    private Parsed parseJson(byte[] content) {
        List<Item> events = new ArrayList<>();
        List<ItemFailure> errors = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(content)) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_OBJECT) {
                long start = parser.currentTokenLocation().getByteOffset();
                JsonNode event = parser.readValueAsTree();
                checkEventSize(0, parser.currentLocation().getByteOffset() - start);
                events.add(new Item(0, (ObjectNode) event));
            } else if (first == JsonToken.START_ARRAY) {
                int index = 0;
                for (JsonToken token; (token = parser.nextToken()) != JsonToken.END_ARRAY; index++) {
                    if (token == null) {
                        throw refused(400, "the JSON array is not closed", "body");
                    }
                    if (index >= limits.maxEvents()) {
                        throw refused(413, "the request holds more than " + limits.maxEvents() + " events", "/" + index);
                    }
                    long start = parser.currentTokenLocation().getByteOffset();
                    JsonNode item = parser.readValueAsTree();
                    checkEventSize(index, parser.currentLocation().getByteOffset() - start);
                    if (item instanceof ObjectNode event) {
                        events.add(new Item(index, event));
                    } else {
                        errors.add(ItemFailure.of(index, FailureReason.UNREADABLE, null, "an event must be a JSON object, this is "
                                + item.getNodeType().name().toLowerCase(Locale.ROOT), item));
                    }
                }
            } else {
                throw refused(400, "the body must be a JSON object or an array of objects", "body");
            }
            if (parser.nextToken() != null) {
                throw refused(400, "unexpected content after the JSON value", where(parser.currentTokenLocation()));
            }
        } catch (JacksonException e) {
            throw refused(400, "the body is not valid JSON: " + e.getOriginalMessage(), where(e.getLocation()));
        }
        return new Parsed(events, errors);
    }

    private Parsed parseLines(byte[] content) {
        List<Item> events = new ArrayList<>();
        List<ItemFailure> errors = new ArrayList<>();
        int lineStart = 0;
        int lineNumber = 0;
        while (lineStart < content.length) {
            int lineEnd = lineStart;
            while (lineEnd < content.length && content[lineEnd] != '\n') {
                lineEnd++;
            }
            lineNumber++;
            int length = lineEnd - lineStart;
            if (length > 0 && content[lineEnd - 1] == '\r') {
                length--;
            }
            if (!isBlank(content, lineStart, length)) {
                int index = events.size() + errors.size();
                if (index >= limits.maxEvents()) {
                    throw refused(413, "the request holds more than " + limits.maxEvents() + " events", "line " + lineNumber);
                }
                checkEventSize(index, length);
                try {
                    JsonNode item = JSON.readTree(content, lineStart, length);
                    if (item instanceof ObjectNode event) {
                        events.add(new Item(index, event));
                    } else {
                        errors.add(ItemFailure.of(index, FailureReason.UNREADABLE, null, "line " + lineNumber + ": an event must be a JSON object", item));
                    }
                } catch (JacksonException e) {
                    errors.add(ItemFailure.unreadable(index, "line " + lineNumber + ": not valid JSON: " + e.getOriginalMessage(),
                            new String(content, lineStart, length, java.nio.charset.StandardCharsets.UTF_8)));
                }
            }
            lineStart = lineEnd + 1;
        }
        return new Parsed(events, errors);
    }

    private void checkEventSize(int index, long bytes) {
        if (bytes > limits.maxEventBytes()) {
            throw refused(413, "event " + index + " is " + bytes + " bytes, over the limit of " + limits.maxEventBytes(), "/" + index);
        }
    }

    private static String where(TokenStreamLocation location) {
        return location == null ? "body" : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static boolean isBlank(byte[] content) {
        return isBlank(content, 0, content.length);
    }

    private static boolean isBlank(byte[] content, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (!Character.isWhitespace(content[i])) {
                return false;
            }
        }
        return true;
    }

    private static RefusedException refused(int status, String reason, String where) {
        return new RefusedException(new Refused(status, reason, where));
    }

    /** Unwinds the parse to {@link #parse}, which turns it back into a value. */
    private static final class RefusedException extends RuntimeException {
        private final Refused refused;

        RefusedException(Refused refused) {
            super(refused.reason(), null, false, false);
            this.refused = refused;
        }
    }
}
