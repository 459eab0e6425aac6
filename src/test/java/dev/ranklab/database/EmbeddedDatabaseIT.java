package dev.ranklab.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ranklab.support.AppProcess;

/**
 * The packaged app on its embedded PostgreSQL: the generated admin password, a second app on the same data refused
 * while the first serves on, data that survives restarts, recovery after {@code kill -9} left the old postmaster
 * running, a clean stop, and an external database instead.
 */
class EmbeddedDatabaseIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern GENERATED = Pattern.compile("with generated password: (\\S+)");

    private static String token(AppProcess app, String password) throws Exception {
        HttpResponse<String> response = app.post("/api/v1/auth/token", null, "application/json",
                "{\"username\":\"admin\",\"password\":\"" + password + "\"}");
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("token").asText();
    }

    private static JsonNode campaign(AppProcess app, String token, long id) throws Exception {
        HttpResponse<String> response = app.get("/api/v1/campaigns/" + id, token);
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    @Test
    void refusesASecondAppSurvivesRestartsAndRecoversAfterKill9() throws Exception {
        Path dataDir = Files.createTempDirectory("ranklab-it");
        Path pgData = dataDir.resolve("postgres");
        Map<String, String> env = Map.of("RANKLAB_DATA_DIR", dataDir.toString());

        AppProcess first = AppProcess.start(env, dataDir.resolve("run1.log"));
        String log = first.logText();
        assertTrue(log.contains("Database: embedded PostgreSQL 17"), log);
        Matcher generated = GENERATED.matcher(log);
        assertTrue(generated.find(), "the generated admin password is printed once:\n" + log);
        String password = generated.group(1);
        String token = token(first, password);
        HttpResponse<String> created = first.post("/api/v1/campaigns", token, "application/json",
                "{\"name\":\"Durable\",\"kind\":\"RANKING\",\"responsesPerItem\":2}");
        assertEquals(201, created.statusCode(), created.body());
        long id = JSON.readTree(created.body()).get("id").asLong();
        HttpResponse<String> imported = first.post("/api/v1/campaigns/" + id + "/items", token,
                "application/x-ndjson", "{\"externalId\":\"1\",\"prompt\":\"a\",\"responses\":[\"x\",\"y\"]}\n"
                        + "{\"externalId\":\"2\",\"prompt\":\"b\",\"responses\":[\"x\",\"y\"]}\n");
        assertEquals(200, imported.statusCode(), imported.body());
        try {
            AppProcess.start(env, dataDir.resolve("intruder.log"));
            throw new AssertionError("a second app started on a data directory in use");
        } catch (IllegalStateException expected) {
            assertTrue(expected.getMessage().contains("Another Ranklab is running"), expected.getMessage());
        }
        assertEquals(2, campaign(first, token, id).get("items").asInt(), "the refused second app left the first alone");

        first.kill();
        assertTrue(OrphanedPostmaster.find(pgData).isPresent(),
                "after kill -9 the embedded postmaster is still running: the case the app must recover from");

        AppProcess second = AppProcess.start(env, dataDir.resolve("run2.log"));
        String secondLog = second.logText();
        assertTrue(secondLog.contains("is still running on"), secondLog);
        assertFalse(GENERATED.matcher(secondLog).find(), "the password is printed only when the admin is created");
        String token2 = token(second, password);
        assertEquals(2, campaign(second, token2, id).get("items").asInt());
        assertEquals("Durable", campaign(second, token2, id).get("name").asText());

        second.stop();
        assertFalse(OrphanedPostmaster.find(pgData).isPresent(), "a clean stop also stops PostgreSQL");

        AppProcess third = AppProcess.start(env, dataDir.resolve("run3.log"));
        assertEquals(2, campaign(third, token(third, password), id).get("items").asInt());
        third.stop();
    }

    @Test
    void usesAnExternalDatabaseWhenOneIsConfigured() throws Exception {
        Path dataDir = Files.createTempDirectory("ranklab-it-external");
        try (EmbeddedDatabase external = EmbeddedDatabase.start(dataDir.resolve("external-pg"), false)) {
            Map<String, String> env = Map.of(
                    "RANKLAB_DATA_DIR", dataDir.resolve("app").toString(),
                    "RANKLAB_ADMIN_PASSWORD", "it-admin-password",
                    "QUARKUS_DATASOURCE_JDBC_URL", external.jdbcUrl(),
                    "QUARKUS_DATASOURCE_USERNAME", EmbeddedDatabase.USER);
            AppProcess app = AppProcess.start(env, dataDir.resolve("external.log"));
            String log = app.logText();
            assertTrue(log.contains("Database: external PostgreSQL at " + external.jdbcUrl()), log);
            assertFalse(log.contains("embedded PostgreSQL"), log);
            assertFalse(Files.exists(dataDir.resolve("app").resolve("postgres")), "nothing embedded was started");
            assertEquals(200, app.get("/api/v1/campaigns", token(app, "it-admin-password")).statusCode());
            app.stop();
        }
    }
}
