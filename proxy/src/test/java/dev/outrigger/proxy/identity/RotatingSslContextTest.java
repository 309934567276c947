package dev.outrigger.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outrigger.proxy.config.CertificateKeyPair;
import dev.outrigger.proxy.config.DownstreamTlsConfig;
import dev.outrigger.proxy.config.PeerValidation;
import dev.outrigger.proxy.config.TlsParameters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The context that follows the workload certificate: none before it, swapped after, released cleanly. */
class RotatingSslContextTest {
  private static final SvidPki.Ca ROOT = SvidPki.Ca.create("example.org root");
  private static final DownstreamTlsConfig WORKLOAD_SERVER = new DownstreamTlsConfig(
      Optional.<CertificateKeyPair>empty(), Optional.empty(), false, List.of(), PeerValidation.NONE, TlsParameters.DEFAULT);

  private final IdentityMetrics metrics = new IdentityMetrics(new SimpleMeterRegistry());
  private final WorkloadIdentities identities = new WorkloadIdentities(metrics);
  private final TlsContextFactory factory = new TlsContextFactory(identities, metrics, Clock.systemUTC());

  @Test
  void makesHandlersOnlyOnceAnIdentityIsLoadedAndStopsFollowingWhenReleased() throws Exception {
    SslContext context = factory.server("chain", WORKLOAD_SERVER);
    try {
      assertThatThrownBy(() -> context.newHandler(ByteBufAllocator.DEFAULT))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("no workload identity loaded yet");

      identities.accept(ROOT.issue("spiffe://example.org/ns/shop/sa/cart").identity(List.of(ROOT.certificate())));
      SslHandler handler = context.newHandler(ByteBufAllocator.DEFAULT);
      assertThat(handler.engine().getUseClientMode()).isFalse();
      ReferenceCountUtil.release(handler.engine());
      // Which certificate new handshakes present after each identity: RotationTest, over real sockets.
    } finally {
      ReferenceCountUtil.release(context);
    }
    assertThat(((io.netty.util.ReferenceCounted) context).refCnt()).isZero();
    // Released: later identities no longer rebuild it.
    identities.accept(ROOT.issue("spiffe://example.org/ns/shop/sa/cart").identity(List.of(ROOT.certificate())));
    assertThatThrownBy(() -> context.newHandler(ByteBufAllocator.DEFAULT)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void refusesAnIdentityWhoseKeyIsNotTheLeafs() {
    SvidPki.Leaf leaf = ROOT.issue("spiffe://example.org/ns/shop/sa/cart");
    SvidPki.Leaf other = ROOT.issue("spiffe://example.org/ns/shop/sa/cart");
    identities.accept(new WorkloadIdentity(List.of(leaf.certificate()), other.key(), List.of(ROOT.certificate())));
    identities.accept(ROOT.issue().identity(List.of(ROOT.certificate())));
    assertThat(identities.current()).isEmpty();
  }
}
