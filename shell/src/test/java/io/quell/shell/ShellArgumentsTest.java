package io.quell.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.List;

class ShellArgumentsTest {
  @Test void aTerminalWithNoArgumentsConnectsToTheLocalServerAsRoot() {
    ShellArguments none = new ShellArguments(List.of());
    assertTrue(none.interactive(true));
    assertEquals(List.of("-u", "jdbc:quell://localhost:8765", "-n", "root"),
        none.forSqlline(null, true));
  }

  @Test void theUsersOwnOptionsWinAndTheirValuesAreNotMistakenForOptions() {
    ShellArguments given = new ShellArguments(
        List.of("-u", "jdbc:quell://db:9000", "-n", "-p", "-p", "secret", "--outputformat=csv"));
    assertEquals(List.of("-u", "jdbc:quell://db:9000", "-n", "-p", "-p", "secret",
        "--outputformat=csv"), given.forSqlline("from-the-environment", true));
  }

  @Test void thePasswordComesFromTheEnvironmentUnlessGiven() {
    assertEquals(List.of("-n", "alice", "-u", "jdbc:quell://localhost:8765", "-p", "env"),
        new ShellArguments(List.of("-n", "alice")).forSqlline("env", true));
  }

  @Test void aStatementOnTheCommandLineRunsSilently() {
    ShellArguments e = new ShellArguments(List.of("-e", "SELECT 1"));
    assertFalse(e.interactive(true));
    assertEquals(List.of("-e", "SELECT 1", "-u", "jdbc:quell://localhost:8765", "-n", "root",
        "--silent=true"), e.forSqlline(null, true));
  }

  @Test void withoutATerminalStandardInputIsAScriptAndNoPasswordIsAskedFor() {
    ShellArguments none = new ShellArguments(List.of());
    assertFalse(none.interactive(false));
    assertEquals(List.of("-u", "jdbc:quell://localhost:8765", "-n", "root",
        "--connectInteractionMode=notAskCredentials", "-f", "/dev/stdin", "--silent=true"),
        none.forSqlline(null, false));
    assertEquals(List.of("-f", "q.sql", "-u", "jdbc:quell://localhost:8765", "-n", "root",
        "--connectInteractionMode=notAskCredentials", "--silent=true"),
        new ShellArguments(List.of("-f", "q.sql")).forSqlline(null, false));
  }

  @Test void aConnectionConfigurationReplacesTheDefaultUrl() {
    assertEquals(List.of("-cn", "prod", "-n", "root"),
        new ShellArguments(List.of("-cn", "prod")).forSqlline(null, true));
  }
}
