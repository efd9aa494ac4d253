package dev.aide.llm.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The offline model turns availability questions into findFreeSlots and isFree calls")
class AvailabilitySkillTest {

  // Now is Wednesday 18 November 2026, 10:15 in Paris (OfflineTurn.NOW).

  private static Arguments slots(String text, String from, String to, int minutes) {
    return Arguments.of(text, "findFreeSlots",
        new JsonObject().put("from", from).put("to", to).put("durationMinutes", minutes).encode());
  }

  private static Arguments check(String text, String start, String end) {
    return Arguments.of(text, "isFree", new JsonObject().put("start", start).put("end", end).encode());
  }

  static Stream<Arguments> phrasings() {
    return Stream.of(
        slots("when am I free tomorrow afternoon for an hour", "2026-11-19T12:00:00+01:00",
            "2026-11-19T17:00:00+01:00", 60),
        slots("When am I free tomorrow afternoon for an hour?", "2026-11-19T12:00:00+01:00",
            "2026-11-19T17:00:00+01:00", 60),
        check("am I free on Friday at 3", "2026-11-20T15:00:00+01:00", "2026-11-20T16:00:00+01:00"),
        check("Am I free on Friday at 3?", "2026-11-20T15:00:00+01:00", "2026-11-20T16:00:00+01:00"),
        check("am I free tomorrow at 10am for 30 minutes", "2026-11-19T10:00:00+01:00", "2026-11-19T10:30:00+01:00"),
        check("am i available on monday at 2:30pm", "2026-11-23T14:30:00+01:00", "2026-11-23T15:30:00+01:00"),
        check("am I busy tomorrow at noon", "2026-11-19T12:00:00+01:00", "2026-11-19T13:00:00+01:00"),
        check("will I be free on Friday at 9 for 2 hours", "2026-11-20T09:00:00+01:00", "2026-11-20T11:00:00+01:00"),
        slots("do I have time on Monday morning", "2026-11-23T09:00:00+01:00", "2026-11-23T12:00:00+01:00", 30),
        slots("do I have any free time this afternoon", "2026-11-18T12:00:00+01:00",
            "2026-11-18T17:00:00+01:00", 30),
        slots("do I have time this morning for 30 minutes", "2026-11-18T10:15:00+01:00",
            "2026-11-18T12:00:00+01:00", 30),
        slots("find me a free hour this week", "2026-11-18T10:15:00+01:00", "2026-11-23T00:00:00+01:00", 60),
        slots("find a free slot next week for 90 minutes", "2026-11-23T00:00:00+01:00",
            "2026-11-30T00:00:00+01:00", 90),
        slots("what's a good time for a 45 minute call tomorrow", "2026-11-19T00:00:00+01:00",
            "2026-11-20T00:00:00+01:00", 45),
        slots("what's a good time for a meeting on Friday", "2026-11-20T00:00:00+01:00",
            "2026-11-21T00:00:00+01:00", 30),
        slots("when am I free on Thursday", "2026-11-19T00:00:00+01:00", "2026-11-20T00:00:00+01:00", 30),
        slots("when am I free", "2026-11-18T10:15:00+01:00", "2026-11-26T00:00:00+01:00", 30),
        slots("am I free tomorrow evening", "2026-11-19T17:00:00+01:00", "2026-11-19T21:00:00+01:00", 30),
        slots("when can I fit in an hour and a half on Monday", "2026-11-23T00:00:00+01:00",
            "2026-11-24T00:00:00+01:00", 90),
        slots("any free time on December 3rd", "2026-12-03T00:00:00+01:00", "2026-12-04T00:00:00+01:00", 30),
        slots("please find me half an hour tomorrow morning", "2026-11-19T09:00:00+01:00",
            "2026-11-19T12:00:00+01:00", 30));
  }

  @ParameterizedTest(name = "\"{0}\" → {1} {2}")
  @MethodSource("phrasings")
  @DisplayName("a phrasing gives exactly the expected tool call through the whole offline model")
  void phrasing(String text, String tool, String expected) {
    ToolExecutionRequest call = OfflineTurn.call(text);
    assertThat(call).as(text + " → " + OfflineTurn.answer(text).text()).isNotNull();
    assertThat(call.name()).as(text).isEqualTo(tool);
    assertThat(new JsonObject(call.arguments())).as(text).isEqualTo(new JsonObject(expected));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"what's on my calendar tomorrow", "schedule a meeting with Sam tomorrow at 3pm",
      "do I have anything on Friday", "remind me to call mom tomorrow at 5pm"})
  @DisplayName("other calendar and reminder requests are left to their skills")
  void leavesOthers(String text) {
    ToolExecutionRequest call = OfflineTurn.call(text);
    assertThat(call).isNotNull();
    assertThat(call.name()).isNotIn("findFreeSlots", "isFree");
  }
}
