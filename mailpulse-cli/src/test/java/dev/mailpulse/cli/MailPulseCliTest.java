package dev.mailpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.mailpulse.storage.user.Role;
import dev.mailpulse.storage.user.Users;
import dev.mailpulse.storage.workspace.KeyScope;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.testing.TestDatabase;

// By name: the migrate test runs before any other command has migrated the class's database.
@TestMethodOrder(MethodOrderer.MethodName.class)
class MailPulseCliTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void migrateAppliesTheSchemaToTheConfiguredDatabaseAndSaysWhatItDid() {
        int status = cli(Map.of("MAILPULSE_DB_URL", DB.jdbcUrl(), "MAILPULSE_DB_USER", DB.user())).run("migrate");
        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Engine: postgresql; migrations applied: 19; schema version: 19");
    }

    @Test
    void aBadSettingIsAFailureThatNamesTheSetting() {
        int status = cli(Map.of("MAILPULSE_DB_URL", "mysql://nowhere/db")).run("migrate");
        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("MAILPULSE_DB_URL");
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        assertThat(cli(Map.of()).run("launch-rockets")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'launch-rockets'", "usage:");
        assertThat(cli(Map.of()).run()).isEqualTo(2);
    }

    @Test
    void workspaceCreatePrintsTheApiKeyOnItsLastLineAndTheKeyWorks() throws Exception {
        Map<String, String> env = Map.of("MAILPULSE_DB_URL", DB.jdbcUrl(), "MAILPULSE_DB_USER", DB.user());
        assertThat(cli(env).run("workspace", "create", "cli-acme", "--time-zone", "America/New_York")).isZero();
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        String key = lines[lines.length - 1];
        assertThat(key).matches("mp_[0-9A-Za-z]{43}");
        try (var connection = DB.connect()) {
            var workspaces = new dev.mailpulse.storage.workspace.Workspaces(
                    org.jooq.impl.DSL.using(connection, org.jooq.SQLDialect.POSTGRES));
            assertThat(workspaces.authenticate(key)).isEqualTo(new dev.mailpulse.storage.workspace.Workspaces.KeyCheck.Valid(
                    workspaces.find("cli-acme").orElseThrow(), KeyScope.INGEST));
        }
        assertThat(cli(env).run("workspace", "webhook", "cli-acme", "mailgun", "--signing-key", "key-0123456789abcdef")).isZero();
        assertThat(cli(env).run("workspace", "rate", "cli-acme", "2500")).isZero();
        assertThat(cli(env).run("workspace", "rate", "cli-acme", "fast")).isEqualTo(2);
        assertThat(cli(env).run("workspace", "webhook", "cli-acme", "mailgun", "--signing-key", "short")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--signing-key");
    }

    @Test
    void scopedKeysAreIssuedAndRotatedWithinTheirScope() throws Exception {
        Map<String, String> env = Map.of("MAILPULSE_DB_URL", DB.jdbcUrl(), "MAILPULSE_DB_USER", DB.user());
        assertThat(cli(env).run("workspace", "create", "cli-scopes")).isZero();
        String ingest = lastLine();
        assertThat(cli(env).run("workspace", "key", "cli-scopes", "--scope", "read")).isZero();
        String read = lastLine();
        assertThat(cli(env).run("workspace", "rotate-key", "cli-scopes", "--scope", "read")).isZero();
        String rotated = lastLine();
        assertThat(cli(env).run("workspace", "key", "cli-scopes", "--scope", "everything")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--scope is ingest, read or admin");
        try (var connection = DB.connect()) {
            Workspaces workspaces = new Workspaces(DSL.using(connection, SQLDialect.POSTGRES));
            Workspaces.Workspace workspace = workspaces.find("cli-scopes").orElseThrow();
            assertThat(workspaces.authenticate(ingest)).as("the ingest key outlives the rotation of the read keys")
                    .isEqualTo(new Workspaces.KeyCheck.Valid(workspace, KeyScope.INGEST));
            assertThat(workspaces.authenticate(read)).isEqualTo(new Workspaces.KeyCheck.Revoked());
            assertThat(workspaces.authenticate(rotated)).isEqualTo(new Workspaces.KeyCheck.Valid(workspace, KeyScope.READ));
        }
    }

    @Test
    void userCreatePrintsThePasswordOnItsLastLineAndItSignsIn() throws Exception {
        Map<String, String> env = Map.of("MAILPULSE_DB_URL", DB.jdbcUrl(), "MAILPULSE_DB_USER", DB.user());
        assertThat(cli(env).run("workspace", "create", "cli-users")).isZero();
        assertThat(cli(env).run("user", "create", "Grace@Example.com", "--workspace", "cli-users", "--role", "analyst")).isZero();
        String password = lastLine();
        assertThat(cli(env).run("user", "create", "grace@example.com", "--workspace", "cli-users", "--role", "viewer")).as("twice").isEqualTo(1);
        assertThat(cli(env).run("user", "create", "ada@example.com", "--workspace", "cli-users", "--role", "owner")).isEqualTo(2);
        assertThat(cli(env).run("user", "create", "ada@example.com", "--workspace", "nowhere", "--role", "viewer")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("already exists", "--role is admin, analyst or viewer", "no workspace named 'nowhere'");
        try (var connection = DB.connect()) {
            Users users = new Users(DSL.using(connection, SQLDialect.POSTGRES));
            Users.User grace = users.find("grace@example.com").orElseThrow();
            assertThat(Users.PASSWORDS.matches(password, grace.passwordHash())).isTrue();
            assertThat(grace.passwordHash()).doesNotContain(password);
            assertThat(users.memberships(grace.id())).extracting(Users.Membership::workspaceName, Users.Membership::role)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("cli-users", Role.ANALYST));
        }
    }

    @Test
    void workspaceUsageErrorsSayWhatIsWrong() {
        Map<String, String> env = Map.of("MAILPULSE_DB_URL", DB.jdbcUrl(), "MAILPULSE_DB_USER", DB.user());
        assertThat(cli(env).run("workspace", "create")).isEqualTo(2);
        assertThat(cli(env).run("workspace", "create", "x", "--colour", "red")).isEqualTo(2);
        assertThat(cli(env).run("workspace", "webhook", "x", "sparkpost")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("missing NAME", "unknown option --colour", "sendgrid, mailgun, postmark, ses");
    }

    @Test
    void aNumberThatIsNotOneIsAUsageErrorThatSaysWhichOption() {
        assertThat(cli(Map.of()).run("dlq", "redrive", "--limit", "abc")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--limit takes a positive whole number, was abc");
    }

    @Test
    void withholdAddressesNeedsTheSecretAndRefusesAWorkspaceThatStoresThem() {
        Map<String, String> env = Map.of("MAILPULSE_DB_URL", DB.jdbcUrl(), "MAILPULSE_DB_USER", DB.user());
        assertThat(cli(env).run("workspace", "create", "cli-private")).isZero();
        assertThat(cli(env).run("workspace", "create", "cli-open", "--store-recipient-address")).isZero();
        assertThat(cli(env).run("workspace", "withhold-addresses", "cli-private")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("MAILPULSE_RECIPIENT_HASH_SECRET");

        Map<String, String> withSecret = Map.of("MAILPULSE_DB_URL", DB.jdbcUrl(), "MAILPULSE_DB_USER", DB.user(),
                "MAILPULSE_RECIPIENT_HASH_SECRET", "a-secret-of-more-than-16-bytes");
        assertThat(cli(withSecret).run("workspace", "withhold-addresses", "cli-open")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("stores recipient addresses");
        assertThat(cli(withSecret).run("workspace", "withhold-addresses", "cli-private", "--all")).isEqualTo(2);
        assertThat(cli(withSecret).run("workspace", "withhold-addresses", "--all")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("cli-private: done, 0 events and 0 failures had addresses withheld.")
                .doesNotContain("cli-open: done");
    }

    private String lastLine() {
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        return lines[lines.length - 1];
    }

    private MailPulseCli cli(Map<String, String> env) {
        return new MailPulseCli(env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
