package dev.aide.channel.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.Chromium;
import dev.aide.support.FakeGoogle;
import dev.aide.support.MailServers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Settings in a real browser against a server with an SMTP server (GreenMail) and a Google client (the fake Google):
 * an email address linked with the mailed code, email chosen for Aide's messages and the digest, and Google Calendar
 * connected through the provider's consent page and back. The server's public URL is its own address, so the browser
 * really goes to the fake Google and is sent back to Aide's callback and then to #settings. Microsoft is not
 * configured here: its button says so.
 */
@DisplayName("A person links an email address and connects a calendar from the web app's Settings")
class WebSettingsChannelsTest {

  private static final Pattern CODE = Pattern.compile("Your Aide code is ([0-9]{6})\\.");
  private static final int PORT = freePort();
  private static final MailServers smtp = MailServers.start();
  private static final FakeGoogle google = new FakeGoogle();

  @RegisterExtension
  static final AideServer aide = AideServer.create().freshEachTest()
      .env("AIDE_HTTP_PORT", String.valueOf(PORT))
      .env("AIDE_PUBLIC_URL", "http://127.0.0.1:" + PORT)
      .env("AIDE_SMTP_HOST", "127.0.0.1")
      .env("AIDE_SMTP_PORT", String.valueOf(smtp.smtpPort()))
      .env("AIDE_SMTP_SECURITY", "none")
      .env("AIDE_SMTP_FROM", "aide@example.org")
      .env(google.env())
      .closing(google).closing(smtp);

  private static Chromium chromium;
  private static WebDriver driver;
  private WebDriverWait wait;

  @BeforeAll
  static void startBrowser() throws IOException {
    chromium = Chromium.start();
    driver = chromium.driver();
  }

  @AfterAll
  static void stopBrowser() throws IOException {
    if (chromium != null) {
      chromium.close();
    }
  }

  @BeforeEach
  void freshPage() throws Exception {
    smtp.greenMail().purgeEmailFromAllMailboxes();
    driver.manage().window().setSize(new Dimension(1280, 860));
    wait = new WebDriverWait(driver, Duration.ofSeconds(15), Duration.ofMillis(50));
    wait.ignoring(StaleElementReferenceException.class);
    driver.get(aide.baseUrl() + "/");
    js("localStorage.clear()");
    driver.navigate().refresh();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("email")));
  }

  @Test
  @DisplayName("the address typed with spaces and capitals gets one code for a double click; a "
      + "wrong code is refused in words and links nothing; the right one links the address, which then shows among "
      + "the channels; Email chosen for Aide's messages and the digest by email are saved; the next person signing in "
      + "here finds their own address in the form")
  void linkAnEmailAddress() throws Exception {
    register("Ada", "ada@example.com");
    nav("settings");
    WebElement address = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("email-address")));
    wait.until(d -> "ada@example.com".equals(address.getDomProperty("value")));

    address.clear();
    address.sendKeys("  Ada.Work@Example.COM ");
    WebElement button = driver.findElement(By.id("email-submit"));
    js("window.verifies = 0; const f = window.fetch; window.fetch = (u, o) => { if (String(u).endsWith('/channels/email/verify')) window.verifies++; return f(u, o); }");
    new Actions(driver).doubleClick(button).perform();
    wait.until(ExpectedConditions.textToBe(By.id("email-submit"), "Link the address"));
    wait.until(ExpectedConditions.textToBe(By.id("settings-status"), "A 6-digit code is on its way to ada.work@example.com."));
    assertThat(address.getDomProperty("value")).isEqualTo("ada.work@example.com");
    assertThat(js("return window.verifies")).as("one request for a double click").isEqualTo(1L);
    assertThat(driver.findElement(By.id("settings-error")).isDisplayed()).isFalse();
    String code = code(mailTo("ada.work@example.com"));
    assertThat(aide.db().number("select count(*) from link_codes where channel = 'email'")).isEqualTo(1);

    WebElement typed = driver.findElement(By.id("email-code"));
    wait.until(d -> "email-code".equals(js("return document.activeElement.id")));
    typed.sendKeys(code.equals("000000") ? "111111" : "000000");
    button.click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("settings-error"), "That code is not right"));
    assertThat(driver.findElements(By.cssSelector("[data-testid=channel]"))).isEmpty();
    assertThat(aide.db().number("select count(*) from channel_identities where channel = 'email'")).isZero();

    typed.clear();
    typed.sendKeys(code.substring(0, 3) + " " + code.substring(3));
    button.click();
    WebElement linked = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=channel]")));
    assertThat(linked.getText()).startsWith("Email · ada.work@example.com");
    assertThat(driver.findElement(By.id("settings-status")).getText()).isEqualTo("The address is linked.");
    assertThat(driver.findElement(By.id("settings-error")).isDisplayed()).isFalse();
    assertThat(driver.findElement(By.id("email-code-field")).isDisplayed()).isFalse();
    assertThat(driver.findElement(By.id("email-submit")).getText()).isEqualTo("Email me a code");

    new Select(driver.findElement(By.id("settings-channel"))).selectByVisibleText("Email");
    driver.findElement(By.id("digest-enabled")).click();
    driver.findElement(By.id("digest-email")).click();
    driver.findElement(By.id("settings-save")).click();
    wait.until(ExpectedConditions.textToBe(By.id("settings-status"), "Saved."));
    try (Api api = new Api(aide.port()).as(token())) {
      JsonObject me = api.get("/api/v1/me").json();
      assertThat(me.getString("preferredChannel")).isEqualTo("email");
      assertThat(me.getJsonObject("digest").getBoolean("enabled")).isTrue();
      assertThat(me.getJsonObject("digest").getBoolean("byEmail")).isTrue();
      JsonArray identities = api.get("/api/v1/channels").json().getJsonArray("items");
      assertThat(identities).hasSize(1);
      assertThat(identities.getJsonObject(0).getString("externalId")).isEqualTo("ada.work@example.com");
    }
    // What was saved is what the page shows when opened again.
    driver.navigate().refresh();
    wait.until(ExpectedConditions.attributeToBe(By.id("settings-channel"), "value", "email"));
    wait.until(ExpectedConditions.elementSelectionStateToBe(By.id("digest-email"), true));

    // Signed out in this tab, the next person finds their own address in the form, not Ada's.
    wait.until(d -> "ada@example.com".equals(d.findElement(By.id("email-address")).getDomProperty("value")));
    driver.findElement(By.id("logout")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("show-register")));
    register("Bob", "bob@example.com");
    nav("settings");
    wait.until(d -> "bob@example.com".equals(d.findElement(By.id("email-address")).getDomProperty("value")));
  }

  @Test
  @DisplayName("Connect Google Calendar goes to Google's consent page and back to Settings, which says the account is "
      + "connected (once) and lists it; Connect Microsoft calendar, not set up here, says so and goes nowhere; an "
      + "unknown error code in the address is not shown as written")
  void connectGoogle() {
    register("Nora", "nora@example.com");
    nav("settings");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#account-list .empty")));

    driver.findElement(By.id("connect-microsoft")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("settings-error"),
        "Microsoft accounts are not set up on this server"));
    assertThat(driver.getCurrentUrl()).isEqualTo(aide.baseUrl() + "/#settings");
    assertThat(driver.findElement(By.id("connect-microsoft")).isEnabled()).isTrue();

    int asked = google.oauth().authorizeQueries().size();
    driver.findElement(By.id("connect-google")).click();
    wait.until(ExpectedConditions.textToBe(By.id("settings-status"),
        "Google Calendar is connected: its calendars are being copied."));
    assertThat(google.oauth().authorizeQueries()).hasSize(asked + 1);
    assertThat(google.oauth().authorizeQueries().getLast()).contains("code_challenge_method=S256")
        .contains("redirect_uri=" + java.net.URLEncoder.encode(aide.baseUrl() + "/api/v1/accounts/google/callback",
            java.nio.charset.StandardCharsets.UTF_8));
    WebElement account = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=account]")));
    assertThat(account.getText()).startsWith("Google Calendar · " + google.email());
    assertThat(driver.getCurrentUrl()).as("said once: a reload does not say it again").isEqualTo(aide.baseUrl() + "/#settings");
    assertThat(aide.db().number("select count(*) from linked_accounts where kind = 'google'")).isEqualTo(1);

    driver.get(aide.baseUrl() + "/?account_error=Call%20this%20number#settings");
    wait.until(ExpectedConditions.textToBe(By.id("settings-error"), "The account was not connected."));
    driver.get(aide.baseUrl() + "/?account_error=access_denied#settings");
    wait.until(ExpectedConditions.textToBe(By.id("settings-error"), "The account was not connected: access was not granted."));

    // Disconnected after a confirm.
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=account] button"))).click();
    driver.findElement(By.className("account-keep")).click();
    assertThat(aide.db().number("select count(*) from linked_accounts")).isEqualTo(1);
    driver.findElement(By.cssSelector("[data-testid=account] button")).click();
    driver.findElement(By.className("account-disconnect-yes")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#account-list .empty")));
    assertThat(aide.db().number("select count(*) from linked_accounts")).isZero();
  }

  private static MimeMessage mailTo(String address) {
    WebDriverWait mail = new WebDriverWait(driver, Duration.ofSeconds(15), Duration.ofMillis(50));
    return mail.until(d -> {
      List<MimeMessage> found = Arrays.stream(smtp.greenMail().getReceivedMessages()).filter(m -> {
        try {
          return Arrays.stream(m.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().equals(address));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }).toList();
      assertThat(found).as("one code mail for a double click").hasSizeLessThanOrEqualTo(1);
      return found.isEmpty() ? null : found.getFirst();
    });
  }

  private static String code(MimeMessage mail) throws Exception {
    Matcher matcher = CODE.matcher(mail.getContent().toString());
    assertThat(matcher.find()).as("a code in the mail").isTrue();
    return matcher.group(1);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void register(String name, String email) {
    driver.findElement(By.id("show-register")).click();
    for (String[] typed : new String[][] {{"name", name}, {"email", email}, {"password", "correct horse battery"}}) {
      WebElement box = driver.findElement(By.id(typed[0]));
      box.clear();
      box.sendKeys(typed[1]);
    }
    driver.findElement(By.id("register")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("app-view")));
  }

  private void nav(String page) {
    driver.findElement(By.cssSelector("#pages-nav a[data-page='" + page + "']")).click();
    wait.until(ExpectedConditions.attributeToBe(By.cssSelector("#pages-nav a[data-page='" + page + "']"), "aria-current", "page"));
  }

  private String token() {
    return js("return localStorage.getItem('aide.token')").toString();
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }
}
