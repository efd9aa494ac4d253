package dev.aide.platform.module;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * A part of /health: a feature's own figures (the scheduler's backlog, the outbox's dead letters). A report whose
 * {@code status} is {@code degraded} makes the whole status degraded, with its {@code reasons}.
 */
@FunctionalInterface
public interface HealthReport {
  Future<JsonObject> report();
}
