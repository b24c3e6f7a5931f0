package io.quell.server.console;

import io.quell.frontend.QuellNode;
import io.quell.server.login.Authenticator;

import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.HandlerList;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.server.session.SessionHandler;
import org.eclipse.jetty.util.resource.Resource;

import java.time.Duration;
import java.util.EnumSet;
import javax.servlet.SessionTrackingMode;

/**
 * The web console at {@code /console/}, served by the node's own Jetty on its own port(s): a
 * page of static files from this jar and the JSON API it uses. Logins are HTTP sessions of
 * Jetty's session handler, kept in memory, ended after {@code idleTimeout} without a request;
 * their cookie is HttpOnly, SameSite=Strict, and Secure when the server serves TLS. They are
 * not SQL sessions: the console runs its statements on internal sessions of the logged-in
 * user, which SHOW lists only with ALL.
 */
public final class Console {
  public static final String PATH = "/console";
  /** A login ends after this long without a request, unless the server says otherwise. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);
  private static final String COOKIE = "QUELL_CONSOLE";
  private static final String STATIC = "/io/quell/server/console/static/";

  private final ContextHandler context;
  private final InternalConnections connections;

  private Console(ContextHandler context, InternalConnections connections) {
    this.context = context;
    this.connections = connections;
  }

  /** The console of {@code node}, checking passwords with the server's {@code authenticator}. */
  public static Console of(QuellNode node, Authenticator authenticator, boolean tls,
      Duration idleTimeout) {
    InternalConnections connections = new InternalConnections(node);
    ResourceHandler files = new ResourceHandler();
    files.setBaseResource(Resource.newClassPathResource(STATIC));
    files.setDirectoriesListed(false);
    files.setWelcomeFiles(new String[] {"index.html"});
    ConsoleHandler handler = new ConsoleHandler(new ConsoleLogin(authenticator, node.engine()),
        new ConsoleApi(node.engine(), connections), node.errorReplies());
    handler.setHandler(new HandlerList(new ChartLibrary(), files));

    SessionHandler sessions = new SessionHandler();
    sessions.setSessionCookie(COOKIE);
    sessions.setHttpOnly(true);
    sessions.setSameSite(HttpCookie.SameSite.STRICT);
    sessions.getSessionCookieConfig().setSecure(tls);
    sessions.setSessionTrackingModes(EnumSet.of(SessionTrackingMode.COOKIE));
    sessions.setMaxInactiveInterval((int) Math.min(Integer.MAX_VALUE, idleTimeout.toSeconds()));
    sessions.setHandler(handler);

    ContextHandler context = new ContextHandler(PATH);
    context.setHandler(sessions);
    return new Console(context, connections);
  }

  /** The handler to serve below {@link #PATH}. */
  public ContextHandler handler() {
    return context;
  }

  /** Ends the console's internal sessions; the HTTP server stops the rest. */
  public void close() {
    connections.close();
  }
}
