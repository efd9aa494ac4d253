package dev.aide.channel.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.Chromium;
import dev.aide.support.FakeTelegram;
import dev.aide.support.FakeTranscriptionServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web app's pages in a real browser, on the real clock (the page's "today" is the browser's, so the server's
 * must agree): chat cards and history, Today, Money, Lists, Calendar, Memories, Documents and Settings, and the chat's
 * voice button (Chromium's fake microphone, the fake speech-to-text server), at desktop and phone widths, with
 * axe-core finding no serious accessibility violation. Screenshots of each page go to target/screenshots/.
 */
@DisplayName("A person uses the web app's pages in a real browser")
class WebAppPagesTest {

  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final String AXE = "META-INF/resources/webjars/axe-core/4.6.3/axe.min.js";
  private static final List<String> PAGES = List.of("chat", "today", "calendar", "money", "lists", "memories", "documents",
      "settings");

  private static final FakeTelegram telegram = new FakeTelegram("7000000014:AAH-fake-token-for-web-app-tests_0123");
  private static final FakeTranscriptionServer stt = new FakeTranscriptionServer();
  private static final int DOCUMENT_LIMIT = 64 * 1024;

  @RegisterExtension
  static final AideServer aide = AideServer.create().telegram(telegram).transcription(stt)
      .env("AIDE_DOCUMENTS_MAX_BYTES", String.valueOf(DOCUMENT_LIMIT)).freshEachTest();

  private static Chromium chromium;
  private static WebDriver driver;
  private WebDriverWait wait;

  @BeforeAll
  static void startBrowser() throws IOException {
    // A microphone without a person: Chromium's fake device (a beep), allowed without asking.
    chromium = Chromium.start("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream");
    driver = chromium.driver();
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stopBrowser() throws IOException {
    if (chromium != null) {
      chromium.close();
    }
  }

  @BeforeEach
  void freshPage() {
    driver.manage().window().setSize(new Dimension(1280, 860));
    wait = new WebDriverWait(driver, Duration.ofSeconds(15), Duration.ofMillis(50));
    wait.ignoring(StaleElementReferenceException.class);
    driver.get(aide.baseUrl() + "/");
    js("localStorage.clear()");
    driver.navigate().refresh();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("email")));
  }

  @Test
  @DisplayName("a reminder, an expense and a shopping list asked for in the chat show as cards in words (no ids, no "
      + "RRULE), then on Today, Money (edited there) and Lists (checked off, reordered); a reload brings the "
      + "conversation back, and it can be found, renamed and deleted")
  void chatThenPages() {
    register("Ada", "ada@example.com");
    send("remind me to water the plants every day at 7pm");
    WebElement card = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".message.assistant .tool-call")));
    assertThat(card.getDomAttribute("data-tool")).isEqualTo("createReminder");
    assertThat(card.findElement(By.className("card-text")).getText()).startsWith("Reminder").contains("19:00").contains("every day").contains("“water the plants”")
        .doesNotContain("createReminder").doesNotContain("FREQ");
    String chat = driver.findElement(By.id("messages")).getText();
    assertThat(chat).doesNotContain("FREQ=").doesNotContainPattern("[0-9a-f]{8}-[0-9a-f]{4}-");

    send("what are my reminders?");
    assertThat(lastReply().getText()).contains("water the plants").doesNotContainPattern("[0-9a-f]{8}-[0-9a-f]{4}-");
    assertThat(lastAssistant().findElements(By.className("tool-call"))).as("a look-up has no card: the reply says it").isEmpty();
    assertThat(lastReply().findElements(By.tagName("li"))).as("the list in the reply is a list").hasSize(1);

    send("I spent 12.50 on lunch");
    assertThat(lastAssistant().findElement(By.className("card-text")).getText()).startsWith("Expense").contains("$12.50")
        .contains("lunch");
    send("add milk and 2 eggs to my shopping list");
    assertThat(lastAssistant().findElement(By.className("card-text")).getText()).contains("List shopping")
        .contains("milk").contains("2 eggs");

    // Today: the reminder at 19:00 today or tomorrow; this month's spending.
    nav("today");
    WebElement reminder = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=today-reminder]")));
    assertThat(reminder.getText()).contains("water the plants").contains("19:00").contains("every day");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=month-total]"), "$12.50"));

    // Money: the expense in the table and the charts; edited, the chart follows.
    nav("money");
    WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=expense]")));
    assertThat(row.getText()).contains("lunch").contains("food").contains("$12.50");
    wait.until(d -> String.valueOf(js("return document.getElementById('chart-category').dataset.points")).contains("12.50"));
    row.findElement(By.className("expense-edit")).click();
    WebElement amount = wait.until(ExpectedConditions.visibilityOfElementLocated(By.className("expense-amount-input")));
    amount.clear();
    amount.sendKeys("15.25");
    driver.findElement(By.className("expense-save")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=expense] .expense-amount"), "$15.25"));
    wait.until(d -> String.valueOf(js("return document.getElementById('chart-category').dataset.points")).contains("15.25"));
    assertThat(aide.db().value("select amount::text from expenses", String.class)).isEqualTo("15.2500");

    // Lists: milk checked off.
    nav("lists");
    WebElement milk = wait.until(d -> d.findElements(By.cssSelector("[data-testid=list-item]")).stream()
        .filter(li -> li.getText().contains("milk")).findFirst().orElse(null));
    milk.findElement(By.cssSelector("input[type=checkbox]")).click();
    wait.until(d -> aide.db().number("select count(*) from list_items where text = 'milk' and done") == 1);
    wait.until(ExpectedConditions.attributeContains(By.xpath("//li[@data-testid='list-item'][.//label[text()='milk']]"), "class", "item-done"));
    // Reordered from the keyboard: eggs moved above milk on its handle.
    driver.findElement(By.xpath("//li[@data-testid='list-item'][.//label[text()='eggs']]//button[contains(@class,'drag-handle')]"))
        .sendKeys(Keys.ARROW_UP);
    wait.until(d -> aide.db().strings("select text from list_items order by position").equals(List.of("eggs", "milk")));
    wait.until(d -> d.findElements(By.cssSelector("[data-testid=list-item] label")).stream().map(WebElement::getText).toList()
        .equals(List.of("eggs", "milk")));
    // The list is drawn again once the order is saved, and the focus given back to the handle after that.
    wait.until(d -> String.valueOf(d.switchTo().activeElement().getDomAttribute("class")).contains("drag-handle"));

    // A reload brings back the conversation where it was.
    nav("chat");
    driver.navigate().refresh();
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".message.user"), 4));
    assertThat(driver.findElements(By.cssSelector(".message.assistant .tool-call"))).hasSize(3);
    WebElement listed = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=conversation].current")));
    assertThat(listed.getText()).contains("remind me to water the plants");

    listed.findElement(By.className("conversation-rename")).click();
    WebElement title = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".conversation-edit input")));
    title.clear();
    title.sendKeys("Household", Keys.ENTER);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=conversation].current"), "Household"));
    assertThat(aide.db().value("select title from conversations", String.class)).isEqualTo("Household");

    driver.findElement(By.id("conversation-search")).sendKeys("nothing like this");
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("[data-testid=conversation]"), 0));
    driver.findElement(By.id("conversation-search")).clear();
    driver.findElement(By.id("conversation-search")).sendKeys("eggs");
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("[data-testid=conversation]"), 1));

    driver.findElement(By.cssSelector("[data-testid=conversation] .conversation-delete")).click();
    driver.findElement(By.className("conversation-delete-yes")).click();
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("[data-testid=conversation]"), 0));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("empty-chat")));
    assertThat(aide.db().number("select count(*) from conversations")).isZero();
    assertThat(aide.db().number("select count(*) from reminders")).as("what was done stays").isEqualTo(1);
  }

  @Test
  @DisplayName("a question Aide asks is answered with the Yes and No buttons, which then stay answered")
  void confirmWithButtons() {
    register("Ben", "ben@example.com");
    send("remind me to call mom tomorrow at 5pm");
    send("remind me to pay rent tomorrow at 9am");
    send("delete all my reminders");
    WebElement asked = lastAssistant().findElement(By.className("tool-call"));
    assertThat(asked.findElement(By.className("card-text")).getText()).startsWith("Waiting for your answer").doesNotContain("confirmation");
    lastAssistant().findElement(By.className("confirm-no")).click();
    wait.until(d -> lastReply().getText().contains("left everything"));
    assertThat(aide.db().number("select count(*) from reminders")).isEqualTo(2);

    send("delete all my reminders");
    lastAssistant().findElement(By.className("confirm-yes")).click();
    wait.until(d -> aide.db().number("select count(*) from reminders where status = 'pending'") == 0
        || aide.db().number("select count(*) from reminders") == 0);
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#reminders li"), 0));
    assertThat(driver.findElements(By.cssSelector(".confirm button"))).allSatisfy(b -> assertThat(b.isEnabled()).isFalse());
  }

  @Test
  @DisplayName("Undo on a card puts back what the tool changed (a reminder moved) and deletes what it created, and says so")
  void undoFromTheCard() {
    register("Flo", "flo@example.com");
    send("remind me to book the vet tomorrow at 8am");
    send("I spent 4.50 on coffee");
    assertThat(aide.db().number("select count(*) from reminders")).isEqualTo(1);
    String asMade = aide.db().value("select due_at::text from reminders", String.class);
    send("move my reminder to book the vet to 9am");
    assertThat(aide.db().value("select due_at::text from reminders", String.class)).isNotEqualTo(asMade);
    lastAssistant().findElement(By.cssSelector(".tool-call .undo")).click();
    wait.until(d -> !lastAssistant().findElements(By.className("undo-result")).isEmpty());
    assertThat(lastAssistant().findElement(By.className("undo-result")).getText()).isEqualTo("undone");
    assertThat(aide.db().value("select due_at::text from reminders", String.class)).isEqualTo(asMade);

    for (WebElement undo : driver.findElements(By.cssSelector(".tool-call .undo"))) {
      undo.click();
    }
    wait.until(ExpectedConditions.numberOfElementsToBe(By.className("undo-result"), 3));
    assertThat(driver.findElements(By.className("undo-result"))).extracting(WebElement::getText).containsOnly("undone");
    assertThat(aide.db().number("select count(*) from reminders")).isZero();
    assertThat(aide.db().number("select count(*) from expenses")).isZero();
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#reminders li"), 0));
  }

  @Test
  @DisplayName("in the calendar, selecting a slot creates an event and dragging it moves it by the hour dropped on")
  void calendarCreateAndDrag() {
    register("Cy", "cy@example.com");
    nav("calendar");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".fc-timegrid-slot-lane")));
    js("document.querySelector('.fc-timegrid-slot-lane[data-time=\"10:00:00\"]').scrollIntoView()");
    WebElement ten = driver.findElement(By.cssSelector(".fc-timegrid-slot-lane[data-time='10:00:00']"));
    WebElement eleven = driver.findElement(By.cssSelector(".fc-timegrid-slot-lane[data-time='11:00:00']"));
    // Within today's column: the lanes span the week, so the pointer goes to today's x.
    WebElement today = driver.findElement(By.cssSelector(".fc-timegrid-col.fc-day-today"));
    int x = today.getRect().getX() + today.getRect().getWidth() / 2;
    int fromY = ten.getRect().getY() + 5;
    int toY = eleven.getRect().getY() - 5;
    new Actions(driver).moveToLocation(x, fromY).clickAndHold().moveToLocation(x, (fromY + toY) / 2)
        .moveToLocation(x, toY).release().perform();
    WebElement title = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("event-title")));
    title.sendKeys("Dentist");
    driver.findElement(By.cssSelector("#event-dialog-actions button[data-value=save]")).click();
    WebElement event = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".fc-timegrid-event")));
    assertThat(event.getText()).contains("Dentist").contains("10:00");
    LocalDate day = LocalDate.now(NEW_YORK);
    assertThat(aide.db().value("select start_at from events where title = 'Dentist'", java.time.OffsetDateTime.class).toInstant())
        .isEqualTo(ZonedDateTime.of(day.atTime(10, 0), NEW_YORK).toInstant());

    int slot = driver.findElement(By.cssSelector(".fc-timegrid-slot-lane[data-time='10:30:00']")).getRect().getY() - ten.getRect().getY();
    new Actions(driver).moveToElement(event).clickAndHold().moveByOffset(0, slot).moveByOffset(0, slot)
        .moveByOffset(0, 2 * slot).release().perform();
    wait.until(d -> ZonedDateTime.of(day.atTime(12, 0), NEW_YORK).toInstant().equals(
        aide.db().value("select start_at from events where title = 'Dentist'", java.time.OffsetDateTime.class).toInstant()));
    assertThat(aide.db().value("select end_at from events where title = 'Dentist'", java.time.OffsetDateTime.class).toInstant())
        .isEqualTo(ZonedDateTime.of(day.atTime(13, 0), NEW_YORK).toInstant());

    // From the keyboard: "+ New event", the day written day first.
    driver.findElement(By.id("event-new")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("event-title"))).sendKeys("Standup");
    WebElement typed = driver.findElement(By.id("event-day"));
    assertThat(typed.getDomProperty("value")).isEqualTo(day.format(java.time.format.DateTimeFormatter.ofPattern("dd/MM/yyyy")));
    LocalDate next = day.plusDays(1);
    typed.clear();
    typed.sendKeys(next.getDayOfMonth() + "/" + next.getMonthValue() + "/" + next.getYear());
    driver.findElement(By.cssSelector("#event-dialog-actions button[data-value=save]")).click();
    wait.until(d -> aide.db().number("select count(*) from events where title = 'Standup'") == 1);
    assertThat(aide.db().value("select start_at from events where title = 'Standup'", java.time.OffsetDateTime.class).toInstant())
        .isEqualTo(ZonedDateTime.of(next.atTime(9, 0), NEW_YORK).toInstant());
  }

  @Test
  @DisplayName("Settings saves the timezone, quiet hours and digest hour, and every time on the pages follows the new zone")
  void settingsSaved() {
    register("Dee", "dee@example.com");
    nav("settings");
    WebElement zone = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("settings-timezone")));
    wait.until(d -> "America/New_York".equals(zone.getDomProperty("value")));
    zone.clear();
    zone.sendKeys("Europe/Paris");
    driver.findElement(By.id("quiet-start")).sendKeys("22:00");
    driver.findElement(By.id("quiet-end")).sendKeys("07:00");
    driver.findElement(By.id("digest-enabled")).click();
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("digest-hour"))).selectByValue("7");
    driver.findElement(By.id("settings-save")).click();
    wait.until(ExpectedConditions.textToBe(By.id("settings-status"), "Saved."));
    try (Api api = new Api(aide.port()).as(token())) {
      JsonObject me = api.get("/api/v1/me").json();
      assertThat(me.getString("timezone")).isEqualTo("Europe/Paris");
      assertThat(me.getJsonObject("quietHours").getString("start")).isEqualTo("22:00");
      assertThat(me.getJsonObject("digest").getBoolean("enabled")).isTrue();
      assertThat(me.getJsonObject("digest").getInteger("hour")).isEqualTo(7);
      api.post("/api/v1/reminders", new JsonObject().put("text", "call the bank")
          .put("dueAt", ZonedDateTime.now(NEW_YORK).plusDays(1).withHour(9).withMinute(0).withSecond(0).withNano(0)
              .toOffsetDateTime().toString()));
    }
    nav("chat");
    // 09:00 in New York is 15:00 in Paris.
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#reminders li .due"), "15:00"));
  }

  @Test
  @DisplayName("Link Telegram in Settings shows the one-time link, and the same link as a QR code")
  void telegramLinkAsQrCode() {
    register("Gil", "gil@example.com");
    nav("settings");
    wait.until(ExpectedConditions.elementToBeClickable(By.id("link-telegram"))).click();
    WebElement link = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#telegram-link a")));
    assertThat(link.getDomAttribute("href")).contains("start=");
    WebElement code = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#telegram-qr img")));
    wait.until(d -> String.valueOf(code.getDomAttribute("src")).startsWith("data:image/png"));
    assertThat(driver.findElement(By.id("telegram-qr")).getDomAttribute("aria-label")).contains("QR code");
    assertThat(aide.db().number("select count(*) from link_tokens")).isEqualTo(1);
  }

  @Test
  @DisplayName("Money's date fields are written day first, as every date on the page reads, whatever the browser's "
      + "locale: the day of an expense, its edit and the filters; a date that does not exist is refused in words")
  void moneyDatesDayFirst() {
    register("Kai", "kai@example.com");
    nav("money");
    LocalDate today = LocalDate.now(NEW_YORK);
    LocalDate earlier = today.minusDays(3);
    java.time.format.DateTimeFormatter field = java.time.format.DateTimeFormatter.ofPattern("dd/MM/yyyy");
    WebElement day = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("expense-date")));
    wait.until(d -> today.format(field).equals(day.getDomProperty("value")));

    driver.findElement(By.id("expense-amount")).sendKeys("9.99");
    driver.findElement(By.id("expense-description")).sendKeys("a book");
    day.clear();
    day.sendKeys(earlier.getDayOfMonth() + "/" + earlier.getMonthValue() + "/" + earlier.getYear());
    driver.findElement(By.id("expense-add")).click();
    WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=expense]")));
    assertThat(aide.db().value("select spent_on from expenses", LocalDate.class)).isEqualTo(earlier);
    String shown = earlier.format(java.time.format.DateTimeFormatter.ofPattern(
        earlier.getYear() == today.getYear() ? "EEE d MMM" : "EEE d MMM yyyy", Locale.UK));
    assertThat(row.findElement(By.tagName("td")).getText()).isEqualTo(shown);

    row.findElement(By.className("expense-edit")).click();
    WebElement edit = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=expense] .date-field")));
    assertThat(edit.getDomProperty("value")).isEqualTo(earlier.format(field));
    driver.findElement(By.cssSelector("[data-testid=expense] .btn:not(.expense-save)")).click();

    WebElement from = driver.findElement(By.id("filter-from"));
    from.sendKeys("31/02/" + today.getYear());
    driver.findElement(By.id("filter-apply")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("money-error"), "is not a date"));
    assertThat(from.getDomAttribute("aria-invalid")).isEqualTo("true");
    from.clear();
    from.sendKeys(today.format(field));
    driver.findElement(By.id("filter-apply")).click();
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("[data-testid=expense]"), 0));
    assertThat(driver.findElement(By.id("money-error")).isDisplayed()).isFalse();
    assertThat(from.getDomAttribute("aria-invalid")).isNull();
  }

  @ParameterizedTest(name = "at {0} px")
  @ValueSource(ints = {1280, 375})
  @DisplayName("on Memories a person adds a memory and finds it by search, sees it with its kind and day in their own "
      + "format, filters by kind, edits it, sees the version a later fact replaced, and forgets one after a confirm")
  void memoriesPage(int width) {
    driver.manage().window().setSize(new Dimension(width, 860));
    register("Hana", "hana@example.com");
    nav("memories");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("memories-empty")));

    addMemory("My sister Anna's birthday is 3 May", "person");
    WebElement anna = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#memories [data-testid=memory]")));
    assertThat(anna.findElement(By.className("mem-text")).getText()).isEqualTo("My sister Anna's birthday is 3 May");
    assertThat(anna.findElement(By.className("mem-type")).getText()).isEqualTo("person");
    // The day as every page writes it, in the person's zone (New York, the browser's when they registered).
    String today = ZonedDateTime.now(NEW_YORK).format(java.time.format.DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.UK));
    assertThat(anna.findElement(By.className("mem-when")).getText()).startsWith(today + ", ").matches(".*, \\d\\d:\\d\\d");
    addMemory("I take my coffee black", "preference");
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#memories > [data-testid=memory]"), 2));
    assertThat(aide.db().strings("select type || ':' || content from memories order by created_at"))
        .containsExactly("person:My sister Anna's birthday is 3 May", "preference:I take my coffee black");

    WebElement box = driver.findElement(By.id("memory-query"));
    box.sendKeys("when is Anna's birthday", Keys.ENTER);
    WebElement found = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#memory-results > li")));
    assertThat(found.getDomAttribute("data-kind")).isEqualTo("memory");
    assertThat(found.findElement(By.className("mem-text")).getText()).isEqualTo("My sister Anna's birthday is 3 May");
    driver.findElement(By.id("clear-memory-search")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("memory-list-view")));

    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("memory-type-filter"))).selectByValue("preference");
    wait.until(d -> memoryTexts().equals(List.of("I take my coffee black")));
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("memory-type-filter"))).selectByValue("");
    wait.until(d -> memoryTexts().size() == 2);

    WebElement coffee = memoryItem("I take my coffee black");
    coffee.findElement(By.cssSelector("[data-action=edit]")).click();
    WebElement text = coffee.findElement(By.tagName("textarea"));
    text.sendKeys(" with oat milk");
    coffee.findElement(By.className("memory-save")).click();
    wait.until(d -> memoryTexts().contains("I take my coffee black with oat milk"));
    assertThat(aide.db().strings("select content from memories where type = 'preference'"))
        .containsExactly("I take my coffee black with oat milk");

    // A fact said again with a new value replaces the old one, which stays as its history.
    nav("chat");
    send("I live in Porto");
    send("I moved to Lisbon");
    nav("memories");
    driver.findElement(By.id("memory-history")).click();
    WebElement versions = wait.until(d -> {
      List<WebElement> shown = d.findElements(By.cssSelector("[data-testid=memory-versions]"));
      if (shown.isEmpty()) {
        d.findElement(By.id("refresh-memories")).click(); // learning runs a moment after the reply
      }
      return shown.isEmpty() ? null : shown.getFirst();
    });
    versions.findElement(By.tagName("summary")).click();
    WebElement lisbon = versions.findElement(By.xpath("./ancestor::li[@data-testid='memory']"));
    assertThat(lisbon.findElement(By.className("mem-text")).getText()).containsIgnoringCase("Lisbon");
    assertThat(versions.findElement(By.cssSelector("[data-testid=memory-version]")).getText()).containsIgnoringCase("Porto")
        .contains("until " + today);
    driver.findElement(By.id("memory-history")).click();
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("[data-testid=memory-versions]"), 0));

    WebElement forget = memoryItem("I take my coffee black with oat milk");
    forget.findElement(By.cssSelector("[data-action=delete]")).click();
    forget.findElement(By.className("memory-keep")).click();
    assertThat(aide.db().number("select count(*) from memories where type = 'preference'")).isEqualTo(1);
    forget.findElement(By.cssSelector("[data-action=delete]")).click();
    forget.findElement(By.className("memory-forget")).click();
    wait.until(d -> !memoryTexts().contains("I take my coffee black with oat milk"));
    assertThat(aide.db().number("select count(*) from memories where type = 'preference'")).isZero();
    screenshot("memories-flow-" + width);
  }

  @ParameterizedTest(name = "at {0} px")
  @ValueSource(ints = {1280, 375})
  @DisplayName("on Documents a person sees the size limit, gets the server's reason for a file Aide does not read and "
      + "the limit for one too large, uploads a text file and sees it become ready, renames it and deletes it after a "
      + "confirm")
  void documentsPage(int width) throws IOException {
    driver.manage().window().setSize(new Dimension(width, 860));
    register("Ines", "ines@example.com");
    nav("documents");
    WebElement hint = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("document-hint")));
    wait.until(d -> hint.getText().contains("up to " + DOCUMENT_LIMIT / 1024 + " KB"));
    // The empty list is said once the list has loaded, which may be after the hint is shown.
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("documents-empty")));

    Path dir = Files.createTempDirectory("aide-upload-");
    try {
      Path program = Files.write(dir.resolve("setup.exe"), new byte[] {'M', 'Z', 0, 1, 2, 3});
      upload(program, null);
      WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("document-error")));
      assertThat(error.getText()).contains("Aide reads PDF, Markdown, HTML and plain text").contains("setup.exe");
      Path big = Files.write(dir.resolve("big.txt"), "lorem ipsum ".repeat(DOCUMENT_LIMIT / 10).getBytes(StandardCharsets.UTF_8));
      upload(big, null);
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("document-error"), "larger than " + DOCUMENT_LIMIT / 1024 + " KB"));
      assertThat(aide.db().number("select count(*) from documents")).isZero();

      Path notes = Files.writeString(dir.resolve("boiler.txt"), "The boiler is serviced every October by Heatwise. "
          + "The reset button is under the front panel.");
      upload(notes, "Boiler notes");
      WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=document]")));
      assertThat(row.findElement(By.className("document-title")).getText()).isEqualTo("Boiler notes");
      assertThat(driver.findElement(By.id("document-error")).isDisplayed()).isFalse();
      WebElement ready = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=document][data-status=ready]")));
      assertThat(ready.findElement(By.cssSelector("[data-testid=document-status]")).getText()).startsWith("Ready");
      assertThat(ready.getText()).contains("boiler.txt");
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }

    driver.findElement(By.cssSelector("[data-testid=document] .document-rename")).click();
    WebElement title = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".doc-rename input")));
    title.clear();
    title.sendKeys("Boiler", Keys.ENTER);
    wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid=document] .document-title"), "Boiler"));
    assertThat(aide.db().value("select title from documents", String.class)).isEqualTo("Boiler");

    driver.findElement(By.cssSelector("[data-testid=document] .document-delete")).click();
    driver.findElement(By.className("document-keep")).click();
    assertThat(aide.db().number("select count(*) from documents")).isEqualTo(1);
    driver.findElement(By.cssSelector("[data-testid=document] .document-delete")).click();
    driver.findElement(By.className("document-delete-yes")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("documents-empty")));
    assertThat(aide.db().number("select count(*) from documents")).isZero();
  }

  @ParameterizedTest(name = "at {0} px")
  @ValueSource(ints = {1280, 375})
  @DisplayName("the voice button records from the microphone, shows it is recording, can be cancelled, says when "
      + "nothing was heard, and sends the recording: the transcript shows as the person's message and the reply as "
      + "Aide's, in the conversation open")
  void voiceRoundTrip(int width) {
    driver.manage().window().setSize(new Dimension(width, 860));
    stt.requests().clear();
    stt.transcribing("remind me to call mom tomorrow at 5pm");
    register("Jo", "jo@example.com");
    send("hello");
    WebElement voice = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("voice")));
    assertThat(voice.getAccessibleName()).isEqualTo("Record a voice message");

    voice.click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("recording")));
    assertThat(voice.getDomAttribute("aria-pressed")).isEqualTo("true");
    assertThat(voice.getAccessibleName()).isEqualTo("Stop recording and send");
    driver.findElement(By.id("voice-cancel")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("recording")));
    assertThat(driver.findElement(By.id("voice-status")).getText()).contains("cancelled");
    assertThat(voice.getDomAttribute("aria-pressed")).isEqualTo("false");

    // Silence: said above the chat; no message, no turn.
    stt.transcribing("  ");
    voice.click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("recording-text"), "0:01"));
    voice.click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("app-error"), "didn't hear anything"));
    wait.until(ExpectedConditions.elementToBeClickable(By.id("voice")));
    assertThat(driver.findElements(By.cssSelector(".message"))).hasSize(2);
    assertThat(aide.db().number("select count(*) from messages")).isEqualTo(2);

    stt.requests().clear();
    stt.transcribing("remind me to call mom tomorrow at 5pm");
    voice.click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("recording-text"), "0:01"));
    screenshot("voice-recording-" + width);
    voice.click();
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".message.assistant"), 2));
    assertThat(driver.findElement(By.id("app-error")).isDisplayed()).isFalse();
    assertThat(driver.findElements(By.cssSelector(".message.user .bubble"))).extracting(WebElement::getText)
        .containsExactly("hello", "remind me to call mom tomorrow at 5pm");
    assertThat(lastReply().getText()).contains("call mom");
    assertThat(lastAssistant().findElement(By.className("tool-call")).getDomAttribute("data-tool")).isEqualTo("createReminder");
    assertThat(stt.requests()).hasSize(1);
    assertThat(stt.requests().getFirst().fileName()).endsWith(".webm");
    assertThat(stt.requests().getFirst().bytes().getBytes(0, 4)).containsExactly((byte) 0x1A, (byte) 0x45, (byte) 0xDF, (byte) 0xA3); // EBML
    assertThat(aide.db().number("select count(*) from conversations")).as("one conversation: the one open").isEqualTo(1);
    assertThat(aide.db().number("select count(*) from reminders")).isEqualTo(1);

    driver.navigate().refresh();
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".message.user"), 2));
    assertThat(driver.findElements(By.cssSelector(".message.user .bubble")).getLast().getText())
        .isEqualTo("remind me to call mom tomorrow at 5pm");
  }

  @Test
  @DisplayName("every page, at 1280 px and at 375 px, fits the screen without blank scroll, and axe-core finds no "
      + "serious or critical accessibility violation; screenshots of each are saved")
  void everyPageFitsAndIsAccessible() throws IOException {
    register("Eve", "eve@example.com");
    try (Api api = new Api(aide.port()).as(token())) {
      api.post("/api/v1/expenses", new JsonObject().put("amount", "23.40").put("category", "groceries").put("description", "market"));
      api.send(io.vertx.core.http.HttpMethod.PUT, "/api/v1/budgets/groceries",
          new JsonObject().put("amount", "200").toBuffer(), "application/json");
      api.post("/api/v1/notes", new JsonObject().put("content", "The plumber is Jo, 555 0100").put("tags", new io.vertx.core.json.JsonArray().add("home")));
      ZonedDateTime noon = ZonedDateTime.now(NEW_YORK).withHour(12).withMinute(0).withSecond(0).withNano(0);
      api.post("/api/v1/events", new JsonObject().put("title", "Lunch with Sam").put("start", noon.toOffsetDateTime().toString())
          .put("end", noon.plusHours(1).toOffsetDateTime().toString()));
      api.post("/api/v1/memories", new JsonObject().put("content", "My sister Anna's birthday is 3 May").put("type", "person"));
      api.post("/api/v1/documents", new JsonObject().put("title", "Lease").put("text", "Either party may end this lease "
          + "with three months written notice."));
    }
    for (int i = 0; i < 12; i++) {
      send("remind me to drink water in " + (i + 2) + " hours");
    }
    String axe = axeSource();
    List<String> problems = new ArrayList<>();
    for (Dimension size : List.of(new Dimension(1280, 860), new Dimension(375, 812))) {
      driver.manage().window().setSize(size);
      for (String page : PAGES) {
        nav(page);
        settle(page);
        Object fits = js("const d = document.documentElement; return [d.scrollWidth, d.clientWidth, d.scrollHeight, d.clientHeight]");
        @SuppressWarnings("unchecked") List<Long> box = (List<Long>) fits;
        if (box.get(0) > box.get(1) || box.get(2) > box.get(3)) {
          problems.add(page + " at " + size.width + " px scrolls the whole page: " + box);
        }
        // Nor sideways within the page: what is wider than the page's own box (a table may scroll in its own).
        Object wider = js("""
            const p = document.getElementById('page-' + arguments[0]);
            if (p.scrollWidth <= p.clientWidth) return null;
            const right = p.getBoundingClientRect().left + p.clientWidth - parseFloat(getComputedStyle(p).paddingRight);
            return p.scrollWidth + ' > ' + p.clientWidth + ': ' + Array.from(p.querySelectorAll('*'))
              .filter(n => n.getBoundingClientRect().right > right + 1).slice(-5)
              .map(n => n.tagName + '.' + n.className + '#' + n.id).join(', ');
            """, page);
        if (wider != null) {
          problems.add(page + " at " + size.width + " px scrolls sideways: " + wider);
        }
        Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(),
            SCREENSHOTS.resolve(page + "-" + size.width + ".png"), StandardCopyOption.REPLACE_EXISTING);
        js(axe);
        Object found = ((JavascriptExecutor) driver).executeAsyncScript("""
            const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations
              .filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))),
              e => done(['axe failed: ' + e]));
            """);
        for (Object violation : (List<?>) found) {
          problems.add(page + " at " + size.width + " px: " + violation);
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  private void settle(String page) {
    switch (page) {
      case "today" -> wait.until(d -> d.findElements(By.cssSelector("#page-today .card-body .empty, #page-today .rows")).size() >= 3
          && d.findElements(By.xpath("//*[@id='page-today']//p[text()='Loading…']")).isEmpty());
      case "money" -> wait.until(d -> String.valueOf(js("return (document.getElementById('chart-month') || {}).dataset?.points")).contains("23.40"));
      case "lists" -> wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=note]")));
      case "calendar" -> wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".fc-event, .fc-list-event")));
      case "settings" -> wait.until(d -> !String.valueOf(d.findElement(By.id("settings-timezone")).getDomProperty("value")).isEmpty());
      case "memories" -> wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#memories [data-testid=memory]")));
      case "documents" -> wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=document][data-status=ready]")));
      default -> wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("message")));
    }
  }

  private void addMemory(String text, String type) {
    driver.findElement(By.id("memory-new")).sendKeys(text);
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("memory-new-type"))).selectByValue(type);
    driver.findElement(By.id("memory-add")).click();
    wait.until(d -> memoryTexts().contains(text));
  }

  private List<String> memoryTexts() {
    return driver.findElements(By.cssSelector("#memories > [data-testid=memory] > .mem-text")).stream()
        .map(WebElement::getText).toList();
  }

  private WebElement memoryItem(String text) {
    return driver.findElements(By.cssSelector("#memories > [data-testid=memory]")).stream()
        .filter(li -> li.findElement(By.className("mem-text")).getText().equals(text)).findFirst().orElseThrow();
  }

  private void upload(Path file, String title) {
    WebElement input = driver.findElement(By.id("document-file"));
    input.sendKeys(file.toAbsolutePath().toString());
    WebElement titleBox = driver.findElement(By.id("document-title"));
    titleBox.clear();
    if (title != null) {
      titleBox.sendKeys(title);
    }
    driver.findElement(By.id("document-upload")).click();
  }

  private void screenshot(String name) {
    try {
      Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(),
          SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String axeSource() throws IOException {
    try (InputStream in = WebAppPagesTest.class.getClassLoader().getResourceAsStream(AXE)) {
      assertThat(in).as(AXE).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private void register(String name, String email) {
    driver.findElement(By.id("show-register")).click();
    driver.findElement(By.id("name")).sendKeys(name);
    driver.findElement(By.id("email")).sendKeys(email);
    driver.findElement(By.id("password")).sendKeys("correct horse battery");
    driver.findElement(By.id("register")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("message")));
  }

  private void nav(String page) {
    driver.findElement(By.cssSelector("#pages-nav a[data-page='" + page + "']")).click();
    wait.until(ExpectedConditions.attributeToBe(By.cssSelector("#pages-nav a[data-page='" + page + "']"), "aria-current", "page"));
  }

  private void send(String text) {
    int replies = driver.findElements(By.cssSelector(".message.assistant")).size();
    WebElement box = driver.findElement(By.id("message"));
    box.sendKeys(text);
    driver.findElement(By.id("send")).click();
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".message.assistant"), replies + 1));
    wait.until(ExpectedConditions.elementToBeClickable(By.id("send")));
  }

  private WebElement lastAssistant() {
    List<WebElement> all = driver.findElements(By.cssSelector(".message.assistant"));
    return all.getLast();
  }

  private WebElement lastReply() {
    return lastAssistant().findElement(By.className("bubble"));
  }

  private String token() {
    return js("return localStorage.getItem('aide.token')").toString();
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }
}
