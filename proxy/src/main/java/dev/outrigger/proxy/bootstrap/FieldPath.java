package dev.outrigger.proxy.bootstrap;

/** Where a value sits in the document, printed in Envoy's form: {@code a.b[2].c}. */
final class FieldPath {
  static final FieldPath ROOT = new FieldPath("");

  private final String text;

  private FieldPath(String text) {
    this.text = text;
  }

  FieldPath field(String name) {
    return new FieldPath(text.isEmpty() ? name : text + "." + name);
  }

  FieldPath index(int i) {
    return new FieldPath(text + "[" + i + "]");
  }

  /** A map entry, e.g. {@code typed_extension_protocol_options[envoy.extensions...]}. */
  FieldPath key(String key) {
    return new FieldPath(text + "[" + key + "]");
  }

  /** True when {@code this} is {@code other} or lies inside it. */
  boolean isWithin(FieldPath other) {
    if (other.text.isEmpty() || text.equals(other.text)) {
      return true;
    }
    return text.startsWith(other.text)
        && (text.charAt(other.text.length()) == '.' || text.charAt(other.text.length()) == '[');
  }

  @Override
  public String toString() {
    return text;
  }
}
