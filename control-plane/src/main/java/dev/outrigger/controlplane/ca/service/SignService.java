package dev.outrigger.controlplane.ca.service;

import com.google.protobuf.Duration;
import dev.outrigger.api.ca.v1.CertificateServiceGrpc;
import dev.outrigger.api.ca.v1.SignRequest;
import dev.outrigger.api.ca.v1.SignResponse;
import dev.outrigger.controlplane.audit.AuditEvent;
import dev.outrigger.controlplane.audit.AuditSink;
import dev.outrigger.controlplane.ca.CertificateAuthority;
import dev.outrigger.controlplane.ca.CertificateRequest;
import dev.outrigger.controlplane.ca.CsrRejectedException;
import dev.outrigger.controlplane.ca.IssuedCertificate;
import dev.outrigger.controlplane.ca.Pem;
import dev.outrigger.controlplane.token.AuthenticationException;
import dev.outrigger.controlplane.token.Authenticator;
import dev.outrigger.controlplane.token.Grant;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code outrigger.ca.v1.CertificateService/Sign}: authenticate the caller, check the CSR, check
 * that the credential grants the SPIFFE ID asked for, sign. Every outcome is audited.
 */
final class SignService extends CertificateServiceGrpc.CertificateServiceImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(SignService.class);

  private final CertificateAuthority ca;
  private final Authenticator authenticator;
  private final AuditSink audit;
  private final Clock clock;

  SignService(CertificateAuthority ca, Authenticator authenticator, AuditSink audit, Clock clock) {
    this.ca = ca;
    this.authenticator = authenticator;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public void sign(SignRequest request, StreamObserver<SignResponse> response) {
    try {
      response.onNext(sign(request));
      response.onCompleted();
    } catch (StatusException e) {
      response.onError(e);
    }
  }

  private SignResponse sign(SignRequest request) throws StatusException {
    Grant grant;
    try {
      grant = authenticator.authenticate(BearerCredential.CREDENTIAL.get());
    } catch (AuthenticationException e) {
      throw refuse(Status.UNAUTHENTICATED, null, e.tokenId(), e.getMessage());
    } catch (IOException e) {
      throw internal(null, null, e);
    }
    CertificateRequest csr;
    try {
      csr = ca.parse(request.getCsrPem());
    } catch (CsrRejectedException e) {
      throw refuse(Status.INVALID_ARGUMENT, null, grant.tokenId(), e.getMessage());
    }
    String asked = csr.spiffeId().toString();
    if (!csr.spiffeId().equals(grant.spiffeId())) {
      throw refuse(Status.PERMISSION_DENIED, asked, grant.tokenId(),
          "the CSR asks for " + asked + " but token " + grant.tokenId() + " grants only "
              + grant.spiffeId());
    }
    IssuedCertificate issued;
    try {
      issued = ca.issue(csr, toJava(request.getTtl()));
    } catch (IOException e) {
      throw internal(asked, grant.tokenId(), e);
    }
    audit.record(AuditEvent.issued(clock.instant(), asked, grant.tokenId(), issued.serialHex(),
        issued.notAfter()));
    SignResponse.Builder reply = SignResponse.newBuilder();
    issued.chain().forEach(certificate -> reply.addCertificateChainPem(Pem.certificate(certificate)));
    issued.bundle().forEach(root -> reply.addTrustBundlePem(Pem.certificate(root)));
    return reply.build();
  }

  private StatusException refuse(Status status, String spiffeId, String caller, String reason) {
    audit.record(AuditEvent.refused(clock.instant(), spiffeId, caller, reason));
    return status.withDescription(reason).asException();
  }

  /** The state directory failed us; the caller learns only that, the log has the details. */
  private StatusException internal(String spiffeId, String caller, IOException e) {
    LOG.error("signing failed", e);
    audit.record(AuditEvent.refused(clock.instant(), spiffeId, caller, "internal error: " + e));
    return Status.INTERNAL.withDescription("the CA cannot sign now; see the control plane's log")
        .asException();
  }

  private static java.time.Duration toJava(Duration ttl) {
    return java.time.Duration.ofSeconds(ttl.getSeconds(), ttl.getNanos());
  }
}
