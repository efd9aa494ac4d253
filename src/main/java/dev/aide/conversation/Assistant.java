package dev.aide.conversation;

import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.V;
import dev.langchain4j.service.memory.ChatMemoryAccess;

/**
 * The LangChain4j AI service that answers a person, calling Aide's tools. Its system prompt is
 * {@code /prompts/system.txt}, with {{now}}, {{name}} and {{profile}} filled in ({@link Assistants#SYSTEM}).
 */
public interface Assistant extends ChatMemoryAccess {

  Result<String> chat(@MemoryId ConversationKey key, @UserMessage String text, @V("now") String now,
                      @V("name") String name, @V("profile") String profile);
}
