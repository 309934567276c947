package dev.outrigger.controlplane.ca.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outrigger.api.ca.v1.CertificateServiceGrpc;
import dev.outrigger.api.ca.v1.SignRequest;
import dev.outrigger.api.ca.v1.SignResponse;
import dev.outrigger.controlplane.audit.JsonLinesAuditLog;
import dev.outrigger.controlplane.ca.CertificateAuthority;
import dev.outrigger.controlplane.ca.MutableClock;
import dev.outrigger.controlplane.ca.Pem;
import dev.outrigger.controlplane.ca.RootRotation;
import dev.outrigger.controlplane.ca.TestCsr;
import dev.outrigger.controlplane.ca.TtlPolicy;
import dev.outrigger.controlplane.state.StateDir;
import dev.outrigger.controlplane.token.JoinTokens;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.spiffe.bundle.x509bundle.X509Bundle;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import io.spiffe.svid.x509svid.X509Svid;
import io.spiffe.svid.x509svid.X509SvidValidator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CertificateService over real gRPC with TLS on loopback, as a proxy would call it. */
class SignServiceTest {
  static final TrustDomain DOMAIN = TrustDomain.parse("example.org");
  static final SpiffeId CART = SpiffeId.parse("spiffe://example.org/ns/shop/sa/cart");
  static final String PAYMENTS = "spiffe://example.org/ns/shop/sa/payments";

  @TempDir Path stateDir;
  final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  StateDir dir;
  JoinTokens tokens;
  CaServer server;
  ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    dir = StateDir.open(stateDir);
    CertificateAuthority ca = CertificateAuthority.open(dir, DOMAIN, null,
        new TtlPolicy(Duration.ofHours(24), Duration.ofHours(48)), clock);
    tokens = new JoinTokens(dir, clock);
    server = CaServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), ca, tokens,
        new JsonLinesAuditLog(stateDir.resolve("audit.log")), clock);
    // Trusts only bundle.pem, and checks the server by its IP SAN like any TLS client.
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
        .sslContext(GrpcSslContexts.forClient().trustManager(stateDir.resolve("bundle.pem").toFile()).build())
        .build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    server.close();
  }

  @Test
  void aTokenGetsTheSvidItGrantsWithTheBundle() throws Exception {
    String token = tokens.create(CART, Duration.ofHours(1)).token();
    TestCsr csr = TestCsr.ec().uri(CART.toString());

    SignResponse response = stub(token).sign(SignRequest.newBuilder().setCsrPem(csr.pem()).build());

    X509Svid svid = X509Svid.parse(
        String.join("", response.getCertificateChainPemList()).getBytes(StandardCharsets.US_ASCII),
        csr.keyPem().getBytes(StandardCharsets.US_ASCII));
    assertThat(svid.getSpiffeId()).isEqualTo(CART);
    X509Bundle bundle = X509Bundle.parse(DOMAIN,
        String.join("", response.getTrustBundlePemList()).getBytes(StandardCharsets.US_ASCII));
    X509SvidValidator.verifyChain(svid.getChain(), bundle);
    assertThat(bundle).isEqualTo(X509Bundle.load(DOMAIN, stateDir.resolve("bundle.pem")));
    assertThat(svid.getLeaf().getNotAfter().toInstant()).isEqualTo(clock.instant().plus(Duration.ofHours(24)));

    JsonNode line = lastAuditLine();
    assertThat(line.path("result").asText()).isEqualTo("issued");
    assertThat(line.path("spiffeId").asText()).isEqualTo(CART.toString());
    assertThat(line.path("caller").asText()).isEqualTo(token.substring(0, token.indexOf('.')));
    assertThat(line.path("serial").asText()).isEqualTo(svid.getLeaf().getSerialNumber().toString(16));
    assertThat(line.path("notAfter").asText()).isEqualTo(svid.getLeaf().getNotAfter().toInstant().toString());
    assertThat(Files.readString(stateDir.resolve("audit.log"))).doesNotContain(token);
  }

  @Test
  void aTokenForCartCannotGetPayments() throws Exception {
    String token = tokens.create(CART, Duration.ofHours(1)).token();
    String tokenId = token.substring(0, token.indexOf('.'));

    assertThatThrownBy(() -> stub(token).sign(request(TestCsr.ec().uri(PAYMENTS))))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
          assertThat(e.getStatus().getDescription())
              .contains("asks for " + PAYMENTS, "grants only " + CART, tokenId);
        });
    JsonNode line = lastAuditLine();
    assertThat(line.path("result").asText()).isEqualTo("refused");
    assertThat(line.path("spiffeId").asText()).isEqualTo(PAYMENTS);
    assertThat(line.path("caller").asText()).isEqualTo(tokenId);
    assertThat(line.has("serial")).isFalse();
  }

  @Test
  void missingUnknownAndExpiredTokensAreUnauthenticated() throws Exception {
    String token = tokens.create(CART, Duration.ofHours(1)).token();
    SignRequest request = request(TestCsr.ec().uri(CART.toString()));

    assertUnauthenticated(CertificateServiceGrpc.newBlockingStub(channel), request, "no credential");
    assertUnauthenticated(stub("0123456789abcdef.nope"), request, "unknown join token");
    clock.advance(Duration.ofHours(1));
    assertUnauthenticated(stub(token), request, "expired");
    assertThat(lastAuditLine().path("result").asText()).isEqualTo("refused");
  }

  @Test
  void aBadCsrIsAnInvalidArgument() throws Exception {
    String token = tokens.create(CART, Duration.ofHours(1)).token();
    assertThatThrownBy(() -> stub(token).sign(request(TestCsr.ec().uri(CART.toString()).uri(PAYMENTS))))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("exactly one URI SAN");
        });
  }

  @Test
  void theRequestedTtlIsCappedAtTheMaximum() throws Exception {
    String token = tokens.create(CART, Duration.ofHours(1)).token();
    SignResponse response = stub(token).sign(request(TestCsr.ec().uri(CART.toString())).toBuilder()
        .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(Duration.ofDays(30).toSeconds()))
        .build());
    X509Certificate leaf = Pem.parseCertificates(response.getCertificateChainPem(0)).get(0);
    assertThat(leaf.getNotAfter().toInstant()).isEqualTo(clock.instant().plus(Duration.ofHours(48)));
  }

  @Test
  void aRotationDoneByCtlAppliesToTheNextRequest() throws Exception {
    String token = tokens.create(CART, Duration.ofHours(1)).token();
    X509Certificate oldRoot = Pem.parseCertificates(Files.readString(stateDir.resolve("bundle.pem"))).get(0);
    RootRotation rotation = new RootRotation(dir, clock);

    rotation.prepareSelfSigned();
    SignResponse prepared = stub(token).sign(request(TestCsr.ec().uri(CART.toString())));
    assertThat(prepared.getTrustBundlePemCount()).isEqualTo(2);
    assertThat(leaf(prepared).getIssuerX500Principal()).isEqualTo(oldRoot.getSubjectX500Principal());

    rotation.activate();
    SignResponse activated = stub(token).sign(request(TestCsr.ec().uri(CART.toString())));
    assertThat(activated.getTrustBundlePemCount()).isEqualTo(2);
    assertThat(leaf(activated).getIssuerX500Principal()).isNotEqualTo(oldRoot.getSubjectX500Principal());
    X509SvidValidator.verifyChain(List.of(leaf(activated)), X509Bundle.parse(DOMAIN,
        String.join("", activated.getTrustBundlePemList()).getBytes(StandardCharsets.US_ASCII)));
  }

  private static X509Certificate leaf(SignResponse response) throws Exception {
    return Pem.parseCertificates(response.getCertificateChainPem(0)).get(0);
  }

  @Test
  void theServerPresentsTheControlPlanesSvidWithLocalNames() throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    List<X509Certificate> roots = Pem.parseCertificates(Files.readString(stateDir.resolve("bundle.pem")));
    for (int i = 0; i < roots.size(); i++) {
      trusted.setCertificateEntry("root" + i, roots.get(i));
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trust.getTrustManagers(), null);
    X509Certificate served;
    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", server.port())) {
      socket.startHandshake();
      served = (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
    assertThat(served.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
        List.of(6, "spiffe://example.org/ns/outrigger-system/sa/control-plane"),
        List.of(2, "localhost"),
        List.of(7, "127.0.0.1"));
    assertThat(served.getBasicConstraints()).isEqualTo(-1);
  }

  private CertificateServiceGrpc.CertificateServiceBlockingStub stub(String token) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return CertificateServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private static SignRequest request(TestCsr csr) {
    return SignRequest.newBuilder().setCsrPem(csr.pem()).build();
  }

  private static void assertUnauthenticated(CertificateServiceGrpc.CertificateServiceBlockingStub stub,
      SignRequest request, String why) {
    assertThatThrownBy(() -> stub.sign(request))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
          assertThat(e.getStatus().getDescription()).contains(why);
        });
  }

  private JsonNode lastAuditLine() throws Exception {
    List<String> lines = Files.readAllLines(stateDir.resolve("audit.log"));
    return new ObjectMapper().readTree(lines.get(lines.size() - 1));
  }
}
