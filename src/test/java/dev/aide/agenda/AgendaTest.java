package dev.aide.agenda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.reminder.Reminder;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The /reminders answer shows each reminder's date as the person reads it")
class AgendaTest {

  private static Reminder reminder(String text, String dueAt) {
    OffsetDateTime due = OffsetDateTime.parse(dueAt);
    return new Reminder(UUID.randomUUID(), UUID.randomUUID(), text, due, null, Reminder.Status.PENDING, false, null,
        due);
  }

  @Test
  @DisplayName("a date outside the current year shows its year (an 1899 one, next January's); this year's does not")
  void yearsOutsideThisOne() {
    Instant now = Instant.parse("2026-12-03T16:00:00Z");
    Agenda.Pending pending = new Agenda.Pending(List.of(reminder("old", "1899-12-31T19:00:00-05:00"),
        reminder("presents", "2026-12-24T09:00:00+01:00"), reminder("gym", "2027-01-02T09:00:00+01:00")), now);

    assertThat(pending.text()).isEqualTo("""
        Your reminders:
        • Sun 31 Dec 1899 19:00 — old
        • Thu 24 Dec 09:00 — presents
        • Sat 2 Jan 2027 09:00 — gym""");
    assertThat(new Agenda.Pending(List.of(), now).text()).isEqualTo("You have no pending reminders.");
  }

  @Test
  @DisplayName("the year is the person's: 23:30 on New Year's Eve in their zone is still this year, though UTC is not")
  void yearInTheirZone() {
    Instant now = Instant.parse("2026-12-31T22:30:00Z"); // 23:30 in Paris, still 2026 there
    assertThat(new Agenda.Pending(List.of(reminder("toast", "2026-12-31T23:55:00+01:00")), now).text())
        .isEqualTo("Your reminders:\n• Thu 31 Dec 23:55 — toast");
  }
}
