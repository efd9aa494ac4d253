package dev.aide.connect;

import dev.aide.connect.CalDavException.Reason;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.io.ByteArrayInputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The WebDAV/CalDAV requests of one account (RFC 4918, 4791, 6578) over Vert.x's HTTP client, with basic
 * authentication, counted. Blocking: each call awaits its answer, so it runs on a virtual thread, never on an event
 * loop. Failures are {@link CalDavException}s whose messages name the server and the trouble, never the password.
 */
final class CalDavSession {

  static final String DAV = "DAV:";
  static final String CALDAV = "urn:ietf:params:xml:ns:caldav";
  static final String CALSERVER = "http://calendarserver.org/ns/";
  /** The most of a server's answer read: a calendar of several thousand events in one multistatus fits. */
  private static final int MAX_BODY = 64 * 1024 * 1024;

  private final Vertx vertx;
  private final HttpClient http;
  private final ServerAddresses addresses;
  private final URI base;
  private final String authorization;
  private final Duration timeout;
  private final AtomicInteger requests = new AtomicInteger();

  CalDavSession(Vertx vertx, HttpClient http, ServerAddresses addresses, URI base, String username, String password,
                Duration timeout) {
    this.vertx = vertx;
    this.http = http;
    this.addresses = addresses;
    this.base = base;
    this.authorization = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
        .getBytes(StandardCharsets.UTF_8));
    this.timeout = timeout;
  }

  /** How many requests this session made. */
  int requests() {
    return requests.get();
  }

  URI base() {
    return base;
  }

  /**
   * A server's reference (absolute or a path) as an absolute URI on the account's server.
   *
   * @throws CalDavException PROTOCOL when it names another scheme, host or port: the password goes to the account's
   *     server only
   */
  URI resolve(String href) {
    URI uri;
    try {
      uri = base.resolve(href);
    } catch (IllegalArgumentException e) {
      throw new CalDavException(Reason.PROTOCOL, "the server at " + host() + " named a reference that is not a URL");
    }
    if (!sameOrigin(uri)) {
      throw new CalDavException(Reason.PROTOCOL, "the server at " + host() + " pointed to another server ("
          + uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
          + "), which Aide does not follow");
    }
    return uri;
  }

  private boolean sameOrigin(URI uri) {
    return base.getScheme().equalsIgnoreCase(String.valueOf(uri.getScheme()))
        && base.getHost().equalsIgnoreCase(String.valueOf(uri.getHost())) && port(base) == port(uri);
  }

  private static int port(URI uri) {
    return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  /** One response of a multistatus: its href, status, and the properties that came with 200. */
  record DavResponse(String href, int status, Map<String, Element> props) {
    Element prop(String namespace, String name) {
      return props.get(namespace + " " + name);
    }

    String text(String namespace, String name) {
      Element e = prop(namespace, name);
      return e == null ? null : e.getTextContent().strip();
    }
  }

  /** A multistatus answer: its responses and, for a sync-collection REPORT, the new sync token. */
  record Multistatus(List<DavResponse> responses, String syncToken) {}

  /** An answer to a plain request: its status, ETag and body (as the server sent it, in bytes). */
  record Answer(int status, String etag, byte[] data, String location) {
    Answer(int status, String etag, byte[] data) {
      this(status, etag, data, null);
    }

    String body() {
      return new String(data, StandardCharsets.UTF_8);
    }
  }

  Multistatus propfind(URI target, int depth, String body) {
    Answer answer = send(HttpMethod.PROPFIND, target, body, Map.of("Depth", String.valueOf(depth)));
    return multistatus(target, answer);
  }

  Multistatus report(URI target, int depth, String body) {
    Answer answer = send(HttpMethod.REPORT, target, body, Map.of("Depth", String.valueOf(depth)));
    return multistatus(target, answer);
  }

  /** A REPORT whose failure status the caller wants to see (a sync-collection the server does not take). */
  /**
   * RFC 6764 §5: where the server's {@code /.well-known/caldav} redirects (its Location, as sent), or empty when it
   * does not. Asked when connecting an account only; the redirect is not followed here.
   */
  java.util.Optional<String> wellKnown() {
    Answer answer = send(HttpMethod.PROPFIND, base.resolve("/.well-known/caldav"), """
        <?xml version="1.0" encoding="utf-8"?>
        <d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/></d:prop></d:propfind>""",
        Map.of("Depth", "0"));
    boolean redirect = switch (answer.status()) {
      case 301, 302, 303, 307, 308 -> true;
      default -> false;
    };
    return redirect && answer.location() != null && !answer.location().isBlank()
        ? java.util.Optional.of(answer.location().strip()) : java.util.Optional.empty();
  }

  Answer reportRaw(URI target, int depth, String body) {
    return send(HttpMethod.REPORT, target, body, Map.of("Depth", String.valueOf(depth)));
  }

  Answer get(URI target) {
    return send(HttpMethod.GET, target, null, Map.of());
  }

  /** PUT of a calendar object: {@code ifMatch} an etag, or null with If-None-Match: * for a new one. */
  Answer put(URI target, String ics, String ifMatch) {
    Map<String, String> headers = new HashMap<>();
    headers.put("Content-Type", "text/calendar; charset=utf-8");
    if (ifMatch != null) {
      headers.put("If-Match", ifMatch);
    } else {
      headers.put("If-None-Match", "*");
    }
    return send(HttpMethod.PUT, target, ics, headers);
  }

  Answer delete(URI target, String ifMatch) {
    return send(HttpMethod.DELETE, target, null, ifMatch == null ? Map.of() : Map.of("If-Match", ifMatch));
  }

  /**
   * Sends a request and awaits it; 401 and transport failures become CalDavExceptions. Only to the account's server
   * (scheme, host and port), at an address {@link ServerAddresses} allows; a redirect is answered as it is, never
   * followed. The answer is read up to {@link #MAX_BODY} (a larger Content-Length, or a body growing past it, resets
   * the request), and the whole request — connecting, sending, every byte of the answer — must finish within the
   * timeout, or it is reset.
   */
  private Answer send(HttpMethod method, URI target, String body, Map<String, String> headers) {
    if (!sameOrigin(target)) {
      throw new CalDavException(Reason.PROTOCOL, "Aide does not send the account's password to " + target.getHost());
    }
    InetAddress address = addresses.pick(target.getHost());
    RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(target.toString())
        .setServer(SocketAddress.inetSocketAddress(port(target), address.getHostAddress()))
        .setFollowRedirects(false)
        .putHeader("Authorization", authorization)
        .putHeader("User-Agent", "Aide");
    headers.forEach(options::putHeader);
    Buffer payload = null;
    if (body != null) {
      if (!headers.containsKey("Content-Type")) {
        options.putHeader("Content-Type", "application/xml; charset=utf-8");
      }
      payload = Buffer.buffer(body, "UTF-8");
    }
    requests.incrementAndGet();
    Promise<Answer> result = Promise.promise();
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    long timer = vertx.setTimer(timeout.toMillis(), t -> {
      if (result.tryFail(new TimeoutException("no whole answer within the timeout"))) {
        HttpClientRequest r = sent.get();
        if (r != null) {
          r.reset(0);
        }
      }
    });
    Buffer toSend = payload;
    Context context = vertx.getOrCreateContext();
    // On one event loop: the handlers are in place before the first byte of the answer is delivered.
    context.runOnContext(v -> http.request(options).onFailure(result::tryFail).onSuccess(request -> {
      sent.set(request);
      if (result.future().isComplete()) {
        request.reset(0);
        return;
      }
      request.exceptionHandler(result::tryFail);
      (toSend == null ? request.send() : request.send(toSend)).onFailure(result::tryFail).onSuccess(response -> {
        response.exceptionHandler(result::tryFail);
        String length = response.getHeader("Content-Length");
        if (length != null && tooLong(length)) {
          tooLarge(result, request);
          return;
        }
        Buffer read = Buffer.buffer();
        response.handler(chunk -> {
          if (result.future().isComplete()) {
            return;
          }
          if ((long) read.length() + chunk.length() > MAX_BODY) {
            tooLarge(result, request);
          } else {
            read.appendBuffer(chunk);
          }
        });
        response.endHandler(end -> result.tryComplete(new Answer(response.statusCode(), response.getHeader("ETag"),
            read.getBytes(), response.getHeader("Location"))));
      });
    }));
    Answer answer;
    try {
      answer = result.future().await();
    } catch (TooLarge e) {
      throw new CalDavException(Reason.PROTOCOL, "the server at " + host() + " answered with more than "
          + MAX_BODY / (1024 * 1024) + " MB");
    } catch (Throwable e) {
      throw transport(e);
    } finally {
      vertx.cancelTimer(timer);
    }
    if (answer.status() == 401) {
      throw new CalDavException(Reason.UNAUTHORIZED, "the server at " + host() + " refused the username or password "
          + "(401)");
    }
    return answer;
  }

  private static boolean tooLong(String contentLength) {
    try {
      return Long.parseLong(contentLength.strip()) > MAX_BODY;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static void tooLarge(Promise<Answer> result, HttpClientRequest request) {
    if (result.tryFail(new TooLarge())) {
      request.reset(0);
    }
  }

  /** An answer longer than {@link #MAX_BODY}. */
  private static final class TooLarge extends RuntimeException {
    TooLarge() {
      super("answer too large", null, false, false);
    }
  }

  private CalDavException transport(Throwable e) {
    Throwable cause = e;
    while (cause != null) {
      if (cause instanceof SSLException || cause.getClass().getSimpleName().contains("Ssl")) {
        return new CalDavException(Reason.TLS, "the TLS connection to " + host() + " failed: "
            + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"));
      }
      if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
        return new CalDavException(Reason.UNREACHABLE, "cannot reach " + host() + ": "
            + (cause instanceof UnknownHostException ? "unknown host" : "connection refused"));
      }
      if (cause instanceof TimeoutException || cause.getClass().getSimpleName().contains("Timeout")) {
        return new CalDavException(Reason.UNREACHABLE, host() + " did not answer within " + timeout.toSeconds()
            + " s");
      }
      cause = cause.getCause();
    }
    return new CalDavException(Reason.UNREACHABLE, "cannot reach " + host() + ": " + e.getClass().getSimpleName());
  }

  private String host() {
    return base.getScheme() + "://" + base.getHost() + (base.getPort() < 0 ? "" : ":" + base.getPort());
  }

  private Multistatus multistatus(URI target, Answer answer) {
    if (answer.status() != 207) {
      throw new CalDavException(answer.status() == 404 || answer.status() == 405 ? Reason.NOT_CALDAV : Reason.PROTOCOL,
          "the server at " + host() + " answered " + answer.status() + " to a WebDAV request for "
              + target.getPath());
    }
    return parse(answer.data());
  }

  /** A multistatus document, read with the JDK's parser, namespaces aware, no DTDs or external entities. */
  Multistatus parse(byte[] xml) {
    Document doc;
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setExpandEntityReferences(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      doc = builder.parse(new ByteArrayInputStream(xml));
    } catch (Exception e) {
      throw new CalDavException(Reason.PROTOCOL, "the server at " + host() + " answered XML that does not parse");
    }
    Element root = doc.getDocumentElement();
    List<DavResponse> responses = new ArrayList<>();
    String syncToken = null;
    for (Element child : children(root)) {
      if (is(child, DAV, "sync-token")) {
        syncToken = child.getTextContent().strip();
      } else if (is(child, DAV, "response")) {
        responses.add(response(child));
      }
    }
    return new Multistatus(responses, syncToken);
  }

  private static DavResponse response(Element response) {
    String href = null;
    int status = 200;
    Map<String, Element> props = new HashMap<>();
    for (Element part : children(response)) {
      if (is(part, DAV, "href") && href == null) {
        href = part.getTextContent().strip();
      } else if (is(part, DAV, "status")) {
        status = status(part.getTextContent());
      } else if (is(part, DAV, "propstat")) {
        int propStatus = 200;
        List<Element> found = new ArrayList<>();
        for (Element p : children(part)) {
          if (is(p, DAV, "status")) {
            propStatus = status(p.getTextContent());
          } else if (is(p, DAV, "prop")) {
            found.addAll(children(p));
          }
        }
        if (propStatus / 100 == 2) {
          found.forEach(e -> props.put(e.getNamespaceURI() + " " + e.getLocalName(), e));
        }
      }
    }
    return new DavResponse(href, status, props);
  }

  /** "HTTP/1.1 404 Not Found" → 404. */
  private static int status(String line) {
    String[] parts = line.strip().split("\\s+");
    try {
      return parts.length > 1 ? Integer.parseInt(parts[1]) : 200;
    } catch (NumberFormatException e) {
      return 200;
    }
  }

  static boolean is(Element e, String namespace, String name) {
    return namespace.equals(e.getNamespaceURI()) && name.equals(e.getLocalName());
  }

  static List<Element> children(Element parent) {
    List<Element> out = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE) {
        out.add((Element) nodes.item(i));
      }
    }
    return out;
  }

  /** The text of the first DAV:href inside a property, or null. */
  static String href(Element property) {
    if (property == null) {
      return null;
    }
    for (Element child : children(property)) {
      if (is(child, DAV, "href")) {
        return child.getTextContent().strip();
      }
    }
    return null;
  }

  /** XML text with its special characters escaped. */
  static String xml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
