package dev.mailpulse.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;

import dev.mailpulse.storage.user.Role;
import dev.mailpulse.storage.user.Users;
import dev.mailpulse.storage.workspace.KeyScope;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.traffic.TrafficRun;

/** {@code mailpulse user ...}: the console's users, their workspaces and roles. */
final class UserCommand {

    static final String USAGE = """
              user create EMAIL --workspace NAME --role admin|analyst|viewer
                                     create a console user with a generated password (last line), a member of the
                                     workspace with that role
              user add EMAIL --workspace NAME --role admin|analyst|viewer
                                     give an existing user a role in one more workspace (or change it)
              user password EMAIL    set a new generated password (last line) and lift any lock after failed sign-ins
              user workspaces EMAIL  list the user's workspaces and roles
              user demo              the demo's sign-in: the user demo@mailpulse.local, admin of the demo workspace
                                     and of every workspace the traffic generator feeds, with a new password, and a new
                                     ingest key of the demo workspace (bin/mailpulse up and demo print them)
            """;

    /** The demo's user, and the workspace whose key up prints. */
    static final String DEMO_USER = "demo@mailpulse.local";
    static final String DEMO_WORKSPACE = "demo";

    private final Users users;
    private final Workspaces workspaces;
    private final PrintStream out;

    UserCommand(Users users, Workspaces workspaces, PrintStream out) {
        this.users = users;
        this.workspaces = workspaces;
        this.out = out;
    }

    int run(List<String> args) {
        if (args.isEmpty()) {
            throw new Options.UsageException("user needs a subcommand");
        }
        List<String> rest = args.subList(1, args.size());
        switch (args.get(0)) {
            case "create" -> {
                Options options = Options.parse(rest, Set.of("--workspace", "--role"), Set.of());
                options.expectPositionals(1);
                Users.Created created = users.create(options.positional(0, "EMAIL"), options.required("--workspace"), role(options));
                out.println("User " + created.user().email() + " created, " + options.value("--role", "") + " of " + options.required("--workspace") + ".");
                printPassword(created.password());
            }
            case "add" -> {
                Options options = Options.parse(rest, Set.of("--workspace", "--role"), Set.of());
                options.expectPositionals(1);
                users.add(options.positional(0, "EMAIL"), options.required("--workspace"), role(options));
                out.println("User " + options.positional(0, "EMAIL") + " is " + options.value("--role", "") + " of " + options.required("--workspace") + ".");
            }
            case "password" -> {
                Options options = Options.parse(rest, Set.of(), Set.of());
                options.expectPositionals(1);
                printPassword(users.resetPassword(options.positional(0, "EMAIL")));
            }
            case "workspaces" -> {
                Options options = Options.parse(rest, Set.of(), Set.of());
                options.expectPositionals(1);
                Users.User user = users.find(options.positional(0, "EMAIL"))
                        .orElseThrow(() -> new IllegalArgumentException("no user " + options.positional(0, "EMAIL")));
                users.memberships(user.id()).forEach(m -> out.println(m.workspaceName() + "\t" + m.role().wireName()));
            }
            case "demo" -> {
                Options.parse(rest, Set.of(), Set.of()).expectPositionals(0);
                demo();
            }
            default -> throw new Options.UsageException("unknown user subcommand '" + args.get(0) + "'");
        }
        return 0;
    }

    /** Idempotent: run after each generator run, it also adds the workspaces created since. */
    private void demo() {
        if (workspaces.find(DEMO_WORKSPACE).isEmpty()) {
            workspaces.create(DEMO_WORKSPACE, "UTC", false);
        }
        String password = users.find(DEMO_USER).isPresent() ? users.resetPassword(DEMO_USER)
                : users.create(DEMO_USER, DEMO_WORKSPACE, Role.ADMIN).password();
        for (Workspaces.Workspace workspace : workspaces.list()) {
            if (workspace.name().equals(DEMO_WORKSPACE) || workspace.name().startsWith(TrafficRun.WORKSPACE_PREFIX)) {
                users.add(DEMO_USER, workspace.name(), Role.ADMIN);
            }
        }
        out.println("Demo workspace ingest key (POST /v1/events): " + workspaces.rotateKey(DEMO_WORKSPACE, KeyScope.INGEST).key());
        out.println("Console sign-in: " + DEMO_USER + " with the password below");
        out.println(password);
    }

    private void printPassword(String password) {
        out.println("Password (shown once; sign in at the console's /login):");
        out.println(password);
    }

    private static Role role(Options options) {
        String role = options.required("--role");
        return Role.fromWireName(role).orElseThrow(() -> new Options.UsageException("--role is admin, analyst or viewer, not " + role));
    }
}
