package dev.outrigger.benchmarks.harness;

import java.time.Duration;

/**
 * A running proxy process: its start-up time (spawn until ready) and idle resident memory, read
 * once it was ready and before any load.
 */
record ProxyInstance(ManagedProcess process, Duration startup, long idleRssKib) {

  static ProxyInstance ready(ManagedProcess process, Duration startup) throws InterruptedException {
    // Give the JVM a moment to settle (JIT threads, GC) so "idle" is idle, not still starting.
    Thread.sleep(500);
    return new ProxyInstance(process, startup, new ProcessProbe(process.pid()).rssKib());
  }

  ProcessProbe probe() {
    return new ProcessProbe(process.pid());
  }

  String name() {
    return process.name;
  }
}
