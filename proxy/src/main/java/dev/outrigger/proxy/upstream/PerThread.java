package dev.outrigger.proxy.upstream;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Supplier;

/**
 * One value per thread (per event loop), held by the owning object itself. A {@code FastThreadLocal}
 * per object would do the same, but Netty never frees a thread-local's index and balancers are
 * rebuilt on every endpoint change; here each thread gets one ordinal for life and an object keeps
 * its values in an array indexed by it. A thread's first {@link #get} adds its value copy-on-write
 * (lock-free); every later one is two plain reads.
 */
final class PerThread<T> {
  private static final AtomicInteger NEXT_ORDINAL = new AtomicInteger();
  private static final FastThreadLocal<Integer> ORDINAL =
      new FastThreadLocal<>() {
        @Override
        protected Integer initialValue() {
          return NEXT_ORDINAL.getAndIncrement();
        }
      };

  @SuppressWarnings("rawtypes")
  private static final AtomicReferenceFieldUpdater<PerThread, Object[]> VALUES =
      AtomicReferenceFieldUpdater.newUpdater(PerThread.class, Object[].class, "values");

  private final Supplier<T> initial;
  private volatile Object[] values = new Object[0];

  PerThread(Supplier<T> initial) {
    this.initial = initial;
  }

  /** The calling thread's value, made by the supplier on its first call. */
  @SuppressWarnings("unchecked")
  T get() {
    int ordinal = ORDINAL.get();
    Object[] current = values;
    if (ordinal < current.length && current[ordinal] != null) {
      return (T) current[ordinal];
    }
    return add(ordinal);
  }

  private T add(int ordinal) {
    T value = initial.get();
    Object[] current;
    Object[] grown;
    do {
      current = values;
      grown = Arrays.copyOf(current, Math.max(current.length, ordinal + 1));
      grown[ordinal] = value;
    } while (!VALUES.compareAndSet(this, current, grown));
    return value;
  }
}
