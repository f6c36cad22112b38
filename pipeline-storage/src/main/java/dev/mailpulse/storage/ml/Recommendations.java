package dev.mailpulse.storage.ml;

import static dev.mailpulse.storage.jooq.Tables.RECOMMENDATIONS;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import dev.mailpulse.storage.jooq.tables.records.RecommendationsRecord;

/**
 * A workspace's optimisation suggestions, as ml-train makes them and users decide on them. A suggestion is known by its
 * fingerprint: made again unchanged, it keeps its decision (a dismissed one does not come back) and only its evidence
 * is refreshed; one no longer made is removed while still open and kept once decided.
 */
public final class Recommendations {

    /** Where a suggestion stands. */
    public enum Status {
        OPEN, ACCEPTED, DISMISSED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status of(String wireName) {
            for (Status status : values()) {
                if (status.wireName().equals(wireName)) {
                    return status;
                }
            }
            throw new IllegalArgumentException("status: open, accepted or dismissed, not " + wireName);
        }
    }

    /** A suggestion as ml-train makes it. */
    public record Advice(String kind, String subject, String fingerprint, String title, String evidence, String expectedEffect) {
    }

    /** A suggestion as it is kept: the advice, where it stands, and who decided it when. */
    public record Recommendation(UUID id, Advice advice, Status status, Instant madeAt, Instant updatedAt, Optional<Instant> decidedAt,
                                 Optional<String> decidedBy) {
    }

    private final DSLContext db;

    public Recommendations(DSLContext db) {
        this.db = db;
    }

    /** Makes these the workspace's current suggestions, in one transaction (see the class's comment). */
    public void refresh(UUID workspace, List<Advice> advice, Instant now) {
        db.transaction(tx -> {
            DSLContext t = tx.dsl();
            t.deleteFrom(RECOMMENDATIONS).where(RECOMMENDATIONS.WORKSPACE_ID.eq(workspace), RECOMMENDATIONS.STATUS.eq(Status.OPEN.wireName()),
                    RECOMMENDATIONS.FINGERPRINT.notIn(advice.stream().map(Advice::fingerprint).toList())).execute();
            for (Advice a : advice) {
                t.insertInto(RECOMMENDATIONS).set(RECOMMENDATIONS.WORKSPACE_ID, workspace).set(RECOMMENDATIONS.ID, UUID.randomUUID())
                        .set(RECOMMENDATIONS.KIND, a.kind()).set(RECOMMENDATIONS.SUBJECT, a.subject()).set(RECOMMENDATIONS.FINGERPRINT, a.fingerprint())
                        .set(RECOMMENDATIONS.TITLE, a.title()).set(RECOMMENDATIONS.EVIDENCE, a.evidence())
                        .set(RECOMMENDATIONS.EXPECTED_EFFECT, a.expectedEffect()).set(RECOMMENDATIONS.STATUS, Status.OPEN.wireName())
                        .set(RECOMMENDATIONS.MADE_AT, now.atOffset(ZoneOffset.UTC)).set(RECOMMENDATIONS.UPDATED_AT, now.atOffset(ZoneOffset.UTC))
                        .onConflict(RECOMMENDATIONS.WORKSPACE_ID, RECOMMENDATIONS.FINGERPRINT).doUpdate()
                        .set(RECOMMENDATIONS.TITLE, a.title()).set(RECOMMENDATIONS.EVIDENCE, a.evidence())
                        .set(RECOMMENDATIONS.EXPECTED_EFFECT, a.expectedEffect()).set(RECOMMENDATIONS.UPDATED_AT, now.atOffset(ZoneOffset.UTC)).execute();
            }
        });
    }

    /** The workspace's suggestions, those of a status if given: the open ones first, then the latest decided. */
    public List<Recommendation> list(UUID workspace, Optional<Status> status) {
        var query = db.selectFrom(RECOMMENDATIONS).where(RECOMMENDATIONS.WORKSPACE_ID.eq(workspace));
        if (status.isPresent()) {
            query = query.and(RECOMMENDATIONS.STATUS.eq(status.get().wireName()));
        }
        return query.orderBy(DSL.when(RECOMMENDATIONS.STATUS.eq(Status.OPEN.wireName()), 0).otherwise(1), RECOMMENDATIONS.DECIDED_AT.desc().nullsFirst(),
                RECOMMENDATIONS.KIND, RECOMMENDATIONS.SUBJECT).fetch(Recommendations::recommendation);
    }

    public Optional<Recommendation> find(UUID workspace, UUID id) {
        return db.selectFrom(RECOMMENDATIONS).where(RECOMMENDATIONS.WORKSPACE_ID.eq(workspace), RECOMMENDATIONS.ID.eq(id))
                .fetchOptional(Recommendations::recommendation);
    }

    /**
     * Accepts or dismisses an open suggestion; false when the workspace has no open suggestion of that id (none, or
     * decided already: a decision is not taken back).
     */
    public boolean decide(UUID workspace, UUID id, Status decision, String by, Instant now) {
        if (decision == Status.OPEN) {
            throw new IllegalArgumentException("a decision accepts or dismisses");
        }
        return db.update(RECOMMENDATIONS).set(RECOMMENDATIONS.STATUS, decision.wireName()).set(RECOMMENDATIONS.DECIDED_AT, now.atOffset(ZoneOffset.UTC))
                .set(RECOMMENDATIONS.DECIDED_BY, by)
                .where(RECOMMENDATIONS.WORKSPACE_ID.eq(workspace), RECOMMENDATIONS.ID.eq(id), RECOMMENDATIONS.STATUS.eq(Status.OPEN.wireName()))
                .execute() == 1;
    }

    private static Recommendation recommendation(RecommendationsRecord r) {
        return new Recommendation(r.getId(), new Advice(r.getKind(), r.getSubject(), r.getFingerprint(), r.getTitle(), r.getEvidence(),
                r.getExpectedEffect()), Status.of(r.getStatus()), r.getMadeAt().toInstant(), r.getUpdatedAt().toInstant(),
                Optional.ofNullable(r.getDecidedAt()).map(OffsetDateTime::toInstant), Optional.ofNullable(r.getDecidedBy()));
    }
}
