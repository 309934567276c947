package dev.outrigger.proxy.upstream.health;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Health events kept for assertions, readable from the test thread while a real loop reports. */
final class RecordedEvents implements HealthEvents {
  final List<ProbeResult> checks = new CopyOnWriteArrayList<>();
  final List<EjectionReason> ejections = new CopyOnWriteArrayList<>();
  volatile int healthy = -1;

  @Override
  public void checked(ProbeResult result) {
    checks.add(result);
  }

  @Override
  public void ejected(EjectionReason reason) {
    ejections.add(reason);
  }

  @Override
  public void healthyEndpoints(int count) {
    healthy = count;
  }
}
