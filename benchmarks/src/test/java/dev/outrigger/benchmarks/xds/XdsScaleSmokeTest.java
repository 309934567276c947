package dev.outrigger.benchmarks.xds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scale benchmark with 20 clients and one route change, so that it does not rot: every
 * client converges and ACKs the change. Not a measurement.
 */
class XdsScaleSmokeTest {

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void twentyClientsConvergeAndAckARouteChange() throws Exception {
    List<String> report = XdsScale.run("--clients", "20", "--services", "5", "--namespaces", "2",
        "--clients-per-channel", "10", "--changes", "1", "--control-plane-heap", "256m", "--timeout", "60s");

    assertThat(report).anyMatch(line -> line.startsWith("connect: streams opened"))
        .anyMatch(line -> line.matches("heap after GC: .* with 20 clients: .*"))
        .anyMatch(line -> line.startsWith("route change 1: ACKed by all 20 after p50"));
  }
}
