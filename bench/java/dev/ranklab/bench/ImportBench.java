package dev.ranklab.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Item import throughput: a generated NDJSON file posted to the running app (HTTP, parsing, validation, batched
 * inserts), beside a plain JDBC COPY of the same rows into a table shaped like items, in the same run and on the
 * same PostgreSQL. Run it through bench/import/run.
 */
public class ImportBench {

    static final int LINES = Integer.getInteger("lines", 100_000);
    static final int K = 4;
    static final int ROUNDS = Integer.getInteger("rounds", 2);

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("ranklab-bench-import");
        Path file = work.resolve("items.jsonl");
        generate(file);
        System.out.printf("generated %d lines, %.1f MB%n", LINES, Files.size(file) / 1e6);
        try (BenchApp app = BenchApp.start("256m", Map.of(), List.of())) {
            String token = app.adminToken();
            double bestImport = 0;
            double bestCopy = 0;
            for (int round = 1; round <= ROUNDS; round++) {
                String campaign = BenchApp.field(app.call("POST", "/api/v1/campaigns", token, "{\"name\":\"bench "
                        + round + "\",\"kind\":\"RANKING\",\"responsesPerItem\":" + K + "}"), "id");
                long start = System.nanoTime();
                String report = app.send(app.request("/api/v1/campaigns/" + campaign + "/items", token)
                        .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofFile(file)));
                double importSeconds = (System.nanoTime() - start) / 1e9;
                if (!report.contains("\"imported\":" + LINES)) {
                    throw new IllegalStateException("import did not store every line: " + report);
                }
                double copySeconds = copy(app.jdbcUrl, file, Long.parseLong(campaign), round);
                double importRate = LINES / importSeconds;
                double copyRate = LINES / copySeconds;
                System.out.printf("round %d: import %.2f s (%.0f lines/s), COPY %.2f s (%.0f rows/s)%n", round,
                        importSeconds, importRate, copySeconds, copyRate);
                bestImport = Math.max(bestImport, importRate);
                bestCopy = Math.max(bestCopy, copyRate);
            }
            System.out.printf("app heap limit -Xmx256m for a %.1f MB file: imported without running out of memory%n",
                    Files.size(file) / 1e6);
            System.out.printf("RESULT lines_per_s=%.0f vs_copy=%.2f%n", bestImport, bestImport / bestCopy);
        }
    }

    /** Realistic lines: a two-turn prompt and K responses of a few hundred characters each. */
    static void generate(Path file) throws IOException {
        Random random = new Random(42);
        String[] words = "the model answer user question helpful harmless honest because therefore however data training reward ranking response prompt people often think about careful"
                .split(" ");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < LINES; i++) {
                out.write("{\"externalId\":\"b-" + i
                        + "\",\"prompt\":[{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"},{\"role\":\"user\",\"content\":\"");
                out.write(sentence(random, words, 25));
                out.write("\"}],\"responses\":[");
                for (int r = 0; r < K; r++) {
                    out.write((r > 0 ? "," : "") + "{\"text\":\"" + sentence(random, words, 40 + random.nextInt(40))
                            + "\",\"model\":\"model-" + r + "\"}");
                }
                out.write("],\"metadata\":{\"source\":\"bench\",\"n\":" + i + "}}\n");
            }
        }
    }

    static String sentence(Random random, String[] words, int count) {
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < count; w++) {
            text.append(w > 0 ? " " : "").append(words[random.nextInt(words.length)]);
        }
        return text.toString();
    }

    /**
     * COPY of the same rows into a table with the items table's columns, constraints and indexes. The rows are
     * prepared before the clock starts, so COPY is timed on its own: the baseline the importer is held to.
     */
    static double copy(String jdbc, Path file, long campaign, int round) throws Exception {
        StringBuilder rows = new StringBuilder();
        Pattern line = Pattern.compile(
                "\\{\"externalId\":\"([^\"]+)\",\"prompt\":(\\[.*?\\]),\"responses\":(\\[.*\\]),\"metadata\":(\\{.*\\})\\}");
        int n = 0;
        for (String text : Files.readAllLines(file)) {
            Matcher m = line.matcher(text);
            if (!m.matches()) {
                throw new IllegalStateException("unexpected line " + text);
            }
            String responses = addIds(m.group(3));
            rows.append(campaign).append('\t').append(m.group(1)).append('\t').append(escape(m.group(2))).append('\t')
                    .append(escape(responses)).append('\t').append(escape(m.group(4))).append('\n');
            n++;
        }
        try (Connection connection = DriverManager.getConnection(jdbc);
                Statement statement = connection.createStatement()) {
            String table = "bench_copy_" + round;
            statement.execute("DROP TABLE IF EXISTS " + table);
            statement.execute("CREATE TABLE " + table + " (LIKE items INCLUDING ALL)");
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            Reader reader = new StringReader(rows.toString());
            long start = System.nanoTime();
            long copied = copy.copyIn(
                    "COPY " + table + " (campaign_id, external_id, prompt, responses, metadata) FROM STDIN", reader);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (copied != n) {
                throw new IllegalStateException("COPY stored " + copied + " of " + n);
            }
            statement.execute("DROP TABLE " + table);
            return seconds;
        }
    }

    /** The importer stores responses with ids r1..rK; the COPY rows carry the same JSON. */
    static String addIds(String responses) {
        StringBuilder out = new StringBuilder();
        int id = 1;
        int from = 0;
        int at;
        while ((at = responses.indexOf("{\"text\":", from)) >= 0) {
            out.append(responses, from, at).append("{\"id\":\"r").append(id++).append("\",\"text\":");
            from = at + "{\"text\":".length();
        }
        return out.append(responses.substring(from)).toString();
    }

    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }
}
