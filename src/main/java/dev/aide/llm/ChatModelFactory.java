package dev.aide.llm;

import dev.aide.embedding.LocalEmbedder;
import dev.aide.llm.offline.IntentClassifier;
import dev.aide.llm.offline.OfflineChatModel;
import dev.aide.platform.config.AideConfig;
import dev.aide.platform.config.ConfigException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/** Builds the chat model the configuration names; the one place a new provider is added. */
public final class ChatModelFactory {

  private static final String DEFAULT_OPENAI_MODEL = "gpt-4o-mini";
  /**
   * Connections to the model's server: every turn waiting on a slow model holds one, so the pool is sized for
   * thousands of waiting turns, not for throughput; past it, turns queue in the client, never on a thread.
   */
  private static final int MODEL_CONNECTIONS = 4096;

  private ChatModelFactory() {}

  /**
   * The model; a provider over HTTP talks through Vert.x (see {@link VertxHttpClient}).
   *
   * @param e5 the in-process e5-small-v2 the offline model's intent classifier reads with (its examples and gate are
   *     chosen for that model, whatever model memory is configured with); it loads on the first message the rules do
   *     not recognise
   */
  public static ChatModel create(AideConfig.Llm llm, Vertx vertx, LocalEmbedder e5) {
    return switch (llm.provider()) {
      case "offline" -> new OfflineChatModel(new IntentClassifier(e5));
      case "openai" -> OpenAiChatModel.builder()
          .httpClientBuilder(VertxHttpClient.builder(WebClient.create(vertx, new WebClientOptions().setUserAgent("Aide"),
              new PoolOptions().setHttp1MaxSize(MODEL_CONNECTIONS))))
          .baseUrl(llm.baseUrl() == null ? "https://api.openai.com/v1" : llm.baseUrl().toString())
          .apiKey(llm.apiKey() == null ? "not-needed" : llm.apiKey())
          .modelName(modelName(llm))
          .timeout(llm.timeout())
          .maxRetries(1)
          .build();
      default -> throw new ConfigException("config llm.provider (AIDE_LLM_PROVIDER) '" + llm.provider()
          + "' is not available in this version; use offline or openai (an OpenAI-compatible endpoint such as Ollama's /v1)");
    };
  }

  /** The model name recorded with each response. */
  public static String modelName(AideConfig.Llm llm) {
    return switch (llm.provider()) {
      case "offline" -> "offline";
      case "openai" -> llm.model() == null ? DEFAULT_OPENAI_MODEL : llm.model();
      default -> llm.model() == null ? llm.provider() : llm.model();
    };
  }
}
