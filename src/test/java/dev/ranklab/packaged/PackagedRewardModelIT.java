package dev.ranklab.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ranklab.support.AppProcess;

/**
 * The reward model in the packaged jar, whose single class loader differs from the tests' (DJL's native libraries
 * and its logging must load there too): train on rankings, serve, score; stop with SIGTERM in the middle of another
 * training, which must end the process cleanly (no native crash: the encoder is not closed under the training) and
 * queue that training again; after the restart it trains, and the first version keeps serving meanwhile.
 */
class PackagedRewardModelIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode call(AppProcess app, String method, String path, String token, String body)
            throws Exception {
        HttpResponse<String> response = app.send(method, path, token, "application/json", body);
        assertTrue(response.statusCode() / 100 == 2, method + " " + path + ": " + response.body());
        return response.body().isEmpty() ? null : JSON.readTree(response.body());
    }

    @Test
    void trainsServesAndScoresInThePackagedApp() throws Exception {
        Path dataDir = Files.createTempDirectory("ranklab-rm-it");
        Map<String, String> env = Map.of("RANKLAB_DATA_DIR", dataDir.toString(), "RANKLAB_ADMIN_PASSWORD",
                "it-admin-password", "RANKLAB_BCRYPT_COST", "4", "RANKLAB_REWARD_MODEL_AUTO_TRAIN", "false");
        AppProcess app = AppProcess.start(env, dataDir.resolve("app.log"));
        int version;
        int interrupted = 0;
        try {
            String admin = call(app, "POST", "/api/v1/auth/token", null,
                    "{\"username\":\"admin\",\"password\":\"it-admin-password\"}").get("token").asText();
            long campaign = call(app, "POST", "/api/v1/campaigns", admin,
                    "{\"name\":\"Courtesy\",\"kind\":\"RANKING\",\"responsesPerItem\":2}").get("id").asLong();
            StringBuilder items = new StringBuilder();
            for (int i = 0; i < 30; i++) {
                items.append("{\"externalId\":\"").append(i).append("\",\"prompt\":\"Tell me about topic ").append(i)
                        .append("\",\"responses\":[\"Happy to help! Topic ").append(i)
                        .append(" is a fascinating subject; here is an overview.\",\"No.\"]}\n");
            }
            HttpResponse<String> imported = app.post("/api/v1/campaigns/" + campaign + "/items", admin,
                    "application/x-ndjson", items.toString());
            assertEquals(200, imported.statusCode(), imported.body());
            call(app, "PATCH", "/api/v1/campaigns/" + campaign, admin, "{\"status\":\"ACTIVE\"}");
            call(app, "POST", "/api/v1/users", admin,
                    "{\"username\":\"ann\",\"password\":\"ann-password-1\",\"role\":\"ANNOTATOR\"}");
            String annotator = call(app, "POST", "/api/v1/auth/token", null,
                    "{\"username\":\"ann\",\"password\":\"ann-password-1\"}").get("token").asText();
            for (int i = 0; i < 30; i++) {
                JsonNode task = JSON.readTree(app.get("/api/v1/campaigns/" + campaign + "/tasks/next", annotator)
                        .body());
                call(app, "POST", "/api/v1/tasks/" + task.get("taskId").asLong() + "/submission", annotator,
                        "{\"ranking\":[[\"r1\"],[\"r2\"]],\"ratings\":{\"r1\":6,\"r2\":2}}");
            }
            version = call(app, "POST", "/api/v1/reward-models/train", admin, "{}").get("jobId").asInt();
            JsonNode model = null;
            for (int i = 0; i < 600; i++) {
                model = JSON.readTree(app.get("/api/v1/reward-models/" + version, admin).body());
                if (!model.get("status").asText().matches("QUEUED|RUNNING")) {
                    break;
                }
                Thread.sleep(200);
            }
            assertEquals("READY", model.get("status").asText(), model.toString());
            assertTrue(model.get("promoted").asBoolean(), model.toString());
            JsonNode scores = call(app, "POST", "/api/v1/reward-models/current/score", admin,
                    "{\"prompt\":\"Tell me about whales\",\"responses\":[\"No.\",\"Happy to help! Whales are a "
                            + "fascinating subject; here is an overview.\"]}");
            assertTrue(scores.get("scores").get(1).asDouble() > scores.get("scores").get(0).asDouble(),
                    scores.toString());
            assertTrue(Files.exists(dataDir.resolve("models/reward/v" + version + ".params")));

            interrupted = call(app, "POST", "/api/v1/reward-models/train", admin, "{\"fullRetrain\":true}")
                    .get("jobId").asInt();
            String status;
            do {
                Thread.sleep(20);
                status = JSON.readTree(app.get("/api/v1/reward-models/" + interrupted, admin).body()).get("status")
                        .asText();
            } while (status.equals("QUEUED"));
            assertEquals("RUNNING", status, "the second training is under way when the stop comes");
        } finally {
            int exit = app.stop();
            // 143 is the JVM's answer to SIGTERM after its shutdown hooks ran; a native crash aborts (134).
            assertTrue(exit == 0 || exit == 143, "exit code " + exit + ":\n" + app.logText());
            assertFalse(Files.exists(Path.of("hs_err_pid" + app.process.pid() + ".log")),
                    "the JVM wrote a crash report");
        }
        assertTrue(app.logText().contains("v" + interrupted + ": interrupted at"), app.logText());
        AppProcess again = AppProcess.start(env, dataDir.resolve("app2.log"));
        try {
            String admin = call(again, "POST", "/api/v1/auth/token", null,
                    "{\"username\":\"admin\",\"password\":\"it-admin-password\"}").get("token").asText();
            JsonNode scores = call(again, "POST", "/api/v1/reward-models/current/score", admin,
                    "{\"prompt\":\"Hi\",\"responses\":[\"Hello! How can I help?\"]}");
            assertEquals(version, scores.get("version").asInt());
            JsonNode retried = null;
            for (int i = 0; i < 600; i++) {
                retried = JSON.readTree(again.get("/api/v1/reward-models/" + interrupted, admin).body());
                if (!retried.get("status").asText().matches("QUEUED|RUNNING")) {
                    break;
                }
                Thread.sleep(200);
            }
            assertEquals("READY", retried.get("status").asText(), "the interrupted training ran again: " + retried);
        } finally {
            again.stop();
        }
    }
}
