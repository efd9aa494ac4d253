package dev.aide.scheduler;

/** Event-bus addresses of the scheduler. */
public final class SchedulerBus {

  /** Send (any body) to make the scheduler look for due tasks at once. */
  public static final String WAKE = "aide.scheduler.wake";

  private SchedulerBus() {}

  /** Where the handler of a task type hears that the scheduler gave up on one of its tasks. */
  public static String gaveUp(String type) {
    return "aide.task." + type + ".gave-up";
  }

  /** Where the handler of a task type listens. */
  public static String handler(String type) {
    return "aide.task." + type;
  }
}
