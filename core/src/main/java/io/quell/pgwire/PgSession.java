package io.quell.pgwire;

import io.quell.catalog.Principal;
import io.quell.client.ServerFailure;
import io.quell.client.SqlState;
import io.quell.error.QuellException;
import io.quell.frontend.QuellNode;
import io.quell.session.CancelCause;
import io.quell.session.RunningQuery;
import io.quell.session.Session;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A logged-in PostgreSQL connection: the simple and extended query protocols over the one
 * embedded JDBC connection of its session, so that every statement goes through the front end
 * every client uses (tracking, statement timeouts, admission, memory limits, error scrubbing).
 * Runs on the connection's worker, one message at a time. A statement's error is an
 * ErrorResponse, after which the extended protocol skips to the next Sync; an error that says
 * the session has ended ends the connection ({@link FatalError}).
 */
final class PgSession {
  private static final short[] ALL_TEXT = new short[0];
  /** SQLSTATEs that say the session is gone, which end the connection. */
  private static final Set<String> ENDED = Set.of(SqlState.ADMIN_SHUTDOWN.code(),
      SqlState.CONNECTION_EXCEPTION.code());

  private final PgListener.Shared shared;
  private final Output output;
  private final Connection connection;
  private final Session session;
  private final ReportedParameters reported;
  private final TransactionBlock block = new TransactionBlock();
  private final Map<String, PreparedQuery> statements = new HashMap<>();
  private final Map<String, Portal> portals = new HashMap<>();
  /** After an error in the extended protocol, every message up to the next Sync is skipped. */
  private boolean skipToSync;

  PgSession(PgListener.Shared shared, Output output, Connection connection, Session session) {
    this.shared = shared;
    this.output = output;
    this.connection = connection;
    this.session = session;
    this.reported = new ReportedParameters(session);
  }

  Session session() {
    return session;
  }

  /** Reports the parameters and the cancel key {@code secret}; the session is ready. */
  void greet(int secret) {
    Principal user = shared.node().engine().principal(session.user())
        .orElseThrow(() -> new QuellException(SqlState.INVALID_AUTHORIZATION,
            "role " + session.user() + " does not exist"));
    reported.writeAll(out(), user);
    BackendMessages.backendKeyData(out(), session.pid(), secret);
    readyForQuery();
  }

  /** Handles one message; false once the client said Terminate. */
  boolean handle(FrontendMessage message) throws FatalError, InterruptedException {
    char kind = message.kind();
    if (kind == 'X') {
      return false;
    }
    if (skipToSync && kind != 'S') {
      return true;
    }
    if (kind == 'Q') {
      String sql = message.readCString();
      message.end();
      simpleQuery(sql);
      return true;
    }
    try {
      switch (kind) {
        case 'P' -> parse(message);
        case 'B' -> bind(message);
        case 'D' -> describe(message);
        case 'E' -> execute(message);
        case 'C' -> close(message);
        case 'S' -> sync(message);
        case 'H' -> {
          message.end();
          output.send();
        }
        case 'F' -> throw new QuellException(SqlState.FEATURE_NOT_SUPPORTED,
            "function calls of the protocol are not supported; call the function in a query");
        // Copy messages outside a COPY are ignored, as PostgreSQL ignores them.
        case 'd', 'c', 'f' -> { }
        default -> throw new ProtocolViolation("invalid frontend message type "
            + Login.printable(kind));
      }
    } catch (ProtocolViolation e) {
      throw new FatalError(e.sqlState(), e.getMessage());
    } catch (SQLException | RuntimeException e) {
      report(e);
      skipToSync = true;
    }
    return true;
  }

  // --- simple query ----------------------------------------------------------------------------

  /**
   * Runs the statements of a Query message in turn, the first error ending the message, then
   * ReadyForQuery.
   */
  private void simpleQuery(String sql) throws FatalError, InterruptedException {
    closePortal("");
    List<String> statements = QueryText.split(sql);
    if (statements.isEmpty()) {
      BackendMessages.empty(out(), 'I');
    }
    for (String statement : statements) {
      try {
        runSimple(statement);
      } catch (SQLException | RuntimeException e) {
        report(e);
        break;
      }
    }
    readyForQuery();
  }

  private void runSimple(String sql) throws SQLException, InterruptedException {
    List<String> words = QueryText.firstWords(sql, CommandTag.words());
    TransactionBlock.Control control = TransactionBlock.control(words);
    block.checkRuns(control);
    if (control != null) {
      complete(block.apply(control));
      return;
    }
    try (Statement statement = connection.createStatement()) {
      if (statement.execute(sql)) {
        try (ResultSet rows = statement.getResultSet()) {
          ResultColumns columns = ResultColumns.of(rows.getMetaData(), ALL_TEXT);
          columns.writeDescription(out());
          long sent = sendRows(rows, columns, 0);
          BackendMessages.commandComplete(out(), CommandTag.of(words, true, sent));
        }
      } else {
        BackendMessages.commandComplete(out(),
            CommandTag.of(words, false, Math.max(statement.getUpdateCount(), 0)));
      }
    }
    reported.writeChanged(out());
  }

  // --- extended query --------------------------------------------------------------------------

  private void parse(FrontendMessage message) throws SQLException {
    String name = message.readCString();
    String sql = message.readCString();
    int count = message.readCount(4);
    int[] oids = new int[count];
    for (int i = 0; i < count; i++) {
      oids[i] = message.readInt();
    }
    message.end();
    block.checkRuns(TransactionBlock.control(QueryText.firstWords(sql, 2)));
    if (!name.isEmpty() && statements.containsKey(name)) {
      throw new QuellException(SqlState.DUPLICATE_PREPARED_STATEMENT,
          "prepared statement \"" + name + "\" already exists");
    }
    checkRoom(statements, name, "prepared statements");
    PreparedQuery query = PreparedQuery.prepare(connection, sql, oids);
    PreparedQuery replaced = statements.put(name, query);
    if (replaced != null) {
      replaced.close();
    }
    BackendMessages.empty(out(), '1');
  }

  private void bind(FrontendMessage message) throws SQLException {
    String portalName = message.readCString();
    String statementName = message.readCString();
    short[] parameterFormats = formats(message);
    int count = message.readCount(4);
    PreparedQuery query = statements.get(statementName);
    if (query == null) {
      throw PreparedQuery.missing(statementName);
    }
    if (parameterFormats.length > 1 && parameterFormats.length != count) {
      throw new QuellException(SqlState.PROTOCOL_VIOLATION, "bind message has "
          + parameterFormats.length + " parameter formats but " + count + " parameters");
    }
    query.checkValueCount(count, statementName);
    Object[] values = new Object[count];
    for (int n = 0; n < count; n++) {
      int length = message.readInt();
      if (length < 0) {
        continue;
      }
      ByteBuf value = message.readSlice(length);
      short format = parameterFormats.length == 0 ? ResultColumns.TEXT
          : parameterFormats[parameterFormats.length == 1 ? 0 : n];
      values[n] = format == ResultColumns.BINARY ? PgBinary.read(value, query.parameterType(n))
          : PgText.parse(value.toString(StandardCharsets.UTF_8), query.parameterType(n));
    }
    short[] resultFormats = formats(message);
    message.end();
    block.checkRuns(query.control());
    if (!portalName.isEmpty() && portals.containsKey(portalName)) {
      throw new QuellException(SqlState.DUPLICATE_CURSOR,
          "portal \"" + portalName + "\" already exists");
    }
    closePortal(portalName);
    checkRoom(portals, portalName, "portals");
    portals.put(portalName, Portal.bind(connection, query, values, resultFormats));
    BackendMessages.empty(out(), '2');
  }

  /**
   * Fails with 53000 if {@code name} would be one more than {@link QuellNode#MAX_OPEN_STATEMENTS}
   * in {@code open}: each holds a statement on the session, and a client that never closes
   * them must not fill the heap.
   */
  private static void checkRoom(Map<String, ?> open, String name, String what) {
    if (!open.containsKey(name) && open.size() >= QuellNode.MAX_OPEN_STATEMENTS) {
      throw new QuellException(SqlState.INSUFFICIENT_RESOURCES, "too many open " + what
          + " on this connection (" + QuellNode.MAX_OPEN_STATEMENTS + ")");
    }
  }

  private static short[] formats(FrontendMessage message) {
    short[] formats = new short[message.readCount(2)];
    for (int i = 0; i < formats.length; i++) {
      formats[i] = message.readShort();
    }
    return formats;
  }

  private void describe(FrontendMessage message) throws SQLException {
    byte what = message.readByte();
    String name = message.readCString();
    message.end();
    if (what == 'S') {
      PreparedQuery query = statements.get(name);
      if (query == null) {
        throw PreparedQuery.missing(name);
      }
      BackendMessages.parameterDescription(out(), query.parameterOids());
      describeRows(ResultColumns.of(query.metadata(), ALL_TEXT));
    } else if (what == 'P') {
      Portal portal = portals.get(name);
      if (portal == null) {
        throw Portal.missing(name);
      }
      describeRows(portal.columns());
    } else {
      throw new ProtocolViolation("invalid DESCRIBE message subtype " + what);
    }
  }

  private void describeRows(ResultColumns columns) {
    if (columns.isEmpty()) {
      BackendMessages.empty(out(), 'n');
    } else {
      columns.writeDescription(out());
    }
  }

  private void execute(FrontendMessage message) throws SQLException, InterruptedException {
    String name = message.readCString();
    int limit = message.readInt();
    message.end();
    Portal portal = portals.get(name);
    if (portal == null) {
      throw Portal.missing(name);
    }
    PreparedQuery query = portal.query();
    block.checkRuns(query.control());
    try {
      if (query.isEmpty()) {
        BackendMessages.empty(out(), 'I');
      } else if (query.control() != null) {
        complete(block.apply(query.control()));
      } else if (!portal.start()) {
        BackendMessages.commandComplete(out(), portal.completed());
      } else if (portal.rows() == null) {
        BackendMessages.commandComplete(out(), CommandTag.of(query.words(), true, 0));
      } else {
        long sent = sendRows(portal.rows(), portal.columns(), limit);
        if (limit > 0 && sent == limit) {
          BackendMessages.empty(out(), 's');
        } else {
          portal.exhausted();
          BackendMessages.commandComplete(out(), CommandTag.of(query.words(), true, sent));
        }
      }
    } finally {
      reported.writeChanged(out());
    }
  }

  private void close(FrontendMessage message) throws SQLException {
    byte what = message.readByte();
    String name = message.readCString();
    message.end();
    if (what == 'S') {
      PreparedQuery query = statements.remove(name);
      if (query != null) {
        query.close();
      }
    } else if (what == 'P') {
      closePortal(name);
    } else {
      throw new ProtocolViolation("invalid CLOSE message subtype " + what);
    }
    BackendMessages.empty(out(), '3');
  }

  /**
   * The end of an extended-protocol exchange: errors are no longer skipped, and outside a
   * transaction block its portals end, as PostgreSQL's end with their implicit transaction.
   */
  private void sync(FrontendMessage message) {
    message.end();
    skipToSync = false;
    if (!block.open()) {
      for (String name : new ArrayList<>(portals.keySet())) {
        closePortal(name);
      }
    }
    readyForQuery();
  }

  private void closePortal(String name) {
    Portal portal = portals.remove(name);
    if (portal != null) {
      try {
        portal.close();
      } catch (SQLException e) {
        // its rows are gone with it whatever the statement says; a broken session shows at
        // the next statement
      }
    }
  }

  // --- results -------------------------------------------------------------------------------

  /** Sends up to {@code limit} rows (0: all) of {@code rows}; returns how many. */
  private long sendRows(ResultSet rows, ResultColumns columns, int limit)
      throws SQLException, InterruptedException {
    ZoneId zone = reported.zone();
    long sent = 0;
    while ((limit <= 0 || sent < limit) && rows.next()) {
      columns.writeRow(rows, out(), zone);
      sent++;
      output.sendIfFull(this::stopped);
    }
    return sent;
  }

  /** Whether the session's query was cancelled or the session ended: its rows are unwanted. */
  private boolean stopped() {
    RunningQuery query = session.activeQuery();
    return session.endCause() != null || query != null && query.cancelReason() != null;
  }

  private void complete(TransactionBlock.Outcome outcome) {
    if (outcome.warning() != null) {
      BackendMessages.error(out(), BackendMessages.Severity.WARNING, outcome.warningState(),
          outcome.warning());
    }
    BackendMessages.commandComplete(out(), outcome.tag());
  }

  private void readyForQuery() {
    BackendMessages.readyForQuery(out(), block.status());
    output.send();
  }

  /**
   * Reports {@code e} as an ErrorResponse, with the message and SQLSTATE the front end gives
   * every client (scrubbed, no internals; the node's log keeps the trace under an error id),
   * and fails the transaction block. An error saying the session has ended ends the
   * connection instead.
   */
  private void report(Exception e) throws FatalError {
    SQLException failure = e instanceof SQLException sql ? sql
        : ServerFailure.unwrap(shared.node().errorReplies().clientException(e));
    String state = failure.getSQLState() == null ? SqlState.INTERNAL_ERROR.code()
        : failure.getSQLState();
    if (ENDED.contains(state) || session.endCause() != null) {
      throw new FatalError(SqlState.ofCode(state).orElse(SqlState.ADMIN_SHUTDOWN),
          failure.getMessage());
    }
    block.failed();
    BackendMessages.error(out(), BackendMessages.Severity.ERROR, state, failure.getMessage());
  }

  /** The connection has ended: its statements, portals and embedded connection with it. */
  void close() {
    try {
      for (Portal portal : portals.values()) {
        portal.close();
      }
      for (PreparedQuery query : statements.values()) {
        query.close();
      }
    } catch (SQLException | RuntimeException e) {
      // the connection's close below releases what is left
    }
    portals.clear();
    statements.clear();
    try {
      connection.close();
    } catch (SQLException e) {
      // the session has ended either way
    }
  }

  /** Ends the session now (the socket closed): its running query is cancelled. */
  void end() {
    shared.node().engine().cancellations().closeSession(session, CancelCause.CONNECTION_CLOSED);
  }

  private ByteBuf out() {
    return output.buffer();
  }
}
