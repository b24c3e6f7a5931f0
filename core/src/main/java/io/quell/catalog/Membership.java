package io.quell.catalog;

/** {@code member} belongs to {@code role}. */
public record Membership(String role, String member) {
}
