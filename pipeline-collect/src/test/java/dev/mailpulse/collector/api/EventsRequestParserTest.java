package dev.mailpulse.collector.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

import dev.mailpulse.collector.ingest.ItemFailure;
import dev.mailpulse.collector.api.EventsRequestParser.Limits;
import dev.mailpulse.collector.api.EventsRequestParser.Parsed;
import dev.mailpulse.collector.api.EventsRequestParser.Refused;
import dev.mailpulse.collector.api.EventsRequestParser.Result;

class EventsRequestParserTest {

    private final EventsRequestParser parser = new EventsRequestParser(Limits.DEFAULTS);
    private final EventsRequestParser small = new EventsRequestParser(new Limits(200, 3, 60));

    @Test
    void readsOneEvent() {
        Parsed parsed = parsed(parser.parse(bytes("{\"type\":\"email.open\"}"), "application/json; charset=utf-8", null));
        assertThat(parsed.events()).singleElement().satisfies(e -> assertThat(e.event().get("type").asString()).isEqualTo("email.open"));
        assertThat(parsed.errors()).isEmpty();
    }

    @Test
    void readsAnArrayAndNamesTheItemsThatAreNotObjects() {
        Parsed parsed = parsed(parser.parse(bytes("[{\"a\":1}, 7, {\"b\":2}, \"x\"]"), "application/json", null));
        assertThat(parsed.events()).extracting(e -> e.index()).containsExactly(0, 2);
        assertThat(parsed.errors()).extracting(ItemFailure::index).containsExactly(1, 3);
        assertThat(parsed.errors().get(0).message()).contains("must be a JSON object");
    }

    @Test
    void readsNdjsonAndKeepsTheGoodLinesAroundABadOne() {
        String body = "{\"a\":1}\r\n\n{\"b\":\n{\"c\":3}\n[1]\n";
        Parsed parsed = parsed(parser.parse(bytes(body), "application/x-ndjson", null));
        assertThat(parsed.events()).extracting(e -> e.index()).containsExactly(0, 2);
        assertThat(parsed.errors()).extracting(ItemFailure::index).containsExactly(1, 3);
        assertThat(parsed.errors().get(0).message()).startsWith("line 3: not valid JSON");
        assertThat(parsed.errors().get(1).message()).startsWith("line 5:");
    }

    @Test
    void readsGzip() throws IOException {
        Parsed parsed = parsed(parser.parse(gzip("[{\"a\":1},{\"b\":2}]"), "application/json", "gzip"));
        assertThat(parsed.events()).hasSize(2);
    }

    @Test
    void refusesABodyThatIsNotJsonWithWhereItBreaks() {
        assertRefused(parser.parse(bytes("{\"a\":\n  tru}"), "application/json", null), 400, "not valid JSON", "line 2");
        assertRefused(parser.parse(bytes("[{\"a\":1}"), "application/json", null), 400, "", "");
        assertRefused(parser.parse(bytes("{\"a\":1} {\"b\":2}"), "application/json", null), 400, "after the JSON value", "line 1");
        assertRefused(parser.parse(bytes("42"), "application/json", null), 400, "object or an array", "body");
        assertRefused(parser.parse(bytes("  \n"), "application/json", null), 400, "no event", "body");
        assertRefused(parser.parse(bytes("not gzip at all"), "application/json", "gzip"), 400, "not valid gzip", "body");
    }

    @Test
    void refusesWhatIsOverTheLimits() throws IOException {
        assertRefused(small.parse(bytes("[" + "{\"a\":1},".repeat(40) + "{\"a\":1}]"), "application/json", null), 413, "over the limit of 200", "body");
        assertRefused(small.parse(bytes("[{},{},{},{}]"), "application/json", null), 413, "more than 3 events", "/3");
        assertRefused(small.parse(bytes("{}\n{}\n{}\n{}\n"), "application/x-ndjson", null), 413, "more than 3 events", "line 4");
        assertRefused(small.parse(bytes("[{}, {\"long\":\"" + "x".repeat(80) + "\"}]"), "application/json", null), 413, "event 1 is", "/1");
        // A compressed body that inflates past the limit is refused without inflating it all.
        assertRefused(small.parse(gzip("[" + "{}, ".repeat(5_000) + "{}]"), "application/json", "gzip"), 413, "decompressed body", "body");
    }

    @Test
    void refusesContentTypesAndEncodingsItDoesNotRead() {
        assertRefused(parser.parse(bytes("{}"), "text/plain", null), 415, "Content-Type must be", "Content-Type");
        assertRefused(parser.parse(bytes("{}"), null, null), 415, "was missing", "Content-Type");
        assertRefused(parser.parse(bytes("{}"), "application/json", "br"), 415, "Content-Encoding", "Content-Encoding");
    }

    private static Parsed parsed(Result result) {
        assertThat(result).isInstanceOf(Parsed.class);
        return (Parsed) result;
    }

    private static void assertRefused(Result result, int status, String reason, String where) {
        assertThat(result).isInstanceOfSatisfying(Refused.class, refused -> {
            assertThat(refused.status()).isEqualTo(status);
            assertThat(refused.reason()).contains(reason);
            assertThat(refused.where()).contains(where);
        });
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes(text));
        }
        return out.toByteArray();
    }
}
