package dev.mailpulse.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.jooq.DSLContext;

import dev.mailpulse.storage.events.StoredAddresses;
import dev.mailpulse.storage.workspace.KeyScope;
import dev.mailpulse.storage.workspace.WebhookCredential;
import dev.mailpulse.storage.workspace.Workspaces;

/** {@code mailpulse workspace ...}: tenants, their API keys and their providers' webhook credentials. */
final class WorkspaceCommand {

    static final String USAGE = """
              workspace create NAME [--time-zone ZONE] [--store-recipient-address]
                                     create a workspace; prints its id and, on the last line, its API key
              workspace list         list workspaces
              workspace keys NAME    list a workspace's API keys (prefixes only) and their scopes
              workspace key NAME [--scope ingest|read|admin] [--label LABEL]
                                     issue one more API key (last line): ingest (the default) sends events, read
                                     reads the Analytics API and the live stream, admin reads and writes
              workspace rotate-key NAME [--scope ingest|read|admin]
                                     issue a new API key of the scope (last line) and revoke the others of it
              workspace revoke-key NAME PREFIX
                                     revoke the key that starts with PREFIX
              workspace rate NAME EVENTS_PER_SECOND|default
                                     set the workspace's ingestion rate limit (default: the collector's)
              workspace attribution NAME [--click-window-hours N] [--open-window-hours N|off] [--industry NAME|none]
                                     show or change how revenue is attributed (a click within N hours, default 120;
                                     an open within N hours, off by default) and the industry the workspace is
                                     benchmarked in; the next ETL run attributes every processed day again
              workspace webhook NAME sendgrid --public-key KEY
              workspace webhook NAME mailgun --signing-key KEY
              workspace webhook NAME postmark --user USER --password PASSWORD
              workspace webhook NAME ses --topic-arn ARN
                                     set (or replace) the credential a provider's webhooks are verified with
              workspace withhold-addresses NAME|--all
                                     replace the recipients' addresses already stored for a workspace that does not
                                     store them (every such workspace with --all) by their pseudonyms: in providers'
                                     payloads and ids and in failures; needs MAILPULSE_RECIPIENT_HASH_SECRET; safe to
                                     stop and run again
            """;

    private final Workspaces workspaces;
    private final DSLContext db;
    private final Supplier<StoredAddresses> storedAddresses;
    private final PrintStream out;

    /** @param storedAddresses asked for only by withhold-addresses, which alone needs the hashing secret */
    WorkspaceCommand(Workspaces workspaces, DSLContext db, Supplier<StoredAddresses> storedAddresses, PrintStream out) {
        this.workspaces = workspaces;
        this.db = db;
        this.storedAddresses = storedAddresses;
        this.out = out;
    }

    int run(List<String> args) {
        if (args.isEmpty()) {
            throw new Options.UsageException("workspace needs a subcommand");
        }
        List<String> rest = args.subList(1, args.size());
        switch (args.get(0)) {
            case "create" -> create(Options.parse(rest, Set.of("--time-zone"), Set.of("--store-recipient-address")));
            case "list" -> {
                Options.parse(rest, Set.of(), Set.of()).expectPositionals(0);
                workspaces.list().forEach(w -> out.println(w.name() + "\t" + w.id() + "\t" + w.timeZone()
                        + (w.storeRecipientAddress() ? "\tstores recipient addresses" : "")));
            }
            case "keys" -> {
                Options options = Options.parse(rest, Set.of(), Set.of());
                options.expectPositionals(1);
                workspaces.keys(options.positional(0, "NAME")).forEach(k -> out.println(k.displayPrefix() + "…\t" + k.scope().wireName()
                        + "\t" + (k.label() == null ? "" : k.label()) + "\tcreated " + k.createdAt()
                        + (k.revokedAt() == null ? "" : "\trevoked " + k.revokedAt())));
            }
            case "key" -> {
                Options options = Options.parse(rest, Set.of("--label", "--scope"), Set.of());
                options.expectPositionals(1);
                printKey(workspaces.issueKey(options.positional(0, "NAME"), options.value("--label", null), scope(options)));
            }
            case "rotate-key" -> {
                Options options = Options.parse(rest, Set.of("--scope"), Set.of());
                options.expectPositionals(1);
                KeyScope scope = scope(options);
                Workspaces.IssuedKey key = workspaces.rotateKey(options.positional(0, "NAME"), scope);
                out.println("Every other " + scope.wireName() + " key of the workspace is revoked.");
                printKey(key);
            }
            case "revoke-key" -> {
                Options options = Options.parse(rest, Set.of(), Set.of());
                options.expectPositionals(2);
                int revoked = workspaces.revokeKey(options.positional(0, "NAME"), options.positional(1, "PREFIX"));
                if (revoked == 0) {
                    throw new IllegalArgumentException("no live key of that workspace starts with " + options.positional(1, "PREFIX"));
                }
                out.println("Revoked " + revoked + " key.");
            }
            case "rate" -> {
                Options options = Options.parse(rest, Set.of(), Set.of());
                options.expectPositionals(2);
                String rate = options.positional(1, "EVENTS_PER_SECOND");
                Integer eventsPerSecond;
                try {
                    eventsPerSecond = rate.equals("default") ? null : Integer.valueOf(rate);
                } catch (NumberFormatException e) {
                    throw new Options.UsageException("EVENTS_PER_SECOND is a whole number or 'default', was " + rate);
                }
                workspaces.setEventsPerSecond(options.positional(0, "NAME"), eventsPerSecond);
                out.println("Rate limit of " + options.positional(0, "NAME") + ": "
                        + (eventsPerSecond == null ? "the collector's default" : eventsPerSecond + " events/s") + ".");
            }
            case "attribution" -> attribution(Options.parse(rest, Set.of("--click-window-hours", "--open-window-hours", "--industry"), Set.of()));
            case "webhook" -> webhook(Options.parse(rest,
                    Set.of("--public-key", "--signing-key", "--user", "--password", "--topic-arn"), Set.of()));
            case "withhold-addresses" -> withholdAddresses(Options.parse(rest, Set.of(), Set.of("--all")));
            default -> throw new Options.UsageException("unknown workspace subcommand '" + args.get(0) + "'");
        }
        return 0;
    }

    private void attribution(Options options) {
        options.expectPositionals(1);
        Workspaces.Workspace workspace = workspaces.find(options.positional(0, "NAME"))
                .orElseThrow(() -> new IllegalArgumentException("there is no workspace " + options.positional(0, "NAME")));
        Workspaces.BusinessSettings now = workspaces.businessSettings(workspace.id());
        String click = options.value("--click-window-hours", String.valueOf(now.clickWindowHours()));
        String open = options.value("--open-window-hours", now.openWindowHours() == null ? "off" : String.valueOf(now.openWindowHours()));
        String industry = options.value("--industry", now.industry() == null ? "none" : now.industry());
        Workspaces.BusinessSettings settings;
        try {
            settings = new Workspaces.BusinessSettings(Integer.parseInt(click), open.equals("off") ? null : Integer.valueOf(open),
                    industry.equals("none") ? null : industry);
        } catch (NumberFormatException e) {
            throw new Options.UsageException("--click-window-hours and --open-window-hours are whole numbers of hours (or off for opens)");
        }
        if (!settings.equals(now)) {
            workspaces.setBusinessSettings(workspace.id(), settings);
        }
        out.printf("%s: a conversion credits the message it names, else the last human click within %d hours%s; industry: %s%s%n",
                workspace.name(), settings.clickWindowHours(), settings.openWindowHours() == null ? " (opens never credit)"
                        : ", else the last human open within " + settings.openWindowHours() + " hours",
                settings.industry() == null ? "none" : settings.industry(),
                settings.equals(now) ? "" : ". Changed: the next ETL run attributes every processed day again.");
    }

    private void withholdAddresses(Options options) {
        List<Workspaces.Workspace> chosen;
        if (options.flag("--all")) {
            options.expectPositionals(0);
            chosen = workspaces.list().stream().filter(w -> !w.storeRecipientAddress()).toList();
        } else {
            options.expectPositionals(1);
            String name = options.positional(0, "NAME");
            Workspaces.Workspace workspace = workspaces.find(name).orElseThrow(() -> new IllegalArgumentException("no workspace named " + name));
            if (workspace.storeRecipientAddress()) {
                throw new IllegalArgumentException("workspace " + name + " stores recipient addresses: its addresses are kept by choice");
            }
            chosen = List.of(workspace);
        }
        StoredAddresses addresses = storedAddresses.get();
        for (Workspaces.Workspace workspace : chosen) {
            StoredAddresses.Progress done = addresses.withhold(db, workspace.id(), progress -> out.printf(
                    "%s: %,d events read, %,d changed; %,d failures read, %,d changed%n", workspace.name(), progress.eventsRead(),
                    progress.eventsChanged(), progress.failuresRead(), progress.failuresChanged()));
            out.printf("%s: done, %,d events and %,d failures had addresses withheld.%n", workspace.name(), done.eventsChanged(),
                    done.failuresChanged());
        }
    }

    private void create(Options options) {
        options.expectPositionals(1);
        Workspaces.Created created = workspaces.create(options.positional(0, "NAME"), options.value("--time-zone", "UTC"),
                options.flag("--store-recipient-address"));
        out.println("Workspace " + created.workspace().name() + " created.");
        out.println("Workspace id: " + created.workspace().id());
        printKey(created.key());
    }

    private void webhook(Options options) {
        options.expectPositionals(2);
        String name = options.positional(0, "NAME");
        WebhookCredential credential = switch (options.positional(1, "PROVIDER")) {
            case "sendgrid" -> new WebhookCredential.SendGrid(options.required("--public-key"));
            case "mailgun" -> new WebhookCredential.Mailgun(options.required("--signing-key"));
            case "postmark" -> WebhookCredential.Postmark.of(options.required("--user"), options.required("--password"));
            case "ses" -> new WebhookCredential.Ses(options.required("--topic-arn"));
            default -> throw new Options.UsageException("the provider is one of sendgrid, mailgun, postmark, ses");
        };
        workspaces.setWebhookCredential(name, credential);
        out.println("Webhook credential for " + credential.provider() + " set on workspace " + name + ".");
    }

    private void printKey(Workspaces.IssuedKey key) {
        out.println("API key, " + key.scope().wireName() + " scope (shown once, keep it secret):");
        out.println(key.key());
    }

    private static KeyScope scope(Options options) {
        String scope = options.value("--scope", KeyScope.INGEST.wireName());
        return KeyScope.fromWireName(scope).orElseThrow(() -> new Options.UsageException("--scope is ingest, read or admin, not " + scope));
    }
}
