package dev.ranklab.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.ranklab.database.EmbeddedDatabase;
import dev.ranklab.support.AppProcess;
import dev.ranklab.support.ItFixture;

/**
 * PostgreSQL stopped at once ("immediate" shutdown, a crash for the database) while annotators submit, then started
 * again: meanwhile the app answers 503, never 500; it reconnects by itself; and every acknowledged submission is
 * there once. A negative control runs the same with asynchronous commits, where acknowledged work is lost, to show
 * that the check can see a loss.
 */
class PostgresOutageIT {

    private static final int ANNOTATORS = 16;

    /** What the load saw: acknowledged task → ranking id, and the count of each status. */
    record Outcome(Map<Long, Long> acknowledged, Map<Integer, AtomicInteger> statuses) {
    }

    @Test
    void theAppAnswers503DuringAnOutageReconnectsAndLosesNothingAcknowledged() throws Exception {
        Path dir = Files.createTempDirectory("ranklab-outage-it");
        EmbeddedDatabase database = EmbeddedDatabase.start(dir.resolve("pg"), true);
        int port = database.port();
        AppProcess app = AppProcess.start(env(dir, database), dir.resolve("app.log"));
        EmbeddedDatabase restarted = null;
        try {
            String admin = ItFixture.adminToken(app);
            long campaign = ItFixture.rankingCampaign(app, admin, "Outage", 4_000, 1);
            List<String> tokens = ItFixture.annotators(List.of(app), admin, "out", ANNOTATORS);
            Load load = new Load(app, campaign, tokens, true);
            load.start();
            load.awaitAcknowledged(150);
            stopImmediately(database.dataDirectory());
            // While PostgreSQL is down the app answers, and says it is unavailable.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            HttpResponse<String> during;
            do {
                during = app.get("/api/v1/campaigns/" + campaign + "/tasks/next", tokens.get(0));
            } while (during.statusCode() != 503 && System.nanoTime() < deadline);
            assertEquals(503, during.statusCode(), during.body());
            assertEquals("5", during.headers().firstValue("Retry-After").orElse(null));
            Thread.sleep(3_000);
            release(database);
            restarted = EmbeddedDatabase.start(database.dataDirectory(), true, port, Map.of());
            int before = load.acknowledgedCount();
            load.awaitAcknowledged(before + 150);
            load.stop();
            Outcome outcome = load.outcome();
            assertEquals(null, outcome.statuses().get(500), "no 500 at any time: " + outcome.statuses());
            assertTrue(outcome.statuses().containsKey(503), "the outage was seen: " + outcome.statuses());
            Map<Long, Long> stored = rankings(restarted.jdbcUrl(), campaign);
            outcome.acknowledged().forEach((task, ranking) -> assertEquals(ranking, stored.get(task),
                    "acknowledged submission of task " + task));
            System.out.printf("outage IT: %d acknowledged, statuses %s%n", outcome.acknowledged().size(),
                    outcome.statuses());
        } finally {
            app.stop();
            if (restarted != null) {
                restarted.close();
            }
        }
    }

    @Test
    void withAsynchronousCommitsTheSameCheckSeesAcknowledgedWorkLost() throws Exception {
        Path dir = Files.createTempDirectory("ranklab-outage-control");
        // The negative control: commits are acknowledged before their WAL is flushed, and the WAL writer waits
        // 10 s between flushes, so a crash loses what was acknowledged in the last seconds.
        Map<String, String> unsafe = Map.of("synchronous_commit", "off", "wal_writer_delay", "10000ms");
        EmbeddedDatabase database = EmbeddedDatabase.start(dir.resolve("pg"), true, 0, unsafe);
        int port = database.port();
        AppProcess app = AppProcess.start(env(dir, database), dir.resolve("app.log"));
        EmbeddedDatabase restarted = null;
        try {
            String admin = ItFixture.adminToken(app);
            long campaign = ItFixture.rankingCampaign(app, admin, "Control", 2_000, 1);
            List<String> tokens = ItFixture.annotators(List.of(app), admin, "ctl", ANNOTATORS);
            // Everything so far reaches the disk, so that only the load's commits are at risk.
            try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), EmbeddedDatabase.USER, "");
                    Statement statement = connection.createStatement()) {
                statement.execute("CHECKPOINT");
            }
            Load load = new Load(app, campaign, tokens, false);
            load.start();
            load.awaitAcknowledged(100);
            stopImmediately(database.dataDirectory());
            load.stop();
            release(database);
            restarted = EmbeddedDatabase.start(database.dataDirectory(), true, port, unsafe);
            Map<Long, Long> stored = rankings(restarted.jdbcUrl(), campaign);
            long lost = load.outcome().acknowledged().keySet().stream().filter(task -> !stored.containsKey(task))
                    .count();
            System.out.printf("outage control: %d acknowledged, %d lost%n", load.outcome().acknowledged().size(),
                    lost);
            assertTrue(lost > 0, "with asynchronous commits a crash must lose acknowledged work");
        } finally {
            app.kill();
            if (restarted != null) {
                restarted.close();
            }
        }
    }

    private static Map<String, String> env(Path dir, EmbeddedDatabase database) {
        return Map.of("RANKLAB_DATA_DIR", dir.resolve("data").toString(), "RANKLAB_ADMIN_PASSWORD",
                ItFixture.ADMIN_PASSWORD, "RANKLAB_BCRYPT_COST", "4", "RANKLAB_REWARD_MODEL_AUTO_TRAIN", "false",
                "QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl(), "QUARKUS_DATASOURCE_USERNAME",
                EmbeddedDatabase.USER);
    }

    /** SIGQUIT to the postmaster: PostgreSQL's immediate shutdown, which recovers from its WAL on the next start. */
    static void stopImmediately(Path pgData) throws IOException, InterruptedException {
        long pid = Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).strip());
        Process kill = new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor());
        ProcessHandle.of(pid).ifPresent(handle -> handle.onExit().orTimeout(30, TimeUnit.SECONDS).join());
    }

    /** Lets go of a server that was stopped under it: its lock on the data directory, so it can start again. */
    private static void release(EmbeddedDatabase stopped) {
        try {
            stopped.close();
        } catch (IOException | RuntimeException e) {
            // pg_ctl stop fails: the server is already gone, which is the point
        }
    }

    /** Task id → ranking id of every ranking stored in the campaign, read straight from PostgreSQL. */
    static Map<Long, Long> rankings(String jdbcUrl, long campaign) throws Exception {
        Map<Long, Long> stored = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl, EmbeddedDatabase.USER, "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT task_id, id FROM rankings WHERE campaign_id = "
                        + campaign)) {
            while (rows.next()) {
                assertEquals(null, stored.put(rows.getLong(1), rows.getLong(2)), "a task stored twice");
            }
        }
        return stored;
    }

    /**
     * Annotators leasing and submitting in a loop. With {@code retry}, a submission that got no 201 is sent again
     * with the same Idempotency-Key until it does, as the browser page does.
     */
    static final class Load {

        private final AppProcess app;
        private final long campaign;
        private final List<String> tokens;
        private final boolean retry;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Map<Long, Long> acknowledged = new ConcurrentHashMap<>();
        private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        private final Queue<Future<?>> workers = new ConcurrentLinkedQueue<>();
        private ExecutorService pool;

        Load(AppProcess app, long campaign, List<String> tokens, boolean retry) {
            this.app = app;
            this.campaign = campaign;
            this.tokens = tokens;
            this.retry = retry;
        }

        void start() {
            pool = Executors.newFixedThreadPool(tokens.size());
            for (String token : tokens) {
                workers.add(pool.submit(() -> work(token)));
            }
        }

        private Void work(String token) throws InterruptedException {
            while (running.get()) {
                long taskId;
                try {
                    HttpResponse<String> next = app.get("/api/v1/campaigns/" + campaign + "/tasks/next", token);
                    count(next.statusCode());
                    if (next.statusCode() != 200) {
                        Thread.sleep(100);
                        continue;
                    }
                    taskId = ItFixture.JSON.readTree(next.body()).get("taskId").asLong();
                } catch (Exception e) {
                    Thread.sleep(100);
                    continue;
                }
                String key = UUID.randomUUID().toString();
                do {
                    try {
                        HttpResponse<String> answer = app.sendWithKey("/api/v1/tasks/" + taskId + "/submission",
                                token, "{\"ranking\":[[\"r1\"],[\"r2\"]],\"ratings\":{\"r1\":6,\"r2\":2}}", key);
                        count(answer.statusCode());
                        if (answer.statusCode() == 201) {
                            acknowledged.put(taskId, ItFixture.JSON.readTree(answer.body()).get("id").asLong());
                            break;
                        }
                    } catch (Exception e) {
                        // no answer: try again below
                    }
                    Thread.sleep(200);
                } while (retry && running.get());
            }
            return null;
        }

        private void count(int status) {
            statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
        }

        int acknowledgedCount() {
            return acknowledged.size();
        }

        void awaitAcknowledged(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (acknowledged.size() < count) {
                assertTrue(System.nanoTime() < deadline, "only " + acknowledged.size() + " acknowledged: "
                        + statuses);
                Thread.sleep(50);
            }
        }

        void stop() throws Exception {
            running.set(false);
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }

        Outcome outcome() {
            return new Outcome(new HashMap<>(acknowledged), new HashMap<>(statuses));
        }
    }
}
