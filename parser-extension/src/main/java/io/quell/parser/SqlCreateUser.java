package io.quell.parser;

import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

import org.checkerframework.checker.nullness.qual.Nullable;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * {@code CREATE USER | ROLE [IF NOT EXISTS] name [WITH] [PASSWORD 'p'] [option ...]}.
 *
 * <p>As in CockroachDB a user is a role that may log in: {@code CREATE USER} implies
 * {@code LOGIN}, {@code CREATE ROLE} implies {@code NOLOGIN}.
 */
public class SqlCreateUser extends SqlCreate {
  public static final SqlOperator OPERATOR =
      Operators.special("CREATE USER", SqlKind.OTHER_DDL, (pos, operands) ->
          new SqlCreateUser(pos, Operators.flag(operands, 0), Operators.flag(operands, 1),
              Operators.flag(operands, 2), (SqlIdentifier) Operators.operand(operands, 3),
              (SqlNodeList) Operators.operand(operands, 4), operands.get(5), operands.get(6),
              operands.get(7)));

  private final boolean role;
  private final SqlIdentifier name;
  private final SqlNodeList options;
  private final @Nullable SqlNode password;
  private final @Nullable SqlNode connectionLimit;
  private final @Nullable SqlNode queryLimit;

  public SqlCreateUser(SqlParserPos pos, boolean replace, boolean role, boolean ifNotExists,
      SqlIdentifier name, SqlNodeList options, @Nullable SqlNode password,
      @Nullable SqlNode connectionLimit,
      @Nullable SqlNode queryLimit) {
    super(OPERATOR, pos, replace, ifNotExists);
    this.role = role;
    this.name = requireNonNull(name, "name");
    this.options = requireNonNull(options, "options");
    this.password = password;
    this.connectionLimit = connectionLimit;
    this.queryLimit = queryLimit;
  }

  /** Whether the statement said ROLE rather than USER. */
  public boolean isRole() {
    return role;
  }

  public SqlIdentifier name() {
    return name;
  }

  /** The options other than PASSWORD, as {@link RoleOption} symbols in the order written. */
  public SqlNodeList options() {
    return options;
  }

  /** The PASSWORD string literal, a NULL literal for {@code PASSWORD NULL}, or null. */
  public @Nullable SqlNode password() {
    return password;
  }

  /** The CONNECTION LIMIT integer literal, or null if the statement has none. */
  public @Nullable SqlNode connectionLimit() {
    return connectionLimit;
  }

  /** The QUERY LIMIT integer literal, or null if the statement has none. */
  public @Nullable SqlNode queryLimit() {
    return queryLimit;
  }

  /** Flags first (OR REPLACE, ROLE, IF NOT EXISTS), so that a rebuilt node keeps them. */
  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(Operators.flag(getReplace()), Operators.flag(role),
        Operators.flag(ifNotExists), name, options, password, connectionLimit,
        queryLimit);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE");
    if (getReplace()) {
      writer.keyword("OR REPLACE");
    }
    writer.keyword(role ? "ROLE" : "USER");
    if (ifNotExists) {
      writer.keyword("IF NOT EXISTS");
    }
    name.unparse(writer, leftPrec, rightPrec);
    RoleOption.unparse(writer, options, password, connectionLimit, queryLimit);
  }
}
