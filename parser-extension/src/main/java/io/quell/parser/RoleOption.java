package io.quell.parser;

import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlUtil;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import org.checkerframework.checker.nullness.qual.Nullable;

import java.util.List;
import java.util.Locale;

/**
 * A role option of {@code CREATE USER} / {@code ALTER USER}, other than {@code PASSWORD}.
 *
 * <p>Options come in pairs that set one privilege flag on or off; {@link #flag()} names the
 * flag and {@link #enables()} says which way.
 */
public enum RoleOption {
  VIEWACTIVITY("VIEWACTIVITY", true),
  NOVIEWACTIVITY("VIEWACTIVITY", false),
  VIEWACTIVITYREDACTED("VIEWACTIVITYREDACTED", true),
  NOVIEWACTIVITYREDACTED("VIEWACTIVITYREDACTED", false),
  CANCELQUERY("CANCELQUERY", true),
  NOCANCELQUERY("CANCELQUERY", false),
  LOGIN("LOGIN", true),
  NOLOGIN("LOGIN", false);

  private final String flag;
  private final boolean enables;

  RoleOption(String flag, boolean enables) {
    this.flag = flag;
    this.enables = enables;
  }

  /** The privilege flag this option sets, e.g. {@code VIEWACTIVITY} for {@link #NOVIEWACTIVITY}. */
  public String flag() {
    return flag;
  }

  /** Whether the option turns its flag on. */
  public boolean enables() {
    return enables;
  }

  /** The literal the parser stores for the keyword {@code image}. */
  public static SqlLiteral literal(String image, SqlParserPos pos) {
    return SqlLiteral.createSymbol(valueOf(image.toUpperCase(Locale.ROOT)), pos);
  }

  /**
   * Adds the option the parser met as keyword {@code image} to {@code options}. An option for
   * a flag that is already set, either way, is an error, as in CockroachDB and PostgreSQL.
   */
  public static void add(List<SqlNode> options, String image, SqlParserPos pos) {
    final SqlLiteral literal = literal(image, pos);
    final RoleOption option = literal.getValueAs(RoleOption.class);
    for (SqlNode node : options) {
      final RoleOption earlier = ((SqlLiteral) node).getValueAs(RoleOption.class);
      if (earlier.flag.equals(option.flag)) {
        throw SqlUtil.newContextException(pos,
            QuellParserResource.RESOURCE.conflictingRoleOptions(earlier.name(), option.name()));
      }
    }
    options.add(literal);
  }

  /**
   * Stores the value of {@code PASSWORD} (a string literal or NULL) in {@code password[0]}.
   * A second PASSWORD is an error.
   */
  public static void setPassword(@Nullable SqlNode[] password, SqlNode value, SqlParserPos pos) {
    if (password[0] != null) {
      throw SqlUtil.newContextException(pos,
          QuellParserResource.RESOURCE.conflictingRoleOptions("PASSWORD", "PASSWORD"));
    }
    password[0] = value;
  }

  /**
   * Stores the value of {@code option} ({@code CONNECTION LIMIT} or {@code QUERY LIMIT}: an
   * integer literal, -1 for no limit) in {@code limit[0]}. A second one is an error.
   */
  public static void setLimit(@Nullable SqlNode[] limit, String option, SqlNode value,
      SqlParserPos pos) {
    if (limit[0] != null) {
      throw SqlUtil.newContextException(pos,
          QuellParserResource.RESOURCE.conflictingRoleOptions(option, option));
    }
    limit[0] = value;
  }

  /**
   * Writes {@code [WITH PASSWORD p] [CONNECTION LIMIT n] [QUERY LIMIT n] option ...}, as
   * CREATE and ALTER USER both end.
   */
  static void unparse(SqlWriter writer, SqlNodeList options, @Nullable SqlNode password,
      @Nullable SqlNode connectionLimit, @Nullable SqlNode queryLimit) {
    if (password == null && connectionLimit == null && queryLimit == null
        && options.isEmpty()) {
      return;
    }
    writer.keyword("WITH");
    if (password != null) {
      writer.keyword("PASSWORD");
      password.unparse(writer, 0, 0);
    }
    if (connectionLimit != null) {
      writer.keyword("CONNECTION LIMIT");
      connectionLimit.unparse(writer, 0, 0);
    }
    if (queryLimit != null) {
      writer.keyword("QUERY LIMIT");
      queryLimit.unparse(writer, 0, 0);
    }
    for (SqlNode option : options) {
      option.unparse(writer, 0, 0);
    }
  }
}
