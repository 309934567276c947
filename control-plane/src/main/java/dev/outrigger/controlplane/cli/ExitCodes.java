package dev.outrigger.controlplane.cli;

/** Exit codes of {@code outrigger control-plane} and {@code outrigger ctl}, for scripts. */
final class ExitCodes {
  static final int OK = 0;
  /** Wrong command line, or a value that does not validate (a bad namespace, a bad PEM file). */
  static final int INVALID = 1;
  /**
   * The request was understood and refused: a rotation step out of order or too early; a change
   * through the admin API from a non-loopback caller or to a read-only control plane.
   */
  static final int REFUSED = 2;
  /** The state directory is missing or unreadable, the server could not start, or it failed a request. */
  static final int FAILED = 3;
  /** ctl could not reach the control plane's admin API (or lost it mid-stream). */
  static final int UNREACHABLE = 4;

  private ExitCodes() {}
}
