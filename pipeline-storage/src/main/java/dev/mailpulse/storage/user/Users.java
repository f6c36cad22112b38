package dev.mailpulse.storage.user;

import static dev.mailpulse.storage.jooq.Tables.USERS;
import static dev.mailpulse.storage.jooq.Tables.WORKSPACES;
import static dev.mailpulse.storage.jooq.Tables.WORKSPACE_MEMBERS;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jooq.DSLContext;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

import dev.mailpulse.storage.workspace.Workspaces;

/**
 * The console's users, their workspaces and roles, and the back-off after failed sign-ins. Addresses are kept in
 * lower case; passwords as Spring Security's delegating encoder writes them ({@code {bcrypt}...}), so the algorithm
 * can change without a migration.
 */
public final class Users {

    /** After this many failed sign-ins in a row, each further one locks the account for twice as long as the last. */
    public static final int FREE_ATTEMPTS = 5;
    private static final Duration FIRST_LOCK = Duration.ofSeconds(30);
    private static final Duration LONGEST_LOCK = Duration.ofHours(1);
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,255}$");
    private static final char[] PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    public static final PasswordEncoder PASSWORDS = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    public record User(UUID id, String email, String passwordHash, int failedSignIns, Optional<Instant> lockedUntil) {
    }

    public record Membership(UUID workspaceId, String workspaceName, Role role) {
    }

    /** A user as created, with the password generated for it (shown once). */
    public record Created(User user, String password) {
    }

    private final DSLContext db;

    public Users(DSLContext db) {
        this.db = db;
    }

    /** Creates a user with a generated password, a member of one workspace; an address already taken is refused. */
    public Created create(String email, String workspaceName, Role role) {
        String address = normalised(email);
        UUID workspace = workspaceId(workspaceName);
        String password = generatedPassword();
        return db.transactionResult(tx -> {
            if (tx.dsl().fetchExists(USERS, USERS.EMAIL.eq(address))) {
                throw new IllegalArgumentException("a user " + address + " already exists (add it to a workspace with user add)");
            }
            UUID id = UUID.randomUUID();
            tx.dsl().insertInto(USERS).set(USERS.USER_ID, id).set(USERS.EMAIL, address).set(USERS.PASSWORD_HASH, PASSWORDS.encode(password))
                    .execute();
            new Users(tx.dsl()).join(id, workspace, role);
            return new Created(require(tx.dsl(), address), password);
        });
    }

    /** Gives an existing user a role in one more workspace (or a new role in one it belongs to). */
    public void add(String email, String workspaceName, Role role) {
        join(require(db, normalised(email)).id(), workspaceId(workspaceName), role);
    }

    /** Sets a new generated password, returned once, and lifts any lock. */
    public String resetPassword(String email) {
        String password = generatedPassword();
        String address = normalised(email);
        require(db, address);
        db.update(USERS).set(USERS.PASSWORD_HASH, PASSWORDS.encode(password)).set(USERS.FAILED_SIGN_INS, 0).setNull(USERS.LOCKED_UNTIL)
                .where(USERS.EMAIL.eq(address)).execute();
        return password;
    }

    public Optional<User> find(String email) {
        return email == null ? Optional.empty()
                : db.selectFrom(USERS).where(USERS.EMAIL.eq(email.strip().toLowerCase(Locale.ROOT))).fetchOptional(Users::toUser);
    }

    public List<Membership> memberships(UUID userId) {
        return db.select(WORKSPACES.WORKSPACE_ID, WORKSPACES.NAME, WORKSPACE_MEMBERS.ROLE).from(WORKSPACE_MEMBERS).join(WORKSPACES).onKey()
                .where(WORKSPACE_MEMBERS.USER_ID.eq(userId)).orderBy(WORKSPACES.NAME)
                .fetch(r -> new Membership(r.value1(), r.value2(), Role.fromWireName(r.value3()).orElseThrow()));
    }

    /** A failed sign-in: past the free attempts, the account is locked for a while that doubles each time. */
    public void signInFailed(String email, Instant now) {
        find(email).ifPresent(user -> {
            int failures = user.failedSignIns() + 1;
            var update = db.update(USERS).set(USERS.FAILED_SIGN_INS, failures);
            if (failures >= FREE_ATTEMPTS) {
                Duration lock = FIRST_LOCK.multipliedBy(1L << Math.min(failures - FREE_ATTEMPTS, 10));
                update = update.set(USERS.LOCKED_UNTIL, OffsetDateTime.ofInstant(now.plus(lock.compareTo(LONGEST_LOCK) > 0 ? LONGEST_LOCK : lock),
                        ZoneOffset.UTC));
            }
            update.where(USERS.USER_ID.eq(user.id())).execute();
        });
    }

    public void signedIn(UUID userId) {
        db.update(USERS).set(USERS.FAILED_SIGN_INS, 0).setNull(USERS.LOCKED_UNTIL).where(USERS.USER_ID.eq(userId)).execute();
    }

    private void join(UUID userId, UUID workspaceId, Role role) {
        db.insertInto(WORKSPACE_MEMBERS).set(WORKSPACE_MEMBERS.USER_ID, userId).set(WORKSPACE_MEMBERS.WORKSPACE_ID, workspaceId)
                .set(WORKSPACE_MEMBERS.ROLE, role.wireName())
                .onConflict(WORKSPACE_MEMBERS.USER_ID, WORKSPACE_MEMBERS.WORKSPACE_ID).doUpdate().set(WORKSPACE_MEMBERS.ROLE, role.wireName())
                .execute();
    }

    private UUID workspaceId(String workspaceName) {
        return new Workspaces(db).find(workspaceName).orElseThrow(() -> new IllegalArgumentException("no workspace named '" + workspaceName + "'")).id();
    }

    private static User require(DSLContext db, String address) {
        return db.selectFrom(USERS).where(USERS.EMAIL.eq(address)).fetchOptional(Users::toUser)
                .orElseThrow(() -> new IllegalArgumentException("no user " + address));
    }

    private static String normalised(String email) {
        String address = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        if (!EMAIL.matcher(address).matches()) {
            throw new IllegalArgumentException("not an email address: " + email);
        }
        return address;
    }

    /** 20 characters of an unambiguous alphabet: about 115 bits. */
    private static String generatedPassword() {
        StringBuilder password = new StringBuilder(20);
        for (int i = 0; i < 20; i++) {
            password.append(PASSWORD_ALPHABET[RANDOM.nextInt(PASSWORD_ALPHABET.length)]);
        }
        return password.toString();
    }

    private static User toUser(dev.mailpulse.storage.jooq.tables.records.UsersRecord row) {
        return new User(row.getUserId(), row.getEmail(), row.getPasswordHash(), row.getFailedSignIns(),
                Optional.ofNullable(row.getLockedUntil()).map(OffsetDateTime::toInstant));
    }
}
