package dev.outrigger.proxy.identity;

import dev.outrigger.api.ca.v1.CertificateServiceGrpc;
import dev.outrigger.api.ca.v1.SignRequest;
import dev.outrigger.api.ca.v1.SignResponse;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * A real {@code outrigger.ca.v1.CertificateService} over TLS on 127.0.0.1: checks the Bearer
 * token, verifies the CSR's signature, and signs its public key for its URI SAN with a {@link
 * TestSigner}, valid from the given clock's now. Tests can make it fail the next calls, or certify a
 * different SPIFFE ID than asked.
 */
final class TestCaServer implements AutoCloseable {
  static final Duration DEFAULT_TTL = Duration.ofHours(1);
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  final TestSigner signer;
  final List<SignRequest> requests = new CopyOnWriteArrayList<>();
  private final Clock clock;
  private final Server server;
  private final AtomicInteger unavailableToGo = new AtomicInteger();
  private volatile String token;
  private volatile String certifiedIdOverride;

  TestCaServer(TestSigner signer, Clock clock, String token) throws Exception {
    this.signer = signer;
    this.clock = clock;
    this.token = token;
    KeyPair servingKey = TestSigner.newKey();
    X509Certificate serving = signer.issueServer(servingKey.getPublic());
    TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder()
        .keyManager(ascii(TestSigner.pem(serving)), ascii(TestSigner.pem(servingKey.getPrivate())));
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), tls.build())
        .addService(ServerInterceptors.intercept(new Service(), new BearerCheck()))
        .build()
        .start();
  }

  String target() {
    return "127.0.0.1:" + server.getPort();
  }

  /** Writes the roots the CA's TLS certificate chains to, as an operator's bundle file. */
  Path writeBundle(Path file) throws IOException {
    return Files.writeString(file, TestSigner.pem(signer.root));
  }

  void expectToken(String token) {
    this.token = token;
  }

  void failNext(int calls) {
    unavailableToGo.set(calls);
  }

  void certify(String spiffeId) {
    certifiedIdOverride = spiffeId;
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }

  private static ByteArrayInputStream ascii(String pem) {
    return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
  }

  private final class BearerCheck implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      if (!("Bearer " + token).equals(headers.get(AUTHORIZATION))) {
        call.close(Status.UNAUTHENTICATED.withDescription("unknown join token"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return next.startCall(call, headers);
    }
  }

  private final class Service extends CertificateServiceGrpc.CertificateServiceImplBase {
    @Override
    public void sign(SignRequest request, StreamObserver<SignResponse> response) {
      requests.add(request);
      if (unavailableToGo.getAndDecrement() > 0) {
        response.onError(Status.UNAVAILABLE.withDescription("CA is restarting").asRuntimeException());
        return;
      }
      try {
        JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(TestSigner.parseCsr(request.getCsrPem())).setProvider(BC);
        if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BC).build(csr.getSubjectPublicKeyInfo()))) {
          response.onError(Status.INVALID_ARGUMENT.withDescription("bad CSR signature").asRuntimeException());
          return;
        }
        String id = certifiedIdOverride != null ? certifiedIdOverride : requestedId(csr);
        Duration ttl = request.hasTtl() ? Duration.ofSeconds(request.getTtl().getSeconds()) : DEFAULT_TTL;
        X509Certificate leaf = signer.issueSvid(csr.getPublicKey(), id, clock.instant(), ttl);
        response.onNext(SignResponse.newBuilder()
            .addCertificateChainPem(TestSigner.pem(leaf))
            .addTrustBundlePem(TestSigner.pem(signer.root))
            .build());
        response.onCompleted();
      } catch (Exception e) {
        response.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
      }
    }
  }

  static String requestedId(PKCS10CertificationRequest csr) {
    Extensions extensions = Extensions.getInstance(
        csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0].getAttrValues().getObjectAt(0));
    GeneralName[] names = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName).getNames();
    return names[0].getName().toString();
  }
}
