package io.quell.catalog;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The user catalog of a node: its roles, their cached principals, the views and the
 * cancellation audit, over one catalog database.
 */
public final class UserCatalog implements AutoCloseable {
  private final CatalogDatabase database;
  private final RoleStore roles;
  private final PrincipalCache principals;
  private final ViewStore views;
  private final AuditLog audit;

  private UserCatalog(CatalogDatabase database, Duration cacheTtl) {
    this.database = database;
    this.roles = new RoleStore(database);
    this.principals = new PrincipalCache(database, roles, cacheTtl);
    this.views = new ViewStore(database, cacheTtl);
    this.audit = new AuditLog(database);
  }

  /** Opens (creating if needed) the embedded catalog database in {@code dataDir}. */
  public static UserCatalog open(Path dataDir) {
    return new UserCatalog(CatalogDatabase.open(dataDir), null);
  }

  /**
   * Opens a catalog at {@code jdbcUrl} that other processes may change too, as the nodes of a
   * cluster share one: cached privileges and views then age out after {@code cacheTtl}, since
   * changes made elsewhere do not clear this process's cache. Null keeps them until a change
   * here.
   */
  public static UserCatalog open(String jdbcUrl, String user, String password,
      Duration cacheTtl) {
    return new UserCatalog(CatalogDatabase.open(jdbcUrl, user, password), cacheTtl);
  }

  public RoleStore roles() {
    return roles;
  }

  public PrincipalCache principals() {
    return principals;
  }

  public ViewStore views() {
    return views;
  }

  public AuditLog audit() {
    return audit;
  }

  /** How many calls to the catalog database failed since this node started. */
  public long errors() {
    return database.errors();
  }

  @Override public void close() {
    database.close();
  }
}
