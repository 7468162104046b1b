package dev.gatehouse.examples.diary;

import dev.gatehouse.testing.MissingService;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * One headless Chromium for a test class: a JUnit 5 extension that starts Debian's
 * {@code /usr/bin/chromium} through its matching {@code /usr/bin/chromedriver} before the
 * class's first test and quits it after the last.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final Chromium BROWSER = Chromium.english();
 * }</pre>
 *
 * <ul>
 *   <li>Selenium never looks for or downloads a driver or browser (Selenium Manager stays out):
 *       both paths are given, overridable with {@code GATEHOUSE_TEST_CHROMIUM} and
 *       {@code GATEHOUSE_TEST_CHROMEDRIVER}. {@code scripts/prerequisites} installs both.</li>
 *   <li>The browser runs with a fresh profile in a temporary folder and without the background
 *       traffic (updates, sync, QUIC) that an offline machine would answer with refusals.</li>
 *   <li>No browser: with {@code CI=true} the class fails; otherwise its tests are skipped with a
 *       banner on the console, so a missing browser never passes silently.</li>
 *   <li>The browser's console is recorded, so tests can assert that pages log no errors.</li>
 * </ul>
 */
final class Chromium implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private static final Path BINARY = Path.of(environment("GATEHOUSE_TEST_CHROMIUM", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(environment("GATEHOUSE_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", ".")).resolve("target/screenshots");

    private final String language;
    private ChromeDriver driver;
    private Path profile;
    private String skipReason;

    private Chromium(String language) {
        this.language = language;
    }

    /** A browser whose Accept-Language is English. */
    static Chromium english() {
        return new Chromium("en-US,en");
    }

    /** A browser set to German, as a German user's would be. */
    static Chromium german() {
        return new Chromium("de-DE,de");
    }

    WebDriver driver() {
        if (driver == null) {
            throw new IllegalStateException("the browser runs only while its test class does");
        }
        return driver;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (!Files.isExecutable(BINARY) || !Files.isExecutable(DRIVER)) {
            skipReason = MissingService.failOrSkip("browser", "headless Chromium is not installed (" + BINARY + ", " + DRIVER + ")",
                    "Run scripts/prerequisites, which installs Debian's chromium and chromium-driver.", null);
            return;
        }
        // Named both ways, so no part of Selenium goes looking for (or downloading) another driver.
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        profile = Files.createTempDirectory("gatehouse-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=1100,900", "--lang=" + language.split(",")[0]);
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", language));
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    /** Each test starts signed out, whatever the one before it did or failed to finish. */
    @Override
    public void beforeEach(ExtensionContext context) {
        if (skipReason != null) {
            Assumptions.abort(skipReason);
        }
        driver.manage().deleteAllCookies();
        driver.manage().logs().get(LogType.BROWSER);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
        if (profile != null) {
            TestDiary.delete(profile);
        }
    }

    // ------------------------------------------------------------------ helpers for tests

    void open(String url) {
        driver().get(url);
    }

    WebElement find(String css) {
        return driver().findElement(By.cssSelector(css));
    }

    List<WebElement> findAll(String css) {
        return driver().findElements(By.cssSelector(css));
    }

    /** Types into the field with this id, replacing what was there. */
    void type(String id, String text) {
        WebElement field = driver().findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    /** Clicks the element and waits for the page it leads to. */
    void click(String css) {
        WebElement element = find(css);
        navigate(element::click);
    }

    /**
     * Does something that loads another page (a click, Enter in a form) and waits until that page
     * has replaced this one and finished loading: WebDriver's click returns once the click is
     * dispatched, which may be before the browser has even left the old page.
     */
    void navigate(Runnable action) {
        WebElement old = driver().findElement(By.tagName("html"));
        action.run();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!isStale(old) || !"complete".equals(driver.executeScript("return document.readyState"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the browser stayed on " + driver.getCurrentUrl());
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static boolean isStale(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return true;
        } catch (org.openqa.selenium.WebDriverException e) {
            // Caught mid-navigation, ChromeDriver may report the old node as "not belonging to
            // the document" instead of stale: the same fact in other words.
            if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    /** The address the browser shows. */
    String url() {
        return driver().getCurrentUrl();
    }

    String path() {
        String url = driver().getCurrentUrl();
        int slash = url.indexOf('/', url.indexOf("//") + 2);
        return slash < 0 ? "/" : url.substring(slash);
    }

    String text(String css) {
        return find(css).getText();
    }

    /** Saves a screenshot of the viewport as {@code target/screenshots/<name>.png}. */
    Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Path target = SCREENSHOTS.resolve(name + ".png");
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /**
     * The console messages of level SEVERE (errors, failed loads, CSP violations) since the last call;
     * a failed load's HTTP reason phrase is left out ("status of 404", not "status of 404 (Not Found)"),
     * as Jetty sends one and Tomcat (the Spring diary) does not, and the status code says it all.
     */
    List<String> consoleErrors() {
        List<String> errors = new ArrayList<>();
        for (LogEntry entry : driver().manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(entry.getMessage().replaceFirst("(the server responded with a status of \\d{3}) \\([^)]*\\)$", "$1"));
            }
        }
        return errors;
    }

    private static String environment(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
