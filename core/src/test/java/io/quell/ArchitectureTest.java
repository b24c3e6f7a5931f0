package io.quell;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layers of Quell, each depending only on those below it, read from the compiled classes:
 * the parser and the client module (whose SQLSTATEs every layer uses); the engine, itself in
 * layers (errors; memory accounting; sessions; the catalog, activities and admission control
 * over them; statement execution; the sample data; the metrics and statement statistics; the
 * engine that ties them together); the front end; the cluster member; the login check; the web
 * console and the PostgreSQL protocol over them; and, on top, the HTTP server. No package, at
 * any depth, is in a cycle with another.
 */
@AnalyzeClasses(packages = "io.quell", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String[] ENGINE = {"io.quell.engine..", "io.quell.execution..",
      "io.quell.activity..", "io.quell.catalog..", "io.quell.session..", "io.quell.sample..",
      "io.quell.error..", "io.quell.memory..", "io.quell.admission..", "io.quell.metrics.."};

  @ArchTest
  static final ArchRule PACKAGES_HAVE_NO_CYCLES_AT_ANY_DEPTH =
      slices().matching("io.quell.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule LAYERS_DEPEND_DOWNWARDS = layeredArchitecture()
      .consideringOnlyDependenciesInLayers()
      .layer("parser").definedBy("io.quell.parser..")
      .layer("client").definedBy("io.quell.client..")
      .layer("engine").definedBy(ENGINE)
      .layer("front end").definedBy("io.quell.frontend..")
      .layer("cluster").definedBy("io.quell.cluster..")
      .layer("login").definedBy("io.quell.server.login..")
      .layer("console").definedBy("io.quell.server.console..")
      .layer("pgwire").definedBy("io.quell.pgwire..")
      .layer("server").definedBy("io.quell.server")
      .whereLayer("server").mayNotBeAccessedByAnyLayer()
      .whereLayer("pgwire").mayOnlyBeAccessedByLayers("server")
      .whereLayer("console").mayOnlyBeAccessedByLayers("server")
      .whereLayer("login").mayOnlyBeAccessedByLayers("console", "pgwire", "server")
      .whereLayer("cluster").mayOnlyBeAccessedByLayers("server")
      .whereLayer("front end").mayOnlyBeAccessedByLayers("console", "pgwire", "server")
      .whereLayer("engine").mayOnlyBeAccessedByLayers("front end", "cluster", "login",
          "console", "pgwire", "server")
      .whereLayer("client").mayOnlyBeAccessedByLayers("engine", "front end", "cluster",
          "login", "console", "pgwire", "server")
      .whereLayer("parser").mayOnlyBeAccessedByLayers("engine", "front end", "cluster",
          "console", "pgwire", "server");

  /** The engine's own layers, lowest first: each may use only those before it. */
  @ArchTest
  static final ArchRule ENGINE_LAYERS_DEPEND_DOWNWARDS = layeredArchitecture()
      .consideringOnlyDependenciesInLayers()
      .layer("error").definedBy("io.quell.error..")
      .layer("memory").definedBy("io.quell.memory..")
      .layer("session").definedBy("io.quell.session..")
      .layer("catalog").definedBy("io.quell.catalog..")
      .layer("activity").definedBy("io.quell.activity..")
      .layer("admission").definedBy("io.quell.admission..")
      .layer("execution").definedBy("io.quell.execution..")
      .layer("sample").definedBy("io.quell.sample..")
      .layer("metrics").definedBy("io.quell.metrics..")
      .layer("engine").definedBy("io.quell.engine..")
      .whereLayer("engine").mayNotBeAccessedByAnyLayer()
      .whereLayer("metrics").mayOnlyBeAccessedByLayers("engine")
      .whereLayer("sample").mayOnlyBeAccessedByLayers("engine")
      .whereLayer("execution").mayOnlyBeAccessedByLayers("sample", "metrics", "engine")
      .whereLayer("admission").mayOnlyBeAccessedByLayers("metrics", "engine")
      .whereLayer("activity").mayOnlyBeAccessedByLayers("execution", "metrics", "engine")
      .whereLayer("catalog").mayOnlyBeAccessedByLayers("execution", "metrics", "engine")
      .whereLayer("session").mayOnlyBeAccessedByLayers("catalog", "activity", "admission",
          "execution", "sample", "metrics", "engine")
      .whereLayer("memory").mayOnlyBeAccessedByLayers("session", "admission", "execution",
          "metrics", "engine");

  @ArchTest
  static final ArchRule ENGINE_KNOWS_NO_TRANSPORT = noClasses().that()
      .resideInAnyPackage(ENGINE).should().dependOnClassesThat()
      .resideInAnyPackage("org.apache.calcite.avatica.server..",
          "org.apache.calcite.avatica.remote..", "org.apache.calcite.avatica.jdbc..",
          "org.eclipse.jetty..", "io.netty..")
      .because("the engine serves the front end, whatever transport that uses");
}
