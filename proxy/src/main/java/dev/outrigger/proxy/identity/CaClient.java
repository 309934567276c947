package dev.outrigger.proxy.identity;

import dev.outrigger.api.ca.v1.CertificateServiceGrpc;
import dev.outrigger.api.ca.v1.SignRequest;
import dev.outrigger.api.ca.v1.SignResponse;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One {@code CertificateService/Sign} call to the Outrigger CA over TLS. The trust bundle and the
 * join token are read from their files at every call and the channel lives only for that call:
 * renewals are hours apart, and so a rotated token or a CA re-issued under a new root is picked up
 * without a restart.
 */
final class CaClient {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private final String target;
  private final Path bundleFile;
  private final Path tokenFile;

  /** {@code target} is a gRPC target, e.g. {@code control-plane:15012}; its host name is verified. */
  CaClient(String target, Path bundleFile, Path tokenFile) {
    this.target = target;
    this.bundleFile = bundleFile;
    this.tokenFile = tokenFile;
  }

  SignResponse sign(SignRequest request) throws IOException {
    ChannelCredentials tls = TlsChannelCredentials.newBuilder().trustManager(bundleFile.toFile()).build();
    ManagedChannel channel = NettyChannelBuilder.forTarget(target, tls).build();
    try {
      return CertificateServiceGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(credential()))
          .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
          .sign(request);
    } finally {
      channel.shutdownNow();
    }
  }

  private Metadata credential() throws IOException {
    String token = Files.readString(tokenFile).strip();
    if (token.isEmpty()) {
      throw new IOException("the join token file " + tokenFile + " is empty");
    }
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + token);
    return headers;
  }
}
