package dev.aide.document;

import dev.aide.platform.time.Times;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.UUID;

/** A document the person gave Aide, and how far reading it has come. */
record Document(UUID id, String title, String filename, String mediaType, long sizeBytes, String status, String error,
                Integer pages, int chunksTotal, int chunksDone, OffsetDateTime createdAt, OffsetDateTime updatedAt,
                ZoneId zone) {

  JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("title", title)
        .put("filename", filename)
        .put("mediaType", mediaType)
        .put("sizeBytes", sizeBytes)
        .put("status", status)
        .put("error", error)
        .put("pages", pages)
        .put("chunks", chunksTotal)
        .put("chunksDone", chunksDone)
        .put("createdAt", Times.iso(createdAt, zone))
        .put("updatedAt", Times.iso(updatedAt, zone));
  }
}
