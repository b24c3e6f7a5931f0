package io.quell.parser;

import org.apache.calcite.runtime.CalciteException;
import org.apache.calcite.runtime.Resources;

/** Messages of the errors Quell's grammar raises beyond Calcite's own. */
public interface QuellParserResource {
  QuellParserResource RESOURCE = Resources.create(QuellParserResource.class);

  @Resources.BaseMessage("Conflicting role options {0} and {1}")
  Resources.ExInst<CalciteException> conflictingRoleOptions(String a0, String a1);

  @Resources.BaseMessage("operator does not exist: {0}")
  Resources.ExInst<CalciteException> unknownOperator(String a0);

  @Resources.BaseMessage("function {0} does not exist")
  Resources.ExInst<CalciteException> unknownFunction(String a0);

  @Resources.BaseMessage("collation \"{0}\" does not exist: Quell compares text by code point,"
      + " as the collations \"C\" and \"default\" do")
  Resources.ExInst<CalciteException> unknownCollation(String a0);
}
