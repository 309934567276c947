package dev.outrigger.benchmarks.harness;

import java.time.Duration;

/**
 * A running proxy process: its start-up time (spawn until ready), the CPU time it used to get
 * there (on a busy machine a steadier measure of start-up work than the wall clock), and idle
 * resident memory, read once it was ready and before any load.
 */
record ProxyInstance(ManagedProcess process, Duration startup, double startupCpuSeconds,
    long idleRssKib) {

  static ProxyInstance ready(ManagedProcess process, Duration startup) throws InterruptedException {
    ProcessProbe probe = new ProcessProbe(process.pid());
    double cpu = probe.cpuSeconds();
    // Give the JVM a moment to settle (JIT threads, GC) so "idle" is idle, not still starting.
    Thread.sleep(500);
    return new ProxyInstance(process, startup, cpu, probe.rssKib());
  }

  ProcessProbe probe() {
    return new ProcessProbe(process.pid());
  }

  String name() {
    return process.name;
  }
}
