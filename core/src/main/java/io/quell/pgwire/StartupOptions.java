package io.quell.pgwire;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code options} startup parameter (libpq's PGOPTIONS): command-line switches, of which
 * the settings ({@code -c name=value}, {@code --name=value}) apply as a SET would. Arguments
 * are separated by blanks; a backslash keeps the next character, a blank included.
 */
final class StartupOptions {
  private StartupOptions() {
  }

  /** The settings {@code options} makes, by name; other switches are passed over. */
  static Map<String, String> parse(String options) {
    List<String> arguments = arguments(options);
    Map<String, String> settings = new LinkedHashMap<>();
    for (int i = 0; i < arguments.size(); i++) {
      String argument = arguments.get(i);
      String setting = null;
      if (argument.equals("-c") && i + 1 < arguments.size()) {
        setting = arguments.get(++i);
      } else if (argument.startsWith("-c")) {
        setting = argument.substring(2);
      } else if (argument.startsWith("--")) {
        setting = argument.substring(2);
      }
      int equals = setting == null ? -1 : setting.indexOf('=');
      if (equals > 0) {
        settings.put(setting.substring(0, equals).replace('-', '_'),
            setting.substring(equals + 1));
      }
    }
    return settings;
  }

  private static List<String> arguments(String options) {
    List<String> arguments = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean any = false;
    for (int i = 0; i < options.length(); i++) {
      char c = options.charAt(i);
      if (c == '\\' && i + 1 < options.length()) {
        current.append(options.charAt(++i));
        any = true;
      } else if (Character.isWhitespace(c)) {
        if (any) {
          arguments.add(current.toString());
          current.setLength(0);
          any = false;
        }
      } else {
        current.append(c);
        any = true;
      }
    }
    if (any) {
      arguments.add(current.toString());
    }
    return arguments;
  }
}
