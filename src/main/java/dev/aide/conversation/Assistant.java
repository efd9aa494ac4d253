package dev.aide.conversation;

import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.V;
import dev.langchain4j.service.memory.ChatMemoryAccess;

/** The LangChain4j AI service that answers a person, calling Aide's tools. */
public interface Assistant extends ChatMemoryAccess {

  @SystemMessage(fromResource = "/prompts/system.txt")
  Result<String> chat(@MemoryId ConversationKey key, @UserMessage String text, @V("now") String now,
                      @V("name") String name, @V("profile") String profile);
}
