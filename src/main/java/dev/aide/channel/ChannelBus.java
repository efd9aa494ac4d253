package dev.aide.channel;

/** Event-bus addresses of the channels' ingress. */
public final class ChannelBus {

  private ChannelBus() {}

  /** Published (no body) when an update of the channel entered the inbox, so the leading instance looks at once. */
  public static String inbox(String channel) {
    return "aide." + channel + ".inbox";
  }
}
