package dev.aide.digest;

import dev.aide.auth.AuthService;
import dev.aide.auth.Preferences;
import dev.aide.auth.Profile;
import dev.aide.platform.task.Schedule;
import dev.aide.scheduler.TaskRepository;
import dev.aide.scheduler.TaskSpec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each person's digest task in line with their preferences: on, a recurring task at their digest hour in their
 * timezone ("0 7 * * *" in America/New_York); off, no live task. It follows every profile change (PATCH /me, the
 * Telegram /timezone command) and, at start-up, brings every task in line again.
 *
 * <p>The task row itself survives restarts, so nothing is lost by stopping. The start-up pass is for what a
 * listener cannot see: preferences written before this schedule existed, or saved when scheduling the task then
 * failed. A task that already matches is left alone, so a profile change that does not touch the digest never
 * moves today's run (or a retry in progress).
 */
public final class DigestSchedule implements AuthService.ProfileListener {

  private static final Logger LOG = LoggerFactory.getLogger(DigestSchedule.class);
  private static final Set<String> LIVE = Set.of("scheduled", "running");

  private final DigestRepository digests;
  private final TaskRepository tasks;

  public DigestSchedule(DigestRepository digests, TaskRepository tasks) {
    this.digests = digests;
    this.tasks = tasks;
  }

  /** The task that runs a person's digest. */
  public static String key(UUID userId) {
    return "digest:" + userId;
  }

  public static String cron(int hour) {
    return "0 " + hour + " * * *";
  }

  @Override
  public Future<Void> changed(Profile profile) {
    return follow(profile.user().id());
  }

  /** Brings one person's task in line with their preferences as stored now. */
  public Future<Void> follow(UUID userId) {
    return digests.plan(userId).compose(plan -> plan.map(this::apply).orElseGet(Future::succeededFuture));
  }

  /** Brings every task in line; answers how many were scheduled or cancelled. */
  public Future<Integer> reconcile() {
    return digests.livePlans().compose(plans -> {
      Future<Integer> changed = Future.succeededFuture(0);
      for (DigestRepository.Plan plan : plans) {
        changed = changed.compose(n -> inLine(plan) ? Future.succeededFuture(n) : apply(plan).map(n + 1));
      }
      return changed;
    }).onSuccess(n -> {
      if (n > 0) {
        LOG.info("Digest schedules brought in line with preferences: {}", n);
      }
    });
  }

  /** Whether the person's task is what their preferences ask for. */
  static boolean inLine(DigestRepository.Plan plan) {
    boolean live = plan.taskStatus() != null && LIVE.contains(plan.taskStatus());
    if (!wanted(plan)) {
      return !live;
    }
    return live && cron(hour(plan)).equals(plan.taskCron()) && plan.zone().getId().equals(plan.taskTimezone());
  }

  Future<Void> apply(DigestRepository.Plan plan) {
    if (inLine(plan)) {
      return Future.succeededFuture();
    }
    if (!wanted(plan)) {
      return tasks.cancel(key(plan.userId()));
    }
    return tasks.schedule(TaskSpec.recurring(plan.userId(), key(plan.userId()), DigestHandler.TYPE,
        new JsonObject().put("userId", plan.userId().toString()), Schedule.cron(cron(hour(plan)), plan.zone())));
  }

  /** Whether the person wants a digest: turned on, on an active account. */
  static boolean wanted(DigestRepository.Plan plan) {
    return plan.active() && plan.digestEnabled();
  }

  private static int hour(DigestRepository.Plan plan) {
    return plan.digestHour() == null ? Preferences.DEFAULT_DIGEST_HOUR : plan.digestHour();
  }
}
