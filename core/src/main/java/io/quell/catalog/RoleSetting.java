package io.quell.catalog;

/** One default of a role's sessions: {@code ALTER ROLE role SET variable = value}. */
public record RoleSetting(String role, String variable, String value) {
}
