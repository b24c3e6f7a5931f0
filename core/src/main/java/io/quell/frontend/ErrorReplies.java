package io.quell.frontend;

import io.quell.client.SqlState;
import io.quell.error.QuellException;
import io.quell.parser.text.SqlRedaction;

import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.Handler.HandlerResponse;
import org.apache.calcite.avatica.remote.Service.ErrorResponse;
import org.apache.calcite.avatica.remote.Service.RpcMetadataResponse;

import com.google.common.base.Throwables;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a client learns of a failed request: the message, the SQLSTATE and a short error id
 * (Avatica's error code, which JDBC tools show as the vendor code), never the server's stack
 * trace, which names its classes, files and libraries. The log keeps the trace under the same
 * id, so an operator finds it from the user's report (for cancellations at DEBUG). With {@code debug} the reply carries the
 * trace too, as Avatica's own handlers do.
 */
public final class ErrorReplies {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorReplies.class);
  /**
   * Query canceled, session canceled, query stopped for memory: the engine doing what it was
   * asked or set to do, whose traces only say where the query stopped.
   */
  private static final Set<String> STOPPED = Set.of(SqlState.QUERY_CANCELED.code(),
      SqlState.ADMIN_SHUTDOWN.code(), SqlState.OUT_OF_MEMORY.code());

  private final boolean debug;

  public ErrorReplies(boolean debug) {
    this.debug = debug;
  }

  /** Serializes an error reply in one wire format. */
  @FunctionalInterface
  public interface Encoder<T> {
    T encode(ErrorResponse response) throws IOException;
  }

  /** The HTTP reply to a request that failed with {@code e}, in one wire format. */
  public <T> HandlerResponse<T> reply(Exception e, RpcMetadataResponse metadata,
      Encoder<T> encoder) {
    ErrorResponse response = response(e, metadata);
    try {
      return new HandlerResponse<>(encoder.encode(response),
          HttpURLConnection.HTTP_INTERNAL_ERROR);
    } catch (IOException unencodable) {
      throw new IllegalStateException("error " + response.errorCode + " could not be encoded",
          unencodable);
    }
  }

  /**
   * The exception Avatica's client raises for a reply of {@code e}, for the in-process
   * transport, which has no wire to carry the reply.
   */
  public RuntimeException clientException(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AvaticaClientRuntimeException done) {
        // already the client's error, passing back through Calcite's own Meta
        return done;
      }
    }
    return response(e, null).toException();
  }

  /**
   * What the client learns of {@code e}; logged under the error id it carries. The message and
   * the trace may quote the statement (Calcite's "Error while executing SQL"), so both are
   * scrubbed of passwords before they are written or sent.
   */
  private ErrorResponse response(Throwable e, RpcMetadataResponse metadata) {
    String message;
    String sqlState;
    if (e instanceof AvaticaRuntimeException described) {
      message = described.getErrorMessage();
      sqlState = described.getSqlState();
    } else {
      QuellException error = QuellException.unwrap(e);
      message = error.getMessage();
      sqlState = error.sqlState().code();
    }
    message = SqlRedaction.scrubPasswords(message);
    // Seven digits: short enough to read out, and never Avatica's codes -1 and 1 (the latter
    // makes its client reconnect).
    int errorId = ThreadLocalRandom.current().nextInt(1_000_000, 10_000_000);
    if (SqlState.INTERNAL_ERROR.code().equals(sqlState)) {
      LOG.error("error {} (SQLSTATE {}): {}", errorId, sqlState, message, scrubbed(e));
    } else if (STOPPED.contains(sqlState)) {
      // A cancel is the engine doing what it was asked; its trace only says where it stopped,
      // and writing it would delay the reply that a cancelling client is waiting for.
      LOG.info("error {} (SQLSTATE {}): {}", errorId, sqlState, message);
      if (LOG.isDebugEnabled()) {
        LOG.debug("error {} trace", errorId, scrubbed(e));
      }
    } else {
      LOG.info("error {} (SQLSTATE {}): {}", errorId, sqlState, message, scrubbed(e));
    }
    List<String> traces = debug ? List.of(trace(e)) : List.of();
    return new ErrorResponse(traces, message, errorId, sqlState, AvaticaSeverity.ERROR,
        metadata);
  }

  private static String trace(Throwable e) {
    return SqlRedaction.scrubPasswords(Throwables.getStackTraceAsString(e));
  }

  /**
   * {@code e} as the log may keep it: a copy of its chain (causes and suppressed ones) whose
   * messages are scrubbed of passwords, each naming the original class, with the original
   * frames; the logging configuration still decides where traces go.
   */
  private static Throwable scrubbed(Throwable e) {
    return scrubbed(e, Collections.newSetFromMap(new IdentityHashMap<>()));
  }

  private static Throwable scrubbed(Throwable e, Set<Throwable> seen) {
    ScrubbedException copy =
        new ScrubbedException(SqlRedaction.scrubPasswords(e.toString()));
    copy.setStackTrace(e.getStackTrace());
    seen.add(e);
    if (e.getCause() != null && !seen.contains(e.getCause())) {
      copy.initCause(scrubbed(e.getCause(), seen));
    }
    for (Throwable suppressed : e.getSuppressed()) {
      if (!seen.contains(suppressed)) {
        copy.addSuppressed(scrubbed(suppressed, seen));
      }
    }
    return copy;
  }

  /** A link of a scrubbed chain: its message starts with the class it stands for. */
  private static final class ScrubbedException extends Exception {
    ScrubbedException(String message) {
      super(message);
    }

    @Override public synchronized Throwable fillInStackTrace() {
      return this; // the original's frames are set instead
    }
  }
}
