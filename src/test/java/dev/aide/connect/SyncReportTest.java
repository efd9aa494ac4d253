package dev.aide.connect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SyncReportTest {

  @Test
  @DisplayName("a sync and the one that followed it are told as one: the later outcome, both syncs' work added, and "
      + "what stayed skipped counted once (MicrosoftAccountTest.writeBack saw 2 for one unwritable event when a "
      + "background sync was running as it asked)")
  void then() {
    CalDavSync.Report first = new CalDavSync.Report(false, "timed out", 3, 5, 1, 2, 1, 1, 0.5);
    CalDavSync.Report second = new CalDavSync.Report(true, null, 2, 1, 0, 1, 0, 1, 0.25);

    CalDavSync.Report both = first.then(second);

    assertThat(both).isEqualTo(new CalDavSync.Report(true, null, 5, 6, 1, 3, 1, 1, 0.75));
    assertThat(second.then(first).skipped()).as("the larger count, whichever came first").isOne();
    assertThat(new CalDavSync.Report(true, null, 1, 0, 0, 0, 0, 3, 0.1).then(second).skipped()).isEqualTo(3);
  }
}
