package dev.aide.connect;

import dev.aide.connect.CalDavException.Reason;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Which addresses an account's server may have: a family's Nextcloud on the home network is fine (private ranges are
 * allowed), but never link-local (169.254.0.0/16 — a cloud's metadata service —, fe80::/10), the unspecified address
 * (0.0.0.0/8, ::) or multicast; loopback (this machine) only when AIDE_ACCOUNTS_ALLOW_LOOPBACK says so. The name is
 * resolved once per request and the request goes to the address checked, so a name that changes its answer between
 * the check and the connection (DNS rebinding) does not get past.
 */
public record ServerAddresses(boolean allowLoopback) {

  /**
   * The same check for another feature's servers (mail): the address to connect to. Blocking (a DNS lookup).
   *
   * @throws AccountFailure account_unreachable or account_address_refused
   */
  public InetAddress checked(String host) {
    try {
      return pick(host);
    } catch (CalDavException e) {
      throw new AccountFailure(e.reason().code, e.getMessage());
    }
  }

  /**
   * The address to connect to for this host. Blocking (a DNS lookup).
   *
   * @throws CalDavException UNREACHABLE when the name is unknown, REFUSED_ADDRESS when every address is refused
   */
  InetAddress pick(String host) {
    InetAddress[] all;
    try {
      all = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new CalDavException(Reason.UNREACHABLE, "cannot reach " + host + ": unknown host");
    }
    String why = null;
    for (InetAddress a : all) {
      why = refusal(a);
      if (why == null) {
        return a;
      }
    }
    throw new CalDavException(Reason.REFUSED_ADDRESS, host + " is " + why + ", which Aide does not connect to");
  }

  /** Why the address is refused, or null when it is allowed. */
  String refusal(InetAddress a) {
    if (a.isAnyLocalAddress() || a instanceof Inet4Address && a.getAddress()[0] == 0) {
      return "an unspecified address (" + a.getHostAddress() + ")";
    }
    if (a.isLinkLocalAddress()) {
      return "a link-local address (" + a.getHostAddress() + ")";
    }
    if (a.isMulticastAddress()) {
      return "a multicast address (" + a.getHostAddress() + ")";
    }
    if (a.isLoopbackAddress() && !allowLoopback) {
      return "this machine (" + a.getHostAddress() + "; AIDE_ACCOUNTS_ALLOW_LOOPBACK allows it)";
    }
    return null;
  }
}
