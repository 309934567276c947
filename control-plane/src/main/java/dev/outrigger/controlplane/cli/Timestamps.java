package dev.outrigger.controlplane.cli;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/** Timestamps of the admin API as ctl prints them: ISO-8601 UTC to the second, "-" when unset. */
final class Timestamps {
  private Timestamps() {}

  static String text(Timestamp timestamp) {
    if (timestamp.getSeconds() == 0 && timestamp.getNanos() == 0) {
      return "-";
    }
    return Instant.ofEpochSecond(timestamp.getSeconds()).toString();
  }
}
