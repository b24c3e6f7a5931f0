package io.quell.pgwire;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * One message from the client: its type byte (0 for the untyped messages before the startup
 * ends: StartupMessage, SSLRequest, GSSENCRequest, CancelRequest) and its body, read with the
 * protocol's primitives. A body that ends early or lacks a terminator is a
 * {@link ProtocolViolation}. Owns the body: {@link #release} frees it.
 */
record FrontendMessage(byte type, ByteBuf body) {
  char kind() {
    return (char) type;
  }

  int readInt() {
    need(4);
    return body.readInt();
  }

  short readShort() {
    need(2);
    return body.readShort();
  }

  byte readByte() {
    need(1);
    return body.readByte();
  }

  /** A NUL-terminated UTF-8 string. */
  String readCString() {
    int end = body.indexOf(body.readerIndex(), body.writerIndex(), (byte) 0);
    if (end < 0) {
      throw new ProtocolViolation("invalid string in message");
    }
    String text = body.toString(body.readerIndex(), end - body.readerIndex(),
        StandardCharsets.UTF_8);
    body.readerIndex(end + 1);
    return text;
  }

  /** The next {@code length} bytes, as a slice of the body. */
  ByteBuf readSlice(int length) {
    if (length < 0) {
      throw new ProtocolViolation("invalid length in message");
    }
    need(length);
    return body.readSlice(length);
  }

  /** A count of the items that follow, each at least {@code itemBytes} long. */
  int readCount(int itemBytes) {
    int count = readShort() & 0xFFFF;
    need(count * itemBytes);
    return count;
  }

  /** Whether the body was read to its end, as every message must be. */
  void end() {
    if (body.isReadable()) {
      throw new ProtocolViolation("invalid message format");
    }
  }

  void release() {
    body.release();
  }

  private void need(int bytes) {
    if (body.readableBytes() < bytes) {
      throw new ProtocolViolation("invalid message format");
    }
  }
}
