package dev.aide.llm.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The offline model understands what to remember and what to recall")
class MemorySkillTest {

  @ParameterizedTest(name = "\"{0}\" → {1} {2}")
  @DisplayName("each phrasing gives exactly the expected tool call")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      remember that Sam's birthday is March 3rd                 | remember | {"content":"Sam's birthday is March 3rd"}
      Remember that Sam’s birthday is March 3rd!                | remember | {"content":"Sam's birthday is March 3rd"}
      please remember: my locker is 218                         | remember | {"content":"my locker is 218"}
      keep in mind that I'm allergic to peanuts                 | remember | {"content":"I'm allergic to peanuts"}
      what do you know about Anna?                              | recall   | {"query":"Anna"}
      what did I tell you about the wifi at my parents'         | recall   | {"query":"the wifi at my parents'"}
      do you remember my passport number                        | recall   | {"query":"my passport number"}
      what did I say about the roof last spring?                | recall   | {"query":"the roof last spring"}
      what does my lease say about notice?                      | recall   | {"query":"my lease notice"}
      """)
  void phrasings(String text, String tool, String arguments) {
    ToolExecutionRequest call = OfflineTurn.call(text);

    assertThat(call).as("a tool call for \"%s\"", text).isNotNull();
    assertThat(call.name()).isEqualTo(tool);
    assertThat(new JsonObject(call.arguments())).isEqualTo(new JsonObject(arguments));
  }

  @ParameterizedTest(name = "\"{0}\" is a reminder")
  @DisplayName("reminding stays with reminders")
  @ValueSource(strings = {"remind me to remember the milk tomorrow at 9", "remember to call mom tomorrow at 5pm"})
  void remindersStayReminders(String text) {
    ToolExecutionRequest call = OfflineTurn.call(text);

    assertThat(call == null ? null : call.name()).isNotIn("remember", "recall");
  }
}
