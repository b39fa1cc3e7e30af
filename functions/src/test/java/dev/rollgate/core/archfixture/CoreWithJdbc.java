package dev.rollgate.core.archfixture;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** A deliberate violation for ArchitectureTest: a core class that uses JDBC. */
public class CoreWithJdbc {
  public Connection open() throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://localhost/none");
  }
}
