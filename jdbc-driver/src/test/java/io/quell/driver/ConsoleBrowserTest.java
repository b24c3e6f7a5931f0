package io.quell.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The web console in a real browser: Debian's headless chromium, driven by Selenium through
 * Debian's chromedriver. Root logs in, sees another user's session running pg_sleep appear by
 * itself, cancels it with a message from the page; the victim's JDBC statement fails with
 * 57014 and the message, the row leaves the live list and enters the audit. A plain user then
 * sees only its own sessions and no cancel button for others, and forged POSTs (another
 * site's form, the page's own session without the CSRF token, or with it as that user) are
 * refused. Screenshots go to {@code target/console-*.png}. Without chromium the test is
 * skipped, except on CI, where .ci/run installs it and its absence fails the build.
 */
@Timeout(300)
class ConsoleBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  /** Live updates arrive within 1-2 s; a loaded machine gets more. */
  private static final Duration LIVE = Duration.ofSeconds(20);
  private static final String MESSAGE = "index rebuild until 10:00, sorry";

  @TempDir Path dir;
  ServerFixture f;
  WebDriver browser;
  WebDriverWait wait;
  String console;

  @BeforeEach void start() throws Exception {
    requireChromium();
    f = new ServerFixture(dir);
    try (var root = f.root(); var s = root.createStatement()) {
      s.executeUpdate("CREATE USER alice WITH PASSWORD 'alice-pw'");
      s.executeUpdate("CREATE USER bob WITH PASSWORD 'bob-pw'");
    }
    console = "http://127.0.0.1:" + f.server.port() + "/console/";
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // As root in a container chromium has no sandbox to drop into, and /dev/shm may be small.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
        "--window-size=1440,900", "--lang=en-US");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, LIVE);
  }

  @AfterEach void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (f != null) {
      f.close();
    }
  }

  private static void requireChromium() {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return;
    }
    String message = "chromium or chromedriver is not installed (" + CHROMIUM + ", "
        + CHROMEDRIVER + "); install Debian's chromium and chromium-driver packages";
    String ci = System.getenv("CI");
    if (ci != null && !ci.isEmpty()) {
      throw new IllegalStateException(message + ": CI must run the browser test");
    }
    Assumptions.abort(message);
  }

  @Test void rootCancelsAnotherUsersSessionWithAMessageAndAPlainUserCannot() throws Exception {
    SleepingSession victim = new SleepingSession(f, "alice", "alice-pw", "nightly-report");
    SleepingSession tagged = new SleepingSession(f, "bob", "bob-pw", "dashboards",
        "/*dashboard='sales',panel='revenue'*/ SELECT pg_sleep(300)");
    login("root", ServerFixture.ROOT_PASSWORD);

    // The victim's row is there without a reload, with its running query.
    By victimRow = By.cssSelector("#sessions-table tr[data-session-id='" + victim.sessionId
        + "']");
    WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(victimRow));
    assertTrue(row.getText().contains("ACTIVE") && row.getText().contains("pg_sleep"),
        row.getText());
    assertEquals("alice", row.getAttribute("data-user"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(
        "#sessions-table tr[data-session-id='" + tagged.sessionId + "']"),
        "dashboard=sales,panel=revenue"));
    screenshot("console-sessions");

    // Cancel session, with a message, confirmed in the dialog; keyboard only.
    click(By.cssSelector("#sessions-table tr[data-session-id='" + victim.sessionId
        + "'] button[data-action='cancel-session']"));
    WebElement message = wait.until(ExpectedConditions.visibilityOfElementLocated(
        By.id("confirm-message")));
    assertEquals(message, browser.switchTo().activeElement(), "the dialog has the focus");
    assertTrue(browser.findElement(By.id("confirm-text")).getText().contains(victim.sessionId));
    message.sendKeys(MESSAGE);
    screenshot("console-confirm");
    browser.findElement(By.id("confirm-ok")).click();

    SQLException failure = victim.failure();
    assertEquals("57014", failure.getSQLState());
    assertTrue(failure.getMessage().contains("query execution canceled, message from the "
        + "canceler: \"" + MESSAGE + "\""), failure.getMessage());
    wait.until(ExpectedConditions.invisibilityOfElementLocated(victimRow));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"),
        "Cancelled 1 session"));

    // The audit says who cancelled whom, what, why and the message.
    browser.findElement(By.cssSelector("nav a[data-view='cancellations']")).click();
    By auditRow = By.xpath("//table[@id='cancellations-table']//tr[td[normalize-space()='"
        + victim.sessionId + "']]");
    WebElement audit = wait.until(ExpectedConditions.visibilityOfElementLocated(auditRow));
    for (String expected : List.of("root", "alice", "SESSION", "STATEMENT", MESSAGE)) {
      assertTrue(audit.getText().contains(expected), expected + " in " + audit.getText());
    }
    screenshot("console-cancellations");

    // The queries page ticks the elapsed time of a running query by itself.
    SleepingSession other = new SleepingSession(f, "alice", "alice-pw", "dashboard");
    browser.findElement(By.cssSelector("nav a[data-view='queries']")).click();
    By elapsed = By.cssSelector("#queries-table tr[data-query-id='" + other.queryId
        + "'] td.elapsed");
    double first = seconds(wait.until(ExpectedConditions.visibilityOfElementLocated(elapsed)));
    wait.until(d -> seconds(d.findElement(elapsed)) >= first + 1.0);
    screenshot("console-queries");

    // A plain user: its own session only, no cancel button for anyone else's.
    browser.findElement(By.id("logout")).click();
    SleepingSession own = new SleepingSession(f, "bob", "bob-pw", "bob-app");
    login("bob", "bob-pw");
    WebElement ownRow = wait.until(ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector("#sessions-table tr[data-session-id='" + own.sessionId + "']")));
    assertFalse(ownRow.findElements(By.cssSelector("button[data-action='cancel-session']"))
        .isEmpty(), "bob may cancel his own session");
    for (WebElement r : browser.findElements(By.cssSelector("#sessions-table tr[data-user]"))) {
      assertEquals("bob", r.getAttribute("data-user"));
    }
    assertFalse(browser.getPageSource().contains(other.sessionId), "alice's session is sent");
    assertTrue(browser.findElement(By.cssSelector("nav a[data-view='cancellations']"))
        .getAttribute("hidden") != null, "the audit is offered to admins only");
    screenshot("console-plain-user");

    // Forged POSTs from the page's own origin: without the CSRF token, and with it as bob.
    Map<?, ?> noToken = post(false, other.sessionId);
    assertEquals(403L, noToken.get("status"), noToken.toString());
    assertTrue(String.valueOf(noToken.get("body")).contains("CSRF"), noToken.toString());
    Map<?, ?> asBob = post(true, other.sessionId);
    assertEquals(403L, asBob.get("status"), asBob.toString());
    assertTrue(String.valueOf(asBob.get("body")).contains(
        "user bob does not have CANCELQUERY privilege"), asBob.toString());
    assertTrue(String.valueOf(asBob.get("body")).contains("42501"), asBob.toString());

    // Another site's form: the cookie stays home (SameSite=Strict) and the body is no JSON.
    browser.get("data:text/html,<form method=post enctype=text/plain action='" + console
        + "api/cancel'><input name='{\"kind\":\"session\",\"id\":\"" + other.sessionId
        + "\",\"x\":\"' value='\"}'></form><script>document.forms[0].submit()</script>");
    wait.until(ExpectedConditions.urlContains("/console/api/cancel"));
    String forged = browser.findElement(By.tagName("body")).getText();
    assertTrue(forged.contains("application/json"), forged);
    other.assertRunning("forged posts");
    own.assertRunning("forged posts");
  }

  @Test void statementsPageSortsAndTheOverviewChartsTheLastHour() throws Exception {
    try (var root = f.root(); var s = root.createStatement()) {
      for (int i = 0; i < 5; i++) {
        s.executeQuery("SELECT n_name FROM nation WHERE n_nationkey = " + i).close();
      }
      try {
        s.executeQuery("SELECT * FROM no_such_table").close();
      } catch (java.sql.SQLException expected) {
        // counted as an error
      }
    }
    login("root", ServerFixture.ROOT_PASSWORD);
    browser.findElement(By.cssSelector("nav a[data-view='statements']")).click();
    By nation = By.xpath("//table[@id='statements-table']//tr[td[normalize-space()="
        + "'select n_name from nation where n_nationkey = ?']]");
    WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(nation));
    assertTrue(row.getText().contains("root"), row.getText());
    assertTrue(browser.findElement(By.cssSelector("#statements-table th[aria-sort='descending'] "
        + "button[data-column='total_ms']")).getText().startsWith("total ms"),
        "costliest first, under a readable header");
    click(By.cssSelector("#statements-table th button[data-column='errors']"));
    wait.until(ExpectedConditions.attributeToBe(By.xpath("//table[@id='statements-table']"
        + "//th[button[@data-column='errors']]"), "aria-sort", "ascending"));
    click(By.cssSelector("#statements-table th button[data-column='errors']"));
    By firstRow = By.cssSelector("#statements-table tbody tr:first-child");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(firstRow, "no_such_table"));
    screenshot("console-statements");

    browser.findElement(By.cssSelector("nav a[data-view='overview']")).click();
    for (String chart : List.of("statements", "queries", "latency", "memory", "cancels")) {
      wait.until(ExpectedConditions.visibilityOfElementLocated(
          By.cssSelector("#chart-" + chart + " canvas")));
    }
    wait.until(ExpectedConditions.textMatches(By.cssSelector("#chart-statements .latest"),
        java.util.regex.Pattern.compile("Latest: [0-9.]+ ok, [0-9.]+ errors")));
    screenshot("console-overview");
  }

  /**
   * Clicks what {@code by} finds once it is clickable; a live update may redraw a changed row
   * between finding and clicking, so that is retried.
   */
  private void click(By by) {
    wait.ignoring(StaleElementReferenceException.class)
        .until(d -> {
          d.findElement(by).click();
          return true;
        });
  }

  private void login(String user, String password) {
    browser.get(console);
    WebElement name = wait.until(ExpectedConditions.visibilityOfElementLocated(
        By.id("login-user")));
    name.clear();
    name.sendKeys(user);
    browser.findElement(By.id("login-password")).sendKeys(password);
    browser.findElement(By.id("login-submit")).click();
    wait.until(ExpectedConditions.textToBe(By.id("who-name"), user));
  }

  /** POSTs a cancel of {@code sessionId} from the page, with or without its CSRF token. */
  private Map<?, ?> post(boolean withToken, String sessionId) {
    return (Map<?, ?>) ((JavascriptExecutor) browser).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
        + "const headers = {'Content-Type': 'application/json'};"
        + "if (arguments[0]) headers['X-CSRF-Token'] = state.me.csrf_token;"
        + "fetch('api/cancel', {method: 'POST', headers,"
        + " body: JSON.stringify({kind: 'session', id: arguments[1]})})"
        + ".then(async r => done({status: r.status, body: await r.text()}));",
        withToken, sessionId);
  }

  private static double seconds(WebElement elapsed) {
    String text = elapsed.getText().replace(" s", "").trim();
    return text.isEmpty() ? -1 : Double.parseDouble(text);
  }

  private void screenshot(String name) throws Exception {
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Path target = Path.of("target", name + ".png");
    Files.createDirectories(target.getParent());
    Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
