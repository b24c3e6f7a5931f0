package io.quell.catalog;

import io.quell.parser.RoleOption;

import java.util.List;
import java.util.Set;

/** A role as SHOW USERS lists it: its own options and the roles it is a direct member of. */
public record RoleInfo(String name, Set<RoleOption> options, List<String> memberOf) {
}
