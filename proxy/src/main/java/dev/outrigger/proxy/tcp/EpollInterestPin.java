package dev.outrigger.proxy.tcp;

import io.netty.channel.Channel;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.EpollIoOps;
import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works around a Netty 4.2.18.Final native-epoll defect that breaks half-closed relaying: keeps
 * EPOLLERR in a connected epoll channel's interest set, so that set is never empty.
 *
 * <p>Why: in 4.2.18, {@code EpollIoHandler.DefaultEpollIoRegistration.submit} removes the fd from
 * epoll (EPOLL_CTL_DEL) when a channel's interest drops to {@code EpollIoOps.NONE}, but leaves the
 * registration in its "added" state, so the next non-empty interest is sent as EPOLL_CTL_MOD, which
 * the kernel refuses with ENOENT. A stream channel's interest is empty exactly when its peer's FIN
 * has been handled (EPOLLRDHUP cleared, EPOLLIN cleared once the EOF is seen) and its output is
 * drained; the next write that fills the socket sets EPOLLOUT, fails, and Netty shuts the channel's
 * output. EPOLLERR changes nothing else: the kernel reports it whether asked for or not, and no
 * Netty code tests for it in the interest set; Netty itself starts its epoll server and datagram
 * channels with EPOLLERR as their interest, stream channels with EPOLLRDHUP. The cost is that a
 * channel shut both ways stays in the epoll set (reporting EPOLLHUP) until closed; {@link Relay}
 * closes such a channel at once.
 *
 * <p>There is no public way to do this: {@code setFlag} is protected, the accepted channels come
 * from the final {@code EpollServerSocketChannel}, and {@code EpollChannelOption.EPOLL_MODE} is a
 * no-op in 4.2. Hence reflection, once per connected channel; if a later Netty no longer has the
 * method, this does nothing. Remove it once Netty keeps the registration state right.
 */
final class EpollInterestPin {
  private static final Logger log = LoggerFactory.getLogger(EpollInterestPin.class);

  private EpollInterestPin() {}

  /** On the channel's event loop, or before it is registered. No-op for non-epoll channels. */
  static void pin(Channel channel) {
    if (!(channel instanceof AbstractEpollStreamChannel) || Holder.SET_FLAG == null) {
      return;
    }
    try {
      Holder.SET_FLAG.invoke(channel, EpollIoOps.EPOLLERR.value());
    } catch (ReflectiveOperationException | RuntimeException e) {
      // The channel keeps Netty's own interest handling; only the half-close case is exposed.
      log.debug("could not pin EPOLLERR on {}: {}", channel, e.toString());
    }
  }

  /** Looked up on first use only, so NIO-only runs never touch the epoll classes. */
  private static final class Holder {
    static final Method SET_FLAG = findSetFlag();

    private static Method findSetFlag() {
      try {
        // AbstractEpollChannel (package-private) declares it; AbstractEpollStreamChannel extends it.
        Method setFlag = AbstractEpollStreamChannel.class.getSuperclass().getDeclaredMethod("setFlag", int.class);
        setFlag.setAccessible(true);
        return setFlag;
      } catch (ReflectiveOperationException | RuntimeException e) {
        log.warn("Netty epoll has no setFlag(int) to pin EPOLLERR; half-closed TCP relaying may fail: {}", e.toString());
        return null;
      }
    }
  }
}
