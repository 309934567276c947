package dev.outrigger.proxy.http;

import dev.outrigger.proxy.config.HashPolicy;
import dev.outrigger.proxy.upstream.XxHash64;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The hash a request is balanced by, from its route's {@code hash_policy} as Envoy computes it:
 * each policy that finds its value contributes {@code xxHash64(value)}, combined as {@code
 * rotateLeft(hash, 1) ^ next} so that equal policies do not cancel out, and a {@code terminal}
 * policy stops the walk once there is a hash. A request that yields none gets a random number, so
 * hash balancers spread it like a random pick (Envoy's behaviour).
 */
final class RequestHash {
  private RequestHash() {}

  static long of(List<HashPolicy> policies, HttpRequest request, InetSocketAddress client) {
    long hash = 0;
    boolean hashed = false;
    for (HashPolicy policy : policies) {
      String single = null;
      switch (policy.source()) {
        case HEADER:
          List<String> values = request.headers().getAll(policy.name());
          if (!values.isEmpty()) {
            hash = combine(hash, hashed, headerHash(values));
            hashed = true;
          }
          break;
        case COOKIE:
          single = cookie(request.headers(), policy.name());
          break;
        case SOURCE_IP:
          single = client == null ? null : NetUtil.toAddressString(client.getAddress());
          break;
        case QUERY_PARAMETER:
          single = queryParameter(request.uri(), policy.name());
          break;
        default:
          throw new IllegalStateException("unknown hash source " + policy.source());
      }
      if (single != null) {
        hash = combine(hash, hashed, XxHash64.hash(single, 0));
        hashed = true;
      }
      if (hashed && policy.terminal()) {
        break;
      }
    }
    return hashed ? hash : ThreadLocalRandom.current().nextLong();
  }

  private static long combine(long hash, boolean hashed, long next) {
    return hashed ? Long.rotateLeft(hash, 1) ^ next : next;
  }

  /** Every value of the header, sorted so that their order does not matter, chained by seed. */
  private static long headerHash(List<String> values) {
    if (values.size() == 1) {
      return XxHash64.hash(values.get(0), 0);
    }
    List<String> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    long hash = 0;
    for (String value : sorted) {
      hash = XxHash64.hash(value, hash);
    }
    return hash;
  }

  /** The value of the first cookie called {@code name} in the {@code cookie} headers; null when none is. */
  private static String cookie(HttpHeaders headers, String name) {
    for (String line : headers.getAll(HttpHeaderNames.COOKIE)) {
      String value = pairValue(line, name, ';');
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  /** The first parameter called {@code name} in the query, undecoded as Envoy hashes it; null when none is. */
  private static String queryParameter(String uri, String name) {
    int question = uri.indexOf('?');
    if (question < 0) {
      return null;
    }
    int fragment = uri.indexOf('#', question);
    return pairValue(uri.substring(question + 1, fragment < 0 ? uri.length() : fragment), name, '&');
  }

  /** In {@code a=1<sep> b=2}, the value after {@code name=} (spaces around pairs ignored). */
  private static String pairValue(String pairs, String name, char separator) {
    int start = 0;
    while (start < pairs.length()) {
      int end = pairs.indexOf(separator, start);
      if (end < 0) {
        end = pairs.length();
      }
      String pair = pairs.substring(start, end).trim();
      int equals = pair.indexOf('=');
      String key = equals < 0 ? pair : pair.substring(0, equals);
      if (key.equals(name)) {
        return equals < 0 ? "" : pair.substring(equals + 1);
      }
      start = end + 1;
    }
    return null;
  }
}
