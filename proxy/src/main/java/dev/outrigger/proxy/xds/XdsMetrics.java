package dev.outrigger.proxy.xds;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code outrigger_xds_updates_total{type, result=ack|nack}}, {@code outrigger_xds_connected}
 * (1 while a stream is open) and {@code outrigger_xds_reconnects_total}; resolved once.
 */
final class XdsMetrics {
  private final Map<XdsType, Counter> acks = new EnumMap<>(XdsType.class);
  private final Map<XdsType, Counter> nacks = new EnumMap<>(XdsType.class);
  private final AtomicInteger connected = new AtomicInteger();
  private final Counter reconnects;

  XdsMetrics(MeterRegistry registry) {
    for (XdsType type : XdsType.values()) {
      acks.put(type, updates(registry, type, "ack"));
      nacks.put(type, updates(registry, type, "nack"));
    }
    Gauge.builder("outrigger.xds.connected", connected, AtomicInteger::get)
        .description("1 while the ADS stream to the control plane is open")
        .register(registry);
    reconnects = Counter.builder("outrigger.xds.reconnects")
        .description("ADS streams opened again after one ended")
        .register(registry);
  }

  private static Counter updates(MeterRegistry registry, XdsType type, String result) {
    return Counter.builder("outrigger.xds.updates")
        .description("xDS responses accepted (ack) or rejected (nack)")
        .tag("type", type.label())
        .tag("result", result)
        .register(registry);
  }

  void ack(XdsType type) {
    acks.get(type).increment();
  }

  void nack(XdsType type) {
    nacks.get(type).increment();
  }

  void connected(boolean open) {
    connected.set(open ? 1 : 0);
  }

  void reconnect() {
    reconnects.increment();
  }
}
