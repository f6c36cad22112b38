package dev.mailpulse.storage.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.testing.TestDatabase;

class WorkspacesTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres();

    private static Workspaces workspaces;
    private static DSLContext db;

    @BeforeAll
    static void migrate() throws Exception {
        SchemaMigrator.migrate(DB.jdbcUrl(), DB.user(), DB.password());
        db = DSL.using(DB.dataSource(), SQLDialect.POSTGRES);
        workspaces = new Workspaces(db);
    }

    @Test
    void aNewWorkspaceComesWithAKeyThatAuthenticatesIt() {
        Workspaces.Created created = workspaces.create("acme", "Europe/Paris", false);
        assertThat(created.key().key()).startsWith("mp_").hasSize(46);
        assertThat(workspaces.authenticate(created.key().key())).isEqualTo(new Workspaces.KeyCheck.Valid(created.workspace(), KeyScope.INGEST));
        assertThat(workspaces.find("acme")).get().satisfies(w -> {
            assertThat(w.timeZone()).isEqualTo("Europe/Paris");
            assertThat(w.storeRecipientAddress()).isFalse();
        });
    }

    @Test
    void onlyTheHashOfAKeyIsStored() {
        Workspaces.Created created = workspaces.create("hash-only", "UTC", false);
        String stored = db.fetchValue("SELECT string_agg(key_hash || key_prefix, ',') FROM api_keys").toString();
        assertThat(stored).doesNotContain(created.key().key()).contains(ApiKeys.hash(created.key().key()));
    }

    @Test
    void unknownWrongAndRevokedKeysAuthenticateNothing() {
        Workspaces.Created created = workspaces.create("revoking", "UTC", false);
        assertThat(workspaces.authenticate(null)).isInstanceOf(Workspaces.KeyCheck.Unknown.class);
        assertThat(workspaces.authenticate("mp_wrong")).isInstanceOf(Workspaces.KeyCheck.Unknown.class);
        assertThat(workspaces.authenticate(created.key().key() + "x")).isInstanceOf(Workspaces.KeyCheck.Unknown.class);
        assertThat(workspaces.revokeKey("revoking", created.key().displayPrefix())).isEqualTo(1);
        assertThat(workspaces.authenticate(created.key().key())).isInstanceOf(Workspaces.KeyCheck.Revoked.class);
    }

    @Test
    void rotatingIssuesANewKeyAndRevokesTheOthers() {
        Workspaces.Created created = workspaces.create("rotating", "UTC", false);
        Workspaces.IssuedKey extra = workspaces.issueKey("rotating", "ci", KeyScope.INGEST);
        Workspaces.IssuedKey rotated = workspaces.rotateKey("rotating", KeyScope.INGEST);
        assertThat(workspaces.authenticate(created.key().key())).isInstanceOf(Workspaces.KeyCheck.Revoked.class);
        assertThat(workspaces.authenticate(extra.key())).isInstanceOf(Workspaces.KeyCheck.Revoked.class);
        assertThat(workspaces.authenticate(rotated.key())).isEqualTo(new Workspaces.KeyCheck.Valid(created.workspace(), KeyScope.INGEST));
        assertThat(workspaces.keys("rotating")).hasSize(3).filteredOn(k -> k.revokedAt() == null).singleElement()
                .satisfies(k -> assertThat(k.displayPrefix()).isEqualTo(rotated.displayPrefix()));
    }

    @Test
    void keysOfOneWorkspaceNeverOpenAnother() {
        Workspaces.Created first = workspaces.create("tenant-one", "UTC", false);
        Workspaces.Created second = workspaces.create("tenant-two", "UTC", false);
        assertThat(workspaces.authenticate(first.key().key())).isEqualTo(new Workspaces.KeyCheck.Valid(first.workspace(), KeyScope.INGEST));
        assertThat(workspaces.authenticate(second.key().key())).isEqualTo(new Workspaces.KeyCheck.Valid(second.workspace(), KeyScope.INGEST));
        assertThat(workspaces.revokeKey("tenant-two", first.key().displayPrefix())).isZero();
    }

    @Test
    void aWorkspaceRateLimitCanBeSetAndCleared() {
        workspaces.create("limited", "UTC", false);
        workspaces.setEventsPerSecond("limited", 500);
        assertThat(workspaces.find("limited").orElseThrow().eventsPerSecond()).isEqualTo(500);
        workspaces.setEventsPerSecond("limited", null);
        assertThat(workspaces.find("limited").orElseThrow().eventsPerSecond()).isNull();
        assertThatThrownBy(() -> workspaces.setEventsPerSecond("limited", 0)).hasMessageContaining("positive");
    }

    @Test
    void refusesBadNamesZonesAndDuplicates() {
        workspaces.create("taken", "UTC", false);
        assertThatThrownBy(() -> workspaces.create("taken", "UTC", false)).hasMessageContaining("already exists");
        assertThatThrownBy(() -> workspaces.create("no spaces", "UTC", false)).hasMessageContaining("workspace name");
        assertThatThrownBy(() -> workspaces.create("zoned", "Mars/Olympus", false)).hasMessageContaining("unknown time zone");
        assertThatThrownBy(() -> workspaces.issueKey("missing", "x", KeyScope.INGEST)).hasMessageContaining("no workspace named 'missing'");
    }

    @Test
    void storesEachProvidersCredentialAndReplacesItOnRotation() throws Exception {
        Workspaces.Created created = workspaces.create("hooks", "UTC", false);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        String publicKey = Base64.getEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded());

        workspaces.setWebhookCredential("hooks", new WebhookCredential.SendGrid(publicKey));
        workspaces.setWebhookCredential("hooks", new WebhookCredential.Mailgun("key-0123456789abcdef"));
        workspaces.setWebhookCredential("hooks", new WebhookCredential.Mailgun("key-fedcba9876543210"));
        workspaces.setWebhookCredential("hooks", WebhookCredential.Postmark.of("postmark", "a long enough secret"));
        workspaces.setWebhookCredential("hooks", new WebhookCredential.Ses("arn:aws:sns:eu-west-1:123456789012:ses-events"));

        assertThat(workspaces.webhookCredential(created.workspace().id(), "sendgrid")).get()
                .satisfies(c -> assertThat(c.get("public_key").asString()).isEqualTo(publicKey));
        assertThat(workspaces.webhookCredential(created.workspace().id(), "mailgun")).get()
                .satisfies(c -> assertThat(c.get("signing_key").asString()).isEqualTo("key-fedcba9876543210"));
        assertThat(workspaces.webhookCredential(created.workspace().id(), "postmark")).get().satisfies(c -> {
            assertThat(c.toString()).doesNotContain("a long enough secret");
            assertThat(Passwords.matches("a long enough secret", c.get("password_hash").asString())).isTrue();
            assertThat(Passwords.matches("a wrong secret here", c.get("password_hash").asString())).isFalse();
        });
        assertThat(workspaces.webhookCredential(created.workspace().id(), "ses")).isPresent();
    }

    @Test
    void refusesCredentialsThatCannotWork() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String rsaKey = Base64.getEncoder().encodeToString(rsa.generateKeyPair().getPublic().getEncoded());
        assertThatThrownBy(() -> new WebhookCredential.SendGrid(rsaKey)).hasMessageContaining("--public-key");
        assertThatThrownBy(() -> new WebhookCredential.SendGrid("not base64!")).hasMessageContaining("--public-key");
        assertThatThrownBy(() -> new WebhookCredential.Mailgun("short")).hasMessageContaining("--signing-key");
        assertThatThrownBy(() -> WebhookCredential.Postmark.of("a:b", "a long enough secret")).hasMessageContaining("--user");
        assertThatThrownBy(() -> WebhookCredential.Postmark.of("user", "short")).hasMessageContaining("--password");
        assertThatThrownBy(() -> new WebhookCredential.Ses("arn:aws:sqs:eu-west-1:123456789012:q")).hasMessageContaining("--topic-arn");
    }
}
