package dev.outrigger.proxy.identity;

import io.micrometer.core.instrument.MeterRegistry;
import io.spiffe.bundle.x509bundle.X509Bundle;
import io.spiffe.exception.BundleNotFoundException;
import io.spiffe.exception.SocketEndpointAddressException;
import io.spiffe.exception.X509SourceException;
import io.spiffe.svid.x509svid.X509Svid;
import io.spiffe.workloadapi.Address;
import io.spiffe.workloadapi.DefaultWorkloadApiClient;
import io.spiffe.workloadapi.DefaultX509Source;
import io.spiffe.workloadapi.WorkloadApiClient;
import io.spiffe.workloadapi.X509Source;
import java.io.Closeable;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workload's identity from the SPIFFE Workload API (a SPIRE agent), through java-spiffe's
 * {@link X509Source}: the agent makes the key, renews the SVID and pushes every new one over its
 * streaming {@code FetchX509SVID} call; each reaches the consumer, with the bundle of the SVID's
 * own trust domain (federated bundles are not used). Reconnecting after the agent restarts is
 * java-spiffe's (exponential backoff, no limit).
 *
 * <p>The source connects on its own thread, so {@link #start} does not wait for the agent; the first
 * identity arrives once the agent has attested the workload. An update whose key does not match its
 * certificate is rejected and counted; the last good identity stays in use.
 */
public final class WorkloadApiIdentitySource implements IdentitySource {
  /** The environment variable SPIFFE defines for the Workload API address. */
  public static final String ENDPOINT_VARIABLE = Address.SOCKET_ENV_VARIABLE;

  private static final Logger log = LoggerFactory.getLogger(WorkloadApiIdentitySource.class);

  private final String endpoint;
  private final RenewalMeters meters;
  private final Thread connector;
  private Consumer<WorkloadIdentity> updates;
  // Guarded by this: the SVID last handed over (or rejected); the source parses each update anew.
  private X509Svid published;
  private volatile WorkloadApiClient client;
  private volatile X509Source source;
  private volatile boolean closed;

  /**
   * @param endpoint {@code unix:///path/to/agent.sock} or {@code tcp://127.0.0.1:port}
   * @throws IllegalArgumentException if java-spiffe does not accept the address
   */
  public WorkloadApiIdentitySource(String endpoint, MeterRegistry registry) {
    try {
      Address.parseAddress(endpoint);
    } catch (SocketEndpointAddressException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    this.endpoint = endpoint;
    this.meters = new RenewalMeters(registry);
    this.connector = new Thread(this::connect, "outrigger-identity-workload-api");
    connector.setDaemon(true);
  }

  /** {@code SPIFFE_ENDPOINT_SOCKET} when it is set and not blank. */
  public static Optional<String> endpointFromEnvironment() {
    return Optional.ofNullable(System.getenv(ENDPOINT_VARIABLE)).filter(value -> !value.isBlank());
  }

  @Override
  public void start(Consumer<WorkloadIdentity> updates) {
    this.updates = Objects.requireNonNull(updates, "updates");
    connector.start();
  }

  private void connect() {
    X509Source connected;
    try {
      client = new NotifyingWorkloadApiClient(
          DefaultWorkloadApiClient.newClient(
              DefaultWorkloadApiClient.ClientOptions.builder().spiffeSocketPath(endpoint).build()),
          this::publish,
          this::watchFailed);
      // Zero: wait for the agent as long as it takes; close() interrupts the wait.
      connected = DefaultX509Source.newSource(
          DefaultX509Source.X509SourceOptions.builder().workloadApiClient(client).initTimeout(Duration.ZERO).build());
    } catch (SocketEndpointAddressException | X509SourceException | RuntimeException e) {
      watchFailed(e);
      return;
    }
    source = connected;
    if (closed) {
      closeQuietly(connected);
      return;
    }
    // Updates that arrived while newSource was still waiting were not published: there was no source yet.
    publish();
  }

  /**
   * Reads the source's current SVID under the lock, so whichever of the connecting thread and the
   * Workload API stream publishes last hands over the newest one, and the first SVID, which both may
   * see, is handed over once.
   */
  private synchronized void publish() {
    X509Source current = source;
    if (current == null || closed) {
      return;
    }
    X509Svid svid = current.getX509Svid();
    if (svid == published) {
      return;
    }
    published = svid;
    try {
      // java-spiffe does not check that the key belongs to the certificate.
      if (!KeyPairCheck.matches(svid.getPrivateKey(), svid.getLeaf())) {
        throw new GeneralSecurityException("the private key does not belong to the certificate");
      }
      X509Bundle bundle = current.getBundleForTrustDomain(svid.getSpiffeId().getTrustDomain());
      updates.accept(new WorkloadIdentity(svid.getChain(), svid.getPrivateKey(), new ArrayList<>(bundle.getX509Authorities())));
      meters.succeeded();
      log.info("Workload API identity {}: serial {}, valid until {}", svid.getSpiffeId(),
          svid.getLeaf().getSerialNumber().toString(16), svid.getLeaf().getNotAfter().toInstant());
    } catch (GeneralSecurityException | BundleNotFoundException | RuntimeException e) {
      meters.failed();
      log.warn("rejected an X.509-SVID from the Workload API at {}; keeping the previous one: {}", endpoint, e.toString());
    }
  }

  private void watchFailed(Throwable error) {
    if (closed) {
      return;
    }
    meters.failed();
    log.error("the Workload API at {} stopped delivering X.509-SVIDs: {}", endpoint, error.toString());
  }

  @Override
  public void close() {
    closed = true;
    connector.interrupt();
    Closeable current = source != null ? source : client;
    if (current != null) {
      closeQuietly(current);
    }
  }

  private static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      log.debug("closing the Workload API client", e);
    }
  }
}
