package dev.mailpulse.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;

import dev.mailpulse.storage.DatabaseSettings;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.StorageSettings;

/**
 * The Java side of {@code bin/mailpulse}: the commands that talk to MailPulse's services. Settings come from the
 * {@code MAILPULSE_*} environment variables. Exit status: 0 done, 1 failed, 2 wrong usage.
 */
public final class MailPulseCli {

    private static final String USAGE = """
            usage: mailpulse COMMAND
              migrate    create the database if missing and apply the schema (TimescaleDB where usable, else plain PostgreSQL)
            """;

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    MailPulseCli(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new MailPulseCli(System.getenv(), System.out, System.err).run(args));
    }

    int run(String... args) {
        if (args.length == 0) {
            err.print(USAGE);
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (args[0]) {
                case "migrate" -> migrate(rest);
                case "help", "--help", "-h" -> {
                    out.print(USAGE);
                    yield 0;
                }
                default -> {
                    err.println("mailpulse: unknown command '" + args[0] + "'");
                    err.print(USAGE);
                    yield 2;
                }
            };
        } catch (Exception e) {
            err.println("mailpulse " + args[0] + ": " + e.getMessage());
            return 1;
        }
    }

    private int migrate(String[] args) throws Exception {
        if (args.length > 0) {
            err.println("mailpulse migrate takes no arguments");
            return 2;
        }
        DatabaseSettings database = DatabaseSettings.fromEnvironment(env);
        out.println("Migrating " + database.url() + " ...");
        SchemaMigrator.Outcome outcome = new SchemaMigrator(database, StorageSettings.fromEnvironment(env)).migrate();
        if (outcome.databaseCreated()) {
            out.println("Created database " + database.databaseName());
        }
        out.println("Engine: " + outcome.engine().sqlName()
                + "; migrations applied: " + outcome.migrationsApplied()
                + "; schema version: " + outcome.schemaVersion());
        return 0;
    }
}
