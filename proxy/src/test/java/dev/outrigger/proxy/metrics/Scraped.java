package dev.outrigger.proxy.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples out of a Prometheus text scrape, by name and a subset of their labels. */
final class Scraped {
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private Scraped() {}

  /** The sample of {@code name} whose labels include {@code labels}; empty when there is none. */
  static OptionalDouble sample(String scrape, String name, Map<String, String> labels) {
    for (String line : scrape.split("\n")) {
      Matcher sample = SAMPLE.matcher(line);
      if (!sample.find() || !sample.group(1).equals(name)) {
        continue;
      }
      Map<String, String> found = new HashMap<>();
      Matcher label = LABEL.matcher(sample.group(3) == null ? "" : sample.group(3));
      while (label.find()) {
        found.put(label.group(1), label.group(2));
      }
      if (found.entrySet().containsAll(labels.entrySet())) {
        return OptionalDouble.of(Double.parseDouble(sample.group(4)));
      }
    }
    return OptionalDouble.empty();
  }
}
