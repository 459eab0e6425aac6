package dev.ranklab;

import java.io.IOException;
import java.nio.file.Path;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Application;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import dev.ranklab.config.InstanceSecret;
import dev.ranklab.database.EmbeddedDatabase;

/**
 * Starts Ranklab: the embedded PostgreSQL first when no external database is configured, then Quarkus.
 */
@QuarkusMain
public class Main {

    private static final Logger LOG = Logger.getLogger(Main.class);

    public static void main(String... args) throws Exception {
        Path dataDir = dataDirectory();
        System.setProperty("ranklab.csrf.signature-key", InstanceSecret.load(dataDir));
        EmbeddedDatabase embedded = null;
        String externalUrl = setting("QUARKUS_DATASOURCE_JDBC_URL", "quarkus.datasource.jdbc.url");
        if (externalUrl == null) {
            Path pgData = dataDir.resolve("postgres");
            try {
                embedded = EmbeddedDatabase.start(pgData, true);
            } catch (IOException e) {
                // Logging is not set up until Quarkus starts, and it never will: say it on stderr.
                System.err.println("Cannot start the embedded PostgreSQL: " + e.getMessage());
                System.exit(1);
                return;
            }
            System.setProperty("quarkus.datasource.jdbc.url", embedded.jdbcUrl());
            System.setProperty("quarkus.datasource.username", EmbeddedDatabase.USER);
            LOG.infof("Database: embedded PostgreSQL 17 on port %d, data in %s", embedded.port(),
                    pgData.toAbsolutePath().normalize());
        } else {
            LOG.infof("Database: external PostgreSQL at %s", withoutCredentials(externalUrl));
        }
        if (embedded != null) {
            EmbeddedDatabase database = embedded;
            // On SIGTERM Quarkus stops in its own shutdown hook and the main thread never comes back from run: the
            // database stops in this hook instead, once the app has stopped (after the last request, and after an
            // interrupted training has queued itself again). The library's own hook is off: it would stop the
            // server at the first instant, in parallel with all of that.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAfterApp(database), "ranklab-database-stop"));
        }
        try {
            Quarkus.run(args);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static void stopAfterApp(EmbeddedDatabase database) {
        Application app = Application.currentApplication();
        if (app != null) {
            app.awaitShutdown();
        }
        try {
            database.close();
        } catch (IOException e) {
            System.err.println("Stopping the embedded PostgreSQL failed: " + e.getMessage());
        }
    }

    static Path dataDirectory() {
        String dir = setting("RANKLAB_DATA_DIR", "ranklab.data-dir");
        return Path.of(dir == null ? "./data" : dir);
    }

    private static String setting(String environmentVariable, String systemProperty) {
        String value = System.getProperty(systemProperty);
        if (value == null || value.isBlank()) {
            value = System.getenv(environmentVariable);
        }
        return value == null || value.isBlank() ? null : value;
    }

    private static String withoutCredentials(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password|user)=[^&]*", "$1=***");
    }
}
