package dev.mailpulse.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stands in for Amazon SNS's side of HTTP delivery on loopback: it signs messages as SNS does (SignatureVersion 1 or 2)
 * with a certificate issued to {@code sns.us-east-1.amazonaws.com} by an intermediate of a test root, serves that
 * certificate alone at its SigningCertURL and the intermediate at the address the certificate's Authority Information
 * Access names, and records the subscription confirmations it receives. Beside it, two certificates for the same key
 * that must not be trusted: one self-signed, one issued by the same intermediate to another name.
 */
public final class LoopbackSns implements AutoCloseable {

    public static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:ses-events";

    public static final String SELF_SIGNED = "/SimpleNotificationService-self-signed.pem";
    public static final String OTHER_SUBJECT = "/SimpleNotificationService-other-subject.pem";

    private final HttpServer server;
    private final KeyPair keys;
    private final X509Certificate root;
    private final List<String> confirmations = new CopyOnWriteArrayList<>();
    private final AtomicInteger intermediateFetches = new AtomicInteger();

    public LoopbackSns() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        KeyPair rootKeys = rsa();
        KeyPair intermediateKeys = rsa();
        keys = rsa();
        root = certificate("CN=MailPulse Test Root CA", rootKeys, "CN=MailPulse Test Root CA", rootKeys.getPrivate(), true, null);
        X509Certificate intermediate = certificate("CN=MailPulse Test SNS CA", intermediateKeys, "CN=MailPulse Test Root CA",
                rootKeys.getPrivate(), true, null);
        String intermediateUrl = base() + "/intermediate.cer";
        serve("/SimpleNotificationService-test.pem", pem(certificate("CN=sns.us-east-1.amazonaws.com", keys, "CN=MailPulse Test SNS CA",
                intermediateKeys.getPrivate(), false, intermediateUrl)), null);
        serve(SELF_SIGNED, pem(certificate("CN=sns.us-east-1.amazonaws.com", keys, "CN=sns.us-east-1.amazonaws.com", keys.getPrivate(), false, null)), null);
        serve(OTHER_SUBJECT, pem(certificate("CN=sns.attacker.example", keys, "CN=MailPulse Test SNS CA", intermediateKeys.getPrivate(), false,
                intermediateUrl)), null);
        serve("/intermediate.cer", intermediate.getEncoded(), intermediateFetches);
        server.createContext("/confirm", exchange -> {
            confirmations.add(exchange.getRequestURI().getQuery());
            byte[] ok = "<ConfirmSubscriptionResponse/>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        server.start();
    }

    private void serve(String path, byte[] body, AtomicInteger fetches) {
        server.createContext(path, exchange -> {
            if (fetches != null) {
                fetches.incrementAndGet();
            }
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
    }

    /** The test root, which the collector must be told to trust (it is in no JDK's trust store). */
    public Set<TrustAnchor> trustAnchors() {
        return Set.of(new TrustAnchor(root, null));
    }

    /** The test root as a PEM file, for {@code mailpulse.collector.sns-trust-anchors}. */
    public String trustAnchorsFile() {
        try {
            Path file = Files.createTempFile("sns-test-root", ".pem");
            file.toFile().deleteOnExit();
            Files.write(file, pem(root));
            return file.toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int intermediateFetches() {
        return intermediateFetches.get();
    }

    /** What the collector must accept as an SNS address in tests. */
    public String urlPattern() {
        return "^http://127\\.0\\.0\\.1:" + server.getAddress().getPort() + "/";
    }

    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<String> confirmations() {
        return confirmations;
    }

    public ObjectNode notification(String sesMessage, String signatureVersion) throws Exception {
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

    public ObjectNode subscriptionConfirmation() throws Exception {
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
        signer.update(stringToSign(message, fields).getBytes(StandardCharsets.UTF_8));
        message.put("Signature", Base64.getEncoder().encodeToString(signer.sign()));
        return message;
    }

    /**
     * What SNS signs, as its documentation describes it (written here apart from the collector's, so the two are
     * checked against each other): each present field's name and value, one a line, in a fixed order.
     */
    private static String stringToSign(ObjectNode message, List<String> fields) {
        StringBuilder signed = new StringBuilder();
        for (String field : fields) {
            if (message.hasNonNull(field)) {
                signed.append(field).append('\n').append(message.get(field).asString()).append('\n');
            }
        }
        return signed.toString();
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, PrivateKey issuerKey, boolean ca,
            String caIssuersUrl) throws Exception {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(now.toEpochMilli()).add(
                BigInteger.valueOf(subject.hashCode() & 0xffff)), Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(1, ChronoUnit.DAYS)),
                new X500Name(subject), subjectKeys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
        if (caIssuersUrl != null) {
            builder.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                    new AccessDescription(AccessDescription.id_ad_caIssuers, new GeneralName(GeneralName.uniformResourceIdentifier, caIssuersUrl))));
        }
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
    }

    private static byte[] pem(X509Certificate certificate) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(certificate);
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
