package io.quell.pgwire;

import io.quell.client.SqlState;
import io.quell.engine.pgcatalog.PgType;
import io.quell.error.QuellException;

import java.sql.Connection;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A statement a Parse message prepared: its first words (its tag and whether it controls the
 * transaction block), its parameters {@code $1..$n} with the types the client gave or the
 * engine inferred, and the JDBC statement it runs as, planned once. A transaction control
 * statement or an empty one has no JDBC statement. Portals borrow the JDBC statement; one
 * bound while another portal holds it gets a statement of its own.
 */
final class PreparedQuery implements AutoCloseable {
  /** Statements that report a count even though the engine describes a ROWCOUNT column. */
  private static final Set<String> MODIFICATIONS = Set.of("INSERT", "UPDATE", "DELETE",
      "MERGE", "UPSERT");

  private final List<String> words;
  private final TransactionBlock.Control control;
  private final QueryText.Parameterized parameterized;
  /** By parameter ($n - 1): the type the client binds values as, and its OID as described. */
  private final PgType[] parameterTypes;
  private final int[] parameterOids;
  /** By JDBC parameter (? - 1): the type the engine takes, as PostgreSQL and JDBC name it. */
  private final PgType[] targetTypes;
  private final int[] targetJdbcTypes;
  private final PreparedStatement statement;
  private final ResultSetMetaData metadata;
  private boolean lent;
  /** Closed (replaced or closed by the client) while a portal still holds its statement. */
  private boolean closed;

  private PreparedQuery(List<String> words, TransactionBlock.Control control,
      QueryText.Parameterized parameterized, PgType[] parameterTypes, int[] parameterOids,
      PgType[] targetTypes, int[] targetJdbcTypes, PreparedStatement statement,
      ResultSetMetaData metadata) {
    this.words = words;
    this.control = control;
    this.parameterized = parameterized;
    this.parameterTypes = parameterTypes;
    this.parameterOids = parameterOids;
    this.targetTypes = targetTypes;
    this.targetJdbcTypes = targetJdbcTypes;
    this.statement = statement;
    this.metadata = metadata;
  }

  /**
   * Prepares {@code sql} on {@code connection}, the client having declared the types of its
   * first parameters as {@code clientOids} (0: let the engine infer it).
   */
  static PreparedQuery prepare(Connection connection, String sql, int[] clientOids)
      throws SQLException {
    List<String> words = QueryText.firstWords(sql, CommandTag.words());
    TransactionBlock.Control control = TransactionBlock.control(words);
    boolean empty = QueryText.split(sql).isEmpty();
    if (control != null || empty) {
      int count = clientOids.length;
      return new PreparedQuery(words, control, null, types(clientOids, count),
          clientOids.clone(), new PgType[0], new int[0], null, null);
    }
    QueryText.Parameterized parameterized = QueryText.parameterize(sql);
    PreparedStatement statement = connection.prepareStatement(parameterized.jdbcSql());
    try {
      int count = Math.max(parameterized.count(), clientOids.length);
      ParameterMetaData parameters = statement.getParameterMetaData();
      int placeholders = parameterized.parameterOf().length;
      PgType[] targetTypes = new PgType[placeholders];
      int[] targetJdbcTypes = new int[placeholders];
      for (int i = 0; i < placeholders; i++) {
        targetJdbcTypes[i] = i < parameters.getParameterCount()
            ? parameters.getParameterType(i + 1) : Types.VARCHAR;
        targetTypes[i] = PgType.ofJdbc(targetJdbcTypes[i]);
      }
      PgType[] parameterTypes = types(clientOids, count);
      int[] parameterOids = new int[count];
      for (int n = 0; n < count; n++) {
        parameterOids[n] = n < clientOids.length ? clientOids[n] : 0;
        if (parameterOids[n] == 0) {
          // Inferred from the parameter's first use; one never used is text.
          PgType inferred = PgType.TEXT;
          for (int i = placeholders - 1; i >= 0; i--) {
            if (parameterized.parameterOf()[i] == n + 1) {
              inferred = targetTypes[i];
            }
          }
          parameterTypes[n] = inferred;
          parameterOids[n] = inferred.oid();
        }
      }
      ResultSetMetaData metadata = MODIFICATIONS.contains(words.isEmpty() ? "" : words.get(0))
          ? null : statement.getMetaData();
      if (metadata != null && metadata.getColumnCount() == 0) {
        metadata = null;
      }
      return new PreparedQuery(words, null, parameterized, parameterTypes, parameterOids,
          targetTypes, targetJdbcTypes, statement, metadata);
    } catch (SQLException | RuntimeException e) {
      statement.close();
      throw e;
    }
  }

  /**
   * The types values of {@code oids} are read as; an OID this server has no type for (a uuid)
   * reads its values as text.
   */
  private static PgType[] types(int[] oids, int count) {
    PgType[] types = new PgType[count];
    for (int n = 0; n < count; n++) {
      types[n] = n < oids.length ? PgType.ofOid(oids[n]).orElse(PgType.TEXT) : PgType.TEXT;
    }
    return types;
  }

  List<String> words() {
    return words;
  }

  /** The transaction control statement this is, or null. */
  TransactionBlock.Control control() {
    return control;
  }

  /** Whether the statement is empty: its execution is an EmptyQueryResponse. */
  boolean isEmpty() {
    return control == null && statement == null;
  }

  /** The OIDs of the parameters, as ParameterDescription gives them. */
  List<Integer> parameterOids() {
    List<Integer> oids = new ArrayList<>(parameterOids.length);
    for (int oid : parameterOids) {
      oids.add(oid);
    }
    return oids;
  }

  PgType parameterType(int n) {
    return parameterTypes[n];
  }

  /** The columns of the rows it returns, null if it returns none. */
  ResultSetMetaData metadata() {
    return metadata;
  }

  /** The JDBC statement for a new portal: this one's, or a new one while that is lent. */
  PreparedStatement borrow(Connection connection) throws SQLException {
    if (!lent) {
      lent = true;
      return statement;
    }
    return connection.prepareStatement(parameterized.jdbcSql());
  }

  /** A portal is done with {@code borrowed}. */
  void giveBack(PreparedStatement borrowed) throws SQLException {
    if (borrowed != statement) {
      borrowed.close();
      return;
    }
    lent = false;
    if (closed) {
      statement.close();
    }
  }

  /**
   * Binds {@code values}, read as the parameters' types, to {@code target}: each
   * {@code ?} gets its {@code $n}'s value, converted to the type the engine takes there.
   */
  void bind(PreparedStatement target, Object[] values) throws SQLException {
    int[] parameterOf = parameterized.parameterOf();
    for (int i = 0; i < parameterOf.length; i++) {
      int n = parameterOf[i] - 1;
      JdbcValues.set(target, i + 1, values[n], parameterTypes[n], targetTypes[i],
          targetJdbcTypes[i]);
    }
  }

  /** The parameter count a Bind must supply; 08P01 for another. */
  void checkValueCount(int given, String name) {
    if (given != parameterTypes.length) {
      throw new QuellException(SqlState.PROTOCOL_VIOLATION, "bind message supplies " + given
          + " parameters, but prepared statement \"" + name + "\" requires "
          + parameterTypes.length);
    }
  }

  /** Closes the JDBC statement, or leaves that to the portal holding it. */
  @Override public void close() throws SQLException {
    closed = true;
    if (statement != null && !lent) {
      statement.close();
    }
  }

  static QuellException missing(String name) {
    return new QuellException(SqlState.INVALID_STATEMENT_NAME,
        "prepared statement \"" + name + "\" does not exist");
  }
}
