import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.BufferedWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
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
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("ranklab-bench-import");
        Path file = work.resolve("items.jsonl");
        generate(file);
        System.out.printf("generated %d lines, %.1f MB%n", LINES, Files.size(file) / 1e6);

        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = work.resolve("app.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", "target/quarkus-app/quarkus-run.jar");
        builder.environment().put("RANKLAB_DATA_DIR", work.resolve("data").toString());
        builder.environment().put("RANKLAB_ADMIN_PASSWORD", "bench-admin-password");
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process app = builder.start();
        try {
            String base = "http://localhost:" + port;
            awaitReady(base, app, log);
            Matcher pg = Pattern.compile("embedded PostgreSQL 17 on port (\\d+)").matcher(Files.readString(log));
            if (!pg.find()) {
                throw new IllegalStateException("no PostgreSQL port in the log");
            }
            String jdbc = "jdbc:postgresql://localhost:" + pg.group(1) + "/ranklab?user=postgres";
            String token = field(post(base + "/api/v1/auth/token", null, "application/json",
                    HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"bench-admin-password\"}")),
                    "token");

            double bestImport = 0;
            double bestCopy = 0;
            for (int round = 1; round <= ROUNDS; round++) {
                String campaign = field(post(base + "/api/v1/campaigns", token, "application/json",
                        HttpRequest.BodyPublishers.ofString("{\"name\":\"bench " + round + " " + System.nanoTime()
                                + "\",\"kind\":\"RANKING\",\"responsesPerItem\":" + K + "}")), "id");
                long start = System.nanoTime();
                String report = post(base + "/api/v1/campaigns/" + campaign + "/items", token, "application/x-ndjson",
                        HttpRequest.BodyPublishers.ofFile(file));
                double importSeconds = (System.nanoTime() - start) / 1e9;
                if (!report.contains("\"imported\":" + LINES)) {
                    throw new IllegalStateException("import did not store every line: " + report);
                }
                double copySeconds = copy(jdbc, file, Long.parseLong(campaign), round);
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
        } finally {
            app.destroy();
            app.waitFor();
        }
    }

    /** Realistic lines: a two-turn prompt and K responses of a few hundred characters each. */
    static void generate(Path file) throws IOException {
        Random random = new Random(42);
        String[] words = "the model answer user question helpful harmless honest because therefore however data training reward ranking response prompt people often think about careful".split(" ");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < LINES; i++) {
                out.write("{\"externalId\":\"b-" + i + "\",\"prompt\":[{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"},{\"role\":\"user\",\"content\":\"");
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
        Pattern line = Pattern.compile("\\{\"externalId\":\"([^\"]+)\",\"prompt\":(\\[.*?\\]),\"responses\":(\\[.*\\]),\"metadata\":(\\{.*\\})\\}");
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
        try (Connection connection = DriverManager.getConnection(jdbc); Statement statement = connection.createStatement()) {
            String table = "bench_copy_" + round;
            statement.execute("DROP TABLE IF EXISTS " + table);
            statement.execute("CREATE TABLE " + table + " (LIKE items INCLUDING ALL)");
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            Reader reader = new StringReader(rows.toString());
            long start = System.nanoTime();
            long copied = copy.copyIn("COPY " + table + " (campaign_id, external_id, prompt, responses, metadata) FROM STDIN", reader);
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

    static void awaitReady(String base, Process app, Path log) throws Exception {
        for (int i = 0; i < 480; i++) {
            if (!app.isAlive()) {
                throw new IllegalStateException("the app exited:\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the app did not start:\n" + Files.readString(log));
    }

    static String post(String url, String token, String type, HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type).POST(body);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"?([^\",}]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }
}
