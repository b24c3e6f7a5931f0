package io.quell.catalog;

/** What ALTER/CREATE does to a password: keep it, remove it (PASSWORD NULL) or set it. */
public record PasswordChange(Kind kind, String password) {
  /** The three possible changes. */
  public enum Kind { UNCHANGED, CLEAR, SET }

  public static final PasswordChange UNCHANGED = new PasswordChange(Kind.UNCHANGED, null);
  public static final PasswordChange CLEAR = new PasswordChange(Kind.CLEAR, null);

  public static PasswordChange set(String password) {
    return new PasswordChange(Kind.SET, password);
  }

  @Override public String toString() {
    return "PasswordChange[" + kind + "]";
  }
}
