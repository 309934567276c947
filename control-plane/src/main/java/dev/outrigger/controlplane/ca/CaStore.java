package dev.outrigger.controlplane.ca;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outrigger.controlplane.state.StateDir;
import io.spiffe.spiffeid.TrustDomain;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CA's part of the state directory:
 * <pre>
 * ca/state.json                trust domain, the authorities and their phase (see CaState)
 * ca/&lt;id&gt;/root.pem            the authority's root
 * ca/&lt;id&gt;/intermediates.pem   operator intermediates, signing certificate first (optional)
 * ca/&lt;id&gt;/key.pem             the signing key, PKCS#8, mode 0600
 * bundle.pem                   every root of the state, for proxies to trust
 * </pre>
 * Callers hold {@link StateDir#locked} around a load-change-save. Authority files never change
 * once written, so they are parsed once and cached.
 */
final class CaStore {
  static final String STATE = "ca/state.json";
  static final String BUNDLE = "bundle.pem";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final StateDir dir;
  private final Map<String, Authority> authorities = new ConcurrentHashMap<>();

  CaStore(StateDir dir) {
    this.dir = dir;
  }

  StateDir dir() {
    return dir;
  }

  boolean initialized() {
    return dir.exists(STATE);
  }

  CaState load() throws IOException {
    if (!initialized()) {
      throw new IOException("no CA in " + dir.path() + ": start the control plane once to create it");
    }
    JsonNode json = JSON.readTree(dir.read(STATE));
    List<CaState.Entry> entries = new ArrayList<>();
    for (JsonNode entry : json.path("authorities")) {
      JsonNode issuedUntil = entry.path("issuedUntil");
      entries.add(new CaState.Entry(
          entry.path("id").asText(),
          CaState.Phase.valueOf(entry.path("phase").asText()),
          Instant.parse(entry.path("createdAt").asText()),
          issuedUntil.isTextual() ? Instant.parse(issuedUntil.asText()) : null));
    }
    return new CaState(TrustDomain.parse(json.path("trustDomain").asText()), entries);
  }

  /**
   * Writes the state and the bundle derived from it. The bundle file is only replaced when it
   * changes: proxies that watch it should reload on a rotation, not on every signature.
   */
  void save(CaState state) throws IOException {
    ObjectNode json = JSON.createObjectNode().put("trustDomain", state.trustDomain().getName());
    ArrayNode entries = json.putArray("authorities");
    for (CaState.Entry entry : state.entries()) {
      ObjectNode node = entries.addObject()
          .put("id", entry.id())
          .put("phase", entry.phase().name())
          .put("createdAt", entry.createdAt().toString());
      if (entry.issuedUntil() != null) {
        node.put("issuedUntil", entry.issuedUntil().toString());
      }
    }
    dir.writePrivate(STATE, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
    String bundle = Pem.certificates(bundle(state));
    if (!dir.exists(BUNDLE) || !dir.read(BUNDLE).equals(bundle)) {
      dir.writePublic(BUNDLE, bundle);
    }
  }

  void add(Authority authority) throws IOException {
    String base = "ca/" + authority.id() + "/";
    dir.writePrivate(base + "key.pem", Pem.privateKey(authority.signingKey()));
    if (!authority.intermediates().isEmpty()) {
      dir.writePrivate(base + "intermediates.pem", Pem.certificates(authority.intermediates()));
    }
    dir.writePrivate(base + "root.pem", Pem.certificate(authority.root()));
    authorities.put(authority.id(), authority);
  }

  /** Deletes a retired authority's files, its key first. */
  void remove(String id) throws IOException {
    dir.deleteDirectory("ca/" + id);
    authorities.remove(id);
  }

  Authority authority(String id) throws IOException {
    Authority cached = authorities.get(id);
    if (cached != null) {
      return cached;
    }
    String base = "ca/" + id + "/";
    List<X509Certificate> roots = Pem.parseCertificates(dir.read(base + "root.pem"));
    if (roots.size() != 1) {
      throw new IOException(base + "root.pem: expected one certificate, found " + roots.size());
    }
    List<X509Certificate> intermediates = dir.exists(base + "intermediates.pem")
        ? Pem.parseCertificates(dir.read(base + "intermediates.pem"))
        : List.of();
    Authority authority =
        new Authority(roots.get(0), intermediates, Pem.parsePrivateKey(dir.read(base + "key.pem")));
    authorities.put(id, authority);
    return authority;
  }

  /** The roots of every authority in the state, each once (two intermediates may share a root). */
  List<X509Certificate> bundle(CaState state) throws IOException {
    Set<X509Certificate> roots = new LinkedHashSet<>();
    for (CaState.Entry entry : state.entries()) {
      roots.add(authority(entry.id()).root());
    }
    return List.copyOf(roots);
  }
}
