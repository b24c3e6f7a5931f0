package io.quell.pgwire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

import java.util.function.BooleanSupplier;

/**
 * What a connection's worker writes to its client: messages gather in a buffer, which goes out
 * when the protocol says so (ReadyForQuery, Flush) or when it grows past
 * {@link #SEND_BYTES}, as rows of a large result do. A worker that sends faster than the client
 * reads waits for the socket to drain ({@link Channel#isWritable}), so a slow client holds a
 * bounded amount of the server's memory, not its whole result. Used by the connection's worker
 * only; the event loop only signals writability.
 */
final class Output {
  static final int SEND_BYTES = 64 << 10;
  /** How often a worker waiting for the socket looks whether its rows are still wanted. */
  private static final long STOP_CHECK_MILLIS = 100;

  private final Channel channel;
  private final Object writable = new Object();
  private ByteBuf buffer;

  Output(Channel channel) {
    this.channel = channel;
  }

  /** The buffer to write the next message into. */
  ByteBuf buffer() {
    if (buffer == null) {
      buffer = channel.alloc().buffer(256);
    }
    return buffer;
  }

  /**
   * Sends what has gathered if it is past {@link #SEND_BYTES}, after waiting for the socket to
   * drain or for {@code stopped} to say the rows are no longer wanted (their query was
   * cancelled: a client that stopped reading must not hold its query forever); for a worker
   * writing many messages (rows).
   */
  void sendIfFull(BooleanSupplier stopped) throws InterruptedException {
    if (buffer != null && buffer.readableBytes() >= SEND_BYTES) {
      awaitWritable(stopped);
      send();
    }
  }

  /** Sends what has gathered. */
  void send() {
    if (buffer != null) {
      ByteBuf out = buffer;
      buffer = null;
      channel.writeAndFlush(out, channel.voidPromise());
    }
  }

  /**
   * Sends what has gathered, then closes the connection once it is written: a close right away
   * would drop what is still queued.
   */
  void sendAndClose() {
    ByteBuf out = buffer != null ? buffer : Unpooled.EMPTY_BUFFER;
    buffer = null;
    channel.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
  }

  /** Drops what has gathered: the connection is ending. */
  void discard() {
    if (buffer != null) {
      buffer.release();
      buffer = null;
    }
  }

  /** Waits until the socket takes more, the connection has closed or {@code stopped}. */
  private void awaitWritable(BooleanSupplier stopped) throws InterruptedException {
    synchronized (writable) {
      while (!channel.isWritable() && channel.isActive() && !stopped.getAsBoolean()) {
        writable.wait(STOP_CHECK_MILLIS);
      }
    }
  }

  /** The socket's writability or the connection changed: a waiting worker looks again. */
  void wake() {
    synchronized (writable) {
      writable.notifyAll();
    }
  }
}
