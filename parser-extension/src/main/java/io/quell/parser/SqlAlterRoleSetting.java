package io.quell.parser;

import org.apache.calcite.sql.SqlDdl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

import org.checkerframework.checker.nullness.qual.Nullable;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * {@code ALTER USER | ROLE [IF EXISTS] name SET variable = value}, {@code ... RESET variable}
 * and {@code ... RESET ALL}: the role's default for a session variable, which its sessions
 * start with (PostgreSQL's and CockroachDB's form).
 */
public class SqlAlterRoleSetting extends SqlDdl {
  public static final SqlOperator OPERATOR =
      Operators.special("ALTER ROLE SET", SqlKind.OTHER_DDL, (pos, operands) ->
          new SqlAlterRoleSetting(pos, Operators.flag(operands, 0), Operators.flag(operands, 1),
              (SqlIdentifier) Operators.operand(operands, 2), (SqlIdentifier) operands.get(3),
              operands.get(4)));

  private final boolean role;
  private final boolean ifExists;
  private final SqlIdentifier name;
  private final @Nullable SqlIdentifier variable;
  private final @Nullable SqlNode value;

  /**
   * {@code variable} null is RESET ALL; {@code value} null is RESET of {@code variable}; else
   * SET, {@code value} a literal or an identifier ({@code on}, {@code off}).
   */
  public SqlAlterRoleSetting(SqlParserPos pos, boolean role, boolean ifExists,
      SqlIdentifier name, @Nullable SqlIdentifier variable, @Nullable SqlNode value) {
    super(OPERATOR, pos);
    this.role = role;
    this.ifExists = ifExists;
    this.name = requireNonNull(name, "name");
    this.variable = variable;
    this.value = value;
  }

  public boolean ifExists() {
    return ifExists;
  }

  public SqlIdentifier name() {
    return name;
  }

  /** The variable SET or RESET; null for RESET ALL. */
  public @Nullable SqlIdentifier variable() {
    return variable;
  }

  /** The value SET; null for RESET. */
  public @Nullable SqlNode value() {
    return value;
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(Operators.flag(role), Operators.flag(ifExists), name,
        variable, value);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("ALTER");
    writer.keyword(role ? "ROLE" : "USER");
    if (ifExists) {
      writer.keyword("IF EXISTS");
    }
    name.unparse(writer, leftPrec, rightPrec);
    if (value != null && variable != null) {
      writer.keyword("SET");
      variable.unparse(writer, leftPrec, rightPrec);
      writer.sep("=");
      value.unparse(writer, leftPrec, rightPrec);
    } else {
      writer.keyword("RESET");
      if (variable == null) {
        writer.keyword("ALL");
      } else {
        variable.unparse(writer, leftPrec, rightPrec);
      }
    }
  }
}
