package io.quell.frontend;

import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.remote.Service;

/**
 * The embedded transport: Avatica's client calling a node's guarded service in the same JVM,
 * request and response objects handed over as they are, with no wire format in between.
 * Avatica instantiates it by class name from the {@code factory} connection property; the node
 * is named by the {@code url} property.
 */
public final class InProcessServiceFactory implements Service.Factory {
  private static final String SCHEME = "quell-in-process:";

  public static String url(QuellNode node) {
    return SCHEME + node.key();
  }

  @Override public Service create(AvaticaConnection connection) {
    String url = connection.config().url();
    return QuellNode.byKey(url.substring(SCHEME.length())).inProcessService();
  }
}
