package dev.mailpulse.storage;

import java.util.Map;
import java.util.Objects;

/**
 * Where the MailPulse database is, from the {@code MAILPULSE_DB_*} environment variables shared by every command and
 * app, with local defaults.
 */
public record DatabaseSettings(String url, String user, String password) {

    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/mailpulse";

    public DatabaseSettings {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("MAILPULSE_DB_URL must be a jdbc:postgresql:// URL, was " + url);
        }
        Objects.requireNonNull(user, "user");
        password = password == null ? "" : password;
    }

    public static DatabaseSettings fromEnvironment(Map<String, String> env) {
        return new DatabaseSettings(
                valueOr(env, "MAILPULSE_DB_URL", DEFAULT_URL),
                valueOr(env, "MAILPULSE_DB_USER", "postgres"),
                valueOr(env, "MAILPULSE_DB_PASSWORD", ""));
    }

    /** The database name in the URL. */
    public String databaseName() {
        int slash = url.indexOf('/', "jdbc:postgresql://".length());
        if (slash < 0) {
            throw new IllegalArgumentException("MAILPULSE_DB_URL names no database: " + url);
        }
        int query = url.indexOf('?', slash);
        String name = query < 0 ? url.substring(slash + 1) : url.substring(slash + 1, query);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("MAILPULSE_DB_URL names no database: " + url);
        }
        return name;
    }

    /** The same server's maintenance database, used to create ours when it is missing. */
    public DatabaseSettings onMaintenanceDatabase() {
        int slash = url.indexOf('/', "jdbc:postgresql://".length());
        int query = url.indexOf('?', slash);
        return new DatabaseSettings(url.substring(0, slash + 1) + "postgres" + (query < 0 ? "" : url.substring(query)), user, password);
    }

    static String valueOr(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + url + ", user=" + user + "]";
    }
}
