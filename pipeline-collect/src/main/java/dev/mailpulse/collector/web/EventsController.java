package dev.mailpulse.collector.web;

import java.io.IOException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.mailpulse.storage.workspace.ApiKeyAuthenticator;
import dev.mailpulse.collector.api.EventsRequestParser;
import dev.mailpulse.collector.api.EventsRequestParser.Parsed;
import dev.mailpulse.collector.api.EventsRequestParser.Refused;
import dev.mailpulse.collector.ingest.AuthenticationThrottle;
import dev.mailpulse.collector.ingest.Ingestion;
import dev.mailpulse.core.event.EventSource;
import dev.mailpulse.storage.workspace.KeyScope;
import dev.mailpulse.storage.workspace.Workspaces.KeyCheck;
import jakarta.servlet.http.HttpServletRequest;

/**
 * {@code POST /v1/events}: events from our own senders, authenticated by a workspace's ingest key in
 * {@code Authorization: Bearer KEY} or {@code X-Api-Key: KEY}; and {@code POST /v1/import}, the history import: the
 * same body, taken with an admin key, its events marked as imported ({@code source: import}) so that the validator
 * accepts them as old as its import limit (400 days by default) instead of a live event's.
 */
@RestController
public class EventsController {

    private final ApiKeyAuthenticator authenticator;
    private final AuthenticationThrottle throttle;
    private final EventsRequestParser parser;
    private final Ingestion ingestion;
    private final int maxBodyBytes;

    EventsController(ApiKeyAuthenticator authenticator, AuthenticationThrottle throttle, EventsRequestParser parser, Ingestion ingestion,
                     EventsRequestParser.Limits limits) {
        this.authenticator = authenticator;
        this.throttle = throttle;
        this.parser = parser;
        this.ingestion = ingestion;
        this.maxBodyBytes = limits.maxBodyBytes();
    }

    @PostMapping("/v1/events")
    ResponseEntity<Object> collect(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                   @RequestHeader(value = "X-Api-Key", required = false) String apiKeyHeader,
                                   HttpServletRequest request) throws IOException {
        return take(authorization, apiKeyHeader, request, KeyScope.INGEST, "sending events", EventSource.API);
    }

    @PostMapping("/v1/import")
    ResponseEntity<Object> importHistory(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                         @RequestHeader(value = "X-Api-Key", required = false) String apiKeyHeader,
                                         HttpServletRequest request) throws IOException {
        return take(authorization, apiKeyHeader, request, KeyScope.ADMIN, "importing history", EventSource.IMPORT);
    }

    private ResponseEntity<Object> take(String authorization, String apiKeyHeader, HttpServletRequest request, KeyScope scope, String what,
                                        EventSource source) throws IOException {
        String apiKey = apiKeyHeader != null ? apiKeyHeader.strip()
                : authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).strip()
                : null;
        if (apiKey == null) {
            return ApiError.refuse(HttpStatus.UNAUTHORIZED, "an API key is required (Authorization: Bearer KEY or X-Api-Key)", "Authorization");
        }
        String client = request.getRemoteAddr();
        if (!(authenticator.remembered(apiKey) instanceof KeyCheck.Valid) && !throttle.allows(client, null)) {
            return ApiError.refuse(HttpStatus.TOO_MANY_REQUESTS, "too many failed authentications from " + client
                    + "; try again later", "Authorization", throttle.window().toSeconds());
        }
        KeyCheck check = authenticator.check(apiKey);
        if (!(check instanceof KeyCheck.Valid)) {
            throttle.failed(client, null);
        }
        if (check instanceof KeyCheck.Revoked) {
            return ApiError.refuse(HttpStatus.FORBIDDEN, "this API key has been revoked", "Authorization");
        }
        if (!(check instanceof KeyCheck.Valid valid)) {
            return ApiError.refuse(HttpStatus.UNAUTHORIZED, "this API key is not known", "Authorization");
        }
        if (valid.scope() != scope) {
            return ApiError.refuse(HttpStatus.FORBIDDEN, "this is a " + valid.scope().wireName()
                    + " key; " + what + " takes an " + scope.wireName() + " key", "Authorization");
        }
        if (request.getContentLengthLong() > maxBodyBytes) {
            return ApiError.refuse(HttpStatus.CONTENT_TOO_LARGE, "the body is " + request.getContentLengthLong()
                    + " bytes, over the limit of " + maxBodyBytes, "body");
        }
        byte[] body = request.getInputStream().readNBytes(maxBodyBytes + 1);
        EventsRequestParser.Result result = parser.parse(body, request.getContentType(), request.getHeader(HttpHeaders.CONTENT_ENCODING));
        if (result instanceof Refused refused) {
            return ApiError.refuse(HttpStatus.valueOf(refused.status()), refused.reason(), refused.where());
        }
        Parsed parsed = (Parsed) result;
        return ApiError.response(ingestion.ingest(valid.workspace(), source, parsed.events(), parsed.errors()), HttpStatus.ACCEPTED);
    }
}
