package dev.outrigger.proxy.upstream;

/** What only a cluster may do to an endpoint, for tests in other packages. */
public final class TestEndpoints {
  private TestEndpoints() {}

  public static void retire(Endpoint endpoint) {
    endpoint.retire();
  }
}
