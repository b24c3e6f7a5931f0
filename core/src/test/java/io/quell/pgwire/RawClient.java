package io.quell.pgwire;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A PostgreSQL protocol client written from the protocol's description, byte by byte, for the
 * tests that send what no driver sends: malformed and oversized messages, pipelines, wrong
 * cancel keys. It logs in with SCRAM-SHA-256 as libpq does.
 */
final class RawClient implements AutoCloseable {
  /** A message from the server: its type and body. */
  record Message(char type, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** An ErrorResponse's or NoticeResponse's field {@code code} (C, M, S...). */
    String field(char code) {
      int i = 0;
      while (i < body.length && body[i] != 0) {
        int end = i + 1;
        while (body[end] != 0) {
          end++;
        }
        if (body[i] == code) {
          return new String(body, i + 1, end - i - 1, StandardCharsets.UTF_8);
        }
        i = end + 1;
      }
      return null;
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;
  private final Map<String, String> parameters = new LinkedHashMap<>();
  private int pid;
  private int secret;

  RawClient(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(20_000);
    in = new DataInputStream(socket.getInputStream());
    out = new DataOutputStream(socket.getOutputStream());
  }

  /** Sends a CancelRequest for {@code pid} with {@code secret}; waits for the server to close. */
  static void cancel(int port, int pid, int secret) throws IOException {
    try (RawClient client = new RawClient(port)) {
      client.out.writeInt(16);
      client.out.writeInt(PgConnection.CANCEL_REQUEST);
      client.out.writeInt(pid);
      client.out.writeInt(secret);
      client.out.flush();
      client.awaitClose();
    }
  }

  /** A client logged in as {@code user}, past the first ReadyForQuery. */
  static RawClient login(int port, String user, String password) throws Exception {
    RawClient client = new RawClient(port);
    try {
      client.startup(user);
      client.scram(password);
      Message m;
      while ((m = client.read()).type() != 'Z') {
        if (m.type() == 'S') {
          String[] pair = m.text().split("\0");
          client.parameters.put(pair[0], pair.length > 1 ? pair[1] : "");
        } else if (m.type() == 'K') {
          client.pid = ((m.body()[0] & 0xFF) << 24) | ((m.body()[1] & 0xFF) << 16)
              | ((m.body()[2] & 0xFF) << 8) | (m.body()[3] & 0xFF);
          client.secret = ((m.body()[4] & 0xFF) << 24) | ((m.body()[5] & 0xFF) << 16)
              | ((m.body()[6] & 0xFF) << 8) | (m.body()[7] & 0xFF);
        } else if (m.type() == 'E') {
          throw new IllegalStateException("login failed: " + m.field('M'));
        }
      }
      return client;
    } catch (Exception e) {
      client.close();
      throw e;
    }
  }

  Map<String, String> parameters() {
    return parameters;
  }

  int pid() {
    return pid;
  }

  int secret() {
    return secret;
  }

  /** Sends a StartupMessage for protocol 3.0 as {@code user}. */
  void startup(String user) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(body);
    data.writeInt(3 << 16);
    cString(data, "user");
    cString(data, user);
    cString(data, "database");
    cString(data, "quell");
    data.writeByte(0);
    out.writeInt(body.size() + 4);
    out.write(body.toByteArray());
    out.flush();
  }

  /** The SCRAM-SHA-256 exchange after the startup. */
  void scram(String password) throws IOException, GeneralSecurityException {
    Message sasl = read();
    if (sasl.type() == 'E') {
      throw new IllegalStateException("login failed: " + sasl.field('M'));
    }
    String clientNonce = "rawclientnonce" + System.nanoTime();
    String clientFirstBare = "n=,r=" + clientNonce;
    ByteArrayOutputStream initial = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(initial);
    cString(data, "SCRAM-SHA-256");
    byte[] first = ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    data.writeInt(first.length);
    data.write(first);
    send('p', initial.toByteArray());
    Message cont = read();
    if (cont.type() == 'E') {
      throw new IllegalStateException("login failed: " + cont.field('M'));
    }
    String serverFirst = new String(cont.body(), 4, cont.body().length - 4,
        StandardCharsets.UTF_8);
    Map<String, String> attributes = new LinkedHashMap<>();
    for (String attribute : serverFirst.split(",")) {
      attributes.put(attribute.substring(0, 1), attribute.substring(2));
    }
    byte[] salt = Base64.getDecoder().decode(attributes.get("s"));
    int iterations = Integer.parseInt(attributes.get("i"));
    byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(
        new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
    String withoutProof = "c=biws,r=" + attributes.get("r");
    byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
        .getBytes(StandardCharsets.UTF_8);
    byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.UTF_8));
    byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
    byte[] signature = hmac(storedKey, authMessage);
    byte[] proof = new byte[clientKey.length];
    for (int i = 0; i < proof.length; i++) {
      proof[i] = (byte) (clientKey[i] ^ signature[i]);
    }
    send('p', (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof))
        .getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data);
  }

  /** Sends a message of {@code type} with {@code body}. */
  void send(char type, byte[] body) throws IOException {
    out.writeByte(type);
    out.writeInt(body.length + 4);
    out.write(body);
    out.flush();
  }

  /** Sends raw bytes, framing and all. */
  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Sends a simple Query. */
  void query(String sql) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    cString(new DataOutputStream(body), sql);
    send('Q', body.toByteArray());
  }

  /** Parse: statement {@code name} of {@code sql}, with parameter types {@code oids}. */
  void parse(String name, String sql, int... oids) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(body);
    cString(data, name);
    cString(data, sql);
    data.writeShort(oids.length);
    for (int oid : oids) {
      data.writeInt(oid);
    }
    send('P', body.toByteArray());
  }

  /**
   * Bind: portal {@code portal} of statement {@code statement}, parameters in text (null for
   * NULL), results in {@code resultFormats}.
   */
  void bind(String portal, String statement, String[] values, short... resultFormats)
      throws IOException {
    byte[][] encoded = new byte[values.length][];
    for (int i = 0; i < values.length; i++) {
      encoded[i] = values[i] == null ? null : values[i].getBytes(StandardCharsets.UTF_8);
    }
    bind(portal, statement, new short[0], encoded, resultFormats);
  }

  void bind(String portal, String statement, short[] formats, byte[][] values,
      short... resultFormats) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(body);
    cString(data, portal);
    cString(data, statement);
    data.writeShort(formats.length);
    for (short format : formats) {
      data.writeShort(format);
    }
    data.writeShort(values.length);
    for (byte[] value : values) {
      if (value == null) {
        data.writeInt(-1);
      } else {
        data.writeInt(value.length);
        data.write(value);
      }
    }
    data.writeShort(resultFormats.length);
    for (short format : resultFormats) {
      data.writeShort(format);
    }
    send('B', body.toByteArray());
  }

  /** Describe of a statement ({@code 'S'}) or portal ({@code 'P'}). */
  void describe(char what, String name) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(body);
    data.writeByte(what);
    cString(data, name);
    send('D', body.toByteArray());
  }

  /** Execute of {@code portal}, at most {@code limit} rows (0: all). */
  void execute(String portal, int limit) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(body);
    cString(data, portal);
    data.writeInt(limit);
    send('E', body.toByteArray());
  }

  void sync() throws IOException {
    send('S', new byte[0]);
  }

  /** The next message from the server. */
  Message read() throws IOException {
    char type = (char) in.readUnsignedByte();
    int length = in.readInt();
    byte[] body = new byte[length - 4];
    in.readFully(body);
    return new Message(type, body);
  }

  /** Reads messages up to and including ReadyForQuery. */
  java.util.List<Message> readUntilReady() throws IOException {
    java.util.List<Message> messages = new java.util.ArrayList<>();
    Message m;
    do {
      m = read();
      messages.add(m);
    } while (m.type() != 'Z');
    return messages;
  }

  /** Reads until the server closes the connection; returns the messages before. */
  java.util.List<Message> readUntilClosed() throws IOException {
    java.util.List<Message> messages = new java.util.ArrayList<>();
    try {
      while (true) {
        messages.add(read());
      }
    } catch (EOFException | java.net.SocketException closed) {
      return messages;
    }
  }

  /** Waits until the server closes the connection. */
  void awaitClose() throws IOException {
    try {
      while (in.read() >= 0) {
        // a CancelRequest gets no answer: only the close
      }
    } catch (java.net.SocketException closed) {
      // reset: closed as well
    }
  }

  static void cString(DataOutputStream data, String text) throws IOException {
    data.write(text.getBytes(StandardCharsets.UTF_8));
    data.writeByte(0);
  }

  @Override public void close() throws IOException {
    socket.close();
  }
}
