package dev.mailpulse.endtoend;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.mailpulse.storage.workspace.WebhookCredential;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.testing.LoopbackSns;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The providers' documented webhook payloads (the collector's fixtures) sent to a running collector as each provider
 * sends them, signed with credentials made here, for one workspace: SendGrid's signed batch, Mailgun's signed events,
 * Postmark's calls with Basic credentials, SES notifications through SNS; and an event of our own API whose recipient
 * is given in clear. Every time in them is moved to an hour ago, so that they are stored as events, not refused as
 * too old.
 */
final class DocumentedWebhooks {

    /** The recipients the documented payloads name (their senders and message ids are not recipients). */
    static final List<String> RECIPIENTS = List.of("example@test.com", "recipient@sample.mailgun.com", "badrecipient@sample.mailgun.com",
            "tempfailrecipient@sample.mailgun.com", "recipient@mailgun.com", "john@example.com", "bounced-address@wildbit.com",
            "recipient@example.com", "api.recipient@example.org");

    private static final Path FIXTURES = Path.of("..").toAbsolutePath().normalize().resolve("pipeline-collect/src/test/resources/webhooks");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern ISO_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})?");
    private static final Pattern EPOCH_TIME = Pattern.compile("(\"timestamp\"\\s*:\\s*)\\d{10}(\\.\\d+)?");

    private final HttpClient http = HttpClient.newHttpClient();
    private final String collector;
    private final LoopbackSns sns;
    private long taken;

    DocumentedWebhooks(String collector, LoopbackSns sns) {
        this.collector = collector;
        this.sns = sns;
    }

    /**
     * How many items the collector took or rejected that must be stored, each as an event or a failure: Postmark's
     * documented SpamComplaint reuses the documented (legacy) bounce's record ID 42, so it is a redelivery of that
     * bounce record and is stored once.
     */
    long toStore() {
        return taken - 1;
    }

    void sendAll(Workspaces workspaces, String workspaceName) throws Exception {
        Workspaces.Created workspace = workspaces.create(workspaceName, "Europe/Paris", false);
        String mailgunKey = HexFormat.of().formatHex(bytes(24));
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair sendGrid = ec.generateKeyPair();
        String postmarkPassword = HexFormat.of().formatHex(bytes(16));
        workspaces.setWebhookCredential(workspaceName, new WebhookCredential.Mailgun(mailgunKey));
        workspaces.setWebhookCredential(workspaceName, new WebhookCredential.SendGrid(Base64.getEncoder().encodeToString(sendGrid.getPublic().getEncoded())));
        workspaces.setWebhookCredential(workspaceName, WebhookCredential.Postmark.of("hooks", postmarkPassword));
        workspaces.setWebhookCredential(workspaceName, new WebhookCredential.Ses(LoopbackSns.TOPIC));
        String path = "/v1/webhooks/%s/" + workspace.workspace().id();

        String sendGridBody = recent(FIXTURES.resolve("sendgrid/events.json"));
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(sendGrid.getPrivate());
        signer.update((timestamp + sendGridBody).getBytes(StandardCharsets.UTF_8));
        send(path.formatted("sendgrid"), sendGridBody, Map.of("X-Twilio-Email-Event-Webhook-Signature",
                Base64.getEncoder().encodeToString(signer.sign()), "X-Twilio-Email-Event-Webhook-Timestamp", timestamp));

        for (Path fixture : fixtures("mailgun")) {
            ObjectNode call = (ObjectNode) JSON.readTree(recent(fixture));
            String now = Long.toString(Instant.now().getEpochSecond());
            String token = HexFormat.of().formatHex(bytes(25));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(mailgunKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            call.putObject("signature").put("timestamp", now).put("token", token)
                    .put("signature", HexFormat.of().formatHex(mac.doFinal((now + token).getBytes(StandardCharsets.UTF_8))));
            send(path.formatted("mailgun"), call.toString(), Map.of());
        }

        String basic = "Basic " + Base64.getEncoder().encodeToString(("hooks:" + postmarkPassword).getBytes(StandardCharsets.UTF_8));
        for (Path fixture : fixtures("postmark")) {
            send(path.formatted("postmark"), recent(fixture), Map.of("Authorization", basic));
        }

        for (Path fixture : fixtures("ses")) {
            if (!fixture.getFileName().toString().startsWith("sns-")) {
                send(path.formatted("ses"), sns.notification(recent(fixture), "2").toString(), Map.of("x-amz-sns-message-type", "Notification"));
            }
        }

        String apiEvent = """
                [{"type": "email.send", "schema_version": 1, "occurred_at": "%s", "campaign_id": "spring-sale",
                  "message_id": "<api-1@mail.example.org>", "recipient": "API.Recipient@Example.org"}]""".formatted(Instant.now());
        send("/v1/events", apiEvent, Map.of("Authorization", "Bearer " + workspace.key().key()));
    }

    private void send(String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(collector + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError(path + " answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode answer = JSON.readTree(response.body());
        taken += answer.path("accepted").asLong() + answer.path("rejected").size();
    }

    /** A fixture with every ISO time and every epoch {@code timestamp} in it moved to an hour ago. */
    private static String recent(Path fixture) throws Exception {
        Instant anHourAgo = Instant.now().minus(Duration.ofHours(1));
        String moved = ISO_TIME.matcher(Files.readString(fixture)).replaceAll(Matcher.quoteReplacement(anHourAgo.toString()));
        return EPOCH_TIME.matcher(moved).replaceAll("$1" + anHourAgo.getEpochSecond());
    }

    private static List<Path> fixtures(String provider) throws Exception {
        try (Stream<Path> files = Files.list(FIXTURES.resolve(provider))) {
            return new ArrayList<>(files.filter(f -> f.toString().endsWith(".json")).sorted().toList());
        }
    }

    private static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
