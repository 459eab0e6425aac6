package dev.ranklab.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ranklab.database.EmbeddedDatabase;
import dev.ranklab.support.AppProcess;
import dev.ranklab.support.ItFixture;

/**
 * Two packaged app instances on one PostgreSQL, as replicas behind a load balancer: annotators whose requests
 * alternate between the instances still get each item at most once and exactly `overlap` times in all, the counters
 * agree with the stored work, and two trainings asked for on both instances at once run one after the other.
 */
class TwoInstancesIT {

    private static final ObjectMapper JSON = ItFixture.JSON;
    private static final int ANNOTATORS = 24;
    private static final int ITEMS = 150;
    private static final int OVERLAP = 3;

    @Test
    void theQueueStaysExactOnlyOneTrainsAtATimeAndADeadInstancesExportsAreFailed() throws Exception {
        Path dir = Files.createTempDirectory("ranklab-two-it");
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dir.resolve("pg"), false)) {
            // One shared data directory, as a shared volume would be: reward-model files written by either
            // instance are read by both.
            Map<String, String> env = Map.of("RANKLAB_DATA_DIR", dir.resolve("data").toString(),
                    "RANKLAB_ADMIN_PASSWORD", ItFixture.ADMIN_PASSWORD, "RANKLAB_BCRYPT_COST", "4",
                    "RANKLAB_REWARD_MODEL_AUTO_TRAIN", "false", "QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl(),
                    "QUARKUS_DATASOURCE_USERNAME", EmbeddedDatabase.USER,
                    // The other instance notices a dead one's jobs at its next look: sooner than every 30 s here.
                    "RANKLAB_EXPORT_SWEEP_EVERY", "2s");
            AppProcess first = AppProcess.start(env, dir.resolve("first.log"));
            AppProcess second = AppProcess.start(env, dir.resolve("second.log"));
            try {
                run(List.of(first, second));
                anExportJobOfAKilledInstanceIsFailedByTheOther(first, second, database);
            } finally {
                first.stop();
                second.stop();
            }
        }
    }

    private void run(List<AppProcess> apps) throws Exception {
        AppProcess first = apps.get(0);
        String admin = ItFixture.adminToken(first);
        long campaign = ItFixture.rankingCampaign(first, admin, "Replicas", ITEMS, OVERLAP);
        List<String> tokens = ItFixture.annotators(apps, admin, "rep", ANNOTATORS);

        // Every annotator works until the queue is empty for them, each request on the other instance.
        ExecutorService pool = Executors.newFixedThreadPool(ANNOTATORS);
        List<Future<Integer>> done = new ArrayList<>();
        for (String token : tokens) {
            done.add(pool.submit(() -> {
                int submitted = 0;
                for (int turn = 0;; turn++) {
                    AppProcess app = apps.get(turn % 2);
                    HttpResponse<String> next = app.get("/api/v1/campaigns/" + campaign + "/tasks/next", token);
                    if (next.statusCode() == 204) {
                        return submitted;
                    }
                    assertEquals(200, next.statusCode(), next.body());
                    long taskId = JSON.readTree(next.body()).get("taskId").asLong();
                    HttpResponse<String> answer = apps.get((turn + 1) % 2).send("POST", "/api/v1/tasks/" + taskId
                            + "/submission", token, "application/json",
                            "{\"ranking\":[[\"r1\"],[\"r2\"]],\"ratings\":{\"r1\":6,\"r2\":2}}");
                    assertEquals(201, answer.statusCode(), answer.body());
                    submitted++;
                }
            }));
        }
        int total = 0;
        for (Future<Integer> worker : done) {
            total += worker.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
        assertEquals(ITEMS * OVERLAP, total, "every slot was filled once");

        String export = first.get("/api/v1/campaigns/" + campaign + "/export?format=rankings&realNames=true", admin)
                .body();
        Map<Long, Set<String>> annotatorsPerItem = new HashMap<>();
        for (String line : export.split("\n")) {
            JsonNode node = JSON.readTree(line);
            assertTrue(annotatorsPerItem.computeIfAbsent(node.get("itemId").asLong(), id -> new HashSet<>())
                    .add(node.get("annotator").asText()), "an annotator got item " + node.get("itemId") + " twice");
        }
        assertEquals(ITEMS, annotatorsPerItem.size());
        annotatorsPerItem.forEach((item, who) -> assertEquals(OVERLAP, who.size(), "item " + item));
        JsonNode progress = ItFixture
                .call(apps.get(1), "GET", "/api/v1/campaigns/" + campaign + "/dashboard", admin, null)
                .get("progress");
        assertEquals(ITEMS, progress.get("complete").asInt());
        assertEquals(ITEMS * OVERLAP, progress.get("annotationsDone").asInt());

        // Two trainings asked for at once, one on each instance: they run one after the other.
        // (Different scopes, one campaign and all campaigns: the same request twice would be coalesced into one.)
        // A fixed L2 and few epochs: what is checked is that they take turns, not what they learn.
        List<Integer> versions = new ArrayList<>();
        List<String> bodies = List.of(
                "{\"fullRetrain\":true,\"maxEpochs\":10,\"l2\":50,\"campaignId\":" + campaign + "}",
                "{\"fullRetrain\":true,\"maxEpochs\":10,\"l2\":50}");
        for (int i = 0; i < apps.size(); i++) {
            versions.add(ItFixture.call(apps.get(i), "POST", "/api/v1/reward-models/train", admin, bodies.get(i))
                    .get("jobId").asInt());
        }
        assertEquals(2, Set.copyOf(versions).size(), "two trainings: " + versions);
        List<JsonNode> finished = new ArrayList<>();
        for (int version : versions) {
            JsonNode state;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            do {
                Thread.sleep(500);
                state = ItFixture.call(first, "GET", "/api/v1/reward-models/" + version, admin, null);
            } while (Set.of("QUEUED", "RUNNING").contains(state.get("status").asText())
                    && System.nanoTime() < deadline);
            assertEquals("READY", state.get("status").asText(), state.toString());
            finished.add(state);
        }
        OffsetDateTime firstEnd = OffsetDateTime.parse(finished.get(0).get("trainedAt").asText());
        OffsetDateTime secondStart = OffsetDateTime.parse(finished.get(1).get("startedAt").asText());
        OffsetDateTime secondEnd = OffsetDateTime.parse(finished.get(1).get("trainedAt").asText());
        OffsetDateTime firstStart = OffsetDateTime.parse(finished.get(0).get("startedAt").asText());
        assertTrue(!secondStart.isBefore(firstEnd) || !firstStart.isBefore(secondEnd),
                "the trainings overlapped: " + finished);
        // Either instance serves the promoted version, whichever trained it.
        for (AppProcess app : apps) {
            JsonNode scores = ItFixture.call(app, "POST", "/api/v1/reward-models/current/score", admin,
                    "{\"prompt\":\"Explain topic 7\",\"responses\":[\"Here is a careful explanation.\",\"No idea.\"]}");
            assertEquals(2, scores.get("scores").size());
        }
    }

    /**
     * Each instance holds a liveness lock; export jobs record their instance's key. When one instance is killed, the
     * other fails the jobs that were its, without any restart, and leaves its own alone.
     */
    private void anExportJobOfAKilledInstanceIsFailedByTheOther(AppProcess first, AppProcess second,
            EmbeddedDatabase database) throws Exception {
        String admin = ItFixture.adminToken(first);
        long campaign = ItFixture.rankingCampaign(first, admin, "Exports", 3, 1);
        try (Connection sql = DriverManager.getConnection(database.jdbcUrl(), EmbeddedDatabase.USER, "")) {
            // The key each instance records on the jobs it starts.
            int firstKey = runnerOf(sql, ItFixture.call(first, "POST", "/api/v1/campaigns/" + campaign + "/exports",
                    admin, "{\"format\":\"pairs\"}").get("jobId").asLong());
            int secondKey = runnerOf(sql, ItFixture.call(second, "POST", "/api/v1/campaigns/" + campaign
                    + "/exports", admin, "{\"format\":\"pairs\"}").get("jobId").asLong());
            assertTrue(firstKey != secondKey, "the instances share a key: " + firstKey);
            // A job each instance has queued and not begun, as the first will be when it is killed.
            long firstsJob = queuedJob(sql, campaign, firstKey);
            long secondsJob = queuedJob(sql, campaign, secondKey);
            first.kill();
            String status;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            do {
                Thread.sleep(1_000);
                status = ItFixture.call(second, "GET", "/api/v1/exports/" + firstsJob, admin, null).get("status")
                        .asText();
            } while (!status.equals("FAILED") && System.nanoTime() < deadline);
            assertEquals("FAILED", status, "the killed instance's job");
            JsonNode kept = ItFixture.call(second, "GET", "/api/v1/exports/" + secondsJob, admin, null);
            assertEquals("QUEUED", kept.get("status").asText(), "the live instance's job: " + kept);
        }
    }

    private static int runnerOf(Connection sql, long jobId) throws Exception {
        try (PreparedStatement statement = sql.prepareStatement("SELECT runner FROM export_jobs WHERE id = ?")) {
            statement.setLong(1, jobId);
            try (ResultSet row = statement.executeQuery()) {
                assertTrue(row.next());
                return row.getInt(1);
            }
        }
    }

    private static long queuedJob(Connection sql, long campaign, int runner) throws Exception {
        try (PreparedStatement statement = sql.prepareStatement("INSERT INTO export_jobs (campaign_id, user_id, "
                + "format, file, status, runner) SELECT ?, min(id), 'pairs', 'jsonl', 'QUEUED', ? FROM users "
                + "RETURNING id")) {
            statement.setLong(1, campaign);
            statement.setInt(2, runner);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
