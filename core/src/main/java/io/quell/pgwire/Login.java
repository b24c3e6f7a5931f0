package io.quell.pgwire;

import io.quell.client.SqlState;
import io.quell.error.QuellException;
import io.quell.frontend.QuellNode;
import io.quell.server.login.LoginOutcome;
import io.quell.server.login.ScramExchange;
import io.quell.session.Session;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * A connection's way from its StartupMessage to a session: the protocol version, the TLS rule,
 * SCRAM-SHA-256 against the server's {@link io.quell.server.login.Authenticator}, and then one
 * embedded connection to the node as the user, which opens the session as every front end
 * does (connection limits, drain refusal, tracking). Runs on the connection's worker; a
 * refusal is a {@link FatalError}.
 */
final class Login {
  /** Protocol 3.0, the only one: later minor versions are answered with 3.0. */
  static final int PROTOCOL_3 = 3 << 16;
  /** Startup parameters that name the connection rather than a session variable. */
  private static final List<String> NOT_VARIABLES = List.of("user", "database", "options",
      "replication", "application_name", "client_encoding");
  /** The encodings a client may ask for: UTF8 by its names, and SQL_ASCII (no conversion). */
  private static final List<String> ENCODINGS = List.of("UTF8", "UTF-8", "UNICODE",
      "SQL_ASCII");

  /** What the login needs of the listener and of the connection it runs for. */
  record Context(PgListener.Shared shared, Output output, String clientIp, int clientPort,
      boolean tls) {
  }

  private final Context context;
  private final Map<String, String> parameters = new LinkedHashMap<>();
  private String user;
  private ScramExchange scram;
  /** Whether the client has chosen the mechanism and sent its first message. */
  private boolean scramStarted;

  Login(Context context) {
    this.context = context;
  }

  /** Reads the StartupMessage and asks for SCRAM; the rest follows in password messages. */
  void start(FrontendMessage startup) throws FatalError {
    int version = startup.readInt();
    if (version >> 16 != 3) {
      throw new FatalError(SqlState.FEATURE_NOT_SUPPORTED, "unsupported frontend protocol "
          + (version >> 16) + "." + (version & 0xFFFF) + ": server supports 3.0");
    }
    List<String> unknownOptions = new ArrayList<>();
    while (true) {
      String name = startup.readCString();
      if (name.isEmpty()) {
        break;
      }
      String value = startup.readCString();
      if (name.startsWith("_pq_.")) {
        unknownOptions.add(name);
      } else {
        parameters.put(name, value);
      }
    }
    startup.end();
    if (version != PROTOCOL_3 || !unknownOptions.isEmpty()) {
      BackendMessages.negotiateProtocolVersion(context.output().buffer(), 0, unknownOptions);
    }
    user = parameters.get("user");
    if (user == null || user.isEmpty()) {
      throw new FatalError(SqlState.INVALID_AUTHORIZATION,
          "no PostgreSQL user name specified in startup packet");
    }
    String encoding = parameters.getOrDefault("client_encoding", "UTF8");
    if (!ENCODINGS.contains(encoding.trim().toUpperCase(Locale.ROOT))) {
      throw new FatalError(SqlState.INVALID_PARAMETER_VALUE, "client_encoding \"" + encoding
          + "\" is not supported: the server speaks UTF8");
    }
    PgListener.Shared shared = context.shared();
    if (shared.tlsRequired() && !context.tls() && !PgListener.isLoopback(context.clientIp())) {
      throw new FatalError(SqlState.INVALID_AUTHORIZATION, "connections from "
          + context.clientIp() + " must use TLS: connect with sslmode=require");
    }
    scram = catalogAnswer(() -> shared.authenticator().scram(user, context.clientIp()));
    BackendMessages.authenticationSasl(context.output().buffer(), ScramExchange.MECHANISM);
    context.output().send();
  }

  /**
   * Takes the next password message of the SCRAM exchange; returns the session once the login
   * is complete, null while it goes on.
   */
  PgSession answer(FrontendMessage message) throws FatalError {
    if (message.kind() != 'p') {
      throw new FatalError(SqlState.PROTOCOL_VIOLATION, "expected SASL response, got message type "
          + printable(message.kind()));
    }
    try {
      if (scram == null) {
        throw new FatalError(SqlState.PROTOCOL_VIOLATION, "unexpected password message");
      }
      if (!scramStarted) {
        String mechanism = message.readCString();
        if (!mechanism.equals(ScramExchange.MECHANISM)) {
          throw new FatalError(SqlState.INVALID_AUTHORIZATION,
              "client selected an invalid SASL authentication mechanism");
        }
        int length = message.readInt();
        String clientFirst = length < 0 ? ""
            : message.readSlice(length).toString(StandardCharsets.UTF_8);
        message.end();
        scramStarted = true;
        BackendMessages.saslContinue(context.output().buffer(), scram.serverFirst(clientFirst));
        context.output().send();
        return null;
      }
      String clientFinal = message.readSlice(message.body().readableBytes())
          .toString(StandardCharsets.UTF_8);
      ScramExchange.Result result = catalogAnswer(() -> {
        try {
          return scram.finish(clientFinal);
        } catch (ScramExchange.MalformedException e) {
          throw new ProtocolViolation(e.getMessage());
        }
      });
      if (result.outcome() == LoginOutcome.LOGIN_NOT_PERMITTED) {
        throw new FatalError(SqlState.INVALID_AUTHORIZATION,
            "role \"" + user + "\" is not permitted to log in");
      }
      if (result.outcome() != LoginOutcome.ACCEPTED) {
        throw new FatalError(SqlState.INVALID_PASSWORD,
            "password authentication failed for user \"" + user + "\"");
      }
      BackendMessages.saslFinal(context.output().buffer(), result.serverFinal());
      BackendMessages.authenticationOk(context.output().buffer());
      return open();
    } catch (ScramExchange.MalformedException e) {
      throw new FatalError(SqlState.PROTOCOL_VIOLATION, e.getMessage());
    }
  }

  /** Opens the user's session through the node's front end and applies the startup settings. */
  private PgSession open() throws FatalError {
    Properties properties = new Properties();
    properties.setProperty(QuellNode.CLIENT_ADDRESS,
        context.clientIp() + ":" + context.clientPort());
    properties.setProperty("applicationName", parameters.getOrDefault("application_name", ""));
    QuellNode node = context.shared().node();
    Connection connection;
    try {
      connection = node.connect(user, properties);
    } catch (SQLException e) {
      throw new FatalError(SqlState.ofCode(e.getSQLState()).orElse(SqlState.CONNECTION_FAILURE),
          e.getMessage());
    }
    try {
      Session session = node.session(connection).orElseThrow(() -> new FatalError(
          SqlState.ADMIN_SHUTDOWN, "the session ended while it started"));
      Map<String, String> settings = new LinkedHashMap<>(parameters);
      NOT_VARIABLES.forEach(settings::remove);
      settings.putAll(StartupOptions.parse(parameters.getOrDefault("options", "")));
      for (Map.Entry<String, String> setting : settings.entrySet()) {
        try {
          session.variables().set(setting.getKey(), setting.getValue());
        } catch (QuellException e) {
          if (e.sqlState() != SqlState.UNDEFINED_OBJECT) {
            throw new FatalError(e.sqlState(), e.getMessage());
          }
        }
      }
      return new PgSession(context.shared(), context.output(), connection, session);
    } catch (FatalError | SQLException | RuntimeException e) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // the refusal is what the client hears
      }
      if (e instanceof FatalError refusal) {
        throw refusal;
      }
      QuellException error = QuellException.unwrap(e);
      throw new FatalError(error.sqlState(), error.getMessage());
    }
  }

  /** What the catalog answers; its failure (a full disk) refuses the login with its reason. */
  private static <T> T catalogAnswer(Supplier<T> call) throws FatalError {
    try {
      return call.get();
    } catch (ProtocolViolation e) {
      throw new FatalError(SqlState.PROTOCOL_VIOLATION, e.getMessage());
    } catch (QuellException e) {
      throw new FatalError(e.sqlState(), e.getMessage());
    }
  }

  static String printable(char type) {
    return type >= 0x21 && type < 0x7f ? "'" + type + "'" : "0x" + Integer.toHexString(type);
  }
}
