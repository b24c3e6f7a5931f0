package io.quell.engine.pgcatalog;

import io.quell.client.SqlState;
import io.quell.error.QuellException;

import org.apache.calcite.adapter.enumerable.CallImplementor;
import org.apache.calcite.linq4j.function.NonDeterministic;
import org.apache.calcite.linq4j.function.SemiStrict;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.FunctionParameter;
import org.apache.calcite.schema.ImplementableFunction;
import org.apache.calcite.schema.ScalarFunction;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The array functions PostgreSQL's catalog queries use: {@code current_schemas}, the search
 * path as an array, {@code parse_ident}, a qualified name as one, and {@code array_to_string},
 * {@code array_upper}, {@code array_lower} over them and over the catalogs' array columns.
 * Calcite's reflective functions type a Java list as an array of nothing in particular, so the
 * functions of names declare their element type.
 */
@SemiStrict
public final class ArrayFunctions {
  private ArrayFunctions() {
  }

  /**
   * {@code current_schemas(include_implicit)}: the schemas unqualified names are looked up in,
   * {@code pg_catalog} first if {@code includeImplicit}, then the session's current schema.
   */
  @NonDeterministic
  public static List<String> currentSchemas(boolean includeImplicit) {
    List<String> schemas = new ArrayList<>();
    if (includeImplicit) {
      schemas.add(PgCatalogSchema.NAME);
    }
    String current = CatalogSnapshot.ofStatement().currentSchema();
    if (current != null) {
      schemas.add(current);
    }
    return schemas;
  }

  /** The elements of {@code array} joined by {@code separator}, NULL elements left out. */
  public static String arrayToString(List<?> array, String separator) {
    return array.stream().filter(Objects::nonNull).map(Object::toString)
        .collect(Collectors.joining(separator));
  }

  /** As {@link #arrayToString(List, String)}, with NULL elements shown as {@code nullText}. */
  public static String arrayToStringWithNulls(List<?> array, String separator,
      String nullText) {
    return array.stream().map(e -> e == null ? nullText : e.toString())
        .collect(Collectors.joining(separator));
  }

  /**
   * The upper bound of dimension {@code dimension} of {@code array}: PostgreSQL's arrays count
   * from 1, and an empty one, or a dimension it does not have, has none (NULL).
   */
  public static Integer arrayUpper(List<?> array, int dimension) {
    return dimension == 1 && !array.isEmpty() ? array.size() : null;
  }

  public static Integer arrayLower(List<?> array, int dimension) {
    return dimension == 1 && !array.isEmpty() ? 1 : null;
  }

  /**
   * {@code parse_ident(name)}: the parts of a qualified SQL name, quoted parts as written and
   * the others in lower case; 22023 for text that is no name, or that has more after it.
   */
  public static List<String> parseIdent(String name) {
    return parseIdentStrictly(name, true);
  }

  /** As {@link #parseIdent(String)}; unless {@code strict}, what follows the name is ignored. */
  public static List<String> parseIdentStrictly(String name, boolean strict) {
    List<String> parts = new ArrayList<>();
    int i = skipSpaces(name, 0);
    while (true) {
      StringBuilder part = new StringBuilder();
      if (i < name.length() && name.charAt(i) == '"') {
        int end = i + 1;
        while (true) {
          int quote = name.indexOf('"', end);
          if (quote < 0) {
            throw invalidIdentifier(name);
          }
          part.append(name, end, quote);
          if (quote + 1 < name.length() && name.charAt(quote + 1) == '"') {
            part.append('"');
            end = quote + 2;
          } else {
            i = quote + 1;
            break;
          }
        }
        if (part.length() == 0) {
          throw invalidIdentifier(name);
        }
      } else {
        int start = i;
        while (i < name.length() && (Character.isLetterOrDigit(name.charAt(i))
            || name.charAt(i) == '_' || name.charAt(i) == '$')) {
          i++;
        }
        if (i == start || Character.isDigit(name.charAt(start))) {
          throw invalidIdentifier(name);
        }
        part.append(name.substring(start, i).toLowerCase(Locale.ROOT));
      }
      parts.add(part.toString());
      i = skipSpaces(name, i);
      if (i < name.length() && name.charAt(i) == '.') {
        i = skipSpaces(name, i + 1);
      } else if (i < name.length() && strict) {
        throw invalidIdentifier(name);
      } else {
        return parts;
      }
    }
  }

  private static int skipSpaces(String text, int from) {
    int i = from;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static QuellException invalidIdentifier(String name) {
    return new QuellException(SqlState.INVALID_PARAMETER_VALUE,
        "string is not a valid identifier: \"" + name + "\"");
  }

  /** A function of {@code method} that returns an array of names. */
  static ScalarFunction namesFunction(String method) {
    return new Typed(ScalarFunctionImpl.create(PgFunctions.method(ArrayFunctions.class,
        method)), typeFactory -> typeFactory.createArrayType(
            typeFactory.createSqlType(SqlTypeName.VARCHAR), -1));
  }

  /** A reflective function with the return type it declares rather than its Java type's. */
  private record Typed(ScalarFunction function,
      java.util.function.Function<RelDataTypeFactory, RelDataType> returnType)
      implements ScalarFunction, ImplementableFunction {
    @Override public RelDataType getReturnType(RelDataTypeFactory typeFactory) {
      return typeFactory.createTypeWithNullability(returnType.apply(typeFactory), true);
    }

    @Override public List<FunctionParameter> getParameters() {
      return function.getParameters();
    }

    @Override public CallImplementor getImplementor() {
      return ((ImplementableFunction) function).getImplementor();
    }
  }
}
