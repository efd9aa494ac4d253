package dev.aide.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("A message is read as a request to undo only when it asks for that and nothing else")
class UndoRequestTest {

  @ParameterizedTest(name = "\"{0}\" asks to undo: {1}")
  @DisplayName("each message, read before any model")
  @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
      undo                                  | true
      Undo                                  | true
      UNDO!                                 | true
      '  undo  '                            | true
      undo.                                 | true
      undo that                             | true
      Undo that, please.                    | true
      undo it                               | true
      undo this                             | true
      please undo                           | true
      please, undo the last change          | true
      okay undo the last one                | true
      aide undo the last thing              | true
      undo the last                         | true
      ok, undo it please!                   | true
      NULL                                  | false
      ''                                    | false
      undo the reminder about mom           | false
      undo my last three changes            | false
      don't undo                            | false
      please don't undo that                | false
      undone                                | false
      undo?                                 | false
      can you undo that?                    | false
      undo that and delete my notes         | false
      redo                                  | false
      undo that, please. Also remind me     | false
      """)
  void matcher(String text, boolean asks) {
    assertThat(ConversationService.asksToUndo(text)).isEqualTo(asks);
  }
}
