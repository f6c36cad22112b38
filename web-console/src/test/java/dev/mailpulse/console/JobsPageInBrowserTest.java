package dev.mailpulse.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.events.EventStore;
import dev.mailpulse.storage.user.Role;
import dev.mailpulse.storage.user.Users;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.tasks.LocalTaskLauncher;
import dev.mailpulse.tasks.TaskLauncher;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRedis;

/**
 * The jobs page in a real browser, over the real daily-etl task (its jar, as a child process launched by the
 * console's scheduler): an admin runs the ETL for the workspace and watches the run complete with every day that had
 * events; a late event into one of those days, and the next run processes that day again and says so; a viewer has
 * no such action, and is refused if it tries.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JobsPageInBrowserTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres().preparedWith(db -> SchemaMigrator.migrate(db.jdbcUrl(), db.user(), db.password()));
    @RegisterExtension
    static final TestRedis REDIS = TestRedis.server();

    /** The daily-etl task's jar, built before the console (web-console's pom orders it). */
    static final Path DAILY_ETL = Path.of("../batch-jobs/daily-etl/target/daily-etl-0.1.0-SNAPSHOT.jar").toAbsolutePath().normalize();

    @DynamicPropertySource
    static void connections(DynamicPropertyRegistry registry) {
        DB.registerDataSource(registry);
        registry.add("spring.data.redis.url", TestRedis::uri);
        registry.add("mailpulse.cache.key-prefix", REDIS::prefix);
    }

    /** The real task launcher, its child processes pointed at this test's database. */
    @TestConfiguration
    static class RealTask {
        @Bean
        TaskLauncher taskLauncher() {
            return new LocalTaskLauncher(Map.of("daily-etl", DAILY_ETL), List.of("-Xmx384m", "-Dspring.datasource.url=" + DB.jdbcUrl(),
                    "-Dspring.datasource.username=" + DB.user(), "-Dspring.datasource.password=" + DB.password()));
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    DSLContext db;
    @Autowired
    Workspaces workspaces;

    @RegisterExtension
    final Chromium chromium = new Chromium();
    private ChromeDriver browser;

    @BeforeEach
    void openBrowser() {
        browser = chromium.browser();
    }

    @Test
    void anAdminRunsTheEtlWatchesItCompleteAndALateEventsDayIsProcessedAgain() throws Exception {
        assertThat(DAILY_ETL).as("the daily-etl jar (mvn package)").exists();
        ZoneId paris = ZoneId.of("Europe/Paris");
        Workspaces.Workspace shop = workspaces.create("jobs-shop", paris.getId(), false).workspace();
        String adminPassword = new Users(db).create("jobs-admin@example.com", "jobs-shop", Role.ADMIN).password();
        String viewerPassword = new Users(db).create("jobs-viewer@example.com", "jobs-shop", Role.VIEWER).password();
        // traffic ending before yesterday (Paris), so that every day of it has ended, grace hour included, whatever the time
        Instant until = LocalDate.now(paris).minusDays(1).atStartOfDay(paris).minusHours(2).toInstant();
        StoredTraffic.store(db, shop, 9, 1_500, 40, until);
        long days = db.fetchOne("SELECT count(DISTINCT (occurred_at AT TIME ZONE 'Europe/Paris')::date) FROM events WHERE workspace_id = ?",
                shop.id()).get(0, Long.class);

        signIn("jobs-viewer@example.com", viewerPassword);
        browser.get(url("/w/jobs-shop/jobs"));
        assertThat(browser.findElements(By.id("run-etl"))).as("a viewer has no run button").isEmpty();
        assertThat(browser.findElement(By.id("schedule-title")).isDisplayed()).isTrue();
        assertThat(browser.getPageSource()).contains("daily-etl nightly at 01:15 Europe/Paris");
        ConsoleBrowser viewer = new ConsoleBrowser(port);
        viewer.signIn("jobs-viewer@example.com", viewerPassword);
        String token = viewer.csrf(viewer.get("/w/jobs-shop/jobs").body());
        assertThat(viewer.post("/w/jobs-shop/jobs/etl", "_csrf=" + token).statusCode()).as("a viewer's run, refused").isEqualTo(403);
        browser.manage().deleteAllCookies();

        signIn("jobs-admin@example.com", adminPassword);
        browser.get(url("/w/jobs-shop/jobs"));
        browser.findElement(By.id("run-etl")).click();
        WebElement first = completedRun(1);
        assertThat(first.findElement(By.cssSelector("[data-days]")).getText()).isEqualTo(days + " of " + days + " done");
        assertThat(db.fetchCount(db.selectFrom("etl_days").where("workspace_id = ?", shop.id()))).as("days processed").isEqualTo((int) days);

        Instant lateAt = until.minus(Duration.ofHours(3));
        Event late = EventJson.fromJson(WireJson.MAPPER.readTree("""
                {"event_id": "%s", "workspace_id": "%s", "type": "email.send", "schema_version": 1, "occurred_at": "%s", "received_at": "%s",
                 "source": "api", "campaign_id": "late-campaign", "message_id": "<late@example.com>",
                 "recipient": {"hash": "0123456789abcdef0123456789abcdef", "domain": "example.com"}}
                """.formatted(UUID.randomUUID(), shop.id(), lateAt, Instant.now().truncatedTo(ChronoUnit.MILLIS))));
        db.transaction(tx -> new EventStore().store(tx.dsl(), List.of(late)));
        browser.get(url("/w/jobs-shop/jobs"));
        browser.findElement(By.id("run-etl")).click();
        WebElement second = completedRun(2);
        assertThat(second.findElement(By.cssSelector("[data-days]")).getText()).as("only the day that changed").isEqualTo("1 of 1 done");
        assertThat(second.findElement(By.cssSelector("td[data-label=Reprocessed]")).getText()).isEqualTo("1");
        second.findElement(By.tagName("summary")).click();
        assertThat(second.findElement(By.tagName("li")).getText()).isEqualTo(lateAt.atZone(paris).toLocalDate()
                + ": COMPLETED, " + second.findElement(By.cssSelector("td[data-label='Fact rows']")).getText().replace(",", "")
                + " fact rows, again: events arrived after it was processed");

        Chromium.screenshot(browser, "jobs-desktop");
        assertThat(Chromium.scrollsSideways(browser, 375)).as("no sideways scrolling on a phone").isFalse();
        Chromium.screenshot(browser, "jobs-phone");
    }

    /** Waits for the runs table, refreshed by the page itself, to hold {@code count} runs, the newest COMPLETED. */
    private WebElement completedRun(int count) {
        return new WebDriverWait(browser, Duration.ofSeconds(120)).until(driver -> {
            List<WebElement> rows = driver.findElements(By.cssSelector("#runs tr[data-run]"));
            return rows.size() == count && "COMPLETED".equals(rows.get(0).getAttribute("data-status")) ? rows.get(0) : null;
        });
    }

    private void signIn(String email, String password) {
        Chromium.signIn(browser, url(""), email, password);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }
}
