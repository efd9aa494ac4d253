package dev.aide.support;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * When a test JVM's launcher session closes (its last test class has run), the spare template copy is dropped and the
 * drops still queued are done; registered in META-INF/services. A JVM's exit hooks are not enough: the build tool may
 * end a test JVM without running them.
 */
public final class TestDatabaseCleanup implements LauncherSessionListener {

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    TestDatabase.finishAll();
  }
}
