package dev.aide;

import static dev.aide.platform.database.Blocking.join;

import dev.aide.account.AccountExport;
import dev.aide.account.AccountRepository;
import dev.aide.account.AccountRoutes;
import dev.aide.auth.AuthRoutes;
import dev.aide.auth.AuthService;
import dev.aide.auth.PasswordHasher;
import dev.aide.auth.PasswordResetRepository;
import dev.aide.auth.PasswordResets;
import dev.aide.auth.SessionRepository;
import dev.aide.auth.Sessions;
import dev.aide.auth.TokenService;
import dev.aide.auth.UserRepository;
import dev.aide.calendar.AvailabilityRoutes;
import dev.aide.calendar.AvailabilityService;
import dev.aide.calendar.AvailabilityTools;
import dev.aide.calendar.CalendarFeed;
import dev.aide.calendar.CalendarTools;
import dev.aide.calendar.EventAlertHandler;
import dev.aide.calendar.EventAlerts;
import dev.aide.calendar.EventRepository;
import dev.aide.calendar.EventRoutes;
import dev.aide.calendar.EventService;
import dev.aide.calendar.FeedRepository;
import dev.aide.calendar.FeedRoutes;
import dev.aide.calendar.IcsImport;
import dev.aide.channel.voice.VoiceRoutes;
import dev.aide.channel.web.WebChatRoutes;
import dev.aide.conversation.Assistant;
import dev.aide.conversation.Assistants;
import dev.aide.conversation.Confirmations;
import dev.aide.conversation.PendingActionRepository;
import dev.aide.conversation.ChatMemoryRepository;
import dev.aide.conversation.ConversationGateway;
import dev.aide.conversation.ConversationRepository;
import dev.aide.conversation.ConversationRoutes;
import dev.aide.conversation.ConversationService;
import dev.aide.conversation.ConversationVerticle;
import dev.aide.conversation.PgChatMemoryStore;
import dev.aide.channel.IdentityRepository;
import dev.aide.channel.InboxRepository;
import dev.aide.channel.telegram.TelegramApi;
import dev.aide.channel.telegram.TelegramConfig;
import dev.aide.channel.telegram.TelegramLinkRoutes;
import dev.aide.channel.telegram.TelegramRepository;
import dev.aide.channel.telegram.TelegramSender;
import dev.aide.channel.telegram.TelegramUpdateHandler;
import dev.aide.channel.telegram.TelegramVerticle;
import dev.aide.channel.telegram.TelegramWebhookRoutes;
import dev.aide.delivery.ChannelSender;
import dev.aide.digest.DigestHandler;
import dev.aide.digest.DigestRepository;
import dev.aide.digest.DigestSchedule;
import dev.aide.digest.DigestWriter;
import dev.aide.digest.ModelDigest;
import dev.aide.digest.SummaryRoutes;
import dev.aide.digest.TemplateDigest;
import dev.aide.expense.ExpenseRepository;
import dev.aide.expense.ExpenseRoutes;
import dev.aide.expense.ExpenseService;
import dev.aide.expense.ExpenseTools;
import dev.aide.delivery.DeliveryRoutes;
import dev.aide.delivery.DeliveryVerticle;
import dev.aide.delivery.OutboxRepository;
import dev.aide.http.ApiVerticle;
import dev.aide.http.MetricsAccess;
import dev.aide.speech.OpenAiTranscriber;
import dev.aide.speech.Transcriber;
import dev.aide.list.ListRepository;
import dev.aide.list.ListRoutes;
import dev.aide.list.ListService;
import dev.aide.list.ListTools;
import dev.aide.llm.ChatModelFactory;
import dev.aide.note.NoteRepository;
import dev.aide.note.NoteRoutes;
import dev.aide.note.NoteService;
import dev.aide.note.NoteTools;
import dev.aide.platform.config.AideConfig;
import dev.aide.platform.database.Database;
import dev.aide.platform.config.ConfigException;
import dev.aide.platform.database.HousekeepingVerticle;
import dev.aide.platform.http.ClientAddress;
import dev.aide.platform.ratelimit.RateLimitRepository;
import dev.aide.platform.ratelimit.RateLimiter;
import dev.aide.platform.database.SecretRepository;
import dev.aide.platform.secret.SecretKeys;
import dev.aide.platform.secret.VaultException;
import dev.aide.notification.NotificationRepository;
import dev.aide.notification.NotificationRoutes;
import dev.aide.notification.Notifier;
import dev.aide.proactive.ProactiveMessageHandler;
import dev.aide.proactive.ProactiveRepository;
import dev.aide.proactive.ProactiveRoutes;
import dev.aide.proactive.ProactiveService;
import dev.aide.proactive.ProactiveTools;
import dev.aide.reminder.ReminderDueHandler;
import dev.aide.reminder.ReminderRepository;
import dev.aide.scheduler.SchedulerHealth;
import dev.aide.scheduler.SchedulerRoutes;
import dev.aide.scheduler.SchedulerVerticle;
import dev.aide.scheduler.TaskHandler;
import dev.aide.scheduler.TaskHandlersVerticle;
import dev.aide.scheduler.TaskRepository;
import dev.aide.reminder.ReminderRoutes;
import dev.aide.reminder.ReminderService;
import dev.aide.reminder.ReminderTools;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: migrates the schema, builds the pool, the model and the services, and deploys the verticles
 * in order. Nothing else constructs infrastructure.
 */
public final class Aide implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Aide.class);

  private final Vertx vertx;
  private final Pool pool;
  private final Pool deliveryPool;
  private final ApiVerticle api;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Aide(Vertx vertx, Pool pool, Pool deliveryPool, ApiVerticle api) {
    this.vertx = vertx;
    this.pool = pool;
    this.deliveryPool = deliveryPool;
    this.api = api;
  }

  /** Blocking: call from the main thread (or a test thread), never from an event loop. */
  public static Aide start(AideConfig config, Clock clock) {
    int migrations = Database.migrate(config.database().url());
    LOG.info("Database {} migrated ({} new migrations)", config.database().url(), migrations);

    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(metrics))
        .build();
    Pool pool = Database.pool(vertx, config.database().url(), config.database().poolSize());
    // The outbox has connections of its own: a message is marked sent the moment the channel accepted it, not after
    // a burst of scheduled tasks queued for the main pool, so an instance that dies leaves few messages in doubt.
    Pool deliveryPool = Database.planningEachTime(vertx, config.database().url(), config.delivery().poolSize());
    try {
      SecretRepository secrets = secrets(config, pool);
      String jwtSecret = config.jwt().secret() != null ? config.jwt().secret() : storedSecret(secrets, "jwt");
      TokenService tokens = new TokenService(vertx, jwtSecret, config.jwt().ttl());
      RateLimiter limiter = new RateLimiter(new RateLimitRepository(pool), clock);
      AuthService.Limits authLimits = AuthService.Limits.from(config.limits());
      SessionRepository sessionRows = new SessionRepository(pool);
      Sessions sessions = new Sessions(pool, sessionRows, tokens, config.jwt().refreshTtl(), clock);
      PasswordHasher hasher = new PasswordHasher();

      UserRepository users = new UserRepository(pool);
      OutboxRepository outbox = new OutboxRepository(deliveryPool);
      TaskRepository tasks = new TaskRepository(pool, clock);
      DigestRepository digests = new DigestRepository(pool, clock);
      DigestSchedule digestSchedule = new DigestSchedule(digests, tasks);
      AuthService auth = new AuthService(vertx, pool, users, hasher, sessions, limiter, authLimits,
          List.of(digestSchedule));
      NotificationRepository notifications = new NotificationRepository(pool, clock);
      PasswordResetRepository resetRows = new PasswordResetRepository(pool);
      PasswordResets resets = new PasswordResets(vertx, pool, users, resetRows, notifications, outbox, hasher,
          sessions, limiter, authLimits, config.http().publicUrl(), clock);
      Notifier notifier = new Notifier(vertx, notifications, outbox, clock);
      ReminderRepository reminderRows = new ReminderRepository(pool);
      ReminderService reminders = new ReminderService(reminderRows, limiter.gate(new RateLimiter.Window(
              "reminders-hour", config.limits().remindersPerHour(), Duration.ofHours(1),
              "You have created too many reminders this hour"))
          .and(limiter.gate(new RateLimiter.Window("reminders-day", config.limits().remindersPerDay(),
              Duration.ofDays(1), "You have created too many reminders today"))));
      ProactiveRepository proactiveRows = new ProactiveRepository(pool);
      ProactiveService proactive = new ProactiveService(pool, proactiveRows, tasks, clock);
      EventRepository eventRows = new EventRepository(pool);
      List<TaskHandler> taskHandlers = new ArrayList<>(List.of(
          new ReminderDueHandler(pool, reminderRows, notifier, clock),
          new ProactiveMessageHandler(pool, proactiveRows, notifier, clock),
          new EventAlertHandler(pool, eventRows, notifier, clock)));
      EventService events = new EventService(eventRows, vertx, new EventAlerts(eventRows, tasks, clock)::follow);
      AvailabilityService availability = new AvailabilityService(events, users);
      NoteRepository noteRows = new NoteRepository(pool);
      NoteService notes = new NoteService(noteRows);
      ListRepository listRows = new ListRepository(pool);
      ListService lists = new ListService(listRows);
      ExpenseRepository expenseRows = new ExpenseRepository(pool);
      ExpenseService expenses = new ExpenseService(expenseRows, clock);
      ChatMemoryRepository chatMemory = new ChatMemoryRepository(pool);
      ConversationRepository conversations = new ConversationRepository(pool, chatMemory);
      PgChatMemoryStore memoryStore = new PgChatMemoryStore(chatMemory);

      ChatModel model = ChatModelFactory.create(config.llm());
      TemplateDigest template = new TemplateDigest();
      DigestWriter digestWriter = config.llm().provider().equals("offline") ? template
          : new ModelDigest(vertx, model, ChatModelFactory.modelName(config.llm()), template);
      taskHandlers.add(new DigestHandler(pool, digests, digestSchedule, events, reminders, expenses, digestWriter,
          notifier, clock));
      Confirmations confirmations = new Confirmations(new PendingActionRepository(pool), clock);
      Assistant assistant = assistant(model, memoryStore, config.llm().historyMessages(), confirmations,
          new ReminderTools(reminders, events, confirmations, clock), new NoteTools(notes, confirmations),
          new ListTools(lists, confirmations), new ExpenseTools(expenses, confirmations),
          new CalendarTools(events, confirmations, clock), new AvailabilityTools(availability, clock),
          new ProactiveTools(proactive, confirmations));
      ConversationService conversation = new ConversationService(assistant, memoryStore, users, conversations,
          confirmations, clock, config.llm().provider(), ChatModelFactory.modelName(config.llm()));
      ConversationGateway gateway = new ConversationGateway(vertx, conversations, chatMemory,
          config.llm().timeout().plusSeconds(30), limiter.gate(new RateLimiter.Window("chat-turns",
              config.limits().chatTurnsPerMinute(), Duration.ofMinutes(1), "Too many messages in a minute")));

      List<ApiVerticle.Routes> routes = new ArrayList<>(List.of(
          new WebChatRoutes(gateway)::mount,
          new VoiceRoutes(gateway)::mount,
          new ConversationRoutes(conversations)::mount,
          new ReminderRoutes(reminders, clock)::mount,
          new NoteRoutes(notes)::mount,
          new ListRoutes(lists)::mount,
          new ExpenseRoutes(expenses)::mount,
          new EventRoutes(events)::mount,
          new AvailabilityRoutes(availability)::mount,
          new NotificationRoutes(notifications, users)::mount,
          new DeliveryRoutes(outbox)::mount,
          new ProactiveRoutes(proactive)::mount,
          new SchedulerRoutes(tasks, users, clock)::mount,
          new SummaryRoutes(digests, users)::mount));
      List<ApiVerticle.Routes> webhooks = new ArrayList<>();
      FeedRepository feedRows = new FeedRepository(pool);
      FeedRoutes feed = new FeedRoutes(
          new CalendarFeed(feedRows, new EventRepository(pool), vertx, config.http().publicUrl()),
          new IcsImport(events, new EventRepository(pool), feedRows, vertx));
      routes.add(feed::mount);
      webhooks.add(feed::mountPublic);
      List<ChannelSender> senders = new ArrayList<>();
      List<Deployable> channels = new ArrayList<>();

      InboxRepository inbox = new InboxRepository(pool);
      IdentityRepository identities = new IdentityRepository(pool);
      routes.add(new AccountRoutes(new AccountRepository(pool), new AccountExport(auth, sessions, identities,
          conversations, reminderRows, eventRows, expenseRows, noteRows, listRows, notifications, proactiveRows, tasks,
          digests, outbox, clock), clock)::mount);
      WebClient web = WebClient.create(vertx, new WebClientOptions().setUserAgent("Aide"),
          new PoolOptions().setHttp1MaxSize(64));

      if (config.telegram().enabled()) {
        long botId = TelegramConfig.botId(config.telegram());
        TelegramApi telegramApi = new TelegramApi(web, config.telegram().apiUrl(), config.telegram().botToken());
        TelegramRepository telegram = new TelegramRepository(pool, inbox, outbox);
        Transcriber transcriber = config.stt().enabled()
            ? new OpenAiTranscriber(web, config.stt().baseUrl(), config.stt().apiKey(), config.stt().model(), Duration.ofSeconds(60))
            : null;
        String secret = config.telegram().webhookSecret() != null ? config.telegram().webhookSecret()
            : storedSecret(secrets, "telegram-webhook");
        boolean webhook = config.telegram().effectiveMode(config.http().publicUrl()).equals("webhook");
        webhooks.add(new TelegramWebhookRoutes(vertx, inbox, botId, secret)::mount);
        routes.add(new TelegramLinkRoutes(telegramApi, identities)::mount);
        senders.add(new TelegramSender(telegramApi, identities, config.telegram().messagesPerSecond(),
            config.telegram().messagesPerChatPerSecond()));
        channels.add(new TelegramVerticle(pool, telegramApi, telegram, inbox,
            new TelegramUpdateHandler(vertx, telegramApi, telegram, identities, users, auth, reminders, events,
                gateway, transcriber, clock),
            botId, new TelegramVerticle.Mode(webhook, TelegramConfig.webhookUrl(config.http().publicUrl()), secret)));
      }

      Map<String, ApiVerticle.HealthReport> health = new LinkedHashMap<>();
      String instance = instanceId();
      SchedulerVerticle.Options scheduling = new SchedulerVerticle.Options(instance,
          config.scheduler().batchSize(), config.scheduler().maxInFlight(), config.scheduler().pollInterval(),
          config.scheduler().takeoverTimeout(), config.llm().timeout().plusSeconds(60), 5);
      health.put("scheduler", new SchedulerHealth(tasks, clock, scheduling.takeoverTimeout(),
          scheduling.handlerTimeout())::report);
      health.put("outbox", outbox::health);
      ApiVerticle api = new ApiVerticle(config.http().port(), config.http().bodyLimitBytes(), pool, tokens.provider(),
          metrics, new AuthRoutes(auth, sessions, resets, new ClientAddress(config.http().trustedProxies())), routes,
          webhooks, health, new MetricsAccess(config.metrics().token()));

      join(digestSchedule.reconcile());

      Future<String> deployed = vertx.deployVerticle(new ConversationVerticle(conversation))
          .compose(id -> vertx.deployVerticle(new DeliveryVerticle(outbox, senders, instance, config.delivery().claimTimeout(), metrics)))
          .compose(id -> vertx.deployVerticle(new TaskHandlersVerticle(taskHandlers)))
          .compose(id -> vertx.deployVerticle(new HousekeepingVerticle(List.of(
              new HousekeepingVerticle.Cleaner("rate limits", limiter::deleteExpired),
              new HousekeepingVerticle.Cleaner("sessions", sessions::deleteEnded),
              new HousekeepingVerticle.Cleaner("password resets",
                  limit -> resetRows.deleteExpired(java.time.OffsetDateTime.now(clock), limit))),
              Duration.ofMinutes(10))))
          .compose(id -> vertx.deployVerticle(new SchedulerVerticle(tasks,
              () -> Database.subscriber(vertx, config.database().url()), clock, scheduling, metrics)));
      for (Deployable channel : channels) {
        deployed = deployed.compose(id -> vertx.deployVerticle(channel));
      }
      join(deployed.compose(id -> vertx.deployVerticle(api)));
      return new Aide(vertx, pool, deliveryPool, api);
    } catch (RuntimeException e) {
      join(pool.close());
      join(deliveryPool.close());
      join(vertx.close());
      throw e;
    }
  }

  /**
   * The secrets Aide keeps in the database, sealed with the vault's key: rows an older Aide stored in plaintext are
   * sealed now, and every row must open with this instance's key, or start-up stops with one line.
   */
  private static SecretRepository secrets(AideConfig config, Pool pool) {
    SecretRepository secrets = new SecretRepository(pool, SecretKeys.vault(config.secrets()));
    int sealed = join(secrets.sealAll());
    if (sealed > 0) {
      LOG.info("Encrypted {} secret(s) an earlier version had stored in plaintext", sealed);
    }
    try {
      join(secrets.verifyAll());
    } catch (VaultException e) {
      throw wrongKey(e);
    }
    return secrets;
  }

  private static String storedSecret(SecretRepository secrets, String name) {
    try {
      return join(secrets.getOrCreate(name));
    } catch (VaultException e) {
      throw wrongKey(e);
    }
  }

  private static ConfigException wrongKey(VaultException e) {
    return new ConfigException("config secret.key (AIDE_SECRET_KEY): " + e.getMessage() + "; every Aide sharing a "
        + "database must use the same secret key (AIDE_SECRET_KEY, or the same key file)");
  }

  /** Names this process in task claims: host, process id and a random suffix (a restarted process is new). */
  private static String instanceId() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "aide";
    }
    return host + ":" + ProcessHandle.current().pid() + ":" + java.util.UUID.randomUUID().toString().substring(0, 8);
  }

  private static Assistant assistant(ChatModel model, PgChatMemoryStore store, int historyMessages,
                                     Confirmations confirmations, Object... tools) {
    return Assistants.build(model, id -> MessageWindowChatMemory.builder()
        .id(id)
        .maxMessages(historyMessages)
        .chatMemoryStore(store)
        .build(), confirmations, tools);
  }

  public int httpPort() {
    return api.actualPort();
  }

  /** The HTTP server's router, for tests that walk every route. */
  public io.vertx.ext.web.Router router() {
    return api.router();
  }

  /** Every API route, as "GET /api/v1/reminders/:id". */
  public List<String> apiRoutes() {
    return api.apiRoutes();
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Undeploys the verticles, closes the pool and Vert.x; blocking. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      // Verticles first (they may hold pool connections, like the Telegram leadership lock), then the pool, then
      // Vert.x; separate steps because a future chained on the pool would complete on a stopped event loop.
      join(Future.join(vertx.deploymentIDs().stream().map(vertx::undeploy).toList()));
      join(pool.close());
      join(deliveryPool.close());
      join(vertx.close());
    }
  }
}
