package dev.outrigger.proxy.stream;

/** Envoy's response flags: why a request or connection ended the way it did, as short codes. */
public enum ResponseFlag {
  /** No route configured for the request. */
  NR,
  /** No healthy upstream host. */
  UH,
  /** Upstream connection failure. */
  UF,
  /** Upstream request timeout. */
  UT,
  /** Upstream connection terminated. */
  UC,
  /** Upstream reset the stream / remote reset. */
  UR,
  /** Upstream overflow (circuit breaker). */
  UO,
  /** Upstream retry limit exceeded. */
  URX,
  /** Cluster not found. */
  NC,
  /** Downstream connection terminated. */
  DC,
  /** Stream idle timeout. */
  SI,
  /** Downstream protocol error. */
  DPE,
  /** Upstream protocol error. */
  UPE,
  /** Rate limited locally. */
  RL,
  /** Request delayed by fault injection. */
  DI,
  /** Request aborted by fault injection. */
  FI,
  /** Unauthorized by RBAC. */
  UAEX,
  /** Duration limit exceeded. */
  DT;
}
