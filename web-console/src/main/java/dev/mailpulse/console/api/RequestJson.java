package dev.mailpulse.console.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

import dev.mailpulse.core.json.WireJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The API's JSON bodies (alert rules, acknowledgements, silences, costs, settings), their size bounded before they are read whole,
 * and the alert labels the console's forms carry as JSON.
 */
public final class RequestJson {

    /** Such a body is a few hundred bytes; far more is a mistake or an attack. */
    public static final int LARGEST = 64 * 1024;

    private RequestJson() {
    }

    public static JsonNode read(InputStream request) throws IOException {
        byte[] body = request.readNBytes(LARGEST + 1);
        if (body.length > LARGEST) {
            throw new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE, "a body of at most " + LARGEST + " bytes");
        }
        try {
            return WireJson.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("(body): not JSON: " + e.getOriginalMessage());
        }
    }

    public static Optional<String> text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isString()) {
            throw new IllegalArgumentException(field + ": a string");
        }
        return Optional.of(value.asString());
    }

    public static UUID id(JsonNode json, String field) {
        String text = text(json, field).orElseThrow(() -> new IllegalArgumentException(field + ": required"));
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": an id, not '" + text + "'");
        }
    }

    /** A form field holding an object of strings as JSON (an alert's labels). */
    public static Map<String, String> strings(String json, String field) {
        try {
            return strings(WireJson.MAPPER.createObjectNode().set(field, WireJson.MAPPER.readTree(json)), field);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(field + ": an object of strings as JSON");
        }
    }

    /** An object of strings: labels, matchers. */
    public static Map<String, String> strings(JsonNode json, String field) {
        JsonNode value = json.get(field);
        Map<String, String> read = new TreeMap<>();
        if (value == null || value.isNull()) {
            return read;
        }
        if (!value.isObject()) {
            throw new IllegalArgumentException(field + ": an object of strings");
        }
        for (String name : value.propertyNames()) {
            if (!value.get(name).isString()) {
                throw new IllegalArgumentException(field + "." + name + ": a string");
            }
            read.put(name, value.get(name).asString());
        }
        return read;
    }
}
