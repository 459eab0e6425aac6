package dev.ranklab.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged app started as its own process on a fresh data directory, for the benchmarks. */
public final class BenchApp implements AutoCloseable {

    public static final String ADMIN_PASSWORD = "bench-admin-password";
    // HTTP/1.1 with a connection per thread, as browsers and most scripts talk to the app.
    public static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public final String base;
    public final String jdbcUrl;
    public final Path work;
    private final Process process;

    private BenchApp(String base, String jdbcUrl, Path work, Process process) {
        this.base = base;
        this.jdbcUrl = jdbcUrl;
        this.work = work;
        this.process = process;
    }

    /** Starts target/quarkus-app with the given heap and environment and waits until it is ready. */
    public static BenchApp start(String heap, Map<String, String> env, List<String> jvmArgs) throws Exception {
        Path work = Files.createTempDirectory("ranklab-bench");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = work.resolve("app.log");
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", "target/quarkus-app/quarkus-run.jar"));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("RANKLAB_DATA_DIR", work.resolve("data").toString());
        builder.environment().put("RANKLAB_ADMIN_PASSWORD", ADMIN_PASSWORD);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().putAll(env);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        String base = "http://localhost:" + port;
        awaitReady(base, process, log);
        Matcher pg = Pattern.compile("embedded PostgreSQL 17 on port (\\d+)").matcher(Files.readString(log));
        if (!pg.find()) {
            process.destroy();
            throw new IllegalStateException("no PostgreSQL port in the log");
        }
        return new BenchApp(base, "jdbc:postgresql://localhost:" + pg.group(1) + "/ranklab?user=postgres", work,
                process);
    }

    private static void awaitReady(String base, Process app, Path log) throws Exception {
        for (int i = 0; i < 2400; i++) {
            if (!app.isAlive()) {
                throw new IllegalStateException("the app exited:\n" + Files.readString(log));
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the app did not start:\n" + Files.readString(log));
    }

    public String adminToken() throws Exception {
        return field(call("POST", "/api/v1/auth/token", null,
                "{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}"), "token");
    }

    public HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120));
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    /** A JSON call that must succeed; returns the body. */
    public String call(String method, String path, String token, String json) throws Exception {
        return send(request(path, token).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Sends a request that must succeed; returns the body. */
    public String send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(request.build().uri() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    /** A top-level field of a small JSON answer, without a JSON library on the benchmark's classpath. */
    public static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"?([^\",}]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
