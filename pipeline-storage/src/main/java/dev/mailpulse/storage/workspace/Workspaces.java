package dev.mailpulse.storage.workspace;

import static dev.mailpulse.storage.jooq.Tables.API_KEYS;
import static dev.mailpulse.storage.jooq.Tables.WEBHOOK_CREDENTIALS;
import static dev.mailpulse.storage.jooq.Tables.WORKSPACES;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.regex.Pattern;

import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.exception.IntegrityConstraintViolationException;

import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.storage.jooq.tables.records.ApiKeysRecord;
import dev.mailpulse.storage.jooq.tables.records.WorkspacesRecord;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Workspaces (tenants), their API keys and their providers' webhook credentials. */
public final class Workspaces {

    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$");
    private static final JsonMapper JSON = WireJson.MAPPER;

    private final DSLContext db;

    public Workspaces(DSLContext db) {
        this.db = db;
    }

    /** @param eventsPerSecond the workspace's own ingestion rate limit, or null for the collector's default */
    public record Workspace(UUID id, String name, String timeZone, boolean storeRecipientAddress, Integer eventsPerSecond,
                            Instant createdAt) {
    }

    /** What an API key is worth: its workspace and scope, or why not. */
    public sealed interface KeyCheck {
        record Valid(Workspace workspace, KeyScope scope) implements KeyCheck {
        }

        record Revoked() implements KeyCheck {
        }

        record Unknown() implements KeyCheck {
        }
    }

    /** A key as issued: {@code key} is shown once and never stored. */
    public record IssuedKey(UUID keyId, String key, String displayPrefix, KeyScope scope) {
    }

    public record KeyInfo(UUID keyId, String displayPrefix, String label, KeyScope scope, Instant createdAt, Instant revokedAt) {
    }

    public record Created(Workspace workspace, IssuedKey key) {
    }

    /** Creates a workspace with its first API key, an ingest key. */
    public Created create(String name, String timeZone, boolean storeRecipientAddress) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a workspace name is 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit: " + name);
        }
        try {
            ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + timeZone + "' (use an IANA name such as Europe/Paris)", e);
        }
        return db.transactionResult(tx -> {
            WorkspacesRecord row = tx.dsl().newRecord(WORKSPACES);
            row.setWorkspaceId(UUID.randomUUID());
            row.setName(name);
            row.setTimeZone(timeZone);
            row.setStoreRecipientAddress(storeRecipientAddress);
            try {
                row.insert();
            } catch (IntegrityConstraintViolationException e) {
                throw new IllegalArgumentException("a workspace named '" + name + "' already exists", e);
            }
            row.refresh();
            Workspace workspace = toWorkspace(row);
            return new Created(workspace, new Workspaces(tx.dsl()).issueKey(workspace.id(), "initial", KeyScope.INGEST));
        });
    }

    public Optional<Workspace> find(String name) {
        return db.selectFrom(WORKSPACES).where(WORKSPACES.NAME.eq(name)).fetchOptional().map(Workspaces::toWorkspace);
    }

    public List<Workspace> list() {
        return db.selectFrom(WORKSPACES).orderBy(WORKSPACES.NAME).fetch(Workspaces::toWorkspace);
    }

    /** Issues one more key of a scope; the workspace's other keys stay valid. */
    public IssuedKey issueKey(String workspaceName, String label, KeyScope scope) {
        return issueKey(require(workspaceName).id(), label, scope);
    }

    /** Issues a new key of a scope and revokes the workspace's other keys of that scope, in one transaction. */
    public IssuedKey rotateKey(String workspaceName, KeyScope scope) {
        UUID workspaceId = require(workspaceName).id();
        return db.transactionResult(tx -> {
            IssuedKey issued = new Workspaces(tx.dsl()).issueKey(workspaceId, "rotated", scope);
            tx.dsl().update(API_KEYS).set(API_KEYS.REVOKED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                    .where(API_KEYS.WORKSPACE_ID.eq(workspaceId), API_KEYS.SCOPE.eq(scope.wireName()), API_KEYS.KEY_ID.ne(issued.keyId()),
                            API_KEYS.REVOKED_AT.isNull())
                    .execute();
            return issued;
        });
    }

    /** Revokes the workspace's live keys that start with {@code displayPrefix}; says how many. */
    public int revokeKey(String workspaceName, String displayPrefix) {
        if (displayPrefix == null || displayPrefix.length() < ApiKeys.DISPLAY_PREFIX_LENGTH) {
            throw new IllegalArgumentException("give the key's prefix as listed (" + ApiKeys.DISPLAY_PREFIX_LENGTH + " characters)");
        }
        return db.update(API_KEYS).set(API_KEYS.REVOKED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                .where(API_KEYS.WORKSPACE_ID.eq(require(workspaceName).id()),
                        API_KEYS.KEY_PREFIX.eq(ApiKeys.displayPrefix(displayPrefix)), API_KEYS.REVOKED_AT.isNull())
                .execute();
    }

    public List<KeyInfo> keys(String workspaceName) {
        return db.selectFrom(API_KEYS).where(API_KEYS.WORKSPACE_ID.eq(require(workspaceName).id()))
                .orderBy(API_KEYS.CREATED_AT).fetch(k -> new KeyInfo(k.getKeyId(), k.getKeyPrefix(), k.getLabel(),
                        scope(k.getScope()), k.getCreatedAt().toInstant(), k.getRevokedAt() == null ? null : k.getRevokedAt().toInstant()));
    }

    /** The workspace a key opens and with which scope, or whether it is revoked or unknown. */
    public KeyCheck authenticate(String apiKey) {
        if (apiKey == null || !apiKey.startsWith(ApiKeys.PREFIX)) {
            return new KeyCheck.Unknown();
        }
        return db.select(API_KEYS.REVOKED_AT, API_KEYS.SCOPE, WORKSPACES.asterisk()).from(API_KEYS).join(WORKSPACES).onKey()
                .where(API_KEYS.KEY_HASH.eq(ApiKeys.hash(apiKey)))
                .fetchOptional()
                .<KeyCheck>map(r -> r.get(API_KEYS.REVOKED_AT) != null ? new KeyCheck.Revoked()
                        : new KeyCheck.Valid(toWorkspace(r.into(WORKSPACES)), scope(r.get(API_KEYS.SCOPE))))
                .orElseGet(KeyCheck.Unknown::new);
    }

    /** Sets the workspace's ingestion rate limit; null returns it to the collector's default. */
    public void setEventsPerSecond(String workspaceName, Integer eventsPerSecond) {
        if (eventsPerSecond != null && eventsPerSecond <= 0) {
            throw new IllegalArgumentException("a rate limit is a positive number of events per second");
        }
        db.update(WORKSPACES).set(WORKSPACES.EVENTS_PER_SECOND, eventsPerSecond)
                .where(WORKSPACES.WORKSPACE_ID.eq(require(workspaceName).id())).execute();
    }

    /**
     * How a workspace's revenue is attributed (the click window in hours; the open window, where opens credit at all)
     * and the industry it is compared within (none: compared with nobody). The daily ETL attributes every day again
     * on its next run when the windows change.
     */
    public record BusinessSettings(int clickWindowHours, Integer openWindowHours, String industry) {

        /** The longest window: 90 days. */
        public static final int MOST_HOURS = 2160;
        private static final Pattern INDUSTRY = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

        public BusinessSettings {
            if (clickWindowHours < 1 || clickWindowHours > MOST_HOURS) {
                throw new IllegalArgumentException("click_window_hours: from 1 to " + MOST_HOURS + ", not " + clickWindowHours);
            }
            if (openWindowHours != null && (openWindowHours < 1 || openWindowHours > MOST_HOURS)) {
                throw new IllegalArgumentException("open_window_hours: from 1 to " + MOST_HOURS + " (or null: opens never credit), not " + openWindowHours);
            }
            if (industry != null && !INDUSTRY.matcher(industry).matches()) {
                throw new IllegalArgumentException("industry: lower-case letters, digits, '-' and '_', like retail or b2b-saas");
            }
        }
    }

    public BusinessSettings businessSettings(UUID workspaceId) {
        return db.select(WORKSPACES.ATTRIBUTION_CLICK_HOURS, WORKSPACES.ATTRIBUTION_OPEN_HOURS, WORKSPACES.INDUSTRY).from(WORKSPACES)
                .where(WORKSPACES.WORKSPACE_ID.eq(workspaceId)).fetchOptional(r -> new BusinessSettings(r.value1(), r.value2(), r.value3()))
                .orElseThrow(() -> new IllegalArgumentException("no workspace " + workspaceId));
    }

    public void setBusinessSettings(UUID workspaceId, BusinessSettings settings) {
        db.update(WORKSPACES).set(WORKSPACES.ATTRIBUTION_CLICK_HOURS, settings.clickWindowHours())
                .set(WORKSPACES.ATTRIBUTION_OPEN_HOURS, settings.openWindowHours()).set(WORKSPACES.INDUSTRY, settings.industry())
                .where(WORKSPACES.WORKSPACE_ID.eq(workspaceId)).execute();
    }

    public Optional<Workspace> find(UUID workspaceId) {
        return db.selectFrom(WORKSPACES).where(WORKSPACES.WORKSPACE_ID.eq(workspaceId)).fetchOptional().map(Workspaces::toWorkspace);
    }

    /** Sets (or replaces) the credential a provider's webhooks for this workspace are verified with. */
    public void setWebhookCredential(String workspaceName, WebhookCredential credential) {
        UUID workspaceId = require(workspaceName).id();
        JSONB json = JSONB.valueOf(credential.toJson().toString());
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        db.insertInto(WEBHOOK_CREDENTIALS)
                .set(WEBHOOK_CREDENTIALS.WORKSPACE_ID, workspaceId)
                .set(WEBHOOK_CREDENTIALS.PROVIDER, credential.provider())
                .set(WEBHOOK_CREDENTIALS.CREDENTIALS, json)
                .onConflict(WEBHOOK_CREDENTIALS.WORKSPACE_ID, WEBHOOK_CREDENTIALS.PROVIDER).doUpdate()
                .set(WEBHOOK_CREDENTIALS.CREDENTIALS, json)
                .set(WEBHOOK_CREDENTIALS.ROTATED_AT, now)
                .setNull(WEBHOOK_CREDENTIALS.REVOKED_AT)
                .execute();
    }

    /** The live credential of one provider for one workspace, as stored. */
    public Optional<ObjectNode> webhookCredential(UUID workspaceId, String provider) {
        return db.select(WEBHOOK_CREDENTIALS.CREDENTIALS).from(WEBHOOK_CREDENTIALS)
                .where(WEBHOOK_CREDENTIALS.WORKSPACE_ID.eq(workspaceId), WEBHOOK_CREDENTIALS.PROVIDER.eq(provider),
                        WEBHOOK_CREDENTIALS.REVOKED_AT.isNull())
                .fetchOptional(WEBHOOK_CREDENTIALS.CREDENTIALS)
                .map(json -> (ObjectNode) JSON.readTree(json.data()));
    }

    private IssuedKey issueKey(UUID workspaceId, String label, KeyScope scope) {
        String key = ApiKeys.generate();
        ApiKeysRecord row = db.newRecord(API_KEYS);
        row.setKeyId(UUID.randomUUID());
        row.setWorkspaceId(workspaceId);
        row.setKeyHash(ApiKeys.hash(key));
        row.setKeyPrefix(ApiKeys.displayPrefix(key));
        row.setLabel(label);
        row.setScope(scope.wireName());
        row.insert();
        return new IssuedKey(row.getKeyId(), key, row.getKeyPrefix(), scope);
    }

    private Workspace require(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("no workspace named '" + name + "'"));
    }

    private static KeyScope scope(String stored) {
        return KeyScope.fromWireName(stored).orElseThrow(() -> new IllegalStateException("a key of an unknown scope: " + stored));
    }

    private static Workspace toWorkspace(WorkspacesRecord row) {
        return new Workspace(row.getWorkspaceId(), row.getName(), row.getTimeZone(), row.getStoreRecipientAddress(),
                row.getEventsPerSecond(), row.getCreatedAt().toInstant());
    }
}
