package dev.ranklab.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ranklab.support.AppProcess;
import dev.ranklab.support.ItFixture;

/**
 * {@code kill -9} of the packaged app while 64 annotators submit and an export job runs, then a restart: every
 * acknowledged (2xx) submission is stored exactly once, nothing is stored that was not sent, a submission whose
 * answer was lost in the crash is settled by retrying it with its Idempotency-Key, leases come back, the queue's
 * counters agree with the stored work, and the export job never serves a partial file.
 */
class CrashUnderLoadIT {

    private static final ObjectMapper JSON = ItFixture.JSON;
    private static final int ANNOTATORS = 64;
    private static final int ITEMS = 3_000;

    /** A submission as sent: its task, key and body, and the ranking id if the server acknowledged it. */
    record Sent(String annotator, long taskId, String key, String body, Long rankingId) {
    }

    @Test
    void killNineUnderLoadLosesNothingAcknowledgedAndStoresNothingTwice() throws Exception {
        Path dataDir = Files.createTempDirectory("ranklab-crash-it");
        Map<String, String> env = Map.of("RANKLAB_DATA_DIR", dataDir.toString(), "RANKLAB_ADMIN_PASSWORD",
                ItFixture.ADMIN_PASSWORD, "RANKLAB_BCRYPT_COST", "4", "RANKLAB_REWARD_MODEL_AUTO_TRAIN", "false");
        AppProcess app = AppProcess.start(env, dataDir.resolve("app.log"));
        String admin = ItFixture.adminToken(app);
        long campaign = ItFixture.rankingCampaign(app, admin, "Crash", ITEMS, 1);
        List<String> tokenList = ItFixture.annotators(List.of(app), admin, "ann", ANNOTATORS);
        List<String> names = new ArrayList<>();
        Map<String, String> tokens = new HashMap<>();
        for (int a = 0; a < ANNOTATORS; a++) {
            names.add("ann" + a);
            tokens.put("ann" + a, tokenList.get(a));
        }

        // Load: every annotator leases and submits as fast as the app answers, until it dies.
        Queue<Sent> sent = new ConcurrentLinkedQueue<>();
        AtomicInteger acknowledgedSoFar = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(ANNOTATORS);
        List<Future<?>> workers = new ArrayList<>();
        for (String name : names) {
            AppProcess target = app;
            workers.add(pool.submit(() -> {
                while (running.get()) {
                    long taskId;
                    try {
                        HttpResponse<String> next = target.get("/api/v1/campaigns/" + campaign + "/tasks/next",
                                tokens.get(name));
                        if (next.statusCode() != 200) {
                            return null;
                        }
                        taskId = JSON.readTree(next.body()).get("taskId").asLong();
                    } catch (Exception e) {
                        return null;
                    }
                    String key = UUID.randomUUID().toString();
                    String body = "{\"ranking\":[[\"r1\"],[\"r2\"]],\"ratings\":{\"r1\":6,\"r2\":2}}";
                    Long rankingId = null;
                    try {
                        HttpResponse<String> answer = target.sendWithKey("/api/v1/tasks/" + taskId + "/submission",
                                tokens.get(name), body, key);
                        if (answer.statusCode() == 201) {
                            rankingId = JSON.readTree(answer.body()).get("id").asLong();
                        }
                    } catch (Exception e) {
                        // The answer was lost: the outcome is unknown until the retry below.
                    }
                    sent.add(new Sent(name, taskId, key, body, rankingId));
                    if (rankingId != null) {
                        acknowledgedSoFar.incrementAndGet();
                    }
                    if (rankingId == null) {
                        return null;
                    }
                }
                return null;
            }));
        }
        // Crash mid-load, with a background export running.
        while (acknowledgedSoFar.get() < 400) {
            Thread.sleep(50);
        }
        JsonNode job = ItFixture.call(app, "POST", "/api/v1/campaigns/" + campaign + "/exports", admin,
                "{\"format\":\"pairs\"}");
        app.kill();
        running.set(false);
        for (Future<?> worker : workers) {
            worker.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        List<Sent> acknowledged = sent.stream().filter(s -> s.rankingId() != null).toList();
        List<Sent> unknown = sent.stream().filter(s -> s.rankingId() == null).toList();

        AppProcess restarted = AppProcess.start(env, dataDir.resolve("app-restarted.log"));
        try {
            // Tokens survive the restart: they are stored, not held in memory.
            Map<Long, JsonNode> stored = exported(restarted, admin, campaign);
            for (Sent s : acknowledged) {
                JsonNode line = stored.get(s.taskId());
                assertTrue(line != null, "acknowledged submission of task " + s.taskId() + " is missing");
                assertEquals(s.rankingId().longValue(), line.get("rankingId").asLong());
            }
            Set<Long> attempted = new HashSet<>();
            sent.forEach(s -> attempted.add(s.taskId()));
            for (Long task : stored.keySet()) {
                assertTrue(attempted.contains(task), "task " + task + " has a ranking nobody submitted");
            }
            // The submissions in flight at the crash: a retry with the same key settles each exactly once.
            for (Sent s : unknown) {
                HttpResponse<String> retry = restarted.sendWithKey("/api/v1/tasks/" + s.taskId() + "/submission",
                        tokens.get(s.annotator()), s.body(), s.key());
                assertEquals(201, retry.statusCode(), retry.body());
                long id = JSON.readTree(retry.body()).get("id").asLong();
                JsonNode before = stored.get(s.taskId());
                if (before != null) {
                    assertEquals(before.get("rankingId").asLong(), id, "a committed one keeps its id");
                }
            }
            Map<Long, JsonNode> settled = exported(restarted, admin, campaign);
            assertEquals(sent.size(), settled.size(), "every submission sent is stored once");
            // The queue's counters agree with the stored work, and leases recover: everyone can work on.
            JsonNode progress = ItFixture
                    .call(restarted, "GET", "/api/v1/campaigns/" + campaign + "/dashboard", admin, null)
                    .get("progress");
            assertEquals(settled.size(), progress.get("annotationsDone").asLong());
            for (String name : names.subList(0, 8)) {
                HttpResponse<String> next = restarted.get("/api/v1/campaigns/" + campaign + "/tasks/next",
                        tokens.get(name));
                assertEquals(200, next.statusCode(), next.body());
            }
            // The export job either finished before the crash (then its file is whole) or failed (no file).
            JsonNode after = ItFixture.call(restarted, "GET", "/api/v1/exports/" + job.get("jobId").asLong(), admin,
                    null);
            HttpResponse<String> file = restarted.get("/api/v1/exports/" + job.get("jobId").asLong() + "/file", admin);
            if ("COMPLETED".equals(after.get("status").asText())) {
                assertEquals(200, file.statusCode());
                String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(file.body().getBytes(StandardCharsets.UTF_8)));
                assertEquals(after.get("sha256").asText(), sha);
            } else {
                assertEquals("FAILED", after.get("status").asText(), after.toString());
                assertEquals(409, file.statusCode());
            }
            System.out.printf("crash IT: %d acknowledged, %d in flight at the kill, export job %s%n",
                    acknowledged.size(), unknown.size(), after.get("status").asText());
        } finally {
            restarted.stop();
        }
    }

    /** Task id → rankings export line, for every stored ranking of the campaign. */
    private static Map<Long, JsonNode> exported(AppProcess app, String token, long campaign) throws Exception {
        HttpResponse<String> export = app.get("/api/v1/campaigns/" + campaign + "/export?format=rankings", token);
        assertEquals(200, export.statusCode());
        Map<Long, JsonNode> byTask = new HashMap<>();
        for (String line : export.body().split("\n")) {
            if (!line.isBlank()) {
                JsonNode node = JSON.readTree(line);
                JsonNode previous = byTask.put(node.get("taskId").asLong(), node);
                assertTrue(previous == null, "task " + node.get("taskId") + " stored twice");
            }
        }
        return byTask;
    }
}
