package dev.aide.support;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Awaitility's defaults for every test class (registered for all of them in META-INF/services): a condition is
 * checked at once and then every 25 ms. Its own default, a first look after 100 ms and every 100 ms, made each of the
 * suite's thousands of waits cost at least a tenth of a second even when what it waited for had already happened.
 */
public final class AwaitDefaults implements BeforeAllCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    Awaitility.setDefaultPollDelay(Duration.ZERO);
    Awaitility.setDefaultPollInterval(Duration.ofMillis(25));
  }
}
