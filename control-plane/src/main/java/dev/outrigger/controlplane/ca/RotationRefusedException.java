package dev.outrigger.controlplane.ca;

/** A rotation step that may not run now (wrong order, or too early to retire); the message says why. */
public final class RotationRefusedException extends Exception {
  RotationRefusedException(String message) {
    super(message);
  }
}
