package dev.outrigger.controlplane.cli;

/** Exit codes of {@code outrigger control-plane} and {@code outrigger ctl}, for scripts. */
final class ExitCodes {
  static final int OK = 0;
  /** Wrong command line, or a value that does not validate (a bad namespace, a bad PEM file). */
  static final int INVALID = 1;
  /** The request was understood and refused: a rotation step out of order or too early. */
  static final int REFUSED = 2;
  /** The state directory is missing or unreadable, or the server could not start. */
  static final int FAILED = 3;

  private ExitCodes() {}
}
