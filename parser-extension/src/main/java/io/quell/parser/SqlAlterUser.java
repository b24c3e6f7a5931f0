package io.quell.parser;

import org.apache.calcite.sql.SqlDdl;
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

/** {@code ALTER USER | ROLE [IF EXISTS] name [WITH] [PASSWORD 'p'] option ...}. */
public class SqlAlterUser extends SqlDdl {
  public static final SqlOperator OPERATOR =
      Operators.special("ALTER USER", SqlKind.OTHER_DDL, (pos, operands) ->
          new SqlAlterUser(pos, Operators.flag(operands, 0), Operators.flag(operands, 1),
              (SqlIdentifier) Operators.operand(operands, 2),
              (SqlNodeList) Operators.operand(operands, 3), operands.get(4), operands.get(5),
              operands.get(6)));

  private final boolean role;
  private final boolean ifExists;
  private final SqlIdentifier name;
  private final SqlNodeList options;
  private final @Nullable SqlNode password;
  private final @Nullable SqlNode connectionLimit;
  private final @Nullable SqlNode queryLimit;

  public SqlAlterUser(SqlParserPos pos, boolean role, boolean ifExists, SqlIdentifier name,
      SqlNodeList options, @Nullable SqlNode password, @Nullable SqlNode connectionLimit,
      @Nullable SqlNode queryLimit) {
    super(OPERATOR, pos);
    this.role = role;
    this.ifExists = ifExists;
    this.name = requireNonNull(name, "name");
    this.options = requireNonNull(options, "options");
    this.password = password;
    this.connectionLimit = connectionLimit;
    this.queryLimit = queryLimit;
  }

  public boolean isRole() {
    return role;
  }

  public boolean ifExists() {
    return ifExists;
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

  /** The CONNECTION LIMIT integer literal, or null if the statement changes none. */
  public @Nullable SqlNode connectionLimit() {
    return connectionLimit;
  }

  /** The QUERY LIMIT integer literal, or null if the statement has none. */
  public @Nullable SqlNode queryLimit() {
    return queryLimit;
  }

  /** Flags first (ROLE, IF EXISTS), so that a rebuilt node keeps them. */
  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(Operators.flag(role), Operators.flag(ifExists), name,
        options, password, connectionLimit,
        queryLimit);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("ALTER");
    writer.keyword(role ? "ROLE" : "USER");
    if (ifExists) {
      writer.keyword("IF EXISTS");
    }
    name.unparse(writer, leftPrec, rightPrec);
    RoleOption.unparse(writer, options, password, connectionLimit, queryLimit);
  }
}
