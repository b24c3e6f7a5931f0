package io.quell.server.console;

/**
 * Who a console request is from: a user logged in through the page, whose HTTP session holds
 * {@code csrfToken}, or a script sending HTTP BASIC, which has none ({@code null}).
 */
record ConsoleUser(String name, String csrfToken) {
  boolean viaSession() {
    return csrfToken != null;
  }
}
