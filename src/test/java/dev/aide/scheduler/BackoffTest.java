package dev.aide.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A failed task's retries")
class BackoffTest {

  @Test
  @DisplayName("retries back off 1 s, 2 s, 4 s … up to half an hour")
  void backoff() {
    assertThat(SchedulerVerticle.backoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(SchedulerVerticle.backoff(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(SchedulerVerticle.backoff(4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(SchedulerVerticle.backoff(30)).isEqualTo(Duration.ofMinutes(30));
  }
}
