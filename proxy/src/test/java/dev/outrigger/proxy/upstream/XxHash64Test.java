package dev.outrigger.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Published XXH64 values, covering every tail length and the 32-byte stripe loop. */
class XxHash64Test {

  @Test
  void matchesTheReferenceImplementation() {
    assertThat(XxHash64.hash("", 0)).isEqualTo(0xEF46DB3751D8E999L);
    assertThat(XxHash64.hash("a", 0)).isEqualTo(0xD24EC4F1A98C6E5BL);
    assertThat(XxHash64.hash("abc", 0)).isEqualTo(0x44BC2CF5AD770999L);
    assertThat(XxHash64.hash("Nobody inspects the spammish repetition", 0)).isEqualTo(0xFBCEA83C8A378BF1L);
    assertThat(XxHash64.hash("xxhash", 20141025)).isEqualTo(0xB559B98D844E0635L);
  }
}
