package dev.aide.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven by its chromedriver, for the web page's tests: a profile of its own (removed on
 * close) and the browser's clock in New York, so the page's timezone prefill is what a New Yorker would see. Missing
 * browser: the test is skipped on a developer's machine and fails on CI (the launcher installs it there).
 */
public final class Chromium implements AutoCloseable {

  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  private final ChromeDriverService service;
  private final WebDriver driver;
  private final Path profile;

  private Chromium(ChromeDriverService service, WebDriver driver, Path profile) {
    this.service = service;
    this.driver = driver;
    this.profile = profile;
  }

  /** A browser started with the usual headless flags and these ones besides. */
  public static Chromium start(String... arguments) throws IOException {
    if (!Files.isExecutable(CHROMEDRIVER) || !Files.isExecutable(CHROMIUM)) {
      if (System.getenv("CI") != null) {
        fail("chromium and chromedriver must be installed under /usr/bin on CI (the launcher installs them)");
      }
      Assumptions.assumeTrue(false, "chromium or chromedriver is not installed under /usr/bin; skipping the browser test");
    }
    Path profile = Files.createTempDirectory("aide-chromium-");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().withEnvironment(Map.of("TZ", "America/New_York")).build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    List<String> flags = new ArrayList<>(List.of("--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile));
    flags.addAll(List.of(arguments));
    options.addArguments(flags);
    return new Chromium(service, new ChromeDriver(service, options), profile);
  }

  public WebDriver driver() {
    return driver;
  }

  @Override
  public void close() throws IOException {
    driver.quit();
    service.stop();
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
