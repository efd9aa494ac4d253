package dev.aide.platform.module;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import java.time.ZoneId;
import java.util.UUID;

/** A part of a person's data export: everything of one kind they have, times shown in their timezone. */
@FunctionalInterface
public interface Exporter {
  Future<JsonArray> export(UUID userId, ZoneId zone);
}
