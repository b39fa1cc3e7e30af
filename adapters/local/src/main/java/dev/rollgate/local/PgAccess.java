package dev.rollgate.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Who may connect to the embedded server and as whom: password authentication for every line of
 * pg_hba.conf, login roles without superuser, databases owned by their roles and closed to everyone
 * else. Role and database names reaching here were checked against {@code [a-z_][a-z0-9_]*};
 * passwords are hex.
 */
final class PgAccess {

  /** Written once the superuser has a password: from then on pg_hba.conf asks for it. */
  static final String SECURED_MARKER = "rollgate-password-auth";

  private static final String HBA =
      """
      # Written by rollgate (EmbeddedDatabase) on every start: every connection, over the local
      # socket or TCP, authenticates with its role's password (scram-sha-256). The passwords are
      # in pg.passwords beside this data directory, readable by its owner only.
      local   all           all                  scram-sha-256
      host    all           all   127.0.0.1/32   scram-sha-256
      host    all           all   ::1/128        scram-sha-256
      local   replication   all                  scram-sha-256
      host    replication   all   127.0.0.1/32   scram-sha-256
      host    replication   all   ::1/128        scram-sha-256
      """;

  private PgAccess() {}

  static boolean secured(Path dataDir) {
    return Files.exists(dataDir.resolve(SECURED_MARKER));
  }

  static void writeHba(Path dataDir) {
    try {
      Files.writeString(dataDir.resolve("pg_hba.conf"), HBA);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot write " + dataDir.resolve("pg_hba.conf") + ": " + e.getMessage(), e);
    }
  }

  /**
   * Gives the superuser its password, then asks every connection for a password: a home initdb'd
   * with trust (new, or created by an older rollgate) is upgraded in place.
   */
  static void secure(Connection superuser, Path dataDir, String password)
      throws SQLException, IOException {
    try (Statement s = superuser.createStatement()) {
      s.execute("set password_encryption = 'scram-sha-256'");
      s.execute("alter role postgres password '" + password + "'");
      writeHba(dataDir);
      s.execute("select pg_reload_conf()");
    }
    Files.writeString(dataDir.resolve(SECURED_MARKER), "pg_hba.conf asks for passwords\n");
  }

  /** Creates the login role, or resets its password and attributes to what they must be. */
  static void ensureRole(Connection superuser, String role, String password, boolean createdb)
      throws SQLException {
    String attributes =
        "login nosuperuser nocreaterole noreplication nobypassrls "
            + (createdb ? "createdb" : "nocreatedb")
            + " password '"
            + password
            + "'";
    try (Statement s = superuser.createStatement()) {
      s.execute("set password_encryption = 'scram-sha-256'");
      s.execute(
          "do $$ begin if not exists (select 1 from pg_roles where rolname = '"
              + role
              + "') then create role "
              + role
              + "; end if; end $$");
      s.execute("alter role " + role + " " + attributes);
    }
  }

  /**
   * Creates the database owned by {@code owner}, or hands an existing one to {@code owner}; closes
   * it to PUBLIC either way. Returns true when it existed under another owner, whose objects then
   * need {@link #reown}.
   */
  static boolean ensureDatabase(Connection superuser, String database, String owner)
      throws SQLException {
    String current = null;
    try (PreparedStatement ps =
        superuser.prepareStatement(
            "select pg_get_userbyid(datdba) from pg_database where datname = ?")) {
      ps.setString(1, database);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          current = rs.getString(1);
        }
      }
    }
    try (Statement s = superuser.createStatement()) {
      if (current == null) {
        try {
          s.execute("create database " + database + " owner " + owner);
        } catch (SQLException e) {
          // 42P04: created by a concurrent caller between the check and the create.
          if (!"42P04".equals(e.getSQLState())) {
            throw e;
          }
        }
      } else if (!current.equals(owner)) {
        s.execute("alter database " + database + " owner to " + owner);
      }
      s.execute("revoke all on database " + database + " from public");
    }
    return current != null && !current.equals(owner);
  }

  /**
   * Hands every object of the connected database outside the system schemas to {@code owner}: what
   * an older rollgate created as the superuser becomes its role's.
   */
  static void reown(Connection superuserInDatabase, String owner) throws SQLException {
    try (Statement s = superuserInDatabase.createStatement()) {
      s.execute(REOWN.replace("OWNER_ROLE", owner));
    }
  }

  private static final String REOWN =
      """
      do $$
      declare
        r record;
        target text := 'OWNER_ROLE';
      begin
        for r in select n.nspname from pg_namespace n
            where n.nspname not in ('pg_catalog', 'information_schema', 'public')
              and n.nspname not like 'pg\\_%' and pg_get_userbyid(n.nspowner) <> target loop
          execute format('alter schema %I owner to %I', r.nspname, target);
        end loop;
        for r in select c.oid::regclass as obj, c.relkind from pg_class c
            join pg_namespace n on n.oid = c.relnamespace
            where n.nspname not in ('pg_catalog', 'information_schema')
              and n.nspname not like 'pg\\_%'
              and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
              and pg_get_userbyid(c.relowner) <> target
              and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass
                and d.objid = c.oid and d.refclassid = 'pg_class'::regclass
                and d.deptype in ('a', 'i') and c.relkind = 'S') loop
          execute format('alter %s %s owner to %I',
            case r.relkind when 'v' then 'view' when 'm' then 'materialized view'
              when 'f' then 'foreign table' when 'S' then 'sequence' else 'table' end,
            r.obj, target);
        end loop;
        for r in select p.oid::regprocedure as fn from pg_proc p
            join pg_namespace n on n.oid = p.pronamespace
            where n.nspname not in ('pg_catalog', 'information_schema')
              and n.nspname not like 'pg\\_%' and pg_get_userbyid(p.proowner) <> target
              and not exists (select 1 from pg_depend e where e.objid = p.oid
                and e.deptype = 'e') loop
          execute format('alter routine %s owner to %I', r.fn, target);
        end loop;
        for r in select t.oid::regtype as ty, t.typtype from pg_type t
            join pg_namespace n on n.oid = t.typnamespace
            where n.nspname not in ('pg_catalog', 'information_schema')
              and n.nspname not like 'pg\\_%' and pg_get_userbyid(t.typowner) <> target
              and not exists (select 1 from pg_depend e where e.objid = t.oid
                and e.deptype = 'e')
              and (t.typtype in ('e', 'd', 'r')
                or (t.typtype = 'c'
                  and (select relkind from pg_class where oid = t.typrelid) = 'c')) loop
          execute format('alter %s %s owner to %I',
            case r.typtype when 'd' then 'domain' else 'type' end, r.ty, target);
        end loop;
      end;
      $$
      """;
}
