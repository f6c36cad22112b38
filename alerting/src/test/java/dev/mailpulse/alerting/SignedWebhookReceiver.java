package dev.mailpulse.alerting;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.sun.net.httpserver.HttpServer;

import dev.mailpulse.core.json.WireJson;
import tools.jackson.databind.JsonNode;

/**
 * A webhook receiver on loopback for other modules' tests (alerting's test-jar): it checks each call's
 * {@code X-MailPulse-Signature} against its secret, keeps the bodies of those signed and answers 204, and answers 401
 * to the others, keeping them apart.
 */
public final class SignedWebhookReceiver implements AutoCloseable {

    public static final String SECRET = "the-receivers-secret-0123456789";

    private final HttpServer server;
    private final List<JsonNode> signed = Collections.synchronizedList(new ArrayList<>());
    private final List<String> unsigned = Collections.synchronizedList(new ArrayList<>());

    public SignedWebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status;
            if (WebhookSignature.verify(SECRET, exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER), body, Instant.now(),
                    Duration.ofMinutes(5))) {
                signed.add(WireJson.MAPPER.readTree(body));
                status = 204;
            } else {
                unsigned.add(new String(body, StandardCharsets.UTF_8));
                status = 401;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** Where webhooks are sent: {@code http://127.0.0.1:PORT/hook}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The bodies of the signed calls, in the order they came. */
    public List<JsonNode> signed() {
        return signed;
    }

    /** The bodies of the calls whose signature did not hold. */
    public List<String> unsigned() {
        return unsigned;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
