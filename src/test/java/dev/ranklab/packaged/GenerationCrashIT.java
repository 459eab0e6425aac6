package dev.ranklab.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ranklab.support.AppProcess;
import dev.ranklab.support.FakeChatServer;
import dev.ranklab.support.ItFixture;

/**
 * {@code kill -9} of the packaged app in the middle of a generation job, then a restart on the same data: the job
 * carries on by itself and every item ends with exactly K responses; the server was asked for each (item, slot)
 * once, except at most the requests in flight at the kill; and the endpoint's API key is in no log line.
 */
class GenerationCrashIT {

    private static final int ITEMS = 60;
    private static final int K = 2;
    private static final int MAX_CONCURRENCY = 4;

    @Test
    void killNineMidJobAndRestartFinishesTheJobWithExactlyKPerItem() throws Exception {
        Path dataDir = Files.createTempDirectory("ranklab-generation-it");
        Map<String, String> env = Map.of("RANKLAB_DATA_DIR", dataDir.toString(), "RANKLAB_ADMIN_PASSWORD",
                ItFixture.ADMIN_PASSWORD, "RANKLAB_BCRYPT_COST", "4", "RANKLAB_REWARD_MODEL_AUTO_TRAIN", "false",
                "RANKLAB_GENERATION_RETRY_BASE", "PT0.1S");
        Path log = dataDir.resolve("app.log");
        String key = "sk-it-" + UUID.randomUUID();
        try (FakeChatServer server = new FakeChatServer()) {
            server.always(r -> new FakeChatServer.Answer(100));
            AppProcess app = AppProcess.start(env, log);
            String admin = ItFixture.adminToken(app);
            long endpoint = ItFixture.call(app, "POST", "/api/v1/model-endpoints", admin, "{\"name\":\"it\","
                    + "\"baseUrl\":\"" + server.baseUrl() + "\",\"model\":\"it-model\",\"apiKey\":\"" + key + "\","
                    + "\"maxConcurrency\":" + MAX_CONCURRENCY + ",\"timeoutSeconds\":2}").get("id").asLong();
            long campaign = ItFixture.call(app, "POST", "/api/v1/campaigns", admin, "{\"name\":\"Generate\","
                    + "\"kind\":\"RANKING\",\"responsesPerItem\":" + K + ",\"overlap\":1}").get("id").asLong();
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < ITEMS; i++) {
                lines.append("{\"externalId\":\"g").append(i).append("\",\"prompt\":\"Prompt ").append(i)
                        .append("\"}\n");
            }
            assertEquals(200, app.post("/api/v1/campaigns/" + campaign + "/items", admin, "application/x-ndjson",
                    lines.toString()).statusCode());
            long job = ItFixture.call(app, "POST", "/api/v1/campaigns/" + campaign + "/generations", admin,
                    "{\"sources\":[{\"endpointId\":" + endpoint + ",\"samples\":" + K + "}]}").get("jobId").asLong();
            for (int i = 0; i < 3000 && server.requests() < ITEMS * K / 3; i++) {
                Thread.sleep(20);
            }
            app.kill();
            int beforeRestart = server.requests();
            assertTrue(beforeRestart < ITEMS * K, "the job finished before the kill: " + beforeRestart);

            app = AppProcess.start(env, log);
            admin = ItFixture.adminToken(app);
            JsonNode view = null;
            for (int i = 0; i < 1800; i++) {
                view = ItFixture.call(app, "GET", "/api/v1/generations/" + job, admin, null);
                if (!view.get("status").asText().equals("RUNNING")) {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals("COMPLETED", view.get("status").asText(), view.toString());
            assertEquals(ITEMS, view.get("itemsDone").asInt());
            assertEquals(0, view.get("itemsFailed").asInt());
            JsonNode items = ItFixture.call(app, "GET", "/api/v1/campaigns/" + campaign + "/items?limit=500", admin,
                    null);
            assertEquals(ITEMS, items.size());
            Set<String> texts = new HashSet<>();
            for (JsonNode item : items) {
                assertEquals(K, item.get("responses").size(), item.toString());
                for (int s = 0; s < K; s++) {
                    assertEquals("r" + (s + 1), item.get("responses").get(s).get("id").asText());
                    assertEquals("it-model", item.get("responses").get(s).get("model").asText());
                    texts.add(item.get("responses").get(s).get("text").asText());
                }
            }
            // Every stored response is a different answer of the server: no answer stored twice.
            assertEquals(ITEMS * K, texts.size());
            assertTrue(server.requests() <= ITEMS * K + MAX_CONCURRENCY,
                    "requests: " + server.requests() + " for " + ITEMS * K + " slots");
            assertTrue(server.maxInFlight() <= MAX_CONCURRENCY, "in flight: " + server.maxInFlight());
            app.stop();
            String logText = Files.readString(log);
            assertTrue(logText.contains("Model endpoint"), "the log is there");
            assertFalse(logText.contains(key), "the API key is in the log");
        }
    }
}
