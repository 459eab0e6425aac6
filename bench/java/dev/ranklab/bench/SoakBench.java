package dev.ranklab.bench;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A soak: annotators submitting without pause, researchers streaming exports every 30 s, and a reward-model
 * retraining a third of the way in, for {@code -Dminutes} (15 by default). Reports submissions per second in each
 * 30-second window, heap used after a full GC and RSS at the start (after a one-minute warm-up) and at the end, and
 * checks in PostgreSQL that every acknowledged submission is stored once. Run it through bench/soak/run.
 */
public class SoakBench {

    static final int MINUTES = Integer.getInteger("minutes", 15);
    static final int ANNOTATORS = Integer.getInteger("annotators", 32);
    static final int ITEMS = Integer.getInteger("items", 100_000);
    static final int OVERLAP = 3;

    public static void main(String[] args) throws Exception {
        try (BenchApp app = BenchApp.start("1g", Map.of("RANKLAB_BCRYPT_COST", "4",
                "RANKLAB_REWARD_MODEL_AUTO_TRAIN", "false"), List.of())) {
            String admin = app.adminToken();
            long campaign = campaign(app, admin);
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < ANNOTATORS; i++) {
                String name = "soak-" + i;
                app.call("POST", "/api/v1/users", admin, "{\"username\":\"" + name + "\",\"password\":\"soak-password-"
                        + i + "\",\"role\":\"ANNOTATOR\"}");
                tokens.add(BenchApp.field(app.call("POST", "/api/v1/auth/token", null, "{\"username\":\"" + name
                        + "\",\"password\":\"soak-password-" + i + "\"}"), "token"));
            }
            Map<Long, Long> acknowledged = new ConcurrentHashMap<>();
            AtomicLong submissions = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(ANNOTATORS + 1);
            for (String token : tokens) {
                pool.submit(() -> annotate(app, token, campaign, running, acknowledged, submissions, errors));
            }
            AtomicLong exportedLines = new AtomicLong();
            pool.submit(() -> export(app, admin, campaign, running, exportedLines, errors));

            long start = System.nanoTime();
            long end = start + TimeUnit.MINUTES.toNanos(MINUTES);
            double[] startMemory = null;
            double[] afterTraining = null;
            boolean trained = false;
            String training = "not started";
            List<Double> windows = new ArrayList<>();
            long last = 0;
            System.out.printf("%d annotators, exports every 30 s, a retraining at %d min; %d minutes%n", ANNOTATORS,
                    MINUTES / 3, MINUTES);
            while (System.nanoTime() < end) {
                Thread.sleep(30_000);
                long now = submissions.get();
                double perSecond = (now - last) / 30.0;
                last = now;
                windows.add(perSecond);
                double minutes = (System.nanoTime() - start) / 60e9;
                if (startMemory == null && minutes >= 1) {
                    startMemory = memory(app);
                    System.out.printf("start (after warm-up): heap %.1f MB, RSS %.1f MB%n", startMemory[0],
                            startMemory[1]);
                }
                if (!trained && minutes >= MINUTES / 3.0) {
                    trained = true;
                    training = train(app, admin, campaign);
                }
                String state = trainingState(app, admin, training);
                if (afterTraining == null && state.endsWith("READY")) {
                    // Training loads PyTorch's native libraries once: a step in RSS, not a leak, measured apart.
                    afterTraining = memory(app);
                    System.out.printf("after the training: heap %.1f MB, RSS %.1f MB%n", afterTraining[0],
                            afterTraining[1]);
                }
                System.out.printf("%5.1f min  %7.1f submissions/s  %8d in all  %6d export lines  training %s%n",
                        minutes, perSecond, now, exportedLines.get(), state);
            }
            running.set(false);
            pool.shutdown();
            pool.awaitTermination(2, TimeUnit.MINUTES);
            double[] endMemory = memory(app);
            System.out.printf("end: heap %.1f MB, RSS %.1f MB%n", endMemory[0], endMemory[1]);
            long[] check = check(app.jdbcUrl, campaign, acknowledged);
            double first = windows.size() > 2 ? windows.get(2) : windows.get(0);
            double lastWindow = windows.get(windows.size() - 1);
            double rssAfterTraining = afterTraining == null ? Double.NaN : endMemory[1] - afterTraining[1];
            System.out.printf("RESULT submissions=%d lost=%d overfilled=%d miscounted=%d heap_growth_mb=%.1f "
                    + "rss_growth_mb=%.1f rss_growth_after_training_mb=%.1f throughput_end_vs_start=%.2f errors=%d "
                    + "training=%s%n",
                    acknowledged.size(), check[0], check[1], check[2], endMemory[0] - startMemory[0],
                    endMemory[1] - startMemory[1], rssAfterTraining, lastWindow / first, errors.get(),
                    trainingState(app, admin, training));
            if (check[0] + check[1] + check[2] > 0) {
                throw new IllegalStateException("work was lost, overfilled or miscounted: " + Arrays.toString(check));
            }
        }
    }

    static long campaign(BenchApp app, String admin) throws Exception {
        long id = Long.parseLong(BenchApp.field(app.call("POST", "/api/v1/campaigns", admin,
                "{\"name\":\"soak\",\"kind\":\"RANKING\",\"responsesPerItem\":2,\"overlap\":" + OVERLAP + "}"), "id"));
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < ITEMS; i++) {
            lines.append("{\"externalId\":\"").append(i).append("\",\"prompt\":\"Question ").append(i % 5000)
                    .append("\",\"responses\":[\"A careful answer to question ").append(i % 5000)
                    .append(".\",\"No.\"]}\n");
        }
        app.send(app.request("/api/v1/campaigns/" + id + "/items", admin).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(lines.toString())));
        app.call("PATCH", "/api/v1/campaigns/" + id, admin, "{\"status\":\"ACTIVE\"}");
        return id;
    }

    static Void annotate(BenchApp app, String token, long campaign, AtomicBoolean running, Map<Long, Long> acknowledged,
            AtomicLong submissions, AtomicLong errors) {
        while (running.get()) {
            try {
                HttpResponse<String> next = BenchApp.HTTP.send(app.request("/api/v1/campaigns/" + campaign
                        + "/tasks/next", token).build(), HttpResponse.BodyHandlers.ofString());
                if (next.statusCode() != 200) {
                    errors.incrementAndGet();
                    Thread.sleep(100);
                    continue;
                }
                long task = Long.parseLong(BenchApp.field(next.body(), "taskId"));
                boolean better = task % 3 != 0;
                HttpResponse<String> answer = BenchApp.HTTP.send(app.request("/api/v1/tasks/" + task + "/submission",
                        token).header("Content-Type", "application/json").header("Idempotency-Key",
                                UUID.randomUUID().toString())
                        .POST(HttpRequest.BodyPublishers.ofString("{\"ranking\":[[\"" + (better ? "r1" : "r2")
                                + "\"],[\"" + (better ? "r2" : "r1") + "\"]],\"ratings\":{\"r1\":5,\"r2\":3}}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 201) {
                    acknowledged.put(task, Long.parseLong(BenchApp.field(answer.body(), "id")));
                    submissions.incrementAndGet();
                } else {
                    errors.incrementAndGet();
                }
            } catch (Exception e) {
                errors.incrementAndGet();
            }
        }
        return null;
    }

    static Void export(BenchApp app, String admin, long campaign, AtomicBoolean running, AtomicLong lines,
            AtomicLong errors) throws InterruptedException {
        while (running.get()) {
            try {
                HttpResponse<java.util.stream.Stream<String>> response = BenchApp.HTTP.send(app.request(
                        "/api/v1/campaigns/" + campaign + "/export?format=pairs", admin).build(),
                        HttpResponse.BodyHandlers.ofLines());
                lines.addAndGet(response.body().count());
            } catch (Exception e) {
                errors.incrementAndGet();
            }
            Thread.sleep(30_000);
        }
        return null;
    }

    static String train(BenchApp app, String admin, long campaign) throws Exception {
        return BenchApp.field(app.call("POST", "/api/v1/reward-models/train", admin, "{\"campaignId\":" + campaign
                + "}"), "jobId");
    }

    static String trainingState(BenchApp app, String admin, String version) {
        if (!version.matches("\\d+")) {
            return version;
        }
        try {
            String body = app.send(app.request("/api/v1/reward-models/" + version, admin));
            return "v" + version + " " + BenchApp.field(body, "status");
        } catch (Exception e) {
            return "v" + version + " unknown";
        }
    }

    /** Heap used after a full GC (jcmd), and the resident set size (/proc), in MB. */
    static double[] memory(BenchApp app) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        run(jcmd, Long.toString(app.pid()), "GC.run");
        String heap = run(jcmd, Long.toString(app.pid()), "GC.heap_info");
        Matcher used = Pattern.compile("used (\\d+)K").matcher(heap);
        long usedKb = 0;
        if (used.find()) {
            usedKb = Long.parseLong(used.group(1));
        }
        long rssKb = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(app.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rssKb = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return new double[]{usedKb / 1024.0, rssKb / 1024.0};
    }

    static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        return output;
    }

    /**
     * [acknowledged but missing, items given to more than OVERLAP annotators, items whose queue counter disagrees with
     * the work stored for them], read straight from PostgreSQL. The last two are what the queue's logic keeps true
     * (no constraint does), so they can fail. The soak's annotators only submit rankings, so an item's finished
     * counter is its number of submitted tasks.
     */
    static long[] check(String jdbcUrl, long campaign, Map<Long, Long> acknowledged) throws Exception {
        Map<Long, Long> stored = new HashMap<>();
        long overfilled;
        long miscounted;
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
                Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT task_id, id FROM rankings WHERE campaign_id = "
                    + campaign)) {
                while (rows.next()) {
                    stored.put(rows.getLong(1), rows.getLong(2));
                }
            }
            try (ResultSet rows = statement.executeQuery("""
                    SELECT count(*) FILTER (WHERE n > %d), count(*) FILTER (WHERE n <> finished)
                    FROM (SELECT i.id, i.finished, count(t.id) FILTER (WHERE t.status = 'SUBMITTED') AS n
                          FROM items i LEFT JOIN tasks t ON t.item_id = i.id
                          WHERE i.campaign_id = %d GROUP BY i.id) per_item""".formatted(OVERLAP, campaign))) {
                rows.next();
                overfilled = rows.getLong(1);
                miscounted = rows.getLong(2);
            }
        }
        long lost = acknowledged.entrySet().stream().filter(e -> !e.getValue().equals(stored.get(e.getKey())))
                .count();
        return new long[]{lost, overfilled, miscounted};
    }
}
