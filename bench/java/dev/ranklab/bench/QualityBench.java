package dev.ranklab.bench;

import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * What a researcher waits for on a large campaign: the agreement API, the dashboard API and the data page, each timed
 * (best of three) right after the campaign's data changed and again on unchanged data, beside COPY of the rankings
 * they are computed from (the least any of them must do: read those rows once), in the same run. Items × 3 annotators, K = 4, orders drawn per (item, annotator) from four with a shared
 * favourite, so agreement is neither 0 nor 1. Generated in SQL. Run it through bench/quality/run.
 */
public class QualityBench {

    static final int ITEMS = Integer.getInteger("items", 30_000);
    static final int ANNOTATORS = 12;

    public static void main(String[] args) throws Exception {
        // -Djfr=FILE records a profile of the app while it answers (to see where the time goes).
        String jfr = System.getProperty("jfr");
        List<String> jvm = jfr == null
                ? List.of()
                : List.of("-XX:StartFlightRecording=filename=" + jfr
                        + ",settings=profile");
        try (BenchApp app = BenchApp.start("512m", Map.of(), jvm)) {
            String admin = app.adminToken();
            long firstAnnotator = 0;
            for (int a = 0; a < ANNOTATORS; a++) {
                long id = Long.parseLong(BenchApp.field(app.call("POST", "/api/v1/users", admin,
                        "{\"username\":\"bench-annotator-" + a + "\",\"password\":\"bench-password\","
                                + "\"role\":\"ANNOTATOR\"}"),
                        "id"));
                firstAnnotator = a == 0 ? id : firstAnnotator;
            }
            long campaign = generate(app, admin, firstAnnotator);
            if (Boolean.getBoolean("hold")) {
                // For looking at the app's queries by hand: its database and campaign, then wait.
                System.out.println("HOLD " + app.jdbcUrl + " campaign " + campaign + " " + app.base + " " + admin);
                Thread.sleep(Long.MAX_VALUE);
            }
            double copy = best(() -> copyRankings(app, campaign), () -> {
            });
            // Cold: the campaign's data changed just before (one ranking rejected or restored), so nothing computed
            // before may be reused. Warm: asked again about unchanged data.
            Timed change = () -> toggleRejection(app, campaign);
            Timed unchanged = () -> {
            };
            String agreementPath = "/api/v1/campaigns/" + campaign + "/agreement";
            String dashboardPath = "/api/v1/campaigns/" + campaign + "/dashboard";
            String dataPath = "/campaigns/" + campaign + "/data";
            String reviewPath = "/api/v1/campaigns/" + campaign + "/review";
            // One untimed pass first, so that no measurement pays for the JIT compiling the code it runs.
            for (String path : List.of(agreementPath, dashboardPath, dataPath, reviewPath)) {
                change.run();
                get(app, admin, path);
            }
            double agreementCold = best(() -> get(app, admin, agreementPath), change);
            double agreementWarm = best(() -> get(app, admin, agreementPath), unchanged);
            double dashboardCold = best(() -> get(app, admin, dashboardPath), change);
            double dashboardWarm = best(() -> get(app, admin, dashboardPath), unchanged);
            double dataCold = best(() -> get(app, admin, dataPath), change);
            double dataWarm = best(() -> get(app, admin, dataPath), unchanged);
            double review = best(() -> get(app, admin, reviewPath), change);
            System.out.printf("%d items, %d rankings: COPY of the rankings %.3f s; after a change / unchanged: "
                    + "agreement %.3f / %.3f s, dashboard %.3f / %.3f s, data page %.3f / %.3f s; review queue %.3f s%n",
                    ITEMS, ITEMS * 3, copy, agreementCold, agreementWarm, dashboardCold, dashboardWarm, dataCold,
                    dataWarm, review);
            System.out.printf("RESULT rankings=%d agreement_vs_copy=%.1f/%.1f dashboard_vs_copy=%.1f/%.1f "
                    + "data_page_vs_copy=%.1f/%.1f (after a change/unchanged) review_vs_copy=%.1f%n", ITEMS * 3,
                    agreementCold / copy, agreementWarm / copy, dashboardCold / copy, dashboardWarm / copy,
                    dataCold / copy, dataWarm / copy, review / copy);
        }
    }

    interface Timed {

        void run() throws Exception;
    }

    /** The best of three timings, each after {@code before} (untimed). */
    static double best(Timed timed, Timed before) throws Exception {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            before.run();
            long start = System.nanoTime();
            timed.run();
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return best;
    }

    static void toggleRejection(BenchApp app, long campaign) throws Exception {
        try (Connection c = DriverManager.getConnection(app.jdbcUrl); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE rankings SET rejected_at = CASE WHEN rejected_at IS NULL THEN now() END, "
                    + "rejection_reason = CASE WHEN rejected_at IS NULL THEN 'bench' END WHERE id = "
                    + "(SELECT min(id) FROM rankings WHERE campaign_id = " + campaign + ")");
        }
    }

    static void get(BenchApp app, String token, String path) throws Exception {
        HttpResponse<String> response = BenchApp.HTTP.send(app.request(path, token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    static void copyRankings(BenchApp app, long campaign) throws Exception {
        try (Connection c = DriverManager.getConnection(app.jdbcUrl)) {
            CopyManager copier = c.unwrap(PGConnection.class).getCopyAPI();
            copier.copyOut(
                    "COPY (SELECT item_id, annotator_id, tiers, ratings, flags FROM rankings WHERE campaign_id = "
                            + campaign + " ORDER BY item_id, id) TO STDOUT",
                    OutputStream.nullOutputStream());
        }
    }

    static long generate(BenchApp app, String admin, long firstAnnotator) throws Exception {
        long campaign = Long.parseLong(BenchApp.field(app.call("POST", "/api/v1/campaigns", admin,
                "{\"name\":\"quality bench\",\"kind\":\"RANKING\",\"responsesPerItem\":4,\"overlap\":3}"), "id"));
        String orders = "(ARRAY['[[\"r1\"],[\"r2\"],[\"r3\"],[\"r4\"]]', '[[\"r1\"],[\"r3\"],[\"r2\"],[\"r4\"]]', "
                + "'[[\"r1\"],[\"r2\",\"r3\"],[\"r4\"]]', '[[\"r2\"],[\"r1\"],[\"r4\"],[\"r3\"]]'])";
        try (Connection c = DriverManager.getConnection(app.jdbcUrl); Statement s = c.createStatement()) {
            s.execute("INSERT INTO items (campaign_id, external_id, prompt, responses, finished, complete) "
                    + "SELECT " + campaign + ", 'q' || n, jsonb_build_array(jsonb_build_object('role', 'user', "
                    + "'content', 'Question ' || n)), (SELECT jsonb_agg(jsonb_build_object('id', 'r' || k, 'text', "
                    + "'Answer ' || k || ' to question ' || n)) FROM generate_series(1, 4) k), 3, true "
                    + "FROM generate_series(1, " + ITEMS + ") n");
            // Three different annotators per item, cycling through the twelve.
            s.execute("INSERT INTO tasks (item_id, campaign_id, annotator_id, status, display_order, leased_at, "
                    + "lease_expires_at, finished_at, lease_seconds) SELECT i.id, i.campaign_id, " + firstAnnotator
                    + " + (i.id + j) % " + ANNOTATORS + ", 'SUBMITTED', '[\"r1\",\"r2\",\"r3\",\"r4\"]', "
                    + "now() - interval '1 hour' * (i.id % 200), now(), now() - interval '1 hour' * (i.id % 200), "
                    + "30 + i.id % 90 FROM items i, generate_series(0, 2) j WHERE i.campaign_id = " + campaign);
            s.execute("INSERT INTO rankings (task_id, item_id, campaign_id, annotator_id, tiers, ratings, flags, "
                    + "submitted_at) SELECT t.id, t.item_id, t.campaign_id, t.annotator_id, (" + orders
                    + ")[1 + abs(hashtext(t.id::text)) % 4]::jsonb, '{\"r1\":6,\"r2\":5,\"r3\":3,\"r4\":2}', "
                    + "CASE WHEN t.id % 17 = 0 THEN '{\"r4\":[\"hallucination\"]}'::jsonb ELSE '{}'::jsonb END, "
                    + "t.finished_at FROM tasks t WHERE t.campaign_id = " + campaign);
            s.execute("ANALYZE");
        }
        return campaign;
    }
}
