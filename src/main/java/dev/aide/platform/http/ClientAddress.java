package dev.aide.platform.http;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Who sent a request, for the per-address abuse limits: the socket's peer address, or — only when that peer is one
 * of the configured trusted proxies — the address the proxies say they received it from (X-Forwarded-For, read from
 * the right, skipping the trusted proxies themselves). A client cannot forge its address by sending the header
 * itself: without a trusted proxy in front the header is ignored, and behind one only the hops the proxies appended
 * are believed.
 */
public final class ClientAddress {

  private final List<IpSubnetFilterRule> trusted;

  /** Trusted proxies as IP addresses or CIDR ranges ("10.0.0.5", "172.16.0.0/12", "::1"); empty trusts none. */
  public ClientAddress(List<String> trustedProxies) {
    this.trusted = trustedProxies.stream().map(ClientAddress::rule).toList();
  }

  /** An address or a CIDR range; IllegalArgumentException when it is neither. */
  public static IpSubnetFilterRule rule(String value) {
    String text = value.strip();
    int slash = text.indexOf('/');
    String ip = slash < 0 ? text : text.substring(0, slash);
    InetAddress address = NetUtil.createInetAddressFromIpAddressString(ip);
    if (address == null) {
      throw new IllegalArgumentException("'" + value + "' is not an IP address or a CIDR range");
    }
    int bits = address.getAddress().length * 8;
    int prefix;
    try {
      prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "' has no valid prefix length");
    }
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException("'" + value + "' has a prefix length outside 0-" + bits);
    }
    return new IpSubnetFilterRule(address, prefix, IpFilterRuleType.ACCEPT);
  }

  /** The client's address as text ("203.0.113.7", "2001:db8::1"). */
  public String of(RoutingContext ctx) {
    var remote = ctx.request().remoteAddress();
    String peer = remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
    if (trusted.isEmpty() || !isTrusted(peer)) {
      return peer;
    }
    List<String> forwarded = ctx.request().headers().getAll("x-forwarded-for");
    String client = peer;
    for (int h = forwarded.size() - 1; h >= 0; h--) {
      String[] hops = forwarded.get(h).split(",");
      for (int i = hops.length - 1; i >= 0; i--) {
        String hop = hops[i].strip();
        if (NetUtil.createInetAddressFromIpAddressString(hop) == null) {
          // Not an address: whatever sent it is the last hop we can vouch for.
          return client;
        }
        client = hop;
        if (!isTrusted(hop)) {
          return hop;
        }
      }
    }
    return client;
  }

  private boolean isTrusted(String address) {
    InetAddress ip = NetUtil.createInetAddressFromIpAddressString(address);
    if (ip == null) {
      return false;
    }
    InetSocketAddress socket = new InetSocketAddress(ip, 0);
    return trusted.stream().anyMatch(rule -> rule.matches(socket));
  }
}
