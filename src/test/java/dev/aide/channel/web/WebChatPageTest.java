package dev.aide.channel.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.aide.support.Api;
import dev.aide.support.TestAide;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

@DisplayName("A person uses the web chat page in a real browser")
class WebChatPageTest {

  private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
  private static final File CHROMIUM = new File("/usr/bin/chromium");
  private static final Path SCREENSHOT = Path.of("/tmp/aide-webchat.png");
  // Wednesday 18 November 2026, 10:15 in New York.
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-18T15:15:00Z"), ZoneOffset.UTC);

  private static TestAide aide;
  private static ChromeDriverService service;
  private static WebDriver driver;
  private static Path profile;
  private WebDriverWait wait;

  @BeforeAll
  static void startServerAndBrowser() throws IOException {
    if (!CHROMEDRIVER.canExecute() || !CHROMIUM.canExecute()) {
      if (System.getenv("CI") != null) {
        fail("chromium and chromedriver must be installed under /usr/bin on CI (the launcher installs them)");
      }
      Assumptions.assumeTrue(false, "chromium or chromedriver is not installed under /usr/bin; skipping the browser test");
    }
    aide = TestAide.start(Map.of(), CLOCK);
    profile = Files.createTempDirectory("aide-chromium-");
    // The browser's own zone, so the page's time-zone prefill is what a New Yorker would see.
    service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER)
        .usingAnyFreePort()
        .withEnvironment(Map.of("TZ", "America/New_York"))
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile);
    driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(1280, 820));
  }

  @AfterAll
  static void stopServerAndBrowser() throws IOException {
    if (driver != null) {
      driver.quit();
    }
    if (service != null) {
      service.stop();
    }
    if (aide != null) {
      aide.close();
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @BeforeEach
  void freshPage() {
    aide.db().reset();
    wait = new WebDriverWait(driver, Duration.ofSeconds(10));
    driver.get(aide.baseUrl() + "/");
    ((JavascriptExecutor) driver).executeScript("localStorage.clear()");
    driver.navigate().refresh();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("email")));
  }

  @Test
  @DisplayName("a new person registers, asks for a reminder, sees it confirmed and listed, stays signed in after a reload and marks it done")
  void registerChatAndReload() throws IOException {
    driver.findElement(By.id("show-register")).click();
    assertThat(driver.findElement(By.id("timezone")).getDomProperty("value")).isEqualTo("America/New_York");
    driver.findElement(By.id("name")).sendKeys("Ada");
    driver.findElement(By.id("email")).sendKeys("ada@example.com");
    driver.findElement(By.id("password")).sendKeys("correct horse battery");
    driver.findElement(By.id("register")).click();

    WebElement message = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("message")));
    message.sendKeys("remind me to call mom tomorrow at 5pm");
    driver.findElement(By.id("send")).click();

    WebElement reply = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".message.assistant .bubble")));
    assertThat(reply.getText()).contains("call mom").contains("Thu 19 Nov 2026 at 17:00");
    assertThat(driver.findElements(By.cssSelector(".message.user .bubble")))
        .extracting(WebElement::getText).containsExactly("remind me to call mom tomorrow at 5pm");
    WebElement card = driver.findElement(By.cssSelector(".message.assistant .tool-call"));
    assertThat(card.getDomAttribute("data-tool")).isEqualTo("createReminder");
    assertThat(card.getText()).contains("createReminder").contains("Reminder set");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#reminders li .text"), "call mom"));
    assertThat(driver.findElements(By.cssSelector("#reminders li"))).hasSize(1);
    assertThat(driver.findElement(By.id("send")).isEnabled()).isTrue();
    assertThat(aide.db().number("select count(*) from reminders where text = 'call mom'")).isEqualTo(1);

    Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT,
        StandardCopyOption.REPLACE_EXISTING);

    driver.navigate().refresh();

    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("message")));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#reminders li .text"), "call mom"));
    assertThat(driver.findElement(By.id("auth-view")).isDisplayed()).isFalse();
    assertThat(driver.findElement(By.id("who")).getText()).contains("ada@example.com");

    driver.findElement(By.cssSelector("#reminders li .reminder-done")).click();

    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#reminders li"), 0));
    assertThat(driver.findElement(By.id("reminders-empty")).isDisplayed()).isTrue();
    assertThat(aide.db().number("select count(*) from reminders where text = 'call mom' and status = 'done'")).isEqualTo(1);
  }

  @Test
  @DisplayName("signing in with a wrong password shows the server's message and keeps the person on the sign-in form")
  void wrongPassword() {
    try (Api api = new Api(aide.port())) {
      api.register("ben@example.com", "UTC");
    }

    driver.findElement(By.id("email")).sendKeys("ben@example.com");
    driver.findElement(By.id("password")).sendKeys("not the password");
    driver.findElement(By.id("login")).click();

    WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("auth-error")));
    assertThat(error.getText()).isEqualTo("Wrong email or password");
    assertThat(driver.findElement(By.id("app-view")).isDisplayed()).isFalse();
    assertThat((String) ((JavascriptExecutor) driver).executeScript("return localStorage.getItem('aide.token')")).isNull();
    assertThat(driver.findElement(By.id("email")).getDomProperty("value")).isEqualTo("ben@example.com");
  }
}
