package io.quell.pgwire;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes the server's messages of protocol 3.0 into a buffer: each a type byte, its length
 * (itself included) and its body.
 */
final class BackendMessages {
  /** The severities of ErrorResponse and NoticeResponse. */
  enum Severity { ERROR, FATAL, WARNING, NOTICE }

  private static final int AUTH_OK = 0;
  private static final int AUTH_SASL = 10;
  private static final int AUTH_SASL_CONTINUE = 11;
  private static final int AUTH_SASL_FINAL = 12;

  private BackendMessages() {
  }

  /** Starts a message of {@code type}; returns where its length goes, for {@link #end}. */
  private static int begin(ByteBuf out, char type) {
    out.writeByte(type);
    int at = out.writerIndex();
    out.writeInt(0);
    return at;
  }

  private static void end(ByteBuf out, int lengthAt) {
    out.setInt(lengthAt, out.writerIndex() - lengthAt);
  }

  static void cString(ByteBuf out, String text) {
    out.writeCharSequence(text, StandardCharsets.UTF_8);
    out.writeByte(0);
  }

  static void authenticationOk(ByteBuf out) {
    int at = begin(out, 'R');
    out.writeInt(AUTH_OK);
    end(out, at);
  }

  static void authenticationSasl(ByteBuf out, String mechanism) {
    int at = begin(out, 'R');
    out.writeInt(AUTH_SASL);
    cString(out, mechanism);
    out.writeByte(0);
    end(out, at);
  }

  static void saslContinue(ByteBuf out, String data) {
    sasl(out, AUTH_SASL_CONTINUE, data);
  }

  static void saslFinal(ByteBuf out, String data) {
    sasl(out, AUTH_SASL_FINAL, data);
  }

  private static void sasl(ByteBuf out, int step, String data) {
    int at = begin(out, 'R');
    out.writeInt(step);
    out.writeCharSequence(data, StandardCharsets.UTF_8);
    end(out, at);
  }

  /**
   * NegotiateProtocolVersion: the newest minor version of protocol 3 the server speaks, and
   * the protocol options ({@code _pq_.}) of the startup it does not know.
   */
  static void negotiateProtocolVersion(ByteBuf out, int minor, List<String> unknownOptions) {
    int at = begin(out, 'v');
    out.writeInt(minor);
    out.writeInt(unknownOptions.size());
    unknownOptions.forEach(option -> cString(out, option));
    end(out, at);
  }

  static void parameterStatus(ByteBuf out, String name, String value) {
    int at = begin(out, 'S');
    cString(out, name);
    cString(out, value);
    end(out, at);
  }

  static void backendKeyData(ByteBuf out, int pid, int secret) {
    int at = begin(out, 'K');
    out.writeInt(pid);
    out.writeInt(secret);
    end(out, at);
  }

  static void readyForQuery(ByteBuf out, char status) {
    int at = begin(out, 'Z');
    out.writeByte(status);
    end(out, at);
  }

  /** An ErrorResponse or NoticeResponse: severity, SQLSTATE and message, nothing else. */
  static void error(ByteBuf out, Severity severity, String sqlState, String message) {
    int at = begin(out, severity == Severity.ERROR || severity == Severity.FATAL ? 'E' : 'N');
    out.writeByte('S');
    cString(out, severity.name());
    out.writeByte('V');
    cString(out, severity.name());
    out.writeByte('C');
    cString(out, sqlState);
    out.writeByte('M');
    cString(out, message);
    out.writeByte(0);
    end(out, at);
  }

  static void commandComplete(ByteBuf out, String tag) {
    int at = begin(out, 'C');
    cString(out, tag);
    end(out, at);
  }

  /** A message of {@code type} without a body: ParseComplete, BindComplete, NoData... */
  static void empty(ByteBuf out, char type) {
    int at = begin(out, type);
    end(out, at);
  }

  static void parameterDescription(ByteBuf out, List<Integer> oids) {
    int at = begin(out, 't');
    out.writeShort(oids.size());
    oids.forEach(out::writeInt);
    end(out, at);
  }

  /** RowDescription of {@code columns}, in the formats they are sent in. */
  static void rowDescription(ByteBuf out, List<ResultColumns.Column> columns) {
    int at = begin(out, 'T');
    out.writeShort(columns.size());
    for (ResultColumns.Column column : columns) {
      cString(out, column.name());
      out.writeInt(0); // no table
      out.writeShort(0); // no column of a table
      out.writeInt(column.type().oid());
      out.writeShort(column.type().typlen());
      out.writeInt(-1); // no type modifier
      out.writeShort(column.format());
    }
    end(out, at);
  }

  /** Starts a DataRow of {@code count} values; the caller writes them, then {@link #end}s. */
  static int beginDataRow(ByteBuf out, int count) {
    int at = begin(out, 'D');
    out.writeShort(count);
    return at;
  }

  static void endDataRow(ByteBuf out, int at) {
    end(out, at);
  }

  /** One byte in answer to SSLRequest or GSSENCRequest: 'S' (TLS follows) or 'N'. */
  static void negotiation(ByteBuf out, boolean accepted) {
    out.writeByte(accepted ? 'S' : 'N');
  }
}
