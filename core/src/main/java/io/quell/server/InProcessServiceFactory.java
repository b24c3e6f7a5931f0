package io.quell.server;

import io.quell.engine.QuellEngine;

import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.remote.AvaticaHttpClient;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.RemoteProtobufService;
import org.apache.calcite.avatica.remote.Service;

/**
 * The embedded transport: Avatica's remote client talking to an engine in the same JVM with the
 * same protobuf messages and the same error handling as over HTTP, minus the socket. Avatica
 * instantiates it by class name from the {@code factory} connection property; the engine is
 * named by the {@code url} property.
 */
public final class InProcessServiceFactory implements Service.Factory {
  private static final String SCHEME = "quell-in-process:";

  public static String url(QuellEngine engine) {
    return SCHEME + engine.key();
  }

  @Override public Service create(AvaticaConnection connection) {
    String url = connection.config().url();
    QuellEngine engine = QuellEngine.byKey(url.substring(SCHEME.length()));
    AvaticaHttpClient transport = request -> engine.inProcessHandler().apply(request).getResponse();
    return new RemoteProtobufService(transport, new ProtobufTranslationImpl());
  }
}
