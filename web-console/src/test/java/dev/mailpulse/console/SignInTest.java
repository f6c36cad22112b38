package dev.mailpulse.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.mailpulse.storage.SchemaMigrator;
import dev.mailpulse.storage.user.Role;
import dev.mailpulse.storage.user.Users;
import dev.mailpulse.storage.workspace.Workspaces;
import dev.mailpulse.testing.TestDatabase;
import dev.mailpulse.testing.TestRedis;

/**
 * The console's sign-in as a browser goes through it: the form with its CSRF token, a new session on sign-in, the
 * user's workspaces, signing out; the back-off after wrong passwords; the headers every page carries.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SignInTest {

    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgres().preparedWith(db -> SchemaMigrator.migrate(db.jdbcUrl(), db.user(), db.password()));
    @RegisterExtension
    static final TestRedis REDIS = TestRedis.server();



    @DynamicPropertySource
    static void connections(DynamicPropertyRegistry registry) {
        DB.registerDataSource(registry);
        registry.add("spring.data.redis.url", TestRedis::uri);
    }

    @LocalServerPort
    int port;
    @Autowired
    DSLContext db;
    @Autowired
    Workspaces workspaces;

    @Test
    void aUserSignsInSeesTheirWorkspacesAndSignsOut() throws Exception {
        workspaces.create("signin-shop", "UTC", false);
        workspaces.create("signin-agency", "UTC", false);
        Users users = new Users(db);
        String password = users.create("Ada@Example.com", "signin-shop", Role.ANALYST).password();
        users.add("ada@example.com", "signin-agency", Role.VIEWER);
        ConsoleBrowser browser = new ConsoleBrowser(port);

        HttpResponse<String> unsigned = browser.get("/");
        assertThat(unsigned.statusCode()).as("a page before sign-in").isEqualTo(302);
        assertThat(unsigned.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to).endsWith("/login"));

        HttpResponse<String> form = browser.get("/login");
        assertThat(form.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("script-src 'self'").doesNotContain("unsafe-inline").contains("frame-ancestors 'none'"));
        assertThat(form.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        String sessionBefore = browser.session();

        HttpResponse<String> signedIn = browser.signIn("ADA@example.com", password);
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to).doesNotContain("error"));
        assertThat(browser.session()).as("a new session id on sign-in").isNotEqualTo(sessionBefore);
        HttpResponse<String> home = browser.get("/");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("signin-shop").contains("analyst").contains("signin-agency").contains("viewer");

        HttpResponse<String> withoutToken = browser.post("/logout", "");
        assertThat(withoutToken.statusCode()).as("signing out without the CSRF token").isEqualTo(403);
        assertThat(browser.post("/logout", "_csrf=" + browser.csrf(home.body())).statusCode()).isEqualTo(302);
        assertThat(browser.get("/").statusCode()).as("signed out").isEqualTo(302);
    }

    @Test
    void wrongPasswordsLockTheAccountForAWhileEvenAgainstTheRightOne() throws Exception {
        workspaces.create("signin-locked", "UTC", false);
        Users users = new Users(db);
        String password = users.create("mallory-target@example.com", "signin-locked", Role.ADMIN).password();
        ConsoleBrowser browser = new ConsoleBrowser(port);
        for (int attempt = 0; attempt < Users.FREE_ATTEMPTS; attempt++) {
            assertThat(browser.signIn("mallory-target@example.com", "guess-" + attempt).headers().firstValue("Location"))
                    .hasValueSatisfying(to -> assertThat(to).contains("error"));
        }
        HttpResponse<String> locked = browser.signIn("mallory-target@example.com", password);
        assertThat(locked.headers().firstValue("Location")).as("the right password, while locked").hasValueSatisfying(to -> assertThat(to).contains("error"));
        assertThat(browser.get("/login?error").body()).contains("locked");

        users.resetPassword("mallory-target@example.com");
        assertThat(users.find("mallory-target@example.com").orElseThrow().lockedUntil()).as("a reset lifts the lock").isEmpty();
    }

    @Test
    void onlyAnAdminSetsACampaignsCostOnItsPageAndABadOneIsExplained() throws Exception {
        Workspaces.Workspace shop = workspaces.create("cost-shop", "UTC", false).workspace();
        db.execute("INSERT INTO campaigns (workspace_id, campaign_id) VALUES (?, 'spring sale')", shop.id());
        Users users = new Users(db);
        String analystPassword = users.create("analyst@cost.example", "cost-shop", Role.ANALYST).password();
        String adminPassword = users.create("admin@cost.example", "cost-shop", Role.ADMIN).password();
        String page = "/w/cost-shop/campaigns/spring%20sale";

        ConsoleBrowser analyst = new ConsoleBrowser(port);
        analyst.signIn("analyst@cost.example", analystPassword);
        HttpResponse<String> seen = analyst.get(page);
        assertThat(seen.statusCode()).isEqualTo(200);
        assertThat(seen.body()).as("no cost form for an analyst").doesNotContain("cost-form");
        assertThat(analyst.post(page + "/cost", "amount=10&currency=EUR&_csrf=" + analyst.csrf(seen.body())).statusCode()).isEqualTo(403);

        ConsoleBrowser admin = new ConsoleBrowser(port);
        admin.signIn("admin@cost.example", adminPassword);
        String token = admin.csrf(admin.get(page).body());
        HttpResponse<String> refused = admin.post(page + "/cost", "amount=ten&currency=EUR&_csrf=" + token);
        assertThat(refused.statusCode()).isEqualTo(302);
        assertThat(admin.get(page).body()).contains("Not set: amount: a number");
        HttpResponse<String> set = admin.post(page + "/cost", "amount=1250.50&currency=EUR&_csrf=" + token);
        assertThat(set.statusCode()).isEqualTo(302);
        assertThat(set.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to).endsWith(page + "#revenue"));
        assertThat(admin.get(page).body()).contains("1,250.50 EUR").contains("set by admin@cost.example");
        assertThat(db.fetchValue("SELECT source || ' ' || trim_scale(amount) || ' ' || currency || ' ' || set_by FROM campaign_costs WHERE workspace_id = ?",
                shop.id())).isEqualTo("manual 1250.5 EUR admin@cost.example");
    }
}
