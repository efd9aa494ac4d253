package dev.aide.platform.module;

import dev.aide.platform.channel.ChannelSender;
import dev.aide.platform.database.HousekeepingVerticle;
import dev.aide.platform.http.Upload;
import dev.aide.platform.task.TaskHandler;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import io.vertx.ext.web.Router;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The features of this Aide, in order, and what they contribute taken together. */
public final class Features {

  private final List<Feature> features;

  public Features(List<? extends Feature> features) {
    this.features = List.copyOf(features);
  }

  public List<Feature> list() {
    return features;
  }

  public void openRoutes(Router api) {
    features.forEach(f -> f.openRoutes(api));
  }

  public void routes(Router api) {
    features.forEach(f -> f.routes(api));
  }

  public void publicRoutes(Router root) {
    features.forEach(f -> f.publicRoutes(root));
  }

  public List<Upload> uploads() {
    return features.stream().flatMap(f -> f.uploads().stream()).toList();
  }

  public List<Object> tools() {
    return features.stream().flatMap(f -> f.tools().stream()).toList();
  }

  public List<ContentRetriever> retrievers() {
    return features.stream().flatMap(f -> f.retrievers().stream()).toList();
  }

  public List<TaskHandler> taskHandlers() {
    return features.stream().flatMap(f -> f.taskHandlers().stream()).toList();
  }

  public List<ChannelSender> senders() {
    return features.stream().flatMap(f -> f.senders().stream()).toList();
  }

  public List<HousekeepingVerticle.Cleaner> cleaners() {
    return features.stream().flatMap(f -> f.cleaners().stream()).toList();
  }

  public Map<String, HealthReport> health() {
    return merged(Feature::health);
  }

  public Map<String, Exporter> exports() {
    return merged(Feature::exports);
  }

  /** The features' named parts in feature order; a name given twice is a wiring mistake. */
  private <T> Map<String, T> merged(Function<Feature, Map<String, T>> part) {
    Map<String, T> all = new LinkedHashMap<>();
    for (Feature feature : features) {
      part.apply(feature).forEach((name, value) -> {
        if (all.putIfAbsent(name, value) != null) {
          throw new IllegalStateException("two features contribute '" + name + "'");
        }
      });
    }
    return all;
  }
}
