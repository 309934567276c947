package dev.outrigger.proxy.http.routing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Parses a query string as Envoy's route matching does: {@code &}-separated, a parameter without
 * {@code =} has the empty value, names and values percent-decoded ({@code +} stays a plus; an
 * invalid escape stays as written), and the first occurrence of a name wins.
 */
final class QueryParameters {
  private QueryParameters() {}

  static Map<String, String> parse(String query) {
    if (query.isEmpty()) {
      return Map.of();
    }
    Map<String, String> parameters = new HashMap<>();
    int start = 0;
    while (start <= query.length()) {
      int end = query.indexOf('&', start);
      if (end < 0) {
        end = query.length();
      }
      if (end > start) {
        int equals = query.indexOf('=', start);
        boolean hasValue = equals >= 0 && equals < end;
        String name = decode(query.substring(start, hasValue ? equals : end));
        String value = hasValue ? decode(query.substring(equals + 1, end)) : "";
        parameters.putIfAbsent(name, value);
      }
      start = end + 1;
    }
    return parameters;
  }

  static String decode(String encoded) {
    if (encoded.indexOf('%') < 0) {
      return encoded;
    }
    byte[] bytes = encoded.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream decoded = new ByteArrayOutputStream(bytes.length);
    for (int i = 0; i < bytes.length; i++) {
      int high = i + 2 < bytes.length && bytes[i] == '%' ? Character.digit(bytes[i + 1], 16) : -1;
      int low = high >= 0 ? Character.digit(bytes[i + 2], 16) : -1;
      if (low >= 0) {
        decoded.write(high * 16 + low);
        i += 2;
      } else {
        decoded.write(bytes[i]);
      }
    }
    return decoded.toString(StandardCharsets.UTF_8);
  }
}
