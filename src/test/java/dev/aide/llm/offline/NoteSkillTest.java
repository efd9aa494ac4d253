package dev.aide.llm.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The offline model understands note requests in many phrasings")
class NoteSkillTest {

  @ParameterizedTest(name = "\"{0}\" → {1} {2}")
  @DisplayName("each phrasing gives exactly the expected tool call")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      note: the wifi password is tulip42                        | createNote  | {"content":"the wifi password is tulip42"}
      Note: the wifi password is tulip42.                       | createNote  | {"content":"the wifi password is tulip42"}
      new note - gate code 4411                                 | createNote  | {"content":"gate code 4411"}
      take a note that the plumber comes Tuesday                | createNote  | {"content":"the plumber comes Tuesday"}
      please take a note: parking is on level 3                 | createNote  | {"content":"parking is on level 3"}
      can you make a note that the boiler was serviced in May   | createNote  | {"content":"the boiler was serviced in May"}
      make a note #work the quarterly review is moved           | createNote  | {"content":"the quarterly review is moved","tags":["work"]}
      note: #Work #HR new hire starts Monday                    | createNote  | {"content":"new hire starts Monday","tags":["work","hr"]}
      note: ask about the lease renewal #home                   | createNote  | {"content":"ask about the lease renewal","tags":["home"]}
      note that the #garage door code is 1234                   | createNote  | {"content":"the garage door code is 1234","tags":["garage"]}
      note down that the car needs new tyres                    | createNote  | {"content":"the car needs new tyres"}
      note down the passport number ends in 42                  | createNote  | {"content":"the passport number ends in 42"}
      jot down: dentist prefers mornings                        | createNote  | {"content":"dentist prefers mornings"}
      write this down: the router is in the hall cupboard       | createNote  | {"content":"the router is in the hall cupboard"}
      add a note saying the keys are with Jo                    | createNote  | {"content":"the keys are with Jo"}
      find my notes about the plumber                           | searchNotes | {"query":"plumber"}
      search my notes for wifi                                  | searchNotes | {"query":"wifi"}
      show me notes about the quarterly review                  | searchNotes | {"query":"quarterly review"}
      what did I note about wifi?                               | searchNotes | {"query":"wifi"}
      what did I write down about the lease                     | searchNotes | {"query":"lease"}
      what do my notes say about Sam                            | searchNotes | {"query":"Sam"}
      do I have any notes about the boiler                      | searchNotes | {"query":"boiler"}
      show my #work notes                                       | searchNotes | {"tag":"work"}
      list all my #Home notes                                   | searchNotes | {"tag":"home"}
      show notes tagged work                                    | searchNotes | {"tag":"work"}
      find my notes about #work                                 | searchNotes | {"tag":"work"}
      show my notes                                             | searchNotes | {}
      what are my latest notes                                  | searchNotes | {}
      """)
  void phrasings(String text, String tool, String arguments) {
    ToolExecutionRequest call = OfflineTurn.call(text);

    assertThat(call).as("a tool call for \"%s\"", text).isNotNull();
    assertThat(call.name()).isEqualTo(tool);
    assertThat(new JsonObject(call.arguments())).isEqualTo(new JsonObject(arguments));
  }

  @ParameterizedTest(name = "\"{0}\" is still a reminder")
  @DisplayName("reminder phrasings are never taken for notes or lists")
  @ValueSource(strings = {"remind me to buy milk tomorrow", "remind me that the plumber comes tomorrow at 9",
      "don't let me forget to note the meter reading tonight", "set a reminder to add milk to the shopping list at 5pm",
      "remind me to take a note of the meter tomorrow at 8am"})
  void remindersStayReminders(String text) {
    ToolExecutionRequest call = OfflineTurn.call(text);

    assertThat(call).isNotNull();
    assertThat(call.name()).isEqualTo("createReminder");
  }

  @Test
  @DisplayName("\"remind me to buy milk tomorrow\" creates a reminder at 09:00 tomorrow")
  void remindMeToBuyMilk() {
    ToolExecutionRequest call = OfflineTurn.call("remind me to buy milk tomorrow");

    assertThat(call.name()).isEqualTo("createReminder");
    assertThat(new JsonObject(call.arguments()))
        .isEqualTo(new JsonObject().put("text", "buy milk").put("dueAt", "2026-11-19T09:00:00+01:00"));
  }

  @ParameterizedTest(name = "\"{0}\" is not a note request")
  @DisplayName("other sentences are left alone")
  @ValueSource(strings = {"what is the meaning of life", "I noted it", "notes", "remember", "note:",
      "remember that Sam's birthday is March 3rd"})
  void notNotes(String text) {
    ToolExecutionRequest call = OfflineTurn.call(text);

    assertThat(call == null ? null : call.name()).isNotIn("createNote", "searchNotes");
  }
}
