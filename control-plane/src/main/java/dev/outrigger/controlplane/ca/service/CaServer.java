package dev.outrigger.controlplane.ca.service;

import dev.outrigger.controlplane.audit.AuditSink;
import dev.outrigger.controlplane.ca.CertificateAuthority;
import dev.outrigger.controlplane.token.Authenticator;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.spiffe.spiffeid.SpiffeId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CA's gRPC server: {@code CertificateService} over TLS with a serving certificate issued by
 * the CA itself (SPIFFE ID {@code spiffe://<td>/ns/outrigger-system/sa/control-plane} plus
 * {@code localhost} and the listen address), renewed at half its lifetime. Callers authenticate
 * with a bearer credential, not a client certificate: a proxy asks here for its first one.
 */
public final class CaServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CaServer.class);
  private static final Duration RETRY_RENEWAL = Duration.ofMinutes(1);

  private final Server server;
  private final ServingIdentity identity;
  private final ScheduledExecutorService renewals;

  private CaServer(Server server, ServingIdentity identity, ScheduledExecutorService renewals) {
    this.server = server;
    this.identity = identity;
    this.renewals = renewals;
  }

  /** The control plane's own SPIFFE ID in {@code ca}'s trust domain. */
  public static SpiffeId controlPlaneId(CertificateAuthority ca) {
    return ca.trustDomain().newSpiffeId("ns", "outrigger-system", "sa", "control-plane");
  }

  /**
   * Binds {@code address} (port 0: any free port) and serves until {@link #close()}, with {@code
   * alongside} (the xDS server's ADS) on the same TLS port.
   */
  public static CaServer start(InetSocketAddress address, CertificateAuthority ca,
      Authenticator authenticator, AuditSink audit, Clock clock, BindableService... alongside) throws IOException {
    List<String> ips = address.getAddress().isAnyLocalAddress()
        ? List.of("127.0.0.1")
        : List.of(address.getAddress().getHostAddress());
    ServingIdentity identity =
        new ServingIdentity(ca, controlPlaneId(ca), List.of("localhost"), ips, audit, clock);
    Duration firstRenewal = identity.renew();
    SslContext tls = GrpcSslContexts.configure(SslContextBuilder.forServer(identity)).build();
    NettyServerBuilder builder = NettyServerBuilder.forAddress(address)
        .sslContext(tls)
        .addService(ServerInterceptors.intercept(
            new SignService(ca, authenticator, audit, clock), new BearerCredential()));
    for (BindableService service : alongside) {
      builder.addService(service);
    }
    Server server = builder.build().start();
    ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "outrigger-ca-serving-renewal");
      thread.setDaemon(true);
      return thread;
    });
    CaServer started = new CaServer(server, identity, renewals);
    started.scheduleRenewal(firstRenewal);
    return started;
  }

  public int port() {
    return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  /** The serving certificate's not-after and serial, for the start-up message. */
  public String servingCertificateSummary() {
    return "serial " + identity.certificate().serialHex() + ", not after " + identity.certificate().notAfter();
  }

  private void scheduleRenewal(Duration delay) {
    renewals.schedule(() -> {
      Duration next;
      try {
        next = identity.renew();
      } catch (IOException | RuntimeException e) {
        LOG.error("cannot renew the control plane's serving certificate; retrying in {}", RETRY_RENEWAL, e);
        next = RETRY_RENEWAL;
      }
      scheduleRenewal(next);
    }, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops accepting, lets calls in flight finish for a few seconds, then cancels them. */
  @Override
  public void close() {
    renewals.shutdownNow();
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
