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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.mailpulse.alerting.AlertEvaluator;
import dev.mailpulse.alerting.AlertNotifier;
import dev.mailpulse.alerting.MetricStore;
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
    MetricStore store;
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
    void anAdminSwitchesThePresetOnAndSeesYahoosComplaintsFireWithTheirEmails() throws Exception {
        Workspaces.Workspace shop = workspaces.create("alerts-shop", "Europe/Paris", false).workspace();
        String adminPassword = new Users(db).create("alerts-admin@example.com", "alerts-shop", Role.ADMIN).password();
        String viewerPassword = new Users(db).create("alerts-viewer@example.com", "alerts-shop", Role.VIEWER).password();

        Chromium.signIn(browser, url(""), "alerts-admin@example.com", adminPassword);
        browser.get(url("/w/alerts-shop/alerts"));
        assertThat(browser.findElement(By.id("no-alerts")).getText()).isEqualTo("Nothing is firing or pending.");
        WebElement preset = browser.findElement(By.cssSelector("[data-preset=bulk-sender-complaints]"));
        preset.findElement(By.name("email")).sendKeys("ops@example.com");
        assertThat(noticeAfterClicking(preset.findElement(By.tagName("button")))).isEqualTo("Gmail and Yahoo bulk-sender complaint rate is on.");
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
        assertThat(new AlertEvaluator(store).evaluate(shop.id(), Instant.now()).transitions()).hasSize(2);
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
        assertThat(noticeAfterClicking(critical.findElement(By.cssSelector("form.acknowledge button")))).startsWith("Acknowledged");
        assertThat(browser.findElement(By.cssSelector("#alerts tr[data-rule='Bulk-sender complaint rate (critical, 0.3%)'] [data-acknowledged]"))
                .getText()).as("as text").isEqualTo("alerts-admin@example.com: Yahoo's feedback loop: <b>cleaning</b> the list");
        WebElement silence = browser.findElement(By.id("silence"));
        silence.findElement(By.name("matchers")).sendKeys("mailbox_provider=yahoo, severity=warning");
        silence.findElement(By.name("comment")).sendKeys("known, being handled");
        assertThat(afterClicking(silence.findElement(By.tagName("button")), By.cssSelector("[data-silence]")).getText()).contains("{mailbox_provider=yahoo, severity=warning}")
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

    @Test
    void anAnalystPreviewsARuleOverThePastDaysThenSavesIt() throws Exception {
        Workspaces.Workspace shop = workspaces.create("rules-shop", "Europe/Paris", false).workspace();
        String analystPassword = new Users(db).create("rules-analyst@example.com", "rules-shop", Role.ANALYST).password();
        String viewerPassword = new Users(db).create("rules-viewer@example.com", "rules-shop", Role.VIEWER).password();
        // two days ago, within one quarter of an hour: 200 deliveries to each provider, 10 complaints at Yahoo (5%)
        Instant quarter = Instant.ofEpochSecond(Instant.now().minus(Duration.ofDays(2)).getEpochSecond() / 900 * 900);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            events.add(EnrichedEvents.email(shop.id(), "email.deliver", quarter.plus(Duration.ofMinutes(7)), "yahoo", "winter"));
            events.add(EnrichedEvents.email(shop.id(), "email.deliver", quarter.plus(Duration.ofMinutes(7)), "gmail", "winter"));
        }
        for (int i = 0; i < 10; i++) {
            events.add(EnrichedEvents.email(shop.id(), "email.complaint", quarter.plus(Duration.ofMinutes(8)), "yahoo", "winter"));
        }
        db.transaction(tx -> new EventStore().store(tx.dsl(), events));

        Chromium.signIn(browser, url(""), "rules-analyst@example.com", analystPassword);
        browser.get(url("/w/rules-shop/alerts"));
        assertThat(afterClicking(browser.findElement(By.id("rules-link")), By.id("no-rules")).isDisplayed()).isTrue();
        WebElement editor = browser.findElement(By.id("editor"));
        editor.findElement(By.name("name")).sendKeys("Yahoo complaints");
        editor.findElement(By.name("minVolume")).clear();
        editor.findElement(By.name("minVolume")).sendKeys("20");
        editor.findElement(By.name("value")).clear();
        editor.findElement(By.name("value")).sendKeys("one percent");
        assertThat(afterClicking(browser.findElement(By.id("preview-button")), By.id("problem")).getText()).isEqualTo("Not previewed: above: a number, not 'one percent'");

        editor = browser.findElement(By.id("editor"));
        assertThat(editor.findElement(By.name("name")).getDomProperty("value")).as("the form keeps what was typed").isEqualTo("Yahoo complaints");
        editor.findElement(By.name("value")).clear();
        editor.findElement(By.name("value")).sendKeys("1");
        new Select(editor.findElement(By.name("noData"))).selectByValue("resolve");
        new Select(editor.findElement(By.name("days"))).selectByValue("7");
        afterClicking(browser.findElement(By.id("preview-button")), By.id("preview-transitions"));
        java.time.format.DateTimeFormatter minutes = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
                .withZone(java.time.ZoneId.of("Europe/Paris"));
        assertThat(browser.findElements(By.cssSelector("#preview-transitions tbody tr")))
                .extracting(row -> String.join(" | ", row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList()))
                .as("the quarter's 10 complaints of 200 deliveries, judged at its end; nothing after it: resolved, then normal")
                .containsExactly(minutes.format(quarter.plusSeconds(900)) + " | {mailbox_provider=yahoo} | normal → firing | 5.000% | 200",
                        minutes.format(quarter.plusSeconds(1800)) + " | {mailbox_provider=yahoo} | firing → resolved | no data | 0",
                        minutes.format(quarter.plusSeconds(2700)) + " | {mailbox_provider=yahoo} | resolved → normal | no data | 0");
        assertThat(browser.findElement(By.id("preview-summary")).getText()).startsWith("Judged 672 times, every PT15M, from ")
                .endsWith("(Europe/Paris): 3 transitions, 0 firing at the end.");
        assertThat(browser.findElements(By.cssSelector("[data-instance]"))).singleElement()
                .satisfies(row -> assertThat(row.findElements(By.cssSelector("rect.timeline-firing"))).hasSize(1));
        assertThat(db.fetchCount(db.selectFrom("alert_rules").where("workspace_id = ?", shop.id()))).as("a preview saves nothing").isZero();
        Chromium.screenshot(browser, "rules-editor-desktop");
        browser.executeScript("document.getElementById('preview').scrollIntoView()");
        Chromium.screenshot(browser, "rules-preview-desktop");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(375, 800));
        assertThat((Boolean) browser.executeScript("return document.documentElement.scrollWidth > document.documentElement.clientWidth"))
                .as("no sideways scrolling on a phone").isFalse();
        Chromium.screenshot(browser, "rules-preview-phone"); // the preview, scrolled to

        assertThat(noticeAfterClicking(browser.findElement(By.id("save-button"))))
                .isEqualTo("Saved: Yahoo complaints. The evaluator judges it from now on.");
        assertThat(browser.findElement(By.cssSelector("#rules tr[data-rule='Yahoo complaints'] td[data-label=Condition]")).getText())
                .isEqualTo("above 1.000%");

        ConsoleBrowser viewer = new ConsoleBrowser(port);
        viewer.signIn("rules-viewer@example.com", viewerPassword);
        String page = viewer.get("/w/rules-shop/alerts/rules").body();
        assertThat(page).contains("Yahoo complaints").doesNotContain("id=\"editor\"").doesNotContain("Remove</button>");
        assertThat(viewer.post("/w/rules-shop/alerts/rules/preview", "name=x&metric=sent&window=PT15M&condition=above&value=1&_csrf="
                + viewer.csrf(page)).statusCode()).as("a viewer's preview, refused").isEqualTo(403);
        ConsoleBrowser analyst = new ConsoleBrowser(port);
        analyst.signIn("rules-analyst@example.com", analystPassword);
        String alerts = analyst.get("/w/rules-shop/alerts").body();
        for (String labels : List.of("[\"yahoo\"]", "{\"mailbox_provider\": 1}", "yahoo")) {
            assertThat(analyst.post("/w/rules-shop/alerts/acknowledge", "rule=" + UUID.randomUUID() + "&comment=x&labels="
                    + java.net.URLEncoder.encode(labels, java.nio.charset.StandardCharsets.UTF_8) + "&_csrf=" + analyst.csrf(alerts)).statusCode())
                    .as("an acknowledgement's labels are an object of strings: " + labels).isEqualTo(400);
        }

        assertThat(noticeAfterClicking(browser.findElement(By.cssSelector("#rules tr[data-rule='Yahoo complaints'] button"))))
                .isEqualTo("The rule is removed, with its alerts and history.");
        assertThat(browser.findElement(By.id("no-rules")).isDisplayed()).isTrue();
    }

    /** The notice of the page a button's form leads to. */
    private String noticeAfterClicking(WebElement button) {
        return afterClicking(button, By.id("notice")).getText();
    }

    /** An element of the page a button's form leads to, once the page the button was on is gone. */
    private WebElement afterClicking(WebElement button, By expected) {
        button.click();
        WebDriverWait loaded = new WebDriverWait(browser, Duration.ofSeconds(10));
        loaded.until(ExpectedConditions.stalenessOf(button));
        loaded.ignoring(StaleElementReferenceException.class);
        return loaded.until(driver -> driver.findElements(expected).stream().findFirst().orElse(null));
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
