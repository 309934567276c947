package dev.outrigger.controlplane.translate;

import dev.outrigger.controlplane.model.MeshModel;
import dev.outrigger.controlplane.xds.Resource;
import dev.outrigger.controlplane.xds.ResourceType;
import dev.outrigger.controlplane.xds.Resources;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The translations of the latest (model, endpoints), each made once and shared by every proxy
 * that receives it: the {@link Translator#outbound} part once per change of either, the {@link
 * Translator#own} part once per {@link ProxyShape} and model, and their union once per shape.
 * So N sidecars of S shapes cost S translations, not N, and a change of endpoints re-translates
 * only the outbound part.
 *
 * <p>A resource whose content did not change keeps its instance, and so does a shape's union if
 * none of its resources changed: the cache tells an unchanged set by identity, proxies holding
 * the same set share it in memory, and only the proxies whose resources changed are pushed.
 */
final class SharedTranslations {
  private final Consumer<String> warn;
  private MeshModel model;
  private Endpoints endpoints = Endpoints.NONE;
  private Translation outbound;
  /** The latest outbound resources made, still there when {@link #outbound} was dropped: their instances are reused. */
  private Resources lastOutbound = Resources.EMPTY;
  private List<String> outboundWarnings = List.of();
  private final Map<ProxyShape, Resources> own = new HashMap<>();
  private Map<ProxyShape, Resources> unions = new HashMap<>();
  private Map<ProxyShape, Resources> previousUnions = Map.of();
  private long translations;

  /** {@code warn}: told each warning of a fresh translation (those of the outbound part when they change). */
  SharedTranslations(MeshModel model, Consumer<String> warn) {
    this.model = model;
    this.warn = warn;
  }

  /** From now on, translations are of {@code newModel} and {@code newEndpoints}. */
  synchronized void update(MeshModel newModel, Endpoints newEndpoints) {
    boolean modelChanged = newModel != model;
    if (!modelChanged && newEndpoints.equals(endpoints)) {
      return;
    }
    if (modelChanged) {
      model = newModel;
      own.clear();
    }
    endpoints = newEndpoints;
    outbound = null;
    if (!unions.isEmpty()) {
      previousUnions = unions;
      unions = new HashMap<>();
    }
  }

  /** What a proxy of {@code shape} receives. */
  synchronized Resources resources(ProxyShape shape) {
    Resources union = unions.get(shape);
    if (union == null) {
      Resources own = own(shape);
      union = sameOr(previousUnions.get(shape), Resources.builder().addAll(outbound()).addAll(own).build());
      unions.put(shape, union);
    }
    return union;
  }

  /** Translations made so far (outbound and own parts), for tests of what is shared. */
  synchronized long translations() {
    return translations;
  }

  private Resources outbound() {
    if (outbound == null) {
      Translation fresh = Translator.outbound(model, endpoints);
      translations++;
      lastOutbound = reuseUnchanged(lastOutbound, fresh.resources());
      outbound = new Translation(lastOutbound, fresh.warnings());
      if (!fresh.warnings().equals(outboundWarnings)) {
        outboundWarnings = fresh.warnings();
        outboundWarnings.forEach(warn);
      }
    }
    return outbound.resources();
  }

  private Resources own(ProxyShape shape) {
    return own.computeIfAbsent(shape, key -> {
      Translation fresh = Translator.own(model, key);
      translations++;
      fresh.warnings().forEach(warn);
      return fresh.resources();
    });
  }

  /** {@code fresh}, with each resource whose version {@code previous} has too replaced by that instance. */
  private static Resources reuseUnchanged(Resources previous, Resources fresh) {
    Resources.Builder builder = Resources.builder();
    for (ResourceType type : ResourceType.values()) {
      Map<String, Resource> before = previous.of(type);
      fresh.of(type).forEach((name, resource) -> {
        Resource old = before.get(name);
        builder.add(old != null && old.version().equals(resource.version()) ? old : resource);
      });
    }
    return builder.build();
  }

  private static Resources sameOr(Resources previous, Resources fresh) {
    return fresh.equals(previous) ? previous : fresh;
  }
}
