package dev.mailpulse.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.mailpulse.core.event.Event;
import dev.mailpulse.core.json.EventJson;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.livecache.CacheReconciler;
import dev.mailpulse.livecache.LiveCache;
import dev.mailpulse.livecache.LiveCacheProperties;
import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.events.EventStore;
import dev.mailpulse.storage.facts.Attribution;
import dev.mailpulse.storage.facts.Benchmarks;
import dev.mailpulse.storage.facts.DailyFacts;
import dev.mailpulse.storage.facts.LifetimeKpis;
import dev.mailpulse.storage.facts.LocalDay;
import dev.mailpulse.storage.facts.Revenue;
import dev.mailpulse.storage.facts.Trends;
import dev.mailpulse.storage.jooq.Tables;
import dev.mailpulse.storage.user.Role;
import dev.mailpulse.storage.user.Users;
import dev.mailpulse.storage.ml.CampaignClusters;
import dev.mailpulse.storage.ml.DailyForecasts;
import dev.mailpulse.storage.ml.ModelRegistry;
import dev.mailpulse.storage.ml.Predictions;
import dev.mailpulse.storage.ml.Recommendations;
import dev.mailpulse.storage.ml.SendTimes;
import dev.mailpulse.storage.workspace.KeyScope;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRedis;
import dev.mailpulse.traffic.Simulation;
import tools.jackson.databind.JsonNode;

/**
 * The console's pages in a real browser (Debian's headless Chromium), signed in through the form: the live overview
 * (today's KPIs are the API's numbers, the per-minute chart is drawn and takes an event within 2 s), the campaigns
 * (each line's numbers are the API's, sorted, searched, as CSV); hostile names render as text, and a phone's width
 * needs no horizontal scrolling. Screenshots are kept in {@code target/screenshots}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsolePagesInBrowserTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres().preparedWith(db -> SchemaMigrator.migrate(db.jdbcUrl(), db.user(), db.password()));
    @RegisterExtension
    static final TestRedis REDIS = TestRedis.server();

    static final String HOSTILE = "<img src=x onerror=alert(1)>\"'&";
    static final String HOSTILE_LINK = "https://shop.example/\"><script>window.pwned=1</script>?" + "x".repeat(300);

    @DynamicPropertySource
    static void connections(DynamicPropertyRegistry registry) {
        DB.registerDataSource(registry);
        registry.add("spring.data.redis.url", TestRedis::uri);
        registry.add("mailpulse.cache.key-prefix", REDIS::prefix);
    }

    @LocalServerPort
    int port;
    @Autowired
    DSLContext db;
    @Autowired
    Workspaces workspaces;
    @Autowired
    StringRedisTemplate redis;
    @Autowired
    LiveCache cache;
    @Autowired
    LiveCacheProperties properties;

    @RegisterExtension
    final Chromium chromium = new Chromium();
    private ChromeDriver browser;
    // stored once for the class's tests
    private static Workspaces.Workspace shop;
    private static String readKey;
    private static String password;
    /** The campaign with the most revenue attributed in euros. */
    private static String earning;

    @BeforeEach
    void storeTrafficOnce() {
        if (shop != null) {
            return;
        }
        // +05:45: today starts at a quarter past six in UTC
        shop = workspaces.create("browser-shop", "Asia/Kathmandu", false).workspace();
        readKey = workspaces.issueKey("browser-shop", "browser test", KeyScope.READ).key();
        password = new Users(db).create("browser-viewer@example.com", "browser-shop", Role.VIEWER).password();
        StoredTraffic.store(db, shop, 5, 2_000, 4, Instant.now().truncatedTo(ChronoUnit.MINUTES));
        db.insertInto(Tables.CAMPAIGNS, Tables.CAMPAIGNS.WORKSPACE_ID, Tables.CAMPAIGNS.CAMPAIGN_ID, Tables.CAMPAIGNS.NAME)
                .values(shop.id(), "hostile", HOSTILE).execute();
        Event first = event(shop, "email.open", "hostile");
        Event hostileClick = EventJson.fromJson(((tools.jackson.databind.node.ObjectNode) EventJson.toJson(event(shop, "email.click", "hostile")))
                .put("link_url", HOSTILE_LINK).put("user_agent", HOSTILE));
        db.transaction(tx -> new EventStore().store(tx.dsl(), List.of(first, hostileClick)));
        new CacheReconciler(db, redis, cache, properties, Clock.systemUTC()).apply(List.of(first, hostileClick));
        // the nightly ETL's facts of the traffic's days (today's too: no more events come to it in this test)
        ZoneId zone = ZoneId.of(shop.timeZone());
        // the traffic's 4 hours, and its late events up to Simulation.LATEST before them
        Instant earliest = Instant.now().minus(Duration.ofHours(4)).minus(Simulation.LATEST);
        for (LocalDate day = earliest.atZone(zone).toLocalDate(); !day.isAfter(LocalDate.now(zone)); day = day.plusDays(1)) {
            LocalDay local = new LocalDay(shop.id(), shop.name(), day, zone);
            db.transaction(tx -> new DailyFacts(tx.dsl()).process(local, DailyFacts.Reason.ASKED, null));
        }
        new LifetimeKpis(db).recompute(shop.id(), List.of("campaign-1-1", "campaign-1-2", "campaign-1-3", "hostile"));
        // and what it derives for the business: revenue attributed, a cost, ranks, trends
        db.transaction(tx -> {
            Attribution attribution = new Attribution(tx.dsl());
            attribution.due(Optional.of(shop.name())).forEach(attribution::attribute);
            new Benchmarks(tx.dsl()).rankCampaigns(shop.id());
            new Benchmarks(tx.dsl()).compareIndustries();
            new Trends(tx.dsl()).recompute(shop.id());
        });
        earning = db.fetchOne("""
                SELECT campaign_id FROM daily_attribution WHERE workspace_id = ? AND campaign_id <> '' AND currency = 'EUR'
                GROUP BY campaign_id ORDER BY sum(revenue) DESC LIMIT 1""", shop.id()).get(0, String.class);
        new Revenue(db, shop.id()).setCost(earning, new BigDecimal("25.00"), "EUR", "finance@example.com", Instant.now());
    }

    @BeforeEach
    void openBrowser() {
        browser = chromium.browser();
    }

    @Test
    void theOverviewShowsTheApisNumbersAndTakesALiveEventWithinTwoSecondsOnADesktopAndOnAPhone() throws Exception {
        CacheReconciler live = new CacheReconciler(db, redis, cache, properties, Clock.systemUTC());
        signIn();
        browser.findElement(By.linkText("browser-shop")).click();
        WebDriverWait waiting = waitingUpTo(Duration.ofSeconds(10));
        waiting.until(driver -> driver.findElement(By.id("per-minute")).getDomAttribute("data-total") != null);

        Instant now = Instant.now();
        Instant midnight = now.atZone(ZoneId.of("Asia/Kathmandu")).truncatedTo(ChronoUnit.DAYS).toInstant();
        JsonNode summary = api("/api/v1/summary?from=" + midnight + "&to=" + now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES), readKey);
        assertThat(number(kpi("sent"))).as("sent today, as the API counts it").isEqualTo(summary.get("funnel").get("sent").asLong());
        assertThat(number(kpi("delivered"))).isEqualTo(summary.get("funnel").get("delivered").asLong());
        assertThat(kpi("human_open_rate")).isEqualTo(String.format(java.util.Locale.ROOT, "%.2f%%", summary.get("rates").get("human_open").asDouble() * 100));

        assertThat(browser.findElement(By.id("kpis")).getText()).as("a hostile campaign name, as text").contains(HOSTILE);
        assertThat((Long) script("return document.querySelectorAll('#kpis img').length")).as("and not as markup").isZero();
        assertThat(drawnPixels("per-minute")).as("the chart's canvas has pixels drawn").isGreaterThan(1_000L);
        assertThat(browser.findElements(By.cssSelector("form[method=post]"))).as("a viewer's only action: signing out").hasSize(1);
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Kathmandu"));
        JsonNode days = api("/api/v1/daily?from=" + today.minusDays(30) + "&to=" + today.minusDays(1), readKey);
        List<WebElement> history = browser.findElements(By.cssSelector("#history-table tbody tr"));
        assertThat(history).as("the last 30 days, the API's").hasSize(days.get("items").size());
        for (int i = 0; i < history.size(); i++) {
            assertThat(Long.parseLong(history.get(i).getDomAttribute("data-sent"))).isEqualTo(days.get("items").get(i).get("sent").asLong());
        }
        script("document.getElementById('history-title').scrollIntoView()");
        screenshot("overview-history");
        screenshot("overview-desktop");

        long before = Long.parseLong(browser.findElement(By.id("per-minute")).getDomAttribute("data-total"));
        Event next = event(shop, "email.click", "hostile");
        Instant sent = Instant.now();
        db.transaction(tx -> new EventStore().store(tx.dsl(), List.of(next)));
        live.apply(List.of(next));
        waitingUpTo(Duration.ofSeconds(5)).until(driver ->
                Long.parseLong(driver.findElement(By.id("per-minute")).getDomAttribute("data-total")) > before);
        Duration took = Duration.between(sent, Instant.now());
        System.out.printf("The overview's chart took an event in %d ms%n", took.toMillis());
        assertThat(took).as("from the live cache to the open overview's chart").isLessThan(Duration.ofSeconds(2));
        waiting.until(driver -> driver.findElement(By.id("feed")).getText().contains("email.click"));
        script("document.getElementById('per-minute-title').scrollIntoView()");
        screenshot("overview-chart");

        browser.manage().window().setSize(new Dimension(375, 800));
        browser.navigate().refresh();
        waiting.until(driver -> driver.findElement(By.id("per-minute")).getDomAttribute("data-total") != null);
        assertThat((Boolean) script("return document.documentElement.scrollWidth <= document.documentElement.clientWidth"))
                .as("no horizontal scrolling at 375 px").isTrue();
        screenshot("overview-phone");
        script("document.getElementById('history-title').scrollIntoView()");
        screenshot("overview-history-phone");

        browser.get(url("/w/not-mine"));
        assertThat(browser.getPageSource()).as("a workspace the user is not a member of").doesNotContain("Overview").contains("Not found");
        browser.get(url("/w/browser-shop/campaigns/no-such-campaign"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).as("a campaign the workspace does not have").isEqualTo("Not found");
        browser.get(url("/w/browser-shop/campaigns/campaign-1-1?until=yesterday"));
        assertThat(browser.findElement(By.tagName("main")).getText()).as("a date that is not one: the page says which parameter")
                .contains("Not a request this page understands").contains("until: not a date (YYYY-MM-DD) (yesterday)");
        assertThat(((JavascriptExecutor) browser).executeAsyncScript(
                "fetch(arguments[0]).then(r => arguments[arguments.length - 1](r.status + ' ' + r.headers.get('content-type')))",
                url("/w/browser-shop/campaigns?days=many")))
                .as("the list's form with a number that is not one").asString().startsWith("400 text/html");
    }

    @Test
    void theCampaignsListShowsTheApisNumbersSortedSearchedAndAsCsv() throws Exception {
        signIn();
        browser.get(url("/w/browser-shop/campaigns?days=7&sort=sent&dir=desc"));
        List<WebElement> rows = browser.findElements(By.cssSelector("tbody tr[data-campaign]"));
        assertThat(rows).as("the generator's three campaigns and the hostile one").hasSize(4);
        Instant now = Instant.now();
        Instant from = now.atZone(ZoneId.of("Asia/Kathmandu")).truncatedTo(ChronoUnit.DAYS).minusDays(6).toInstant();
        String range = "?from=" + from + "&to=" + now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        List<Long> sent = new java.util.ArrayList<>();
        for (WebElement row : rows) {
            String campaign = row.getDomAttribute("data-campaign");
            JsonNode summary = api("/api/v1/campaigns/" + java.net.URLEncoder.encode(campaign, java.nio.charset.StandardCharsets.UTF_8) + "/summary" + range, readKey);
            long shown = number(row.findElement(By.cssSelector("[data-column=sent]")).getText());
            assertThat(shown).as(campaign + " sent, as the API counts it").isEqualTo(summary.get("funnel").get("sent").asLong());
            JsonNode humanOpen = summary.get("rates").get("human_open");
            assertThat(row.findElement(By.cssSelector("[data-column=human_open_rate]")).getText()).as(campaign + " human opens")
                    .isEqualTo(humanOpen.isNull() ? "–" : String.format(java.util.Locale.ROOT, "%.2f%%", humanOpen.asDouble() * 100));
            sent.add(shown);
        }
        assertThat(sent).as("most sent first").isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(browser.findElement(By.tagName("tbody")).getText()).as("a hostile name, as text").contains(HOSTILE);
        assertThat((Long) script("return document.querySelectorAll('tbody img').length")).isZero();
        screenshot("campaigns-desktop");

        browser.findElement(By.name("q")).sendKeys("1-2");
        browser.findElement(By.cssSelector("form.filters button")).click();
        waitingUpTo(Duration.ofSeconds(10)).until(driver -> driver.getCurrentUrl().contains("q=1-2"));
        assertThat(browser.findElements(By.cssSelector("tbody tr[data-campaign]"))).extracting(r -> r.getDomAttribute("data-campaign"))
                .containsExactly("campaign-1-2");

        String csv = (String) ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(document.querySelector('a[download]').href).then(r => r.text()).then(done);");
        assertThat(csv.lines().findFirst()).hasValueSatisfying(header -> assertThat(header).startsWith("campaign_id,name,status,sent,delivered"));
        assertThat(csv.lines().skip(1)).singleElement().satisfies(line -> assertThat(line).startsWith("campaign-1-2,"));

        browser.manage().window().setSize(new Dimension(375, 800));
        browser.get(url("/w/browser-shop/campaigns?days=7"));
        assertThat((Boolean) script("return document.documentElement.scrollWidth <= document.documentElement.clientWidth"))
                .as("no horizontal scrolling at 375 px").isTrue();
        screenshot("campaigns-phone");
    }

    @Test
    void aCampaignsPageDrawsItsSeriesAndItsFunnelWithTheApisNumbers() throws Exception {
        signIn();
        browser.get(url("/w/browser-shop/campaigns"));
        browser.findElement(By.linkText("campaign-1-1")).click();
        WebDriverWait waiting = waitingUpTo(Duration.ofSeconds(10));
        waiting.until(driver -> driver.findElement(By.id("series")).getDomAttribute("data-total") != null
                && driver.findElement(By.id("people")).getDomAttribute("data-total") != null);
        ZoneId zone = ZoneId.of("Asia/Kathmandu");
        Instant now = Instant.now();
        Instant from = now.atZone(zone).truncatedTo(ChronoUnit.DAYS).minusDays(6).toInstant();
        Instant to = now.atZone(zone).truncatedTo(ChronoUnit.HOURS).plusHours(1).toInstant();
        JsonNode summary = api("/api/v1/campaigns/campaign-1-1/summary?from=" + from + "&to=" + to, readKey);
        assertThat(number(kpi("sent"))).isEqualTo(summary.get("funnel").get("sent").asLong());
        assertThat(number(kpi("human_opened"))).isEqualTo(summary.get("funnel").get("human_opened").asLong());
        assertThat(number(kpi("machine_opens"))).isEqualTo(summary.get("machine_opens").asLong());
        JsonNode before = api("/api/v1/campaigns/campaign-1-1/summary?from=" + from.minus(Duration.between(from, to)) + "&to=" + from, readKey);
        assertThat(before.get("funnel").get("sent").asLong()).as("the week before the traffic").isZero();
        assertThat(browser.findElement(By.cssSelector("[data-change=sent]")).getText()).isEqualTo("vs the period before: from none");
        long events = 0;
        for (JsonNode point : api("/api/v1/campaigns/campaign-1-1/timeseries?granularity=hour&tz=Asia/Kathmandu&from=" + from + "&to=" + to, readKey)
                .get("items")) {
            events += point.get("event_count").asLong();
        }
        assertThat(Long.parseLong(browser.findElement(By.id("series")).getDomAttribute("data-total"))).as("the chart's events, the API's")
                .isEqualTo(events).isPositive();
        assertThat(browser.findElements(By.cssSelector("#series-table tbody tr"))).as("its table view").isNotEmpty();
        List<WebElement> days = browser.findElements(By.cssSelector("#history-table tbody tr"));
        assertThat(days.stream().mapToLong(d -> Long.parseLong(d.getDomAttribute("data-sent"))).sum())
                .as("the nightly facts' days add up to the read model's week").isEqualTo(summary.get("funnel").get("sent").asLong());
        JsonNode daily = api("/api/v1/campaigns/campaign-1-1/daily?from=" + from.atZone(zone).toLocalDate() + "&to=" + to.atZone(zone).toLocalDate(), readKey);
        assertThat(daily.get("items")).as("the API's days, the page's").hasSize(days.size());
        for (int i = 0; i < days.size(); i++) {
            assertThat(days.get(i).getDomAttribute("data-day")).isEqualTo(daily.get("items").get(i).get("date").asString());
            assertThat(Long.parseLong(days.get(i).getDomAttribute("data-delivered"))).isEqualTo(daily.get("items").get(i).get("delivered").asLong());
        }
        assertThat(daily.get("lifetime").get("sent").asLong()).as("its life so far").isEqualTo(summary.get("funnel").get("sent").asLong());
        assertThat(drawnPixels("history")).as("the history's canvas has pixels drawn").isGreaterThan(1_000L);
        JsonNode domains = api("/api/v1/campaigns/campaign-1-1/breakdown/recipient-domain?from=" + from + "&to=" + to, readKey);
        assertThat(browser.findElement(By.cssSelector("[data-dimension=recipient-domain]")).getText()).as("the API's largest domain")
                .contains(domains.get("items").get(0).get("value").asString());
        assertThat(drawnPixels("series")).as("the series' canvas has pixels drawn").isGreaterThan(1_000L);
        script("document.getElementById('series-title').scrollIntoView()");
        screenshot("campaign-desktop");

        // with the keyboard alone: from the top of the page, Tab to "Compare with", type another campaign, Enter
        browser.findElement(By.tagName("body")).sendKeys(Keys.HOME);
        script("document.activeElement.blur()");
        new Actions(browser).sendKeys(Keys.TAB).perform();
        for (int tabs = 0; tabs < 40 && !"compare".equals(browser.switchTo().activeElement().getDomAttribute("name")); tabs++) {
            new Actions(browser).sendKeys(Keys.TAB).perform();
        }
        assertThat(browser.switchTo().activeElement().getDomAttribute("name")).as("the comparison is reached by Tab").isEqualTo("compare");
        assertThat(script("const s = getComputedStyle(document.activeElement); return s.outlineStyle !== 'none' || s.boxShadow !== 'none'"))
                .as("the focused field shows its focus").isEqualTo(true);
        new Actions(browser).keyDown(Keys.CONTROL).sendKeys("a").keyUp(Keys.CONTROL).sendKeys("campaign-1-2" + Keys.ENTER).perform();
        waiting.until(driver -> driver.findElement(By.id("comparison-title")).getText().equals("Compared with campaign campaign-1-2"));
        JsonNode other = api("/api/v1/campaigns/campaign-1-2/summary?from=" + from + "&to=" + to, readKey);
        assertThat(number(browser.findElement(By.cssSelector("[data-figure=sent] td:nth-of-type(2)")).getText()))
                .as("the other campaign's sent, over the same range").isEqualTo(other.get("funnel").get("sent").asLong()).isPositive();
        assertThat(browser.findElement(By.cssSelector("[data-change=sent]")).getText()).startsWith("vs campaign campaign-1-2: ");
        script("document.getElementById('comparison-title').scrollIntoView()");
        screenshot("campaign-compared");
        browser.get(url("/w/browser-shop/campaigns/campaign-1-1?compare=%3Cscript%3Ewindow.pwned%3D1%3C%2Fscript%3E"));
        assertThat(browser.findElement(By.cssSelector("[role=alert]")).getText()).as("an unknown campaign to compare with, as text")
                .contains("There is no campaign <script>window.pwned=1</script> in this workspace");
        assertThat(browser.findElement(By.id("comparison-title")).getText()).isEqualTo("Compared with the period before");

        browser.get(url("/w/browser-shop/campaigns/hostile"));
        assertThat(browser.findElement(By.cssSelector("[data-dimension=link]")).getText()).as("a hostile link, as text").contains(HOSTILE_LINK);
        assertThat(script("return window.pwned === undefined && document.querySelectorAll('main script').length === 0")).isEqualTo(true);
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("hostile");
        browser.manage().window().setSize(new Dimension(375, 800));
        browser.navigate().refresh();
        waiting.until(driver -> driver.findElement(By.id("series")).getDomAttribute("data-total") != null);
        screenshot("campaign-phone");
        assertThat((Boolean) script("return document.documentElement.scrollWidth <= document.documentElement.clientWidth"))
                .as("no horizontal scrolling at 375 px (wider: " + script("""
                        return document.documentElement.scrollWidth + ' ' + Array.from(document.querySelectorAll('body *'))
                            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth && e.parentElement.getBoundingClientRect().right <= document.documentElement.clientWidth)
                            .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')""") + ")")
                .isTrue();
    }

    @Test
    void aCampaignsRevenueRoiRanksAndTheWorkspacesTrendsAreTheApisOnItsPageAndOnBenchmarks() throws Exception {
        signIn();
        browser.get(url("/w/browser-shop/campaigns/" + earning));
        WebDriverWait waiting = waitingUpTo(Duration.ofSeconds(10));
        waiting.until(driver -> driver.findElement(By.id("trend")).getDomAttribute("data-points") != null);
        JsonNode roi = api("/api/v1/campaigns/" + earning + "/roi", readKey);
        assertThat(browser.findElement(By.id("cost")).getText()).isEqualTo("25.00 EUR");
        JsonNode eur = null;
        for (JsonNode credited : roi.get("revenue")) {
            eur = credited.get("currency").asString().equals("EUR") ? credited : eur;
        }
        assertThat(eur).as("revenue attributed in euros").isNotNull();
        assertThat(new BigDecimal(browser.findElement(By.cssSelector("[data-revenue=EUR]")).getText().replace(" EUR", "").replace(",", "")))
                .isEqualByComparingTo(eur.get("revenue").decimalValue().setScale(2, RoundingMode.HALF_EVEN));
        assertThat(Double.parseDouble(browser.findElement(By.id("roi")).getText().replace("%", "").replace(",", "")))
                .as("the ROI, in percent").isCloseTo(roi.get("roi").asDouble() * 100, offset(0.005));
        assertThat(browser.findElements(By.id("cost-form"))).as("a viewer does not set costs").isEmpty();
        JsonNode ranks = api("/api/v1/campaigns/" + earning + "/benchmarks", readKey);
        List<WebElement> rows = browser.findElements(By.cssSelector("#ranks tbody tr"));
        assertThat(rows).as("a rank per KPI").hasSize(ranks.get("items").size()).isNotEmpty();
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i).getDomAttribute("data-kpi")).isEqualTo(ranks.get("items").get(i).get("kpi").asString());
            assertThat(Double.parseDouble(rows.get(i).getDomAttribute("data-percentile"))).isEqualTo(ranks.get("items").get(i).get("percentile").asDouble());
        }
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Kathmandu"));
        JsonNode trend = api("/api/v1/trends?kpi=human_click_rate&from=" + today.minusDays(89) + "&to=" + today, readKey);
        assertThat(Integer.parseInt(browser.findElement(By.id("trend")).getDomAttribute("data-points"))).as("the chart's days, the API's")
                .isEqualTo(trend.get("items").size()).isPositive();
        assertThat(drawnPixels("trend")).as("the trend's canvas has pixels drawn").isGreaterThan(1_000L);
        script("document.getElementById('revenue-title').scrollIntoView()");
        screenshot("campaign-revenue-desktop");
        script("document.getElementById('trends-title').scrollIntoView()");
        screenshot("campaign-trends-desktop");

        browser.get(url("/w/browser-shop/benchmarks"));
        JsonNode standing = api("/api/v1/benchmarks", readKey);
        List<WebElement> kpis = browser.findElements(By.cssSelector("#standing-table tbody tr"));
        assertThat(kpis).hasSize(standing.get("items").size()).isNotEmpty();
        for (int i = 0; i < kpis.size(); i++) {
            assertThat(kpis.get(i).getDomAttribute("data-kpi")).isEqualTo(standing.get("items").get(i).get("kpi").asString());
            assertThat(kpis.get(i).getText()).as("no industry: nothing published").contains("not published");
        }
        browser.manage().window().setSize(new Dimension(375, 800));
        browser.navigate().refresh();
        waiting.until(driver -> driver.findElement(By.id("trend")).getDomAttribute("data-points") != null);
        screenshot("benchmarks-phone");
        assertThat((Boolean) script("return document.documentElement.scrollWidth <= document.documentElement.clientWidth"))
                .as("no horizontal scrolling at 375 px").isTrue();
    }

    /**
     * What the nightly training left, as the models page and a running campaign's page show it: each model's promoted
     * version beside its baselines, every version, the scores, the send times and the forecast, each number the API's.
     */
    @Test
    void theModelsPageAndARunningCampaignsForecastShowTheApisNumbers() throws Exception {
        Instant trained = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ModelRegistry registry = new ModelRegistry(db);
        for (int version = 1; version <= 2; version++) {
            registry.record(shop.id(), new ModelRegistry.Model(ModelRegistry.ENGAGEMENT_CLICK, version, version == 1 ? "logistic_regression" : "gradient_boosted_trees",
                    trained, trained.minus(Duration.ofDays(20)), trained.minus(Duration.ofDays(6)), trained.minus(Duration.ofDays(3)), 44_776, 15_149,
                    Map.of("max_iterations", 100), Map.of("roc_auc", 0.7008 - version / 100.0, "pr_auc", 0.2417),
                    Map.of("global_rate", Map.of("roc_auc", 0.5, "pr_auc", 0.1187), "recipient_history", Map.of("roc_auc", 0.5979, "pr_auc", 0.1822)),
                    version == 1, version == 1 ? "promoted: roc_auc 0.6908 against 0.5979 for the best baseline (recipient_history)"
                            : "not promoted: logistic_regression did better on the same test rows", "/srv/models/v" + version));
        }
        registry.record(shop.id(), new ModelRegistry.Model(ModelRegistry.CAMPAIGN_CLICK_RATE, 1, "linear_regression", trained,
                trained.minus(Duration.ofDays(20)), trained.minus(Duration.ofDays(6)), trained.minus(Duration.ofDays(3)), 54, 18, Map.of(),
                Map.of("mae", 0.0213), Map.of("workspace_average", Map.of("mae", 0.0472)), true, "promoted", "/srv/models/c1"));
        Predictions predictions = new Predictions(db);
        List<Predictions.Score> scores = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            scores.add(new Predictions.Score(String.format("%032x", i), i / 100.0, 0.3, 2, 1, 1));
        }
        predictions.replaceScores(shop.id(), new Predictions.Scoring(trained, Optional.of(1), Optional.empty(), 57, 0), scores.iterator());
        predictions.replaceForecasts(shop.id(), List.of(new Predictions.Forecast("campaign-1-2", trained, trained.minus(Duration.ofHours(7)), 6, 231,
                Optional.of(0.1212), Optional.of(0.1387), 0.1130, Optional.of(1), Optional.of("EUR"), Optional.of(new BigDecimal("1290.85")),
                Optional.of(new BigDecimal("1132.11")), Optional.of(1))));
        List<Double> hourLifts = new ArrayList<>(java.util.Collections.nCopies(24, 0.9));
        hourLifts.set(10, 1.62);
        new SendTimes(db).replace(shop.id(), List.of(
                new SendTimes.Segment("domain", "gmail.com", 1, 8_120, 1_015, 0.125, hourLifts, java.util.Collections.nCopies(7, 1.0), List.of(34, 58, 10),
                        0.2031, 0.62, 0.41, 0.86),
                new SendTimes.Segment("provider", "gmail", 1, 16_400, 2_010, 0.1226, hourLifts, java.util.Collections.nCopies(7, 1.0), List.of(10), 0.19,
                        0.55, 0.4, 0.71)), java.util.Collections.emptyIterator());
        List<DailyForecasts.Day> days = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            double forecast = 4_000 + (i % 7 >= 5 ? -900 : 150 * (i % 7));
            days.add(new DailyForecasts.Day(LocalDate.now().plusDays(i + 1), forecast, forecast * 0.9, forecast * 1.1, forecast * 0.8, forecast * 1.2));
        }
        new DailyForecasts(db).replace(shop.id(), new DailyForecasts.Forecast("sent", 1, trained, days));
        Map<String, Double> centre = new java.util.LinkedHashMap<>();
        centre.put("human_open_rate", 0.4512);
        centre.put("unsubscribe_rate", 0.0021);
        new CampaignClusters(db).replace(shop.id(), List.of(new CampaignClusters.Cluster(2, 1, 2, "higher human open rate (+1.4 sd), lower unsubscribe rate (-0.9 sd)",
                centre, Map.of("human_open_rate", 1.4, "unsubscribe_rate", -0.9))), Map.of("campaign-1-1", 2, "campaign-1-2", 2));
        signIn();
        browser.get(url("/w/browser-shop/models"));
        JsonNode cluster = api("/api/v1/ml/campaign-clusters", readKey).get("items").get(0);
        WebElement card = browser.findElement(By.cssSelector("#clusters [data-cluster='2']"));
        assertThat(card.findElement(By.cssSelector(".description")).getText()).isEqualTo(cluster.get("description").asString());
        assertThat(card.findElement(By.cssSelector("[data-kpi=human_open_rate]")).getText()).contains("45.12%", "+1.4 sd");
        assertThat(card.findElements(By.cssSelector("a"))).extracting(WebElement::getText).containsExactly("campaign-1-1", "campaign-1-2");
        JsonNode sent = api("/api/v1/ml/daily-forecasts?series=sent", readKey);
        assertThat(waitingUpTo(Duration.ofSeconds(10)).until(driver -> driver.findElement(By.cssSelector("#forecast-chart-sent[data-drawn]")))
                .getAttribute("data-drawn")).isEqualTo("14");
        assertThat(browser.findElements(By.cssSelector("#forecast-table-sent tbody tr"))).extracting(row -> row.getAttribute("data-day"))
                .containsExactlyElementsOf(java.util.stream.StreamSupport.stream(sent.get("items").spliterator(), false)
                        .map(item -> item.get("day").asString()).toList());
        assertThat(browser.findElements(By.cssSelector("#forecast-chart-human_clicks"))).as("no forecast of human clicks was made").isEmpty();
        JsonNode domains = api("/api/v1/ml/send-times?kind=domain", readKey).get("items");
        WebElement gmail = browser.findElement(By.cssSelector("#send-times-domain [data-segment='gmail.com']"));
        assertThat(gmail.getAttribute("data-best-hour")).isEqualTo(Integer.toString(domains.get(0).get("best_hours_of_week").get(0).asInt() % 24));
        assertThat(gmail.getText()).contains("Tue 10:00, Wed 10:00, Mon 10:00", "20.3%", String.format(Locale.ROOT, "%+.0f%% (%+.0f%% to %+.0f%%)",
                domains.get(0).get("lift").asDouble() * 100, domains.get(0).get("lift_low").asDouble() * 100, domains.get(0).get("lift_high").asDouble() * 100));
        assertThat(gmail.findElements(By.cssSelector(".hours li"))).hasSize(24);
        assertThat(gmail.findElement(By.cssSelector(".hours li:nth-child(11)")).getAttribute("class")).isEqualTo("level-5");
        assertThat(browser.findElements(By.cssSelector("#send-times-provider tbody tr"))).hasSize(1);
        JsonNode models = api("/api/v1/ml/models", readKey);
        assertThat(browser.findElements(By.cssSelector("#registry-table tbody tr"))).hasSize(models.get("items").size());
        JsonNode promoted = null;
        for (JsonNode model : models.get("items")) {
            promoted = model.get("name").asString().equals("engagement_click") && model.get("promoted").asBoolean() ? model : promoted;
        }
        List<WebElement> bars = browser.findElements(By.cssSelector("[data-model=engagement_click] .bars li strong"));
        assertThat(bars).extracting(WebElement::getText).containsExactly(String.format(Locale.ROOT, "%.4f", promoted.get("metrics").get("roc_auc").asDouble()),
                String.format(Locale.ROOT, "%.4f", promoted.get("baseline_metrics").get("global_rate").get("roc_auc").asDouble()),
                String.format(Locale.ROOT, "%.4f", promoted.get("baseline_metrics").get("recipient_history").get("roc_auc").asDouble()));
        assertThat(browser.findElement(By.cssSelector("[data-model=engagement_click] .promoted")).getText()).startsWith("Promoted: v1");
        JsonNode likeliest = api("/api/v1/ml/engagement-scores?limit=10", readKey);
        List<WebElement> scoreRows = browser.findElements(By.cssSelector("#scores-table tbody tr"));
        assertThat(scoreRows).hasSize(10);
        assertThat(scoreRows.get(0).getText()).contains(likeliest.get("items").get(0).get("recipient_hash").asString());
        JsonNode forecast = api("/api/v1/campaigns/campaign-1-2/forecast", readKey).get("forecast");
        assertThat(browser.findElement(By.cssSelector("#forecasts-table [data-campaign=campaign-1-2]")).getText())
                .contains(String.format(Locale.ROOT, "%.2f%%", forecast.get("human_click_rate").asDouble() * 100));
        screenshot("models-desktop");
        script("document.getElementById('daily-forecasts-title').scrollIntoView()");
        screenshot("models-daily-forecasts-desktop");
        script("document.getElementById('clusters-title').scrollIntoView()");
        screenshot("models-clusters-desktop");
        script("document.getElementById('send-times-title').scrollIntoView()");
        screenshot("models-send-times-desktop");
        browser.manage().window().setSize(new Dimension(375, 800));
        browser.navigate().refresh();
        screenshot("models-phone");
        assertThat(scrollsSideways(375)).as("the models page scrolls sideways at 375 px").isFalse();

        browser.manage().window().setSize(new Dimension(1280, 900));
        browser.findElement(By.cssSelector("#forecasts-table [data-campaign=campaign-1-2] a")).click();
        assertThat(waitingUpTo(Duration.ofSeconds(10)).until(driver -> driver.findElement(By.id("forecast-click-rate"))).getText())
                .isEqualTo(String.format(Locale.ROOT, "%.2f%%", forecast.get("human_click_rate").asDouble() * 100));
        assertThat(browser.findElement(By.id("forecast-revenue")).getText())
                .isEqualTo(String.format(Locale.ROOT, "%,.2f EUR", forecast.get("revenue").decimalValue()));
        script("document.getElementById('forecast-title').scrollIntoView()");
        screenshot("campaign-forecast-desktop");
        browser.get(url("/w/browser-shop/campaigns/campaign-1-1"));
        assertThat(browser.findElements(By.id("forecast"))).as("a campaign not forecast shows none").isEmpty();
    }

    @Test
    void deliverabilityAndInfrastructureShowTheApisNumbersAndTheirCharts() throws Exception {
        signIn();
        ZoneId zone = ZoneId.of("Asia/Kathmandu");
        Instant now = Instant.now();
        browser.get(url("/w/browser-shop/deliverability?by=recipient-domain&days=7"));
        WebDriverWait waiting = waitingUpTo(Duration.ofSeconds(10));
        waiting.until(driver -> driver.findElement(By.id("complaints")).getDomAttribute("data-total") != null);
        Instant weekFrom = now.atZone(zone).truncatedTo(ChronoUnit.DAYS).minusDays(6).toInstant();
        JsonNode rows = api("/api/v1/deliverability?by=recipient-domain&from=" + weekFrom + "&to="
                + now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES), readKey);
        for (JsonNode row : rows.get("items")) {
            WebElement shown = browser.findElement(By.cssSelector("tr[data-value='" + row.get("value").asString() + "']"));
            assertThat(number(shown.findElement(By.cssSelector("[data-column=sent]")).getText())).as(row.get("value").asString() + " sent")
                    .isEqualTo(row.get("sent").asLong());
        }
        assertThat(browser.findElements(By.cssSelector("#deliverability tbody tr"))).hasSize(rows.get("items").size());
        assertThat(Long.parseLong(browser.findElement(By.id("complaints")).getDomAttribute("data-total"))).as("domains drawn").isPositive();
        assertThat(drawnPixels("complaints")).as("the complaints' canvas has pixels drawn").isGreaterThan(1_000L);
        screenshot("deliverability-desktop");
        assertThat(scrollsSideways(375)).as("deliverability at 375 px").isFalse();

        browser.manage().window().setSize(new Dimension(1280, 900));
        browser.get(url("/w/browser-shop/infrastructure?days=7"));
        waiting.until(driver -> driver.findElement(By.id("reports")).getDomAttribute("data-total") != null
                && driver.findElement(By.id("health")).getDomAttribute("data-total") != null);
        Instant hourAfter = now.atZone(zone).truncatedTo(ChronoUnit.HOURS).plusHours(1).toInstant();
        long reports = 0;
        for (JsonNode point : api("/api/v1/timeseries?granularity=hour&tz=Asia/Kathmandu&from=" + weekFrom + "&to=" + hourAfter, readKey).get("items")) {
            reports += point.get("event_type").asString().startsWith("infrastructure.") ? point.get("event_count").asLong() : 0;
        }
        assertThat(Long.parseLong(browser.findElement(By.id("reports")).getDomAttribute("data-total"))).as("reports drawn, as the API counts them")
                .isEqualTo(reports).isPositive();
        assertThat(Long.parseLong(browser.findElement(By.id("health")).getDomAttribute("data-total"))).as("VPS health reports drawn").isPositive();
        assertThat(drawnPixels("health")).as("the health chart's canvas has pixels drawn").isGreaterThan(1_000L);
        assertThat(browser.findElement(By.id("latest")).getText()).contains("vps health");
        screenshot("infrastructure-desktop");
        assertThat(scrollsSideways(375)).as("infrastructure at 375 px").isFalse();
    }

    /** How many of a chart's canvas pixels are drawn on (not transparent). */
    private long drawnPixels(String chart) {
        return (Long) script("""
                const canvas = document.querySelector('#' + arguments[0] + ' canvas');
                const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                let drawn = 0;
                for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) drawn++; }
                return drawn;""", chart);
    }

    private boolean scrollsSideways(int width) {
        return Chromium.scrollsSideways(browser, width);
    }

    /**
     * The training's suggestions as a viewer sees them (each with its evidence and expected effect, the API's, and no
     * buttons) and as an analyst decides them: a dismissal shows, and the API has it with who decided.
     */
    @Test
    void recommendationsAreListedWithTheirEvidenceAndAnAnalystDismissesOne() throws Exception {
        Recommendations recommendations = new Recommendations(db);
        recommendations.refresh(shop.id(), List.of(
                new Recommendations.Advice("send_hour", "gmail", "send_hour:gmail:34", "Send to gmail recipients on Tuesdays at 10:00",
                        "From 8,120 sends: gmail recipients click 20.3% of sends then, against 12.5% over their sends as they were (send-time model v1)",
                        "+62% human clicks on these recipients' sends (95% interval +41% to +86%)"),
                new Recommendations.Advice("suppress_unengaged", "", "suppress_unengaged:9", "Suppress 731 recipients who never engage",
                        "In the last 90 days they were sent 4,102 of the 61,000 messages (6.7%), at least 3 each, without one human open or click",
                        "6.7% fewer sends, no human engagement lost")), Instant.now());
        signIn();
        browser.get(url("/w/browser-shop/recommendations"));
        JsonNode items = api("/api/v1/ml/recommendations", readKey).get("items");
        List<WebElement> cards = browser.findElements(By.cssSelector("#recommendations article"));
        assertThat(cards).hasSize(items.size());
        for (JsonNode item : items) {
            WebElement card = browser.findElement(By.cssSelector("#recommendations [data-id='" + item.get("id").asString() + "']"));
            assertThat(card.getText()).contains(item.get("title").asString(), item.get("evidence").asString(), item.get("expected_effect").asString());
        }
        assertThat(browser.findElements(By.cssSelector("#recommendations button"))).as("a viewer decides nothing").isEmpty();
        screenshot("recommendations-desktop");
        browser.manage().window().setSize(new Dimension(375, 800));
        browser.navigate().refresh();
        screenshot("recommendations-phone");
        assertThat(scrollsSideways(375)).isFalse();
        browser.manage().window().setSize(new Dimension(1280, 900));

        browser.manage().deleteAllCookies();
        String email = "browser-analyst@example.com";
        String analyst = new Users(db).create(email, "browser-shop", Role.ANALYST).password();
        Chromium.signIn(browser, url(""), email, analyst);
        browser.get(url("/w/browser-shop/recommendations"));
        String id = items.get(0).get("id").asString();
        browser.findElement(By.cssSelector("[data-id='" + id + "'] button.dismiss")).click();
        assertThat(waitingUpTo(Duration.ofSeconds(10)).until(driver -> driver.findElement(By.cssSelector(".notice"))).getText())
                .isEqualTo("\u201c" + items.get(0).get("title").asString() + "\u201d dismissed.");
        assertThat(browser.findElement(By.cssSelector("[data-id='" + id + "']")).getAttribute("data-status")).isEqualTo("dismissed");
        JsonNode decided = api("/api/v1/ml/recommendations?status=dismissed", readKey).get("items");
        assertThat(decided).singleElement().satisfies(item -> assertThat(item.get("decided_by").asString()).isEqualTo(email));
        browser.manage().deleteAllCookies();
    }

    private void signIn() {
        Chromium.signIn(browser, url(""), "browser-viewer@example.com", password);
    }

    private String kpi(String name) {
        return browser.findElement(By.cssSelector("[data-kpi='" + name + "']")).getText();
    }

    private static long number(String shown) {
        return Long.parseLong(shown.replace(",", ""));
    }

    /** A page may be replaced while it is read (a form's submission, a partial update): read it again. */
    private WebDriverWait waitingUpTo(Duration patience) {
        WebDriverWait waiting = new WebDriverWait(browser, patience);
        waiting.ignoring(StaleElementReferenceException.class);
        return waiting;
    }

    private Object script(String code, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(code, arguments);
    }

    private void screenshot(String name) throws Exception {
        Chromium.screenshot(browser, name);
    }

    private JsonNode api(String path, String key) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url(path)))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return WireJson.MAPPER.readTree(answer.body());
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private static Event event(Workspaces.Workspace workspace, String type, String campaign) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return EventJson.fromJson(WireJson.MAPPER.readTree("""
                {"event_id": "%s", "workspace_id": "%s", "type": "%s", "schema_version": 1, "occurred_at": "%s", "received_at": "%s",
                 "source": "api", "campaign_id": "%s", "message_id": "<m@example.com>",
                 "recipient": {"hash": "0123456789abcdef0123456789abcdef", "domain": "example.com"}, "link_url": "https://example.com/a"}
                """.formatted(UUID.randomUUID(), workspace.id(), type, now, now, campaign)));
    }
}
