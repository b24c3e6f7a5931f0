package io.quell.parser;

import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlWriter;

/** Unparses a comma list of role names, which several statements share. */
final class RoleNames {
  private RoleNames() {
  }

  static void unparse(SqlWriter writer, SqlNodeList names) {
    final SqlWriter.Frame frame = writer.startList(SqlWriter.FrameTypeEnum.SIMPLE);
    for (SqlNode name : names) {
      writer.sep(",");
      name.unparse(writer, 0, 0);
    }
    writer.endList(frame);
  }
}
