package dev.aide.channel.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.Chromium;
import dev.aide.support.TestClock;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

@DisplayName("A person uses the web chat page in a real browser")
class WebChatPageTest {

  private static final Path SCREENSHOT = Path.of("/tmp/aide-webchat.png");
  // Wednesday 18 November 2026, 10:15 in New York; each test starts there and the clock runs on, or jumps.
  private static final Instant START = Instant.parse("2026-11-18T15:15:00Z");
  private static final TestClock CLOCK = TestClock.at(START);
  // Pretends the browser offers desktop notifications, recording the permission asked and the alerts shown.
  private static final String DESKTOP_NOTIFICATIONS = """
      window.__alerts = { asked: 0, shown: [] };
      window.Notification = class {
        constructor(title, options) { window.__alerts.shown.push({ title, body: options && options.body }); }
        close() {}
        static requestPermission() {
          window.__alerts.asked++;
          window.Notification.permission = 'granted';
          return Promise.resolve('granted');
        }
      };
      window.Notification.permission = 'default';
      """;

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK)
      .env("AIDE_SCHEDULER_POLL_MILLIS", "200")
      .freshEachTest();

  private static Chromium chromium;
  private static WebDriver driver;
  private WebDriverWait wait;
  private WebDriverWait arrival;

  @BeforeAll
  static void startServerAndBrowser() throws IOException {
    chromium = Chromium.start();
    driver = chromium.driver();
    driver.manage().window().setSize(new Dimension(1280, 820));
  }

  @AfterAll
  static void stopServerAndBrowser() throws IOException {
    if (chromium != null) {
      chromium.close();
    }
  }

  @BeforeEach
  void freshPage() {
    CLOCK.jumpTo(START);
    driver.manage().window().setSize(new Dimension(1280, 820));
    // Looking every 50 ms, not Selenium's default 500 ms: a page that is ready is seen to be at once.
    // A list the page redraws between finding an element and reading it (a poll's answer arriving) is looked at
    // again, not an error: conditions given by locator find the element anew each time.
    wait = new WebDriverWait(driver, Duration.ofSeconds(10), Duration.ofMillis(50));
    wait.ignoring(StaleElementReferenceException.class);
    // Long enough for a reminder to come due and for the page's next poll on a busy two-core machine.
    arrival = new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(50));
    arrival.ignoring(StaleElementReferenceException.class);
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
    assertThat(driver.findElement(By.id("voice")).isDisplayed()).as("no speech to text here: no voice button").isFalse();
    message.sendKeys("remind me to call mom tomorrow at 5pm");
    driver.findElement(By.id("send")).click();

    WebElement reply = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".message.assistant .bubble")));
    // The server writes "Thu 19 Nov 2026 at 17:00"; the page shows every time one way, in the person's zone.
    assertThat(reply.getText()).contains("call mom").contains("Thu 19 Nov").contains("17:00");
    assertThat(driver.findElements(By.cssSelector(".message.user .bubble")))
        .extracting(WebElement::getText).containsExactly("remind me to call mom tomorrow at 5pm");
    WebElement card = driver.findElement(By.cssSelector(".message.assistant .tool-call"));
    assertThat(card.getDomAttribute("data-tool")).isEqualTo("createReminder");
    assertThat(card.findElement(By.className("card-text")).getText()).startsWith("Reminder").contains("Thu 19 Nov").contains("17:00").contains("“call mom”")
        .doesNotContain("createReminder");
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

  @Test
  @DisplayName("a reminder that comes due while the page is open shows under the bell without a reload, as a toast and a desktop alert the person turned on, and marking it read sticks")
  void dueReminderBecomesANotification() {
    ChromeDriver chrome = (ChromeDriver) driver;
    Map<String, Object> stub = chrome.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
        Map.of("source", DESKTOP_NOTIFICATIONS));
    try {
      driver.get(aide.baseUrl() + "/?poll=1000");
      registerInPage("Cleo", "cleo@example.com");
      WebElement bell = driver.findElement(By.id("notifications-toggle"));
      assertThat(bell.getDomAttribute("aria-label")).isEqualTo("Notifications, none unread");
      assertThat(driver.findElement(By.id("notifications-count")).isDisplayed()).isFalse();

      send("remind me to stretch in 2 minutes");
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#reminders li .text"), "stretch"));
      assertThat(alerts("asked")).as("no permission asked without a click").isEqualTo(0L);

      bell.click();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("notifications-panel")));
      assertThat(bell.getDomAttribute("aria-expanded")).isEqualTo("true");
      assertThat(driver.findElement(By.id("notifications-empty")).isDisplayed()).isTrue();
      driver.findElement(By.id("enable-desktop-alerts")).click();
      wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("desktop-alerts")));
      assertThat(alerts("asked")).isEqualTo(1L);
      driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
      wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("notifications-panel")));
      assertThat(driver.switchTo().activeElement().getDomAttribute("id")).isEqualTo("notifications-toggle");
      // The person goes to another window: that is when a desktop alert is worth showing.
      js("document.hasFocus = () => false");

      OffsetDateTime due = aide.db().value("select due_at from reminders where text = 'stretch'", OffsetDateTime.class);
      CLOCK.jumpTo(due.toInstant().minusMillis(1500));

      WebElement toast = arrival.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=toast]")));
      assertThat(toast.getText()).contains("Reminder").contains("stretch");
      assertThat(driver.findElement(By.id("toasts")).getDomAttribute("role")).isEqualTo("status");
      wait.until(ExpectedConditions.textToBe(By.id("notifications-count"), "1"));
      assertThat(bell.getDomAttribute("aria-label")).isEqualTo("Notifications, 1 unread");
      assertThat(driver.getTitle()).isEqualTo("(1) Aide");
      assertThat(js("return window.__alerts.shown")).isEqualTo(List.of(Map.of("title", "Reminder", "body", "stretch")));

      bell.click();
      WebElement item = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#notifications li")));
      assertThat(item.getDomAttribute("class")).isEqualTo("unread");
      assertThat(item.findElement(By.className("title")).getText()).as("said, not only shown by colour")
          .startsWith("Unread:");
      assertThat(item.findElement(By.className("title-text")).getText()).isEqualTo("Reminder");
      assertThat(item.findElement(By.className("body")).getText()).isEqualTo("stretch");
      WebElement when = item.findElement(By.tagName("time"));
      // When it came due, in the person's New York time.
      assertThat(when.getDomAttribute("datetime")).endsWith("-05:00");
      assertThat(OffsetDateTime.parse(when.getDomAttribute("datetime")).toInstant())
          .isBetween(due.toInstant().minusSeconds(1), due.toInstant().plusSeconds(10));
      assertThat(when.getText()).contains("2026");

      item.findElement(By.className("notification-read")).click();
      wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("notifications-count")));
      wait.until(ExpectedConditions.attributeToBe(By.cssSelector("#notifications li"), "class", "read"));
      assertThat(bell.getDomAttribute("aria-label")).isEqualTo("Notifications, none unread");
      assertThat(driver.getTitle()).isEqualTo("Aide");
      assertThat(aide.db().number("select count(*) from notifications where read_at is not null")).isEqualTo(1);

      driver.navigate().refresh();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("message")));
      driver.findElement(By.id("notifications-toggle")).click();
      WebElement afterReload = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#notifications li")));
      assertThat(afterReload.getDomAttribute("class")).isEqualTo("read");
      assertThat(afterReload.findElements(By.className("notification-read"))).isEmpty();
      assertThat(driver.findElement(By.id("notifications-count")).isDisplayed()).isFalse();
      assertThat(driver.findElements(By.cssSelector("[data-testid=toast]"))).as("nothing new since the reload").isEmpty();
    } finally {
      chrome.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", stub.get("identifier")));
    }
  }

  @Test
  @DisplayName("on a phone-sized screen, a repeating reminder's notification moves it to its next day in the list and mark all read empties the bell")
  void narrowScreenRepeatingReminderAndMarkAll() {
    driver.manage().window().setSize(new Dimension(390, 844));
    driver.get(aide.baseUrl() + "/?poll=1000");
    registerInPage("Dee", "dee@example.com");
    String token = js("return localStorage.getItem('aide.token')").toString();
    try (Api api = new Api(aide.port()).as(token)) {
      for (JsonObject reminder : List.of(
          new JsonObject().put("text", "drink water").put("dueAt", "2026-11-18T10:20:00-05:00").put("rrule", "FREQ=DAILY"),
          new JsonObject().put("text", "stand up").put("dueAt", "2026-11-18T10:20:00-05:00"))) {
        assertThat(api.post("/api/v1/reminders", reminder).status()).isEqualTo(201);
      }
    }
    driver.findElement(By.id("refresh-reminders")).click();
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#reminders li"), 2));
    By waterDue = By.xpath("//ul[@id='reminders']/li[span[@class='text']='drink water']/time");
    // Through the locator: the load the sign-in started may arrive with both reminders and be redrawn by the refresh.
    wait.until(ExpectedConditions.attributeToBe(waterDue, "datetime", "2026-11-18T10:20:00-05:00"));
    WebElement bell = driver.findElement(By.id("notifications-toggle"));
    assertThat(bell.isDisplayed()).isTrue();
    assertThat(right(bell)).isLessThanOrEqualTo(viewportWidth());

    CLOCK.jumpTo(Instant.parse("2026-11-18T15:19:58.500Z"));

    arrival.until(ExpectedConditions.textToBe(By.id("notifications-count"), "2"));
    wait.until(ExpectedConditions.attributeToBe(waterDue, "datetime", "2026-11-19T10:20:00-05:00"));

    bell.click();
    WebElement panel = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("notifications-panel")));
    assertThat(((Number) js("return arguments[0].getBoundingClientRect().left", panel)).doubleValue()).isGreaterThanOrEqualTo(0);
    assertThat(right(panel)).isLessThanOrEqualTo(viewportWidth());
    assertThat(driver.findElements(By.cssSelector("#notifications li.unread .body")))
        .extracting(WebElement::getText).containsExactlyInAnyOrder("drink water", "stand up");

    driver.findElement(By.id("mark-all-read")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("notifications-count")));
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#notifications li.read"), 2));
    assertThat(driver.findElement(By.id("mark-all-read")).isEnabled()).isFalse();
    assertThat(aide.db().number("select count(*) from notifications where read_at is null")).isZero();

    driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("notifications-panel")));
    assertThat(bell.getDomAttribute("aria-expanded")).isEqualTo("false");
    assertThat(driver.switchTo().activeElement().getDomAttribute("id")).isEqualTo("notifications-toggle");
  }

  @Test
  @DisplayName("when the short-lived access token is refused, the page trades its refresh token for a new pair and "
      + "carries on; Log out ends the session on the server, not only in the page")
  void refreshAndLogOut() {
    registerInPage("Dora", "dora@example.com");
    JavascriptExecutor js = (JavascriptExecutor) driver;
    String firstRefresh = (String) js.executeScript("return localStorage.getItem('aide.refresh')");
    assertThat(firstRefresh).isNotBlank();
    // As an expired token would be: signed, but no longer accepted.
    js.executeScript("localStorage.setItem('aide.token', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl')");
    driver.navigate().refresh();

    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("message")));
    send("what are my reminders?");
    assertThat(driver.findElement(By.id("auth-view")).isDisplayed()).isFalse();
    assertThat((String) js.executeScript("return localStorage.getItem('aide.refresh')")).isNotEqualTo(firstRefresh);
    assertThat(aide.db().number("select count(*) from sessions where refreshed_at is not null")).isEqualTo(1);

    driver.findElement(By.id("logout")).click();

    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("email")));
    assertThat(aide.db().number("select count(*) from sessions where revoked_at is not null")).isEqualTo(1);
    assertThat(js.executeScript("return localStorage.getItem('aide.refresh')")).isNull();
  }

  @Test
  @DisplayName("\"Forgot your password?\" sends a link to the person's Telegram; the link opens the page at a "
      + "new-password form, and the new password signs them in")
  void passwordResetLink() {
    String userId;
    try (Api api = new Api(aide.port())) {
      userId = api.register("eve@example.com", "UTC").getString("id");
    }
    aide.db().update("insert into channel_identities (user_id, channel, external_id, verified, linked_at) "
        + "values (?::uuid, 'telegram', '777', true, now())", userId);
    driver.findElement(By.id("email")).sendKeys("eve@example.com");
    driver.findElement(By.id("forgot")).click();
    WebElement notice = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("auth-notice")));
    assertThat(notice.getText()).contains("reset link");
    String body = aide.db().value("select body from outbox where recipient = '777'", String.class);
    String link = body.lines().filter(l -> l.contains("#reset=")).findFirst().orElseThrow();
    String token = link.substring(link.indexOf("#reset=") + "#reset=".length()).strip();

    driver.get(aide.baseUrl() + "/#reset=" + token);
    driver.navigate().refresh();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-password"))).sendKeys("a fresh passphrase");
    driver.findElement(By.id("set-password")).click();

    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("auth-notice"), "password is changed"));
    assertThat(driver.getCurrentUrl()).doesNotContain("reset=");
    driver.findElement(By.id("email")).clear();
    driver.findElement(By.id("email")).sendKeys("eve@example.com");
    driver.findElement(By.id("password")).sendKeys("a fresh passphrase");
    driver.findElement(By.id("login")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("message")));
  }

  @Test
  @DisplayName("\"What Aide remembers\" first says how Aide learns; then it lists the person's memories newest first "
      + "with their kind and when, one told in the chat included, and its search finds a memory, something they said "
      + "and a passage of a document, each called what it is")
  void memoriesListedAndSearched() {
    registerInPage("Fay", "fay@example.com");
    openMemories();
    WebElement empty = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("memories-empty")));
    assertThat(empty.getText()).contains("remember that");

    driver.findElement(By.id("memory-start")).click();
    WebElement composer = driver.findElement(By.id("message"));
    assertThat(driver.switchTo().activeElement()).isEqualTo(composer);
    assertThat(composer.getDomProperty("value")).isEqualTo("Remember that ");
    send("the spare key is under the blue flowerpot");
    // Back on the page, it shows what the turn kept.
    openMemories();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#memories li .mem-text"),
        "the spare key is under the blue flowerpot"));
    assertThat(driver.findElement(By.cssSelector("#memories li .mem-source")).getText()).isEqualTo("you asked");
    driver.findElement(By.cssSelector("#pages-nav a[data-page='chat']")).click();
    send("the roof leaked again near the chimney");
    openMemories();

    String documentId;
    try (Api api = new Api(aide.port()).as(token())) {
      remember(api, "My sister Anna's birthday is 3 May", "person");
      remember(api, "I prefer window seats on long flights", "preference");
      Api.Response added = api.post("/api/v1/documents", new JsonObject().put("title", "Lease")
          .put("text", "Either party may end this lease with three months written notice."));
      assertThat(added.status()).as(added.body()).isEqualTo(202);
      documentId = added.json().getString("id");
      await().atMost(Duration.ofSeconds(30)).until(() -> "ready".equals(
          api.get("/api/v1/documents/" + documentId).json().getString("status")));
    }
    driver.findElement(By.id("refresh-memories")).click();
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#memories li"), 3));
    assertThat(driver.findElements(By.cssSelector("#memories li .mem-text"))).extracting(WebElement::getText)
        .containsExactly("I prefer window seats on long flights", "My sister Anna's birthday is 3 May",
            "the spare key is under the blue flowerpot");
    assertThat(driver.findElements(By.cssSelector("#memories li .mem-type"))).extracting(WebElement::getText)
        .containsExactly("preference", "person", "fact");
    for (WebElement when : driver.findElements(By.cssSelector("#memories li time"))) {
      assertThat(OffsetDateTime.parse(when.getDomAttribute("datetime"))).isNotNull();
      assertThat(when.getText()).isNotBlank();
    }
    assertThat(driver.findElement(By.id("memories-empty")).isDisplayed()).isFalse();

    List<WebElement> anna = searchMemories("when is Anna's birthday");
    assertThat(anna.getFirst().getDomAttribute("data-kind")).isEqualTo("memory");
    assertThat(anna.getFirst().findElement(By.className("mem-kind")).getText()).isEqualTo("A memory");
    assertThat(anna.getFirst().findElement(By.className("mem-text")).getText())
        .isEqualTo("My sister Anna's birthday is 3 May");
    assertThat(driver.findElement(By.id("memory-list-view")).isDisplayed()).isFalse();

    // Found by its words at once; whether it also ranks first waits on its embedding, done a moment after it is stored.
    WebElement said = searchMemories("chimney").stream()
        .filter(r -> "message".equals(r.getDomAttribute("data-kind"))).findFirst().orElseThrow();
    assertThat(said.findElement(By.className("mem-kind")).getText()).startsWith("Something you said on ")
        .contains("2026");
    assertThat(said.findElement(By.className("mem-text")).getText()).isEqualTo("the roof leaked again near the chimney");

    WebElement passage = searchMemories("how much notice to end the lease").getFirst();
    assertThat(passage.getDomAttribute("data-kind")).isEqualTo("chunk");
    assertThat(passage.findElement(By.className("mem-kind")).getText()).startsWith("A passage of Lease");
    assertThat(passage.findElement(By.className("mem-text")).getText()).contains("three months written notice");

    driver.findElement(By.id("clear-memory-search")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("memory-list-view")));
    assertThat(driver.findElements(By.cssSelector("#memories li"))).hasSize(3);
    assertThat(driver.findElement(By.id("memory-results-view")).isDisplayed()).isFalse();
  }

  @Test
  @DisplayName("a memory is edited in place and saved; a save that fails says why and keeps the person's words; "
      + "Delete asks first, and only \"Forget it\" erases the memory")
  void memoryEditedAndDeleted() {
    registerInPage("Gus", "gus@example.com");
    try (Api api = new Api(aide.port()).as(token())) {
      String parking = remember(api, "I park on level 3 at work", "fact");
      String coffee = remember(api, "I take my coffee black", "preference");
      openMemories();
      wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#memories li"), 2));

      WebElement park = memory("I park on level 3 at work");
      park.findElement(By.cssSelector("[data-action=edit]")).click();
      WebElement text = park.findElement(By.tagName("textarea"));
      assertThat(driver.switchTo().activeElement()).isEqualTo(text);
      assertThat(text.getDomProperty("value")).isEqualTo("I park on level 3 at work");
      assertThat(park.findElement(By.cssSelector("label[for='" + text.getDomAttribute("id") + "']")).getText())
          .isEqualTo("Memory");
      text.clear();
      text.sendKeys("I park on level 4 at work");
      new Select(park.findElement(By.tagName("select"))).selectByValue("place");
      text.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));

      WebElement edited = park;
      wait.until(d -> edited.findElements(By.className("mem-text")).stream()
          .anyMatch(t -> t.getText().equals("I park on level 4 at work")));
      assertThat(park.findElement(By.className("mem-type")).getText()).isEqualTo("place");
      assertThat(driver.switchTo().activeElement().getDomAttribute("data-action")).isEqualTo("edit");
      JsonObject saved = api.get("/api/v1/memories/" + parking).json();
      assertThat(saved.getString("content")).isEqualTo("I park on level 4 at work");
      assertThat(saved.getString("type")).isEqualTo("place");

      WebElement black = memory("I take my coffee black");
      black.findElement(By.cssSelector("[data-action=edit]")).click();
      black.findElement(By.tagName("textarea")).sendKeys(" with a dash of oat milk");
      assertThat(api.delete("/api/v1/memories/" + coffee).status()).as("gone behind the page's back").isEqualTo(204);
      black.findElement(By.className("memory-save")).click();

      WebElement error = wait.until(ExpectedConditions.visibilityOf(
          black.findElement(By.cssSelector("[data-testid=memory-error]"))));
      assertThat(error.getText()).startsWith("Not saved:").contains("no longer has this memory");
      assertThat(error.getDomAttribute("role")).isEqualTo("alert");
      assertThat(black.findElement(By.tagName("textarea")).getDomProperty("value"))
          .isEqualTo("I take my coffee black with a dash of oat milk");
      assertThat(black.findElement(By.className("memory-save")).isEnabled()).isTrue();
      driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
      wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#memories li"), 1));
      assertThat(driver.findElement(By.id("page-memories")).isDisplayed()).as("Esc left the edit, not the page")
          .isTrue();

      park = memory("I park on level 4 at work");
      park.findElement(By.cssSelector("[data-action=delete]")).click();
      WebElement keep = park.findElement(By.className("memory-keep"));
      assertThat(driver.switchTo().activeElement()).as("the harmless answer first").isEqualTo(keep);
      assertThat(park.findElement(By.className("mem-confirm")).getText()).contains("Forget this for good?");
      assertThat(api.get("/api/v1/memories/" + parking).status()).isEqualTo(200);
      keep.click();
      assertThat(park.findElements(By.className("mem-confirm"))).isEmpty();
      assertThat(api.get("/api/v1/memories/" + parking).status()).isEqualTo(200);

      park.findElement(By.cssSelector("[data-action=delete]")).click();
      park.findElement(By.className("memory-forget")).click();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("memories-empty")));
      assertThat(driver.findElements(By.cssSelector("#memories li"))).isEmpty();
      assertThat(api.get("/api/v1/memories/" + parking).status()).isEqualTo(404);
    }
  }

  @Test
  @DisplayName("memories that look like markup — a <script>, an <img onerror> — show as the words they are, in the "
      + "list, in search results and in the editor, and run nothing")
  void memoriesAreShownAsText() {
    registerInPage("Hal", "hal@example.com");
    String script = "<script>window.__xss = 'script'</script> tripwire one";
    String image = "<img src=x onerror=\"window.__xss = 'img'\"> tripwire two";
    try (Api api = new Api(aide.port()).as(token())) {
      remember(api, script, "fact");
      remember(api, image, "fact");
    }
    openMemories();
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#memories li"), 2));
    assertThat(driver.findElements(By.cssSelector("#memories li .mem-text"))).extracting(WebElement::getText)
        .containsExactly(image, script);
    assertThat(driver.findElement(By.cssSelector("#memories li [data-action=edit]")).getDomAttribute("aria-label"))
        .isEqualTo("Edit: " + image);

    List<WebElement> results = searchMemories(image);
    assertThat(driver.findElement(By.id("memory-results-title")).getText()).isEqualTo("Best matches for “" + image + "”");
    assertThat(results).extracting(r -> r.findElement(By.className("mem-text")).getText()).contains(image, script);
    WebElement first = results.stream()
        .filter(r -> r.findElement(By.className("mem-text")).getText().equals(image)).findFirst().orElseThrow();
    first.findElement(By.cssSelector("[data-action=edit]")).click();
    // A search result carries the words with their speaker: the editor opens once the memory itself is fetched.
    WebElement editor = wait.until(d -> first.findElements(By.tagName("textarea")).stream().findFirst().orElse(null));
    assertThat(editor.getDomProperty("value")).isEqualTo(image);

    assertThat(driver.findElements(By.cssSelector("#page-memories img, #page-memories script"))).isEmpty();
    assertThat(js("return window.__xss")).isNull();
  }

  private void openMemories() {
    driver.findElement(By.cssSelector("#pages-nav a[data-page='memories']")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("page-memories")));
    wait.until(ExpectedConditions.attributeToBe(By.cssSelector("#pages-nav a[data-page='memories']"), "aria-current", "page"));
  }

  /** Searches on the Memories page and answers its results, best first, once they are shown. */
  private List<WebElement> searchMemories(String query) {
    WebElement box = driver.findElement(By.id("memory-query"));
    box.clear();
    box.sendKeys(query);
    box.sendKeys(Keys.ENTER);
    wait.until(ExpectedConditions.textToBe(By.id("memory-results-title"), "Best matches for “" + query + "”"));
    return wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#memory-results > li"), 0));
  }

  private WebElement memory(String text) {
    return driver.findElements(By.cssSelector("#memories > li")).stream()
        .filter(li -> li.findElement(By.className("mem-text")).getText().equals(text)).findFirst().orElseThrow();
  }

  private static String remember(Api api, String content, String type) {
    Api.Response created = api.post("/api/v1/memories", new JsonObject().put("content", content).put("type", type));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().getString("id");
  }

  private String token() {
    return js("return localStorage.getItem('aide.token')").toString();
  }

  private void registerInPage(String name, String email) {
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("email")));
    driver.findElement(By.id("show-register")).click();
    driver.findElement(By.id("name")).sendKeys(name);
    driver.findElement(By.id("email")).sendKeys(email);
    driver.findElement(By.id("password")).sendKeys("correct horse battery");
    driver.findElement(By.id("register")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("message")));
  }

  private void send(String text) {
    int replies = driver.findElements(By.cssSelector(".message.assistant")).size();
    driver.findElement(By.id("message")).sendKeys(text);
    driver.findElement(By.id("send")).click();
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".message.assistant"), replies + 1));
  }

  private long alerts(String field) {
    return (Long) js("return window.__alerts." + field);
  }

  private double right(WebElement element) {
    return ((Number) js("return arguments[0].getBoundingClientRect().right", element)).doubleValue();
  }

  private double viewportWidth() {
    return ((Number) js("return document.documentElement.clientWidth")).doubleValue();
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }
}
