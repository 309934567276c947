package dev.outrigger.benchmarks.harness;

import java.io.IOException;

/** Starts one proxy product's processes for each topology shape. */
interface ProxyLauncher {
  String proxy();

  Topology single(Upstream upstream) throws IOException, InterruptedException;

  /** The sidecar pair; {@code tls} null for h2c between the two, else mTLS with these certificates. */
  Topology pair(Upstream upstream, Certificates tls) throws IOException, InterruptedException;
}
