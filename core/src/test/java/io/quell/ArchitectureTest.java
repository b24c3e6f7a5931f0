package io.quell;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layers of Quell, each depending only on those below it: the parser; the engine
 * (sessions, catalog, activities, statement execution and cancellation); the Avatica front
 * end; and, on top, the HTTP server and the cluster member. Read from the compiled classes.
 */
@AnalyzeClasses(packages = "io.quell", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String[] ENGINE = {"io.quell.engine..", "io.quell.execution..",
      "io.quell.activity..", "io.quell.catalog..", "io.quell.session..", "io.quell.sample..",
      "io.quell.error..", "io.quell.memory..", "io.quell.admission.."};

  @ArchTest
  static final ArchRule PACKAGES_HAVE_NO_CYCLES =
      slices().matching("io.quell.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule LAYERS_DEPEND_DOWNWARDS = layeredArchitecture()
      .consideringOnlyDependenciesInLayers()
      .layer("parser").definedBy("io.quell.parser..")
      .layer("engine").definedBy(ENGINE)
      .layer("front end").definedBy("io.quell.frontend..")
      .layer("cluster").definedBy("io.quell.cluster..")
      .layer("server").definedBy("io.quell.server..")
      .whereLayer("server").mayNotBeAccessedByAnyLayer()
      .whereLayer("cluster").mayOnlyBeAccessedByLayers("server")
      .whereLayer("front end").mayOnlyBeAccessedByLayers("server")
      .whereLayer("engine").mayOnlyBeAccessedByLayers("front end", "cluster", "server")
      .whereLayer("parser").mayOnlyBeAccessedByLayers("engine", "front end", "cluster",
          "server");

  @ArchTest
  static final ArchRule ENGINE_KNOWS_NO_TRANSPORT = noClasses().that()
      .resideInAnyPackage(ENGINE).should().dependOnClassesThat()
      .resideInAnyPackage("org.apache.calcite.avatica.server..",
          "org.apache.calcite.avatica.remote..", "org.apache.calcite.avatica.jdbc..",
          "org.eclipse.jetty..")
      .because("the engine serves the front end, whatever transport that uses");
}
