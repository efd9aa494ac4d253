package dev.aide.delivery;

/** Event-bus address of the delivery feature. */
public final class DeliveryBus {

  /** Publish (any body) after writing to the outbox: the delivery verticle drains at once instead of at its next tick. */
  public static final String WAKE = "aide.delivery.wake";

  private DeliveryBus() {}
}
