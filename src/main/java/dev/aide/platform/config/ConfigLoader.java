package dev.aide.platform.config;

import dev.aide.platform.http.ClientAddress;
import dev.aide.platform.secret.SecretKeys;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads conf/config.json (or the copy inside the jar) and overrides each key with its AIDE_* environment variable.
 * The environment is passed in, so nothing else in Aide reads it.
 */
public final class ConfigLoader {

  /** Every overridable key and the variable that overrides it. */
  static final Map<String, String> VARIABLES = variables();

  private static final Set<String> PROVIDERS = Set.of("offline", "openai", "anthropic", "ollama");
  private static final Set<String> EMBEDDING_PROVIDERS = Set.of("local", "openai");
  /** The in-process embedding models Aide ships (embedding.LocalEmbedder.Kind), by name. */
  private static final Set<String> LOCAL_EMBEDDING_MODELS = Set.of("e5-small-v2-q", "all-minilm-l6-v2-q");
  private static final Set<String> TELEGRAM_MODES = Set.of("webhook", "polling");
  /** Where the generated secret key lives when AIDE_SECRET_KEY is not set; "~" is the user's home. */
  static final String DEFAULT_KEY_FILE = "~/.config/aide/secret.key";
  /** 20 MiB: what Telegram lets a bot download, so a document is welcome on every channel up to the same size. */
  static final int DEFAULT_DOCUMENT_BYTES = 20 * 1024 * 1024;
  /** 25 MB: the most OpenAI's transcription endpoint takes; Groq and local Whisper servers take as much or more. */
  static final int DEFAULT_AUDIO_BYTES = 25 * 1000 * 1000;

  private ConfigLoader() {}

  public static AideConfig load(Path file, Map<String, String> env) {
    JsonObject json = read(file);
    VARIABLES.forEach((key, variable) -> {
      String value = env.get(variable);
      if (value != null && !value.isBlank()) {
        put(json, key, value.trim());
      }
    });
    return toConfig(json);
  }

  private static Map<String, String> variables() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("http.port", "AIDE_HTTP_PORT");
    m.put("http.publicUrl", "AIDE_PUBLIC_URL");
    m.put("database.url", "AIDE_DATABASE_URL");
    m.put("database.poolSize", "AIDE_DATABASE_POOL_SIZE");
    m.put("http.trustedProxies", "AIDE_HTTP_TRUSTED_PROXIES");
    m.put("http.bodyLimitBytes", "AIDE_HTTP_BODY_LIMIT_BYTES");
    m.put("http.uploadsDir", "AIDE_HTTP_UPLOADS_DIR");
    m.put("jwt.secret", "AIDE_JWT_SECRET");
    m.put("jwt.ttlSeconds", "AIDE_JWT_TTL_SECONDS");
    m.put("jwt.refreshTtlDays", "AIDE_JWT_REFRESH_TTL_DAYS");
    m.put("llm.provider", "AIDE_LLM_PROVIDER");
    m.put("llm.baseUrl", "AIDE_LLM_BASE_URL");
    m.put("llm.apiKey", "AIDE_LLM_API_KEY");
    m.put("llm.model", "AIDE_LLM_MODEL");
    m.put("llm.timeoutSeconds", "AIDE_LLM_TIMEOUT_SECONDS");
    m.put("stt.baseUrl", "AIDE_STT_BASE_URL");
    m.put("stt.apiKey", "AIDE_STT_API_KEY");
    m.put("stt.model", "AIDE_STT_MODEL");
    m.put("stt.maxBytes", "AIDE_STT_MAX_BYTES");
    m.put("telegram.botToken", "AIDE_TELEGRAM_BOT_TOKEN");
    m.put("telegram.apiUrl", "AIDE_TELEGRAM_API_URL");
    m.put("telegram.webhookSecret", "AIDE_TELEGRAM_WEBHOOK_SECRET");
    m.put("telegram.mode", "AIDE_TELEGRAM_MODE");
    m.put("telegram.messagesPerSecond", "AIDE_TELEGRAM_MESSAGES_PER_SECOND");
    m.put("telegram.messagesPerChatPerSecond", "AIDE_TELEGRAM_MESSAGES_PER_CHAT_PER_SECOND");
    m.put("twilio.accountSid", "AIDE_TWILIO_ACCOUNT_SID");
    m.put("twilio.authToken", "AIDE_TWILIO_AUTH_TOKEN");
    m.put("twilio.fromNumber", "AIDE_TWILIO_FROM_NUMBER");
    m.put("twilio.apiUrl", "AIDE_TWILIO_API_URL");
    m.put("twilio.messagesPerSecond", "AIDE_TWILIO_MESSAGES_PER_SECOND");
    m.put("twilio.callWaitMillis", "AIDE_TWILIO_CALL_WAIT_MILLIS");
    m.put("scheduler.pollMillis", "AIDE_SCHEDULER_POLL_MILLIS");
    m.put("scheduler.takeoverSeconds", "AIDE_SCHEDULER_TAKEOVER_SECONDS");
    m.put("scheduler.batchSize", "AIDE_SCHEDULER_BATCH_SIZE");
    m.put("scheduler.maxInFlight", "AIDE_SCHEDULER_MAX_IN_FLIGHT");
    m.put("scheduler.maxAttempts", "AIDE_SCHEDULER_MAX_ATTEMPTS");
    m.put("delivery.claimTimeoutSeconds", "AIDE_DELIVERY_CLAIM_TIMEOUT_SECONDS");
    m.put("delivery.poolSize", "AIDE_DELIVERY_POOL_SIZE");
    m.put("secret.key", "AIDE_SECRET_KEY");
    m.put("secret.keyFile", "AIDE_SECRET_KEY_FILE");
    m.put("secret.previousKeys", "AIDE_SECRET_KEY_PREVIOUS");
    m.put("metrics.token", "AIDE_METRICS_TOKEN");
    m.put("limits.loginFreeAttemptsPerAccount", "AIDE_LIMITS_LOGIN_FREE_ATTEMPTS_PER_ACCOUNT");
    m.put("limits.loginFreeAttemptsPerAddress", "AIDE_LIMITS_LOGIN_FREE_ATTEMPTS_PER_ADDRESS");
    m.put("limits.loginMaxDelaySeconds", "AIDE_LIMITS_LOGIN_MAX_DELAY_SECONDS");
    m.put("limits.loginForgetAfterMinutes", "AIDE_LIMITS_LOGIN_FORGET_AFTER_MINUTES");
    m.put("limits.registrationsPerAddressPerHour", "AIDE_LIMITS_REGISTRATIONS_PER_ADDRESS_PER_HOUR");
    m.put("limits.passwordResetsPerAddressPerHour", "AIDE_LIMITS_PASSWORD_RESETS_PER_ADDRESS_PER_HOUR");
    m.put("limits.chatTurnsPerMinute", "AIDE_LIMITS_CHAT_TURNS_PER_MINUTE");
    m.put("limits.remindersPerHour", "AIDE_LIMITS_REMINDERS_PER_HOUR");
    m.put("limits.remindersPerDay", "AIDE_LIMITS_REMINDERS_PER_DAY");
    m.put("embedding.provider", "AIDE_EMBEDDING_PROVIDER");
    m.put("embedding.baseUrl", "AIDE_EMBEDDING_BASE_URL");
    m.put("embedding.apiKey", "AIDE_EMBEDDING_API_KEY");
    m.put("embedding.model", "AIDE_EMBEDDING_MODEL");
    m.put("embedding.promptTokens", "AIDE_EMBEDDING_PROMPT_TOKENS");
    m.put("documents.maxBytes", "AIDE_DOCUMENTS_MAX_BYTES");
    m.put("memory.learning", "AIDE_MEMORY_LEARNING");
    m.put("accounts.syncMinutes", "AIDE_ACCOUNTS_SYNC_MINUTES");
    m.put("accounts.requestTimeoutSeconds", "AIDE_ACCOUNTS_REQUEST_TIMEOUT_SECONDS");
    m.put("accounts.allowLoopback", "AIDE_ACCOUNTS_ALLOW_LOOPBACK");
    m.put("google.clientId", "AIDE_GOOGLE_CLIENT_ID");
    m.put("google.clientSecret", "AIDE_GOOGLE_CLIENT_SECRET");
    m.put("google.authorizeUrl", "AIDE_GOOGLE_AUTHORIZE_URL");
    m.put("google.tokenUrl", "AIDE_GOOGLE_TOKEN_URL");
    m.put("google.revokeUrl", "AIDE_GOOGLE_REVOKE_URL");
    m.put("google.apiUrl", "AIDE_GOOGLE_API_URL");
    m.put("google.imap", "AIDE_GOOGLE_IMAP");
    m.put("google.smtp", "AIDE_GOOGLE_SMTP");
    m.put("microsoft.clientId", "AIDE_MICROSOFT_CLIENT_ID");
    m.put("microsoft.clientSecret", "AIDE_MICROSOFT_CLIENT_SECRET");
    m.put("microsoft.tenant", "AIDE_MICROSOFT_TENANT");
    m.put("microsoft.loginUrl", "AIDE_MICROSOFT_LOGIN_URL");
    m.put("microsoft.graphUrl", "AIDE_MICROSOFT_GRAPH_URL");
    m.put("smtp.host", "AIDE_SMTP_HOST");
    m.put("smtp.port", "AIDE_SMTP_PORT");
    m.put("smtp.username", "AIDE_SMTP_USERNAME");
    m.put("smtp.password", "AIDE_SMTP_PASSWORD");
    m.put("smtp.from", "AIDE_SMTP_FROM");
    m.put("smtp.security", "AIDE_SMTP_SECURITY");
    m.put("smtp.messagesPerSecond", "AIDE_SMTP_MESSAGES_PER_SECOND");
    m.put("microsoft.imap", "AIDE_MICROSOFT_IMAP");
    m.put("microsoft.smtp", "AIDE_MICROSOFT_SMTP");
    return Map.copyOf(m);
  }

  private static JsonObject read(Path file) {
    try {
      if (file != null && Files.isRegularFile(file)) {
        return new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
      }
      try (InputStream in = ConfigLoader.class.getResourceAsStream("/config.json")) {
        if (in == null) {
          throw new ConfigException("config: neither " + file + " nor the built-in config.json was found");
        }
        return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new ConfigException("config: cannot read " + file + ": " + e.getMessage());
    } catch (DecodeException e) {
      throw new ConfigException("config: " + file + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  private static void put(JsonObject json, String key, String value) {
    String[] path = key.split("\\.");
    JsonObject section = json.getJsonObject(path[0]);
    if (section == null) {
      section = new JsonObject();
      json.put(path[0], section);
    }
    section.put(path[1], value);
  }

  private static AideConfig toConfig(JsonObject json) {
    Reader r = new Reader(json);
    String provider = r.string("llm.provider", "offline");
    if (!PROVIDERS.contains(provider)) {
      throw r.invalid("llm.provider", "must be one of offline, openai, anthropic, ollama");
    }
    String telegramMode = r.string("telegram.mode", null);
    if (telegramMode != null && !TELEGRAM_MODES.contains(telegramMode)) {
      throw r.invalid("telegram.mode", "must be webhook or polling");
    }
    String webhookSecret = r.string("telegram.webhookSecret", null);
    if (webhookSecret != null && !webhookSecret.matches("[A-Za-z0-9_-]{1,256}")) {
      throw r.invalid("telegram.webhookSecret", "may contain only A-Z a-z 0-9 _ - (1 to 256 characters)");
    }
    return new AideConfig(
        new AideConfig.Http(r.integer("http.port", 8080, 0, 65535), r.url("http.publicUrl", "http://localhost:8080"),
            r.integer("http.bodyLimitBytes", 1_048_576, 1024, Integer.MAX_VALUE), r.proxies("http.trustedProxies"),
            uploadsDir(r)),
        new AideConfig.Database(r.databaseUrl("database.url"), r.integer("database.poolSize", 16, 1, 1000)),
        new AideConfig.Jwt(r.string("jwt.secret", null),
            Duration.ofSeconds(r.integer("jwt.ttlSeconds", 900, 10, 86_400)),
            Duration.ofDays(r.integer("jwt.refreshTtlDays", 30, 1, 3650))),
        new AideConfig.Llm(provider, r.url("llm.baseUrl", null), r.string("llm.apiKey", null),
            r.string("llm.model", null), Duration.ofSeconds(r.integer("llm.timeoutSeconds", 120, 1, 3600)),
            r.integer("llm.historyMessages", 20, 2, 500)),
        new AideConfig.Stt(r.url("stt.baseUrl", null), r.string("stt.apiKey", null), r.string("stt.model", null),
            r.integer("stt.maxBytes", DEFAULT_AUDIO_BYTES, 1024, Integer.MAX_VALUE)),
        new AideConfig.Telegram(r.string("telegram.botToken", null),
            r.url("telegram.apiUrl", "https://api.telegram.org"), webhookSecret, telegramMode,
            r.integer("telegram.messagesPerSecond", 30, 1, 100_000),
            r.integer("telegram.messagesPerChatPerSecond", 1, 1, 10_000)),
        twilio(r),
        new AideConfig.Scheduler(Duration.ofMillis(r.integer("scheduler.pollMillis", 5_000, 50, 3_600_000)),
            Duration.ofSeconds(r.integer("scheduler.takeoverSeconds", 10, 1, 3600)),
            r.integer("scheduler.batchSize", 500, 1, 10_000), r.integer("scheduler.maxInFlight", 1000, 1, 100_000),
            r.integer("scheduler.maxAttempts", 10, 1, 20)),
        new AideConfig.Delivery(Duration.ofSeconds(r.integer("delivery.claimTimeoutSeconds", 60, 1, 3600)),
            r.integer("delivery.poolSize", 4, 1, 100)),
        secrets(r),
        new AideConfig.Metrics(metricsToken(r)),
        new AideConfig.Limits(r.integer("limits.loginFreeAttemptsPerAccount", 5, 1, 1_000_000),
            r.integer("limits.loginFreeAttemptsPerAddress", 20, 1, 1_000_000),
            Duration.ofSeconds(r.integer("limits.loginMaxDelaySeconds", 900, 1, 86_400)),
            Duration.ofMinutes(r.integer("limits.loginForgetAfterMinutes", 60, 1, 10_080)),
            r.integer("limits.registrationsPerAddressPerHour", 10, 0, 1_000_000),
            r.integer("limits.passwordResetsPerAddressPerHour", 10, 0, 1_000_000),
            r.integer("limits.chatTurnsPerMinute", 30, 0, 1_000_000),
            r.integer("limits.remindersPerHour", 60, 0, 1_000_000),
            r.integer("limits.remindersPerDay", 300, 0, 10_000_000)),
        embedding(r),
        new AideConfig.Documents(r.integer("documents.maxBytes", DEFAULT_DOCUMENT_BYTES, 1024, Integer.MAX_VALUE)),
        memory(r),
        new AideConfig.Accounts(Duration.ofMinutes(r.integer("accounts.syncMinutes", 5, 1, 1440)),
            Duration.ofSeconds(r.integer("accounts.requestTimeoutSeconds", 30, 1, 600)),
            r.flag("accounts.allowLoopback", false)),
        oauth(r),
        smtp(r));
  }

  /**
   * Aide's SMTP server, when a host is given: then the address mail comes from is needed too. The security defaults
   * to ssl on port 465 and starttls elsewhere; none is refused with a login to a server off this machine.
   */
  private static AideConfig.Smtp smtp(Reader r) {
    String host = r.string("smtp.host", null);
    int port = r.integer("smtp.port", 587, 1, 65535);
    String security = r.string("smtp.security", port == 465 ? "ssl" : "starttls");
    String username = r.string("smtp.username", null);
    String password = r.string("smtp.password", null);
    String from = r.string("smtp.from", null);
    if (host != null) {
      if (!host.matches("[A-Za-z0-9.:\\[\\]-]{1,253}")) {
        throw r.invalid("smtp.host", "must be a host name or an IP address");
      }
      if (!Set.of("ssl", "starttls", "none").contains(security)) {
        throw r.invalid("smtp.security", "must be ssl, starttls or none");
      }
      if (from == null || !dev.aide.platform.channel.EmailAddresses.isValid(from)) {
        throw r.invalid("smtp.from", "is needed with AIDE_SMTP_HOST: the address Aide's mail comes from "
            + "(e.g. aide@example.com)");
      }
      if ((username == null) != (password == null)) {
        throw r.invalid("smtp.password", "AIDE_SMTP_USERNAME and AIDE_SMTP_PASSWORD go together");
      }
      boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("::1")
          || host.equals("[::1]");
      if (security.equals("none") && password != null && !loopback) {
        throw r.invalid("smtp.security", "none would send the SMTP password in clear to " + host
            + ": use starttls or ssl");
      }
    }
    return new AideConfig.Smtp(host, port, username, password, from, security,
        r.integer("smtp.messagesPerSecond", 5, 1, 10_000));
  }

  /**
   * The OAuth clients Aide signs people in to Google and Microsoft with (each off without its client id), and their
   * endpoints: the providers' own unless overridden (a test's fake servers).
   */
  private static AideConfig.OAuth oauth(Reader r) {
    String tenant = r.string("microsoft.tenant", "common");
    if (!tenant.matches("[A-Za-z0-9.-]{1,100}")) {
      throw r.invalid("microsoft.tenant", "must be common, organizations, consumers, a tenant id or a domain");
    }
    String login = r.url("microsoft.loginUrl", "https://login.microsoftonline.com").toString().replaceAll("/+$", "");
    return new AideConfig.OAuth(
        new AideConfig.OAuthClient(r.string("google.clientId", null), r.string("google.clientSecret", null),
            r.url("google.authorizeUrl", "https://accounts.google.com/o/oauth2/v2/auth"),
            r.url("google.tokenUrl", "https://oauth2.googleapis.com/token"),
            r.url("google.revokeUrl", "https://oauth2.googleapis.com/revoke"),
            r.url("google.apiUrl", "https://www.googleapis.com/calendar/v3"),
            mailServer(r, "google.imap", "imap.gmail.com:993:ssl"),
            mailServer(r, "google.smtp", "smtp.gmail.com:587:starttls")),
        new AideConfig.OAuthClient(r.string("microsoft.clientId", null), r.string("microsoft.clientSecret", null),
            java.net.URI.create(login + "/" + tenant + "/oauth2/v2.0/authorize"),
            java.net.URI.create(login + "/" + tenant + "/oauth2/v2.0/token"), null,
            r.url("microsoft.graphUrl", "https://graph.microsoft.com/v1.0"),
            mailServer(r, "microsoft.imap", "outlook.office365.com:993:ssl"),
            mailServer(r, "microsoft.smtp", "smtp.office365.com:587:starttls")));
  }

  /** A provider's IMAP or SMTP server for XOAUTH2 mail: host:port:security. */
  private static String mailServer(Reader r, String key, String fallback) {
    String value = r.string(key, fallback).strip();
    if (!value.matches("[A-Za-z0-9.-]{1,253}:\\d{1,5}:(ssl|starttls|plain)")
        || Integer.parseInt(value.substring(value.indexOf(':') + 1, value.lastIndexOf(':'))) > 65535) {
      throw r.invalid(key, "must be host:port:security, e.g. " + fallback);
    }
    return value;
  }

  private static AideConfig.Memory memory(Reader r) {
    String learning = r.string("memory.learning", "auto");
    if (!AideConfig.Memory.LEARNING.contains(learning)) {
      throw r.invalid("memory.learning", "must be auto, patterns or off");
    }
    return new AideConfig.Memory(learning);
  }

  /**
   * Twilio, when an account SID is given: then its auth token (which signs every webhook) and the sending number, in
   * E.164, are needed too, or SMS could neither be checked nor answered.
   */
  private static AideConfig.Twilio twilio(Reader r) {
    String sid = r.string("twilio.accountSid", null);
    String token = r.string("twilio.authToken", null);
    String from = r.string("twilio.fromNumber", null);
    if (sid != null) {
      if (!sid.matches("AC[0-9a-fA-F]{32}")) {
        throw r.invalid("twilio.accountSid", "must be AC followed by 32 hexadecimal digits (the Account SID in the "
            + "Twilio Console)");
      }
      if (token == null || token.isBlank()) {
        throw r.invalid("twilio.authToken", "is needed with AIDE_TWILIO_ACCOUNT_SID: it signs Twilio's webhooks");
      }
      if (from == null || !from.matches("\\+[1-9][0-9]{6,14}")) {
        throw r.invalid("twilio.fromNumber", "must be the Twilio number Aide sends from, in E.164 (e.g. +14155550100)");
      }
    }
    return new AideConfig.Twilio(sid, token, from, r.url("twilio.apiUrl", "https://api.twilio.com"),
        r.integer("twilio.messagesPerSecond", 1, 1, 10_000),
        Duration.ofMillis(r.integer("twilio.callWaitMillis", 8_000, 100, 12_000)));
  }

  /** The uploads folder: as configured ("~" is the user's home), else aide-uploads in the system's temporary folder. */
  private static Path uploadsDir(Reader r) {
    String dir = r.string("http.uploadsDir", null);
    if (dir == null) {
      return Path.of(System.getProperty("java.io.tmpdir"), "aide-uploads");
    }
    return dir.equals("~") || dir.startsWith("~/")
        ? Path.of(System.getProperty("user.home"), dir.substring(1).replaceFirst("^/", ""))
        : Path.of(dir);
  }

  private static AideConfig.Embedding embedding(Reader r) {
    String provider = r.string("embedding.provider", "local");
    if (!EMBEDDING_PROVIDERS.contains(provider)) {
      throw r.invalid("embedding.provider", "must be local or openai");
    }
    URI baseUrl = r.url("embedding.baseUrl", null);
    String model = r.string("embedding.model", null);
    if (provider.equals("openai") && (baseUrl == null || model == null)) {
      throw r.invalid("embedding.provider", "openai needs AIDE_EMBEDDING_BASE_URL and AIDE_EMBEDDING_MODEL");
    }
    if (provider.equals("local") && model != null && !LOCAL_EMBEDDING_MODELS.contains(model)) {
      throw r.invalid("embedding.model", "with the local provider must be e5-small-v2-q or all-minilm-l6-v2-q");
    }
    return new AideConfig.Embedding(provider, baseUrl, r.string("embedding.apiKey", null), model,
        r.integer("embedding.promptTokens", 600, 0, 100_000));
  }

  /** Never echoes a secret's value in an error: the message may reach a log. */
  private static AideConfig.Secrets secrets(Reader r) {
    String encoded = r.string("secret.key", null);
    byte[] key = null;
    if (encoded != null) {
      key = SecretKeys.decode(encoded);
      if (key == null) {
        throw r.invalid("secret.key", "must be 32 bytes in base64, e.g. the output of: openssl rand -base64 32");
      }
    }
    String file = r.string("secret.keyFile", DEFAULT_KEY_FILE);
    List<byte[]> previous = new ArrayList<>();
    String older = r.string("secret.previousKeys", null);
    if (older != null) {
      int position = 0;
      for (String one : older.split(",")) {
        position++;
        if (one.isBlank()) {
          continue;
        }
        byte[] decoded = SecretKeys.decode(one);
        if (decoded == null) {
          throw r.invalid("secret.previousKeys", "must be a comma-separated list of 32-byte keys in base64; key "
              + position + " is not one");
        }
        previous.add(decoded);
      }
    }
    return new AideConfig.Secrets(key, file.equals("~") || file.startsWith("~/")
        ? Path.of(System.getProperty("user.home"), file.substring(1).replaceFirst("^/", ""))
        : Path.of(file), previous);
  }

  private static String metricsToken(Reader r) {
    String token = r.string("metrics.token", null);
    if (token != null && (token.length() < 16 || !token.matches("\\p{Graph}+"))) {
      throw r.invalid("metrics.token", "must be at least 16 printable characters without spaces");
    }
    return token;
  }

  /** Typed access to dotted keys; every error names the key and, when there is one, its variable. */
  private record Reader(JsonObject json) {

    Object raw(String key) {
      String[] path = key.split("\\.");
      JsonObject section = json.getJsonObject(path[0]);
      return section == null ? null : section.getValue(path[1]);
    }

    String string(String key, String fallback) {
      Object value = raw(key);
      if (value == null) {
        return fallback;
      }
      if (!(value instanceof String s)) {
        throw invalid(key, "must be a string");
      }
      return s.isBlank() ? fallback : s;
    }

    /** true or false (a JSON boolean, or the words in a variable). */
    boolean flag(String key, boolean fallback) {
      Object value = raw(key);
      if (value == null || value instanceof String s && s.isBlank()) {
        return fallback;
      }
      if (value instanceof Boolean b) {
        return b;
      }
      return switch (value.toString().strip().toLowerCase(java.util.Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        default -> throw invalid(key, "must be true or false, got '" + value + "'");
      };
    }

    int integer(String key, int fallback, int min, int max) {
      Object value = raw(key);
      if (value == null) {
        return fallback;
      }
      long n;
      if (value instanceof Number number) {
        n = number.longValue();
      } else {
        try {
          n = Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
          throw invalid(key, "must be a whole number, got '" + value + "'");
        }
      }
      if (n < min || n > max) {
        throw invalid(key, "must be between " + min + " and " + max + ", got " + n);
      }
      return (int) n;
    }

    /** A comma-separated string or a JSON array of IP addresses and CIDR ranges. */
    List<String> proxies(String key) {
      Object value = raw(key);
      List<String> items = new ArrayList<>();
      if (value instanceof JsonArray array) {
        for (Object item : array) {
          if (!(item instanceof String s)) {
            throw invalid(key, "must list IP addresses or CIDR ranges as strings");
          }
          items.add(s);
        }
      } else if (value instanceof String s) {
        Arrays.stream(s.split(",")).filter(p -> !p.isBlank()).forEach(items::add);
      } else if (value != null) {
        throw invalid(key, "must be a comma-separated list of IP addresses or CIDR ranges");
      }
      for (String item : items) {
        try {
          ClientAddress.rule(item);
        } catch (IllegalArgumentException e) {
          throw invalid(key, "must list IP addresses or CIDR ranges: " + e.getMessage());
        }
      }
      return items.stream().map(String::strip).toList();
    }

    URI url(String key, String fallback) {
      String value = string(key, fallback);
      if (value == null) {
        return null;
      }
      try {
        URI uri = URI.create(value);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
          throw invalid(key, "must be an http:// or https:// URL, got '" + value + "'");
        }
        return uri;
      } catch (IllegalArgumentException e) {
        throw invalid(key, "must be an http:// or https:// URL, got '" + value + "'");
      }
    }

    DatabaseUrl databaseUrl(String key) {
      String value = string(key, null);
      if (value == null) {
        throw invalid(key, "is required");
      }
      try {
        return DatabaseUrl.parse(value);
      } catch (IllegalArgumentException e) {
        throw invalid(key, e.getMessage() + " (expected postgresql://user:password@host:port/database)");
      }
    }

    ConfigException invalid(String key, String problem) {
      String variable = VARIABLES.get(key);
      return new ConfigException("config " + key + (variable == null ? "" : " (" + variable + ")") + " " + problem);
    }
  }
}
