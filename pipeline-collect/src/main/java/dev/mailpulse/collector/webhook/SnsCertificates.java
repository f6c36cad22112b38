package dev.mailpulse.collector.webhook;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import dev.mailpulse.core.cache.TtlCache;

/**
 * The certificates Amazon SNS signs its messages with. One is trusted only if it was fetched from an allowed SNS
 * address, names Amazon SNS as its subject, and chains to a trusted root: the PEM at SigningCertURL holds the signing
 * certificate alone, so its intermediates are fetched from the addresses its Authority Information Access names.
 * Revocation is not checked (SNS rotates its certificates; each is trusted until it expires).
 */
public final class SnsCertificates {

    private static final int MAX_CERTIFICATE_BYTES = 16 * 1024;
    private static final int MAX_INTERMEDIATES = 4;
    private static final String AUTHORITY_INFO_ACCESS = "1.3.6.1.5.5.7.1.1";
    /** The DER of the OID 1.3.6.1.5.5.7.48.2 (id-ad-caIssuers). */
    private static final byte[] CA_ISSUERS = {0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02};
    private static final int SAN_DNS_NAME = 2;

    private final Pattern subject;
    private final Set<TrustAnchor> anchors;
    private final HttpClient http;
    private final TtlCache<String, X509Certificate> trusted;
    private final Clock clock;

    /**
     * @param subject what the signing certificate's common name or one of its DNS names must match in full
     * @param anchors the roots a signing certificate must chain to (the JDK's, see {@link #jdkTrustAnchors()})
     * @param trusted where certificates that passed every check are kept, by URL
     */
    public SnsCertificates(Pattern subject, Set<TrustAnchor> anchors, HttpClient http, TtlCache<String, X509Certificate> trusted, Clock clock) {
        this.subject = subject;
        this.anchors = Set.copyOf(anchors);
        this.http = http;
        this.trusted = trusted;
        this.clock = clock;
    }

    /**
     * @param url a SigningCertURL already matched against the allowed SNS addresses
     * @throws IllegalStateException saying why the certificate is not trusted
     */
    public X509Certificate signingCertificate(String url) {
        X509Certificate certificate = trusted.get(url, this::fetchAndCheck);
        try {
            certificate.checkValidity(Date.from(clock.instant()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the signing certificate is not valid now: " + e.getMessage(), e);
        }
        return certificate;
    }

    private X509Certificate fetchAndCheck(String url) {
        List<X509Certificate> served = certificates(url);
        X509Certificate leaf = served.get(0);
        if (!namesAmazonSns(leaf)) {
            throw new IllegalStateException("the signing certificate is not issued to Amazon SNS: " + leaf.getSubjectX500Principal().getName());
        }
        List<X509Certificate> candidates = new ArrayList<>(served);
        X509Certificate last = leaf;
        for (int i = 0; i < MAX_INTERMEDIATES && !issuedByAnchor(last) && !issuerAmong(last, candidates); i++) {
            Optional<String> issuerUrl = caIssuersUrl(last);
            if (issuerUrl.isEmpty()) {
                break;
            }
            last = certificates(issuerUrl.get()).get(0);
            candidates.add(last);
        }
        validateChain(leaf, candidates);
        return leaf;
    }

    private static boolean issuerAmong(X509Certificate certificate, List<X509Certificate> candidates) {
        return candidates.stream().anyMatch(c -> c != certificate && c.getSubjectX500Principal().equals(certificate.getIssuerX500Principal()));
    }

    private boolean issuedByAnchor(X509Certificate certificate) {
        return anchors.stream().anyMatch(a -> a.getTrustedCert().getSubjectX500Principal().equals(certificate.getIssuerX500Principal()));
    }

    private void validateChain(X509Certificate leaf, Collection<X509Certificate> candidates) {
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(leaf);
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(candidates)));
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(clock.instant()));
            CertPathBuilder.getInstance("PKIX").build(parameters);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the signing certificate does not chain to a trusted root: " + e.getMessage(), e);
        }
    }

    private boolean namesAmazonSns(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    names.add(String.valueOf(rdn.getValue()));
                }
            }
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                alternatives.stream().filter(n -> Integer.valueOf(SAN_DNS_NAME).equals(n.get(0))).forEach(n -> names.add(String.valueOf(n.get(1))));
            }
        } catch (InvalidNameException | GeneralSecurityException e) {
            return false;
        }
        return names.stream().anyMatch(name -> subject.matcher(name).matches());
    }

    private List<X509Certificate> certificates(String url) {
        URI address = URI.create(url);
        if (!"https".equals(address.getScheme()) && !"http".equals(address.getScheme())) {
            throw new IllegalStateException("a certificate address must be HTTP(S): " + url);
        }
        try {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(address).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("the certificate at " + url + " could not be fetched: HTTP " + response.statusCode());
                }
                byte[] bytes = body.readNBytes(MAX_CERTIFICATE_BYTES + 1);
                if (bytes.length > MAX_CERTIFICATE_BYTES) {
                    throw new IllegalStateException("the certificate at " + url + " is larger than " + MAX_CERTIFICATE_BYTES + " bytes");
                }
                List<X509Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))
                        .stream().map(X509Certificate.class::cast).toList();
                if (certificates.isEmpty()) {
                    throw new IllegalStateException("no certificate at " + url);
                }
                return certificates;
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the certificate at " + url + " could not be read: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching a certificate", e);
        }
    }

    /**
     * The first CA Issuers URI of a certificate's Authority Information Access: the extension is a SEQUENCE of
     * AccessDescription SEQUENCEs (an OID, then a GeneralName, here a [6] URI), read with a few lines of DER.
     */
    static Optional<String> caIssuersUrl(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(AUTHORITY_INFO_ACCESS);
        if (extension == null) {
            return Optional.empty();
        }
        try {
            Der octets = Der.read(extension, 0);
            Der descriptions = Der.read(extension, octets.contentStart());
            for (int at = descriptions.contentStart(); at < descriptions.end(); ) {
                Der description = Der.read(extension, at);
                Der method = Der.read(extension, description.contentStart());
                Der location = Der.read(extension, method.end());
                if (Arrays.equals(Arrays.copyOfRange(extension, method.start(), method.end()), CA_ISSUERS) && location.tag() == (byte) 0x86) {
                    return Optional.of(new String(extension, location.contentStart(), location.end() - location.contentStart(),
                            StandardCharsets.US_ASCII));
                }
                at = description.end();
            }
            return Optional.empty();
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** One DER tag-length-value at {@code start}: its tag, where its content starts and where it ends. */
    private record Der(byte tag, int start, int contentStart, int end) {

        static Der read(byte[] der, int start) {
            int length = der[start + 1] & 0xff;
            int contentStart = start + 2;
            if (length >= 0x80) {
                int lengthBytes = length & 0x7f;
                if (lengthBytes == 0 || lengthBytes > 3) {
                    throw new IllegalArgumentException("unsupported DER length");
                }
                length = 0;
                for (int i = 0; i < lengthBytes; i++) {
                    length = (length << 8) | (der[contentStart + i] & 0xff);
                }
                contentStart += lengthBytes;
            }
            if (contentStart + length > der.length) {
                throw new IllegalArgumentException("truncated DER");
            }
            return new Der(der[start], start, contentStart, contentStart + length);
        }
    }

    /** The roots the JDK trusts (its {@code cacerts}, or the store named by {@code javax.net.ssl.trustStore}). */
    public static Set<TrustAnchor> jdkTrustAnchors() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return Arrays.stream(factory.getTrustManagers()).filter(X509TrustManager.class::isInstance)
                    .flatMap(m -> Arrays.stream(((X509TrustManager) m).getAcceptedIssuers()))
                    .map(c -> new TrustAnchor(c, null)).collect(Collectors.toUnmodifiableSet());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's trusted roots cannot be read", e);
        }
    }

    /** The roots in a PEM file, for a deployment that trusts its own (a test CA, a company's proxy). */
    public static Set<TrustAnchor> trustAnchors(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> roots = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (roots.isEmpty()) {
                throw new IllegalArgumentException("no certificate in " + pem);
            }
            return roots.stream().map(c -> new TrustAnchor((X509Certificate) c, null)).collect(Collectors.toUnmodifiableSet());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the trusted roots in " + pem + " cannot be read: " + e.getMessage(), e);
        }
    }
}
