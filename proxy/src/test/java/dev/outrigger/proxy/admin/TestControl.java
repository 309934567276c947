package dev.outrigger.proxy.admin;

import dev.outrigger.proxy.config.ProxyConfig;
import java.util.concurrent.atomic.AtomicInteger;

/** An {@link AdminControl} whose state the test sets and whose drain and shutdown it counts. */
final class TestControl implements AdminControl {
  final AtomicInteger drains = new AtomicInteger();
  final AtomicInteger shutdowns = new AtomicInteger();
  private final ProxyConfig config;
  volatile ServerState state = ServerState.INITIALIZING;

  TestControl(ProxyConfig config) {
    this.config = config;
  }

  @Override
  public ServerState state() {
    return state;
  }

  @Override
  public ProxyConfig config() {
    return config;
  }

  @Override
  public String configVersion() {
    return "static";
  }

  @Override
  public void startDrain() {
    drains.incrementAndGet();
  }

  @Override
  public void startShutdown() {
    shutdowns.incrementAndGet();
  }
}
