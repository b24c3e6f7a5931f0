package io.quell.catalog;

import java.util.List;
import java.util.Set;

/**
 * A role as SHOW USERS lists it: its own privileges, its CONNECTION LIMIT and QUERY LIMIT
 * ({@code -1} for none) and the roles it is a direct member of.
 */
public record RoleInfo(String name, Set<Privilege> privileges, int connectionLimit,
    int queryLimit, List<String> memberOf) {
}
