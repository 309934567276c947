package dev.outrigger.benchmarks.harness;

/**
 * How requests are offered: open loop at a fixed rate (latency from each request's intended send
 * time, so a stalled proxy cannot hide its queue: coordinated omission corrected), or closed loop
 * with a fixed number of requests in flight (maximum throughput).
 */
record Load(int ratePerSecond) {

  static Load fixedRate(int ratePerSecond) {
    if (ratePerSecond <= 0) {
      throw new IllegalArgumentException("rate must be positive: " + ratePerSecond);
    }
    return new Load(ratePerSecond);
  }

  static Load max() {
    return new Load(0);
  }

  boolean openLoop() {
    return ratePerSecond > 0;
  }

  String id() {
    return openLoop() ? ratePerSecond + "/s" : "max";
  }

  static Load parse(String text) {
    return text.equals("max") ? max() : fixedRate(Integer.parseInt(text.replace("/s", "")));
  }
}
