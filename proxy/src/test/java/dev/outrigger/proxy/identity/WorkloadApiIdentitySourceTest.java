package dev.outrigger.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** java-spiffe's client, through our transport, against a Workload API server on a unix socket. */
class WorkloadApiIdentitySourceTest {
  private static final String ID = "spiffe://mesh.test/ns/shop/sa/cart";
  private static final Duration TTL = Duration.ofHours(1);

  @TempDir Path dir;
  private final TestSigner signer = new TestSigner("spire-root", Instant.now());
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final List<WorkloadIdentity> delivered = new CopyOnWriteArrayList<>();
  private TestWorkloadApi agent;
  private WorkloadApiIdentitySource source;

  @BeforeEach
  void startAgent() throws Exception {
    agent = TestWorkloadApi.onUnixSocket(dir.resolve("agent.sock"));
    source = new WorkloadApiIdentitySource(agent.address(), registry);
  }

  @AfterEach
  void stop() throws Exception {
    source.close();
    agent.close();
  }

  private record Svid(X509Certificate leaf, KeyPair key) {}

  private Svid newSvid() throws Exception {
    KeyPair key = TestSigner.newKey();
    return new Svid(signer.issueSvid(key.getPublic(), ID, Instant.now(), TTL), key);
  }

  private void push(Svid svid) throws Exception {
    agent.push(TestWorkloadApi.svid(ID, List.of(svid.leaf()), svid.key().getPrivate(), signer.root));
  }

  private double renewals(String result) {
    return registry.get("outrigger.identity.renewals").tag("result", result).counter().count();
  }

  @Test
  void startsBeforeTheAgentHasAnSvidAndDeliversEachOneItPushes() throws Exception {
    source.start(delivered::add);
    await().atMost(Duration.ofSeconds(30)).until(() -> agent.openStreams() == 1);
    assertThat(delivered).isEmpty();

    Svid first = newSvid();
    push(first);
    await().atMost(Duration.ofSeconds(30)).until(() -> delivered.size() == 1);
    WorkloadIdentity identity = delivered.get(0);
    assertThat(identity.certificateChain()).containsExactly(first.leaf());
    assertThat(identity.privateKey().getEncoded()).isEqualTo(first.key().getPrivate().getEncoded());
    assertThat(identity.trustBundle()).containsExactly(signer.root);

    Svid rotated = newSvid();
    push(rotated);
    await().atMost(Duration.ofSeconds(30)).until(() -> delivered.size() == 2);
    assertThat(delivered.get(1).leaf()).isEqualTo(rotated.leaf());
    assertThat(delivered.get(1).privateKey().getEncoded()).isEqualTo(rotated.key().getPrivate().getEncoded());
    assertThat(renewals("success")).isEqualTo(2);
  }

  @Test
  void anSvidWhoseKeyDoesNotMatchItsCertificateIsRejectedAndTheLastOneStays() throws Exception {
    Svid good = newSvid();
    push(good);
    source.start(delivered::add);
    await().atMost(Duration.ofSeconds(30)).until(() -> delivered.size() == 1);

    Svid other = newSvid();
    agent.push(TestWorkloadApi.svid(ID, List.of(newSvid().leaf()), other.key().getPrivate(), signer.root));
    await().atMost(Duration.ofSeconds(30)).until(() -> renewals("failure") == 1);
    assertThat(delivered).hasSize(1);
    assertThat(registry.get("outrigger.identity.renewal_failing").gauge().value()).isEqualTo(1);

    Svid next = newSvid();
    push(next);
    await().atMost(Duration.ofSeconds(30)).until(() -> delivered.size() == 2);
    assertThat(delivered.get(1).leaf()).isEqualTo(next.leaf());
    assertThat(registry.get("outrigger.identity.renewal_failing").gauge().value()).isZero();
  }

  @Test
  void closeEndsAWaitForAnAgentThatNeverAnswers() {
    source.start(delivered::add);
    await().atMost(Duration.ofSeconds(30)).until(() -> agent.openStreams() == 1);
    source.close();
    await().atMost(Duration.ofSeconds(30)).until(() -> liveThreadsNamed("outrigger-identity-workload-api") == 0);
    await().atMost(Duration.ofSeconds(30)).until(() -> liveThreadsNamed("outrigger-workload-api") == 0);
    assertThat(delivered).isEmpty();
  }

  private static long liveThreadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).count();
  }

  @Test
  void alsoReachesAnAgentOnLoopbackTcp() throws Exception {
    try (TestWorkloadApi tcpAgent = TestWorkloadApi.onLoopbackTcp();
        WorkloadApiIdentitySource tcpSource = new WorkloadApiIdentitySource(tcpAgent.address(), new SimpleMeterRegistry())) {
      Svid svid = newSvid();
      tcpAgent.push(TestWorkloadApi.svid(ID, List.of(svid.leaf()), svid.key().getPrivate(), signer.root));
      tcpSource.start(delivered::add);
      await().atMost(Duration.ofSeconds(30)).until(() -> delivered.size() == 1);
      assertThat(delivered.get(0).leaf()).isEqualTo(svid.leaf());
    }
  }

  @Test
  void rejectsAnAddressJavaSpiffeWouldNot() {
    assertThatThrownBy(() -> new WorkloadApiIdentitySource("http://127.0.0.1:8081", registry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tcp:// or unix://");
    assertThatThrownBy(() -> new WorkloadApiIdentitySource("tcp://localhost:8081", registry))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
