package dev.aide.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A search names a period by a date written out, with its year")
class PeriodTest {

  @Test
  @DisplayName("a day, a month or a year, in the ways people write them")
  void written() {
    assertThat(Period.in("What did Maria do on May 3, 2023?")).isEqualTo(days("2023-05-03", "2023-05-04"));
    assertThat(Period.in("what movie did she watch on 1 May, 2022")).isEqualTo(days("2022-05-01", "2022-05-02"));
    assertThat(Period.in("on the 21st of September 2024?")).isEqualTo(days("2024-09-21", "2024-09-22"));
    assertThat(Period.in("Sept. 2, 2024")).isEqualTo(days("2024-09-02", "2024-09-03"));
    assertThat(Period.in("notes from 2026-02-28")).isEqualTo(days("2026-02-28", "2026-03-01"));
    assertThat(Period.in("What did I donate in December 2023?")).isEqualTo(days("2023-12-01", "2024-01-01"));
    assertThat(Period.in("How often did I swim in 2023?")).isEqualTo(days("2023-01-01", "2024-01-01"));
  }

  @Test
  @DisplayName("no period without a year, for impossible dates, or in other numbers")
  void notAPeriod() {
    assertThat(Period.in("what did I do in June?")).isNull();
    assertThat(Period.in("May I ask what the wifi password is?")).isNull();
    assertThat(Period.in("on February 30, 2023")).isNull();
    assertThat(Period.in("the gate code is 2023")).isNull();
    assertThat(Period.in("in 1700")).isNull();
  }

  private static Period days(String from, String until) {
    return new Period(LocalDate.parse(from), LocalDate.parse(until));
  }
}
