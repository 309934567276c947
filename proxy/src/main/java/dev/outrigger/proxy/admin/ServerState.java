package dev.outrigger.proxy.admin;

/** Where the proxy is in its life, as {@code /ready} reports it (Envoy's names). */
public enum ServerState {
  /** Config is being applied and listeners bound. */
  INITIALIZING,
  /** Serving. The only state in which {@code /ready} answers 200. */
  LIVE,
  /** Not accepting; existing connections are finishing. */
  DRAINING
}
