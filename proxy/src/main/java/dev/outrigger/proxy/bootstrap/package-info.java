/**
 * Envoy v3 bootstrap → validated {@link dev.outrigger.proxy.config.ProxyConfig}.
 *
 * <p>{@link dev.outrigger.proxy.bootstrap.BootstrapLoader} runs the stages: {@code
 * JsonShapeCheck} (the document against the proto descriptors, with paths), protobuf's JSON
 * parser, {@code SubsetCheck} against the declarative {@code Subset} (the prose version is
 * docs/envoy-subset.md), and the translators, one per part of the API, which check meaning and
 * build the records. Every problem is a {@link dev.outrigger.proxy.bootstrap.ConfigError} with a
 * field path in Envoy's form; a rejected config is a {@link
 * dev.outrigger.proxy.bootstrap.ConfigException} carrying all of them.
 *
 * <p>The subset check and the translators work on protos, so xDS resources can reuse them.
 */
package dev.outrigger.proxy.bootstrap;
