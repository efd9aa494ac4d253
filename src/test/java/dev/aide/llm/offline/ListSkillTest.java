package dev.aide.llm.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The offline model understands list requests in many phrasings")
class ListSkillTest {

  @ParameterizedTest(name = "\"{0}\" → {1} {2}")
  @DisplayName("each phrasing gives exactly the expected tool call")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      add milk to my shopping list                                  | addToList      | {"listName":"shopping","items":[{"text":"milk"}]}
      Add milk to my shopping list.                                 | addToList      | {"listName":"shopping","items":[{"text":"milk"}]}
      add 2 kg of apples and 3 bananas to the grocery list          | addToList      | {"listName":"grocery","items":[{"text":"apples","quantity":2,"unit":"kg"},{"text":"bananas","quantity":3}]}
      put sunscreen on the packing list                             | addToList      | {"listName":"packing","items":[{"text":"sunscreen"}]}
      add call the bank to my to-do list                            | addToList      | {"listName":"to-do","items":[{"text":"call the bank"}]}
      add go to the gym to my to-do list                            | addToList      | {"listName":"to-do","items":[{"text":"go to the gym"}]}
      please add eggs, butter and flour to the shopping list        | addToList      | {"listName":"shopping","items":[{"text":"eggs"},{"text":"butter"},{"text":"flour"}]}
      can you add 1.5 kg of potatoes to my grocery list?            | addToList      | {"listName":"grocery","items":[{"text":"potatoes","quantity":1.5,"unit":"kg"}]}
      add a bottle of wine to the party list                        | addToList      | {"listName":"party","items":[{"text":"wine","quantity":1,"unit":"bottle"}]}
      add two lemons and a dozen eggs to groceries                  | addToList      | {"listName":"groceries","items":[{"text":"lemons","quantity":2},{"text":"eggs","quantity":1,"unit":"dozen"}]}
      add 500 g of coffee to my shopping list                       | addToList      | {"listName":"shopping","items":[{"text":"coffee","quantity":500,"unit":"g"}]}
      put 2 grapefruits on the shopping list                        | addToList      | {"listName":"shopping","items":[{"text":"grapefruits","quantity":2}]}
      add an umbrella to my packing list                            | addToList      | {"listName":"packing","items":[{"text":"umbrella"}]}
      add some apples to my Grocery list                            | addToList      | {"listName":"grocery","items":[{"text":"apples"}]}
      stick batteries on the hardware store list                    | addToList      | {"listName":"hardware store","items":[{"text":"batteries"}]}
      what's on my grocery list                                     | showList       | {"listName":"grocery"}
      What’s on my shopping list?                                   | showList       | {"listName":"shopping"}
      what is on the packing list                                   | showList       | {"listName":"packing"}
      what's left on my to-do list                                  | showList       | {"listName":"to-do"}
      show me my groceries                                          | showList       | {"listName":"groceries"}
      read me my to-do list                                         | showList       | {"listName":"to-do"}
      show my lists                                                 | listLists      | {}
      what lists do I have?                                         | listLists      | {}
      list all my lists                                             | listLists      | {}
      cross off milk                                                | checkOffItems  | {"items":["milk"]}
      check off milk on my shopping list                            | checkOffItems  | {"listName":"shopping","items":["milk"]}
      tick off the eggs and the butter                              | checkOffItems  | {"items":["eggs","butter"]}
      cross milk off my grocery list                                | checkOffItems  | {"listName":"grocery","items":["milk"]}
      mark sunscreen as packed                                      | checkOffItems  | {"items":["sunscreen"]}
      mark call the bank as done on my to-do list                   | checkOffItems  | {"listName":"to-do","items":["call the bank"]}
      mark the tent as bought                                       | checkOffItems  | {"items":["tent"]}
      I bought the apples                                           | checkOffItems  | {"items":["apples"]}
      I've packed the sunscreen                                     | checkOffItems  | {"items":["sunscreen"]}
      I picked up the milk and the bread                            | checkOffItems  | {"items":["milk","bread"]}
      remove bananas from the grocery list                          | removeFromList | {"listName":"grocery","items":["bananas"]}
      take milk off my shopping list                                | removeFromList | {"listName":"shopping","items":["milk"]}
      delete the 3 bananas and the apples from my grocery list      | removeFromList | {"listName":"grocery","items":["bananas","apples"]}
      clear the done items from my grocery list                     | clearList      | {"listName":"grocery","onlyDone":true}
      remove the checked off items from the shopping list           | clearList      | {"listName":"shopping","onlyDone":true}
      delete all completed items on my to-do list                   | clearList      | {"listName":"to-do","onlyDone":true}
      clear my packing list                                         | clearList      | {"listName":"packing"}
      empty the shopping list                                       | clearList      | {"listName":"shopping"}
      remove everything from my grocery list                        | clearList      | {"listName":"grocery"}
      """)
  void phrasings(String text, String tool, String arguments) {
    ToolExecutionRequest call = OfflineTurn.call(text);

    assertThat(call).as("a tool call for \"%s\"", text).isNotNull();
    assertThat(call.name()).isEqualTo(tool);
    assertThat(new JsonObject(call.arguments())).isEqualTo(new JsonObject(arguments));
  }

  @ParameterizedTest(name = "\"{0}\" asks which list")
  @DisplayName("a list without a name to add to or clear is asked for, and nothing is called")
  @ValueSource(strings = {"add milk to my list", "clear my list"})
  void whichList(String text) {
    AiMessage answer = OfflineTurn.answer(text);

    assertThat(answer.hasToolExecutionRequests()).isFalse();
    assertThat(answer.text()).isEqualTo("Which list? For example: \"add milk to my shopping list\".");
  }

  @ParameterizedTest(name = "\"{0}\" is not a list request")
  @DisplayName("sentences about other things are not taken for list requests")
  @ValueSource(strings = {"what's on my calendar tomorrow", "I bought coffee for $4", "I got 3 parking tickets",
      "add a reminder to pay the electricity bill on the 5th at 8pm", "put it on my tab", "what is on tv tonight",
      "I got it", "mark call mom as done", "remove the dentist", "delete my reminder to call mom"})
  void notLists(String text) {
    ToolExecutionRequest call = OfflineTurn.call(text);

    assertThat(call == null ? null : call.name())
        .isNotIn("addToList", "showList", "checkOffItems", "removeFromList", "clearList", "listLists");
  }
}
