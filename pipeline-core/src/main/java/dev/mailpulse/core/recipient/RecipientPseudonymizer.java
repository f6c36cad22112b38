package dev.mailpulse.core.recipient;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.mailpulse.core.event.Recipient;

/**
 * Turns a recipient's address into its pseudonymous form: a keyed hash of the normalised address plus its domain.
 *
 * <p>The hash is an HMAC-SHA256 under a secret from configuration, salted with the workspace id so that the same
 * address cannot be joined across workspaces. It is stable, so unique-recipient counts stay exact.
 */
public final class RecipientPseudonymizer {

    private static final int MIN_SECRET_BYTES = 16;
    private static final int HASH_HEX_LENGTH = 32;

    private final SecretKeySpec key;

    public RecipientPseudonymizer(byte[] secret) {
        if (secret == null || secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the recipient hashing secret must have at least " + MIN_SECRET_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    /**
     * @param keepAddress the workspace's explicit choice to store the address in clear
     * @throws IllegalArgumentException if the address has no local part or no domain
     */
    public Recipient pseudonymise(UUID workspaceId, String address, boolean keepAddress) {
        String normalised = normalise(address);
        String domain = normalised.substring(normalised.lastIndexOf('@') + 1);
        String hash = hash(workspaceId, normalised);
        return new Recipient(hash, domain, keepAddress ? normalised : null);
    }

    /**
     * Whether an address-like text is already a pseudonym ({@code hash@domain}), so that withholding the addresses of
     * something already withheld changes nothing.
     */
    public static boolean isPseudonym(String address) {
        int at = address.lastIndexOf('@');
        return at == HASH_HEX_LENGTH && address.substring(0, at).chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f');
    }

    /** Lower-cases the address and writes an internationalised domain in its ASCII (punycode) form. */
    static String normalise(String address) {
        if (address == null) {
            throw new IllegalArgumentException("the recipient address is missing");
        }
        String trimmed = address.strip();
        int at = trimmed.lastIndexOf('@');
        if (at <= 0 || at == trimmed.length() - 1) {
            throw new IllegalArgumentException("the recipient address has no local part or no domain: " + address);
        }
        String localPart = trimmed.substring(0, at).toLowerCase(Locale.ROOT);
        String domain = IDN.toASCII(trimmed.substring(at + 1), IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        return localPart + "@" + domain;
    }

    private String hash(UUID workspaceId, String normalisedAddress) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(workspaceId.toString().getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) 0);
            byte[] digest = mac.doFinal(normalisedAddress.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_HEX_LENGTH);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
