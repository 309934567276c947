/**
 * End-to-end tests: the proxy runs as its own process, from the packaged jars, with the heap the
 * launcher gives a sidecar, and is driven over loopback sockets by real clients and apps.
 *
 * <p>A test registers {@link dev.outrigger.e2e.ProxyProcesses} on a static field, describes the
 * proxy's config with a {@link dev.outrigger.e2e.Bootstrap} that points its clusters at in-test
 * upstreams ({@link dev.outrigger.e2e.HttpUpstream}, {@link dev.outrigger.e2e.TcpUpstream}), and
 * starts it; bodies are generated and checked on the fly ({@link dev.outrigger.e2e.Payload},
 * {@link dev.outrigger.e2e.Digest}) so that size costs time, not memory. Proxy output is kept in
 * target/proxy-logs and attached to failures.
 *
 * <p>Mesh tests run the control plane too ({@link dev.outrigger.e2e.ControlPlaneProcess}, and its
 * {@code ctl} commands as processes), with sidecars that get their identities from its CA ({@link
 * dev.outrigger.e2e.MeshSidecars}) and workloads without a sidecar that do ({@link
 * dev.outrigger.e2e.CaIssuedClient}).
 *
 * <p>These tests run in Maven's integration-test phase (see e2e/pom.xml), after the proxy module
 * and the control plane have been packaged.
 */
package dev.outrigger.e2e;
