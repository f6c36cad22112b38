package dev.mailpulse.console;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by its ChromeDriver, as the console's browser tests use it: registered as an
 * extension, a browser of its own for each test ({@link #browser()}), a failed test's page kept as a screenshot
 * ({@code target/screenshots/failed-TEST.png}) before the browser is closed.
 */
final class Chromium implements AfterTestExecutionCallback, AfterEachCallback {

    private ChromeDriver browser;

    /** This test's browser, opened at its first use. */
    ChromeDriver browser() {
        if (browser == null) {
            ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium")
                    .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--window-size=1280,900");
            browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).build(), options);
        }
        return browser;
    }

    @Override
    public void afterTestExecution(ExtensionContext context) throws Exception {
        if (context.getExecutionException().isPresent() && browser != null) {
            screenshot(browser, "failed-" + context.getRequiredTestMethod().getName());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
    }

    /** Signs in through the form at {@code console}'s {@code /login} and waits for the home page. */
    static void signIn(ChromeDriver browser, String console, String email, String password) {
        browser.get(console + "/login");
        browser.findElement(By.name("username")).sendKeys(email);
        browser.findElement(By.name("password")).sendKeys(password);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(driver -> driver.getCurrentUrl().endsWith("/"));
    }

    /** The page as the browser shows it, kept in {@code target/screenshots/NAME.png}. */
    static void screenshot(ChromeDriver browser, String name) throws Exception {
        Path file = Path.of("target/screenshots", name + ".png");
        Files.createDirectories(file.getParent());
        Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
    }

    /** Whether the page, at that width, is wider than the window (the width beside the scroll bar). */
    static boolean scrollsSideways(ChromeDriver browser, int width) {
        browser.manage().window().setSize(new Dimension(width, 800));
        browser.navigate().refresh();
        return (Boolean) browser.executeScript("return document.documentElement.scrollWidth > document.documentElement.clientWidth");
    }
}
