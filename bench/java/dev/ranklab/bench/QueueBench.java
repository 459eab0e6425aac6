package dev.ranklab.bench;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The annotation queue under load: N annotators doing next + submit against the running app, beside the same SQL
 * statements issued directly over JDBC by N threads on the same PostgreSQL, in the same run. Run it through
 * bench/queue/run.
 */
public class QueueBench {

    static final int ANNOTATORS = Integer.getInteger("annotators", 64);
    static final int ITEMS = Integer.getInteger("items", 2000);
    static final int WARMUP_ITEMS = Integer.getInteger("warmupItems", 1000);
    static final int OVERLAP = 3;
    static final int K = 4;

    public static void main(String[] args) throws Exception {
        // Setting up 64 accounts should not take a minute of bcrypt: the queue is what is measured here.
        List<String> jvmArgs = System.getProperty("appJvmArgs") == null
                ? List.of()
                : List.of(System.getProperty("appJvmArgs").split(" "));
        try (BenchApp app = BenchApp.start("1g", Map.of("RANKLAB_BCRYPT_COST", "4"), jvmArgs)) {
            String admin = app.adminToken();
            long warmupCampaign = campaign(app, admin, "warm-up", WARMUP_ITEMS);
            long appCampaign = campaign(app, admin, "app", ITEMS);
            long sqlCampaign = campaign(app, admin, "sql", ITEMS);
            List<String> tokens = new ArrayList<>();
            List<Long> userIds = new ArrayList<>();
            for (int i = 0; i < ANNOTATORS; i++) {
                String name = "bench-annotator-" + i;
                String created = app.call("POST", "/api/v1/users", admin, "{\"username\":\"" + name
                        + "\",\"password\":\"bench-password-" + i + "\",\"role\":\"ANNOTATOR\"}");
                userIds.add(Long.parseLong(BenchApp.field(created, "id")));
                tokens.add(BenchApp.field(app.call("POST", "/api/v1/auth/token", null, "{\"username\":\"" + name
                        + "\",\"password\":\"bench-password-" + i + "\"}"), "token"));
            }
            System.out.printf("%d annotators, %d items, K=%d, overlap %d: %d submissions per side%n", ANNOTATORS, ITEMS,
                    K, OVERLAP, ITEMS * OVERLAP);

            // Steady state is what counts: the JIT compiles the hot paths during an unmeasured warm-up round.
            Run warmup = run(tokens.size(), WARMUP_ITEMS, i -> appAnnotator(app, tokens.get(i), warmupCampaign));
            System.out.println("warm-up: " + warmup);
            Run viaApp = run(tokens.size(), ITEMS, i -> appAnnotator(app, tokens.get(i), appCampaign));
            System.out.println("app:     " + viaApp);
            Run viaSql = run(userIds.size(), ITEMS, i -> sqlAnnotator(app.jdbcUrl, userIds.get(i), sqlCampaign));
            System.out.println("raw SQL: " + viaSql);
            System.out.printf("RESULT submissions_per_s=%.0f p50_ms=%.1f p99_ms=%.1f vs_raw_sql=%.2f%n",
                    viaApp.perSecond(), viaApp.percentile(50), viaApp.percentile(99),
                    viaApp.perSecond() / viaSql.perSecond());
        }
    }

    interface Annotator {

        List<Long> work(int index) throws Exception;
    }

    /** One side's numbers: submissions, wall time, and the latency of every request. */
    record Run(int submissions, double seconds, List<Long> latenciesNanos) {

        double perSecond() {
            return submissions / seconds;
        }

        double percentile(int p) {
            List<Long> sorted = new ArrayList<>(latenciesNanos);
            Collections.sort(sorted);
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
        }

        @Override
        public String toString() {
            return String.format("%d submissions in %.2f s = %.0f/s; request latency p50 %.1f ms, p99 %.1f ms",
                    submissions, seconds, perSecond(), percentile(50), percentile(99));
        }
    }

    static Run run(int workers, int items, Annotator annotator) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            int index = i;
            results.add(pool.submit(() -> {
                start.await();
                List<Long> mine = annotator.work(index);
                latencies.addAll(mine);
                return mine.size() / 2;
            }));
        }
        long begin = System.nanoTime();
        start.countDown();
        int submissions = 0;
        for (Future<Integer> result : results) {
            submissions += result.get();
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        pool.shutdown();
        if (submissions != items * OVERLAP) {
            throw new IllegalStateException("expected " + items * OVERLAP + " submissions, got " + submissions);
        }
        return new Run(submissions, seconds, new ArrayList<>(latencies));
    }

    static List<Long> appAnnotator(BenchApp app, String token, long campaign) throws Exception {
        List<Long> latencies = new ArrayList<>();
        while (true) {
            long t0 = System.nanoTime();
            HttpResponse<String> next = BenchApp.HTTP
                    .send(app.request("/api/v1/campaigns/" + campaign + "/tasks/next", token)
                            .GET().build(), HttpResponse.BodyHandlers.ofString());
            latencies.add(System.nanoTime() - t0);
            if (next.statusCode() == 204) {
                latencies.remove(latencies.size() - 1);
                return latencies;
            }
            String taskId = BenchApp.field(next.body(), "taskId");
            Matcher ids = Pattern.compile("\"id\":\"(r\\d)\"").matcher(next.body());
            List<String> order = new ArrayList<>();
            while (ids.find()) {
                order.add(ids.group(1));
            }
            long t1 = System.nanoTime();
            HttpResponse<String> submitted = BenchApp.HTTP.send(
                    app.request("/api/v1/tasks/" + taskId + "/submission", token)
                            .header("Content-Type", "application/json").header("Idempotency-Key", "b-" + taskId)
                            .POST(HttpRequest.BodyPublishers.ofString(rankingJson(order))).build(),
                    HttpResponse.BodyHandlers.ofString());
            latencies.add(System.nanoTime() - t1);
            if (submitted.statusCode() != 201) {
                throw new IllegalStateException("submit answered " + submitted.statusCode() + ": " + submitted.body());
            }
        }
    }

    static String rankingJson(List<String> order) {
        StringBuilder tiers = new StringBuilder();
        StringBuilder ratings = new StringBuilder();
        for (int i = 0; i < order.size(); i++) {
            tiers.append(i > 0 ? "," : "").append("[\"").append(order.get(i)).append("\"]");
            ratings.append(i > 0 ? "," : "").append('"').append(order.get(i)).append("\":").append(7 - i);
        }
        return "{\"ranking\":[" + tiers + "],\"ratings\":{" + ratings + "},\"flags\":{},\"comment\":\"bench\"}";
    }

    /** The statements the app issues for next + submit, written out over plain JDBC, one connection per annotator. */
    static List<Long> sqlAnnotator(String jdbc, long user, long campaign) throws Exception {
        List<Long> latencies = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbc)) {
            c.setAutoCommit(false);
            PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)");
            PreparedStatement live = c
                    .prepareStatement("SELECT id FROM tasks WHERE campaign_id = ? AND annotator_id = ? "
                            + "AND status = 'LEASED' AND lease_expires_at > now() ORDER BY id LIMIT 1");
            PreparedStatement nextItem = c.prepareStatement("""
                    SELECT i.id, i.responses::text FROM items i
                    WHERE i.campaign_id = ? AND NOT i.complete AND i.finished + i.leased < ?
                      AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.item_id = i.id AND t.annotator_id = ?
                                      AND t.status <> 'EXPIRED')
                    ORDER BY i.finished DESC, i.id LIMIT 1 FOR UPDATE OF i SKIP LOCKED""");
            PreparedStatement upsert = c.prepareStatement(
                    """
                            INSERT INTO tasks (item_id, campaign_id, annotator_id, status, display_order, leased_at, lease_expires_at)
                            VALUES (?, ?, ?, 'LEASED', '["r1","r2","r3","r4"]'::jsonb, now(), now() + interval '30 minutes')
                            ON CONFLICT (item_id, annotator_id) DO UPDATE SET status = 'LEASED'
                                WHERE tasks.status = 'EXPIRED' RETURNING id""");
            PreparedStatement leased = c.prepareStatement("UPDATE items SET leased = leased + 1 WHERE id = ?");
            PreparedStatement taskRow = c.prepareStatement("SELECT item_id, status FROM tasks WHERE id = ? FOR UPDATE");
            PreparedStatement ranking = c.prepareStatement("INSERT INTO rankings (task_id, item_id, campaign_id, "
                    + "annotator_id, tiers, ratings, flags, comment) VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb, '{}', 'bench')");
            PreparedStatement finish = c.prepareStatement("UPDATE tasks SET status = 'SUBMITTED', finished_at = now(), "
                    + "idempotency_key = ? WHERE id = ?");
            PreparedStatement finished = c
                    .prepareStatement("UPDATE items SET leased = leased - 1, finished = finished + 1, "
                            + "complete = (finished + 1 >= ?) WHERE id = ?");
            while (true) {
                long t0 = System.nanoTime();
                lock.setInt(1, (int) user);
                lock.setInt(2, (int) campaign);
                lock.executeQuery().close();
                live.setLong(1, campaign);
                live.setLong(2, user);
                live.executeQuery().close();
                nextItem.setLong(1, campaign);
                nextItem.setInt(2, OVERLAP);
                nextItem.setLong(3, user);
                long item;
                try (ResultSet rs = nextItem.executeQuery()) {
                    if (!rs.next()) {
                        c.commit();
                        return latencies;
                    }
                    item = rs.getLong(1);
                    rs.getString(2);
                }
                upsert.setLong(1, item);
                upsert.setLong(2, campaign);
                upsert.setLong(3, user);
                long task;
                try (ResultSet rs = upsert.executeQuery()) {
                    rs.next();
                    task = rs.getLong(1);
                }
                leased.setLong(1, item);
                leased.executeUpdate();
                c.commit();
                latencies.add(System.nanoTime() - t0);

                long t1 = System.nanoTime();
                taskRow.setLong(1, task);
                taskRow.executeQuery().close();
                ranking.setLong(1, task);
                ranking.setLong(2, item);
                ranking.setLong(3, campaign);
                ranking.setLong(4, user);
                ranking.setString(5, "[[\"r1\"],[\"r2\"],[\"r3\"],[\"r4\"]]");
                ranking.setString(6, "{\"r1\":7,\"r2\":6,\"r3\":5,\"r4\":4}");
                ranking.executeUpdate();
                finish.setString(1, "b-" + task);
                finish.setLong(2, task);
                finish.executeUpdate();
                finished.setInt(1, OVERLAP);
                finished.setLong(2, item);
                finished.executeUpdate();
                c.commit();
                latencies.add(System.nanoTime() - t1);
            }
        }
    }

    static long campaign(BenchApp app, String admin, String label, int items) throws Exception {
        String id = BenchApp.field(app.call("POST", "/api/v1/campaigns", admin, "{\"name\":\"queue bench " + label
                + "\",\"kind\":\"RANKING\",\"responsesPerItem\":" + K + ",\"overlap\":" + OVERLAP + "}"), "id");
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < items; i++) {
            file.append("{\"externalId\":\"q").append(i).append("\",\"prompt\":\"Question ").append(i)
                    .append("?\",\"responses\":[\"a\",\"b\",\"c\",\"d\"]}\n");
        }
        app.send(app.request("/api/v1/campaigns/" + id + "/items", admin).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(file.toString())));
        app.call("PATCH", "/api/v1/campaigns/" + id, admin, "{\"status\":\"ACTIVE\"}");
        return Long.parseLong(id);
    }
}
