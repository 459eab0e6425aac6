package dev.ranklab.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Export throughput: pairs generated in SQL (K = 4 strict rankings, 6 pairs each), exported as JSON lines through
 * the app's API, beside COPY (the same SELECT) TO STDOUT through JDBC's CopyManager, in the same run, at 100k and at
 * the full size, with the app's heap sampled throughout; and the time a file=hf job (a Hugging Face dataset folder
 * of the same pairs, split by prompt) takes to finish. Run it through bench/export/run.
 */
public class ExportBench {

    static final int PAIRS = Integer.getInteger("pairs", 1_000_000);

    public static void main(String[] args) throws Exception {
        // A small heap on purpose: an export that held its rows in memory would fail here at a million pairs.
        try (BenchApp app = BenchApp.start("96m", Map.of(), List.of())) {
            String admin = app.adminToken();
            String annotator = BenchApp.field(app.call("POST", "/api/v1/users", admin,
                    "{\"username\":\"bench-annotator\",\"password\":\"bench-password\",\"role\":\"ANNOTATOR\"}"), "id");
            long small = generate(app, admin, Long.parseLong(annotator), PAIRS / 10, "small");
            long large = generate(app, admin, Long.parseLong(annotator), PAIRS, "large");
            String researcher = admin;

            Result smallRun = measure(app, researcher, small);
            System.out.println("100k-scale: " + smallRun);
            Result largeRun = measure(app, researcher, large);
            System.out.println("full:       " + largeRun);
            System.out.printf(
                    "RESULT rows=%d jsonl_vs_copy=%.2f parquet_vs_copy=%.2f hf_seconds=%.1f peak_heap_mb=%d%n",
                    largeRun.rows, largeRun.jsonlSeconds / largeRun.copySeconds,
                    largeRun.parquetSeconds / largeRun.copySeconds, largeRun.hfSeconds, largeRun.peakHeapMb);
            System.out.printf("app heap limit 96 MB; peak used heap (garbage included) %d MB at %d rows, %d MB at %d "
                    + "rows%n", smallRun.peakHeapMb, smallRun.rows, largeRun.peakHeapMb, largeRun.rows);
        }
    }

    record Result(long rows, double jsonlSeconds, double parquetSeconds, double hfSeconds, double copySeconds,
            long peakHeapMb) {

        @Override
        public String toString() {
            return String.format("%d rows: JSONL through the app %.2f s (%.0f rows/s), Parquet %.2f s, file=hf job "
                    + "%.2f s, COPY %.2f s (%.0f rows/s); JSONL/COPY time %.2f, Parquet/COPY time %.2f; app peak heap "
                    + "%d MB", rows, jsonlSeconds, rows / jsonlSeconds, parquetSeconds, hfSeconds, copySeconds,
                    rows / copySeconds, jsonlSeconds / copySeconds, parquetSeconds / copySeconds, peakHeapMb);
        }
    }

    /** A ranking campaign whose rankings give {@code pairs} pairs, written directly in SQL. */
    static long generate(BenchApp app, String admin, long annotator, int pairs, String label) throws Exception {
        long campaign = Long.parseLong(BenchApp.field(app.call("POST", "/api/v1/campaigns", admin,
                "{\"name\":\"export bench " + label + "\",\"kind\":\"RANKING\",\"responsesPerItem\":4}"), "id"));
        int rankings = pairs / 6;
        String text = "'This response explains the answer at some length, with an example and a caveat, as model "
                + "outputs usually do. '";
        try (Connection c = DriverManager.getConnection(app.jdbcUrl); Statement s = c.createStatement()) {
            s.execute("INSERT INTO items (campaign_id, external_id, prompt, responses, finished, complete) "
                    + "SELECT " + campaign + ", 'g' || n, jsonb_build_array(jsonb_build_object('role', 'user', "
                    + "'content', 'Question number ' || n || ': how would you explain this to a new colleague?')), "
                    + "(SELECT jsonb_agg(jsonb_build_object('id', 'r' || k, 'text', repeat(" + text + ", 2) || k, "
                    + "'model', 'model-' || k)) FROM generate_series(1, 4) k), 1, true "
                    + "FROM generate_series(1, " + rankings + ") n");
            s.execute("INSERT INTO tasks (item_id, campaign_id, annotator_id, status, display_order, leased_at, "
                    + "lease_expires_at, finished_at, lease_seconds) SELECT id, campaign_id, " + annotator
                    + ", 'SUBMITTED', '[\"r1\",\"r2\",\"r3\",\"r4\"]', now(), now(), now(), 60 FROM items "
                    + "WHERE campaign_id = " + campaign);
            s.execute("INSERT INTO rankings (task_id, item_id, campaign_id, annotator_id, tiers, ratings) "
                    + "SELECT id, item_id, campaign_id, annotator_id, '[[\"r1\"],[\"r2\"],[\"r3\"],[\"r4\"]]', "
                    + "'{\"r1\":7,\"r2\":5,\"r3\":3,\"r4\":1}' FROM tasks WHERE campaign_id = " + campaign);
            s.execute("ANALYZE");
        }
        return campaign;
    }

    static Result measure(BenchApp app, String token, long campaign) throws Exception {
        HeapSampler heap = new HeapSampler(app.pid());
        heap.start();
        long start = System.nanoTime();
        HttpResponse<InputStream> response = BenchApp.HTTP.send(
                app.request("/api/v1/campaigns/" + campaign + "/export?format=pairs", token).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long rows = 0;
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        rows++;
                    }
                }
            }
        }
        double jsonl = (System.nanoTime() - start) / 1e9;
        if (response.statusCode() != 200) {
            throw new IllegalStateException("export answered " + response.statusCode());
        }
        long parquetStart = System.nanoTime();
        HttpResponse<InputStream> parquetResponse = BenchApp.HTTP.send(
                app.request("/api/v1/campaigns/" + campaign + "/export?format=pairs&file=parquet", token).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = parquetResponse.body()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        double parquetSeconds = (System.nanoTime() - parquetStart) / 1e9;
        if (parquetResponse.statusCode() != 200) {
            throw new IllegalStateException("Parquet export answered " + parquetResponse.statusCode());
        }
        double hfSeconds = hf(app, token, campaign);
        String select = Queries.pairs(campaign);
        double copy;
        try (Connection c = DriverManager.getConnection(app.jdbcUrl)) {
            CopyManager copier = c.unwrap(PGConnection.class).getCopyAPI();
            AtomicLong bytes = new AtomicLong();
            OutputStream sink = new OutputStream() {

                @Override
                public void write(int b) {
                    bytes.incrementAndGet();
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    bytes.addAndGet(len);
                }
            };
            long t = System.nanoTime();
            long copied = copier.copyOut("COPY (" + select + ") TO STDOUT", sink);
            copy = (System.nanoTime() - t) / 1e9;
            if (copied != rows) {
                throw new IllegalStateException("COPY gave " + copied + " rows, the export " + rows);
            }
        }
        heap.interrupt();
        heap.join();
        return new Result(rows, jsonl, parquetSeconds, hfSeconds, copy, heap.peakMb());
    }

    /** Seconds from starting a file=hf job of the pairs to its completion (it writes the archive on the server). */
    static double hf(BenchApp app, String token, long campaign) throws Exception {
        long start = System.nanoTime();
        String job = BenchApp.field(app.call("POST", "/api/v1/campaigns/" + campaign + "/exports", token,
                "{\"format\":\"pairs\",\"file\":\"hf\",\"validationFraction\":0.1}"), "jobId");
        while (true) {
            String status = BenchApp.field(app.send(app.request("/api/v1/exports/" + job, token).GET()), "status");
            if (status.equals("COMPLETED")) {
                return (System.nanoTime() - start) / 1e9;
            }
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                throw new IllegalStateException("the file=hf job ended " + status);
            }
            Thread.sleep(100);
        }
    }

    /** The export's SELECT with its parameters written in, for COPY. */
    static final class Queries {

        static String pairs(long campaign) throws Exception {
            Class<?> queries = Class.forName("dev.ranklab.export.ExportQueries");
            Class<?> options = Class.forName("dev.ranklab.export.ExportOptions");
            Object pairs = options.getMethod("parse", Map.class, boolean.class).invoke(null,
                    Map.of("format", "pairs"), false);
            var build = queries.getDeclaredMethod("build", options, long.class);
            build.setAccessible(true);
            Object query = build.invoke(null, pairs, campaign);
            var sql = query.getClass().getDeclaredMethod("sql");
            sql.setAccessible(true);
            // Unfiltered, the campaign id is the query's only parameter.
            return ((String) sql.invoke(query)).replaceFirst("\\?", Long.toString(campaign));
        }
    }

    /** Samples the app's used heap with jstat while the export runs. */
    static final class HeapSampler extends Thread {

        private final long pid;
        private volatile long peakKb;

        HeapSampler(long pid) {
            this.pid = pid;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                try {
                    Process jstat = new ProcessBuilder("jstat", "-gc", Long.toString(pid)).start();
                    List<String> lines = new String(jstat.getInputStream().readAllBytes()).lines().toList();
                    jstat.waitFor();
                    if (lines.size() == 2) {
                        String[] names = lines.get(0).trim().split("\\s+");
                        String[] values = lines.get(1).trim().split("\\s+");
                        double used = 0;
                        for (int i = 0; i < names.length; i++) {
                            if (List.of("S0U", "S1U", "EU", "OU").contains(names[i])) {
                                used += Double.parseDouble(values[i]);
                            }
                        }
                        peakKb = Math.max(peakKb, (long) used);
                    }
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    return;
                }
            }
        }

        long peakMb() {
            return peakKb / 1024;
        }
    }
}
