package dev.mailpulse.collector.webhook;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stands in for Amazon SNS's side of HTTP delivery on loopback: it serves the signing certificate, records the
 * subscription confirmations it receives, and signs messages as SNS does (SignatureVersion 1 or 2).
 */
final class LoopbackSnsEndpoint implements AutoCloseable {

    static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:ses-events";

    private final HttpServer server;
    private final KeyPair keys;
    private final List<String> confirmations = new CopyOnWriteArrayList<>();

    LoopbackSnsEndpoint() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
        byte[] pem = pem(certificate(keys)).getBytes(StandardCharsets.US_ASCII);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/SimpleNotificationService-test.pem", exchange -> {
            exchange.sendResponseHeaders(200, pem.length);
            exchange.getResponseBody().write(pem);
            exchange.close();
        });
        server.createContext("/confirm", exchange -> {
            confirmations.add(exchange.getRequestURI().getQuery());
            byte[] ok = "<ConfirmSubscriptionResponse/>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        server.start();
    }

    /** What the collector must accept as an SNS address in tests. */
    String urlPattern() {
        return "^http://127\\.0\\.0\\.1:" + server.getAddress().getPort() + "/";
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<String> confirmations() {
        return confirmations;
    }

    ObjectNode notification(String sesMessage, String signatureVersion) throws Exception {
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put("Type", "Notification");
        message.put("MessageId", UUID.randomUUID().toString());
        message.put("TopicArn", TOPIC);
        message.put("Message", sesMessage);
        message.put("Timestamp", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        message.put("SignatureVersion", signatureVersion);
        message.put("SigningCertURL", base() + "/SimpleNotificationService-test.pem");
        message.put("UnsubscribeURL", base() + "/unsubscribe");
        return sign(message, List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"));
    }

    ObjectNode subscriptionConfirmation() throws Exception {
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put("Type", "SubscriptionConfirmation");
        message.put("MessageId", UUID.randomUUID().toString());
        message.put("Token", "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736");
        message.put("TopicArn", TOPIC);
        message.put("Message", "You have chosen to subscribe to the topic " + TOPIC + ".\nTo confirm the subscription, visit the SubscribeURL included in this message.");
        message.put("SubscribeURL", base() + "/confirm?Action=ConfirmSubscription&TopicArn=" + TOPIC + "&Token=2336412f37");
        message.put("Timestamp", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        message.put("SignatureVersion", "2");
        message.put("SigningCertURL", base() + "/SimpleNotificationService-test.pem");
        return sign(message, List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"));
    }

    private ObjectNode sign(ObjectNode message, List<String> fields) throws Exception {
        Signature signer = Signature.getInstance("1".equals(message.get("SignatureVersion").asString()) ? "SHA1withRSA" : "SHA256withRSA");
        signer.initSign(keys.getPrivate());
        signer.update(SnsMessages.stringToSign(message, fields).getBytes(StandardCharsets.UTF_8));
        message.put("Signature", Base64.getEncoder().encodeToString(signer.sign()));
        return message;
    }

    private static X509Certificate certificate(KeyPair keys) throws Exception {
        X500Name name = new X500Name("CN=sns.us-east-1.amazonaws.com");
        Instant now = Instant.now();
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(1, ChronoUnit.DAYS)), name, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
    }

    private static String pem(X509Certificate certificate) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(certificate);
        }
        return out.toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
