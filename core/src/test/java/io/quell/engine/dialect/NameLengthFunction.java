package io.quell.engine.dialect;

/**
 * A stand-in for the catalog's {@code regclass(text)}, for the test of what text cast to
 * regclass calls: the length of the name. Public, as the generated code calls it.
 */
public final class NameLengthFunction {
  private NameLengthFunction() {
  }

  public static int of(String name) {
    return name.length();
  }
}
