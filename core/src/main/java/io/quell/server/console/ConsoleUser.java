package io.quell.server.console;

import com.google.common.hash.HashCode;

import java.util.Optional;

/**
 * Who a console request is from: a user logged in through the page, whose HTTP session holds
 * {@code csrfToken} and the digest of the credential the password was checked against, or a
 * script sending HTTP BASIC, which has neither ({@code null}).
 */
record ConsoleUser(String name, String csrfToken, Optional<HashCode> credential) {
  static ConsoleUser basic(String name) {
    return new ConsoleUser(name, null, Optional.empty());
  }

  boolean viaSession() {
    return csrfToken != null;
  }
}
