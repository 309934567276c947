package dev.outrigger.benchmarks.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads one process's CPU time and resident memory from /proc. CPU is utime + stime of
 * /proc/PID/stat, in clock ticks of 1/100 s (Linux's USER_HZ on every mainstream architecture).
 */
final class ProcessProbe {
  private static final double SECONDS_PER_TICK = 0.01;
  private final long pid;

  ProcessProbe(long pid) {
    this.pid = pid;
  }

  /** User plus system CPU seconds used so far. */
  double cpuSeconds() {
    String stat = read("stat");
    // The command name (field 2) is in parentheses and may hold spaces: count after its ')'.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long utime = Long.parseLong(fields[11]);
    long stime = Long.parseLong(fields[12]);
    return (utime + stime) * SECONDS_PER_TICK;
  }

  /** VmRSS in KiB. */
  long rssKib() {
    for (String line : read("status").split("\n")) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/" + pid + "/status");
  }

  private String read(String file) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), file));
    } catch (IOException e) {
      throw new UncheckedIOException("process " + pid + " is gone", e);
    }
  }
}
