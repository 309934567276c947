package dev.outrigger.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** When, and how busy the machine was: the 1-minute load average tells whether others shared it. */
record MachineState(Instant time, int cores, double loadAverage1m) {

  static MachineState now() {
    return new MachineState(Instant.now(), Runtime.getRuntime().availableProcessors(),
        loadAverage());
  }

  private static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
