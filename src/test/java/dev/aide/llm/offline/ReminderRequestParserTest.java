package dev.aide.llm.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.llm.offline.ReminderRequest.Complete;
import dev.aide.llm.offline.ReminderRequest.MissingText;
import dev.aide.llm.offline.ReminderRequest.MissingTime;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The reminder request parser splits a user's reminder request into its task and due time")
class ReminderRequestParserTest {

  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  /** Wednesday 18 November 2026, 10:15 in Paris. */
  private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 18, 10, 15, 0, 0, PARIS);

  private final ReminderRequestParser parser = new ReminderRequestParser();

  private static ZonedDateTime paris(String localDateTime) {
    return ZonedDateTime.of(LocalDateTime.parse(localDateTime), PARIS);
  }

  @ParameterizedTest(name = "\"{0}\" → \"{1}\" at {2}")
  @DisplayName("complete requests give the task in the user's words and the due time")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      remind me to call mom tomorrow at 5pm                             | call mom                          | 2026-11-19T17:00
      Remind me tomorrow at 5pm to call mom                             | call mom                          | 2026-11-19T17:00
      tomorrow at 5pm remind me to call mom                             | call mom                          | 2026-11-19T17:00
      Tomorrow at 5pm, remind me to call mom.                           | call mom                          | 2026-11-19T17:00
      please remind me to call mom tomorrow at 5pm                      | call mom                          | 2026-11-19T17:00
      Can you remind me to call mom tomorrow at 5pm?                    | call mom                          | 2026-11-19T17:00
      remind me tomorrow to call mom at 5pm                             | call mom                          | 2026-11-19T17:00
      remind me to call mom at 5pm tomorrow please                      | call mom                          | 2026-11-19T17:00
      could you remind me to water the plants in 20 minutes             | water the plants                  | 2026-11-18T10:35
      would you please remind me to take out the trash tonight          | take out the trash                | 2026-11-18T20:00
      remind me about the dentist appointment on Friday at 9            | the dentist appointment           | 2026-11-20T09:00
      remind me that the rent is due on the 1st                         | the rent is due                   | 2026-12-01T09:00
      remind me that I promised to call Sam tomorrow evening            | I promised to call Sam            | 2026-11-19T19:00
      don't let me forget to buy milk this evening                      | buy milk                          | 2026-11-18T19:00
      do not let me forget to send the report by friday                 | send the report                   | 2026-11-20T09:00
      don't let me forget my keys at 8am                                | my keys                           | 2026-11-19T08:00
      don't forget to remind me to book flights next Monday morning     | book flights                      | 2026-11-23T09:00
      set a reminder to renew my passport on 3 March                    | renew my passport                 | 2027-03-03T09:00
      set a reminder for 5pm to call mom                                | call mom                          | 2026-11-18T17:00
      set a reminder for the dentist on Friday at 9                     | the dentist                       | 2026-11-20T09:00
      set a reminder for next Monday morning to call the landlord       | call the landlord                 | 2026-11-23T09:00
      set a reminder tomorrow at 8am to pay rent                        | pay rent                          | 2026-11-19T08:00
      set reminder to call mom in 3 days                                | call mom                          | 2026-11-21T10:15
      can you set a reminder to call the vet at 10:30?                  | call the vet                      | 2026-11-18T10:30
      I'd like to set a reminder to call mom tomorrow                   | call mom                          | 2026-11-19T09:00
      create a reminder to stretch in an hour                           | stretch                           | 2026-11-18T11:15
      add a reminder to pay the electricity bill on the 5th at 8pm      | pay the electricity bill          | 2026-12-05T20:00
      schedule a reminder to renew the car insurance on 5 January 2027  | renew the car insurance           | 2027-01-05T09:00
      make a reminder about the school play on Thursday at 6pm          | the school play                   | 2026-11-19T18:00
      new reminder: team standup tomorrow at 9:30                       | team standup                      | 2026-11-19T09:30
      reminder: pick up the kids at 3:30                                | pick up the kids                  | 2026-11-18T15:30
      reminder to book the restaurant on Saturday at 7pm                | book the restaurant               | 2026-11-21T19:00
      I need to call the bank at 2pm, remind me                         | call the bank                     | 2026-11-18T14:00
      I have to submit the form tomorrow so remind me                   | submit the form                   | 2026-11-19T09:00
      I need to pick up the dry cleaning, remind me tomorrow at 5       | pick up the dry cleaning          | 2026-11-19T17:00
      ping me to check the oven in 20 minutes                           | check the oven                    | 2026-11-18T10:35
      ping me about the build in 20 minutes                             | the build                         | 2026-11-18T10:35
      nudge me in half an hour to stand up                              | stand up                          | 2026-11-18T10:45
      alert me to switch off the oven in 45 minutes                     | switch off the oven               | 2026-11-18T11:00
      remind me in 2 hours to move the car                              | move the car                      | 2026-11-18T12:15
      remind me at noon to eat lunch                                    | eat lunch                         | 2026-11-18T12:00
      remind me on Friday at 9 to submit the timesheet                  | submit the timesheet              | 2026-11-20T09:00
      remind me at 9 tomorrow about the standup                         | the standup                       | 2026-11-19T09:00
      at noon on Friday remind me to order pizza                        | order pizza                       | 2026-11-20T12:00
      remind me to call mom at 5                                        | call mom                          | 2026-11-18T17:00
      Remind me to call Mom at 5 PM!                                    | call Mom                          | 2026-11-18T17:00
      Please remind me to stretch at 11.                                | stretch                           | 2026-11-18T11:00
      remind me to take my pills at 8 tonight                           | take my pills                     | 2026-11-18T20:00
      remind me to call Grandma on Sunday evening                       | call Grandma                      | 2026-11-22T19:00
      Remind me to buy a birthday gift for Anna on March 3rd            | buy a birthday gift for Anna      | 2027-03-03T09:00
      remind me to check the mail at half past 3                        | check the mail                    | 2026-11-18T15:30
      remind me to leave for the airport at quarter to 6                | leave for the airport             | 2026-11-18T17:45
      remind me to file taxes on 2027-01-05                             | file taxes                        | 2027-01-05T09:00
      remind me to call the plumber on 3/14                             | call the plumber                  | 2027-03-14T09:00
      remind me to lock the door in 90 mins                             | lock the door                     | 2026-11-18T11:45
      remind me to call dad in 1 hour and 30 minutes                    | call dad                          | 2026-11-18T11:45
      remind me to water the garden this weekend                        | water the garden                  | 2026-11-21T09:00
      remind me to back up the laptop next tues                         | back up the laptop                | 2026-11-24T09:00
      remind me to go to the gym tomorrow morning please                | go to the gym                     | 2026-11-19T09:00
      remind me please to call mom tomorrow                             | call mom                          | 2026-11-19T09:00
      "hey aide, remind me to feed the cat at 7 in the evening"         | feed the cat                      | 2026-11-18T19:00
      remind me to send Bob the slides at 5pm tomorrow                  | send Bob the slides               | 2026-11-19T17:00
      remind me to read chapter 5 tomorrow                              | read chapter 5                    | 2026-11-19T09:00
      remind me to buy 2 tickets for the 8pm show tomorrow at noon      | buy 2 tickets for the 8pm show    | 2026-11-19T12:00
      remind me to call the office in a week                            | call the office                   | 2026-11-25T10:15
      could you remind me to call mom at 5pm on Friday                  | call mom                          | 2026-11-20T17:00
      remind me to pay the nanny on the 20th                            | pay the nanny                     | 2026-11-20T09:00
      remind me to wish Tom happy birthday on 25 December               | wish Tom happy birthday           | 2026-12-25T09:00
      remind me to put the laundry in the dryer in 40 minutes           | put the laundry in the dryer      | 2026-11-18T10:55
      remind me to watch the sunset at 4:45pm                           | watch the sunset                  | 2026-11-18T16:45
      remind me to call mom the day after tomorrow                      | call mom                          | 2026-11-20T09:00
      remind me to put on sunscreen at noon                             | put on sunscreen                  | 2026-11-18T12:00
      Remind me about that meeting on Friday                            | that meeting                      | 2026-11-20T09:00
      remind me to call mom, tomorrow at 5pm                            | call mom                          | 2026-11-19T17:00
      Remind me at 5pm to call mom tomorrow                             | call mom                          | 2026-11-19T17:00
      can you remind me tomorrow morning to water the plants?           | water the plants                  | 2026-11-19T09:00
      I should call mom tonight, can you remind me?                     | call mom                          | 2026-11-18T20:00
      remind me to call mom tmrw at 6                                   | call mom                          | 2026-11-19T18:00
      ok remind me to stop the washing machine at 14:45                 | stop the washing machine          | 2026-11-18T14:45
      remind me to take the 8:15 train tomorrow                         | take the 8:15 train               | 2026-11-19T09:00
      remind me to check the sun tomorrow                               | check the sun                     | 2026-11-19T09:00
      remind me to buy tickets for May 5                                | buy tickets                       | 2027-05-05T09:00
      set a reminder called dentist for Friday at 9                     | dentist                           | 2026-11-20T09:00
      reminder for friday: buy flowers                                  | buy flowers                       | 2026-11-20T09:00
      "Don't let me forget: passport renewal on 3 march"                | passport renewal                  | 2027-03-03T09:00
      """)
  void complete(String request, String text, String due) {
    assertThat(parser.parse(request, NOW)).contains(new Complete(text, paris(due)));
  }

  @ParameterizedTest(name = "\"{0}\" → \"{1}\", time missing")
  @DisplayName("requests without a time keep the task so that the caller can ask when")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      remind me to call mom                          | call mom
      Please remind me to buy milk.                  | buy milk
      can you remind me to call the dentist?         | call the dentist
      don't let me forget to water the plants        | water the plants
      don't forget to buy eggs                       | buy eggs
      set a reminder to renew my passport            | renew my passport
      remind me about the meeting                    | the meeting
      new reminder: call the bank                    | call the bank
      remind me to water the plants every morning    | water the plants every morning
      remind me to put on sunscreen in the sun       | put on sunscreen in the sun
      remind me to call room 12                      | call room 12
      remind me to fix the sat nav                   | fix the sat nav
      remind me to leave before 5pm                  | leave before 5pm
      remind me to study until Friday                | study until Friday
      remind me to pick up Sam at 3:15 on Thursdays  | pick up Sam at 3:15 on Thursdays
      remind me to call mom in a bit                 | call mom in a bit
      remind me to do it at 25:00                    | do it at 25:00
      """)
  void missingTime(String request, String text) {
    assertThat(parser.parse(request, NOW)).contains(new MissingTime(text));
  }

  @ParameterizedTest(name = "\"{0}\" is due {1}, task missing")
  @DisplayName("requests with a time but no task keep the time so that the caller can ask what")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      set a reminder for tomorrow at 5pm    | 2026-11-19T17:00
      remind me tomorrow at 5pm             | 2026-11-19T17:00
      remind me in 20 minutes               | 2026-11-18T10:35
      ping me in an hour                    | 2026-11-18T11:15
      create a reminder for Friday at 9     | 2026-11-20T09:00
      can you remind me at noon?            | 2026-11-18T12:00
      """)
  void missingText(String request, String due) {
    assertThat(parser.parse(request, NOW)).contains(new MissingText(paris(due)));
  }

  @ParameterizedTest(name = "\"{0}\" is not a reminder request")
  @DisplayName("messages that are not reminder requests, or name neither task nor time, are not understood")
  @NullAndEmptySource
  @ValueSource(strings = {
    "what's the weather", "remind", "remind me", "Remind me!", "set a reminder", "ping me",
    "what reminders do I have?", "delete my reminder to call mom", "tell me a joke",
    "how do I remind myself to drink water", "notify me when the build finishes",
    "the weather tomorrow at 5pm", "I don't forget things", "who reminded me to call mom"
  })
  void notUnderstood(String request) {
    assertThat(parser.parse(request, NOW)).isEmpty();
  }

  @Test
  @DisplayName("quotes inside the task are kept and quotes around it are dropped")
  void quotes() {
    assertThat(parser.parse("Remind me to email Jane \"the contract\" on Monday", NOW))
        .contains(new Complete("email Jane \"the contract\"", paris("2026-11-23T09:00")));
    assertThat(parser.parse("remind me to \u201cbook the hotel\u201d", NOW))
        .contains(new MissingTime("book the hotel"));
  }

  @Test
  @DisplayName("due times across the Paris spring change are in summer time")
  void daylightSaving() {
    ZonedDateTime now = ZonedDateTime.of(2027, 3, 27, 10, 0, 0, 0, PARIS);
    ReminderRequest request = parser.parse("remind me to call mom tomorrow at 5pm", now).orElseThrow();
    assertThat(request).isInstanceOfSatisfying(Complete.class, complete -> {
      assertThat(complete.dueAt()).isEqualTo(ZonedDateTime.parse("2027-03-28T17:00+02:00[Europe/Paris]"));
      assertThat(complete.dueAt().toInstant()).isEqualTo(Instant.parse("2027-03-28T15:00:00Z"));
    });
  }

  @Test
  @DisplayName("due times are in the user's own zone")
  void newYork() {
    ZoneId newYork = ZoneId.of("America/New_York");
    ZonedDateTime now = ZonedDateTime.of(2026, 11, 18, 10, 15, 0, 0, newYork);
    assertThat(parser.parse("remind me to call mom tomorrow at 5pm", now))
        .contains(new Complete("call mom", ZonedDateTime.of(2026, 11, 19, 17, 0, 0, 0, newYork)));
    assertThat(parser.parse("ping me to stretch in 20 minutes", now).map(r -> ((Complete) r).dueAt().toInstant()))
        .contains(Instant.parse("2026-11-18T15:35:00Z"));
  }
}
