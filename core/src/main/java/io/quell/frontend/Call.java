package io.quell.frontend;

/** Work inside the front end that may throw whatever the JDBC layer throws. */
@FunctionalInterface
interface Call<T> {
  T run() throws Exception;
}
