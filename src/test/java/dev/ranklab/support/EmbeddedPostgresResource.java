package dev.ranklab.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.ranklab.database.EmbeddedDatabase;

/**
 * A throwaway PostgreSQL cluster and data directory for the test run, the cluster started by the same code as the
 * app's embedded default.
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedDatabase database;

    @Override
    public Map<String, String> start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("ranklab-test-pg");
            database = EmbeddedDatabase.start(dir.resolve("postgres"), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The data directory (model files, export files) belongs with this database: a test JVM of its own, beside
        // another one or a run in a sibling checkout, never reads another's files.
        return Map.of(
                "quarkus.datasource.jdbc.url", database.jdbcUrl(),
                "quarkus.datasource.username", EmbeddedDatabase.USER,
                "ranklab.data-dir", dir.resolve("data").toString());
    }

    @Override
    public void stop() {
        if (database != null) {
            try {
                database.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
