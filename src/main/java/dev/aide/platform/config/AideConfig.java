package dev.aide.platform.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** Aide's whole configuration, read once at start-up from conf/config.json and the AIDE_* environment variables. */
public record AideConfig(Http http, Database database, Jwt jwt, Llm llm, Stt stt, Telegram telegram, Twilio twilio,
                         Scheduler scheduler, Delivery delivery, Secrets secrets, Metrics metrics, Limits limits,
                         Embedding embedding, Documents documents, Memory memory, Accounts accounts,
                         OAuth oauth, Smtp smtp) {

  /**
   * The HTTP server: port (0 picks a free one), public URL, request body limit (routes that take files have limits of
   * their own), the reverse proxies whose X-Forwarded-For is believed (IP addresses or CIDR ranges; empty: the
   * socket's peer is the client), and the folder uploaded files are streamed to until their request is answered.
   */
  public record Http(int port, URI publicUrl, long bodyLimitBytes, List<String> trustedProxies,
                     java.nio.file.Path uploadsDir) {}

  /** The PostgreSQL database, as a postgresql:// URL. */
  public record Database(DatabaseUrl url, int poolSize) {}

  /**
   * Sessions: the JWTs' HMAC secret (null means generate and store one), how long an access token lives, and how long
   * a session lasts without being refreshed (its refresh token's life).
   */
  public record Jwt(String secret, Duration ttl, Duration refreshTtl) {}

  /** The chat model: provider (offline, openai, anthropic, ollama), endpoint, key and model name. */
  public record Llm(String provider, URI baseUrl, String apiKey, String model, Duration timeout, int historyMessages) {
    public String modelLabel() {
      return model == null ? provider : provider + ":" + model;
    }
  }

  /**
   * Speech to text for voice notes and POST /voice/audio, through an OpenAI-compatible /audio/transcriptions endpoint;
   * off when no URL. {@code maxBytes}: the largest recording /voice/audio takes (OpenAI's limit is 25 MB).
   */
  public record Stt(URI baseUrl, String apiKey, String model, long maxBytes) {
    public boolean enabled() {
      return baseUrl != null;
    }

    @Override
    public String toString() {
      return "Stt[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "<set>") + ", model=" + model
          + ", maxBytes=" + maxBytes + "]";
    }
  }

  /**
   * The Telegram channel; enabled when a bot token is set. Telegram allows a bot about 30 messages a second and one
   * per chat (more with paid broadcasts), which the delivery verticle keeps to.
   */
  public record Telegram(String botToken, URI apiUrl, String webhookSecret, String mode, int messagesPerSecond,
                         int messagesPerChatPerSecond) {
    public boolean enabled() {
      return botToken != null;
    }

    /** The configured mode, else webhook when the public URL is https (reachable by Telegram), else polling. */
    public String effectiveMode(URI publicUrl) {
      if (mode != null) {
        return mode;
      }
      return publicUrl != null && "https".equals(publicUrl.getScheme()) ? "webhook" : "polling";
    }
  }

  /**
   * SMS and WhatsApp through Twilio; enabled when an account SID is set. A long code sends about one SMS a second,
   * which the delivery verticle keeps to per channel and per recipient ({@code messagesPerSecond}). On a phone call,
   * how long a webhook waits for the assistant's answer before the caller hears "One moment" ({@code callWait}):
   * well inside the 15 seconds Twilio waits for a webhook.
   */
  public record Twilio(String accountSid, String authToken, String fromNumber, URI apiUrl, int messagesPerSecond,
                       Duration callWait) {
    public boolean enabled() {
      return accountSid != null;
    }

    @Override
    public String toString() {
      return "Twilio[accountSid=" + accountSid + ", authToken=" + (authToken == null ? "none" : "<set>")
          + ", fromNumber=" + fromNumber + ", apiUrl=" + apiUrl + ", messagesPerSecond=" + messagesPerSecond
          + ", callWait=" + callWait + "]";
    }
  }

  /**
   * The scheduler: how often it looks for due tasks when nothing woke it, after how long without a heartbeat another
   * instance takes a claimed task over, how many tasks it claims at once and runs at a time, and how many attempts a
   * failing task gets before it gives up.
   */
  public record Scheduler(Duration pollInterval, Duration takeoverTimeout, int batchSize, int maxInFlight,
                          int maxAttempts) {}

  /**
   * The outbox: its own connections (so confirming a sent message never waits behind other work), and after how long
   * a message claimed by an instance that never finished sending it (it stopped) is sent again. Longer than any channel takes to answer; a message in flight when an instance dies may then arrive twice.
   */
  public record Delivery(Duration claimTimeout, int poolSize) {}

  /**
   * The key that encrypts the secrets Aide stores (32 bytes, from AIDE_SECRET_KEY; null means the key file, generated
   * when missing), and the keys it replaced (AIDE_SECRET_KEY_PREVIOUS): they still open what they sealed until the
   * background rotation has sealed it again with the current key. Every instance sharing a database needs the same
   * keys.
   */
  public record Secrets(byte[] key, java.nio.file.Path keyFile, List<byte[]> previousKeys) {
    public Secrets {
      previousKeys = previousKeys == null ? List.of() : List.copyOf(previousKeys);
    }

    public Secrets(byte[] key, java.nio.file.Path keyFile) {
      this(key, keyFile, List.of());
    }

    @Override
    public String toString() {
      return "Secrets[key=" + (key == null ? "from " + keyFile : "<set>") + ", previous keys=" + previousKeys.size()
          + "]";
    }
  }

  /** Who may read /metrics: a bearer token, or (null) only requests from this machine's loopback address. */
  public record Metrics(String token) {
    @Override
    public String toString() {
      return "Metrics[token=" + (token == null ? "none, loopback only" : "<set>") + "]";
    }
  }

  /**
   * Abuse limits, shared by every instance through the database. Sign-in: per account and per client address, a few
   * failures are free, then each attempt waits twice as long as the last (from 1 s, at most loginMaxDelay), failures
   * being forgotten loginForgetAfter after the last. The others count per fixed window; 0 turns a limit off.
   */
  public record Limits(int loginFreeAttemptsPerAccount, int loginFreeAttemptsPerAddress, Duration loginMaxDelay,
                       Duration loginForgetAfter, int registrationsPerAddressPerHour,
                       int passwordResetsPerAddressPerHour, int chatTurnsPerMinute, int remindersPerHour,
                       int remindersPerDay) {}

  /**
   * The embedding model that makes memories, messages and document chunks searchable by meaning: {@code local} (an
   * ONNX model in the process, all-MiniLM-L6-v2 quantized, no network) or {@code openai} (an OpenAI-compatible
   * {@code /v1/embeddings} endpoint at baseUrl with the key and model). How many of the best memories and passages go
   * into each turn's prompt is bounded by {@code promptTokens}.
   */
  public record Embedding(String provider, URI baseUrl, String apiKey, String model, int promptTokens) {
    @Override
    public String toString() {
      return "Embedding[provider=" + provider + ", baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "<set>")
          + ", model=" + model + ", promptTokens=" + promptTokens + "]";
    }
  }

  /** Documents a person gives Aide: the largest file taken, through the API or a messaging channel. */
  public record Documents(long maxBytes) {}

  /**
   * How Aide learns from each turn: {@code auto} (the configured chat model, as a second call after the reply; offline
   * the patterns), {@code patterns} (the offline patterns only, with any model: no second call), {@code off} (nothing
   * is learned in passing; "remember that …" still works).
   */
  public record Memory(String learning) {

    public static final java.util.Set<String> LEARNING = java.util.Set.of("auto", "patterns", "off");
  }

  /**
   * Connected accounts (CalDAV calendars): how often each is synced when nothing asks sooner, how long a request to
   * its server may take (from start to last byte), and whether an account's server may be on this machine
   * (loopback: off by default, as a server address a person types must not reach Aide's own neighbours).
   */
  public record Accounts(Duration syncInterval, Duration requestTimeout, boolean allowLoopback) {}

  /** The OAuth clients for Google and Microsoft calendar accounts. */
  public record OAuth(OAuthClient google, OAuthClient microsoft) {}

  /**
   * One provider's OAuth client (off when clientId is null) and its endpoints: authorization, token, revocation (null:
   * the provider has none, as Microsoft's identity platform), the calendar API's base URL, and the IMAP and SMTP
   * servers its mail is read and sent through with XOAUTH2, as host:port:security (ssl, starttls; plain only to a
   * server on this machine).
   */
  public record OAuthClient(String clientId, String clientSecret, URI authorizeUrl, URI tokenUrl, URI revokeUrl,
                            URI apiUrl, String imap, String smtp) {
    public boolean enabled() {
      return clientId != null;
    }

    @Override
    public String toString() {
      return "OAuthClient[clientId=" + clientId + ", clientSecret=" + (clientSecret == null ? "none" : "<set>")
          + ", authorizeUrl=" + authorizeUrl + ", tokenUrl=" + tokenUrl + ", revokeUrl=" + revokeUrl + ", apiUrl="
          + apiUrl + ", imap=" + imap + ", smtp=" + smtp + "]";
    }
  }

  /**
   * Aide's own outgoing email (a channel like Telegram or SMS): the SMTP server it sends through, off without a host.
   * {@code security}: ssl (TLS from the first byte, port 465), starttls (required, not opportunistic) or none (only
   * without a login or to this machine: a password never crosses a network in clear). {@code from}: the address Aide's
   * mail comes from.
   */
  public record Smtp(String host, int port, String username, String password, String from, String security,
                     int messagesPerSecond) {
    public boolean enabled() {
      return host != null;
    }

    @Override
    public String toString() {
      return "Smtp[host=" + host + ", port=" + port + ", username=" + username + ", password="
          + (password == null ? "none" : "<set>") + ", from=" + from + ", security=" + security
          + ", messagesPerSecond=" + messagesPerSecond + "]";
    }
  }
}
