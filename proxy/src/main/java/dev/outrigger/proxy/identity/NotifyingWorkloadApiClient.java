package dev.outrigger.proxy.identity;

import io.spiffe.bundle.jwtbundle.JwtBundleSet;
import io.spiffe.bundle.x509bundle.X509BundleSet;
import io.spiffe.exception.JwtBundleException;
import io.spiffe.exception.JwtSvidException;
import io.spiffe.exception.X509BundleException;
import io.spiffe.exception.X509ContextException;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.svid.jwtsvid.JwtSvid;
import io.spiffe.workloadapi.Watcher;
import io.spiffe.workloadapi.WorkloadApiClient;
import io.spiffe.workloadapi.X509Context;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * A Workload API client that tells us when the X.509 context it watches changed. java-spiffe's
 * {@code X509Source} keeps the latest SVID but has no listener; the client it watches through is
 * its one seam, so this wraps that client: every update goes to the source first, then {@code
 * updated} runs, so the source already holds what it announces.
 */
final class NotifyingWorkloadApiClient implements WorkloadApiClient {
  private final WorkloadApiClient delegate;
  private final Runnable updated;
  private final Consumer<Throwable> failed;

  NotifyingWorkloadApiClient(WorkloadApiClient delegate, Runnable updated, Consumer<Throwable> failed) {
    this.delegate = delegate;
    this.updated = updated;
    this.failed = failed;
  }

  @Override
  public void watchX509Context(Watcher<X509Context> watcher) {
    delegate.watchX509Context(
        new Watcher<>() {
          @Override
          public void onUpdate(X509Context update) {
            watcher.onUpdate(update);
            updated.run();
          }

          @Override
          public void onError(Throwable error) {
            failed.accept(error);
            watcher.onError(error);
          }
        });
  }

  @Override
  public X509Context fetchX509Context() throws X509ContextException {
    return delegate.fetchX509Context();
  }

  @Override
  public X509BundleSet fetchX509Bundles() throws X509BundleException {
    return delegate.fetchX509Bundles();
  }

  @Override
  public void watchX509Bundles(Watcher<X509BundleSet> watcher) {
    delegate.watchX509Bundles(watcher);
  }

  @Override
  public JwtSvid fetchJwtSvid(String audience, String... extraAudience) throws JwtSvidException {
    return delegate.fetchJwtSvid(audience, extraAudience);
  }

  @Override
  public JwtSvid fetchJwtSvid(SpiffeId subject, String audience, String... extraAudience) throws JwtSvidException {
    return delegate.fetchJwtSvid(subject, audience, extraAudience);
  }

  @Override
  public List<JwtSvid> fetchJwtSvids(String audience, String... extraAudience) throws JwtSvidException {
    return delegate.fetchJwtSvids(audience, extraAudience);
  }

  @Override
  public List<JwtSvid> fetchJwtSvids(SpiffeId subject, String audience, String... extraAudience)
      throws JwtSvidException {
    return delegate.fetchJwtSvids(subject, audience, extraAudience);
  }

  @Override
  public JwtBundleSet fetchJwtBundles() throws JwtBundleException {
    return delegate.fetchJwtBundles();
  }

  @Override
  public JwtSvid validateJwtSvid(String token, String audience) throws JwtSvidException {
    return delegate.validateJwtSvid(token, audience);
  }

  @Override
  public void watchJwtBundles(Watcher<JwtBundleSet> watcher) {
    delegate.watchJwtBundles(watcher);
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
