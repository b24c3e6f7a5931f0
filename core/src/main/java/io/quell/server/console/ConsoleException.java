package io.quell.server.console;

import io.quell.client.ServerFailure;
import io.quell.client.SqlState;

import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.AvaticaSqlException;

import java.sql.SQLException;
import javax.servlet.http.HttpServletResponse;

/**
 * A console request that cannot be served: the HTTP status, the SQLSTATE and the message the
 * client gets as JSON. SQL errors keep the engine's own message and SQLSTATE, so that a
 * refused cancel reads exactly as it would in SQL.
 */
final class ConsoleException extends RuntimeException {
  private final int status;
  private final String sqlState;
  /** The engine's error id (the log has the trace under it); 0 when there is none. */
  private final int errorId;

  ConsoleException(int status, SqlState sqlState, String message) {
    this(status, sqlState.code(), message, 0);
  }

  private ConsoleException(int status, String sqlState, String message, int errorId) {
    super(message);
    this.status = status;
    this.sqlState = sqlState;
    this.errorId = errorId;
  }

  /** A parameter the client got wrong (22023), which changes nothing. */
  static ConsoleException badRequest(String message) {
    return new ConsoleException(HttpServletResponse.SC_BAD_REQUEST,
        SqlState.INVALID_PARAMETER_VALUE, message);
  }

  /** The engine's refusal of a statement the console ran for the user. */
  static ConsoleException of(SQLException e) {
    // Avatica's client wraps the server's message in its own; the user wants the server's.
    SQLException server = ServerFailure.unwrap(e);
    String message = server instanceof AvaticaSqlException reply
        ? ServerFailure.serverMessage(reply.getErrorMessage()) : server.getMessage();
    String state = server.getSQLState() == null ? SqlState.INTERNAL_ERROR.code()
        : server.getSQLState();
    return new ConsoleException(statusOf(state), state, message, server.getErrorCode());
  }

  /**
   * An unexpected failure of the console itself, as the node's error replies describe it
   * (message, SQLSTATE, and the error id the log has its trace under).
   */
  static ConsoleException unexpected(AvaticaClientRuntimeException described) {
    return new ConsoleException(HttpServletResponse.SC_INTERNAL_SERVER_ERROR,
        described.getSqlState(), described.getMessage(), described.getErrorCode());
  }

  /** The HTTP status that says what a SQLSTATE says. */
  private static int statusOf(String state) {
    if (state.equals(SqlState.INSUFFICIENT_PRIVILEGE.code())) {
      return HttpServletResponse.SC_FORBIDDEN;
    }
    if (state.equals(SqlState.UNDEFINED_OBJECT.code())) {
      return HttpServletResponse.SC_NOT_FOUND;
    }
    if (state.startsWith("28")) {
      return HttpServletResponse.SC_UNAUTHORIZED;
    }
    if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57")) {
      return HttpServletResponse.SC_SERVICE_UNAVAILABLE;
    }
    if (state.startsWith("22") || state.startsWith("42") || state.startsWith("0A")
        || state.startsWith("21")) {
      return HttpServletResponse.SC_BAD_REQUEST;
    }
    return HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
  }

  int status() {
    return status;
  }

  String sqlState() {
    return sqlState;
  }

  int errorId() {
    return errorId;
  }
}
