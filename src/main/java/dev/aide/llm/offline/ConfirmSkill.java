package dev.aide.llm.offline;

import static dev.aide.llm.offline.OfflineReplies.text;
import static dev.aide.llm.offline.OfflineReplies.toolCall;

import dev.langchain4j.model.chat.response.ChatResponse;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Answers to "Shall I go ahead?": a tool that would change several items asks first; "yes" repeats its call with
 * confirm=true, "no" leaves everything as it is.
 */
public final class ConfirmSkill implements OfflineSkill {

  /** How the offline model words a tool's request for confirmation to the person. */
  public static final String QUESTION = "Shall I go ahead?";
  /** The sentence tools address to the model when they need confirmation. */
  public static final String TOOL_ASKS = "Ask the user to confirm, then call again with confirm=true.";

  private static final Pattern YES = Pattern.compile("^(yes|yeah|yep|sure|ok|okay|confirm|confirmed|go ahead|do it|please do)( please| do it| go ahead)?$");
  private static final Pattern NO = Pattern.compile("^(no|nope|don't|do not|cancel|stop|never mind|leave it)( it| that)?$");

  @Override
  public Optional<ChatResponse> understand(OfflineRequest request) {
    if (request.previousQuestion().filter(q -> q.endsWith(QUESTION)).isEmpty() || request.lastToolCall().isEmpty()) {
      return Optional.empty();
    }
    String answer = request.normalized();
    if (YES.matcher(answer).matches()) {
      var call = request.lastToolCall().get();
      return Optional.of(toolCall(call.name(), new JsonObject(call.arguments()).put("confirm", true)));
    }
    if (NO.matcher(answer).matches()) {
      return Optional.of(text("Okay, I've left everything as it was."));
    }
    return Optional.empty();
  }
}
