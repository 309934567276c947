package dev.outrigger.proxy.http.filter;

import java.util.function.Supplier;

/**
 * A value per downstream connection, like a {@code ThreadLocal} per connection: a filter that
 * keeps state for each connection (a per-connection rate limit) holds one and reads it through
 * {@link FilterRequest#connectionLocal}. Identity is the key.
 */
public final class ConnectionLocal<T> {
  private final Supplier<T> initial;

  public ConnectionLocal(Supplier<T> initial) {
    this.initial = initial;
  }

  T initialValue() {
    return initial.get();
  }
}
