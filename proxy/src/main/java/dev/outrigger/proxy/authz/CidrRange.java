package dev.outrigger.proxy.authz;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * {@code config.core.v3.CidrRange}: an address prefix. An IPv4 range never matches an IPv6
 * address and the other way round, as in Envoy.
 */
public record CidrRange(InetAddress prefix, int length) {
  public CidrRange {
    int bits = prefix.getAddress().length * 8;
    if (length < 0 || length > bits) {
      throw new IllegalArgumentException("prefix length " + length + " is not between 0 and " + bits);
    }
  }

  boolean contains(InetAddress address) {
    byte[] want = prefix.getAddress();
    byte[] have = address.getAddress();
    if (want.length != have.length) {
      return false;
    }
    int wholeBytes = length / 8;
    if (!Arrays.equals(want, 0, wholeBytes, have, 0, wholeBytes)) {
      return false;
    }
    int restBits = length % 8;
    if (restBits == 0) {
      return true;
    }
    int mask = (0xff << (8 - restBits)) & 0xff;
    return (want[wholeBytes] & mask) == (have[wholeBytes] & mask);
  }

  @Override
  public String toString() {
    return prefix.getHostAddress() + "/" + length;
  }
}
