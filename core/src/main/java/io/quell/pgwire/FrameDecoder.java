package io.quell.pgwire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Cuts the byte stream into {@link FrontendMessage}s: before the startup ends, messages are a
 * length and a body; after it, a type byte, a length and a body. A length outside the limits
 * is refused before anything is buffered for it, so that a client cannot make the server hold
 * (or wait for) gigabytes: {@link #MAX_STARTUP_BYTES} before the startup ends, as PostgreSQL's
 * limit, {@link #MAX_SMALL_BYTES} for messages that carry only names, and
 * {@link #MAX_MESSAGE_BYTES} for those that carry statements and values.
 */
final class FrameDecoder extends ByteToMessageDecoder {
  static final int MAX_STARTUP_BYTES = 10_000;
  static final int MAX_SMALL_BYTES = 10_000;
  static final int MAX_MESSAGE_BYTES = 64 << 20;

  private boolean typed;

  /** The startup is over: messages carry a type byte from now on. */
  void startupDone() {
    typed = true;
  }

  @Override protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int header = typed ? 5 : 4;
    if (in.readableBytes() < header) {
      return;
    }
    int start = in.readerIndex();
    byte type = typed ? in.getByte(start) : 0;
    int length = in.getInt(start + header - 4);
    if (length < 4 || length > limit(type)) {
      in.skipBytes(in.readableBytes());
      throw new ProtocolViolation(typed
          ? "invalid message length " + length + " for message type '" + (char) type + "'"
          : "invalid length of startup packet");
    }
    if (in.readableBytes() < header - 4 + length) {
      return;
    }
    in.skipBytes(header);
    out.add(new FrontendMessage(type, in.readRetainedSlice(length - 4)));
  }

  private int limit(byte type) {
    if (!typed) {
      return MAX_STARTUP_BYTES;
    }
    return switch (type) {
      case 'Q', 'P', 'B', 'F', 'd' -> MAX_MESSAGE_BYTES;
      default -> MAX_SMALL_BYTES;
    };
  }
}
