package dev.mailpulse.storage.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.ml.Recommendations.Advice;
import dev.mailpulse.storage.ml.Recommendations.Status;
import dev.mailpulse.testing.TestDatabase;

/**
 * Suggestions made night after night: the same advice keeps its decision and gets its evidence refreshed, a dismissed
 * one does not come back unless its advice changes, an open one no longer made goes, a decided one stays, and a
 * decision is not taken twice.
 */
class RecommendationsTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres();
    private static final Instant NIGHT = Instant.parse("2026-12-01T03:00:00Z");
    private static DSLContext db;

    @BeforeAll
    static void schema() throws Exception {
        SchemaMigrator.migrate(DB.jdbcUrl(), DB.user(), DB.password());
        db = DSL.using(DB.dataSource(), SQLDialect.POSTGRES);
    }

    @Test
    void aDismissedSuggestionComesBackOnlyWhenItsAdviceChanges() {
        UUID shop = workspace();
        Recommendations recommendations = new Recommendations(db);
        Advice hour = new Advice("send_hour", "gmail", "send_hour:gmail:34", "Send to gmail recipients on Tuesdays at 10:00", "from 8,000 sends", "+40%");
        Advice suppress = new Advice("suppress_unengaged", "", "suppress_unengaged:9", "Suppress 700 recipients", "700 silent", "4% fewer sends");
        recommendations.refresh(shop, List.of(hour, suppress), NIGHT);
        assertThat(recommendations.list(shop, Optional.of(Status.OPEN))).hasSize(2);
        UUID dismissed = id(recommendations, shop, "send_hour");
        assertThat(recommendations.decide(shop, dismissed, Status.DISMISSED, "ana@example.com", NIGHT.plusSeconds(60))).isTrue();
        assertThat(recommendations.decide(shop, dismissed, Status.ACCEPTED, "bob@example.com", NIGHT.plusSeconds(90))).as("decided already").isFalse();

        // the next night: the same hour with fresh evidence, the suppression no longer made
        Advice sameHour = new Advice("send_hour", "gmail", "send_hour:gmail:34", "Send to gmail recipients on Tuesdays at 10:00", "from 9,000 sends", "+41%");
        recommendations.refresh(shop, List.of(sameHour), NIGHT.plusSeconds(86_400));
        List<Recommendations.Recommendation> all = recommendations.list(shop, Optional.empty());
        assertThat(all).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(dismissed);
            assertThat(r.status()).isEqualTo(Status.DISMISSED);
            assertThat(r.advice().evidence()).isEqualTo("from 9,000 sends");
            assertThat(r.decidedBy()).contains("ana@example.com");
            assertThat(r.madeAt()).isEqualTo(NIGHT);
            assertThat(r.updatedAt()).isEqualTo(NIGHT.plusSeconds(86_400));
        });

        // another hour is other advice: open again, beside the dismissed one, which stays though no longer made
        Advice otherHour = new Advice("send_hour", "gmail", "send_hour:gmail:58", "Send to gmail recipients on Wednesdays at 10:00", "from 9,500 sends", "+35%");
        recommendations.refresh(shop, List.of(otherHour), NIGHT.plusSeconds(2 * 86_400));
        assertThat(recommendations.list(shop, Optional.empty())).extracting(r -> r.advice().fingerprint() + " " + r.status().wireName())
                .containsExactly("send_hour:gmail:58 open", "send_hour:gmail:34 dismissed");
        assertThat(recommendations.list(workspace(), Optional.empty())).as("another workspace's").isEmpty();
    }

    private static UUID id(Recommendations recommendations, UUID workspace, String kind) {
        return recommendations.list(workspace, Optional.empty()).stream().filter(r -> r.advice().kind().equals(kind)).findFirst().orElseThrow().id();
    }

    private static UUID workspace() {
        UUID id = UUID.randomUUID();
        db.execute("INSERT INTO workspaces (workspace_id, name) VALUES (?, ?)", id, "shop-" + id);
        return id;
    }
}
