package dev.aide.platform.http;

import io.vertx.core.http.HttpMethod;

/**
 * A route that takes a file, with a size limit of its own instead of the API's body limit: its body is read before the
 * route's handlers run, a multipart file part streamed to a temporary file (deleted once the request is answered), a
 * raw body held in memory; beyond the limit the answer is 413 and nothing reaches the handler. A JSON body on the same
 * route is held to the API's limit like any other.
 *
 * @param maxBytes the largest file taken; a multipart body may carry a few kilobytes of form fields besides
 */
public record Upload(HttpMethod method, String path, long maxBytes) {}
