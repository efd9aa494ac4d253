package dev.aide;

import dev.aide.account.AccountModule;
import dev.aide.auth.AuthModule;
import dev.aide.calendar.CalendarModule;
import dev.aide.channel.ChannelsModule;
import dev.aide.channel.link.LinkModule;
import dev.aide.channel.email.EmailModule;
import dev.aide.channel.sms.SmsModule;
import dev.aide.channel.telegram.TelegramModule;
import dev.aide.channel.voice.VoiceChannel;
import dev.aide.channel.web.WebChannel;
import dev.aide.connect.ConnectModule;
import dev.aide.conversation.ConversationModule;
import dev.aide.delivery.DeliveryModule;
import dev.aide.digest.DigestModule;
import dev.aide.document.DocumentModule;
import dev.aide.expense.ExpenseModule;
import dev.aide.http.ApiVerticle;
import dev.aide.http.MetricsAccess;
import dev.aide.list.ListModule;
import dev.aide.mail.MailModule;
import dev.aide.memory.MemoryModule;
import dev.aide.embedding.LocalEmbedder;
import dev.aide.llm.ChatModelFactory;
import dev.aide.note.NoteModule;
import dev.aide.notification.NotificationModule;
import dev.aide.platform.config.AideConfig;
import dev.aide.platform.database.HousekeepingVerticle;
import dev.aide.platform.module.Feature;
import dev.aide.platform.module.Features;
import dev.aide.platform.module.Platform;
import dev.aide.proactive.ProactiveModule;
import dev.aide.reminder.ReminderModule;
import dev.aide.scheduler.SchedulerModule;
import dev.aide.undo.UndoModule;
import dev.langchain4j.model.chat.ChatModel;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The composition root: opens the platform, builds the feature modules in the order they depend on one another, and
 * runs them. Nothing else constructs infrastructure; what each feature contributes is in its module.
 */
public final class Aide implements AutoCloseable {

  private final Platform platform;
  private final ApiVerticle api;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Aide(Platform platform, ApiVerticle api) {
    this.platform = platform;
    this.api = api;
  }

  /** Blocking: call from the main thread (or a test thread), never from an event loop. */
  public static Aide start(AideConfig config, Clock clock) {
    Platform platform = Platform.open(config, clock);
    try {
      boolean offline = config.llm().provider().equals("offline");
      // One e5-small-v2 in the process (about 35 MB and its ONNX session, loaded on first use): the offline model's
      // intent classifier and memory, when memory runs that model, share it.
      LocalEmbedder e5 = new LocalEmbedder(platform.vertx());
      ChatModel model = ChatModelFactory.create(config.llm(), platform.vertx(), e5);
      String modelName = ChatModelFactory.modelName(config.llm());

      AuthModule auth = new AuthModule(platform);
      DeliveryModule delivery = new DeliveryModule(platform);
      NotificationModule notifications = new NotificationModule(platform, auth, delivery);
      SchedulerModule scheduler = new SchedulerModule(platform, auth);
      ConversationModule conversation = new ConversationModule(platform, auth, model, modelName);
      UndoModule undo = new UndoModule(platform, conversation);
      CalendarModule calendar = new CalendarModule(platform, auth, scheduler, notifications, conversation);
      ReminderModule reminders = new ReminderModule(platform, scheduler, calendar, notifications, conversation);
      MemoryModule memory = new MemoryModule(platform, scheduler, conversation, offline ? null : model, e5);
      DocumentModule documents = new DocumentModule(platform, scheduler, delivery, memory);
      ChannelsModule channels = new ChannelsModule(platform, auth, delivery, notifications, conversation, calendar,
          reminders, documents);
      ExpenseModule expenses = new ExpenseModule(platform, conversation);
      VoiceChannel voice = new VoiceChannel(platform, conversation, channels);
      ConnectModule connect = new ConnectModule(platform, scheduler, calendar, notifications);
      List<Feature> features = new ArrayList<>(List.of(auth, delivery, notifications, scheduler, conversation, undo,
          channels, calendar, reminders, expenses,
          new ProactiveModule(platform, scheduler, notifications, conversation),
          new NoteModule(platform, conversation),
          new ListModule(platform, conversation),
          memory,
          documents,
          new DigestModule(platform, auth, scheduler, notifications, calendar, reminders, expenses,
              offline ? null : model, modelName),
          new WebChannel(conversation),
          voice,
          new LinkModule(platform, channels, delivery, notifications),
          connect,
          new MailModule(platform, scheduler, connect, notifications, conversation)));
      if (config.telegram().enabled()) {
        features.add(new TelegramModule(platform, channels));
      }
      if (config.twilio().enabled()) {
        features.add(new SmsModule(platform, channels, delivery, voice));
      }
      if (config.smtp().enabled()) {
        features.add(new EmailModule(platform));
      }
      features.add(new AccountModule(platform, auth, delivery, notifications, new Features(features)));
      return run(platform, new Features(features), auth);
    } catch (RuntimeException e) {
      platform.close();
      throw e;
    }
  }

  /** Prepares every feature, deploys their verticles in order, and opens the HTTP server last. */
  private static Aide run(Platform platform, Features features, AuthModule auth) {
    Vertx vertx = platform.vertx();
    Future.all(features.list().stream().map(Feature::prepare).toList()).await();
    Future<?> deployed = vertx.deployVerticle(new HousekeepingVerticle(features.cleaners(), Duration.ofMinutes(10)));
    for (Feature feature : features.list()) {
      for (var verticle : feature.verticles(features)) {
        deployed = deployed.compose(id -> vertx.deployVerticle(verticle));
      }
      for (var verticle : feature.virtualThreadVerticles(features)) {
        deployed = deployed.compose(id -> vertx.deployVerticle(verticle,
            new DeploymentOptions().setThreadingModel(ThreadingModel.VIRTUAL_THREAD)));
      }
    }
    var http = platform.config().http();
    ApiVerticle api = new ApiVerticle(http.port(), http.bodyLimitBytes(), http.uploadsDir(), platform.pool(), platform.metrics(),
        new MetricsAccess(platform.config().metrics().token()), auth.guards(), features);
    deployed.compose(id -> vertx.deployVerticle(api)).await();
    return new Aide(platform, api);
  }

  public int httpPort() {
    return api.actualPort();
  }

  /** The HTTP server's router, for tests that walk every route. */
  public Router router() {
    return api.router();
  }

  /** Every API route, as "GET /api/v1/reminders/:id". */
  public List<String> apiRoutes() {
    return api.apiRoutes();
  }

  public Vertx vertx() {
    return platform.vertx();
  }

  /** Undeploys the verticles, closes the pools and Vert.x; blocking. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      platform.close();
    }
  }
}
