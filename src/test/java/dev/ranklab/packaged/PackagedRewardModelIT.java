package dev.ranklab.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ranklab.support.AppProcess;
import dev.ranklab.support.ItFixture;

/**
 * The reward model in the packaged jar, whose single class loader differs from the tests' (DJL's native libraries
 * and its logging must load there too): train on rankings, serve, score. Then, in the app's small heap, a training
 * of a million-pair campaign runs while 16 annotators submit and the million pairs stream as an export: no request
 * fails, no line is lost, no OutOfMemoryError. SIGTERM in the middle of that training must end the process cleanly
 * (no native crash: the encoder is not closed under the training) and queue the training again; after the restart
 * it runs again, and the first version keeps serving meanwhile.
 */
class PackagedRewardModelIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode call(AppProcess app, String method, String path, String token, String body)
            throws Exception {
        HttpResponse<String> response = app.send(method, path, token, "application/json", body);
        assertTrue(response.statusCode() / 100 == 2, method + " " + path + ": " + response.body());
        return response.body().isEmpty() ? null : JSON.readTree(response.body());
    }

    private static final int ANNOTATORS = 16;
    /** Responses per item of the large campaign: a full ranking of eight gives 28 pairs. */
    private static final int LARGE_K = 8;
    /** Rankings of eight responses, 28 pairs each: a million pairs (from fewer rows to write than with four). */
    private static final int LARGE_RANKINGS = 35_715;
    private static final long LARGE_PAIRS = LARGE_RANKINGS * (long) (LARGE_K * (LARGE_K - 1) / 2);

    /** Waits until the version reaches the status (and fails if it ends in another). */
    private static void awaitStatus(AppProcess app, String admin, int version, String wanted) throws Exception {
        String status = null;
        for (int i = 0; i < 1200; i++) {
            status = JSON.readTree(app.get("/api/v1/reward-models/" + version, admin).body()).get("status")
                    .asText();
            if (status.equals(wanted) || !status.matches("QUEUED|RUNNING")) {
                break;
            }
            Thread.sleep(50);
        }
        assertEquals(wanted, status, "version " + version);
    }

    /** A campaign of LARGE_RANKINGS ranked items written in SQL, as a long-running campaign would have. */
    private static long largeCampaign(AppProcess app, String admin, String annotatorToken) throws Exception {
        long campaign = call(app, "POST", "/api/v1/campaigns", admin,
                "{\"name\":\"Large\",\"kind\":\"RANKING\",\"responsesPerItem\":" + LARGE_K + "}").get("id").asLong();
        long annotator = JSON.readTree(app.get("/api/v1/users/me", annotatorToken).body()).get("id").asLong();
        String text = "'This response explains the answer at some length, with an example and a caveat, as model "
                + "outputs usually do. '";
        try (Connection c = DriverManager.getConnection(app.embeddedJdbcUrl()); Statement s = c.createStatement()) {
            // Seeding only: without the per-row triggers (each ranking refreshes its item's agreement, which one
            // annotator per item leaves empty anyway) the million pairs are written in seconds, not minutes.
            s.execute("SET session_replication_role = replica");
            s.execute("INSERT INTO items (campaign_id, external_id, prompt, responses, finished, complete) SELECT "
                    + campaign + ", 'g' || n, jsonb_build_array(jsonb_build_object('role', 'user', 'content', "
                    + "'Question number ' || n || ': how would you explain this to a new colleague?')), "
                    + "(SELECT jsonb_agg(jsonb_build_object('id', 'r' || k, 'text', repeat(" + text + ", 2) || k)) "
                    + "FROM generate_series(1, " + LARGE_K + ") k), 1, true FROM generate_series(1, " + LARGE_RANKINGS
                    + ") n");
            s.execute("INSERT INTO tasks (item_id, campaign_id, annotator_id, status, display_order, leased_at, "
                    + "lease_expires_at, finished_at, lease_seconds) SELECT id, campaign_id, " + annotator
                    + ", 'SUBMITTED', (SELECT jsonb_agg('r' || k ORDER BY k) FROM generate_series(1, " + LARGE_K
                    + ") k), now(), "
                    + "now(), now(), 60 FROM items WHERE campaign_id = " + campaign);
            s.execute("INSERT INTO rankings (task_id, item_id, campaign_id, annotator_id, tiers, ratings) SELECT id, "
                    + "item_id, campaign_id, annotator_id, (SELECT jsonb_agg(jsonb_build_array('r' || k) ORDER BY k) FROM "
                    + "generate_series(1, " + LARGE_K + ") k), (SELECT jsonb_object_agg('r' || k, 8 - k) FROM "
                    + "generate_series(1, 7) k) FROM tasks WHERE campaign_id = " + campaign);
            s.execute("ANALYZE");
        }
        return campaign;
    }

    /** Leases and submits until the annotator's queue is empty; every answer must be the expected success. */
    private static int submitUntilDone(AppProcess app, long campaign, String token) throws Exception {
        int submitted = 0;
        while (true) {
            HttpResponse<String> next = app.get("/api/v1/campaigns/" + campaign + "/tasks/next", token);
            if (next.statusCode() == 204) {
                return submitted;
            }
            assertEquals(200, next.statusCode(), next.body());
            long taskId = JSON.readTree(next.body()).get("taskId").asLong();
            HttpResponse<String> answer = app.send("POST", "/api/v1/tasks/" + taskId + "/submission", token,
                    "application/json", "{\"ranking\":[[\"r1\"],[\"r2\"]],\"ratings\":{\"r1\":6,\"r2\":2}}");
            assertEquals(201, answer.statusCode(), answer.body());
            submitted++;
        }
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

            // Under load, in the app's 512 MB heap: a training of a campaign with a million pairs, 16 annotators
            // submitting on another campaign, and that campaign's million pairs streamed as JSONL, all at once.
            long large = largeCampaign(app, admin, annotator);
            interrupted = call(app, "POST", "/api/v1/reward-models/train", admin,
                    "{\"fullRetrain\":true,\"replaceWiderScope\":true,\"campaignId\":" + large + "}").get("jobId")
                    .asInt();
            awaitStatus(app, admin, interrupted, "RUNNING");
            long live = ItFixture.rankingCampaign(app, admin, "Live", ANNOTATORS * 12, 1);
            List<String> tokens = ItFixture.annotators(List.of(app), admin, "live", ANNOTATORS);
            ExecutorService pool = Executors.newFixedThreadPool(ANNOTATORS + 1);
            Future<Long> exported = pool.submit(() -> app.countLines("/api/v1/campaigns/" + large
                    + "/export?format=pairs", admin));
            List<Future<Integer>> annotators = new ArrayList<>();
            for (String token : tokens) {
                annotators.add(pool.submit(() -> submitUntilDone(app, live, token)));
            }
            int submitted = 0;
            for (Future<Integer> worker : annotators) {
                submitted += worker.get(5, TimeUnit.MINUTES);
            }
            assertEquals(ANNOTATORS * 12, submitted, "every task of the live campaign was submitted");
            assertEquals(LARGE_PAIRS, exported.get(10, TimeUnit.MINUTES), "the whole export, no line lost");
            pool.shutdown();
            assertEquals("RUNNING", JSON.readTree(app.get("/api/v1/reward-models/" + interrupted, admin).body())
                    .get("status").asText(), "the training is still under way when the stop comes");
            assertFalse(app.logText().contains("OutOfMemoryError"), "no OutOfMemoryError");
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
            // The interrupted training was queued again and is picked up after the restart.
            awaitStatus(again, admin, interrupted, "RUNNING");
        } finally {
            again.stop();
        }
    }
}
