package dev.mailpulse.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.mailpulse.alerting.AlertEvaluator;
import dev.mailpulse.alerting.AlertNotifier;
import dev.mailpulse.core.event.EnrichedEvents;
import dev.mailpulse.core.event.Event;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.events.EventStore;
import dev.mailpulse.storage.user.Role;
import dev.mailpulse.storage.user.Users;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRedis;

/**
 * The alerts page in a real browser: an admin switches the Gmail/Yahoo preset on; complaints at Yahoo are judged by
 * the evaluator and its e-mails sent to the console's local SMTP sink; the header's badge, on its own, says that two
 * alerts fire; the page lists them, the transitions with their notifications sent, and the e-mails caught; one is
 * acknowledged with a comment, a silence made. A viewer sees it all and can do none of it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AlertsPageInBrowserTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres().preparedWith(db -> SchemaMigrator.migrate(db.jdbcUrl(), db.user(), db.password()));
    @RegisterExtension
    static final TestRedis REDIS = TestRedis.server();
    private static final int SINK_PORT = freePort();

    @DynamicPropertySource
    static void connections(DynamicPropertyRegistry registry) {
        DB.registerDataSource(registry);
        registry.add("spring.data.redis.url", TestRedis::uri);
        registry.add("mailpulse.cache.key-prefix", REDIS::prefix);
        registry.add("mailpulse.console.smtp-sink-port", () -> SINK_PORT);
    }

    @LocalServerPort
    int port;
    @Autowired
    DSLContext db;
    @Autowired
    Workspaces workspaces;

    private ChromeDriver browser;

    @RegisterExtension
    final AfterTestExecutionCallback screenshotOfAFailure = context -> {
        if (context.getExecutionException().isPresent() && browser != null) {
            Chromium.screenshot(browser, "failed-" + context.getRequiredTestMethod().getName());
        }
    };

    @BeforeEach
    void openBrowser() {
        browser = Chromium.open();
    }

    @AfterEach
    void closeBrowser() {
        browser.quit();
    }

    @Test
    void anAdminSwitchesThePresetOnAndSeesYahoosComplaintsFireWithTheirEmails() throws Exception {
        Workspaces.Workspace shop = workspaces.create("alerts-shop", "Europe/Paris", false).workspace();
        String adminPassword = new Users(db).create("alerts-admin@example.com", "alerts-shop", Role.ADMIN).password();
        String viewerPassword = new Users(db).create("alerts-viewer@example.com", "alerts-shop", Role.VIEWER).password();

        Chromium.signIn(browser, url(""), "alerts-admin@example.com", adminPassword);
        browser.get(url("/w/alerts-shop/alerts"));
        assertThat(browser.findElement(By.id("no-alerts")).getText()).isEqualTo("Nothing is firing or pending.");
        WebElement preset = browser.findElement(By.cssSelector("[data-preset=bulk-sender-complaints]"));
        preset.findElement(By.name("email")).sendKeys("ops@example.com");
        preset.findElement(By.tagName("button")).click();
        assertThat(browser.findElement(By.id("notice")).getText()).isEqualTo("Gmail and Yahoo bulk-sender complaint rate is on.");
        assertThat(browser.findElement(By.cssSelector("[data-preset=bulk-sender-complaints]")).getDomAttribute("data-on")).isEqualTo("true");

        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            events.add(event(shop.id(), "email.deliver", "yahoo"));
            events.add(event(shop.id(), "email.deliver", "gmail"));
        }
        for (int i = 0; i < 3; i++) {
            events.add(event(shop.id(), "email.complaint", "yahoo")); // 1.5% of Yahoo's deliveries: past both thresholds
        }
        db.transaction(tx -> new EventStore().store(tx.dsl(), events));
        assertThat(new AlertEvaluator(db).evaluate(shop.id(), Instant.now()).transitions()).hasSize(2);
        JavaMailSenderImpl toTheSink = new JavaMailSenderImpl();
        toTheSink.setHost("127.0.0.1");
        toTheSink.setPort(SINK_PORT);
        AlertNotifier.Outcome sent = new AlertNotifier(db, toTheSink, new AlertNotifier.Settings(Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofMinutes(1), Duration.ofSeconds(5), "alerts@mailpulse.test"), Clock.systemUTC()).sendDue(10);
        assertThat(sent).isEqualTo(new AlertNotifier.Outcome(2, 0, 0));

        WebDriverWait badge = new WebDriverWait(browser, Duration.ofSeconds(10));
        badge.ignoring(StaleElementReferenceException.class);
        badge.until(driver -> driver.findElement(By.id("alerts-badge")).getText().equals("Alerts: 2 firing"));

        browser.navigate().refresh();
        assertThat(browser.findElements(By.cssSelector("#alerts tr[data-state=firing]"))).extracting(r -> r.getDomAttribute("data-rule"))
                .containsExactlyInAnyOrder("Bulk-sender complaint rate (warning, 0.1%)", "Bulk-sender complaint rate (critical, 0.3%)");
        assertThat(browser.findElements(By.cssSelector("#alerts td[data-label=Value]"))).extracting(WebElement::getText)
                .as("3 complaints of 200 deliveries").containsExactly("1.500%", "1.500%");
        assertThat(browser.findElements(By.cssSelector("#transitions tr[data-to=firing]"))).hasSize(2);
        assertThat(browser.findElements(By.cssSelector("#transitions [data-notification]"))).extracting(WebElement::getText)
                .containsExactly("e-mail to ops@example.com: sent", "e-mail to ops@example.com: sent");
        List<WebElement> mails = browser.findElements(By.cssSelector("[data-mail] h3"));
        assertThat(mails).extracting(WebElement::getText).allSatisfy(subject -> assertThat(subject)
                .startsWith("[MailPulse] FIRING").contains("{mailbox_provider=yahoo} (alerts-shop)")).hasSize(2);

        WebElement critical = browser.findElement(By.cssSelector("#alerts tr[data-rule='Bulk-sender complaint rate (critical, 0.3%)']"));
        critical.findElement(By.name("comment")).sendKeys("Yahoo's feedback loop: <b>cleaning</b> the list");
        critical.findElement(By.cssSelector("form.acknowledge button")).click();
        assertThat(browser.findElement(By.id("notice")).getText()).startsWith("Acknowledged");
        assertThat(browser.findElement(By.cssSelector("#alerts tr[data-rule='Bulk-sender complaint rate (critical, 0.3%)'] [data-acknowledged]"))
                .getText()).as("as text").isEqualTo("alerts-admin@example.com: Yahoo's feedback loop: <b>cleaning</b> the list");
        WebElement silence = browser.findElement(By.id("silence"));
        silence.findElement(By.name("matchers")).sendKeys("mailbox_provider=yahoo, severity=warning");
        silence.findElement(By.name("comment")).sendKeys("known, being handled");
        silence.findElement(By.tagName("button")).click();
        assertThat(browser.findElement(By.cssSelector("[data-silence]")).getText()).contains("{mailbox_provider=yahoo, severity=warning}")
                .contains("alerts-admin@example.com: known, being handled");
        Chromium.screenshot(browser, "alerts-desktop");
        assertThat(Chromium.scrollsSideways(browser, 375)).as("no sideways scrolling on a phone").isFalse();
        Chromium.screenshot(browser, "alerts-phone");

        ConsoleBrowser viewer = new ConsoleBrowser(port);
        viewer.signIn("alerts-viewer@example.com", viewerPassword);
        String page = viewer.get("/w/alerts-shop/alerts").body();
        assertThat(page).contains("Bulk-sender complaint rate (critical, 0.3%)").doesNotContain("Switch off").doesNotContain("Acknowledge</button>")
                .doesNotContain("End it");
        assertThat(viewer.post("/w/alerts-shop/alerts/presets/bounce-rate", "_csrf=" + viewer.csrf(page)).statusCode())
                .as("a viewer's switch, refused").isEqualTo(403);
        assertThat(viewer.post("/w/alerts-shop/alerts/silences", "matchers=rule%3Dx&hours=1&comment=x&_csrf=" + viewer.csrf(page)).statusCode())
                .as("a viewer's silence, refused").isEqualTo(403);
        assertThat(db.fetchCount(db.selectFrom("alert_rules").where("workspace_id = ?", shop.id()))).isEqualTo(2);
    }

    private static Event event(UUID workspace, String type, String provider) {
        return EnrichedEvents.email(workspace, type, Instant.now(), provider, "winter");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }
}
