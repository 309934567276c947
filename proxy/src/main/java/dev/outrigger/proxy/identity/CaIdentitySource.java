package dev.outrigger.proxy.identity;

import dev.outrigger.api.ca.v1.SignRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.spiffe.exception.InvalidSpiffeIdException;
import io.spiffe.spiffeid.SpiffeId;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workload's identity from the Outrigger CA ({@code outrigger.ca.v1.CertificateService/Sign}).
 * Each attempt makes a new EC P-256 key, sends a CSR for the SPIFFE ID with the join token as
 * credential, and hands the verified result ({@link IssuedIdentity}) to the consumer; the next
 * attempt is scheduled by {@link RenewalPolicy}. The first attempt runs as soon as the source
 * starts; until one succeeds there is no identity.
 *
 * <p>Every renewal makes a new key rather than re-certifying the old one: a key then lives no
 * longer than one certificate, so a key that leaked (a heap dump, a core file) stops being useful
 * when its certificate expires, and nothing about the key has to be stored or rotated separately.
 * A P-256 key costs well under a millisecond to make.
 */
public final class CaIdentitySource implements IdentitySource {
  private static final Logger log = LoggerFactory.getLogger(CaIdentitySource.class);

  /**
   * What the proxy needs to reach the CA and what to ask it for.
   *
   * @param caAddress the CA's gRPC target, e.g. {@code 127.0.0.1:15012}; its certificate must name
   *     that host
   * @param bundleFile PEM roots that the CA's own TLS certificate chains to (the CA writes it)
   * @param tokenFile the join token ({@code outrigger ctl token create}), read at every renewal
   * @param spiffeId the workload's SPIFFE ID; the token must grant it
   * @param requestedTtl the certificate lifetime to ask for; zero leaves it to the CA
   */
  public record Settings(String caAddress, Path bundleFile, Path tokenFile, String spiffeId, Duration requestedTtl) {
    public Settings {
      Objects.requireNonNull(caAddress, "caAddress");
      Objects.requireNonNull(bundleFile, "bundleFile");
      Objects.requireNonNull(tokenFile, "tokenFile");
      try {
        SpiffeId.parse(spiffeId);
      } catch (InvalidSpiffeIdException e) {
        throw new IllegalArgumentException("not a SPIFFE ID: " + spiffeId + " (" + e.getMessage() + ")", e);
      }
      Objects.requireNonNull(requestedTtl, "requestedTtl");
      if (requestedTtl.isNegative()) {
        throw new IllegalArgumentException("requestedTtl must not be negative, got " + requestedTtl);
      }
    }
  }

  private final Settings settings;
  private final CaClient ca;
  private final RenewalPolicy policy;
  private final RenewalScheduler scheduler;
  private final Clock clock;
  private final RenewalMeters meters;
  // Set before the first renewal task is scheduled; the tasks run one at a time and alone use these.
  private Consumer<WorkloadIdentity> updates;
  private X509Certificate current;
  private int failuresInARow;
  private volatile boolean closed;

  public CaIdentitySource(Settings settings, MeterRegistry registry) {
    this(settings, registry, Clock.systemUTC(), RenewalScheduler.daemonThread("outrigger-identity-ca"),
        new RenewalPolicy(() -> ThreadLocalRandom.current().nextDouble()));
  }

  CaIdentitySource(Settings settings, MeterRegistry registry, Clock clock, RenewalScheduler scheduler,
      RenewalPolicy policy) {
    this.settings = settings;
    this.ca = new CaClient(settings.caAddress(), settings.bundleFile(), settings.tokenFile());
    this.policy = policy;
    this.scheduler = scheduler;
    this.clock = clock;
    this.meters = new RenewalMeters(registry);
  }

  @Override
  public void start(Consumer<WorkloadIdentity> updates) {
    this.updates = Objects.requireNonNull(updates, "updates");
    scheduler.schedule(Duration.ZERO, this::renew);
  }

  private void renew() {
    if (closed) {
      return;
    }
    Duration next;
    try {
      WorkloadIdentity identity = issue();
      updates.accept(identity);
      current = identity.leaf();
      failuresInARow = 0;
      meters.succeeded();
      next = policy.afterIssue(current, clock.instant());
      log.info("certificate for {} issued: serial {}, valid until {}; next renewal in {}",
          settings.spiffeId(), current.getSerialNumber().toString(16), current.getNotAfter().toInstant(), next);
    } catch (Exception e) {
      failuresInARow++;
      meters.failed();
      next = policy.afterFailure(failuresInARow);
      log.warn("certificate for {} not renewed ({} failures in a row; current one {}), retrying in {}: {}",
          settings.spiffeId(), failuresInARow,
          current == null ? "none yet" : "valid until " + current.getNotAfter().toInstant(), next, e.toString());
    }
    if (!closed) {
      scheduler.schedule(next, this::renew);
    }
  }

  private WorkloadIdentity issue() throws IOException, GeneralSecurityException {
    SigningRequest request = SigningRequest.forId(settings.spiffeId());
    Duration ttl = settings.requestedTtl();
    SignRequest.Builder message = SignRequest.newBuilder().setCsrPem(request.csrPem());
    if (!ttl.isZero()) {
      message.setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(ttl.getSeconds()).setNanos(ttl.getNano()));
    }
    return IssuedIdentity.verify(ca.sign(message.build()), request.keyPair(), settings.spiffeId(), clock.instant());
  }

  @Override
  public void close() {
    closed = true;
    scheduler.close();
  }
}
