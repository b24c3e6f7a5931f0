package io.quell.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A PKCS12 keystore holding a fresh self-signed RSA key for 127.0.0.1 and localhost, made with
 * the JDK's keytool as an operator would make one.
 */
public final class TestKeystore {
  private TestKeystore() {
  }

  /** Writes the keystore to {@code file}, its store and key both protected by {@code password}. */
  public static Path create(Path file, String password) throws IOException, InterruptedException {
    Process keytool = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "quell", "-keyalg", "RSA", "-keysize", "2048",
        "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
        "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", password,
        "-keypass", password).redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new IOException("keytool failed: " + output);
    }
    return file;
  }
}
