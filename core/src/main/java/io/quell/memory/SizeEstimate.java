package io.quell.memory;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What a row or value retains on a 64-bit HotSpot heap with compressed references, estimated
 * from the actual value: strings by their length, arrays and collections by their elements.
 * Cheap (no reflection), so that operators can estimate every row they hold.
 */
public final class SizeEstimate {
  private static final int HEADER = 16;
  private static final int REFERENCE = 4;
  /** A String and its byte array, before the characters (Latin-1: one byte each). */
  private static final int STRING = 24 + HEADER;
  /** What a value of a kind this does not know is taken to hold. */
  private static final int OTHER = 32;
  /** How deep nested collections are followed; below that, values count as OTHER. */
  private static final int DEPTH = 4;

  private SizeEstimate() {
  }

  public static long of(Object value) {
    return of(value, DEPTH);
  }

  private static long of(Object value, int depth) {
    if (value == null) {
      return 0;
    }
    if (value instanceof String s) {
      // Latin-1 assumed (one byte a character): checking every character of every held
      // string would cost more than holding it; text beyond it is left to the heap guard.
      return STRING + align(s.length());
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte
        || value instanceof Boolean || value instanceof Character || value instanceof Float) {
      return HEADER;
    }
    if (value instanceof Long || value instanceof Double) {
      return HEADER + 8;
    }
    if (value instanceof BigDecimal d) {
      // BigDecimal and, past 18 digits, its BigInteger and int[] magnitude
      return 40 + (d.precision() > 18 ? 40 + align(d.precision() / 2) : 0);
    }
    if (depth == 0) {
      return OTHER;
    }
    if (value instanceof Object[] array) {
      long size = HEADER + align((long) REFERENCE * array.length);
      for (Object element : array) {
        size += of(element, depth - 1);
      }
      return size;
    }
    if (value instanceof byte[] bytes) {
      return HEADER + align(bytes.length);
    }
    if (value instanceof List<?> list) {
      // an ArrayList: the object, its array, the elements
      long size = 24 + HEADER + align((long) REFERENCE * list.size());
      for (Object element : list) {
        size += of(element, depth - 1);
      }
      return size;
    }
    if (value instanceof Collection<?> collection) {
      // a hash or tree set: a node of about 32 bytes per element
      long size = 48;
      for (Object element : collection) {
        size += 32 + of(element, depth - 1);
      }
      return size;
    }
    if (value instanceof Map<?, ?> map) {
      long size = 48;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        size += 32 + of(e.getKey(), depth - 1) + of(e.getValue(), depth - 1);
      }
      return size;
    }
    if (value instanceof CharSequence text) {
      // a StringBuilder: its array is at least as long as its text
      return STRING + align(text.length());
    }
    Field[] fields = FIELDS.get(value.getClass());
    if (fields.length == 0) {
      return OTHER;
    }
    // A generated record (an aggregation's accumulator): its fields.
    long size = HEADER + align((long) 8 * fields.length);
    for (Field field : fields) {
      try {
        size += of(field.get(value), depth - 1);
      } catch (IllegalAccessException e) {
        size += OTHER;
      }
    }
    return size;
  }

  /**
   * The instance fields of a class that is not the JDK's, readable without opening modules
   * (generated records, whose fields are public); none for the JDK's own classes.
   */
  private static final ClassValue<Field[]> FIELDS = new ClassValue<>() {
    @Override protected Field[] computeValue(Class<?> type) {
      if (type.getName().startsWith("java.") || type.getName().startsWith("javax.")) {
        return new Field[0];
      }
      return Arrays.stream(type.getFields())
          .filter(f -> !Modifier.isStatic(f.getModifiers()))
          .toArray(Field[]::new);
    }
  };

  private static long align(long bytes) {
    return (bytes + 7) & ~7L;
  }
}
