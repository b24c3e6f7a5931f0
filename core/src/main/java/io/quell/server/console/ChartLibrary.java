package io.quell.server.console;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.AbstractHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * uPlot, the charting library of the console's overview, served below {@value #PATH} from its
 * WebJar: its script and its style sheet, and nothing else of the jar.
 */
final class ChartLibrary extends AbstractHandler {
  static final String PATH = "/vendor/";
  private static final String WEBJAR = "/META-INF/resources/webjars/uplot/";
  private static final Map<String, String> FILES = Map.of(
      "uPlot.iife.min.js", "text/javascript;charset=utf-8",
      "uPlot.min.css", "text/css;charset=utf-8");

  private final String dist;

  ChartLibrary() {
    Properties pom = new Properties();
    try (InputStream in = ChartLibrary.class.getResourceAsStream(
        "/META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("uPlot's WebJar is not on the class path");
      }
      pom.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.dist = WEBJAR + pom.getProperty("version") + "/dist/";
  }

  @Override public void handle(String target, Request baseRequest, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    if (!target.startsWith(PATH)) {
      return;
    }
    String file = target.substring(PATH.length());
    String type = FILES.get(file);
    baseRequest.setHandled(true);
    if (type == null) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    try (InputStream in = ChartLibrary.class.getResourceAsStream(dist + file)) {
      response.setContentType(type);
      in.transferTo(response.getOutputStream());
    }
  }
}
