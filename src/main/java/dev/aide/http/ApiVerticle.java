package dev.aide.http;

import dev.aide.platform.error.DomainException;
import dev.aide.platform.http.Errors;
import dev.aide.platform.http.Params;
import dev.aide.platform.http.Upload;
import dev.aide.platform.input.Sizes;
import dev.aide.platform.module.Features;
import dev.aide.platform.module.HealthReport;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP server: health, metrics, the web chat page, the JSON API under /api/v1 and the channels' webhooks. */
public final class ApiVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);
  /** Room in a multipart upload for its boundaries, part headers and small form fields besides the file. */
  static final long FORM_OVERHEAD_BYTES = 64 * 1024;
  /** Set on a request whose upload route already ran the guards (before reading its body), so they do not run twice. */
  private static final String GUARDED = "aide.guarded";

  private final int port;
  private final long bodyLimitBytes;
  private final Path uploadsDir;
  private final Pool pool;
  private final PrometheusMeterRegistry metrics;
  private final MetricsAccess metricsAccess;
  private final List<Handler<RoutingContext>> guards;
  private final Features features;
  private final Map<String, HealthReport> reports;
  private HttpServer server;
  private Router router;
  private Router apiRouter;
  private Set<Route> openRoutes;

  /**
   * @param bodyLimitBytes the largest request body, but for the features' uploads, which have limits of their own
   * @param uploadsDir where uploaded files wait (each deleted once its request is answered)
   * @param guards what every /api/v1 route but the open ones passes first (the bearer token, the session)
   * @param features whose routes, webhooks and health reports the server serves
   */
  public ApiVerticle(int port, long bodyLimitBytes, Path uploadsDir, Pool pool, PrometheusMeterRegistry metrics,
                     MetricsAccess metricsAccess, List<Handler<RoutingContext>> guards, Features features) {
    this.port = port;
    this.bodyLimitBytes = bodyLimitBytes;
    this.uploadsDir = uploadsDir;
    this.pool = pool;
    this.metrics = metrics;
    this.metricsAccess = metricsAccess;
    this.guards = List.copyOf(guards);
    this.features = features;
    this.reports = features.health();
  }

  @Override
  public Future<?> start() {
    router = Router.router(vertx);
    router.route().failureHandler(Errors::handle);
    router.route().handler(Params::checkQuery);
    router.get("/health").handler(this::health);
    router.get("/metrics").handler(metricsAccess).handler(PrometheusScrapingHandler.create(metrics));
    router.route("/api/v1/*").subRouter(api());
    docs(router);
    bodies(router.route("/webhooks/*"));
    features.publicRoutes(router);
    // The page has no build step and no hashed file names: browsers revalidate it, so an upgrade shows at once.
    router.route("/*").handler(ctx -> {
      ctx.response().putHeader("cache-control", "no-cache");
      ctx.next();
    });
    // Versioned paths (/webjars/chart.js/4.5.1/…): a new version is a new address, so these may be cached.
    router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars").setMaxAgeSeconds(86_400 * 30));
    router.route("/*").handler(StaticHandler.create("webroot").setIndexPage("index.html").setCachingEnabled(false));
    router.route().handler(ctx -> ctx.fail(404));
    // Made once here, off the event loop; the body handler then only finds it there.
    return vertx.fileSystem().mkdirs(uploadsDir.toString())
        .compose(v -> vertx.createHttpServer().requestHandler(router).listen(port))
        .onSuccess(s -> {
          server = s;
          LOG.info("HTTP server listening on port {}", s.actualPort());
        });
  }

  private Router api() {
    Router api = Router.router(vertx);
    api.route().failureHandler(Errors::handle);
    features.uploads().forEach(upload -> upload(api, upload));
    bodies(api.route());
    List<Route> before = List.copyOf(api.getRoutes());
    features.openRoutes(api);
    openRoutes = api.getRoutes().stream().filter(r -> !before.contains(r)).collect(Collectors.toSet());
    guards.forEach(guard -> api.route().handler(ctx -> {
      if (Boolean.TRUE.equals(ctx.get(GUARDED))) {
        ctx.next();
      } else {
        guard.handle(ctx);
      }
    }));
    features.routes(api);
    api.route().handler(ctx -> ctx.fail(404));
    apiRouter = api;
    return api;
  }

  /**
   * The API's description, made once from the running router: {@code GET /api/openapi.json} (OpenAPI 3.1) and
   * {@code GET /api/docs}, Swagger UI reading it (its files from the swagger-ui WebJar, under /api/docs/ui/).
   */
  private void docs(Router root) {
    JsonObject document = OpenApi.document(OpenApi.operations(apiRouter.getRoutes(), openRoutes), features.uploads(),
        OpenApi.summaries(), "1");
    String json = document.encodePrettily();
    root.get("/api/openapi.json").handler(ctx -> ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8").end(json));
    root.get("/api/docs").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
        .sendFile("apidocs/index.html"));
    root.get("/api/docs/init.js").handler(ctx -> ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/javascript; charset=utf-8").sendFile("apidocs/init.js"));
    root.route("/api/docs/ui/*").handler(StaticHandler.create(OpenApi.swaggerUi()));
  }

  /** The running router, sub-routers included: what the input fuzzer walks to find every route. */
  public Router router() {
    return router;
  }

  /**
   * Reads request bodies (up to the limit: 413 beyond) for the methods that carry one. Not for GET and HEAD: Vert.x
   * refuses to decode a form body there and would fail the request with a 500.
   */
  private void bodies(Route route) {
    route.method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH).method(HttpMethod.DELETE)
        .handler(BodyHandler.create(false).setBodyLimit(bodyLimitBytes));
  }

  /**
   * Reads the body of a route that takes a file, before the general body handler (which then leaves it alone) and
   * with the upload's limit instead of the API's: a multipart file part goes to a temporary file in the uploads folder
   * (removed when the request is answered, or at once when it fails), any other body into memory. A body declared
   * larger than the limit is refused before it is read, and the guards (token, session) run before a byte of it is
   * read: the request stays paused through them (the JWT handler resumes it, so each guard pauses it again), and a
   * caller without a live session is answered 401 without Aide taking in their file. JSON is read by the general
   * handler, to the API's limit, and guarded as every route is.
   */
  private void upload(Router api, Upload upload) {
    long limit = upload.maxBytes() + FORM_OVERHEAD_BYTES;
    BodyHandler files = BodyHandler.create(true).setUploadsDirectory(uploadsDir.toString())
        .setDeleteUploadedFilesOnEnd(true).setBodyLimit(limit);
    Route route = api.route(upload.method(), upload.path());
    route.handler(ctx -> {
      String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
      if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
        ctx.next();
        return;
      }
      long declared = contentLength(ctx);
      if (declared > limit) {
        ctx.fail(DomainException.tooLarge("The file is larger than " + Sizes.of(upload.maxBytes())
            + ", the most Aide takes"));
        return;
      }
      ctx.put(GUARDED, false);
      ctx.next();
    });
    for (Handler<RoutingContext> guard : guards) {
      route.handler(ctx -> {
        if (Boolean.FALSE.equals(ctx.get(GUARDED))) {
          ctx.request().pause();
          guard.handle(ctx);
        } else {
          ctx.next();
        }
      });
    }
    route.handler(ctx -> {
      if (Boolean.FALSE.equals(ctx.get(GUARDED))) {
        ctx.put(GUARDED, true);
        files.handle(ctx);
      } else {
        ctx.next();
      }
    });
  }

  private static long contentLength(RoutingContext ctx) {
    try {
      return Long.parseLong(ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Every API route with a method and a path, as "POST /api/v1/reminders/:id", for tests that walk them all. */
  public List<String> apiRoutes() {
    return apiRouter.getRoutes().stream()
        .filter(r -> r.getPath() != null && r.methods() != null)
        .flatMap(r -> r.methods().stream().map(m -> m.name() + " /api/v1" + r.getPath()))
        .distinct().toList();
  }

  /** The port actually bound (the configured one, or a free one when 0 was asked for). */
  public int actualPort() {
    return server.actualPort();
  }

  /**
   * 200 with the database reachable, else 503; with each feature's figures (the scheduler's due but unclaimed
   * tasks and the oldest due age, the outbox's unsent and dead messages), for whoever watches the server. A feature
   * whose report says {@code "status":"degraded"} (the scheduler behind or stuck), or whose report fails, makes the
   * whole status {@code degraded} with its reasons, still 200: the server serves requests, and restarting it or taking
   * it out of a load balancer would not mend a backlog in the shared database.
   */
  private void health(RoutingContext ctx) {
    pool.query("select 1").execute().onComplete(ar -> {
      boolean up = ar.succeeded();
      JsonObject body = new JsonObject().put("status", up ? "ok" : "degraded").put("database", up ? "ok" : "unreachable");
      if (!up) {
        reply(ctx, 503, body);
        return;
      }
      List<String> names = List.copyOf(reports.keySet());
      Future.join(names.stream().map(name -> reports.get(name).report()).toList()).onComplete(all -> {
        JsonArray reasons = new JsonArray();
        for (int i = 0; i < names.size(); i++) {
          String name = names.get(i);
          if (all.result().succeeded(i)) {
            JsonObject report = all.result().resultAt(i);
            body.put(name, report);
            if ("degraded".equals(report.getString("status"))) {
              report.getJsonArray("reasons", new JsonArray()).forEach(r -> reasons.add(name + ": " + r));
            }
          } else {
            String error = String.valueOf(all.result().cause(i).getMessage());
            body.put(name, new JsonObject().put("error", error));
            reasons.add(name + ": could not be checked: " + error);
          }
        }
        if (!reasons.isEmpty()) {
          body.put("status", "degraded").put("reasons", reasons);
        }
        reply(ctx, 200, body);
      });
    });
  }

  private static void reply(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
