package dev.outrigger.proxy.upstream.health;

import java.util.ArrayList;
import java.util.List;

/** Health events kept for assertions. */
final class RecordedEvents implements HealthEvents {
  final List<ProbeResult> checks = new ArrayList<>();
  final List<EjectionReason> ejections = new ArrayList<>();
  int healthy = -1;

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
