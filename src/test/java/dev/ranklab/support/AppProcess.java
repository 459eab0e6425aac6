package dev.ranklab.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The packaged app run as a separate process, as a user runs it, for tests that kill and restart it. */
public final class AppProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Every app started, so that one a failed test left running dies with the test JVM instead of outliving it. */
    private static final java.util.Set<Process> STARTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly)));
    }

    public final int port;
    public final Path log;
    public final Process process;

    private AppProcess(int port, Path log, Process process) {
        this.port = port;
        this.log = log;
        this.process = process;
    }

    public static AppProcess start(Map<String, String> env, Path log) throws IOException, InterruptedException {
        String jar = System.getProperty("ranklab.jar", "target/quarkus-app/quarkus-run.jar");
        int port = freePort();
        // C1 only: these apps live for seconds, and a boot costs half the CPU without C2 compiling the start-up
        // path, which on a 2-core CI machine is most of what the packaged tests spend. No benchmark runs here.
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", jar);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(key -> key.startsWith("RANKLAB_") || key.startsWith("QUARKUS_"));
        environment.putAll(new HashMap<>(env));
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        AppProcess app = new AppProcess(port, log, builder.start());
        STARTED.add(app.process);
        app.awaitReady(Duration.ofSeconds(120));
        return app;
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the app exited with " + process.exitValue() + ":\n" + logText());
            }
            try {
                if (get("/q/health/ready", null).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the app did not become ready:\n" + logText());
    }

    public String logText() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    public HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String token, String contentType, String body)
            throws IOException, InterruptedException {
        return send("POST", path, token, contentType, body);
    }

    public HttpResponse<String> send(String method, String path, String token, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Counts the lines of a streamed GET answer (an export) without holding it; -status when not 200. */
    public long countLines(String path, String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofMinutes(10)).header("Authorization", "Bearer " + token).GET().build();
        HttpResponse<java.io.InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        long lines = 0;
        try (java.io.InputStream in = response.body()) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0;) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        return response.statusCode() == 200 ? lines : -response.statusCode();
    }

    /** The JDBC URL of the app's embedded PostgreSQL, from its log. */
    public String embeddedJdbcUrl() throws IOException {
        java.util.regex.Matcher port = java.util.regex.Pattern.compile("embedded PostgreSQL 17 on port (\\d+)")
                .matcher(logText());
        if (!port.find()) {
            throw new IllegalStateException("no embedded PostgreSQL in the log");
        }
        return "jdbc:postgresql://localhost:" + port.group(1) + "/ranklab?user=postgres";
    }

    /** POSTs a JSON submission with its Idempotency-Key. */
    public HttpResponse<String> sendWithKey(String path, String token, String body, String key)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token).header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** SIGKILL: no shutdown hook runs, exactly like the OOM killer or a pulled plug of the JVM. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM: the normal way to stop it. */
    public int stop() throws InterruptedException {
        process.destroy();
        return process.waitFor();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
