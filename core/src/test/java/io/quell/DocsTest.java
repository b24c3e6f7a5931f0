package io.quell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.server.ServerMain;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The pages people read hold together: every relative link lands on a file and heading that
 * exist, every flag of the server is described where operators look for it, and the README stays
 * a short front page with the two commands CI and newcomers rely on. Reads files only; starts
 * nothing.
 */
class DocsTest {
  /** The commands a fresh machine needs, which the README must keep exactly. */
  private static final String BUILD_AND_START =
      "mvn -B -q install -DskipTests && distribution/target/quell-0.1.0-SNAPSHOT/bin/quell-server";
  private static final String TEST = "mvn -B verify";
  private static final int README_MAX_LINES = 250;

  /** {@code [text](target)} and {@code ![alt](target)}, with an optional title. */
  private static final Pattern LINK =
      Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*([^)\\s]+)(?:\\s+\"[^\"]*\")?\\s*\\)");
  private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,6}\\s+(.*?)(?:\\s+#+)?\\s*$");
  private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)");
  /** A code span: its text is shown as written, so a link inside it is no link. */
  private static final Pattern CODE_SPAN = Pattern.compile("(`+).*?\\1");
  /** A URL with a scheme (https:, mailto:) or a protocol-relative one: not ours to check. */
  private static final Pattern EXTERNAL = Pattern.compile("^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)");
  /** What GitHub's slugger drops from a heading: all but letters, digits, '_', '-' and spaces. */
  private static final Pattern NOT_IN_ANCHOR = Pattern.compile("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]");

  private static final Path ROOT = repositoryRoot();

  @Test void everyRelativeLinkLandsOnAFileAndHeadingThatExist() throws IOException {
    List<String> broken = new ArrayList<>();
    Map<Path, Set<String>> anchors = new HashMap<>();
    for (Path page : pages()) {
      List<String> lines = Files.readAllLines(page);
      boolean inFence = false;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (FENCE.matcher(line).find()) {
          inFence = !inFence;
          continue;
        }
        if (inFence) {
          continue;
        }
        Matcher link = LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
        while (link.find()) {
          String problem = problem(page, link.group(1), anchors);
          if (problem != null) {
            broken.add(ROOT.relativize(page) + ":" + (i + 1) + " " + link.group(1) + ": "
                + problem);
          }
        }
      }
    }
    assertEquals(List.of(), broken);
  }

  /**
   * Every option of {@code bin/quell-server} and of its subcommands, taken from the picocli
   * model the server parses its arguments with, so that a new flag fails here until
   * docs/configuration.md describes it. Help and version options need no description.
   */
  @Test void everyServerFlagIsInTheConfigurationPage() throws IOException {
    String configuration = Files.readString(ROOT.resolve("docs/configuration.md"));
    List<String> missing = new ArrayList<>();
    List<CommandLine> commands = new ArrayList<>(List.of(new CommandLine(new ServerMain())));
    for (int i = 0; i < commands.size(); i++) {
      CommandSpec spec = commands.get(i).getCommandSpec();
      commands.addAll(commands.get(i).getSubcommands().values());
      for (OptionSpec option : spec.options()) {
        if (option.usageHelp() || option.versionHelp()) {
          continue;
        }
        for (String name : names(spec, option)) {
          // As a whole word: --tls-keystore must not pass on --tls-keystore-password alone.
          if (!Pattern.compile("(?<![\\w-])" + Pattern.quote(name) + "(?![\\w-])")
              .matcher(configuration).find()) {
            missing.add(spec.qualifiedName() + " " + name);
          }
        }
      }
    }
    assertEquals(List.of(), missing);
  }

  @Test void readmeIsAShortFrontPageWithTheCommandsOfAFreshMachine() throws IOException {
    List<String> readme = Files.readAllLines(ROOT.resolve("README.md"));
    assertTrue(readme.size() <= README_MAX_LINES,
        "README.md has " + readme.size() + " lines; at most " + README_MAX_LINES);
    String text = String.join("\n", readme);
    assertTrue(text.contains(BUILD_AND_START), "README.md lost: " + BUILD_AND_START);
    assertTrue(text.contains(TEST), "README.md lost: " + TEST);
    // The README says its test command is CI's; keep the two from drifting apart.
    assertTrue(Files.readString(ROOT.resolve(".ci/run")).contains(TEST),
        ".ci/run no longer runs " + TEST);
  }

  /** Why {@code target}, linked from {@code page}, does not resolve; null when it does. */
  private static String problem(Path page, String target, Map<Path, Set<String>> anchors)
      throws IOException {
    if (EXTERNAL.matcher(target).find()) {
      return null;
    }
    int hash = target.indexOf('#');
    String path = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    Path file = path.isEmpty() ? page
        : (path.startsWith("/") ? ROOT.resolve(path.substring(1)) : page.getParent().resolve(path))
            .normalize();
    if (!Files.exists(file)) {
      return "no such file";
    }
    // Only Markdown has headings to check; GitHub's line anchors into code cannot be.
    if (anchor == null || !file.toString().endsWith(".md")) {
      return null;
    }
    Set<String> known = anchors.get(file);
    if (known == null) {
      known = anchors(Files.readAllLines(file));
      anchors.put(file, known);
    }
    return known.contains(anchor) ? null : "no heading with anchor #" + anchor;
  }

  /** The anchors GitHub gives the headings of a page, repeats numbered -1, -2, ... */
  private static Set<String> anchors(List<String> lines) {
    Set<String> anchors = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean inFence = false;
    for (String line : lines) {
      if (FENCE.matcher(line).find()) {
        inFence = !inFence;
        continue;
      }
      Matcher heading = HEADING.matcher(line);
      if (inFence || !heading.matches()) {
        continue;
      }
      // The rendered text: a link shows its text; GitHub then slugs what is left.
      String text = heading.group(1).replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
      String slug = NOT_IN_ANCHOR.matcher(text.toLowerCase(Locale.ROOT)).replaceAll("")
          .replace(' ', '-');
      int repeats = seen.merge(slug, 1, Integer::sum) - 1;
      anchors.add(repeats == 0 ? slug : slug + "-" + repeats);
    }
    return anchors;
  }

  /** The option's names, and for a negatable one the {@code --no-} forms it accepts too. */
  private static List<String> names(CommandSpec spec, OptionSpec option) {
    List<String> names = new ArrayList<>(List.of(option.names()));
    if (option.negatable()) {
      for (String name : option.names()) {
        names.add(spec.negatableOptionTransformer().makeNegative(name, spec));
      }
    }
    return names;
  }

  /** README.md, CHANGELOG.md and every Markdown page under docs/. */
  private static List<Path> pages() throws IOException {
    List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"),
        ROOT.resolve("CHANGELOG.md")));
    try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    return pages;
  }

  /** The checkout: the nearest directory up from the working directory (core/) with README.md. */
  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("README.md"))) {
        return dir;
      }
    }
    throw new UncheckedIOException(new IOException("no README.md above "
        + Path.of("").toAbsolutePath()));
  }
}
