package io.quell.shell;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The sqlline arguments of one quell-sql run: the user's own, which may be any of sqlline's, and
 * Quell's defaults for those left out.
 */
final class ShellArguments {
  static final String DEFAULT_URL = "jdbc:quell://localhost:8765";
  static final String DEFAULT_USER = "root";
  /** sqlline's script file: SQL piped in runs as a script, which stops at its first error. */
  static final String STANDARD_INPUT = "/dev/stdin";

  private final List<String> given;
  /** The options present ({@code -u}, {@code -e}, ...), without their values. */
  private final Set<String> options = new HashSet<>();

  ShellArguments(List<String> given) {
    this.given = List.copyOf(given);
    for (int i = 0; i < given.size(); i++) {
      String arg = given.get(i);
      // sqlline's "--name=value" properties are one word; every other option takes a value.
      if (arg.startsWith("-") && !arg.startsWith("--")) {
        options.add(arg);
        i++;
      }
    }
  }

  /** Whether the SQL comes from -e or -f rather than from whoever is at standard input. */
  boolean script() {
    return options.contains("-e") || options.contains("-f");
  }

  /** Whether this run reads SQL typed at a terminal, given whether one is attached. */
  boolean interactive(boolean terminal) {
    return terminal && !script();
  }

  /**
   * sqlline's arguments.
   *
   * @param password {@code QUELL_PASSWORD}, or null
   * @param terminal whether standard input and output are a terminal
   */
  List<String> forSqlline(String password, boolean terminal) {
    List<String> args = new ArrayList<>(given);
    if (!options.contains("-u") && !options.contains("-c") && !options.contains("-cn")) {
      args.addAll(List.of("-u", DEFAULT_URL));
    }
    if (!options.contains("-n")) {
      args.addAll(List.of("-n", DEFAULT_USER));
    }
    if (!options.contains("-p") && password != null) {
      args.addAll(List.of("-p", password));
    }
    if (!terminal) {
      // No password prompt: there is no one to answer it, and it would read the script's first line.
      args.add("--connectInteractionMode=notAskCredentials");
      if (!script()) {
        args.addAll(List.of("-f", STANDARD_INPUT));
      }
    }
    if (!interactive(terminal)) {
      args.add("--silent=true");
    }
    return args;
  }
}
