package io.quell.frontend;

import org.apache.calcite.avatica.remote.Service.Response;

/**
 * What a transport needs of the answers {@link RequestGuard} gives: over HTTP the codec
 * handler serializes responses and turns failures into error replies itself; in-process
 * ({@link InProcessTransport}) the objects go to Avatica's client as they are.
 */
interface Transport {
  /** HTTP: responses and failures pass unchanged to the codec handler. */
  Transport HTTP = new Transport() {
  };

  /** How {@code e}, which a request threw, leaves for the client. */
  default RuntimeException failure(RuntimeException e) {
    return e;
  }

  /** How {@code response} reaches the client. */
  default <T extends Response> T response(T response) {
    return response;
  }
}
