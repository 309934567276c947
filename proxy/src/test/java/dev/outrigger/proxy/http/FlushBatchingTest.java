package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class FlushBatchingTest {
  @Test
  void flushesWhileTheConnectionReadsWaitForItsReadComplete() {
    EmbeddedChannel channel = new EmbeddedChannel(FlushBatching.handler());

    channel.pipeline().fireChannelRead("request");
    channel.pipeline().writeAndFlush("response head");
    channel.pipeline().writeAndFlush("response body");
    assertThat(channel.outboundMessages()).isEmpty();

    channel.pipeline().fireChannelReadComplete();
    assertThat(channel.outboundMessages()).containsExactly("response head", "response body");
    channel.finishAndReleaseAll();
  }

  @Test
  void stoppingFlushesWhatWasHeldAndLaterFlushesGoAtOnce() {
    EmbeddedChannel channel = new EmbeddedChannel(FlushBatching.handler());
    channel.pipeline().fireChannelRead("request");
    channel.pipeline().writeAndFlush("last response");
    assertThat(channel.outboundMessages()).isEmpty();

    FlushBatching.stop(channel.pipeline());
    assertThat(channel.outboundMessages()).containsExactly("last response");

    channel.pipeline().writeAndFlush("goaway");
    assertThat(channel.outboundMessages()).containsExactly("last response", "goaway");
    FlushBatching.stop(channel.pipeline()); // already stopped: nothing to do
    channel.finishAndReleaseAll();
  }
}
