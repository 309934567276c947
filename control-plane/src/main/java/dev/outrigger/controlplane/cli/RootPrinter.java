package dev.outrigger.controlplane.cli;

import dev.outrigger.controlplane.ca.RootRotation.RootStatus;
import java.io.PrintWriter;

/** One root as the ctl commands show it: a header line, then one field per line. */
final class RootPrinter {
  private RootPrinter() {}

  static void print(PrintWriter out, RootStatus root) {
    out.println("root " + root.id() + "  " + root.phase()
        + (root.viaIntermediate() ? "  (signs through an intermediate)" : ""));
    out.println("  subject       " + root.rootSubject());
    out.println("  sha256        " + root.rootFingerprint());
    out.println("  not after     " + root.rootNotAfter());
    out.println("  issued until  " + (root.issuedUntil() == null ? "-" : root.issuedUntil()));
  }
}
