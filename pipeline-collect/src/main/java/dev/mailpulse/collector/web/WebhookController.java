package dev.mailpulse.collector.web;

import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.mailpulse.collector.CollectorProperties;
import dev.mailpulse.collector.ingest.Answer;
import dev.mailpulse.collector.ingest.AuthenticationThrottle;
import dev.mailpulse.collector.ingest.Ingestion;
import dev.mailpulse.collector.webhook.ProviderAdapter;
import dev.mailpulse.collector.webhook.ProviderAdapters;
import dev.mailpulse.collector.webhook.WebhookOutcome;
import dev.mailpulse.collector.webhook.WebhookRequest;
import dev.mailpulse.core.cache.TtlCache;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.storage.workspace.Workspaces.Workspace;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/webhooks/{provider}/{workspace}}: a provider's webhook for one workspace (by id or name). The call
 * must prove itself with the credential stored for that workspace and provider; the answer is 2xx only once its
 * events are confirmed by the broker, so the provider retries anything that was not taken.
 */
@RestController
public class WebhookController {

    private record Target(Workspace workspace, ObjectNode credential) {
    }

    private final ProviderAdapters adapters;
    private final Workspaces workspaces;
    private final Ingestion ingestion;
    private final TtlCache<String, Optional<Target>> targets;
    private final AuthenticationThrottle throttle;
    private final int maxBodyBytes;

    WebhookController(ProviderAdapters adapters, Workspaces workspaces, Ingestion ingestion, AuthenticationThrottle throttle,
                      CollectorProperties properties) {
        this.throttle = throttle;
        this.adapters = adapters;
        this.workspaces = workspaces;
        this.ingestion = ingestion;
        this.targets = new TtlCache<>(properties.credentialCacheTtl(), 10_000, System::nanoTime);
        this.maxBodyBytes = (int) properties.maxBodySize().toBytes();
    }

    @PostMapping("/v1/webhooks/{provider}/{workspace}")
    ResponseEntity<Object> receive(@PathVariable String provider, @PathVariable("workspace") String workspaceRef,
                                   HttpServletRequest request) throws IOException {
        Optional<ProviderAdapter> adapter = adapters.find(provider);
        if (adapter.isEmpty()) {
            return ApiError.refuse(HttpStatus.NOT_FOUND, "no webhook for provider '" + provider + "'; known: " + adapters.names(), "provider");
        }
        String client = request.getRemoteAddr();
        String targetKey = provider + "/" + workspaceRef;
        if (!throttle.allows(client, targetKey)) {
            return ApiError.refuse(HttpStatus.TOO_MANY_REQUESTS, "too many failed authentications; try again later", "Authorization",
                    throttle.window().toSeconds());
        }
        // One answer for "no such workspace" and "no credential": the endpoint does not tell which workspaces exist.
        Optional<Target> target = targets.get(targetKey, key -> find(provider, workspaceRef));
        if (target.isEmpty()) {
            throttle.failed(client, targetKey);
            return ApiError.refuse(HttpStatus.UNAUTHORIZED, "no " + provider + " webhook is configured for workspace " + workspaceRef, "workspace");
        }
        if (request.getContentLengthLong() > maxBodyBytes) {
            return ApiError.refuse(HttpStatus.CONTENT_TOO_LARGE, "the body is over the limit of " + maxBodyBytes + " bytes", "body");
        }
        byte[] body = request.getInputStream().readNBytes(maxBodyBytes + 1);
        if (body.length > maxBodyBytes) {
            return ApiError.refuse(HttpStatus.CONTENT_TOO_LARGE, "the body is over the limit of " + maxBodyBytes + " bytes", "body");
        }
        WebhookRequest call = new WebhookRequest(headers(request), body);
        Optional<Answer.Refused> refusal;
        WebhookOutcome outcome;
        try {
            refusal = adapter.get().verify(call, target.get().credential());
        } catch (RuntimeException e) { // a proof that cannot even be read proves nothing
            refusal = Optional.of(Answer.Refused.of(401, "the call's proof of origin cannot be read: " + e.getMessage(), "body"));
        }
        if (refusal.isPresent()) {
            if (refusal.get().status() == HttpStatus.UNAUTHORIZED.value()) {
                throttle.failed(client, targetKey);
            }
            return ApiError.response(refusal.get(), HttpStatus.OK);
        }
        try {
            outcome = adapter.get().read(call, target.get().workspace().id());
        } catch (RuntimeException e) { // an adapter keeps each item's failure to itself; this is the whole call's
            outcome = new WebhookOutcome.Unreadable(400, "the call cannot be read: " + e.getMessage(), "body");
        }
        ResponseEntity<Object> answer;
        if (outcome instanceof WebhookOutcome.Handled handled) {
            answer = ResponseEntity.ok(Map.of("handled", handled.message()));
        } else if (outcome instanceof WebhookOutcome.Unreadable unreadable) {
            answer = ApiError.response(Answer.Refused.of(unreadable.status(), unreadable.reason(), unreadable.where()), HttpStatus.OK);
        } else {
            WebhookOutcome.Events events = (WebhookOutcome.Events) outcome;
            answer = ApiError.response(ingestion.ingest(target.get().workspace(), adapter.get().source(), events.events(), events.unmapped()),
                    HttpStatus.OK);
        }
        if (answer.getStatusCode().is2xxSuccessful()) {
            adapter.get().accepted(call);
        }
        return answer;
    }

    private Optional<Target> find(String provider, String workspaceRef) {
        Optional<Workspace> workspace;
        try {
            workspace = workspaces.find(UUID.fromString(workspaceRef));
        } catch (IllegalArgumentException notAnId) {
            workspace = workspaces.find(workspaceRef);
        }
        return workspace.flatMap(w -> workspaces.webhookCredential(w.id(), provider).map(c -> new Target(w, c)));
    }

    private static Map<String, String> headers(HttpServletRequest request) {
        Map<String, String> headers = new HashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name.toLowerCase(Locale.ROOT), request.getHeader(name));
        }
        return headers;
    }
}
