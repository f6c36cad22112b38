package dev.mailpulse.storage.workspace;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Workspace API keys: {@code mp_} followed by 43 base62 characters (256 random bits). Only the SHA-256 of a key is
 * stored; its first characters are kept in clear so that people can tell their keys apart.
 */
public final class ApiKeys {

    static final String PREFIX = "mp_";
    static final int DISPLAY_PREFIX_LENGTH = PREFIX.length() + 8;
    private static final int RANDOM_CHARS = 43; // 43 × log2(62) ≈ 256 bits
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    public static String generate() {
        StringBuilder key = new StringBuilder(PREFIX.length() + RANDOM_CHARS).append(PREFIX);
        for (int i = 0; i < RANDOM_CHARS; i++) {
            key.append(BASE62[RANDOM.nextInt(BASE62.length)]);
        }
        return key.toString();
    }

    /** A fast hash is right here: keys are long random strings, so there is no dictionary to try. */
    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    public static String displayPrefix(String key) {
        return key.substring(0, Math.min(key.length(), DISPLAY_PREFIX_LENGTH));
    }
}
