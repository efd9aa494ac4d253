package dev.aide.llm.offline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Numbers and recurrences as people say them")
class SpokenNumbersTest {

  @ParameterizedTest(name = "\"{0}\" → \"{1}\"")
  @DisplayName("spoken numbers become the digits the time parser reads; other words stay")
  @CsvSource(delimiter = '|', textBlock = """
      wake me up at ten am                      | wake me up at 10 am
      set an alarm for five thirty              | set an alarm for 5:30
      eight ten pm                              | 8:10 pm
      six hundred and forty five am             | 6:45 am
      four hundred am                           | 4:00 am
      march twenty third                        | march 23rd
      the twenty second of january              | the 22nd of january
      april two                                 | april 2nd
      two thousand and seventeen                | 2017
      twelve o clock                            | 12 o'clock
      buy two lemons                            | buy 2 lemons
      call mom                                  | call mom
      """)
  void digits(String said, String read) {
    assertThat(SpokenNumbers.digits(said)).isEqualTo(read);
  }

  @ParameterizedTest(name = "\"{0}\" → {1}")
  @DisplayName("a recurrence becomes an RRULE and leaves the words of its first time")
  @CsvSource(delimiter = '|', textBlock = """
      every friday at 5pm submit hours          | FREQ=WEEKLY;BYDAY=FR                     | on friday at 5pm submit hours
      every other tuesday at 9                  | FREQ=WEEKLY;INTERVAL=2;BYDAY=TU          | tuesday at 9
      weekdays at 9                             | FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR         | at 9
      every day at 7am                          | FREQ=DAILY                               | at 7am
      every morning stretch                     | FREQ=DAILY                               | morning stretch
      on the 1st of every month pay rent        | FREQ=MONTHLY;BYMONTHDAY=1                | the 1st pay rent
      every june 3rd                            | FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=3       | june 3
      mary's birthday repeat every year         | FREQ=YEARLY                              | mary's birthday
      """)
  void recurrences(String said, String rrule, String rest) {
    Optional<Recurrences.Found> found = Recurrences.find(said);

    assertThat(found).isPresent();
    assertThat(found.get().rrule()).isEqualTo(rrule);
    assertThat(found.get().text()).isEqualTo(rest);
  }
}
